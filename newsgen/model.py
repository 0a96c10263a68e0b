"""Loading the spaCy model without compiling its biggest regular expression every time.

Importing spaCy's French language data compiles one pattern of 1.45 million characters (the
tokenizer's exceptions, `TOKEN_MATCH` in spacy/lang/fr/tokenizer_exceptions.py): 1.5-2.8 s,
half of what loading the model costs, paid by every process that extracts (a one-seed rebuild,
`newsgen extract`). Python's `re` keeps compiled patterns in memory only, so this module keeps
the compiler's output for big patterns in a file (`compiled_patterns`), and hands `re` the
compiled pattern when the same pattern, with the same flags, is compiled again.

What the file holds is the exact argument list `re` gives `_sre.compile` (the C constructor,
which validates the code it is given), keyed by the pattern's text and flags, for this very
Python build and `_sre` version. Anything else (another Python, a changed pattern, a damaged or
missing file, a Python whose `re` is organised differently) compiles as usual.
"""
from __future__ import annotations

import gc
import marshal
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import _sre

from newsgen.files import write_bytes_atomic

BIG = 100_000  # characters: a pattern this long is worth keeping (spaCy's others take microseconds)
FORMAT = 1


def cache_file() -> Path | None:
    """Where the compiled patterns are kept: the user's cache folder (XDG), per Python build.
    None without a home folder (a relative path would put the cache in the project)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, or relative: ignored, as the XDG specification says
        base = os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None
    return Path(base) / "newsgen" / f"patterns-{sys.implementation.cache_tag}.marshal"


def load_model() -> Any:
    """`extract.pipeline.load_nlp()`, with the big patterns taken from (or added to) the file.

    The objects already alive are frozen meanwhile (`gc.freeze`): srsly's msgpack reader turns
    the cyclic collector on while the model loads, and in a process that already holds the
    archive's records (a build) each collection walked all of them: 1.5 s of a 2.7 s load at
    10,000 articles.
    """
    from newsgen.extract.pipeline import load_nlp

    if loaded():
        return load_nlp()
    gc.freeze()
    try:
        with compiled_patterns(cache_file()):
            return load_nlp()
    finally:
        gc.unfreeze()


def loaded() -> bool:
    """Whether this process has the model already (without importing spaCy to find out)."""
    pipeline = sys.modules.get("newsgen.extract.pipeline")
    return pipeline is not None and pipeline.load_nlp.cache_info().currsize > 0


def _stamp() -> tuple[Any, ...]:
    return FORMAT, sys.version, _sre.MAGIC, _sre.CODESIZE


Known = dict[tuple[str, int], tuple[Any, ...]]


def _read(path: Path) -> Known:
    try:
        stamp, entries = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if stamp != _stamp() or not isinstance(entries, dict):
        return {}
    return entries


def _write(path: Path, entries: Known) -> None:
    try:
        write_bytes_atomic(path, marshal.dumps((_stamp(), entries)))  # (makes the folder)
    except OSError:
        pass  # a read-only home: patterns are compiled each time, as without this module


@contextmanager
def compiled_patterns(path: Path | None, big: int = BIG) -> Iterator[None]:
    """While the block runs, `re` compiles patterns of `big` characters or more from `path`
    when it has them; the ones it had to compile are added to it when the block ends."""
    compiler = getattr(re, "_compiler", None)
    real_compile = getattr(compiler, "compile", None)
    if path is None or real_compile is None:  # no cache folder, or not the `re` this was written for
        yield
        return
    known = _read(path)
    used: Known = {}
    added: Known = {}

    def compile(pattern: Any, flags: int = 0) -> Any:
        if not isinstance(pattern, str) or len(pattern) < big:
            return real_compile(pattern, flags)
        key = (pattern, int(flags))
        args = known.get(key)
        if args is not None:
            try:
                compiled = _sre.compile(*args)
            except Exception:  # refused by _sre's validation: compile it below
                pass
            else:
                used[key] = args
                return compiled
        calls: list[tuple[Any, ...]] = []
        real_sre = _sre.compile

        def spy(*args: Any) -> Any:
            calls.append(args)
            return real_sre(*args)

        _sre.compile = spy
        try:
            compiled = real_compile(pattern, flags)
        finally:
            _sre.compile = real_sre
        mine = [a for a in calls if a and a[0] is pattern]
        if len(mine) == 1:
            added[key] = _plain(mine[0])
        return compiled

    compiler.compile = compile
    try:
        yield
    finally:
        compiler.compile = real_compile
    if added:
        _write(path, {**used, **added})


def _plain(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """The arguments as marshal writes them: `re` passes int subclasses (named opcodes, flags)."""
    pattern, flags, code, *rest = args
    return (pattern, int(flags), [int(op) for op in code], *rest)
