"""Check that every internal link of a built site resolves, the way a browser on file:// would.

A link must be relative, must name a file (not a folder: file:// serves no directory index) and,
when it carries a `#fragment`, the target page must have an element with that id. External URLs
(any scheme) are not fetched. Usable from tests and from CI: `python -m newsgen.site.linkcheck DIR`.
"""
from __future__ import annotations

import posixpath
import sys
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from newsgen.site.urls import is_external

_LINK_ATTRS = {"href", "src"}


@dataclass(frozen=True)
class BrokenLink:
    page: str  # the page holding the link, relative to the site root
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.url} ({self.reason})"


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in _LINK_ATTRS:
                self.links.append(value)
            elif name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)

    handle_startendtag = handle_starttag


@lru_cache(maxsize=None)
def _scan(path: Path) -> tuple[tuple[str, ...], frozenset[str]]:
    scanner = _Scanner()
    scanner.feed(path.read_text(encoding="utf-8"))
    scanner.close()
    return tuple(scanner.links), frozenset(scanner.ids)


def check_links(root: Path, *, fragments: bool = True) -> list[BrokenLink]:
    """All broken internal links under `root` (empty list = the site is consistent)."""
    root = Path(root).resolve()
    _scan.cache_clear()
    broken: list[BrokenLink] = []
    for page in sorted(root.rglob("*.html")):
        rel_page = page.relative_to(root).as_posix()
        links, _ = _scan(page)
        for url in links:
            reason = _check(root, rel_page, url, fragments)
            if reason:
                broken.append(BrokenLink(rel_page, url, reason))
    return broken


def _check(root: Path, rel_page: str, url: str, fragments: bool) -> str | None:
    if is_external(url):
        return None
    if url.startswith("/"):
        return "absolute path: breaks under file:// and in a subfolder"
    parts = urlsplit(url)
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    if not path:  # same-page link
        target_rel = rel_page
    else:
        target_rel = posixpath.normpath(posixpath.join(posixpath.dirname(rel_page), path))
        if target_rel == ".." or target_rel.startswith("../"):
            return "points outside the site"
    target = root / target_rel
    if path.endswith("/") or target.is_dir():
        return "points at a folder: file:// serves no index.html"
    if not target.is_file():
        return "missing file"
    if fragments and fragment and target.suffix == ".html":
        if fragment not in _scan(target)[1]:
            return f"no element with id {fragment!r}"
    return None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m newsgen.site.linkcheck SITE_DIR", file=sys.stderr)
        return 2
    broken = check_links(Path(args[0]))
    for link in broken:
        print(link)
    print(f"{len(broken)} broken link(s)", file=sys.stderr)
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
