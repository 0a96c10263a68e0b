"""One build of a project at a time.

A server rebuilding on every edit and a `newsgen build` typed in another terminal would otherwise
update the same record cache, registries, spare copy and build/ at once, and each could record
as its own the state the other left. The lock is `flock` on a file in the project's cache
folder: the kernel releases it when its holder ends, however it ends, so a killed build never
leaves a stale lock behind, and whoever holds it may treat the work folders it finds beside
build/ as left by a build that died (`remove_leftovers`).

Without `fcntl` (Windows), or on a filesystem that refuses locks, builds are not serialised
and nothing is removed.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "build.lock"
# Folders beside build/ that builds (`site/build.py`) and the server's search catch-up make with
# `work_folder` and remove when they end: tmp- (the new tree), old- (the tree being replaced),
# search- and search-old- (a search index being made or replaced), data- (the data export,
# written by a forked process and moved into the new tree).
WORK_KINDS = ("tmp-", "old-", "search-", "search-old-", "data-")


class ProjectLock:
    """The held lock (an open file); `release` lets the next build in. `exclusive` is False
    where locking is not available: the build goes on, unserialised."""

    def __init__(self, fd: int, exclusive: bool) -> None:
        self.fd: int | None = fd
        self.exclusive = exclusive

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the file releases the lock
            self.fd = None


def _open(folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    return os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)


def try_lock(folder: Path) -> ProjectLock | None:
    """The lock if nobody holds it, else None (without waiting)."""
    fd = _open(folder)
    if fcntl is None:  # pragma: no cover - not POSIX
        return ProjectLock(fd, exclusive=False)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except OSError:  # no locks on this filesystem (some network ones)
        return ProjectLock(fd, exclusive=False)
    return ProjectLock(fd, exclusive=True)


@contextmanager
def project_lock(folder: Path, waiting: Callable[[str], None]) -> Iterator[ProjectLock]:
    """Hold the lock in `folder` while the block runs; when another process holds it, say so
    through `waiting` and wait for it. (The file is never written: a build with nothing to do
    writes nothing.)"""
    held = try_lock(folder)
    if held is None:
        fd = _open(folder)
        waiting("another newsgen process is building this project; waiting for it to finish")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        held = ProjectLock(fd, exclusive=True)
    try:
        yield held
    finally:
        held.release()


def work_folder(out_dir: Path, kind: str) -> Path:
    """A new, empty folder beside `out_dir` for work in progress of `kind` (one of WORK_KINDS):
    if its maker dies before removing it, the next build does (`remove_leftovers`)."""
    if kind not in WORK_KINDS:
        raise ValueError(f"unknown kind of work folder: {kind!r}")
    return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.{kind}", dir=out_dir.parent))


@contextmanager
def scratch_folder(out_dir: Path, kind: str) -> Iterator[Path]:
    """`work_folder`, removed with what it holds when the block ends, however it ends."""
    folder = work_folder(out_dir, kind)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def remove_leftovers(out_dir: Path) -> tuple[Path | None, list[Path]]:
    """Delete the work folders a killed build or server left beside `out_dir` (a killed cold
    build leaves a whole site, hundreds of megabytes at 10,000 articles): (the folder put back
    as `out_dir`, the folders deleted).

    A build killed between the two renames of its swap leaves no `out_dir` and the previous site
    in an `old-` folder, with the files in it newsgen did not write (a `CNAME`): that one is put
    back, not deleted. Only for the holder of the project lock (`ProjectLock.exclusive`): every
    process that makes such folders holds it while they exist."""
    prefixes = tuple(f".{out_dir.name}.{kind}" for kind in WORK_KINDS)
    try:
        found = [e for e in os.scandir(out_dir.parent)
                 if e.name.startswith(prefixes) and e.is_dir(follow_symlinks=False)]
    except OSError:
        return None, []
    restored = None
    olds = [e for e in found if e.name.startswith(f".{out_dir.name}.old-")]
    if olds and not os.path.lexists(out_dir):
        newest = max(olds, key=lambda e: e.stat(follow_symlinks=False).st_mtime_ns)
        os.rename(newest.path, out_dir)
        restored = Path(newest.path)
        found.remove(newest)
    for entry in found:
        shutil.rmtree(entry.path, ignore_errors=True)
    return restored, [Path(e.path) for e in found]
