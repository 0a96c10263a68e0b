"""Incremental builds: a rebuild does only what its changes require, and stays atomic.

Most projects here hold hand-written records (no seeds), so no test needs spaCy except the one
that checks a no-change rebuild does not import it.
"""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsgen.cache import MANIFEST, RecordCache, spare_path
from newsgen.progress import Progress, reporter
from newsgen.project import build_project
from newsgen.records import Article, Claim, DateMention, Event, Paragraph, Person, Source, Span
from newsgen.site.build import install_bundle, stale_search
from newsgen.site.serve import SearchCatchUp, Watcher
from newsgen.store import dumps

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def no_search(monkeypatch):
    monkeypatch.setenv("NEWSGEN_PAGEFIND", "")  # empty: search off, unless a test sets a binary


def record(slug: str, title: str, people: list[str], published: str, text: str = "") -> Article:
    text = text or f"{title}. " + " ".join(f"{name} s'est exprimé." for name in people)
    return Article(slug=slug, title=title, published=published,
                   people=[Person(name.lower().replace(" ", "-"), name) for name in people],
                   body=[Paragraph(text, 0, len(text))])


def write(root: Path, article: Article) -> None:
    (root / "articles").mkdir(parents=True, exist_ok=True)
    (root / "articles" / f"{article.slug}.md").write_text(dumps(article), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    write(root, record("alpha", "Alpha", ["Anne Martin"], "2024-01-01"))
    write(root, record("beta", "Beta", ["Anne Martin", "Paul Durand"], "2024-01-02"))
    write(root, record("gamma", "Gamma", ["Marc Petit"], "2024-01-03"))
    report = build_project(root)
    assert not report.errors, report.errors
    return root


def test_a_first_build_writes_the_same_registries_and_cache_on_one_core_or_two(tmp_path: Path) -> None:
    """With two jobs, a first build writes its caches and registries from a forked process."""
    built = {}
    for jobs in (1, 2):
        root = tmp_path / f"jobs{jobs}"
        for i in range(40):
            article = record(f"a{i:02d}", f"Visite {i}", ["Anne Martin", f"Paul Durand{i % 3}"], f"2024-01-{i + 1:02d}"
                             if i < 28 else f"2024-02-{i - 27:02d}")
            article.sources = [Source(f"agence-{i % 4}", f"Agence {i % 4}")]
            article.events = [Event("", f"Visite de Paul Durand{i % 3}", "visit", article.published,
                                    f"Ville {i % 7}", ["Paul Durand"], main=True)]
            write(root, article)
        assert not build_project(root, jobs=jobs).errors
        cache = RecordCache.open(root / ".newsgen-cache")
        built[jobs] = (contents(root / "registry"), {k: v[1] for k, v in cache.entries.items()})
    assert sorted(built[2][0]) == ["events.yaml", "people.yaml", "sources.yaml"]
    assert built[1] == built[2] and len(built[2][1]) == 40


def test_the_data_export_follows_the_records_and_comes_back_when_deleted(project: Path) -> None:
    data = lambda: contents(project / "build" / "data")  # noqa: E731
    before = data()
    write(project, record("alpha", "Alpha révisé", ["Anne Martin"], "2024-01-01"))
    assert not build_project(project).errors
    after = data()
    assert "Alpha révisé" in after["articles.json"].decode() and after != before
    # Same records, a template edited: the export is kept; one deleted by hand is made again.
    (project / "build" / "data" / "people.json").unlink()
    theme = Path(__file__).parent.parent / "newsgen" / "site" / "theme" / "templates" / "404.html"
    (project / "templates").mkdir()
    (project / "templates" / "404.html").write_text(theme.read_text(encoding="utf-8") + "{# edited #}\n",
                                                    encoding="utf-8")
    report = build_project(project)
    assert not report.errors and data() == after


def tree(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every file under root: (inode, mtime_ns, size); a rewritten file gets a new inode."""
    out = {}
    for path in root.rglob("*"):
        if path.is_file():
            info = path.stat()
            out[path.relative_to(root).as_posix()] = (info.st_ino, info.st_mtime_ns, info.st_size)
    return out


def contents(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def folders(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir()}


def rewritten(before: dict, after: dict) -> set[str]:
    return {k for k in after if before.get(k) != after[k]}


def page(name: str) -> str:
    return f"{name}/index.html"


# ---------------------------------------------------------------------------------------------


def test_no_change_rebuild_writes_nothing(project: Path) -> None:
    before = tree(project)
    time.sleep(0.01)
    report = build_project(project)
    assert tree(project) == before  # not build/, not articles/, not registry/, not the cache
    assert report.articles == 3 and report.pages > 0 and not report.errors


def test_no_change_rebuild_imports_neither_spacy_nor_jinja(tmp_path: Path) -> None:
    """With a seed extracted once, a rebuild with no change must not load the extraction or
    rendering stack (the fast path reads stats and replays the last report)."""
    root = tmp_path / "proj"
    (root / "seeds").mkdir(parents=True)
    for name in ("000_b0d509a69cf94379.txt", "000_b0d509a69cf94379.yaml"):
        shutil.copy(FIXTURES / name, root / "seeds" / name)
    first = build_project(root)
    assert first.extracted == 1 and not first.errors
    code = ("import sys\nfrom pathlib import Path\nfrom newsgen.project import build_project\n"
            f"r = build_project(Path({str(root)!r}))\n"
            "print(r.extracted, r.articles, r.pages)\n"
            "print(sorted(m for m in ('spacy', 'jinja2', 'markdown') if m in sys.modules))\n")
    before = tree(root)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "NEWSGEN_PAGEFIND": ""})
    counts, modules = done.stdout.splitlines()
    assert counts == f"0 1 {first.pages}"
    assert modules == "[]"
    assert tree(root) == before


def test_a_seed_extracted_in_a_forked_process_while_the_build_warms_up_gives_the_same_files(project: Path) -> None:
    """In a fresh process, a few changed seeds are extracted by a forked process that loads the
    model while the build resolves the archive as it was (project._warm_up). The files must be
    those of an extraction in the build's own process (one job), after a first extraction and
    after an edit of the seed."""
    (project / "seeds").mkdir()
    for name in ("000_b0d509a69cf94379.txt", "000_b0d509a69cf94379.yaml"):
        shutil.copy(FIXTURES / name, project / "seeds" / name)
    other = project.parent / "other"
    shutil.copytree(project, other)
    for edit in range(2):
        for root, jobs in ((project, "1"), (other, "2")):
            subprocess.run([sys.executable, "-m", "newsgen.cli", "build", "--root", str(root), "--quiet",
                            "--jobs", jobs], check=True, capture_output=True, env={**os.environ, "NEWSGEN_PAGEFIND": ""})
        for folder in ("articles", "registry", "build"):
            assert contents(project / folder) == contents(other / folder), (edit, folder)
        records = b"".join(contents(project / "articles").values()).decode()
        assert "seeds/000_b0d509a69cf94379.txt" in records and ("Valmont" in records) == (edit == 1)
        for root in (project, other):
            seed = root / "seeds" / "000_b0d509a69cf94379.txt"
            seed.write_text(seed.read_text(encoding="utf-8") + "\nLe ministre Jean Valmont a démenti.\n",
                            encoding="utf-8")


def test_editing_one_article_rewrites_its_pages_only(project: Path) -> None:
    build = project / "build"
    before = tree(build)
    write(project, record("alpha", "Alpha corrigé", ["Anne Martin"], "2024-01-01"))
    build_project(project)
    changed = rewritten(before, tree(build))
    assert page("articles/alpha") in changed
    assert page("people/anne-martin") in changed  # lists the article by its title
    assert "articles/index.html" in changed and "index.html" in changed
    assert page("articles/beta") not in changed  # shares a person, not shown: untouched
    assert page("articles/gamma") not in changed
    assert page("people/marc-petit") not in changed and page("people/paul-durand") not in changed
    assert "Alpha corrigé" in (build / page("articles/alpha")).read_text(encoding="utf-8")
    feeds = {p for p in changed if p.endswith("feed.xml")}
    assert feeds == {"feed.xml", "people/anne-martin/feed.xml"}  # the feeds listing the article
    assert "Alpha corrigé" in (build / "people/anne-martin/feed.xml").read_text(encoding="utf-8")


def test_an_edit_rewrites_its_year_of_the_timeline_only(project: Path) -> None:
    """The timeline's index shows counts: a title edit rewrites the year page listing the
    article, not the index nor the other years; a new article changes the counts."""
    build = project / "build"
    write(project, record("omega", "Omega", ["Paul Durand"], "2019-05-01"))
    build_project(project)
    before = tree(build)
    write(project, record("alpha", "Alpha corrigé", ["Anne Martin"], "2024-01-01"))
    build_project(project)
    changed = rewritten(before, tree(build))
    assert page("timeline/2024") in changed
    assert "Alpha corrigé" in (build / page("timeline/2024")).read_text(encoding="utf-8")
    assert page("timeline") not in changed and page("timeline/2019") not in changed
    before = tree(build)
    write(project, record("delta", "Delta", ["Marc Petit"], "2024-02-04"))
    build_project(project)
    changed = rewritten(before, tree(build))
    assert page("timeline") in changed and page("timeline/2024") in changed
    assert page("timeline/2019") not in changed


def test_a_new_article_about_someone_does_not_rewrite_their_other_articles(project: Path) -> None:
    build = project / "build"
    before = tree(build)
    write(project, record("delta", "Delta", ["Marc Petit"], "2024-01-04"))
    build_project(project)
    changed = rewritten(before, tree(build))
    assert {page("articles/delta"), page("people/marc-petit")} <= changed
    assert "people/index.html" in changed  # the index prints each person's number of articles
    assert page("articles/gamma") not in changed  # Marc Petit's other article


def test_deleting_an_article_removes_its_page(project: Path) -> None:
    (project / "articles" / "gamma.md").unlink()
    report = build_project(project)
    build = project / "build"
    assert not (build / page("articles/gamma")).exists()
    assert not (build / "people/marc-petit").exists()  # nobody mentions him any more
    manifest = json.loads((build / MANIFEST).read_text(encoding="utf-8"))
    assert page("articles/gamma") not in manifest["files"]
    assert report.articles == 2


def test_foreign_file_survives_with_one_warning(project: Path) -> None:
    build = project / "build"
    (build / "CNAME").write_text("archive.example.org\n", encoding="utf-8")
    (build / "verify").mkdir()
    (build / "verify" / "google123.html").write_text("ok", encoding="utf-8")
    write(project, record("alpha", "Alpha 2", ["Anne Martin"], "2024-01-01"))
    report = build_project(project)
    assert (build / "CNAME").read_text(encoding="utf-8") == "archive.example.org\n"
    assert (build / "verify" / "google123.html").read_text(encoding="utf-8") == "ok"
    warned = [w for w in report.warnings if "CNAME" in w]
    assert len(warned) == 1 and "verify/google123.html" in warned[0]
    write(project, record("alpha", "Alpha 3", ["Anne Martin"], "2024-01-01"))
    again = build_project(project)
    assert (build / "CNAME").is_file()
    assert not [w for w in again.warnings if "CNAME" in w]  # said once


def test_a_file_added_to_build_after_the_walk_is_not_lost(project: Path) -> None:
    """build/ is walked before the build renders: a file added after that is not seen, and goes
    with the old tree to the spare copy at the swap. The next build leaves it there, so it is
    back in build/ and kept from then on; but not where the new build needs the name."""
    build = project / "build"
    for n in (2, 3):  # two builds: the spare copy is the previous build's tree
        write(project, record("alpha", f"Alpha {n}", ["Anne Martin"], "2024-01-01"))
        assert not build_project(project).errors
    spare = spare_path(project, build)
    assert spare is not None and (spare / MANIFEST).is_file()
    (spare / "late.txt").write_text("mine", encoding="utf-8")  # as if added just after the walk
    (spare / "verify").mkdir()
    (spare / "verify" / "late.html").write_text("mine too", encoding="utf-8")
    (spare / "people" / "zoe-neuve").write_text("x", encoding="utf-8")  # where a folder is needed
    write(project, record("alpha", "Alpha 4", ["Anne Martin", "Zoé Neuve"], "2024-01-01"))
    report = build_project(project)
    assert not report.errors, report.errors
    assert (build / "late.txt").read_text(encoding="utf-8") == "mine"
    assert (build / "verify" / "late.html").read_text(encoding="utf-8") == "mine too"
    assert (build / "people" / "zoe-neuve" / "index.html").is_file()
    write(project, record("alpha", "Alpha 5", ["Anne Martin"], "2024-01-01"))
    again = build_project(project)
    assert (build / "late.txt").is_file()
    assert [w for w in again.warnings if "late.txt" in w]  # found in build/ now: said once


def test_the_spare_copy_is_walked_only_when_this_process_does_not_know_it(project: Path, monkeypatch) -> None:
    """The spare copy is the tree the last build walked as build/: a rebuild in the same process
    takes that walk, unless the copy's folder changed since the swap."""
    from newsgen.site import build as site_build

    walked = []
    real = site_build.walk
    monkeypatch.setattr(site_build, "walk", lambda root: walked.append(Path(root).name) or real(root))
    spare = spare_path(project, project / "build")
    for n in (2, 3, 4):
        write(project, record("alpha", f"Alpha {n}", ["Anne Martin"], "2024-01-01"))
        walked.clear()
        assert not build_project(project).errors
    assert walked == ["build"]  # and not the spare copy (moved into a work folder to be updated)
    # A page deleted deep inside the copy (its folder's times stay): nothing but newsgen writes
    # there, but if something does, the page is missing from one build at most.
    (spare / "articles" / "beta" / "index.html").unlink()
    write(project, record("alpha", "Alpha 5", ["Anne Martin"], "2024-01-01"))
    assert not build_project(project).errors
    (spare / "stray.txt").write_text("x", encoding="utf-8")  # at its top: the copy is walked
    write(project, record("alpha", "Alpha 6", ["Anne Martin"], "2024-01-01"))
    walked.clear()
    assert not build_project(project).errors
    assert len(walked) == 2 and (project / "build" / "stray.txt").is_file()
    assert "Beta" in (project / "build" / "articles" / "beta" / "index.html").read_text(encoding="utf-8")


def test_a_hand_added_file_deleted_from_build_stays_deleted(project: Path) -> None:
    """The file goes into the next tree; the tree it was added to becomes the spare copy,
    whose manifest does not list it: the live manifest's kept files say it was known."""
    build = project / "build"
    (build / "CNAME").write_text("archive.example.org\n", encoding="utf-8")
    write(project, record("alpha", "Alpha 2", ["Anne Martin"], "2024-01-01"))
    assert not build_project(project).errors
    assert (build / "CNAME").is_file()
    (build / "CNAME").unlink()
    for n in (3, 4, 5):
        write(project, record("alpha", f"Alpha {n}", ["Anne Martin"], "2024-01-01"))
        assert not build_project(project).errors
        assert not (build / "CNAME").exists()


def test_a_file_removed_from_build_after_the_walk_does_not_stop_the_build(project: Path, monkeypatch) -> None:
    from newsgen.site import build as site_build

    build = project / "build"
    (build / "CNAME").write_text("archive.example.org\n", encoding="utf-8")
    assert not build_project(project).errors
    real = site_build.walk

    def walk_then_remove(root):
        found = real(root)
        if Path(root) == build:
            (build / "CNAME").unlink()  # removed by hand once listed
        return found

    monkeypatch.setattr(site_build, "walk", walk_then_remove)
    write(project, record("alpha", "Alpha 2", ["Anne Martin"], "2024-01-01"))
    report = build_project(project)
    assert not report.errors, report.errors
    assert not (build / "CNAME").exists() and "Alpha 2" in (build / "articles" / "alpha" / "index.html").read_text()


@pytest.mark.parametrize("with_spare", [False, True])
def test_interrupted_build_leaves_previous_build_byte_identical(project: Path, monkeypatch, with_spare) -> None:
    import newsgen.site.build as site_build

    if with_spare:  # a second build keeps the first as the spare copy the third one updates
        write(project, record("delta", "Delta", ["Marc Petit"], "2024-01-04"))
        build_project(project)
        assert list((project / ".newsgen-cache").glob("spare-*"))
    build = project / "build"
    before = contents(build)
    before_stat = tree(build)
    real = site_build.render_page
    calls = {"n": 0}

    def exploding(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # like Ctrl-C in the middle of the render
        return real(*args, **kwargs)

    monkeypatch.setattr(site_build, "render_page", exploding)
    for name in ("alpha", "beta", "gamma"):
        write(project, record(name, name.title() + " modifié", ["Anne Martin"], "2024-02-01"))
    with pytest.raises(KeyboardInterrupt):
        build_project(project, jobs=1)
    assert contents(build) == before and tree(build) == before_stat
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".build")) == []
    monkeypatch.setattr(site_build, "render_page", real)
    report = build_project(project)  # and the next build catches up
    assert not report.errors
    assert "Alpha modifié" in (build / page("articles/alpha")).read_text(encoding="utf-8")


def test_unchanged_pages_are_hard_links_of_the_previous_build(project: Path) -> None:
    """The previous build is never written through: a page carried over keeps its inode, a
    rewritten one gets a new file."""
    build = project / "build"
    beta = (build / page("articles/beta")).stat()
    old_alpha = (build / page("articles/alpha")).stat()
    write(project, record("alpha", "Alpha bis", ["Anne Martin"], "2024-01-01"))
    build_project(project)
    assert (build / page("articles/beta")).stat().st_ino == beta.st_ino
    assert (build / page("articles/alpha")).stat().st_ino != old_alpha.st_ino


def test_incremental_builds_equal_a_full_build(project: Path, tmp_path: Path, monkeypatch) -> None:
    """After a series of edits, each built incrementally (through the spare copy from the
    second build on), build/ holds exactly what a build from scratch writes."""
    import newsgen.site.build as site_build

    updates = []
    real = site_build._update_spare
    monkeypatch.setattr(site_build, "_update_spare", lambda *a: updates.append(1) or real(*a))
    build = project / "build"
    (build / "CNAME").write_text("x\n", encoding="utf-8")
    steps = [
        lambda: write(project, record("alpha", "Alpha 2", ["Anne Martin"], "2024-01-01")),
        lambda: (project / "articles" / "beta.md").unlink(),
        lambda: write(project, record("delta", "Delta", ["Paul Durand", "Marc Petit"], "2024-01-05")),
        lambda: write(project, record("alpha", "Alpha 3", ["Marc Petit"], "2024-01-01")),
        lambda: (build / "CNAME").unlink(),
        lambda: write(project, record("beta", "Beta revient", ["Anne Martin"], "2024-01-02")),
    ]
    for step in steps:
        step()
        assert not build_project(project).errors
        fresh = tmp_path / "fresh"
        shutil.rmtree(fresh, ignore_errors=True)
        build_project(project, out=fresh, full=True)
        ours = {k: v for k, v in contents(build).items() if k not in (MANIFEST, "CNAME")}
        assert ours == {k: v for k, v in contents(fresh).items() if k != MANIFEST}
        assert folders(build) == folders(fresh)  # no empty folder left by a page that went
    assert not (build / "CNAME").exists()
    assert len(updates) >= 4  # the spare copy was updated, not rebuilt


def test_record_cache_returns_fresh_data_after_an_edit(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    write(root, record("alpha", "Alpha", ["Anne Martin"], "2024-01-01"))
    paths = sorted((root / "articles").glob("*.md"))
    cache = RecordCache.open(root / ".newsgen-cache")
    assert [a.title for _, a in cache.load_all(paths, [])] == ["Alpha"]
    cache.save()
    write(root, record("alpha", "Omega", ["Anne Martin"], "2024-01-01"))  # same size, new mtime
    reopened = RecordCache.open(root / ".newsgen-cache")
    assert [a.title for _, a in reopened.load_all(paths, [])] == ["Omega"]
    assert reopened.dirty


def test_record_cache_is_used(tmp_path: Path, monkeypatch) -> None:
    """A rebuild after one edit parses one file, not the archive."""
    import newsgen.cache as cache_module

    root = tmp_path / "proj"
    for i in range(5):
        write(root, record(f"a{i}", f"Article {i}", ["Anne Martin"], f"2024-01-0{i + 1}"))
    build_project(root)
    parsed: list[str] = []
    real = cache_module.parse
    monkeypatch.setattr(cache_module, "parse", lambda path: parsed.append(path.name) or real(path))
    write(root, record("a3", "Article 3 modifié", ["Anne Martin"], "2024-01-04"))
    build_project(root, jobs=1)
    assert parsed == ["a3.md"]


def test_stamps_come_from_the_snapshot_except_for_files_written_since(tmp_path: Path) -> None:
    from newsgen.cache import Stamps, snapshot, stamp

    root = tmp_path / "proj"
    for slug in ("b", "a", "c"):
        write(root, record(slug, slug.upper(), ["Anne Martin"], "2024-01-01"))
    (root / "articles" / ".hidden.md").write_text("x", encoding="utf-8")
    (root / "articles" / "notes.txt").write_text("x", encoding="utf-8")
    state = snapshot(root)
    articles = root / "articles"
    assert Stamps(root, state).files(articles, ".md") == [articles / "a.md", articles / "b.md", articles / "c.md"]
    time.sleep(0.01)
    write(root, record("a", "Autre titre, plus long", ["Anne Martin"], "2024-01-01"))  # after the snapshot
    write(root, record("d", "D", ["Anne Martin"], "2024-01-01"))
    (articles / "c.md").unlink()
    stamps = Stamps(root, state, written={articles / "d.md", articles / "c.md"})
    assert stamps.files(articles, ".md") == [articles / "a.md", articles / "b.md", articles / "d.md"]
    assert stamps(articles / "a.md") == state["articles/a.md"] != stamp(articles / "a.md")  # as at the start
    assert stamps(articles / "d.md") == stamp(articles / "d.md")
    assert stamps(articles / "c.md") is None and stamps(articles / "e.md") is None


def test_a_rebuild_takes_the_records_stats_from_its_snapshot(tmp_path: Path, monkeypatch) -> None:
    """The passes that read the archive take the stats of the build's starting snapshot (made
    from its folder listings): the record files are not stat'ed again by each pass."""
    import newsgen.cache as cache_module

    root = tmp_path / "proj"
    for i in range(5):
        write(root, record(f"a{i}", f"Article {i}", ["Anne Martin"], f"2024-01-0{i + 1}"))
    (root / "seeds").mkdir()
    (root / "seeds" / "s.txt").write_text("Paris, le 3 mars 2024. Anne Martin a parlé.", encoding="utf-8")
    build_project(root)
    (root / "seeds" / "s.txt").write_text("Paris, le 3 mars 2024. Anne Martin a encore parlé.", encoding="utf-8")
    stats: list[str] = []
    real = Path.stat
    monkeypatch.setattr(Path, "stat", lambda self, **kw: stats.append(self.name) or real(self, **kw))
    real_os_stat = os.stat
    monkeypatch.setattr(cache_module.os, "stat", lambda p, *a, **kw: stats.append(os.path.basename(p)) or real_os_stat(p, *a, **kw))
    report = build_project(root, jobs=1)
    assert report.extracted == 1 and not report.errors
    assert [stats.count(f"a{i}.md") for i in range(5)] == [0] * 5, stats


def test_records_saved_by_a_forked_process_are_kept_for_the_next_build(tmp_path: Path) -> None:
    """A first build saves the record cache in a forked process; the next build of the same
    process takes the records it kept, not equal copies read back from the shards."""
    import newsgen.cache as cache_module

    root = tmp_path / "proj"
    for i in range(60):
        write(root, record(f"a{i:02d}", f"Article {i}", ["Anne Martin"], "2024-01-01"))
    saves = tmp_path / "saves"  # a file: the saving process may be a forked one
    real = cache_module.RecordCache.save

    def save(self) -> None:
        with open(saves, "a") as fh:
            fh.write(f"{os.getpid()}\n")
        real(self)

    cache_module.RecordCache.save = save
    try:
        build_project(root, jobs=2)
    finally:
        cache_module.RecordCache.save = real
    pids = saves.read_text().split()
    assert pids and str(os.getpid()) not in pids  # saved by another process
    first = {name: entry[1] for name, entry in RecordCache.open(root / ".newsgen-cache").entries.items()}
    write(root, record("a07", "Article 7 modifié", ["Anne Martin"], "2024-01-01"))
    build_project(root, jobs=2)
    after = RecordCache.open(root / ".newsgen-cache").entries
    assert all(after[name][1] is article for name, article in first.items() if name != "a07.md")
    assert after["a07.md"][1].title == "Article 7 modifié"


def test_template_change_rerenders_only_the_pages_using_it(project: Path) -> None:
    build = project / "build"
    before = tree(build)
    (project / "templates").mkdir()
    source = (Path(__file__).parents[1] / "newsgen/site/theme/templates/person.html").read_text(encoding="utf-8")
    (project / "templates" / "person.html").write_text(source.replace("<h1>", "<h1 class=p>"), encoding="utf-8")
    build_project(project)
    changed = rewritten(before, tree(build))
    assert changed == {page("people/anne-martin"), page("people/paul-durand"), page("people/marc-petit"),
                       MANIFEST}
    # Edited again: this process compiled the first version (and keeps compiled templates).
    (project / "templates" / "person.html").write_text(source.replace("<h1>", "<h1 class=q>"), encoding="utf-8")
    build_project(project)
    assert "<h1 class=q>" in (build / page("people/anne-martin")).read_text(encoding="utf-8")


def test_a_build_may_leave_the_search_for_later_and_the_next_one_catches_up(project: Path, fake_pagefind) -> None:
    """`newsgen serve` shows an edit's pages before re-indexing: the build carries the old bundle
    over and says it is stale, so no later build can take it for an up-to-date one."""
    pagefind = fake_pagefind()
    build_project(project)
    assert pagefind.runs == 1 and stale_search(project / "build") is None
    write(project, record("alpha", "Alpha bis", ["Anne Martin"], "2024-01-01"))
    build_project(project, search_later=True)
    assert pagefind.runs == 1
    assert "Alpha bis" in (project / "build/articles/alpha/index.html").read_text(encoding="utf-8")
    assert bundle_run(project) == 1  # carried over
    made_from, pages = stale_search(project / "build")
    assert made_from == (project / "build" / MANIFEST).read_bytes()
    assert pages == {"articles/alpha/index.html", "articles/beta/index.html", "articles/gamma/index.html"}
    build_project(project)  # nothing changed since, but the search is stale: indexed now
    assert pagefind.runs == 2 and stale_search(project / "build") is None and bundle_run(project) == 2
    build_project(project)
    assert pagefind.runs == 2


def test_a_build_with_nothing_to_write_keeps_the_search_bundle_current(project: Path, fake_pagefind) -> None:
    """Its manifest is rewritten only if the files newsgen did not write changed; it used to
    lose the bundle's key there, and the search then looked stale."""
    pagefind = fake_pagefind()
    build_project(project)
    (project / "build/CNAME").write_text("example.org\n")
    article = project / "articles/alpha.md"
    os.utime(article, ns=(article.stat().st_atime_ns, article.stat().st_mtime_ns + 10**9))  # read again
    report = build_project(project)
    assert "CNAME" in " ".join(report.warnings)  # the manifest was rewritten, to keep it
    assert pagefind.runs == 1 and stale_search(project / "build") is None
    build_project(project)
    assert pagefind.runs == 1


def test_a_first_build_of_the_search_is_not_left_for_later(project: Path, fake_pagefind) -> None:
    """With no bundle to carry over, a site would have a search page and no search."""
    pagefind = fake_pagefind()
    build_project(project, search_later=True)
    assert pagefind.runs == 1 and stale_search(project / "build") is None


def bundle_run(root: Path) -> int:
    """Which run of the fake Pagefind made the bundle in build/."""
    return int((root / "build/pagefind/pagefind-ui.js").read_text())


def test_the_server_shows_an_edit_at_once_and_brings_its_search_up_to_date_after(project: Path,
                                                                                 fake_pagefind) -> None:
    pagefind = fake_pagefind()
    build_project(project)
    pagefind.seconds = 0.3
    site, spare = project / "build", spare_path(project, project / "build")
    watcher = Watcher(project, lambda: build_project(project, search_later=True), SearchCatchUp(site, spare))
    write(project, record("alpha", "Alpha bis", ["Anne Martin"], "2024-01-01"))
    watcher.rebuild()
    assert "Alpha bis" in (site / "articles/alpha/index.html").read_text(encoding="utf-8")
    assert bundle_run(project) == 1 and stale_search(site) is not None
    deadline = time.monotonic() + 30
    while not watcher.search.poll():
        assert watcher.check() == [] and time.monotonic() < deadline
        time.sleep(0.05)
    assert bundle_run(project) == 2 and stale_search(site) is None
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".build")) == []  # nothing left beside
    # the spare copy, where the next build starts, has the new bundle too (the same files)
    assert (spare / "pagefind/pagefind-ui.js").stat().st_ino == (site / "pagefind/pagefind-ui.js").stat().st_ino
    assert json.loads((spare / MANIFEST).read_text())["bundle"] == json.loads((site / MANIFEST).read_text())["bundle"]
    write(project, record("gamma", "Gamma bis", ["Marc Petit"], "2024-01-03"))
    watcher.rebuild()
    assert bundle_run(project) == 2 and stale_search(site) is not None
    watcher.search.cancel()
    build_project(project)  # indexes what the cancelled run did not (which may have logged its start)
    assert bundle_run(project) == pagefind.runs > 2 and stale_search(site) is None
    build_project(project)
    assert bundle_run(project) == pagefind.runs


