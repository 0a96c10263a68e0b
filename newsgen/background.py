"""Work handed to a forked process so that a second core does it while this one goes on.

A build is a chain of steps in one process; some of its work (writing the caches and the
registries, the data export) is needed only at the end. `Background` starts it in a child that
sees the parent's memory as it was at the fork: nothing is pickled but the result, and what the
parent changes afterwards does not reach the child.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

_PENDING: tuple[Callable[..., Any], tuple[Any, ...]] | None = None  # what the next forked child runs
POLL_SECONDS = 0.2  # how often a wait checks that the child still lives


class BackgroundError(RuntimeError):
    """The child stopped without an answer (killed: out of memory, a signal)."""


def _run() -> Any:
    assert _PENDING is not None
    function, args = _PENDING
    return function(*args)


class Background:
    """`function(*args)` started in a forked process: `result()` waits for what it returns and
    raises what it raised.

    With one job, or no fork, it runs when the result is asked for. Leaving the `with` block
    stops it if its result was not taken.
    """

    def __init__(self, function: Callable[..., Any], args: tuple[Any, ...], jobs: int) -> None:
        global _PENDING
        self.function, self.args, self.pool, self.pending, self.worker = function, args, None, None, None
        if jobs < 2 or not hasattr(os, "fork"):
            return  # run by `result`, in this process
        import multiprocessing as mp

        _PENDING = (function, args)
        try:
            self.pool = mp.get_context("fork").Pool(1)  # forks now, with _PENDING set
        finally:
            _PENDING = None
        self.pending = self.pool.apply_async(_run)
        self.pool.close()
        workers = getattr(self.pool, "_pool", None)  # (multiprocessing keeps no public handle)
        self.worker = workers[0] if workers else None

    def done(self) -> bool:
        """Whether `result` would return without waiting on another process."""
        return self.pending is None or self.pending.ready()

    def result(self) -> Any:
        """What the function returned. A pool would wait forever for a child that was killed
        (the kernel's out-of-memory killer, a signal): that raises BackgroundError."""
        if self.pool is None:
            return self.function(*self.args)
        import multiprocessing as mp

        try:
            while True:
                try:
                    return self.pending.get(timeout=POLL_SECONDS)
                except mp.TimeoutError:
                    code = self.worker.exitcode if self.worker is not None else None
                    if not code:  # still running (a finished child exits with 0 after answering)
                        continue
                    try:
                        return self.pending.get(timeout=1)  # answered just before it stopped
                    except mp.TimeoutError:
                        self.cancel()
                        name = getattr(self.function, "__name__", "work")
                        raise BackgroundError(f"the process running {name} stopped without an answer "
                                              f"(exit code {code}; out of memory?)") from None
        finally:
            if self.pool is not None:
                self.pool.join()
                self.pool = None

    def cancel(self) -> None:
        """Stop the process if it still runs (its result is not needed, or the build failed)."""
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None

    def __enter__(self) -> Background:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()
