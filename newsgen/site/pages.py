"""The plan of the site: every output page as a small, pure description (path, template, context).

Planning does no I/O and renders nothing, so a later incremental build can hash each page's
inputs and skip the unchanged ones; `build.py` is the only place that writes files.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from newsgen.config import SiteConfig
from newsgen.site.collections import (
    Archive,
    ArticleItem,
    ClaimRef,
    Collection,
    Entry,
    Role,
    name_key,
    newest_first,
)
from newsgen.site.urls import folder_page, safe_slug

HOME_LATEST = 10


@dataclass(frozen=True)
class Page:
    """One file of the site: where it goes, which template renders it, with what."""

    path: str  # "people/sergei-shoigu/index.html", relative to the output folder
    template: str  # "person.html"
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PageLink:
    number: int
    path: str


@dataclass(frozen=True)
class Pagination:
    number: int
    count: int
    pages: list[PageLink]

    @property
    def previous(self) -> PageLink | None:
        return self.pages[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> PageLink | None:
        return self.pages[self.number] if self.number < self.count else None


@dataclass(frozen=True)
class LetterGroup:
    letter: str
    anchor: str  # id of the heading, for the A-Z jump links
    entries: list[Entry]


@dataclass(frozen=True)
class RoleSpan:
    """A role as reported over time: first and last article dates that give it."""

    role: str
    first: str | None
    last: str | None
    items: list[ArticleItem]


@dataclass(frozen=True)
class ClaimGroup:
    """The claims of one speaker, with the kinds present (to show accusations and denials)."""

    speaker: str
    entry: Entry | None
    claims: list[ClaimRef]
    kinds: list[str]


# ---------------------------------------------------------------------------------------------
# Pure helpers


def paginate(items: list[Any], per_page: int) -> list[list[Any]]:
    """Split into pages of `per_page`; an empty list still makes one (empty) page."""
    if not items:
        return [[]]
    return [items[i:i + per_page] for i in range(0, len(items), per_page)]


def _pagination(folder: str, number: int, count: int) -> Pagination:
    return Pagination(number, count, [PageLink(n, folder_page(folder, n)) for n in range(1, count + 1)])


def initial(name: str) -> str:
    """The index letter of a name: its sort word's first letter, unaccented, else `#`."""
    word = sort_word(name)
    first = unicodedata.normalize("NFKD", word[:1])[:1].upper()
    return first if first.isalpha() else "#"


def sort_word(name: str) -> str:
    """The surname-ish last word of a name (good enough for an A-Z of mixed-culture names)."""
    words = name.split()
    return words[-1] if words else name


def person_sort_key(entry: Entry) -> tuple[str, str]:
    return (name_key(sort_word(entry.name)), name_key(entry.name))


def date_sort_key(value: str | None) -> tuple[int, str]:
    """Dates with a year first, then year-less (`XXXX-..`) ones, then undated."""
    if not value:
        return (0, "")
    if value.startswith("XXXX"):
        return (1, value)
    return (2, value)


def role_spans(roles: list[Role]) -> list[RoleSpan]:
    """Group a person's roles by wording, each with the span of dates it is reported over."""
    groups: dict[str, list[Role]] = {}
    for role in roles:
        groups.setdefault(name_key(role.role), []).append(role)
    spans = []
    for group in groups.values():
        dates = sorted(r.date for r in group if r.date)
        items: list[ArticleItem] = []
        for r in group:
            if all(r.item is not i for i in items):
                items.append(r.item)
        spans.append(RoleSpan(group[0].role, dates[0] if dates else None,
                              dates[-1] if dates else None, items))
    return sorted(spans, key=lambda s: (s.first or "9999", name_key(s.role)))


def claim_groups(claims: list[ClaimRef]) -> list[ClaimGroup]:
    """Group claims by speaker (the entry when resolved, else the name as written)."""
    groups: dict[object, list[ClaimRef]] = {}
    for ref in claims:
        key = ("entry", id(ref.speaker)) if ref.speaker else ("name", name_key(ref.claim.speaker))
        groups.setdefault(key, []).append(ref)
    out = []
    for refs in groups.values():
        first = refs[0]
        kinds = list(dict.fromkeys(r.kind for r in refs))
        out.append(ClaimGroup(first.speaker.name if first.speaker else first.claim.speaker,
                              first.speaker, refs, kinds))
    return sorted(out, key=lambda g: (-len(g.claims), name_key(g.speaker)))


