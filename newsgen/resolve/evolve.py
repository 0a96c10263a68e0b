"""A cheaper `dataclasses.replace` for the records that resolving copies by the hundred thousand.

Resolving 10,000 articles copies about 142,000 records (people, sources, claims, events, the
articles themselves) with one or two fields changed. `dataclasses.replace` looks up the fields
and calls `__init__` on every copy; copying the instance dict gives the same object at about a
quarter of the cost.
"""
from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")


def evolve(record: T, **changes: Any) -> T:
    """`dataclasses.replace(record, **changes)` for a dataclass whose `__init__` only stores its
    fields: no `__post_init__`, no `InitVar` or `init=False` field, not frozen, no `__slots__`
    (the records of `newsgen.records` and the registry entries). Fields not in `changes` are
    shared with `record`, as `replace` shares them.
    """
    new = object.__new__(type(record))
    new.__dict__ = record.__dict__ | changes
    return new
