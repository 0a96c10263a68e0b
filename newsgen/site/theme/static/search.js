/* The search page: Pagefind's default UI, with paths relative to this page so the site works
   from any subfolder. `?q=words` (from the home page form) runs a search on load. */
(function () {
  "use strict";
  /* Pagefind's input has a placeholder but no label: give it one screen readers announce. */
  function labelInput(box, tries) {
    var input = box.querySelector("input[type=text], input[type=search]");
    if (input) {
      input.setAttribute("aria-label", "Rechercher dans l’archive");
    } else if (tries < 50) {
      setTimeout(function () { labelInput(box, tries + 1); }, 20);
    }
  }

  function start() {
    var box = document.getElementById("search");
    if (!box) return;
    if (location.protocol === "file:" || typeof PagefindUI === "undefined") {
      document.getElementById("search-offline").hidden = false;
      return;
    }
    var bundle = new URL(box.dataset.bundle, location.href).pathname.replace(/[^/]*$/, "");
    var root = new URL(box.dataset.root, location.href).pathname.replace(/[^/]*$/, "");
    var ui = new PagefindUI({
      element: "#search",
      bundlePath: bundle,
      baseUrl: root,
      showSubResults: true,
      showImages: false,
      resetStyles: false
    });
    labelInput(box, 0);
    var q = new URLSearchParams(location.search).get("q");
    if (q) ui.triggerSearch(q);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
