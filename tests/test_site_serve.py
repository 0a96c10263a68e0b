"""`newsgen serve`: the change detector, the rebuild loop's baseline, and the reload endpoint
(a short-lived server on 127.0.0.1 in a thread, no long-running process)."""
from __future__ import annotations

import os
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from newsgen.cli import main
from newsgen.site.serve import RELOAD_PATH, Watcher, changed_paths, make_server, snapshot


def touch(path: Path, text: str, mtime: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime, mtime))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    touch(tmp_path / "seeds/a.txt", "texte", 1000)
    touch(tmp_path / "articles/a.md", "---\ntitle: A\n---\n", 1000)
    touch(tmp_path / "newsgen.yaml", "title: T\n", 1000)
    touch(tmp_path / "build/index.html", "<p>sortie</p>", 1000)  # output: never watched
    return tmp_path


def test_snapshot_sees_watched_inputs_only(project: Path) -> None:
    touch(project / "articles/.machine/a.yaml", "x", 1000)
    touch(project / "templates/.base.html.swp", "x", 1000)
    touch(project / "templates/base.html~", "x", 1000)
    touch(project / "templates/.git/HEAD", "x", 1000)
    touch(project / "templates/partials/nav.html", "x", 1000)  # subfolders are watched
    assert sorted(snapshot(project)) == ["articles/a.md", "newsgen.yaml", "seeds/a.txt",
                                         "templates/partials/nav.html"]


def test_changed_paths_reports_edits_additions_and_removals(project: Path) -> None:
    before = snapshot(project)
    assert changed_paths(before, snapshot(project)) == []
    touch(project / "seeds/a.txt", "texte modifié", 2000)
    touch(project / "templates/home.html", "x", 2000)
    (project / "articles/a.md").unlink()
    touch(project / "build/index.html", "autre", 2000)
    assert changed_paths(before, snapshot(project)) == ["articles/a.md", "seeds/a.txt", "templates/home.html"]


def test_same_size_edit_is_seen_by_its_mtime(project: Path) -> None:
    before = snapshot(project)
    touch(project / "newsgen.yaml", "title: U\n", 1001)
    assert changed_paths(before, snapshot(project)) == ["newsgen.yaml"]


def test_watcher_rebuilds_once_per_change_and_ignores_its_own_writes(project: Path) -> None:
    builds: list[int] = []

    def build() -> None:  # like build_project: it rewrites articles/ and registry/
        builds.append(1)
        touch(project / "articles/a.md", f"---\ntitle: A{len(builds)}\n---\n", 3000 + len(builds))
        touch(project / "registry/people.yaml", f"n: {len(builds)}\n", 3000 + len(builds))

    watcher = Watcher(project, build)
    watcher.rebuild()
    assert (len(builds), watcher.version) == (1, 1)
    assert watcher.check() == []  # the build's own writes are the baseline
    touch(project / "seeds/b.txt", "nouveau", 5000)
    assert watcher.check() == ["seeds/b.txt"]
    assert (len(builds), watcher.version) == (2, 2)
    assert watcher.check() == [] and len(builds) == 2


def test_a_build_waits_for_the_preparation_started_after_the_first(project: Path) -> None:
    """The server loads the model in a thread after its first build; a build must not start
    (and fork) while that runs."""
    events: list[str] = []
    started = threading.Event()

    def prepare() -> None:
        started.set()
        time.sleep(0.3)
        events.append("prepared")

    watcher = Watcher(project, lambda: events.append("built"))
    watcher.rebuild()
    watcher.prepare(prepare)
    assert started.wait(5)
    watcher.rebuild()  # at once, while it prepares
    assert events == ["built", "prepared", "built"]
    failing = Watcher(project, lambda: events.append("built again"))
    failing.prepare(lambda: 1 / 0)  # a failure is the build's to report, not the server's
    failing.rebuild()
    assert events[-1] == "built again"


def test_failed_build_keeps_the_watcher_alive(project: Path, capsys) -> None:
    def build() -> None:
        raise RuntimeError("gabarit cassé")

    watcher = Watcher(project, build)
    watcher.rebuild()
    assert watcher.version == 1 and "gabarit cassé" in capsys.readouterr().err


def test_server_injects_reload_script_and_serves_version(project: Path) -> None:
    site = project / "build"
    (site / "index.html").write_text("<html><body><p>sortie</p></body></html>", encoding="utf-8")
    watcher = Watcher(project, lambda: None)
    watcher.rebuild()
    server = make_server(site, watcher, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with urllib.request.urlopen(base + RELOAD_PATH, timeout=5) as r:
            assert r.read() == b"1"
        with urllib.request.urlopen(base + "/", timeout=5) as r:
            body = r.read().decode()
        assert RELOAD_PATH in body and body.index(RELOAD_PATH) < body.index("</body>")
        watcher.rebuild()
        with urllib.request.urlopen(base + RELOAD_PATH, timeout=5) as r:
            assert r.read() == b"2"
    finally:
        server.shutdown()
        server.server_close()
    assert RELOAD_PATH not in (site / "index.html").read_text(encoding="utf-8")  # never on disk
    assert not (site / RELOAD_PATH.strip("/")).exists()


def test_serve_subcommand_is_declared(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = capsys.readouterr().out
    assert "--port" in out and "--root" in out
