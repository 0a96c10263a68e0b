"""Browser tests: a small site built from tests/fixtures, served over http from a subfolder,
driven by Playwright's Python library on the system Chromium (never a downloaded browser).

Skipped, with the reason, when Playwright or Chromium is missing. `NEWSGEN_CHROMIUM` names the
browser (default /usr/bin/chromium); `NEWSGEN_AXE_JS` names axe-core's `axe.min.js` (see
.ci/browser.sh). Screenshots go to tests/browser/screenshots/ (or `NEWSGEN_SCREENSHOTS`).
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).parent
FIXTURES = HERE.parent / "fixtures"
SUBFOLDER = "archive"  # the site is served from /archive/, as on a host's subfolder
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives a real browser (Chromium via Playwright)")


def chromium_path() -> str:
    return os.environ.get("NEWSGEN_CHROMIUM", "/usr/bin/chromium")


def axe_path() -> Path | None:
    """axe-core's script: NEWSGEN_AXE_JS, else the cache folder .ci/browser.sh installs into."""
    candidates = [os.environ.get("NEWSGEN_AXE_JS", ""),
                  str(Path.home() / ".cache/newsgen/axe/node_modules/axe-core/axe.min.js")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def playwright_api():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed "
                                   "(pip install playwright; see .ci/browser.sh)")
    if not (Path(chromium_path()).is_file() and os.access(chromium_path(), os.X_OK)):
        pytest.skip(f"no Chromium at {chromium_path()} (apt-get install chromium, or set NEWSGEN_CHROMIUM)")
    with sync_api.sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_api):
    browser = playwright_api.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def site_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project made of the seed fixture and one hand-written article, built into
    SERVED/archive/; returns SERVED (the folder the http server serves)."""
    from newsgen.project import build_project

    project = tmp_path_factory.mktemp("project")
    (project / "seeds").mkdir()
    for path in FIXTURES.glob("000_*"):
        shutil.copy(path, project / "seeds" / path.name)
    (project / "articles").mkdir()
    shutil.copy(HERE / "hand-written.md", project / "articles" / "pyongyang-dement-toute-livraison-d-armes.md")
    (project / "newsgen.yaml").write_text(
        "title: Archive de test\ndescription: Revue de presse de démonstration\n"
        "base_url: https://example.org/archive/\n", encoding="utf-8")
    served = tmp_path_factory.mktemp("served")
    report = build_project(project, out=served / SUBFOLDER)
    assert not report.errors, report.errors
    return served


@pytest.fixture(scope="session")
def base_url(site_root: Path) -> Iterator[str]:
    """http://127.0.0.1:PORT/archive/ serving the built site (a thread, stopped at the end)."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Quiet, directory=str(site_root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{SUBFOLDER}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def site_dir(site_root: Path) -> Path:
    """The built site itself (SERVED/archive/)."""
    return site_root / SUBFOLDER


@pytest.fixture(scope="session")
def axe_js() -> Path | None:
    return axe_path()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = Path(os.environ.get("NEWSGEN_SCREENSHOTS", HERE / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Console:
    """Console errors, uncaught exceptions and failed requests seen by one page."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(f"exception: {e}"))
        page.on("requestfailed", self._failed)
        page.on("response", lambda r: r.status >= 400 and self.errors.append(f"HTTP {r.status}: {r.url}"))

    def _failed(self, request) -> None:
        # A request cut short because the test moved to the next page is not an error.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.errors.append(f"request failed: {request.url} ({request.failure})")


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console = Console(page)
    yield page
    context.close()