def test_an_edit_while_the_search_catches_up_cancels_it(project: Path, fake_pagefind) -> None:
    pagefind = fake_pagefind()
    build_project(project)
    pagefind.seconds = 30
    site = project / "build"
    watcher = Watcher(project, lambda: build_project(project, search_later=True), SearchCatchUp(site))
    write(project, record("alpha", "Alpha bis", ["Anne Martin"], "2024-01-01"))
    watcher.rebuild()
    first = watcher.search.job[0].process
    write(project, record("beta", "Beta bis", ["Paul Durand"], "2024-01-02"))
    assert watcher.check() == ["articles/beta.md"]
    assert first.returncode is not None  # killed before the build
    assert watcher.search.job is not None and watcher.search.job[0].process is not first
    watcher.search.cancel()
    assert watcher.search.job is None and not watcher.search.poll()
    assert [p.name for p in project.iterdir() if p.name.startswith(".build")] == []
    assert bundle_run(project) == 1 and stale_search(site) is not None  # the next build indexes


def test_a_spare_copy_that_cannot_take_the_bundle_is_left_untrusted(project: Path, fake_pagefind,
                                                                     monkeypatch) -> None:
    """Linking the caught-up bundle into the spare copy is a head start for the next build: when
    it fails, the index is still installed, and the next build does without the spare."""
    import newsgen.site.build as site_build

    fake_pagefind()
    build_project(project)
    write(project, record("alpha", "Alpha bis", ["Anne Martin"], "2024-01-01"))
    build_project(project, search_later=True)
    site, spare = project / "build", spare_path(project, project / "build")
    made_from, _ = stale_search(site)
    bundle = project.parent / "bundle"
    bundle.mkdir()
    (bundle / "pagefind-ui.js").write_text("9\n")

    def broken(self, source, rel):
        raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(site_build._Folders, "link", broken)
        assert install_bundle(site, made_from, bundle, spare)
    assert bundle_run(project) == 9 and stale_search(site) is None and not (spare / MANIFEST).exists()
    write(project, record("beta", "Beta bis", ["Paul Durand"], "2024-01-02"))
    build_project(project, search_later=True)
    assert bundle_run(project) == 9 and "Beta bis" in (site / "articles/beta/index.html").read_text(encoding="utf-8")


