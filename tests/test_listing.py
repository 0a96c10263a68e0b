"""The tree listing kept between walks: what it returns is always what is on disk."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from newsgen.site import listing


def truth(root: Path) -> tuple[set[str], dict[str, str]]:
    files, links = set(), {}
    for folder, dirs, names in os.walk(root):
        rel = Path(folder).relative_to(root)
        for name in names + dirs:
            path = Path(folder) / name
            key = (rel / name).as_posix()
            if path.is_symlink():
                links[key] = os.readlink(path)
            elif path.is_file():
                files.add(key)
    return files, links


@pytest.fixture
def counted(monkeypatch):
    """Every listing kept however recent its folder (the tests wait a clock tick between a walk
    and a change instead), and a count of the folders actually read."""
    listing.forget()
    monkeypatch.setattr(listing, "RACY_NS", -10**12)
    reads = []
    real = listing._list
    monkeypatch.setattr(listing, "_list", lambda folder, *a: reads.append(os.path.normpath(folder)) or real(folder, *a))
    yield reads
    listing.forget()


def tick() -> None:
    time.sleep(0.03)  # past the coarse kernel clock that stamps folders


def make(root: Path) -> None:
    for i in range(5):
        (root / f"p{i}").mkdir(parents=True)
        (root / f"p{i}" / "index.html").write_text("x")
    (root / "p0" / "deep" / "er").mkdir(parents=True)
    (root / "p0" / "deep" / "er" / "f.txt").write_text("x")
    (root / "top.html").write_text("x")
    (root / "link").symlink_to("top.html")


def restore_time(folder: Path, change) -> None:
    """`change`, then the folder's modification time put back, as rsync -t does."""
    before = os.stat(folder)
    change()
    os.utime(folder, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(folder).st_mtime_ns == before.st_mtime_ns


EDITS = {
    "file added deep": lambda r: (r / "p0" / "deep" / "er" / "new.txt").write_text("x"),
    "file removed": lambda r: (r / "p3" / "index.html").unlink(),
    "file renamed": lambda r: (r / "p1" / "index.html").rename(r / "p1" / "other.html"),
    "file made a link": lambda r: ((r / "p2" / "index.html").unlink(), (r / "p2" / "index.html").symlink_to("../top.html")),
    "link retargeted": lambda r: ((r / "link").unlink(), (r / "link").symlink_to("p1/index.html")),
    "folder added": lambda r: ((r / "p4" / "sub").mkdir(), (r / "p4" / "sub" / "a").write_text("x")),
    "folder removed": lambda r: ((r / "p0" / "deep" / "er" / "f.txt").unlink(), (r / "p0" / "deep" / "er").rmdir()),
    "folder moved": lambda r: (r / "p0" / "deep").rename(r / "p4" / "deep"),
    "folder's time restored": lambda r: restore_time(r / "p3", lambda: (r / "p3" / "x").write_text("x")),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_change_after_a_walk_is_seen_by_the_next(tmp_path, counted, edit):
    root = tmp_path / "site"
    make(root)
    assert listing.walk(root) == truth(root)
    tick()
    EDITS[edit](root)
    assert listing.walk(root) == truth(root)


def test_folders_unchanged_since_their_listing_are_not_read_again(tmp_path, counted):
    root = tmp_path / "site"
    make(root)
    listing.walk(root)
    assert len(counted) == 8
    counted.clear()
    tick()
    (root / "p2" / "new.html").write_text("x")
    assert listing.walk(root) == truth(root)
    assert counted == [str(root / "p2")]


def test_a_tree_renamed_keeps_its_listings(tmp_path, counted):
    make(tmp_path / "a")
    listing.walk(tmp_path / "a")
    (tmp_path / "a").rename(tmp_path / "b")
    counted.clear()
    assert listing.walk(tmp_path / "b") == truth(tmp_path / "b")
    assert counted == [str(tmp_path / "b")]  # the root's change time moved with the rename


def test_recent_folders_are_read_every_time(tmp_path):
    """Within the racy margin a listing is never kept: an entry added in the same tick would
    leave the folder's times as they were."""
    listing.forget()
    make(tmp_path / "a")
    listing.walk(tmp_path / "a")
    (tmp_path / "a" / "p1" / "same-tick.html").write_text("x")
    assert listing.walk(tmp_path / "a") == truth(tmp_path / "a")
    assert not any(listing._RECENT)
