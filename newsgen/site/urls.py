"""URLs of the site: safe slugs for ids, folder-style page paths, and relative links.

Every link the site emits is relative to the page it sits on, so the build works opened from
`file://` and served from any subfolder; and every link names `index.html` explicitly because
`file://` does not serve directory indexes.
"""
from __future__ import annotations

import functools
import hashlib
import posixpath
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from slugify import slugify

from newsgen.resolve.names import SLUG_LENGTH

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@functools.lru_cache(maxsize=65536)
def safe_slug(value: str) -> str:
    """A slug usable as one path segment (no `/`, no `..`), derived from an id or a title.

    Ids are normally slugs already; anything else is transliterated, and a value with nothing
    sluggable left (punctuation only) gets a short stable hash instead of an empty segment.
    Cached: every build slugs every id of the archive again (17,000 at 10,000 articles).
    """
    slug = slugify(value or "", max_length=SLUG_LENGTH, word_boundary=True, save_order=True)
    if not slug:
        slug = "x-" + hashlib.sha1((value or "").encode("utf-8")).hexdigest()[:8]
    return slug


def allocate_slugs(keys: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """Give each key a unique safe slug; return the mapping and warnings about changed ones.

    Keys are processed in sorted order so the same archive always yields the same URLs,
    whatever order the articles came in.
    """
    taken: set[str] = set()
    mapping: dict[str, str] = {}
    warnings: list[str] = []
    for key in sorted(set(keys)):
        base = safe_slug(key)
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        mapping[key] = slug
        if slug != key:
            warnings.append(f"id {key!r} is published as {slug!r}")
    return mapping, warnings


def page_path(url: str) -> str:
    """The file a site URL names: folder URLs (`people/x/`, ``) end in `index.html`."""
    if url == "" or url.endswith("/"):
        return url + "index.html"
    return url


def folder_page(folder: str, number: int) -> str:
    """Page `number` of a paginated index: `people/index.html`, then `people/page/2/index.html`.

    Pages are folders, never `people/2.html`-style files that could collide with a slug.
    """
    prefix = f"{folder}/" if folder else ""
    if number <= 1:
        return f"{prefix}index.html"
    return f"{prefix}page/{number}/index.html"


def is_external(url: str) -> bool:
    """True for URLs with a scheme (http:, mailto:, data:...) or protocol-relative ones."""
    return bool(_SCHEME.match(url)) or url.startswith("//")


def is_web_url(url: str | None) -> bool:
    """True only for http(s) URLs with a host: the only origin URLs the site turns into links."""
    if not url:
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def relurl(target: str, from_page: str) -> str:
    """Link to site URL `target` (optionally with `#fragment`) from the page file `from_page`.

    From `people/x/index.html`, `articles/foo/` gives `../../articles/foo/index.html`; a link
    to the page itself with a fragment is just `#fragment`.
    """
    links = _links_from(from_page)
    link = links.get(target)
    if link is None:
        link = links[target] = _relurl(target, from_page)
    return link


@functools.lru_cache(maxsize=64)
def _links_from(from_page: str) -> dict[str, str]:
    """The links already computed from `from_page`, by target. Pages are rendered one after the
    other and a page repeats its links (navigation, an article cited by many claims), so this
    keeps the last pages' links only."""
    return {}


@functools.lru_cache(maxsize=65536)
def _target(target: str) -> tuple[str, str] | None:
    """`target` split into the page file it names and its fragment, or None for a link kept as
    it is (external, or a bare `#fragment`): all pages link to the same static files, sections
    and entries."""
    if target.startswith("#") or is_external(target):
        return None
    head, _, fragment = target.partition("#")
    return page_path(head.lstrip("/")), fragment


def _relurl(target: str, from_page: str) -> str:
    parsed = _target(target)
    if parsed is None:
        return target
    path, fragment = parsed
    if not fragment:
        return _relative(path, from_page)
    if path == from_page:
        return "#" + fragment
    return _relative(path, from_page) + "#" + fragment


def _relative(path: str, from_page: str) -> str:
    """`posixpath.relpath(path, dirname(from_page))` for the site's paths, which are already
    normal (no `.`, `..` or doubled slashes: see `pages._check_paths`). A page links to
    hundreds of others, so this runs a million times for 10,000 articles; relpath's
    abspath/getcwd round trips made it a fifth of the render."""
    if "." in (path[:1], from_page[:1]) or "/." in path or "/." in from_page or "//" in path:
        return posixpath.relpath(path, posixpath.dirname(from_page) or ".")
    depth = from_page.count("/")
    if not depth:
        return path or "."
    first = from_page[:from_page.index("/")]
    if path != first and not path.startswith(first + "/"):  # most links leave the page's section
        return "../" * depth + path
    to_parts = path.split("/")
    from_parts = from_page.split("/")[:-1]
    common = 0
    for a, b in zip(from_parts, to_parts):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(from_parts) - common) + to_parts[common:]) or "."
