"""Full-text search with Pagefind: find its binary, index the written site in one pass.

Pagefind reads the built HTML: only elements marked `data-pagefind-body` (the article pages) are
indexed, stemmed by the language of `<html lang>`, with the `data-pagefind-filter` values as
filters: `personne`, `source`, `année` (person, source, year; the keys are what the search page
shows, so they are in the site's language). Its bundle lands in `pagefind/` beside the pages and the
search page loads it by a relative path, so search works from a subfolder too (over http; a
browser will not load it from file://).

The binary comes from the `pagefind_bin` package (`pip install 'pagefind[bin]'`), else
`NEWSGEN_PAGEFIND` or a `pagefind` on PATH. Without one the build warns and the site has no
search page.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Collection
from pathlib import Path

BUNDLE_FOLDER = "pagefind"
ENV_VAR = "NEWSGEN_PAGEFIND"
TIMEOUT = 600
MISSING = ("search: the pagefind binary was not found (pip install 'pagefind[bin]', or set "
           f"{ENV_VAR}); the site is built without search")


class SearchIndexError(RuntimeError):
    """Pagefind ran but failed; the message carries its output."""


def find_pagefind() -> Path | None:
    """The Pagefind executable to use, or None when there is none."""
    configured = os.environ.get(ENV_VAR)
    if configured is not None:
        # An explicit empty value turns search off (useful for tests and quick builds).
        path = Path(configured) if configured else None
        return path if path and path.is_file() and os.access(path, os.X_OK) else None
    try:
        import pagefind_bin

        return Path(pagefind_bin.get_executable())
    except (ImportError, FileNotFoundError):
        pass
    found = shutil.which("pagefind") or shutil.which("pagefind_extended")
    return Path(found) if found else None


_PLAIN_FOLDER = re.compile(r"[\w.-]+")


def search_glob(pages: Collection[str]) -> str:
    """The narrowest glob that still reaches every indexed page (site-relative paths).

    Pagefind parses every HTML file its glob matches, indexed or not: at 10,000 articles the
    person and source pages are half the site's bytes, and skipping them made indexing 2.4x
    faster for the same index.
    """
    folders = {page.split("/", 1)[0] for page in pages if "/" in page}
    if not pages or any("/" not in page for page in pages) or not all(map(_PLAIN_FOLDER.fullmatch, folders)):
        return "**/*.{html}"
    names = sorted(folders)
    return (names[0] if len(names) == 1 else "{" + ",".join(names) + "}") + "/**/*.{html}"


def _command(binary: Path, site: Path, pages: Collection[str], output: Path) -> list[str]:
    return [str(binary), "--site", str(site), "--output-path", str(output.absolute()),
            "--keep-index-url", "--silent", "--glob", search_glob(pages)]


def index_site(binary: Path, site: Path, pages: Collection[str] = ()) -> None:
    """Run Pagefind once over the folder `site` (writes `site/pagefind/`).

    `pages`, the site-relative paths of the pages marked for indexing, narrows what Pagefind
    reads; without them it reads every page.
    """
    try:
        done = subprocess.run(_command(binary, site, pages, site / BUNDLE_FOLDER), capture_output=True,
                              text=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise SearchIndexError(f"search: cannot run {binary}: {err}") from err
    _check(done.returncode, done.stderr or done.stdout, site / BUNDLE_FOLDER)


def _check(returncode: int, output: str, bundle: Path) -> None:
    if returncode != 0 or not (bundle / "pagefind-ui.js").is_file():
        raise SearchIndexError(f"search: pagefind failed (exit {returncode}): {output.strip()}")


class BackgroundIndex:
    """Pagefind indexing `site` into `bundle` (a folder it creates) while this process goes on:
    `newsgen serve` shows an edit's pages first and brings the search up to date after."""

    def __init__(self, binary: Path, site: Path, pages: Collection[str], bundle: Path) -> None:
        self.bundle = bundle
        self.log = bundle.parent / f"{bundle.name}.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(_command(binary, site, pages, bundle), stdout=log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def done(self) -> bool:
        return self.process.poll() is not None

    def result(self) -> None:
        """Wait for Pagefind; raise SearchIndexError when it failed."""
        returncode = self.process.wait()
        _check(returncode, self.log.read_text(encoding="utf-8", errors="replace"), self.bundle)

    def cancel(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