def test_a_bundle_made_before_a_build_is_not_installed(project: Path, fake_pagefind, tmp_path: Path) -> None:
    fake_pagefind()
    build_project(project)
    write(project, record("alpha", "Alpha bis", ["Anne Martin"], "2024-01-01"))
    build_project(project, search_later=True)
    made_from, _ = stale_search(project / "build")
    write(project, record("beta", "Beta bis", ["Paul Durand"], "2024-01-02"))
    build_project(project, search_later=True)
    bundle = tmp_path / "made-too-early"
    bundle.mkdir()
    assert not install_bundle(project / "build", made_from, bundle)
    assert bundle.is_dir() and bundle_run(project) == 1 and stale_search(project / "build") is not None


def test_page_hashes_do_not_depend_on_the_process(project: Path) -> None:
    """Hashes are compared across runs: set order or object identity must not leak into them."""
    code = ("import sys, gc\nfrom pathlib import Path\n"
            "from newsgen.project import load_articles, _resolve, BuildReport\n"
            "from newsgen.store import Store\nfrom newsgen.config import SiteConfig\n"
            "from newsgen.site.collections import build_archive\n"
            "from newsgen.site.pages import plan_site, page_hashes\n"
            f"root = Path({str(project)!r})\nr = BuildReport()\n"
            "arts = _resolve(root, load_articles(Store(root / 'articles'), r), r)[0]\n"
            "if sys.argv[1] == 'reversed': arts.reverse()\n"
            "pages = plan_site(build_archive(arts), SiteConfig())\n"
            "print('\\n'.join(page_hashes(pages, {})))\n")
    outputs = []
    for seed, order in (("1", "forward"), ("2", "reversed")):
        done = subprocess.run([sys.executable, "-c", code, order], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed})
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and len(outputs[0].splitlines()) > 5


