"""Build the site incrementally and atomically: render only what changed, swap the result in whole.

Every output file has a hash of its inputs (a page: its context, the templates it uses, the
settings and the site code, see `pages.page_hashes`; any other file: its bytes). The manifest the
previous build left in the output (`.newsgen-manifest.json`: path -> hash) says which files are
already right.

Why a second tree rather than updating build/ in place: an in-place update that fails half-way
(a template error at page 5,000, a full disk, Ctrl-C) would leave a site mixing two builds, and
the site is what people publish. So the new build is assembled in a temporary folder beside the
output and swapped in with two renames; until then the previous build is untouched.

Assembling that folder must not cost a full copy, so it starts from one of two things:
- the spare copy: the build before last, which the swap kept (in the project's cache) instead of
  deleting. Only what changed in two builds is deleted from it and written again; the rest is
  already right. Its manifest is removed before it is touched, so a copy left half-updated by an
  interrupted build is never trusted again (it is then rebuilt as below).
- otherwise a new folder where every unchanged file is hard-linked from the live build (same
  inode and mtime, no copy; copied where links are not supported). At 17,500 files this takes
  a few seconds on a slow disk, plus deleting the old tree, which the spare copy avoids.
Files in the new tree are only ever created (`O_EXCL`) or unlinked, never opened for writing: a
file shared by hard link with the live build cannot be changed through it. A build in which
nothing changed creates no folder at all.

Files in the output that newsgen did not write (not in the manifest: a CNAME, a verification
file) are carried over into each new build, with one warning the first time they are seen.
Pagefind re-indexes only when a page it indexes (one with `data-pagefind-body`) changed or went.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from jinja2 import Environment, meta

from newsgen import __version__
from newsgen.background import Background
from newsgen.cache import MANIFEST
from newsgen.config import SiteConfig
from newsgen.files import UMASK, write_bytes_atomic
from newsgen.lock import scratch_folder, work_folder
from newsgen.progress import QUIET, Reporter
from newsgen.records import Article
from newsgen.site.collections import Archive, ArticleItem, update_archive
from newsgen.site.data import EntryKeys, data_paths, write_data
from newsgen.site.feeds import Feed, plan_feeds, render_feed
from newsgen.site.listing import walk
from newsgen.site.pages import Digests, File, Page, archive_hash, page_hashes, plan_site, replan_articles
from newsgen.site.render import THEME_PACKAGE, THEME_TEMPLATES, make_environment, render_page
from newsgen.site.search import BUNDLE_FOLDER, MISSING, SearchIndexError, find_pagefind, index_site
from newsgen.site.sitemap import plan_sitemap

STATIC_FOLDER = "static"
MANIFEST_SCHEMA = "newsgen-manifest/1"
INDEXED_MARK = b"data-pagefind-body"
PARALLEL_RENDER = 300  # pages: from this many, render in worker processes from the start
SERIAL_RENDER_SECONDS = 0.15  # fewer pages: render them here, unless they take longer than this
FOREIGN_SHOWN = 5  # names listed in the warning about files newsgen did not write


# The archive of this process's last build and its digests, which the next build takes up when it
# updates that archive (see `pages.Digests`); and its plan (see `_Planned`).
_DIGESTS: tuple[Archive, Digests, EntryKeys] | None = None


@dataclass
class _Planned:
    """The pages and feeds planned from `archive` with these settings, and the feeds' hashes:
    after an update in place, the next build takes them up (see `pages.replan_articles`, `_feeds`)."""

    archive: Archive
    settings: tuple[SiteConfig, bool, str]  # config, search, common salt
    pages: list[Page]
    feeds: list[Feed]
    feed_hashes: list[str]


_PLANNED: _Planned | None = None

# The files of the tree this process's last build swapped out to the spare copy, as it walked
# them, by the copy's folder stats right after the swap (see `_spare_listing`).
_SpareSeen = tuple[tuple[int, int, int, int], set[str], dict[str, str]]
_SPARE_SEEN: _SpareSeen | None = None


class BuildError(RuntimeError):
    """The site could not be built; the previous output is left as it was."""


@dataclass
class Manifest:
    """What the last build wrote: each file's input hash, the pages Pagefind indexed, whether
    there is a search bundle, and the files found in the output that newsgen did not write."""

    files: dict[str, str] = field(default_factory=dict)
    indexed: set[str] = field(default_factory=set)
    search: bool = False
    kept: set[str] = field(default_factory=set)
    archive: str = ""  # hash of the records the data export was made from
    generated: list[str] = field(default_factory=list)  # its paths
    bundle: str = ""  # what the search bundle was made from (the indexed pages' hashes)

    def dumps(self) -> bytes:
        data = {"schema": MANIFEST_SCHEMA, "search": self.search, "archive": self.archive,
                "generated": self.generated, "bundle": self.bundle, "files": dict(sorted(self.files.items())),
                "indexed": sorted(self.indexed), "kept": sorted(self.kept)}
        return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")

    def index_key(self) -> str:
        """What a search bundle of this build must be made from: the indexed pages' hashes."""
        return hashlib.sha1("".join(f"{p}\0{self.files.get(p, '')}\n" for p in sorted(self.indexed)).encode()).hexdigest()

    @property
    def search_stale(self) -> bool:
        """Whether the search bundle is older than the pages (`render_site(search_later=True)`)."""
        return self.search and self.bundle != self.index_key()

    @classmethod
    def read(cls, out_dir: Path) -> Manifest | None:
        return cls.parse(_read_bytes(out_dir / MANIFEST))

    @classmethod
    def parse(cls, raw: bytes | None) -> Manifest | None:
        """The manifest in `raw` (a manifest file's bytes), None when there is none or it is unusable.

        A build reads the manifests of build/ and of the spare copy, which a server's last two
        builds wrote (2.5 MB of JSON each at 10,000 articles): those are taken from `_KNOWN`.
        """
        if raw is None:
            return None
        for data, known in _KNOWN:
            if data == raw:
                return known.copy()
        try:
            data = json.loads(raw.decode("utf-8"))
            if data.get("schema") != MANIFEST_SCHEMA:
                return None
            return cls({str(k): str(v) for k, v in data["files"].items()}, set(data["indexed"]),
                       bool(data["search"]), set(data["kept"]), str(data["archive"]),
                       [str(p) for p in data["generated"]], str(data["bundle"]))
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def copy(self) -> Manifest:
        return Manifest(dict(self.files), set(self.indexed), self.search, set(self.kept), self.archive,
                        list(self.generated), self.bundle)

    def written(self) -> bytes:
        """`dumps()`, remembered as the bytes of this manifest for `parse` (the one to write)."""
        data = self.dumps()
        _KNOWN.append((data, self.copy()))
        del _KNOWN[:-KNOWN_MANIFESTS]
        return data


