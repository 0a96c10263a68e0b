"""Reuse, in the next run of a pass, what it computed from a record in its last run.

`newsgen serve` rebuilds the whole archive after each edit, and from one build to the next the
records are the same objects: the record cache is kept in memory (cache.py) and resolving
returns the records it leaves unchanged (resolve/registry.py, resolve/grouping.py). A pass that
works something out from one record and a small key (what else it read) takes the value of its
last run when both are the same: the record by identity, the key by equality.

This is only sound because records are never changed once made (tests/test_incremental.py
checks a build leaves them as they were read, and that a series of builds in one process makes
the same site as a fresh one). A table holds one run's values: those a run did not ask for are
dropped when the next run starts, and the records it holds stay alive, so an id is never reused.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Reuse(Generic[V]):
    """A pass's values by record, kept from one run of the pass to the next."""

    def __init__(self) -> None:
        self._last: dict[int, tuple[object, Hashable, V]] = {}
        self._now: dict[int, tuple[object, Hashable, V]] = {}

    def start(self) -> None:
        """A new run of the pass: the last run's values may be reused, older ones are dropped."""
        self._last, self._now = self._now, {}

    def get(self, record: object, key: Hashable, compute: Callable[[], V]) -> V:
        """`compute()`, or the value the last run computed for this record and key."""
        hit = self._last.get(id(record))
        if hit is not None and hit[0] is record and hit[1] == key:
            value = hit[2]
        else:
            value = compute()
        self._now[id(record)] = (record, key, value)
        return value

    def again(self, record: object) -> V | None:
        """The last run's value for this record (kept for the next run, as `get` keeps it), or
        None: for a caller that knows the value's key is the same without making it."""
        hit = self._last.get(id(record))
        if hit is None or hit[0] is not record:
            return None
        self._now[id(record)] = hit
        return hit[2]