def test_full_rebuild_renders_everything_and_keeps_foreign_files(project: Path) -> None:
    build = project / "build"
    (build / "CNAME").write_text("x\n", encoding="utf-8")
    before = tree(build)
    build_project(project, full=True)
    after = tree(build)
    assert all(after[k][0] != before[k][0] for k in before if k != "CNAME")  # all rewritten
    assert after["CNAME"] == before["CNAME"]


def test_progress_lines() -> None:
    log = io.StringIO()
    progress = Progress("rendering pages", 3, mode="log", stream=log)
    for _ in range(3):
        progress.advance()
    progress.finish()
    assert log.getvalue().startswith("rendering pages 3/3 in ") and "\r" not in log.getvalue()
    tty = io.StringIO()
    live = Progress("extracting", 10, mode="tty", stream=tty)
    live._shown = 0.0  # show on the next advance
    live.advance(4)
    live.finish()
    assert tty.getvalue().startswith("\rextracting 4/10") and tty.getvalue().endswith("\n")
    quiet = io.StringIO()
    silent = reporter(quiet=True, stream=quiet).task("x", 2)
    silent.advance(2)
    silent.finish()
    assert quiet.getvalue() == ""
    assert reporter(stream=io.StringIO()).mode == "log"  # not a terminal: plain lines


