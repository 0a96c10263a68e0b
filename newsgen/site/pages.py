"""The plan of the site: every output page as a small, pure description (path, template, context).

Planning does no I/O and renders nothing, so the build can hash each page's inputs
(`page_hashes`) and render only the pages whose hash changed; `build.py` is the only place that
writes files.
"""
from __future__ import annotations

import bisect
import copyreg
import hashlib
import io
import marshal
import pickle
import unicodedata
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, field, fields
from functools import partial
from operator import attrgetter
from typing import Any

from newsgen import records
from newsgen.config import SiteConfig
from newsgen.records import Article
from newsgen.reuse import Reuse
from newsgen.site import structured as ld
from newsgen.site.body import Segment
from newsgen.site.collections import (
    Archive,
    ArticleItem,
    ClaimRef,
    Collection,
    Entry,
    Link,
    Replaced,
    Role,
    by_rank,
    name_key,
)
from newsgen.site.structured import PageMeta
from newsgen.site.timeline import UNKNOWN, build_timeline, split_date, year_counts
from newsgen.site.urls import folder_page, safe_slug

HOME_LATEST = 10
FEED = "feed.xml"
# The data export's files (made by site/data.py, linked from the home page).
DATA_FOLDER = "data"
DATA_FILES = ("articles", "people", "events", "sources")


def data_paths() -> list[str]:
    """Where the data export's files go, in `DATA_FILES` order (known before they are made)."""
    return [f"{DATA_FOLDER}/{name}.json" for name in DATA_FILES]


@dataclass(frozen=True)
class Page:
    """One file of the site: where it goes, which template renders it, with what."""

    path: str  # "people/sergei-shoigu/index.html", relative to the output folder
    template: str  # "person.html"
    context: dict[str, Any] = field(default_factory=dict)
    # What the page shows beyond what its context holds by value, for its hash: an index prints
    # each entry's article and claim counts, which the hash of a linked entry leaves out.
    inputs: tuple[Any, ...] = ()
    # More context computed only from the context above, `inputs` and the settings (structured
    # data, meta descriptions, the article body's segments): made when the page is rendered, so
    # an incremental build neither computes nor hashes it for the pages it skips.
    later: Callable[[], dict[str, Any]] | None = None

    def full_context(self) -> dict[str, Any]:
        """What the template gets: `context` and what `later` makes."""
        return {**self.context, **self.later()} if self.later is not None else self.context


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


def _paginations(folder: str, count: int) -> list[Pagination]:
    """The pagination of each of `count` index pages; they share one list of links (an index
    of N pages would otherwise make N * N of them)."""
    links = [PageLink(n, folder_page(folder, n)) for n in range(1, count + 1)]
    return [Pagination(n, count, links) for n in range(1, count + 1)]


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


def _counts(entries: list[Any]) -> tuple[tuple[str, int, int], ...]:
    """How many articles and claims each listed entry has (index pages print them)."""
    return tuple((e.id, len(e.articles), len(e.claims)) for e in entries if isinstance(e, Entry))


