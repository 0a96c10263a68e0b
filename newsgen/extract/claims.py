"""Claims: who asserted, accused or denied what (first version: none yet)."""
from __future__ import annotations

from newsgen.extract.context import Context
from newsgen.records import Claim, Person, Source


def find_claims(ctx: Context, people: list[Person], sources: list[Source]) -> list[Claim]:
    return []