@pytest.mark.parametrize("text", [
    "---\ntitle: Un titre\npublished: 2024-09-14\npeople:\n- id: a\n  name: Anne\n---\n\nPremier.\n\nSecond.\n",
    "---\ntitle: 'Deux : points'\nbody_offsets:\n- [0, 8]\n---\n\nPremier.\n",
    "---\n---\n\nSans front matter utile.\n",
    "Pas de front matter du tout.\n",
    "---\ntitle: [non fermé\n---\n\nCorps.\n",
    "---\n- une\n- liste\n---\n\nCorps.\n",
    "---\npeople: 3\n---\n\nCorps.\n",
])
def test_odd_article_files_load_or_fail_naming_the_file(text: str, tmp_path: Path) -> None:
    """The record cache parses through the store: any front matter gives a record or a StoreError."""
    from newsgen.cache import parse
    from newsgen.store import StoreError

    path = tmp_path / "x.md"
    path.write_text(text, encoding="utf-8")
    try:
        article = parse(path)
    except StoreError as err:
        assert str(err).startswith(str(path))
    else:
        assert article.slug == "x" and article.body


def test_loading_the_model_keeps_the_collector_paused() -> None:
    """A build pauses the cyclic collector; spaCy's model loader (srsly) switches it back on,
    which made everything after an extraction twice as slow."""
    import gc

    from newsgen.extract.pipeline import load_nlp

    load_nlp.cache_clear()
    gc.disable()
    try:
        load_nlp()
        assert not gc.isenabled()
    finally:
        gc.enable()


