"""Sources: agencies and media the article cites (first version: ORG entities that look like agencies)."""
from __future__ import annotations

import re

from newsgen.extract.context import Context
from newsgen.records import Source, Span
from newsgen.resolve.names import fold, make_id

_AGENCY = re.compile(r"\b(agence|presse|news|journal|télévision|radio)\b", re.IGNORECASE)


def find_sources(ctx: Context) -> list[Source]:
    found: dict[str, Source] = {}
    for ent in ctx.doc.ents:
        if ent.label_ != "ORG" or "://" in ent.text:
            continue
        if not (ent.text.isupper() or _AGENCY.search(ent.text)):
            continue
        key = fold(ent.text)
        src = found.setdefault(key, Source(id=make_id(ent.text), name=ent.text))
        src.mentions.append(Span(ent.text, ent.start_char, ent.end_char))
    return list(found.values())
