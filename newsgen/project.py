"""A newsgen project folder and its build: seeds/ -> articles/ -> build/.

Fail per file, not per archive: every problem becomes a message naming the file, and the rest of
the archive goes on building.
"""
from __future__ import annotations

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
    """Give every person and source its archive-wide identity; record new names in the registries."""
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
    return resolved


def build_project(root: Path, out: Path | None = None) -> BuildReport:
    from newsgen.config import load_config
    from newsgen.site.build import build_site

    report = BuildReport()
    store = Store(root / "articles")
    raws, problems = read_seeds(seed_files(root / "seeds"))
    report.errors += problems
    for raw in raws:
        report.warnings += raw.warnings
        raw.warnings = []
    if raws:
        from newsgen.extract.pipeline import extract_all

        taken = store.slugs_by_source()
        for raw in raws:  # store paths relative to the project, so the archive can move
            try:
                raw.path = raw.path.relative_to(root)
            except ValueError:
                pass
        for article in extract_all(raws):
            article.slug = store.choose_slug(article, taken)
            taken[article.source_file or article.slug] = article.slug
            report.warnings += article.warnings
            store.save(article)
            report.extracted += 1
    articles: list[Article] = []
    for path in store.paths():
        try:
            articles.append(store.load(path))
        except StoreError as err:
            report.errors.append(str(err))
    articles = _resolve(root, articles, report)
    report.articles = len(articles)
    config = load_config(root / "newsgen.yaml")
    report.warnings += build_site(articles, out or root / "build", config=config, templates_dir=root / "templates")
    return report
