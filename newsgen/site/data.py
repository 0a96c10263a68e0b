"""Machine-readable export for researchers: `data/articles.json`, `people.json`, `events.json`,
`sources.json`.

Each file is `{"schema": ..., "count": N, "<kind>": [...]}` with every record, one per line
(compact UTF-8 JSON, so a diff or `grep` shows whole records): articles are the full records as
stored in `articles/*.md` plus their `id` (the slug they are published under, which claims and
entries refer to) and page `url` (relative to the site root);
people, events and sources are the merged entries with the articles and claims they come from.
Claims are referred to as `{"article": slug, "number": N}`, N counting from 1 in the article's
`claims` list (the page anchor is `#claim-N`).
"""
from __future__ import annotations

import json
from typing import Any

from newsgen.site.collections import Archive, ClaimRef, Entry, Link
from newsgen.site.pages import File

DATA_FOLDER = "data"
SCHEMA = "newsgen-export/1"
DATA_FILES = ("articles", "people", "events", "sources")


def _claim(ref: ClaimRef) -> dict[str, Any]:
    return {
        "article": ref.item.slug,
        "number": ref.number,
        "url": ref.url if ref.anchored else ref.item.url,
        "kind": ref.kind,
        "speaker": ref.claim.speaker,
        "speaker_id": ref.speaker.id if ref.speaker else None,
        "via": ref.claim.via,
        "via_id": ref.via.id if ref.via else None,
        "text": ref.claim.text,
        "quote": ref.claim.quote,
    }


def _links(links: list[Link]) -> list[dict[str, Any]]:
    return [{"name": link.name, "id": link.entry.id if link.entry else None} for link in links]


def _entry(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "url": entry.url,
        "name": entry.name,
        "aliases": list(entry.aliases),
        "articles": [item.slug for item in entry.articles],
    }


def _person(entry: Entry) -> dict[str, Any]:
    return {
        **_entry(entry),
        "roles": [{"role": r.role, "date": r.date, "article": r.item.slug} for r in entry.roles],
        "claims": [_claim(r) for r in entry.claims],
        "co_people": _links(entry.related.get("co_people", [])),
        "quoted_by": _links(entry.related.get("quoted_by", [])),
    }


def _event(entry: Entry) -> dict[str, Any]:
    return {
        **_entry(entry),
        "date": entry.facts.get("date"),
        "place": entry.facts.get("place"),
        "kind": entry.facts.get("kind"),
        "participants": _links(entry.related.get("participants", [])),
        "claims": [_claim(r) for r in entry.claims],
    }


def _source(entry: Entry) -> dict[str, Any]:
    return {
        **_entry(entry),
        "claims_reported": [_claim(r) for r in entry.claims if r.via is entry],
        "claims_made": [_claim(r) for r in entry.claims if r.speaker is entry],
        "quoted_people": _links(entry.related.get("quoted_people", [])),
    }


def export_records(archive: Archive) -> dict[str, list[dict[str, Any]]]:
    """Every record of the archive as plain JSON-ready data, keyed by file name."""
    def ordered(entries: dict[str, Entry]) -> list[Entry]:
        return sorted(entries.values(), key=lambda e: e.id)

    return {
        "articles": [{"id": item.slug, "url": item.url, **item.article.to_dict()}
                     for item in archive.articles],
        "people": [_person(e) for e in ordered(archive.people.entries)],
        "events": [_event(e) for e in ordered(archive.events.entries)],
        "sources": [_source(e) for e in ordered(archive.sources.entries)],
    }


# No indent: only then does json use its C encoder (an indented 10,000-article export took
# seconds in the pure-Python one). Records are encoded one by one so each gets its own line.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def data_text(name: str, records: list[dict[str, Any]]) -> str:
    """The file's JSON: the header on the first line, then one record per line."""
    head = _ENCODER.encode({"schema": SCHEMA, "count": len(records)})[:-1]  # without its "}"
    lines = ",\n".join(map(_ENCODER.encode, records))
    items = f"[\n{lines}\n]" if records else "[]"
    return f"{head},{_ENCODER.encode(name)}:{items}}}\n"


def plan_data(archive: Archive) -> list[File]:
    """The four data files, ready to write."""
    return [File(f"{DATA_FOLDER}/{name}.json", data_text(name, records).encode("utf-8"))
            for name, records in export_records(archive).items()]