def _full_record(slug: str, published: str, speaker: str, other: str) -> Article:
    """A record using every kind of field, for the tests that records come out of a build as
    they went in."""
    from newsgen.records import Caption, Claim, DateMention, Entity, Origin, Span

    text = (f"{speaker} a accusé {other} le 3 mai, selon l'Agence. "
            f"{other} a démenti à Genève. La rencontre de Genève a eu lieu le 3 mai.")
    cut = text.index(other + " a démenti")
    return Article(
        slug=slug, title=f"{speaker} accuse {other}", published=published, date=published,
        origin=Origin("https://example.org/" + slug, "Exemple"), source_file=None,
        body=[Paragraph(text[:cut - 1], 0, cut - 1), Paragraph(text[cut:], cut, len(text))],
        captions=[Caption("Photo de la rencontre", "AFP")], furniture=["Commentaires (0)"],
        dates=[DateMention("le 3 mai", published, text.index("le 3 mai"), text.index("le 3 mai") + 8)],
        people=[Person(speaker.lower().replace(" ", "-"), speaker, [speaker.split()[-1]], ["ministre"],
                       [Span(speaker, 0, len(speaker))]),
                Person(other.lower().replace(" ", "-"), other, [], ["président"], [Span(other, cut, cut + len(other))])],
        sources=[Source("agence", "Agence", ["l'Agence"])],
        places=[Entity("Genève", "place", [Span("Genève", text.index("Genève"), text.index("Genève") + 6)])],
        organisations=[Entity("Agence", "org")],
        claims=[Claim(speaker, f"a accusé {other}", 0, cut - 1, "accusation", via="Agence",
                      speaker_aliases=[speaker.split()[-1]], verb="accuser", sentence_start=0, sentence_end=cut - 1),
                Claim(other, "a démenti", cut, text.index(" La rencontre"), "denial",
                      sentence_start=cut, sentence_end=text.index(" La rencontre"))],
        events=[Event("", "Rencontre de Genève", "meeting", published, "Genève", [speaker, other], main=True,
                      evidence=[Span("La rencontre de Genève", text.index("La rencontre"),
                                     text.index("La rencontre") + 22)])],
    )


