"""One build of a project at a time (newsgen/lock.py): a second build waits for the first, a
killed build leaves no lock and its work folders are removed by the next one."""
from __future__ import annotations

import io
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from newsgen.cache import CACHE_DIR
from newsgen.progress import Reporter
from newsgen.project import build_project
from newsgen.records import Article, Paragraph, Person
from newsgen.site.build import stale_search
from newsgen.site.serve import SearchCatchUp, Watcher
from newsgen.store import dumps

HOLD = """
import sys
from pathlib import Path
from newsgen.lock import project_lock
with project_lock(Path(sys.argv[1]), print):
    print("held", flush=True)
    sys.stdin.readline()
"""


@pytest.fixture(autouse=True)
def no_search(monkeypatch):
    monkeypatch.setenv("NEWSGEN_PAGEFIND", "")


def write(root: Path, slug: str, title: str, person: str) -> None:
    text = f"{title}. {person} s'est exprimé."
    article = Article(slug=slug, title=title, published="2024-01-01",
                      people=[Person(person.lower().replace(" ", "-"), person)],
                      body=[Paragraph(text, 0, len(text))])
    (root / "articles").mkdir(parents=True, exist_ok=True)
    (root / "articles" / f"{slug}.md").write_text(dumps(article), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    write(root, "alpha", "Alpha", "Anne Martin")
    assert not build_project(root).errors
    return root


def holder(root: Path) -> subprocess.Popen[str]:
    """Another process holding the project's lock until it is told to stop (or killed)."""
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(root / CACHE_DIR)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "held\n"
    return process


def test_a_second_build_waits_for_the_one_running_and_says_so(project: Path) -> None:
    other = holder(project)
    write(project, "alpha", "Alpha bis", "Anne Martin")
    log = io.StringIO()
    reports = []
    build = threading.Thread(target=lambda: reports.append(build_project(project, progress=Reporter("log", log))))
    try:
        build.start()
        time.sleep(1.0)
        assert build.is_alive() and not reports  # waiting, not building alongside
        assert "another newsgen process is building this project; waiting" in log.getvalue()
        assert "Alpha bis" not in (project / "build/articles/alpha/index.html").read_text(encoding="utf-8")
    finally:
        other.communicate("\n", timeout=30)
        build.join(timeout=60)
    assert reports and not reports[0].errors
    assert "Alpha bis" in (project / "build/articles/alpha/index.html").read_text(encoding="utf-8")


def test_a_killed_build_leaves_no_lock_behind(project: Path) -> None:
    other = holder(project)
    other.send_signal(signal.SIGKILL)
    other.wait(timeout=30)
    write(project, "alpha", "Alpha bis", "Anne Martin")
    log = io.StringIO()
    report = build_project(project, progress=Reporter("log", log))
    assert not report.errors and "waiting" not in log.getvalue()
    assert "Alpha bis" in (project / "build/articles/alpha/index.html").read_text(encoding="utf-8")


def test_the_work_folders_of_a_killed_build_are_removed_by_the_next_build(project: Path) -> None:
    """A killed cold build leaves a whole site beside build/ (500 MB at 10,000 articles)."""
    left = [project / ".build.tmp-k1l2", project / ".build.old-3x4y", project / ".build.search-5z6w",
            project / ".build.search-old-7v8u", project / ".build.data-9t0s"]
    for folder in left:
        (folder / "articles/alpha").mkdir(parents=True)
        (folder / "articles/alpha/index.html").write_text("<p>left over</p>")
    mine = [project / ".build-notes", project / "build.bak", project / ".site.tmp-1234", project / ".build.tmp"]
    for path in mine:
        path.mkdir()
    (project / ".build.tmp-file").write_text("a file, not a work folder")
    log = io.StringIO()
    build_project(project, progress=Reporter("log", log))
    assert not any(folder.exists() for folder in left)
    assert all(path.exists() for path in mine) and (project / ".build.tmp-file").exists()
    assert all(f"removed {folder}" in log.getvalue() for folder in left)
    assert "Alpha" in (project / "build/articles/alpha/index.html").read_text(encoding="utf-8")


def test_a_build_killed_in_the_middle_of_its_swap_gets_its_site_back(project: Path) -> None:
    """Killed between renaming build/ aside and renaming the new tree in: build/ is missing, and
    the previous site, with the files newsgen did not write, is in an old- folder."""
    import os

    (project / "build/CNAME").write_text("example.org\n")
    build_project(project)  # CNAME is now a kept file
    older = project / ".build.old-0ld3r"
    (older / "articles").mkdir(parents=True)
    os.utime(older, ns=(10**9, 10**9))  # from a long-gone build
    (project / "build").rename(project / ".build.old-k1ll")
    (project / ".build.tmp-n3w/articles").mkdir(parents=True)  # the new tree, half made
    log = io.StringIO()
    report = build_project(project, progress=Reporter("log", log))
    assert not report.errors
    assert (project / "build/CNAME").read_text() == "example.org\n"
    assert f"put {project / '.build.old-k1ll'} back as {project / 'build'}" in log.getvalue()
    assert [p.name for p in project.iterdir() if p.name.startswith(".build")] == []
    assert "Alpha" in (project / "build/articles/alpha/index.html").read_text(encoding="utf-8")


def test_the_copy_kept_for_an_output_folder_that_is_gone_is_removed(project: Path, tmp_path: Path) -> None:
    """Two builds with `--out` keep the first one's tree in the cache for the next build to
    update: once that folder is deleted, nothing will ever use the copy."""
    import shutil

    from newsgen.cache import spare_path, state_path

    preview = tmp_path / "preview"
    for title in ("Alpha bis", "Alpha ter"):
        write(project, "alpha", title, "Anne Martin")
        build_project(project, out=preview)
        build_project(project)
    spare, state, mine = spare_path(project, preview), state_path(project, preview), spare_path(project, project / "build")
    assert spare.is_dir() and state.exists() and mine.is_dir()
    build_project(project)  # both folders still there: nothing is removed
    assert spare.is_dir() and state.exists()
    shutil.rmtree(preview)
    log = io.StringIO()
    build_project(project, progress=Reporter("log", log))
    assert f"{preview} is gone" in log.getvalue()
    assert not spare.exists() and not state.exists() and not state.with_suffix(".out").exists()
    assert mine.is_dir() and state_path(project, project / "build").exists()  # build/'s are kept
    assert "Alpha ter" in (project / "build/articles/alpha/index.html").read_text(encoding="utf-8")


def test_a_filesystem_without_locks_builds_unserialised_and_removes_nothing(project: Path, monkeypatch) -> None:
    """Some network filesystems refuse flock: the build goes on as before the lock existed, and
    leaves the folders beside build/ alone (one may be another build's, running now)."""
    import errno

    import newsgen.lock as lock

    def refuse(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(lock.fcntl, "flock", refuse)
    (project / ".build.tmp-k1l2").mkdir()
    write(project, "alpha", "Alpha bis", "Anne Martin")
    assert not build_project(project).errors
    assert "Alpha bis" in (project / "build/articles/alpha/index.html").read_text(encoding="utf-8")
    assert (project / ".build.tmp-k1l2").is_dir()


def test_the_server_indexes_once_another_process_has_finished_building(project: Path, fake_pagefind) -> None:
    """The server holds the lock while Pagefind runs on build/: a `newsgen build` in another
    terminal must not replace build/ or clear the work folder meanwhile. When that build holds
    the lock, the server waits for it and then catches up with what it left."""
    pagefind = fake_pagefind()
    build_project(project)
    pagefind.seconds = 0.5
    site = project / "build"
    watcher = Watcher(project, lambda: build_project(project, search_later=True),
                      SearchCatchUp(site, None, project / CACHE_DIR))
    write(project, "alpha", "Alpha bis", "Anne Martin")
    other = holder(project)
    try:
        build = threading.Thread(target=watcher.rebuild)
        build.start()
        time.sleep(0.5)
        assert build.is_alive()  # the server's build waits too
    finally:
        other.communicate("\n", timeout=30)
    build.join(timeout=60)
    assert stale_search(site) is not None and watcher.search.job is not None  # started, lock held
    other = subprocess.Popen([sys.executable, "-c", HOLD, str(project / CACHE_DIR)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout is not None  # it waits: the server holds the lock until the index is in
        assert other.stdout.readline().startswith("another newsgen process is building this project")
        deadline = time.monotonic() + 30
        while not watcher.search.poll():
            assert time.monotonic() < deadline and other.poll() is None
            time.sleep(0.05)
        assert other.stdout.readline() == "held\n"
        assert stale_search(site) is None
    finally:
        other.communicate("\n", timeout=30)
    # the other way round: another process holds the lock when the server would index
    write(project, "alpha", "Alpha ter", "Anne Martin")
    build_project(project, search_later=True)
    other = holder(project)
    try:
        watcher.search.start()
        assert watcher.search.job is None and watcher.search.waiting
        assert not watcher.search.poll() and watcher.search.waiting  # still held
    finally:
        other.communicate("\n", timeout=30)
    assert not watcher.search.poll() and watcher.search.job is not None  # started now
    deadline = time.monotonic() + 30
    while not watcher.search.poll():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert stale_search(site) is None and pagefind.runs == 3
    assert [p.name for p in project.iterdir() if p.name.startswith(".build")] == []
