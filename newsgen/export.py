"""The JSON form of a record that `newsgen extract --format jsonl` prints (the evaluation contract)."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from newsgen.records import Article


def contract_record(article: Article, file: str) -> dict[str, Any]:
    """One article in the documented JSON shape; extra fields are welcome to readers."""
    return {
        "file": file,
        "slug": article.slug,
        "title": article.title,
        "language": article.language,
        "published": article.published,
        "date": article.date,
        "origin": asdict(article.origin) if article.origin else None,
        "body": [p.text for p in article.body],
        "captions": [{"text": c.text, "credit": c.credit, "start": c.start, "end": c.end} for c in article.captions],
        "furniture": article.furniture,
        "dates": [asdict(d) for d in article.dates],
        "people": [{"id": p.id, "name": p.name, "aliases": p.aliases, "roles": p.roles,
                    "mentions": [asdict(m) for m in p.mentions]} for p in article.people],
        "sources": [{"id": s.id, "name": s.name, "aliases": s.aliases} for s in article.sources],
        "organisations": [o.name for o in article.organisations],
        "places": [p.name for p in article.places],
        "claims": [asdict(c) for c in article.claims],
        "events": [asdict(e) for e in article.events],
        "warnings": article.warnings,
    }