def test_a_build_leaves_the_records_it_read_as_they_were_parsed(tmp_path: Path) -> None:
    """The record cache keeps the parsed records in memory between the builds of one process
    (a server): if anything downstream changed them, the next build would start from altered
    records and publish what no file says."""
    from newsgen.store import load

    root = tmp_path / "proj"
    write(root, _full_record("a", "2024-05-03", "Anne Martin", "Paul Durand"))
    write(root, _full_record("b", "2024-05-04", "Paul Durand", "Anne Martin"))
    write(root, _full_record("c", "2024-06-01", "Marc Petit", "Anne Martin"))
    folder = root / ".newsgen-cache"
    for edit in range(3):
        assert not build_project(root, jobs=1).errors
        cache = RecordCache.open(folder)
        assert cache is RecordCache.open(folder)  # from memory: the next build starts from these
        assert len(cache.entries) == 3
        for name, (_, article) in cache.entries.items():
            assert article == load(root / "articles" / name), name
        write(root, _full_record("b", "2024-05-04", "Paul Durand", f"Anne Martin{'e' * (edit + 1)}"))


def test_the_record_cache_is_read_again_when_its_files_change(project: Path) -> None:
    folder = project / ".newsgen-cache"
    kept = RecordCache.open(folder)
    assert RecordCache.open(folder) is kept
    shard = next(folder.glob("records-*.pickle"))
    data = shard.read_bytes()
    shard.unlink()
    shard.write_bytes(data)  # rewritten by another process: same bytes, another file
    again = RecordCache.open(folder)
    assert again is not kept and again.entries.keys() == kept.entries.keys()
    shutil.rmtree(folder)
    assert RecordCache.open(folder).entries == {}


