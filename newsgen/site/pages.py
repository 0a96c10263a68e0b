"""The plan of the site: every output page as a small, pure description (path, template, context).

Planning does no I/O and renders nothing, so a later incremental build can hash each page's
inputs and skip the unchanged ones; `build.py` is the only place that writes files.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from newsgen.config import SiteConfig
from newsgen.site import structured as ld
from newsgen.site.body import Segment
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
from newsgen.site.structured import PageMeta
from newsgen.site.timeline import UNKNOWN, build_timeline, split_date
from newsgen.site.urls import folder_page, safe_slug

HOME_LATEST = 10
FEED = "feed.xml"
DATA_FILES = ("articles", "people", "events", "sources")


@dataclass(frozen=True)
class Page:
    """One file of the site: where it goes, which template renders it, with what."""

    path: str  # "people/sergei-shoigu/index.html", relative to the output folder
    template: str  # "person.html"
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class File:
    """A non-template output file (feed, sitemap, data export): its path and its bytes."""

    path: str
    data: bytes


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


@dataclass(frozen=True)
class ParagraphView:
    """A body paragraph and the claims whose sentence it holds, shown beside it."""

    segments: list[Segment]
    claims: list[ClaimRef]


@dataclass(frozen=True)
class CoAppearance:
    """Someone who appears in the same articles as a person, and in how many."""

    entry: Entry
    count: int


@dataclass(frozen=True)
class ClaimSide:
    """One column of an event's "who says what": the accusations, or the denials."""

    kind: str
    title: str
    claims: list[ClaimRef]


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


def paragraph_views(item: ArticleItem) -> list[ParagraphView]:
    """Each paragraph with the claims anchored in it (in claim order)."""
    by_number = {ref.number: ref for ref in item.claims}
    views = []
    for segments in item.paragraphs:
        numbers = sorted({n for seg in segments for n in seg.claims})
        views.append(ParagraphView(segments, [by_number[n] for n in numbers if n in by_number]))
    return views


def co_appearances(entry: Entry) -> list[CoAppearance]:
    """The people sharing an article with `entry`, most shared articles first."""
    counts: dict[int, CoAppearance] = {}
    for item in entry.articles:
        for other in item.people:
            if other is not entry:
                old = counts.get(id(other))
                counts[id(other)] = CoAppearance(other, (old.count if old else 0) + 1)
    return sorted(counts.values(), key=lambda c: (-c.count, name_key(c.entry.name)))


def claim_sides(claims: list[ClaimRef]) -> list[ClaimSide]:
    """Accusations and denials, side by side (only the kinds present)."""
    sides = [ClaimSide("accusation", "Accusations", [r for r in claims if r.kind == "accusation"]),
             ClaimSide("denial", "Démentis", [r for r in claims if r.kind == "denial"])]
    return [side for side in sides if side.claims]


def article_year(item: ArticleItem) -> str | None:
    year, _ = split_date(item.date)
    return year if year and year != UNKNOWN else None


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


def _iso(value: str | None) -> str | None:
    """The date when it is a W3C/ISO one (no unknown year), for sitemaps and meta tags."""
    return value if value and not value.startswith("XXXX") else None


