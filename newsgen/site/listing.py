"""What a folder tree holds, listed again for one stat per folder that did not change.

A rebuild walks build/ and the spare copy of the build before last to learn which files are
there (ones added by hand included): 17,500 folders each at 10,000 articles, most of a second
of a server's rebuild after an edit. Adding, removing or renaming an entry changes its
folder's modification and change times, so a folder with the inode and times of its last
listing holds the same entries, and that listing is used again.

A listing is kept only when the folder's times are older than the listing by more than
`RACY_NS`: an entry added in the same clock tick as a listing would leave the times unchanged
(git calls such index entries "racily clean"). The same margin keeps a folder made later with
a deleted folder's inode from matching the deleted one's times. The change time cannot be set
by hand, so a tool restoring a folder's modification time (rsync -t) is seen too.
"""
from __future__ import annotations

import os
import time

RACY_NS = 2_000_000_000  # covers the coarsest common timestamps (FAT: 2 s)
KEPT_WALKS = 4  # a build walks two trees (build/ and the spare copy), which swap roles

# Folder (device, inode) -> (mtime_ns, ctime_ns, its path from the root with a final "/", its
# files, its folders and its symbolic links with their targets, each by path from the root),
# one dict per recent walk, newest last. Paths are kept joined: joining them again at each walk
# cost as much as the stats.
_Listing = tuple[int, int, str, tuple[str, ...], tuple[str, ...], tuple[tuple[str, str], ...]]
_RECENT: list[dict[tuple[int, int], _Listing]] = []


def walk(root: str | os.PathLike[str]) -> tuple[set[str], dict[str, str]]:
    """Files under `root` (relative POSIX paths), and symbolic links with what they point to."""
    files: set[str] = set()
    links: dict[str, str] = {}
    listed: dict[tuple[int, int], _Listing] = {}
    limit = time.time_ns() - RACY_NS
    top = os.path.join(os.fspath(root), "")
    stack = [""]
    while stack:
        prefix = stack.pop()
        folder = top + prefix
        st = os.stat(folder)  # before listing: a change made meanwhile shows as newer times
        key = (st.st_dev, st.st_ino)
        mtime, ctime = st.st_mtime_ns, st.st_ctime_ns
        listing = _known(key, mtime, ctime, prefix) or _list(folder, prefix, mtime, ctime)
        if mtime < limit and ctime < limit:
            listed[key] = listing
        files.update(listing[3])
        stack.extend(listing[4])
        if listing[5]:
            links.update(listing[5])
    _RECENT.append(listed)
    del _RECENT[:-KEPT_WALKS]
    return files, links


def _known(key: tuple[int, int], mtime: int, ctime: int, prefix: str) -> _Listing | None:
    for listed in reversed(_RECENT):
        listing = listed.get(key)
        if listing is not None:
            return listing if listing[0] == mtime and listing[1] == ctime and listing[2] == prefix else None
    return None


def _list(folder: str, prefix: str, mtime: int, ctime: int) -> _Listing:
    """One folder's entries (scandir gives each entry's type with its name: one system call)."""
    names: list[str] = []
    folders: list[str] = []
    symlinks: list[tuple[str, str]] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_symlink():
                symlinks.append((prefix + entry.name, os.readlink(entry.path)))
            elif entry.is_dir():
                folders.append(f"{prefix}{entry.name}/")
            else:
                names.append(prefix + entry.name)
    return mtime, ctime, prefix, tuple(names), tuple(folders), tuple(symlinks)


def forget() -> None:
    """Drop every listing kept (tests: a fresh process)."""
    _RECENT.clear()
