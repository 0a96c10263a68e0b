"""Files replaced whole (newsgen/files.py) keep the permissions a plain write would give them."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from newsgen import files
from newsgen.files import UMASK, write_bytes_atomic, write_text_atomic
from newsgen.project import build_project
from newsgen.records import Article, Paragraph, Person
from newsgen.store import dumps

pytestmark = pytest.mark.skipif(not hasattr(os, "fchmod"), reason="POSIX permissions")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_the_permissions_open_gives(tmp_path: Path) -> None:
    """The temporary file is made for its owner only (0600): renamed as it is, a registry or an
    article others could read would become unreadable to them."""
    write_text_atomic(tmp_path / "sub" / "people.yaml", "- id: anne\n")
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    assert mode(tmp_path / "sub" / "people.yaml") == mode(plain) == 0o666 & ~UMASK


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "people.yaml"
    path.write_text("old\n")
    path.chmod(0o640)
    write_text_atomic(path, "new\n")
    assert path.read_text() == "new\n" and mode(path) == 0o640


def test_text_is_utf8_with_unix_line_ends(tmp_path: Path) -> None:
    write_text_atomic(tmp_path / "a.md", "Sergueï Choïgou\nligne 2\n")
    assert (tmp_path / "a.md").read_bytes() == "Sergueï Choïgou\nligne 2\n".encode("utf-8")


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "people.yaml"
    path.write_bytes(b"old\n")

    def fail(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_bytes_atomic(path, b"new\n")
    assert path.read_bytes() == b"old\n" and [p.name for p in tmp_path.iterdir()] == ["people.yaml"]


def test_a_build_writes_registries_and_caches_others_may_read(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NEWSGEN_PAGEFIND", "")
    root = tmp_path / "proj"
    (root / "articles").mkdir(parents=True)
    text = "Anne Martin s'est exprimée."
    article = Article(slug="alpha", title="Alpha", published="2024-01-01", people=[Person("anne-martin", "Anne Martin")],
                      body=[Paragraph(text, 0, len(text))])
    (root / "articles" / "alpha.md").write_text(dumps(article), encoding="utf-8")
    assert not build_project(root).errors
    written = [*sorted((root / "registry").iterdir()), root / "build" / ".newsgen-manifest.json"]
    assert written[0].name.endswith(".yaml")
    assert {p.name: mode(p) for p in written} == {p.name: 0o666 & ~UMASK for p in written}