def plan_site(archive: Archive, config: SiteConfig, *, search: bool = False) -> list[Page]:
    """Every page of the site, in a stable order; `search` adds the search page."""
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
        "data_files": [f"data/{name}.json" for name in DATA_FILES],
        "meta": PageMeta(config.title, config.description),
        "ld": ld.website_ld(config),
    })]

    pages += _index_pages("articles", "articles_index.html", archive.articles, per_page, "articles")
    for item in archive.articles:
        pages.append(Page(f"{item.url}index.html", "article.html", {
            "section": "articles",
            "item": item,
            "article": item.article,
            "paragraphs": paragraph_views(item),
            "unplaced": [ref for ref in item.claims if not ref.anchored],
            "year": article_year(item),
            "lastmod": _iso(item.date),
            "meta": PageMeta(item.article.title, ld.article_description(item), "article",
                             _iso(item.article.published or item.article.date)),
            "ld": ld.article_ld(item, config),
        }))

    pages += _people_index(archive.people, per_page)
    for entry in archive.people.entries.values():
        articles = sorted(entry.articles, key=newest_first)
        roles = role_spans(entry.roles)
        pages.append(Page(f"{entry.url}index.html", "person.html", {
            "section": "people",
            "entry": entry,
            "articles": articles,
            "roles": roles,
            "claims": entry.claims,
            "co_people": co_appearances(entry),
            "quoted_by": entry.related.get("quoted_by", []),
            "feed": f"{entry.url}{FEED}",
            "meta": PageMeta(entry.name, _entry_description(entry, roles), "profile"),
            "ld": ld.person_ld(entry, [r.role for r in roles], articles, config),
        }))

    events = sorted(archive.events.entries.values(), key=lambda e: name_key(e.name))
    events.sort(key=lambda e: date_sort_key(e.facts.get("date")), reverse=True)  # newest first
    pages += _index_pages("events", "events_index.html", events, per_page, "events")
    for entry in archive.events.entries.values():
        articles = sorted(entry.articles, key=newest_first)
        participants = entry.related.get("participants", [])
        statements = [r for r in entry.claims if r.kind not in ("accusation", "denial")]
        pages.append(Page(f"{entry.url}index.html", "event.html", {
            "section": "events",
            "entry": entry,
            "articles": articles,
            "participants": participants,
            "sides": claim_sides(entry.claims),
            "claim_groups": claim_groups(statements),
            "feed": f"{entry.url}{FEED}",
            "meta": PageMeta(entry.name, _entry_description(entry), "website"),
            "ld": ld.event_ld(entry, [p.entry for p in participants if p.entry], articles,
                              entry.claims, config),
        }))

    sources = sorted(archive.sources.entries.values(), key=lambda e: name_key(e.name))
    pages += _index_pages("sources", "sources_index.html", sources, per_page, "sources")
    for entry in archive.sources.entries.values():
        articles = sorted(entry.articles, key=newest_first)
        pages.append(Page(f"{entry.url}index.html", "source.html", {
            "section": "sources",
            "entry": entry,
            "articles": articles,
            "reported": [r for r in entry.claims if r.via is entry],
            "made": [r for r in entry.claims if r.speaker is entry],
            "quoted_people": entry.related.get("quoted_people", []),
            "feed": f"{entry.url}{FEED}",
            "meta": PageMeta(entry.name, _entry_description(entry), "website"),
            "ld": ld.source_ld(entry, articles, config),
        }))

    pages.append(Page("timeline/index.html", "timeline.html", {
        "section": "timeline",
        "years": build_timeline(archive),
        "meta": PageMeta(f"Chronologie — {config.title}", config.description),
    }))
    if search:
        pages.append(Page("search/index.html", "search.html", {
            "section": "search",
            "meta": PageMeta(f"Recherche — {config.title}", config.description),
        }))
    pages.append(Page("404.html", "404.html", {
        "section": "",
        "absolute_links": True,
        "meta": PageMeta(f"Page introuvable — {config.title}"),
    }))
    return pages


def _entry_description(entry: Entry, roles: list[RoleSpan] | None = None) -> str:
    """A one-line summary of an entry page for <meta name=description>."""
    n = len(entry.articles)
    parts = [f"{n} article{'s' if n > 1 else ''}"]
    if entry.claims:
        parts.append(f"{len(entry.claims)} déclaration{'s' if len(entry.claims) > 1 else ''}")
    head = entry.name
    if roles:
        head += ", " + roles[-1].role
    elif entry.facts.get("date") or entry.facts.get("place"):
        head += " (" + ", ".join(v for v in (entry.facts.get("place"), entry.facts.get("date")) if v) + ")"
    return f"{head} : " + ", ".join(parts) + "."
