"""Fixtures shared by test modules."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


class FakePagefind:
    """A stand-in for the Pagefind binary: each run is logged, takes `seconds` (which may be
    changed between runs), and writes a bundle whose pagefind-ui.js holds its run number (1 for
    the first run)."""

    def __init__(self, folder: Path) -> None:
        self.log = folder / "pagefind-runs.log"
        self.path = folder / "pagefind"
        self._seconds = folder / "seconds"
        self.seconds = 0
        self.path.write_text("#!/bin/sh\n"
                             f"echo run >> {self.log}\n"
                             f"sleep $(cat {self._seconds})\n"
                             'while [ "$1" != "--output-path" ]; do shift; done\n'
                             f'mkdir -p "$2" && wc -l < {self.log} > "$2/pagefind-ui.js"\n')
        self.path.chmod(0o755)

    @property
    def seconds(self) -> float:
        return float(self._seconds.read_text())

    @seconds.setter
    def seconds(self, value: float) -> None:
        self._seconds.write_text(str(value))

    @property
    def runs(self) -> int:
        return len(self.log.read_text().splitlines()) if self.log.exists() else 0


@pytest.fixture
def fake_pagefind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., FakePagefind]:
    """`fake_pagefind()` installs a FakePagefind as the search binary of the builds that follow."""
    def install() -> FakePagefind:
        folder = tmp_path / "fake-pagefind"
        folder.mkdir()
        fake = FakePagefind(folder)
        monkeypatch.setenv("NEWSGEN_PAGEFIND", str(fake.path))
        return fake
    return install
