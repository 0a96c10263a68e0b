"""Replacing a file whole: a reader finds the old bytes or the new ones, never half of them."""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# The process's umask, read once at import, while the process has one thread: setting it is the
# only way to read it, and a server's threads create files.
UMASK = _umask()


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in its folder, renamed over it. An error
    (or a crash) leaves the old file as it was.

    The file keeps the permissions it had, or gets those `open()` gives a new file: a temporary
    file is made readable by its owner only, and the rename would make a registry or an article
    others could read before unreadable to them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~UMASK
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            if hasattr(os, "fchmod"):  # (POSIX)
                os.fchmod(fh.fileno(), mode)
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """`write_bytes_atomic` of `text` in UTF-8, with `\\n` line ends on every system."""
    write_bytes_atomic(path, text.encode("utf-8"))