def test_builds_in_one_process_make_the_site_a_fresh_process_makes(tmp_path: Path) -> None:
    """A server builds again and again in one process, reusing by identity what the last build
    worked out from each record (newsgen.reuse). After each kind of edit, its site must be the
    one a fresh `newsgen build` makes of the same files, byte for byte."""
    root = tmp_path / "proj"
    write(root, _full_record("a", "2024-05-03", "Anne Martin", "Paul Durand"))
    write(root, _full_record("b", "2024-05-04", "Paul Durand", "Anne Martin"))
    write(root, _full_record("c", "2024-06-01", "Marc Petit", "Anne Martin"))
    assert not build_project(root, jobs=1).errors

    def edit_registry(name: str, old: str, new: str) -> None:
        path = root / "registry" / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    edits = [
        lambda: write(root, _full_record("b", "2024-05-04", "Paul Durand", "Marc Petit")),  # a record
        lambda: edit_registry("people.yaml", "name: Anne Martin", "name: Anne Martin-Leroy"),  # a person
        lambda: edit_registry("events.yaml", "name: Rencontre de Genève", "name: Sommet de Genève"),  # events
        lambda: (root / "articles" / "c.md").unlink(),
    ]
    for number, edit in enumerate(edits):
        edit()
        registries = contents(root / "registry")
        assert not build_project(root, jobs=1).errors
        assert contents(root / "registry") == registries  # so a fresh build reads what this one read
        fresh = tmp_path / f"fresh{number}"
        shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("build", ".newsgen-cache"))
        done = subprocess.run([sys.executable, "-m", "newsgen.cli", "build", "--root", str(fresh), "--quiet",
                               "--jobs", "1"], capture_output=True, text=True, env={**os.environ, "NEWSGEN_PAGEFIND": ""})
        assert done.returncode == 0, done.stderr
        assert contents(root / "build") == contents(fresh / "build"), f"after edit {number}"


def _claimed(text: str) -> Article:
    """`alpha`, whose one paragraph holds Anne Martin's claim (its sentence found in the text
    while the paragraph's length matches its offsets), with what was found where in the text."""
    article = record("alpha", "Alpha", ["Anne Martin"], "2024-01-01", text)
    article.claims = [Claim("Anne Martin", "tout va bien", 0, 20, sentence_start=0, sentence_end=20)]
    article.body = [Paragraph(text, 0, 34)]
    found = text.find("Anne")
    article.people[0].mentions = [Span(text[found:found + 11], found, found + 11)] if found >= 0 else []
    article.dates = [DateMention(word, "2024-01-01", text.index(word), text.index(word) + len(word))
                     for word in text.split() if word == "hier"]
    return article


def test_editing_the_text_of_an_article_rewrites_its_page_and_feeds_not_the_pages_listing_it(
        project: Path, tmp_path: Path) -> None:
    """The theme shows an article's text on its own page and in feeds only: an edit of the text
    leaves the pages listing the article (its people, the indexes) as they were, until it
    changes what they show (whether the claim's sentence is still found in the text)."""
    build = project / "build"
    write(project, _claimed("Anne Martin a dit que tout va bien."[:34]))
    build_project(project)
    before = tree(build)
    write(project, _claimed("Selon hier Anne Martin : tout ira."))  # same length: still found
    assert not build_project(project).errors
    changed = rewritten(before, tree(build))
    assert {p for p in changed if p.endswith(".html")} == {page("articles/alpha")}
    assert {"feed.xml", "people/anne-martin/feed.xml"} <= changed
    assert "Selon hier" in (build / page("articles/alpha")).read_text(encoding="utf-8")
    before = tree(build)
    write(project, _claimed("Anne Martin a dit hier que tout ira mieux."))  # longer: no longer found
    assert not build_project(project).errors
    changed = rewritten(before, tree(build))
    assert page("people/anne-martin") in changed  # its "see the sentence" link is gone
    fresh = tmp_path / "fresh"
    build_project(project, out=fresh, full=True)
    assert (build / page("people/anne-martin")).read_bytes() == (fresh / page("people/anne-martin")).read_bytes()


def test_a_template_of_the_user_that_shows_the_text_is_rendered_again_when_the_text_changes(project: Path) -> None:
    """Only the theme's own templates are known not to show the text of the articles they list."""
    build = project / "build"
    (project / "templates").mkdir()
    source = (Path(__file__).parents[1] / "newsgen/site/theme/templates/person.html").read_text(encoding="utf-8")
    shown = "{% for item in articles %}<p class=excerpt>{{ item.article.body[0].text }}</p>{% endfor %}"
    (project / "templates" / "person.html").write_text(source.replace("<h1>", shown + "<h1>"), encoding="utf-8")
    assert not build_project(project).errors
    write(project, record("alpha", "Alpha", ["Anne Martin"], "2024-01-01", "Un texte tout neuf."))
    assert not build_project(project).errors
    assert "Un texte tout neuf." in (build / page("people/anne-martin")).read_text(encoding="utf-8")


def test_a_build_stopped_after_updating_the_archive_leaves_no_stale_digest_or_plan(project: Path, monkeypatch) -> None:
    """A server's build that fails after updating its last archive in place (before digesting
    it) must not leave the next build the digests or the plan of the archive as it was before
    that edit."""
    import newsgen.site.build as site_build

    build = project / "build"
    build_project(project)  # the process's last archive and digests: the next build takes them up
    write(project, record("alpha", "Alpha", ["Anne Martin"], "2024-01-01", "Alpha, texte revu. Anne Martin s'est exprimée."))
    salt = site_build.common_salt
    monkeypatch.setattr(site_build, "common_salt", lambda *a: (_ for _ in ()).throw(OSError("disque")))
    with pytest.raises(OSError):
        build_project(project)
    monkeypatch.setattr(site_build, "common_salt", salt)
    write(project, record("gamma", "Gamma", ["Marc Petit"], "2024-01-03", "Gamma, texte revu. Marc Petit s'est exprimé."))
    assert not build_project(project).errors
    assert "Alpha, texte revu." in (build / page("articles/alpha")).read_text(encoding="utf-8")
