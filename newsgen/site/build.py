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
from newsgen.site.pages import Page, plan_site
from newsgen.site.render import THEME_PACKAGE, make_environment, render_page

STATIC_FOLDER = "static"


class BuildError(RuntimeError):
    """The site could not be built; the previous output is left as it was."""


def build_site(
    articles: list[Article],
    out_dir: Path,
    *,
    config: SiteConfig,
    templates_dir: Path | None = None,
) -> list[str]:
    """Build the whole site into `out_dir` and return warnings (unanchored claims, renamed ids...).

    `templates_dir` holds user templates that override the theme's by name; a `static/` folder
    inside it is copied over the theme's assets (so `static/style.css` can be replaced too).
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildError(f"{out_dir} exists and is not a folder")
    archive = build_archive(articles)
    pages = plan_site(archive, config)
    _check_paths(pages)
    env = make_environment(templates_dir)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        for page in pages:
            target = tmp / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render_page(env, page, config), encoding="utf-8", newline="\n")
        _copy_traversable(resources.files(THEME_PACKAGE) / "theme" / STATIC_FOLDER, tmp / STATIC_FOLDER)
        if templates_dir is not None and (Path(templates_dir) / STATIC_FOLDER).is_dir():
            shutil.copytree(Path(templates_dir) / STATIC_FOLDER, tmp / STATIC_FOLDER, dirs_exist_ok=True)
        _make_public(tmp)
        _swap(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return list(archive.warnings)


def _check_paths(pages: list[Page]) -> None:
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
