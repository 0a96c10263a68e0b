"""newsgen.model: spaCy's biggest regular expression is compiled once per machine, not per process.

No spaCy here: the mechanism is exercised on patterns of our own, with a low size threshold.
"""
from __future__ import annotations

import marshal
import re
from pathlib import Path

import pytest

from newsgen.model import cache_file, compiled_patterns

WORDS = [f"mot{i}-{'x' * (i % 7)}" for i in range(300)]
PATTERN = "(?iu)" + "|".join(f"(?:{re.escape(w)})" for w in WORDS)
SAMPLES = ["mot12-xxxxx", "MOT12-XXXXX", "mot299-xxxxx", "mot3", "rien", "mot0-"]


def matches(pattern: re.Pattern[str]) -> list[tuple[int, int] | None]:
    return [m.span() if (m := pattern.match(s)) else None for s in SAMPLES]


def compile_fresh(pattern: str, flags: int = 0) -> re.Pattern[str]:
    re.purge()  # `re` would otherwise answer from its in-memory cache
    return re.compile(pattern, flags)


def test_a_big_pattern_is_compiled_once_then_read_back(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "patterns.marshal"
    reference = matches(compile_fresh(PATTERN))
    with compiled_patterns(path, big=1000):
        first = compile_fresh(PATTERN)
    assert path.is_file() and matches(first) == reference

    parsed: list[str] = []
    real_parse = re._parser.parse

    def parse(pattern, *args):
        parsed.append(pattern)
        return real_parse(pattern, *args)

    monkeypatch.setattr(re._parser, "parse", parse)
    with compiled_patterns(path, big=1000):
        again = compile_fresh(PATTERN)
    assert PATTERN not in parsed  # not compiled: read back
    assert matches(again) == reference and again.pattern == PATTERN and again.flags == first.flags
    compile_fresh(PATTERN)
    assert PATTERN in parsed  # outside the block: `re` as usual


def test_small_patterns_and_other_flags_are_left_to_re(tmp_path: Path) -> None:
    path = tmp_path / "patterns.marshal"
    with compiled_patterns(path, big=1000):
        compile_fresh("mot[0-9]+")
    assert not path.exists()
    with compiled_patterns(path, big=1000):
        compile_fresh(PATTERN)
        compile_fresh(PATTERN, re.MULTILINE)
    entries = marshal.loads(path.read_bytes())[1]
    assert sorted(entries) == [(PATTERN, 0), (PATTERN, int(re.MULTILINE))]


@pytest.mark.parametrize("damage", ["garbage", "other python", "bad code"])
def test_a_file_that_does_not_fit_is_ignored_and_replaced(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "patterns.marshal"
    with compiled_patterns(path, big=1000):
        compile_fresh(PATTERN)
    stamp, entries = marshal.loads(path.read_bytes())
    if damage == "garbage":
        path.write_bytes(b"\x00not marshal")
    elif damage == "other python":
        path.write_bytes(marshal.dumps(((stamp[0], "2.7.18", *stamp[2:]), entries)))
    else:  # code _sre refuses: compiled the usual way
        (pattern, flags), args = next(iter(entries.items()))
        broken = (args[0], args[1], args[2][: len(args[2]) // 2], *args[3:])
        path.write_bytes(marshal.dumps((stamp, {(pattern, flags): broken})))
    with compiled_patterns(path, big=1000):
        compiled = compile_fresh(PATTERN)
    assert matches(compiled) == matches(compile_fresh(PATTERN))
    assert marshal.loads(path.read_bytes()) == (stamp, entries)  # written again, whole


def test_the_hook_is_removed_when_the_block_fails_and_an_unwritable_cache_is_no_error(tmp_path: Path) -> None:
    original = re._compiler.compile
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    with pytest.raises(ZeroDivisionError):
        with compiled_patterns(blocked / "patterns.marshal", big=1000):
            assert re._compiler.compile is not original
            1 / 0
    assert re._compiler.compile is original
    with compiled_patterns(blocked / "patterns.marshal", big=1000):
        assert matches(compile_fresh(PATTERN)) == matches(compile_fresh(PATTERN))
    assert re._compiler.compile is original


def test_the_cache_lives_in_the_users_cache_folder_and_never_in_the_project(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_file().parent == tmp_path / "newsgen"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # invalid: the home folder's .cache
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_file().parent == tmp_path / "home/.cache/newsgen"
    monkeypatch.setattr("os.path.expanduser", lambda path: path)  # no home folder: "~" stays "~"
    assert cache_file() is None
    with compiled_patterns(None, big=1000):  # no cache: `re` as usual
        assert matches(compile_fresh(PATTERN)) == matches(re.compile(PATTERN))


def test_the_model_loads_with_the_objects_alive_before_frozen(monkeypatch, tmp_path: Path) -> None:
    """spaCy's loading turns the collector on: it must not walk the records a build holds."""
    import gc

    import newsgen.extract.pipeline as pipeline
    from newsgen import model

    seen = []

    class FakeLoad:
        def __call__(self) -> str:
            seen.append(gc.get_freeze_count())
            gc.enable()  # as srsly does
            return "nlp"

        def cache_info(self):
            return type("Info", (), {"currsize": 0})()

    monkeypatch.setattr(pipeline, "load_nlp", FakeLoad())
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    records = [[i] for i in range(10_000)]  # what a build holds when it loads the model
    collecting = gc.isenabled()
    gc.disable()
    try:
        assert model.load_model() == "nlp"
        assert seen[0] >= len(records) and gc.get_freeze_count() == 0
    finally:
        gc.enable() if collecting else gc.disable()