def _index_pages(folder: str, template: str, items: list[Any], per_page: int,
                 section: str, **extra: Any) -> list[Page]:
    chunks = paginate(items, per_page)
    return [
        Page(folder_page(folder, n), template, {
            "section": section,
            "items": chunk,
            "total": len(items),
            "pagination": pagination,
            **extra,
        }, _counts(chunk))
        for n, (chunk, pagination) in enumerate(zip(chunks, _paginations(folder, len(chunks))), start=1)
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
            "pagination": pagination,
        }, _counts(chunk))
        for n, (chunk, pagination) in enumerate(zip(chunks, _paginations(people.folder, len(chunks))), start=1)
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
        "data_files": data_paths(),
        "meta": PageMeta(config.title, config.description),
        "ld": ld.website_ld(config),
    })]

    pages += _index_pages("articles", "articles_index.html", archive.articles, per_page, "articles")
    pages += [_article_page(item, config) for item in archive.articles]

    pages += _people_index(archive.people, per_page)
    for entry in archive.people.entries.values():
        articles = sorted(entry.articles, key=by_rank)
        roles = role_spans(entry.roles)
        pages.append(Page(f"{entry.url}index.html", "person.html", {
            "section": "people",
            "entry": entry,
            "articles": articles,
            "roles": roles,
            "claims": entry.claims,
            "quoted_by": entry.related.get("quoted_by", []),
            "feed": f"{entry.url}{FEED}",
        }, later=partial(_person_later, entry, roles, articles, config)))

    events = sorted(archive.events.entries.values(), key=lambda e: name_key(e.name))
    events.sort(key=lambda e: date_sort_key(e.facts.get("date")), reverse=True)  # newest first
    pages += _index_pages("events", "events_index.html", events, per_page, "events")
    for entry in archive.events.entries.values():
        articles = sorted(entry.articles, key=by_rank)
        participants = entry.related.get("participants", [])
        pages.append(Page(f"{entry.url}index.html", "event.html", {
            "section": "events",
            "entry": entry,
            "articles": articles,
            "participants": participants,
            "related_events": entry.related.get("related_events", []),
            "feed": f"{entry.url}{FEED}",
        }, (entry.claims,), partial(_event_later, entry, participants, articles, config)))

    sources = sorted(archive.sources.entries.values(), key=lambda e: name_key(e.name))
    pages += _index_pages("sources", "sources_index.html", sources, per_page, "sources")
    for entry in archive.sources.entries.values():
        articles = sorted(entry.articles, key=by_rank)
        pages.append(Page(f"{entry.url}index.html", "source.html", {
            "section": "sources",
            "entry": entry,
            "articles": articles,
            "reported": [r for r in entry.claims if r.via is entry],
            "made": [r for r in entry.claims if r.speaker is entry],
            "quoted_people": entry.related.get("quoted_people", []),
            "feed": f"{entry.url}{FEED}",
        }, later=partial(_source_later, entry, articles, config)))

    years = build_timeline(archive)
    counts = year_counts(years)
    pages.append(Page("timeline/index.html", "timeline.html", {
        "section": "timeline",
        "years": counts,
        "meta": PageMeta(f"Chronologie — {config.title}", config.description),
    }))
    year_links = [(y.label, y.url) for y in years]  # each year page's navigation
    for year in years:
        pages.append(Page(f"{year.url}index.html", "timeline_year.html", {
            "section": "timeline",
            "year": year,
            "years": year_links,
            "meta": PageMeta(f"{year.label} — Chronologie — {config.title}", config.description),
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


def _article_page(item: ArticleItem, config: SiteConfig) -> Page:
    return Page(f"{item.url}index.html", "article.html", {
        "section": "articles",
        "item": item,
        "article": item.article,
        "year": article_year(item),
        "lastmod": _iso(item.date),
    }, (item.claims,), partial(_article_later, item, config))


def replan_articles(pages: list[Page], items: Iterable[ArticleItem], config: SiteConfig) -> list[Page]:
    """`pages`, planned from an archive since updated in place (`collections.update_archive`),
    with the article pages of the updated `items` planned again.

    Such an update changes only items' records and bodies and their claims' records; every
    other page's context holds the items, entries and claims themselves, which are the same
    objects, and values (dates, names, counts, order) that records of the same shape give
    alike. Only an article page holds a record (`article`) as it was when planned.
    """
    at = {page.path: i for i, page in enumerate(pages)}
    pages = list(pages)
    for item in items:
        page = _article_page(item, config)
        pages[at[page.path]] = page
    return pages


def _article_later(item: ArticleItem, config: SiteConfig) -> dict[str, Any]:
    """The body with its claim marks (from the record and its resolved claims), meta, JSON-LD."""
    return {
        "paragraphs": paragraph_views(item),
        "unplaced": [ref for ref in item.claims if not ref.anchored],
        "meta": PageMeta(item.article.title, ld.article_description(item), "article",
                         _iso(item.article.published or item.article.date)),
        "ld": ld.article_ld(item, config),
    }


def _person_later(entry: Entry, roles: list[RoleSpan], articles: list[ArticleItem],
                  config: SiteConfig) -> dict[str, Any]:
    """Meta, JSON-LD and the people met in the same articles (counted from `articles`, whose
    digests hold each article's people)."""
    return {"co_people": co_appearances(entry),
            "meta": PageMeta(entry.name, _entry_description(entry, roles), "profile"),
            "ld": ld.person_ld(entry, [r.role for r in roles], articles, config)}


def _event_later(entry: Entry, participants: list[Link], articles: list[ArticleItem],
                 config: SiteConfig) -> dict[str, Any]:
    """Meta, JSON-LD and the claims by side and by speaker (made from `entry.claims`, which is
    in the page's `inputs`)."""
    statements = [r for r in entry.claims if r.kind not in ("accusation", "denial")]
    return {"sides": claim_sides(entry.claims),
            "claim_groups": claim_groups(statements),
            "meta": PageMeta(entry.name, _entry_description(entry), "website"),
            "ld": ld.event_ld(entry, [p.entry for p in participants if p.entry], articles, entry.claims, config)}


def _source_later(entry: Entry, articles: list[ArticleItem], config: SiteConfig) -> dict[str, Any]:
    return {"meta": PageMeta(entry.name, _entry_description(entry), "website"),
            "ld": ld.source_ld(entry, articles, config)}


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


# ---------------------------------------------------------------------------------------------
# What each page depends on


def _ref(kind: str, digest: bytes) -> None:
    """Stands for a linked record in a page's pickled inputs (pickled by name, never called)."""


def _value(kind: str, *fields: Any) -> None:
    """Stands for a view object pickled as its fields (pickled by name, never called)."""


def _flattener(kind: type, omit: frozenset[str] = frozenset()) -> Callable[[Any], list[Any]]:
    """A function giving a record of type `kind` as a list of its field values, the records
    nested in it (`records._NESTED`, what loading builds) flattened in turn: plain data that
    marshal writes about twice as fast as pickle writes the objects (a third of a second at
    10,000 articles). Any other nested value raises, and the record is pickled instead.
    Fields named in `omit` are left out, at every level."""
    names = [f.name for f in fields(kind) if f.name not in omit]
    get = attrgetter(*names) if len(names) > 1 else lambda obj: [getattr(obj, name) for name in names]
    nested = [(i, _flattener(records._NESTED[kind, name], omit)) for i, name in enumerate(names)
              if (kind, name) in records._NESTED]

    def flat(obj: Any) -> list[Any]:
        if type(obj) is not kind:
            raise TypeError(f"{type(obj).__name__} where {kind.__name__} was expected")
        values = list(get(obj))
        for i, inner in nested:
            value = values[i]
            if type(value) is list:
                values[i] = [inner(v) for v in value]
            elif value is not None:
                values[i] = inner(value)
        return values
    return flat


_flat_article = _flattener(Article)
# What a page listing an article can show of its record: all of it but the text (body, captions,
# page furniture) and what was found where in it (mentions, evidence, dates, offsets), which only
# the article's own page, its feeds and the data export show. An edit of the text then
# re-renders the article's page, not the pages of everyone it names; whether each claim's
# sentence is still found is added from the item. (Leaving out whole lists also makes this
# digest quicker to compute than the whole record's, which every build needs besides.)
TEXT_FIELDS = frozenset({"body", "captions", "furniture", "mentions", "evidence", "dates",
                         "start", "end", "sentence_start", "sentence_end"})
_flat_listed = _flattener(Article, TEXT_FIELDS)


# The record digests of the last build of this process (newsgen.reuse), whole and as listed.
_RECORDS: Reuse[bytes] = Reuse()
_LISTED: Reuse[bytes] = Reuse()


class Digests:
    """Short digests of the records pages link to, computed once per build.

    An article, as a page shows it when linking it (title, date, people...), is its record plus
    the names and URLs of its people, sources and events: the whole record, or (`listed`) the
    record without its text (`TEXT_FIELDS`), for the pages of templates known not to show the
    text of the articles they list. A person, event or source, as linked from another page, is
    its name, URL, aliases and facts; not its list of articles, so a new article about someone
    re-renders their page and the indexes listing them, not every article that mentions them.
    """

    def __init__(self, last: Digests | None = None, replaced: Iterable[Replaced] | None = None) -> None:
        """`last`, `replaced`: the Digests of the last build, when this build's archive is the
        one it digested with only the `replaced` items given new records (see
        `collections.update_archive`): its digests of the other items, of every entry and of
        the other items' claims still hold, and are taken (a third of the page hashes' time).
        `stale` then holds the digests that no longer do, the replaced records' included."""
        self._memo: dict[int, bytes] = {}  # entries, items and claims
        self._listed: dict[int, bytes] = {}  # items and claims as listed
        self._links: dict[int, bytes] = {}  # items' entries (Digests._entries)
        self._records: dict[int, bytes] = {}  # by identity for one build: see `record`
        self._records_listed: dict[int, bytes] = {}
        self.last = last if replaced is not None else None
        self.stale: set[bytes] = set()
        if last is not None and replaced is not None:
            self._memo, self._listed, self._links = dict(last._memo), dict(last._listed), dict(last._links)
            for item, record in replaced:
                for memo in (self._memo, self._listed):
                    for key in (id(item), *map(id, item.claims)):
                        digest = memo.pop(key, None)
                        if digest is not None:
                            self.stale.add(digest)
                self._links.pop(id(item), None)
                for memo in (last._records, last._records_listed):
                    if id(record) in memo:
                        self.stale.add(memo[id(record)])
        self._buffer = io.BytesIO()
        self._pickler = pickle.Pickler(self._buffer, protocol=5)
        self._pickler.fast = True  # no memo: the bytes depend on the values, not on object identity
        _RECORDS.start()  # one Digests per build: the last one's record digests may be reused
        _LISTED.start()

    def record(self, article: Article, listed: bool = False) -> bytes:
        """The record by value, whole or as listed (the last build's when it is the same record
        object: a record is never changed once made, see newsgen.reuse; the memos above, by
        id, may outlive a record replaced, and are not carried over for records)."""
        memo = self._records_listed if listed else self._records
        digest = memo.get(id(article))
        if digest is None:
            flat = _flat_listed if listed else _flat_article
            last = _LISTED if listed else _RECORDS
            digest = memo[id(article)] = last.get(article, None, lambda: self._record(article, flat))
        return digest

    def _record(self, article: Article, flat: Callable[[Any], list[Any]]) -> bytes:
        """Marshal version 0 shares no object and marks no string as interned, so, like the
        pickle without memo, its bytes depend on the values alone. (A record marshal cannot
        write is pickled whole, text included, listed or not.)"""
        try:
            data = b"m" + marshal.dumps(flat(article), 0)
        except (TypeError, ValueError, AttributeError):  # a value marshal cannot write
            self._buffer.seek(0)
            self._buffer.truncate()
            self._pickler.dump(article)
            data = b"p" + self._buffer.getvalue()
        return hashlib.sha1(data).digest()

    def entry(self, entry: Entry) -> bytes:
        digest = self._memo.get(id(entry))
        if digest is None:
            key = (entry.kind, entry.id, entry.slug, entry.name, tuple(entry.aliases), tuple(entry.facts.items()))
            digest = self._memo[id(entry)] = hashlib.sha1(repr(key).encode()).digest()
        return digest

    def claim(self, ref: ClaimRef, listed: bool = False) -> bytes:
        """A claim as any page shows it: its article (whose record holds the claim) and its
        resolved speaker and relay (a person page lists claims also shown elsewhere)."""
        memo = self._listed if listed else self._memo
        digest = memo.get(id(ref))
        if digest is None:
            key = b"".join((self.item(ref.item, listed), b"%d\0" % ref.number, self._link(ref.speaker),
                            self._link(ref.via)))
            digest = memo[id(ref)] = hashlib.sha1(key).digest()
        return digest

    def item(self, item: ArticleItem, listed: bool = False) -> bytes:
        memo = self._listed if listed else self._memo
        digest = memo.get(id(item))
        if digest is None:
            # The slug with its length, the record's digest, then each group of entries as its
            # length and the entries' digests (20 bytes each): parts that cannot run together.
            parts = [b"%d:%s" % (len(item.slug), item.slug.encode()), self.record(item.article, listed)]
            if listed:  # which claims' sentences the text holds (`#claim-N` links), from the text
                parts.append(repr(sorted(item.anchored)).encode())
            parts.append(self._entries(item))
            digest = memo[id(item)] = hashlib.sha1(b"".join(parts)).digest()
        return digest

    def _entries(self, item: ArticleItem) -> bytes:
        """The item's groups of entries, each as its length and its entries' digests (the same
        for the whole and the listed digest, so made once)."""
        found = self._links.get(id(item))
        if found is None:
            parts = []
            for group in (item.people, item.sources, item.events, item.main_events):
                parts.append(b"%d:" % len(group))
                parts += map(self.entry, group)
            found = self._links[id(item)] = b"".join(parts)
        return found

    def _link(self, entry: Entry | None) -> bytes:
        """`+` and the entry's digest (20 bytes), or `-` for none: parts that cannot run together."""
        return b"+" + self.entry(entry) if entry is not None else b"-"


class _Reductions(dict[Any, tuple[Any, ...]]):
    """Linked record -> how a page's pickle writes it (a stand-in holding its digest).

    Its bound `__getitem__` is the pickler's reducer for those types: a look-up in C, so the
    600,000 links of the pages of a 10,000-article archive cost no Python call but the first
    per record (`__missing__`). Entries, items and claims hash by identity (eq=False), and the
    dict keeps them alive, so no key is ever reused for another object.
    """

    def __init__(self, digests: Digests, listed: bool) -> None:
        super().__init__()
        self.digests = digests
        self.listed = listed

    def __missing__(self, obj: Any) -> tuple[Any, ...]:
        cls = type(obj)
        if cls is Entry:
            key = "entry", self.digests.entry(obj)
        elif cls is ArticleItem:
            key = "item", self.digests.item(obj, self.listed)
        elif cls is ClaimRef:
            key = "claim", self.digests.claim(obj, self.listed)
        else:
            raise TypeError(f"no digest for {cls.__name__}")
        reduced = self[obj] = (_ref, key)
        return reduced


def _inputs_pickler(buffer: io.BytesIO, digests: Digests, listed: bool) -> pickle.Pickler:
    """A pickler of page contexts by value, linked records as their digests (articles as
    `listed`, see Digests; a record itself in a context always whole)."""
    linked = _Reductions(digests, listed)
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.dispatch_table = {
        **copyreg.dispatch_table,  # what a pickler without a table of its own uses
        Entry: linked.__getitem__,
        ArticleItem: linked.__getitem__,
        ClaimRef: linked.__getitem__,
        Article: lambda article: (_ref, ("record", digests.record(article))),  # a dataclass: unhashable
        # its links as plain data: each page of an index of N pages holds N of them
        Pagination: lambda page: (_value, ("pagination", page.number, page.count,
                                           [(link.number, link.path) for link in page.pages])),
    }
    return pickler


@dataclass
class _Hashed:
    """What a `page_hashes` call hashed: the next call may take up its hashes (see there)."""

    digests: Digests
    key: tuple[Any, ...]  # (salts, common, listing)
    paths: list[str]
    templates: list[str]
    inputs: list[bytes | None]  # each page's pickled inputs (None: unhashable)
    hashes: list[str]

    def holding(self, digests: set[bytes]) -> set[int]:
        """The pages whose pickled inputs hold any of `digests` (20 random bytes each: a page
        that holds one by chance is only hashed again)."""
        ends, found, offset = [], set(), 0
        for data in self.inputs:
            offset += len(data) if data is not None else 0
            ends.append(offset)
        joined = b"".join(data for data in self.inputs if data is not None)
        for digest in digests:
            at = joined.find(digest)
            while at >= 0:
                found.add(bisect.bisect_right(ends, at))
                at = joined.find(digest, at + 1)
        return found


_HASHED: _Hashed | None = None
# Past this many stale digests, every page is pickled again rather than searched for them: each
# search reads all the last inputs (17 MB at 10,000 articles), and an update replacing every
# record with an equal one (a record cache read again) made 50,000 searches, five minutes.
STALE_SEARCH = 64


def page_hashes(pages: list[Page], salts: Mapping[str, str], common: str = "",
                digests: Digests | None = None, listing: Container[str] = ()) -> list[str]:
    """A hash of each page's inputs: its context and `inputs`, the template files it uses
    (`salts`, by template name) and `common` (settings and code every page depends on).
    `listing`: the templates known to show no article's text but their own page's `article`,
    whose pages depend on the articles they link as listed (see Digests).

    The same archive gives the same hashes in any process; a page whose context cannot be
    pickled gets a hash that never matches, so it is always rendered.

    When `digests` took up those of the last call's (the archive updated in place, see
    `Digests`) and the pages, templates and settings are the same, a page whose inputs held
    none of the digests gone stale keeps its hash: its inputs are the same objects, and their
    digests the same. (At 10,000 articles, pickling 17,500 pages took half a second.)
    """
    global _HASHED
    digests = digests or Digests()
    key = (dict(salts), common, listing)
    last, _HASHED = _HASHED, None
    paths, templates = [p.path for p in pages], [p.template for p in pages]
    same = (last is not None and digests.last is last.digests and last.key == key
            and last.paths == paths and last.templates == templates)
    redo = last.holding(digests.stale) if same and last is not None and len(digests.stale) <= STALE_SEARCH else None
    buffer = io.BytesIO()
    whole, listed = _inputs_pickler(buffer, digests, False), _inputs_pickler(buffer, digests, True)
    inputs: list[bytes | None] = []
    out = []
    for i, page in enumerate(pages):
        if redo is not None and last is not None and i not in redo and last.inputs[i] is not None:
            inputs.append(last.inputs[i])
            out.append(last.hashes[i])
            continue
        pickler = listed if page.template in listing else whole
        buffer.seek(0)
        buffer.truncate()
        pickler.clear_memo()
        try:
            pickler.dump((page.context, page.inputs))
        except Exception:
            inputs.append(None)
            out.append(f"unhashable-{id(page)}")
            continue
        data = buffer.getvalue()
        inputs.append(data)
        h = hashlib.sha1(data)
        h.update(f"\0{page.template}\0{salts.get(page.template, '')}\0{common}".encode())
        out.append(h.hexdigest())
    _HASHED = _Hashed(digests, key, paths, templates, inputs, out)
    return out


def archive_hash(archive: Archive, digests: Digests, common: str = "") -> str:
    """A hash of every record as the site publishes it: what the feeds and the data export are
    made from (the collections are a function of the records), so when it is unchanged they are."""
    h = hashlib.sha1(common.encode())
    for item in archive.articles:
        h.update(digests.record(item.article) + item.slug.encode() + b"\0")
    return h.hexdigest()
