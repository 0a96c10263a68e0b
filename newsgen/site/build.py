"""Build the site: plan, render into a temporary folder beside the output, then swap it in.

Rendering into a sibling folder and renaming at the end means a failing template or a full disk
never leaves a half-written site: the previous build stays whole until the new one is complete.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

from newsgen.config import SiteConfig
from newsgen.records import Article
from newsgen.site.collections import build_archive
from newsgen.site.data import plan_data
from newsgen.site.feeds import plan_feeds
from newsgen.site.pages import File, Page, plan_site
from newsgen.site.render import THEME_PACKAGE, make_environment, render_page
from newsgen.site.search import MISSING, SearchIndexError, find_pagefind, index_site
from newsgen.site.sitemap import plan_sitemap

STATIC_FOLDER = "static"


class BuildError(RuntimeError):
    """The site could not be built; the previous output is left as it was."""


def build_site(
    articles: list[Article],
    out_dir: Path,
    *,
    config: SiteConfig,
    templates_dir: Path | None = None,
    search: bool = True,
) -> list[str]:
    """Build the whole site into `out_dir` and return warnings (unanchored claims, renamed ids...).

    `templates_dir` holds user templates that override the theme's by name; a `static/` folder
    inside it is copied over the theme's assets (so `static/style.css` can be replaced too).
    Besides the pages: Atom feeds, sitemap.xml/robots.txt, the JSON export in data/, and the
    Pagefind search index (when `search` and the pagefind binary is available).
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildError(f"{out_dir} exists and is not a folder")
    archive = build_archive(articles)
    warnings = list(archive.warnings)
    pagefind = find_pagefind() if search else None
    if search and pagefind is None:
        warnings.append(MISSING)
    pages = plan_site(archive, config, search=pagefind is not None)
    sitemap, sitemap_warnings = plan_sitemap(pages, config)
    warnings += sitemap_warnings
    files = [*plan_feeds(archive, config), *sitemap, *plan_data(archive)]
    _check_paths([*pages, *files])
    env = make_environment(templates_dir)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        for page in pages:
            target = tmp / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            html = render_page(env, page, config, search=pagefind is not None)
            target.write_text(html, encoding="utf-8", newline="\n")
        for file in files:
            target = tmp / file.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.data)
        _copy_traversable(resources.files(THEME_PACKAGE) / "theme" / STATIC_FOLDER, tmp / STATIC_FOLDER)
        if templates_dir is not None and (Path(templates_dir) / STATIC_FOLDER).is_dir():
            shutil.copytree(Path(templates_dir) / STATIC_FOLDER, tmp / STATIC_FOLDER, dirs_exist_ok=True)
        if pagefind is not None:
            try:
                index_site(pagefind, tmp)
            except SearchIndexError as err:
                raise BuildError(str(err)) from err
        _make_public(tmp)
        _swap(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return warnings


def _check_paths(pages: list[Page | File]) -> None:
    """Refuse plans that would write outside the output folder or write one file twice."""
    seen: set[str] = set()
    for page in pages:
        parts = PurePosixPath(page.path).parts
        if not parts or page.path.startswith("/") or ".." in parts or "\\" in page.path:
            raise BuildError(f"unsafe page path {page.path!r}")
        if page.path in seen:
            raise BuildError(f"two pages would be written to {page.path!r}")
        seen.add(page.path)


def _copy_traversable(source: Traversable, target: Path) -> None:
    """Copy a package data folder (works for installed wheels and zips, not just checkouts)."""
    target.mkdir(parents=True, exist_ok=True)
    for child in source.iterdir():
        if child.is_dir():
            _copy_traversable(child, target / child.name)
        elif not child.name.startswith("."):
            (target / child.name).write_bytes(child.read_bytes())


def _make_public(root: Path) -> None:
    """mkdtemp makes a 0700 folder; give the build the usual permissions (umask applies)."""
    umask = os.umask(0)
    os.umask(umask)
    root.chmod(0o777 & ~umask)


def _swap(new: Path, out_dir: Path) -> None:
    """Put `new` in place of `out_dir`: rename the old aside, rename the new in, drop the old.

    The two renames are on one filesystem (same parent folder); if the second fails the old
    build is renamed back.
    """
    if not out_dir.exists():
        new.rename(out_dir)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    old.rmdir()
    out_dir.rename(old)
    try:
        new.rename(out_dir)
    except BaseException:
        old.rename(out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
