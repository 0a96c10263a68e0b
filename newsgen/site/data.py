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

import hashlib
import json
import operator
import os
import pickle
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

from newsgen.cache import code_fingerprint
from newsgen.site.collections import Archive, ArticleItem, ClaimRef, Collection, Entry, Link, co_people
from newsgen.site.pages import DATA_FILES, Digests, File, data_paths

SCHEMA = "newsgen-export/1"
# The memo is written again only when more than this share of the lines were made anew: after
# an edit, rewriting its 84 MB (10,000 articles) took longer than the next build takes to make
# those few lines again. Lines it no longer needs go when it is next written.
MEMO_SLACK = 0.02


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


def _person(entry: Entry, claim: Callable[[ClaimRef], dict[str, Any]]) -> dict[str, Any]:
    return {
        **_entry(entry),
        "roles": [{"role": r.role, "date": r.date, "article": r.item.slug} for r in entry.roles],
        "claims": [claim(r) for r in entry.claims],
        "co_people": _links(co_people(entry)),
        "quoted_by": _links(entry.related.get("quoted_by", [])),
    }


def _event(entry: Entry, claim: Callable[[ClaimRef], dict[str, Any]]) -> dict[str, Any]:
    return {
        **_entry(entry),
        "date": entry.facts.get("date"),
        "place": entry.facts.get("place"),
        "kind": entry.facts.get("kind"),
        "participants": _links(entry.related.get("participants", [])),
        "claims": [claim(r) for r in entry.claims],
    }


def _source(entry: Entry, claim: Callable[[ClaimRef], dict[str, Any]]) -> dict[str, Any]:
    return {
        **_entry(entry),
        "claims_reported": [claim(r) for r in entry.claims if r.via is entry],
        "claims_made": [claim(r) for r in entry.claims if r.speaker is entry],
        "quoted_people": _links(entry.related.get("quoted_people", [])),
    }


def _article(item: ArticleItem) -> dict[str, Any]:
    return {"id": item.slug, "url": item.url, **item.article.to_dict()}