def letter_groups(entries: list[Entry]) -> list[LetterGroup]:
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(initial(entry.name), []).append(entry)
    return [LetterGroup(letter, _letter_anchor(letter), members) for letter, members in groups.items()]


def _letter_anchor(letter: str) -> str:
    return "lettre-" + (safe_slug(letter) if letter != "#" else "autres")


# ---------------------------------------------------------------------------------------------
# The plan


def _index_pages(folder: str, template: str, items: list[Any], per_page: int,
                 section: str, **extra: Any) -> list[Page]:
    chunks = paginate(items, per_page)
    return [
        Page(folder_page(folder, n), template, {
            "section": section,
            "items": chunk,
            "total": len(items),
            "pagination": _pagination(folder, n, len(chunks)),
            **extra,
        })
        for n, chunk in enumerate(chunks, start=1)
    ]


def _people_index(people: Collection, per_page: int) -> list[Page]:
    entries = sorted(people.entries.values(), key=person_sort_key)
    chunks = paginate(entries, per_page)
    # A-Z jump links: each letter points at the first page where it appears.
    letters: dict[str, str] = {}
    for n, chunk in enumerate(chunks, start=1):
        for group in letter_groups(chunk):
            letters.setdefault(group.letter, f"{folder_page(people.folder, n)}#{group.anchor}")
    return [
        Page(folder_page(people.folder, n), "people_index.html", {
            "section": "people",
            "groups": letter_groups(chunk),
            "letters": list(letters.items()),
            "total": len(entries),
            "pagination": _pagination(people.folder, n, len(chunks)),
        })
        for n, chunk in enumerate(chunks, start=1)
    ]


def plan_site(archive: Archive, config: SiteConfig) -> list[Page]:
    """Every page of the site, in a stable order."""
    per_page = config.per_page
    pages = [Page("index.html", "home.html", {
        "section": "home",
        "latest": archive.articles[:HOME_LATEST],
        "counts": {
            "articles": len(archive.articles),
            "people": len(archive.people.entries),
            "events": len(archive.events.entries),
            "sources": len(archive.sources.entries),
        },
    })]

    pages += _index_pages("articles", "articles_index.html", archive.articles, per_page, "articles")
    for item in archive.articles:
        pages.append(Page(f"{item.url}index.html", "article.html", {
            "section": "articles",
            "item": item,
            "article": item.article,
        }))

    pages += _people_index(archive.people, per_page)
    for entry in archive.people.entries.values():
        pages.append(Page(f"{entry.url}index.html", "person.html", {
            "section": "people",
            "entry": entry,
            "articles": sorted(entry.articles, key=newest_first),
            "roles": role_spans(entry.roles),
            "claims": entry.claims,
            "co_people": entry.related.get("co_people", []),
            "quoted_by": entry.related.get("quoted_by", []),
        }))

    events = sorted(archive.events.entries.values(), key=lambda e: name_key(e.name))
    events.sort(key=lambda e: date_sort_key(e.facts.get("date")), reverse=True)  # newest first
    pages += _index_pages("events", "events_index.html", events, per_page, "events")
    for entry in archive.events.entries.values():
        pages.append(Page(f"{entry.url}index.html", "event.html", {
            "section": "events",
            "entry": entry,
            "articles": sorted(entry.articles, key=newest_first),
            "participants": entry.related.get("participants", []),
            "claim_groups": claim_groups(entry.claims),
        }))

    sources = sorted(archive.sources.entries.values(), key=lambda e: name_key(e.name))
    pages += _index_pages("sources", "sources_index.html", sources, per_page, "sources")
    for entry in archive.sources.entries.values():
        pages.append(Page(f"{entry.url}index.html", "source.html", {
            "section": "sources",
            "entry": entry,
            "articles": sorted(entry.articles, key=newest_first),
            "reported": [r for r in entry.claims if r.via is entry],
            "made": [r for r in entry.claims if r.speaker is entry],
            "quoted_people": entry.related.get("quoted_people", []),
        }))
    return pages
