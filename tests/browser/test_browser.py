"""The built site in a real browser: navigation by clicks, claim anchors, search, console,
screenshots at phone and desktop widths, and axe-core accessibility checks."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from urllib.parse import urlsplit

from newsgen.site.linkcheck import check_links

pytestmark = pytest.mark.browser

KIM = "people/kim-jong-un/index.html"
HAND = "articles/pyongyang-dement-toute-livraison-d-armes/index.html"
EVENT = "events/accusations-de-livraisons-d-armes-2024-10/index.html"
SOURCE = "sources/kcna/index.html"
WIDTHS = {"phone": 390, "desktop": 1280}
BLOCKING = {"serious", "critical"}


def seed_article(site_dir: Path) -> str:
    """The path of the seed's article page (its slug comes from extraction)."""
    pages = [p for p in (site_dir / "articles").glob("*/index.html")
             if p.parent.name != "pyongyang-dement-toute-livraison-d-armes"]
    assert pages, "the seed article was not built"
    return pages[0].relative_to(site_dir).as_posix()


def key_pages(site_dir: Path) -> dict[str, str]:
    return {"home": "index.html", "article": seed_article(site_dir), "person": KIM,
            "event": EVENT, "source": SOURCE}


def test_built_site_has_no_broken_links(site_dir: Path) -> None:
    assert check_links(site_dir) == []


def test_click_through_home_person_article_claim_event_source(page, base_url: str) -> None:
    page.goto(base_url)
    assert page.locator("h1").inner_text() == "Archive de test"
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Personnes").click()
    page.get_by_role("link", name="Kim Jong-un", exact=True).first.click()
    assert page.url.endswith(KIM)
    assert page.locator("h1").inner_text() == "Kim Jong-un"

    page.locator("#h-articles + ul").get_by_role("link", name=re.compile("Pyongyang dément")).click()
    assert page.url.endswith(HAND)
    link = page.locator("a.to-sentence").first
    target = link.get_attribute("href")
    assert target and target.startswith("#claim-")
    link.click()
    assert page.url.endswith(HAND + target)
    # the claim's sentence is the :target, highlighted
    assert page.evaluate(f"document.querySelector('{target}').matches(':target')")
    assert "mark" == page.evaluate(f"document.querySelector('{target}').tagName.toLowerCase()")

    page.locator(".facets").get_by_role("link", name=re.compile("Accusations de livraisons")).click()
    assert page.url.endswith(EVENT)
    sides = page.locator(".sides")
    assert sides.locator(".side--accusation .claim").count() >= 1
    assert sides.locator(".side--denial .claim").count() >= 1
    sides.locator(".side--denial").get_by_role("link", name="KCNA").first.click()
    assert page.url.endswith(SOURCE)
    assert page.locator("h1").inner_text() == "KCNA"
    assert page.console.errors == []


def test_search_finds_the_seed_article(page, base_url: str, site_dir: Path) -> None:
    if not (site_dir / "pagefind").is_dir():
        pytest.skip("the site was built without search (no pagefind binary)")
    page.goto(base_url + "search/index.html")
    page.locator(".pagefind-ui__search-input").fill("Choïgou")
    result = page.locator(".pagefind-ui__result-link").first
    result.wait_for(timeout=15000)
    href = result.get_attribute("href")
    assert href and href.startswith(urlsplit(base_url).path + "articles/"), href  # subfolder kept
    result.click()
    page.wait_for_load_state()
    assert page.url.endswith(seed_article(site_dir)), page.url
    # the home page form hands its words to the search page
    page.goto(base_url)
    page.get_by_label("Rechercher dans l’archive").fill("Pyongyang")
    page.get_by_role("button", name="Rechercher").click()
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=15000)
    assert page.console.errors == []


def year_page(site_dir: Path) -> str:
    """The first year of the timeline (its articles and events)."""
    first = sorted((site_dir / "timeline").glob("*/index.html"))[0]
    return first.relative_to(site_dir).as_posix()


def test_pages_have_no_console_errors(page, base_url: str, site_dir: Path) -> None:
    paths = [*key_pages(site_dir).values(), "articles/index.html", "people/index.html",
             "events/index.html", "sources/index.html", "timeline/index.html", year_page(site_dir), HAND]
    for path in paths:
        page.goto(base_url + path)
        page.wait_for_load_state("load")
    assert page.console.errors == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_screenshots(browser, base_url: str, site_dir: Path, screenshots: Path, width: str) -> None:
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900}, device_scale_factor=1)
    page = context.new_page()
    try:
        for name, path in {**key_pages(site_dir), "hand-article": HAND}.items():
            page.goto(base_url + path)
            target = screenshots / f"{name}-{width}.png"
            page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 0
            # nothing wider than the screen: no sideways scrolling on a phone
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} is {overflow}px wider than a {WIDTHS[width]}px screen"
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_accessibility_axe(browser, base_url: str, site_dir: Path, axe_js: Path | None, scheme: str) -> None:
    axe = axe_js
    if axe is None:
        pytest.skip("axe-core not found: npm install axe-core and set NEWSGEN_AXE_JS to its axe.min.js "
                    "(.ci/browser.sh does both)")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    problems = []
    try:
        # (not 404.html: with a base_url its stylesheet link is absolute, to a host not reached here)
        extra = {"hand-article": HAND, "timeline": "timeline/index.html", "timeline-year": year_page(site_dir),
                 "people": "people/index.html", "articles": "articles/index.html"}
        if (site_dir / "pagefind").is_dir():
            extra["search"] = "search/index.html?q=Pyongyang"
        for name, path in {**key_pages(site_dir), **extra}.items():
            page.goto(base_url + path)
            if name == "search":  # with results and filters shown
                page.locator(".pagefind-ui__result-link").first.wait_for(timeout=15000)
            page.add_script_tag(path=str(axe))
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            for violation in result["violations"]:
                if violation["impact"] in BLOCKING:
                    targets = [n["target"] for n in violation["nodes"]][:3]
                    problems.append(f"{name}: {violation['id']} ({violation['impact']}) {targets}")
    finally:
        context.close()
    assert problems == []


def test_keyboard_skip_link_reaches_content(page, base_url: str) -> None:
    page.goto(base_url)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