# The manifests this process wrote last, with their bytes (see `Manifest.parse`).
_KNOWN: list[tuple[bytes, Manifest]] = []
KNOWN_MANIFESTS = 3  # build/'s, the spare copy's, and one a build wrote before it failed


@dataclass
class SiteBuild:
    """What a build did (for the report and the tests)."""

    warnings: list[str] = field(default_factory=list)
    pages: int = 0  # pages in the site
    rendered: list[str] = field(default_factory=list)  # pages rendered by this build
    written: list[str] = field(default_factory=list)  # other files (feeds, data...) rewritten
    removed: list[str] = field(default_factory=list)  # outputs no plan produces any more
    kept: list[str] = field(default_factory=list)  # files newsgen did not write, carried over
    indexed: bool = False  # Pagefind ran
    search_pending: bool = False  # the search bundle is the previous one: see `search_later`
    swapped: bool = False  # a new tree replaced the output


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
    return render_site(articles, out_dir, config=config, templates_dir=templates_dir, search=search).warnings


def render_site(
    articles: list[Article],
    out_dir: Path,
    *,
    config: SiteConfig,
    templates_dir: Path | None = None,
    search: bool = True,
    progress: Reporter = QUIET,
    full: bool = False,
    jobs: int = 1,
    spare: Path | None = None,
    data_memo: Path | None = None,
    search_later: bool = False,
) -> SiteBuild:
    """`build_site`, rendering only the pages whose inputs changed (all of them when `full`).

    `spare` (on the output's filesystem) keeps the previous build after the swap instead of
    deleting it; the next build updates that copy in place of making a new tree (see the module
    docstring). `data_memo` keeps the data export's article lines for the next build
    (`data.plan_data`). `search_later` carries the previous search bundle over instead of
    re-indexing (the manifest says it is stale, see `stale_search`), for a server that shows
    an edit's pages first and brings the search up to date after; without a bundle to carry
    over, it indexes now.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildError(f"{out_dir} exists and is not a folder")
    global _DIGESTS, _PLANNED, _SPARE_SEEN
    spare_seen, _SPARE_SEEN = _SPARE_SEEN, None
    last, _DIGESTS = _DIGESTS, None  # until this build's are made: see below
    planned, _PLANNED = _PLANNED, None  # (likewise)
    archive, updated = update_archive(articles)
    # Digested at once: the archive may have just been updated in place, and the next build
    # must not take up digests made before that update.
    carried = last if last is not None and last[0] is archive else None
    edited = [item for item, _ in updated or ()]
    digests = Digests(carried[1] if carried else None, updated)
    keys = EntryKeys(digests, carried[2] if carried else None, archive, edited)
    _DIGESTS = (archive, digests, keys)
    old = Manifest.read(out_dir) or Manifest()
    pagefind = find_pagefind() if search else None
    common = common_salt(config, pagefind is not None)
    new = Manifest(search=pagefind is not None, archive=archive_hash(archive, digests, common))
    new.generated = data_paths()
    data_kept = (new.archive == old.archive and not full and old.generated == new.generated
                 and all(p in old.files for p in old.generated))
    # The data export is the slowest file to make and depends on nothing planned or rendered
    # here: unless the records are the same as last time (then it is kept), a forked process
    # makes it meanwhile, with the record digests just computed, in a folder of its own, from
    # which its files are moved into the new tree (a second of a first build at 10,000
    # articles). Its files are listed in the manifest by the archive hash (same records, same
    # export), so nothing waits for their bytes.
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with (scratch_folder(out_dir, "data-") as data_dir,
          Background(write_data, (archive, data_dir, data_memo, digests, keys), 1 if data_kept else jobs) as export):
        result = SiteBuild(warnings=list(archive.warnings))
        if search and pagefind is None:
            result.warnings.append(MISSING)
        settings = (config, pagefind is not None, common)
        if updated is None or planned is None or planned.archive is not archive or planned.settings != settings:
            planned = None  # not the archive (as it was before this update), or not the settings
        if planned is not None:
            pages = replan_articles(planned.pages, edited, config)
        else:
            pages = plan_site(archive, config, search=pagefind is not None)
        sitemap, sitemap_warnings = plan_sitemap(pages, config)
        result.warnings += sitemap_warnings
        result.pages = len(pages)
        env = make_environment(templates_dir)
        templates = template_salts(env, {p.template for p in pages})
        hashes = page_hashes(pages, templates.salts, common, digests, templates.listing)
        known = {} if full else old.files  # full: as if nothing were built yet
        feeds, hashes_of_feeds = _feeds(archive, config, digests, common, planned, edited)
        hashes += hashes_of_feeds
        _PLANNED = _Planned(archive, settings, pages, feeds, hashes_of_feeds)
        files = [*sitemap, *static_files(templates_dir)]
        outputs: list[Page | Feed] = [*pages, *feeds]
        _check_paths([*(o.path for o in outputs), *(f.path for f in files), *new.generated])
        new.files.update((p.path, h) for p, h in zip(outputs, hashes))
        new.files.update((f.path, hashlib.sha1(f.data).hexdigest()) for f in files)
        new.files.update((p, old.files[p] if data_kept else hashlib.sha1(f"{new.archive}\0{p}".encode()).hexdigest())
                         for p in new.generated)
        existing, links = walk(out_dir) if out_dir.is_dir() else (set(), {})
        on_disk = existing | set(links)
        todo = [p for p, h in zip(outputs, hashes) if known.get(p.path) != h or p.path not in on_disk]
        changed = [f for f in files if known.get(f.path) != new.files[f.path] or f.path not in on_disk]
        data_todo = not data_kept or any(p not in on_disk for p in new.generated)
        result.removed = sorted(p for p in old.files.keys() - new.files.keys() if p in on_disk)

        foreign = sorted(p for p in on_disk - old.files.keys() - {MANIFEST}
                         if not p.startswith(BUNDLE_FOLDER + "/"))
        replaced = [p for p in foreign if p in new.files]
        if replaced:
            result.warnings.append(f"{out_dir}: {_names(replaced)} not written by newsgen, replaced by the "
                                   "generated file(s) of the same name")
        result.kept = [p for p in foreign if p not in new.files]
        new.kept = set(result.kept)
        unseen = [p for p in result.kept if p not in old.kept]
        if unseen:
            result.warnings.append(f"{out_dir}: kept {_names(unseen)} that newsgen did not write (shown once; "
                                   "delete them if they are not yours)")
        bundle = any(p.startswith(BUNDLE_FOLDER + "/") for p in existing)
        maybe_index = new.search and (not old.search or not bundle or full or old.search_stale
                                      or any(p in old.indexed for p in result.removed))
        dropped_bundle = bundle and not new.search
        if not (todo or changed or data_todo or result.removed or maybe_index or dropped_bundle or full):
            new.indexed, new.bundle = old.indexed, old.bundle
            if new.dumps() != _read_bytes(out_dir / MANIFEST):  # only the list of kept files changed
                write_bytes_atomic(out_dir / MANIFEST, new.written())
            return result

        tmp = work_folder(out_dir, "tmp-")
        try:
            rendered = {p.path for p in todo if isinstance(p, Page)}
            written = ({f.path for f in changed} | {p.path for p in todo if isinstance(p, Feed)}
                       | (set(new.generated) if data_todo else set()))
            use_spare = spare is not None and not full and bool(old.files)
            seen = _spare_listing(spare, spare_seen) if use_spare else None
            base = _spare_manifest(spare, tmp) if use_spare else None
            tree = _Folders(tmp)
            if base is not None:  # the build before last: bring it up to date
                keep = _update_spare(tmp, base, old, new, rendered | written, set(result.kept) | set(links), seen)
            else:
                keep = set()
            new.indexed = {p for p in old.indexed if p in new.files and p not in rendered}
            new.indexed |= _render_pages(env, todo, config, pagefind is not None, tmp, progress, jobs)
            result.rendered = sorted(rendered)
            reindex = new.search and (maybe_index or bool(new.indexed & rendered)
                                      or any(p in old.indexed for p in rendered))
            if data_todo:  # (kept but missing from build/: made here)
                keys.fill(archive, until=export.done)  # while waiting anyway: the next build's head start
                for path in export.result():
                    tree.adopt(data_dir / path, path)
            for file in changed:
                tree.write(file.path, file.data)
            result.written = sorted(written)
            fresh = rendered | written | set(result.removed) | {MANIFEST}
            for path in sorted(existing):
                if path in fresh or path in keep or path.startswith(BUNDLE_FOLDER + "/"):
                    continue
                tree.link(out_dir / path, path)
            for path, target in links.items():
                if path not in fresh and path not in keep:
                    tree.symlink(target, path)
            new.bundle = old.bundle
            later = search_later and bundle and old.search
            if reindex and pagefind is not None and not later:
                shutil.rmtree(tmp / BUNDLE_FOLDER, ignore_errors=True)
                try:
                    index_site(pagefind, tmp, new.indexed)
                except SearchIndexError as err:
                    raise BuildError(str(err)) from err
                result.indexed = True
                new.bundle = new.index_key()
            elif not new.search:
                shutil.rmtree(tmp / BUNDLE_FOLDER, ignore_errors=True)
                new.bundle = ""
            elif base is None or base.bundle != old.bundle or not (tmp / BUNDLE_FOLDER).is_dir():
                shutil.rmtree(tmp / BUNDLE_FOLDER, ignore_errors=True)
                for path in sorted(existing):
                    if path.startswith(BUNDLE_FOLDER + "/"):
                        tree.link(out_dir / path, path)
            result.search_pending = new.search_stale
            tree.write(MANIFEST, new.written())
            _make_public(tmp)
            _swap(tmp, out_dir, spare)
            _SPARE_SEEN = _spare_seen(spare, existing, links)
            result.swapped = True
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return result


def _feeds(archive: Archive, config: SiteConfig, digests: Digests, common: str, last: _Planned | None,
           edited: list[ArticleItem]) -> tuple[list[Feed], list[str]]:
    """`plan_feeds` and their hashes; or, given the `last` plan made of this archive with these
    settings before the `edited` items were updated in place, its feeds, hashed again only where
    they list an edited article. A feed holds its articles' items, which such an update keeps,
    and their dates, which it leaves as they were."""
    if last is None:
        feeds = plan_feeds(archive, config)
        return feeds, feed_hashes(feeds, digests, common)
    changed = set(map(id, edited))
    hashes = list(last.feed_hashes)
    for i, feed in enumerate(last.feeds):
        if any(id(item) in changed for item in feed.items):
            hashes[i] = feed_hashes([feed], digests, common)[0]
    return last.feeds, hashes


def stale_search(out_dir: Path) -> tuple[bytes, set[str]] | None:
    """When `out_dir`'s search bundle is older than its pages: its manifest's bytes (to tell
    whether a build replaced it meanwhile) and the pages to index. None when it is up to date."""
    data = _read_bytes(Path(out_dir) / MANIFEST)
    manifest = Manifest.parse(data)
    if data is None or manifest is None or not manifest.search_stale:
        return None
    return data, manifest.indexed


def install_bundle(out_dir: Path, made_from: bytes, bundle: Path, spare: Path | None = None) -> bool:
    """Put `bundle`, indexed from `out_dir` while its manifest was `made_from`, in place of its
    stale one, and record it in the manifest. False, changing nothing, when a build has replaced
    `out_dir` since.

    The manifest is written last: interrupted before, it still calls the bundle stale, and the
    next build indexes again. The `spare` copy gets the bundle too (hard links), so the next
    build, which starts from it, does not link the bundle's 10,000 files itself.
    """
    out_dir = Path(out_dir)
    data = _read_bytes(out_dir / MANIFEST)
    manifest = Manifest.parse(data)
    if manifest is None or data != made_from:
        return False
    manifest.bundle = manifest.index_key()
    live = out_dir / BUNDLE_FOLDER
    old = work_folder(out_dir, "search-old-")
    try:
        if live.is_dir():
            live.rename(old / BUNDLE_FOLDER)
        bundle.rename(live)
        write_bytes_atomic(out_dir / MANIFEST, manifest.dumps())
    finally:
        shutil.rmtree(old, ignore_errors=True)
    base = Manifest.read(spare) if spare is not None and spare.is_dir() else None
    if spare is not None and base is not None:
        try:
            (spare / MANIFEST).unlink()  # a copy left half-updated is never trusted
            shutil.rmtree(spare / BUNDLE_FOLDER, ignore_errors=True)
            tree = _Folders(spare)
            for path in walk(live)[0]:
                tree.link(live / path, f"{BUNDLE_FOLDER}/{path}")
            base.bundle = manifest.bundle
            write_bytes_atomic(spare / MANIFEST, base.dumps())
        except OSError:
            pass  # only a head start for the next build, which then assembles its tree without it
    return True


def _spare_manifest(spare: Path, tmp: Path) -> Manifest | None:
    """Move the spare copy (the build before last) to `tmp` and return its manifest, or None
    when there is no usable one. Its manifest is removed first: a build interrupted while
    updating it leaves a copy the next build will not trust."""
    base = Manifest.read(spare) if spare.is_dir() else None
    if base is None:
        shutil.rmtree(spare, ignore_errors=True)
        return None
    tmp.rmdir()
    spare.rename(tmp)
    (tmp / MANIFEST).unlink()
    return base


def _update_spare(tree: Path, base: Manifest, old: Manifest, new: Manifest, rewritten: set[str],
                  foreign: set[str], seen: tuple[set[str], dict[str, str]] | None = None) -> set[str]:
    """Delete from the spare copy (moved to `tree`) every file that is not already right for
    the new build; return the files it keeps (the rest is rendered, written or linked from the
    live build).

    The copy is walked rather than trusted to match its manifest: files added to build/ by hand
    after that build went into it too. One no build has known (in neither manifest, neither
    the new build's nor found in build/ now) was added to build/ after the last build walked
    it, while that build rendered: it stays, to be found in build/ and kept from then on,
    unless the new build needs its name or its place as a folder. `seen`: the copy's files as
    this process last walked them, when known unchanged since (see `_spare_listing`).
    """
    files, links = seen or walk(tree)
    files.discard(MANIFEST)  # (removed by `_spare_manifest`, still in `seen`)
    bundle = BUNDLE_FOLDER + "/"  # the search bundle is kept or replaced as a whole
    old_hash, new_hash = base.files.get, new.files.get
    keep = {path for path in files.difference(rewritten, foreign)
            if old_hash(path, 0) == new_hash(path, 1) and not path.startswith(bundle)}
    listed = files.union(links)
    unknown = listed.difference(keep, base.files, base.kept, old.files, old.kept, new.files, foreign)
    if unknown:
        needed = {folder for path in new.files for folder in _folders_of(path)}
        keep |= {path for path in unknown if path not in needed and not path.startswith(bundle)}
    emptied = set()
    for path in listed.difference(keep):
        if path.startswith(bundle):
            continue
        target = os.path.join(tree, path)
        try:
            os.unlink(target)
        except FileNotFoundError:  # `seen` lists files as they were when build/ was walked
            pass
        if path not in new.files:  # a file of the new build refills its folder
            emptied.add(os.path.dirname(target))
    for folder in sorted(emptied, key=len, reverse=True):  # deepest first
        _prune(folder, str(tree))
    return keep


def _folder_stamp(folder: Path | None) -> tuple[int, int, int, int] | None:
    """The folder's device, inode, modification and change times; None when it is not there."""
    if folder is None:
        return None
    try:
        st = os.stat(folder)
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_mtime_ns, st.st_ctime_ns


def _spare_seen(spare: Path | None, files: set[str], links: dict[str, str]) -> _SpareSeen | None:
    """What `_spare_listing` needs to know the spare copy later: its folder's stamp right after
    the swap, and its files as this build walked them in build/ before rendering."""
    stamp = _folder_stamp(spare)
    return (stamp, files, links) if stamp is not None else None


def _spare_listing(spare: Path, seen: _SpareSeen | None) -> tuple[set[str], dict[str, str]] | None:
    """The spare copy's files without walking it (17,500 folders at 10,000 articles, a fifth of
    a server's rebuild after an edit): those of build/ as the last build of this process walked
    it, when that tree is the spare copy still, as it was right after the swap. Its folder's
    inode and times say so: any other build that took it, renamed it or removed it, and any
    file added at its top, changes them. The copy lives in the project's cache, which nothing
    but newsgen writes to; what was added to build/ after the walk, before the swap, is not
    listed, which `_update_spare` treats as it treats a file it does not know: left in place.
    """
    if seen is None or _folder_stamp(spare) != seen[0]:
        return None
    return set(seen[1]), dict(seen[2])


def _folders_of(path: str) -> Iterator[str]:
    """"a/b" and "a" for "a/b/c.html"."""
    while "/" in path:
        path = path.rpartition("/")[0]
        yield path


def _prune(folder: str, root: str) -> None:
    """Remove `folder` and its parents up to `root` while they are empty."""
    while folder != root and folder.startswith(root):
        try:
            os.rmdir(folder)
        except OSError:
            return
        folder = os.path.dirname(folder)


# ---------------------------------------------------------------------------------------------
# Inputs


def static_files(templates_dir: Path | None) -> list[File]:
    """The theme's assets, overridden file by file by the project's `templates/static/`."""
    found: dict[str, bytes] = {}
    _read_traversable(resources.files(THEME_PACKAGE) / "theme" / STATIC_FOLDER, STATIC_FOLDER, found)
    user = Path(templates_dir) / STATIC_FOLDER if templates_dir is not None else None
    if user is not None and user.is_dir():
        for path in sorted(user.rglob("*")):
            if path.is_file():
                found[f"{STATIC_FOLDER}/{path.relative_to(user).as_posix()}"] = path.read_bytes()
    return [File(path, data) for path, data in sorted(found.items())]


def _read_traversable(source: Traversable, prefix: str, found: dict[str, bytes]) -> None:
    """Read a package data folder (works for installed wheels and zips, not just checkouts)."""
    for child in source.iterdir():
        if child.is_dir():
            _read_traversable(child, f"{prefix}/{child.name}", found)
        elif not child.name.startswith("."):
            found[f"{prefix}/{child.name}"] = child.read_bytes()


@dataclass
class Templates:
    """What the pages' hashes need to know of the templates (see `template_salts`)."""

    salts: dict[str, str]  # by page template: a hash of its source and of every template it uses
    # Page templates made of the theme's files only. The theme shows no article's text but on
    # the article's own page, which has its record whole in its context: their pages depend on
    # the articles they list as `pages.Digests` lists them. A user's template may show anything.
    listing: set[str]


def template_salts(env: Environment, names: Iterable[str]) -> Templates:
    """For each template, a hash of its source and of every template it extends, imports or
    includes (user overrides first, as the loader finds them), so editing `_macros.html`
    re-renders every page and editing `person.html` only the people; and whether all of
    those come from the theme."""
    sources: dict[str, str] = {}
    theirs: set[str] = set()  # found outside the theme
    refs: dict[str, list[str | None]] = {}
    theme = os.path.realpath(str(resources.files(THEME_PACKAGE) / THEME_TEMPLATES)) + os.sep

    def visit(name: str) -> None:
        if name in sources:
            return
        source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        sources[name] = source
        if not filename or not os.path.realpath(filename).startswith(theme):
            theirs.add(name)
        refs[name] = _references(env, source, name, filename)
        for ref in refs[name]:
            if ref is not None:
                visit(ref)

    result = Templates({}, set())
    for name in sorted(set(names)):
        visit(name)
        seen: list[str] = []
        stack = [name]
        dynamic = False
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.append(current)
            for ref in refs[current]:
                if ref is None:
                    dynamic = True  # {% include some_variable %}: depend on every template
                else:
                    stack.append(ref)
        if dynamic:
            seen = sorted(set(seen) | set(env.list_templates(extensions=["html"])))
            for extra in seen:
                if extra not in sources:
                    sources[extra] = env.loader.get_source(env, extra)[0]  # type: ignore[union-attr]
        h = hashlib.sha1()
        for part in sorted(seen):
            h.update(f"{part}\0{sources[part]}\0".encode())
        result.salts[name] = h.hexdigest()
        if not dynamic and not theirs.intersection(seen):
            result.listing.add(name)
    return result


def _references(env: Environment, source: str, name: str, filename: str | None) -> list[str | None]:
    """The templates `source` extends, imports or includes (None: a name known only when
    rendering), parsed once per source in a process: a server parsed every template anew at
    each rebuild."""
    key = (source, name, filename)
    found = _REFERENCES.get(key)
    if found is None:
        found = _REFERENCES[key] = list(meta.find_referenced_templates(env.parse(source, name, filename)))
    return found


_REFERENCES: dict[tuple[str, str, str | None], list[str | None]] = {}


def feed_hashes(feeds: list[Feed], digests: Digests, common: str) -> list[str]:
    """A hash of each feed's inputs: its articles as they are published (`Digests.item`), its
    title and links, and `common`; a new article re-renders only the feeds that list it."""
    out = []
    for feed in feeds:
        h = hashlib.sha1(f"{feed.inputs()!r}\0{common}".encode())
        for item in feed.items:
            h.update(digests.item(item))
        out.append(h.hexdigest())
    return out


def common_salt(config: SiteConfig, search: bool) -> str:
    """What every page depends on besides its own inputs: settings and the site code (filters,
    structured data...), so an upgrade of newsgen re-renders everything."""
    h = hashlib.sha1(repr((__version__, config, search)).encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------
# Writing


class _Folders:
    """Creates files in the new tree, making each folder once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: set[str] = set()

    def _parent(self, rel: str) -> str:
        target = os.path.join(self.root, rel)
        parent = os.path.dirname(target)
        if parent not in self.made:
            os.makedirs(parent, exist_ok=True)
            self.made.add(parent)
        return target

    def write(self, rel: str, data: bytes) -> None:
        """Create a new file: never write into an existing one, which may be the old build's."""
        target = self._parent(rel)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)

    def adopt(self, source: Path, rel: str) -> None:
        """Move a file made elsewhere on this filesystem into the tree."""
        os.rename(source, self._parent(rel))

    def link(self, source: Path, rel: str) -> None:
        target = self._parent(rel)
        try:
            os.link(source, target, follow_symlinks=False)
        except OSError:
            if not os.path.lexists(source):
                return  # removed from build/ since it was walked: nothing to carry over
            shutil.copy2(source, target)

    def symlink(self, pointing_to: str, rel: str) -> None:
        os.symlink(pointing_to, self._parent(rel))


# Set in the parent just before forking render workers, which inherit it.
_WORK: tuple[Environment, list[Page | Feed], SiteConfig, bool, _Folders, dict[Any, Any]] | None = None


def _render(env: Environment, output: Page | Feed, config: SiteConfig, search: bool,
            feed_entries: dict[Any, Any] | None = None) -> bytes:
    """One output's bytes; `feed_entries` shares article entries between the feeds of one build."""
    if isinstance(output, Feed):
        return render_feed(output, config, feed_entries)
    return render_page(env, _complete(output), config, search=search).encode("utf-8")


def _render_chunk(indices: list[int]) -> tuple[list[str], list[int]]:
    """Render outputs by index into the new tree: (indexed page paths, indices that failed)."""
    assert _WORK is not None
    env, outputs, config, search, folders, feed_entries = _WORK
    indexed, failed = [], []
    for i in indices:
        output = outputs[i]
        try:
            data = _render(env, output, config, search, feed_entries)
        except Exception:
            failed.append(i)  # rendered again in the parent, which raises with the real traceback
            continue
        folders.write(output.path, data)
        if isinstance(output, Page) and INDEXED_MARK in data:
            indexed.append(output.path)
    return indexed, failed


def _render_pages(env: Environment, pages: list[Page | Feed], config: SiteConfig, search: bool, root: Path,
                  progress: Reporter, jobs: int) -> set[str]:
    """Render `pages` and feeds into `root`; return the pages Pagefind will index.

    Many pages go to `jobs` forked processes at once. A few are rendered here until they prove
    slow (an index of every claim of a big source takes 0.1 s at 10,000 articles), and then the
    rest go to the workers: forking costs tens of milliseconds, wasted on a few small pages.
    """
    global _WORK
    task = progress.task("rendering pages", len(pages))
    indexed: set[str] = set()
    failed: list[int] = []
    _WORK = (env, pages, config, search, _Folders(root), {})
    try:
        parallel = jobs > 1 and hasattr(os, "fork")
        start, i = time.perf_counter(), 0
        if not parallel or len(pages) < PARALLEL_RENDER:
            while i < len(pages) and not failed:
                done, failed = _render_chunk([i])
                indexed.update(done)
                task.advance()
                i += 1
                if parallel and len(pages) - i > 1 and time.perf_counter() - start > SERIAL_RENDER_SECONDS:
                    break
        if i < len(pages) and not failed:
            import multiprocessing as mp

            rest = len(pages) - i
            size = max(1, min(200, rest // (jobs * 8)))
            chunks = [list(range(k, min(k + size, len(pages)))) for k in range(i, len(pages), size)]
            with mp.get_context("fork").Pool(min(jobs, len(chunks))) as pool:
                for (done, bad), chunk in zip(pool.imap(_render_chunk, chunks), chunks):
                    indexed.update(done)
                    failed += bad
                    task.advance(len(chunk))
                    if bad:
                        break
    finally:
        _WORK = None
    if failed:
        _render(env, pages[failed[0]], config, search)  # raises the template's error
        raise BuildError(f"{pages[failed[0]].path}: rendering failed in a worker process")
    task.finish()
    return indexed


def _complete(page: Page) -> Page:
    """The page with the context its plan left for render time (`Page.later`)."""
    return replace(page, context=page.full_context()) if page.later is not None else page


def _names(paths: list[str]) -> str:
    shown = ", ".join(paths[:FOREIGN_SHOWN])
    more = f" and {len(paths) - FOREIGN_SHOWN} more" if len(paths) > FOREIGN_SHOWN else ""
    return f"{len(paths)} file(s) ({shown}{more})"


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _check_paths(paths: list[str]) -> None:
    """Refuse plans that would write outside the output folder or write one file twice (each
    file spelled one way: no empty, `.` or `..` segment, which also refuses absolute paths).
    Paths found right by an earlier build of this process are not checked again."""
    unique = set(paths)
    if len(unique) != len(paths):
        seen: set[str] = set()
        for path in paths:
            if path in seen:
                raise BuildError(f"two pages would be written to {path!r}")
            seen.add(path)
    for path in sorted(unique - _CHECKED):
        segments = path.split("/")
        if "\\" in path or "" in segments or "." in segments or ".." in segments:
            raise BuildError(f"unsafe page path {path!r}")
        if path == MANIFEST or path.startswith(BUNDLE_FOLDER + "/"):
            raise BuildError(f"page path {path!r} is reserved")
    if len(_CHECKED) > 2 * len(unique) + 1000:  # paths of other sites, or gone: start again
        _CHECKED.clear()
    _CHECKED.update(unique)


_CHECKED: set[str] = set()


def _make_public(root: Path) -> None:
    """mkdtemp makes a 0700 folder; give the build the usual permissions (umask applies)."""
    root.chmod(0o777 & ~UMASK)


def _swap(new: Path, out_dir: Path, spare: Path | None = None) -> None:
    """Put `new` in place of `out_dir`: rename the old aside, rename the new in, then keep the
    old as `spare` (or delete it).

    The two renames are on one filesystem (same parent folder); if the second fails the old
    build is renamed back.
    """
    if not out_dir.exists():
        new.rename(out_dir)
        return
    old = work_folder(out_dir, "old-")
    old.rmdir()
    out_dir.rename(old)
    try:
        new.rename(out_dir)
    except BaseException:
        old.rename(out_dir)
        raise
    if spare is not None:
        try:
            shutil.rmtree(spare, ignore_errors=True)
            spare.parent.mkdir(parents=True, exist_ok=True)
            old.rename(spare)
            return
        except OSError:
            pass
    shutil.rmtree(old, ignore_errors=True)
