"""Progress of long work on stderr: a live line on a terminal, plain log lines otherwise.

A build of a large archive runs for minutes; a terminal gets one line rewritten in place
(`extracting 1,200/10,000 · 41/s · 3 min 34 s left`), a log file or CI gets a plain line every
few seconds (no carriage returns to garble it), and `--quiet` gets nothing. Stdlib only, and
cheap enough to call once per item.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TextIO

TTY_INTERVAL = 0.1  # seconds between redraws of the live line
LOG_INTERVAL = 5.0  # seconds between plain log lines


@dataclass
class Progress:
    """Counts done items of one task and shows it; `mode` is "tty", "log" or "quiet"."""

    label: str
    total: int
    mode: str = "log"
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    done: int = 0
    started: float = field(default_factory=time.monotonic)
    _shown: float = 0.0  # when the line was last shown: the first shows one interval after the start
    _width: int = 0

    def __post_init__(self) -> None:
        self._shown = self.started

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.mode == "quiet":
            return
        now = time.monotonic()
        if now - self._shown >= (TTY_INTERVAL if self.mode == "tty" else LOG_INTERVAL):
            self._shown = now
            self._show(self.line(now))

    def finish(self) -> None:
        """Show the final count (and end the live line), once the task is over."""
        if self.mode == "quiet" or self.done == 0:
            return
        elapsed = time.monotonic() - self.started
        text = f"{self.label} {self.done:,}/{self.total:,} in {_duration(elapsed)}"
        self._show(text)
        if self.mode == "tty":
            self.stream.write("\n")
            self.stream.flush()

    def line(self, now: float | None = None) -> str:
        """`label done/total · rate · time left`, for the live line and the log."""
        elapsed = (now or time.monotonic()) - self.started
        text = f"{self.label} {self.done:,}/{self.total:,}"
        if elapsed > 0.5 and self.done:
            rate = self.done / elapsed
            text += f" · {rate:,.0f}/s"
            if self.total > self.done:
                text += f" · {_duration((self.total - self.done) / rate)} left"
        return text

    def _show(self, text: str) -> None:
        if self.mode == "tty":
            pad = max(0, self._width - len(text))
            self._width = len(text)
            self.stream.write("\r" + text + " " * pad)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()


@dataclass
class Reporter:
    """Makes a Progress per task, all in one mode (chosen once, from the stream and --quiet)."""

    mode: str = "quiet"
    stream: TextIO = field(default_factory=lambda: sys.stderr)

    def task(self, label: str, total: int) -> Progress:
        return Progress(label, total, self.mode, self.stream)

    def note(self, text: str) -> None:
        """A one-off line ("nothing changed"), shown unless quiet."""
        if self.mode != "quiet":
            self.stream.write(text + "\n")
            self.stream.flush()


def reporter(quiet: bool = False, stream: TextIO | None = None) -> Reporter:
    """The reporter for this run: nothing when quiet, a live line on a terminal, else log lines."""
    stream = stream or sys.stderr
    if quiet:
        return Reporter("quiet", stream)
    return Reporter("tty" if stream.isatty() else "log", stream)


QUIET = Reporter("quiet")


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