def _as_dict(name: str, entry: Entry, make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    return make()


def _entries(archive: Archive, line: Callable[[str, Entry, Callable[[], dict[str, Any]]], Any] = _as_dict
             ) -> dict[str, list[Any]]:
    """The people, events and sources, each as what `line` makes of it (file name, entry, its
    dict made when asked): by default its dict."""
    claims: dict[ClaimRef, dict[str, Any]] = {}

    def claim(ref: ClaimRef) -> dict[str, Any]:
        """One dict per claim, shared by the entries that list it (about three each)."""
        found = claims.get(ref)
        if found is None:
            found = claims[ref] = _claim(ref)
        return found

    out = {}
    for name, entries, make in (("people", archive.people.entries, _person),
                                ("events", archive.events.entries, _event),
                                ("sources", archive.sources.entries, _source)):
        out[name] = [line(name, e, partial(make, e, claim)) for e in sorted(entries.values(), key=lambda e: e.id)]
    return out


def export_records(archive: Archive) -> dict[str, list[dict[str, Any]]]:
    """Every record of the archive as plain JSON-ready data, keyed by file name."""
    return {"articles": [_article(item) for item in archive.articles], **_entries(archive)}


# No indent: only then does json use its C encoder (an indented 10,000-article export took
# seconds in the pure-Python one). Records are encoded one by one so each gets its own line.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def data_file(name: str, records: list[dict[str, Any]]) -> bytes:
    """The file, in UTF-8: the header on the first line, then one record per line."""
    return _data_file(name, [_ENCODER.encode(record).encode() for record in records])


def _data_file(name: str, lines: list[bytes]) -> bytes:
    """Joined as bytes: a join of 10,000 French lines as `str` (wider than Latin-1 as soon as
    one holds a ’) then encoded took three times as long."""
    return b"".join(_data_chunks(name, lines))


def _data_chunks(name: str, lines: list[bytes]) -> list[bytes]:
    """The file's bytes in pieces, in order: its header, the lines and what goes between."""
    head = _ENCODER.encode({"schema": SCHEMA, "count": len(lines)})[:-1]  # without its "}"
    opening = f"{head},{_ENCODER.encode(name)}:".encode()
    if not lines:
        return [opening + b"[]}\n"]
    chunks = [opening + b"[\n"]
    for line in lines:
        chunks += (line, b",\n")
    chunks[-1] = b"\n]}\n"
    return chunks


def plan_data(archive: Archive, memo: Path | None = None, digests: Digests | None = None,
              keys: EntryKeys | None = None) -> list[File]:
    """The four data files, ready to write.

    `memo` (a file in the project's cache) keeps each record's line by a digest of what it is
    made of, for the next build: after one edit, the lines of that article and of the people,
    events and sources listing it are made again, not 17,500 (two seconds at 10,000 articles).
    `digests` may already hold the records' digests (the build computed them for its hashes),
    and `keys` the entries' keys.
    """
    return [File(path, b"".join(chunks)) for path, chunks in _planned_chunks(archive, memo, digests, keys)]


def _planned_chunks(archive: Archive, memo: Path | None, digests: Digests | None, keys: EntryKeys | None
                    ) -> list[tuple[str, list[bytes]]]:
    if memo is None:
        records = export_records(archive)
        lines = {name: [_ENCODER.encode(record).encode() for record in records[name]] for name in records}
    else:
        digests = digests or Digests()
        lines = _memo_lines(archive, memo, digests, keys or EntryKeys(digests))
    return [(path, _data_chunks(name, lines[name])) for name, path in zip(DATA_FILES, data_paths())]


def write_data(archive: Archive, folder: Path, memo: Path | None = None, digests: Digests | None = None,
               keys: EntryKeys | None = None) -> list[str]:
    """`plan_data`'s files written under `folder`; returns their paths. Made in a forked process,
    they are moved into the new tree from there: their 80 MB at 10,000 articles do not go
    through a pipe to the build's process, which would take them in while it works. Written
    piece by piece: joining them first cost a tenth of a second more."""
    paths = []
    for path, chunks in _planned_chunks(archive, memo, digests, keys):
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as fh:
            fh.writelines(chunks)
        paths.append(path)
    return paths


def _memo_version() -> str:
    """The code a line depends on: this module, the records' fields, the archive's entries
    (collections.py) and the digests (pages.py), as the record cache fingerprints its own code."""
    here = Path(__file__).resolve()
    return code_fingerprint(here, here.parent.parent / "records.py", here.parent / "collections.py",
                            here.parent / "pages.py")


def _memo_lines(archive: Archive, memo: Path, digests: Digests, keys: EntryKeys) -> dict[str, list[bytes]]:
    """Each file's lines, taken from `memo` when what a line is made of is unchanged: an
    article's record, slug and URL; an entry's own fields and links, and the digests of its
    articles and claims (see `_entry_key`)."""
    version = _memo_version()
    try:
        with open(memo, "rb") as fh:
            found, old = pickle.load(fh)
        if found != version:
            old = {}
    except Exception:  # missing, truncated, from other code: a cache
        old = {}
    new: dict[bytes, bytes] = {}
    made = 0

    def kept(key: bytes, make: Callable[[], dict[str, Any]]) -> bytes:
        """The memo's line for `key`, else the dict `make` gives, encoded."""
        nonlocal made
        line = old.get(key)
        if line is None:
            line = _ENCODER.encode(make()).encode()
            made += 1
        new[key] = line
        return line

    lines = {"articles": [kept(_article_key(item, digests), partial(_article, item)) for item in archive.articles],
             **_entries(archive, lambda name, entry, make: kept(keys.get(name, entry), make))}
    if made > len(new) * MEMO_SLACK:
        try:
            _save(memo, (version, new))
        except OSError:
            pass  # a cache: the next build encodes the records again
    return lines


def _article_key(item: ArticleItem, digests: Digests) -> bytes:
    """What an article's line is made of: its record, slug and URL (no two articles share a slug)."""
    return hashlib.sha1(digests.record(item.article) + f"\0{item.slug}\0{item.url}".encode()).digest()


class EntryKeys:
    """The entries' memo keys (`_entry_key`), kept by entry for a server's next build.

    Making the 7,200 keys of 10,000 articles takes half a second, in the forked process that
    makes the export, which a server's rebuild after an edit then waits for. The build makes
    them in its own process while it waits anyway (`fill`), and the next build, when it updates
    that archive in place, takes up those of the entries listing no updated article: their
    fields, articles and claims are the same objects with the same digests.
    """

    def __init__(self, digests: Digests, last: EntryKeys | None = None, archive: Archive | None = None,
                 updated: Iterable[ArticleItem] = ()) -> None:
        self.digests = digests
        self.keys: dict[int, bytes] = {}
        if last is not None and archive is not None:
            changed = {id(item) for item in updated}
            of_ref = operator.attrgetter("item")
            for collection in archive.collections:  # (map and isdisjoint: 136,000 references, in C)
                for entry in collection.entries.values():
                    key = last.keys.get(id(entry))
                    if key is not None and changed.isdisjoint(map(id, entry.articles)) \
                            and changed.isdisjoint(map(id, map(of_ref, entry.claims))):
                        self.keys[id(entry)] = key

    def get(self, name: str, entry: Entry) -> bytes:
        key = self.keys.get(id(entry))
        if key is None:
            key = self.keys[id(entry)] = _entry_key(name, entry, self.digests)
        return key

    def fill(self, archive: Archive, until: Callable[[], bool]) -> None:
        """Make the entries' keys now, until `until()` says to stop (asked now and then)."""
        for name in ("people", "events", "sources"):  # (as `_entries` names them)
            collection: Collection = getattr(archive, name)
            for i, entry in enumerate(collection.entries.values()):
                if i % 256 == 0 and until():
                    return
                self.get(name, entry)


def _entry_key(name: str, entry: Entry, digests: Digests) -> bytes:
    """What an entry's line is made of: its fields, roles and links by value, its articles and
    claims by their digests (each article's whole record, slug and people; each claim's
    article, number, speaker and relay). The file's name keeps an entry's key from an
    article's (their first part is made otherwise)."""
    own = (name, entry.kind, entry.id, entry.url, entry.name, entry.aliases, list(entry.facts.items()),
           [(r.role, r.date, r.item.slug) for r in entry.roles],
           [(relation, [(link.name, link.entry.id if link.entry else None) for link in links])
            for relation, links in entry.related.items()])
    h = hashlib.sha1(repr(own).encode())
    for item in entry.articles:
        h.update(digests.item(item))
    for ref in entry.claims:
        h.update(digests.claim(ref))
    return h.digest()


def _save(path: Path, value: Any) -> None:
    """Pickle `value` to `path` through a temporary file renamed over it, so a reader finds the
    old memo or the new one. The temporary file has a fixed name: this runs in a process the
    build may stop (`cancel`), which would leave a new 40 MB file behind at every stop."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
