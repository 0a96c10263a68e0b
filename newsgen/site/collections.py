"""People, events and sources: one generic Collection, configured per kind by a CollectionSpec.

The archive is built in one pass over the articles. For each article the members of every
collection are merged into their entries (same `id` = same entry, names merged as aliases),
then its claims are resolved against that article's own people and sources (a claim's speaker is
someone the article names, which keeps "Kim" in one article from matching another Kim
elsewhere), and each spec says which entries a claim and a relation belong to.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from operator import attrgetter

from newsgen.records import Article, Claim
from newsgen.resolve.names import name_tokens
from newsgen.reuse import Reuse
from newsgen.site.body import Body, Segment, build_body, claim_kind
from newsgen.site.urls import allocate_slugs, safe_slug

# ---------------------------------------------------------------------------------------------
# Names


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """A comparison key for names, the resolver's: accents, case, punctuation and a leading
    title dropped, so "M. Choïgou", "choigou" and "Choïgou" compare equal.

    Cached: building and planning the archive ask for the key of the same few thousand names
    hundreds of thousands of times."""
    return " ".join(name_tokens(name or ""))


@lru_cache(maxsize=65536)
def surname_key(name: str) -> str:
    """The last word of a name, used as a weaker, ambiguity-checked match ("M. Shoigu")."""
    words = name_key(name).split()
    return words[-1] if words else ""


# ---------------------------------------------------------------------------------------------
# What the collections hold


@dataclass(frozen=True)
class Member:
    """One appearance of an entity in one article, as a spec extracts it."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()  # ("date", "2024-09-13"), ("place", "Pyongyang")


@dataclass(eq=False)
class Link:
    """A name, linked to an entry when it resolves to one (unresolved names stay plain text)."""

    name: str
    entry: Entry | None = None


@dataclass(eq=False)
class Role:
    role: str
    date: str | None
    item: ArticleItem


@dataclass(eq=False, repr=False)
class ClaimRef:
    """A claim in its article, with its speaker and relay resolved to entries when possible."""

    item: ArticleItem
    number: int  # 1-based position in article.claims: the anchor is `claim-N`
    claim: Claim
    speaker: Entry | None = None
    via: Entry | None = None
    # claim_kind(claim.kind), computed once: every page listing claims filters them by kind
    kind: str = field(init=False)

    def __post_init__(self) -> None:
        self.kind = claim_kind(self.claim.kind)

    def __repr__(self) -> str:  # (the default shows the archive reachable from it)
        return f"ClaimRef({self.item.article.slug!r}, {self.number})"

    @property
    def anchor(self) -> str:
        return f"claim-{self.number}"

    @property
    def anchored(self) -> bool:
        """Whether the claim's sentence is marked in the body (so `#claim-N` resolves)."""
        return self.number in self.item.anchored

    @property
    def url(self) -> str:
        return f"{self.item.url}#{self.anchor}"


@dataclass(eq=False, repr=False)
class Entry:
    """One page-worthy entity: a person, an event or a source, merged across articles."""

    kind: str
    folder: str
    id: str
    slug: str = ""
    name: str = ""
    aliases: list[str] = field(default_factory=list)
    articles: list[ArticleItem] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    claims: list[ClaimRef] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)
    related: dict[str, list[Link]] = field(default_factory=dict)
    names: Counter[str] = field(default_factory=Counter)

    def __repr__(self) -> str:
        return f"Entry({self.kind!r}, {self.id!r})"

    @property
    def url(self) -> str:
        return f"{self.folder}/{self.slug}/"


@dataclass(eq=False, repr=False)
class ArticleItem:
    """An article with what the site adds: its slug, segmented body and resolved links."""

    article: Article
    body: Body | None = None  # where the claims' sentences are; `paragraphs` is cut from it
    slug: str = ""
    claims: list[ClaimRef] = field(default_factory=list)
    people: list[Entry] = field(default_factory=list)
    sources: list[Entry] = field(default_factory=list)
    events: list[Entry] = field(default_factory=list)
    main_events: list[Entry] = field(default_factory=list)
    names: dict[str, Entry | None] = field(default_factory=dict)  # name/id key -> entry
    surnames: dict[str, Entry | None] = field(default_factory=dict)  # None = ambiguous

    # Position in the archive's newest-first list (set by build_archive): sorting a list of
    # items by it is sorting by `newest_first` at the cost of one attribute read per item.
    rank: int = 0
    # The date the article is filed under: publication first, else the story's date.
    date: str | None = field(init=False)

    def __post_init__(self) -> None:
        self.date = self.article.published or self.article.date

    def __repr__(self) -> str:
        return f"ArticleItem({self.article.slug!r})"

    @property
    def url(self) -> str:
        return f"articles/{self.slug}/"

    @property
    def anchored(self) -> frozenset[int]:
        """Numbers of the claims whose sentence was found in the body."""
        return self.body.anchored if self.body is not None else frozenset()

    @cached_property
    def paragraphs(self) -> list[list[Segment]]:
        """The body as segments, cut when first asked for (only the article page shows it)."""
        return self.body.paragraphs if self.body is not None else []

    def resolve(self, name: str | None, kinds: tuple[str, ...] = ("person", "source")) -> Entry | None:
        """The entry of this article called `name` (id, name or alias; then unique surname)."""
        if not name:
            return None
        for table, key in ((self.names, name), (self.names, name_key(name)),
                           (self.surnames, surname_key(name))):
            entry = table.get(key)
            if entry is not None and entry.kind in kinds:
                return entry
        return None


# ---------------------------------------------------------------------------------------------
# The generic mechanism


@dataclass(frozen=True)
class CollectionSpec:
    """How one kind of entry is gathered: its members per article and what links to it."""

    kind: str  # "person"
    folder: str  # "people": URL folder of the entry pages and of the index
    members: Callable[[Article], Iterable[Member]]
    # entries (of this collection) a claim belongs to, given the resolved claim
    claim_owners: Callable[[ClaimRef], Iterable[Entry]]
    # (relation, link) pairs for an entry from one article it appears in
    relations: Callable[[ArticleItem, Entry, Member], Iterable[tuple[str, Link]]] | None = None
    # (relation, link) pairs for an entry from one claim it owns
    claim_relations: Callable[[ClaimRef, Entry], Iterable[tuple[str, Link]]] | None = None


@dataclass
class Collection:
    spec: CollectionSpec
    entries: dict[str, Entry] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def folder(self) -> str:
        return self.spec.folder

    def get(self, entry_id: str | None) -> Entry | None:
        return self.entries.get(entry_id) if entry_id else None

    def upsert(self, member: Member, item: ArticleItem, warnings: list[str]) -> Entry:
        """Merge one appearance into its entry (created on first sight)."""
        entry = self.entries.get(member.id)
        if entry is None:
            entry = self.entries[member.id] = Entry(self.kind, self.folder, member.id)
        if member.name:
            entry.names[member.name] += 1
        for alias in member.aliases:
            entry.names[alias] += 0  # known spelling, but not a vote for the display name
        if not entry.articles or entry.articles[-1] is not item:
            entry.articles.append(item)
        for role in member.roles:
            entry.roles.append(Role(role, item.date, item))
        for key, value in member.facts:
            old = entry.facts.setdefault(key, value)
            if old != value:
                warnings.append(
                    f"{self.kind} {member.id!r}: {key} {value!r} in article {item.article.slug!r} "
                    f"differs from {old!r}; keeping {old!r}"
                )
        return entry

    def choose_names(self) -> None:
        """Display name = the most used spelling (first seen on a tie); the rest are aliases."""
        for entry in self.entries.values():
            named = [n for n, c in entry.names.most_common() if c > 0]
            entry.name = named[0] if named else (next(iter(entry.names), "") or entry.id)
            entry.aliases = [n for n in entry.names if n != entry.name]

    def finish(self) -> list[str]:
        """Dedupe links and allocate slugs (after every collection chose its names)."""
        for entry in self.entries.values():
            for relation, links in entry.related.items():
                entry.related[relation] = _dedupe_links(links, exclude=entry)
        slugs, warnings = allocate_slugs(self.entries)
        for entry_id, entry in self.entries.items():
            entry.slug = slugs[entry_id]
        return [f"{self.kind} {w}" for w in warnings]


def _dedupe_links(links: list[Link], exclude: Entry) -> list[Link]:
    """One link per entry (or per name when unresolved), sorted by name; never to `exclude`."""
    seen: dict[object, Link] = {}  # keyed by the entry itself (hashed by identity) or the name key
    for link in links:
        entry = link.entry
        if entry is None:
            seen.setdefault(name_key(link.name), link)
        elif entry is not exclude and entry not in seen:
            seen[entry] = Link(entry.name, entry)
    return sorted(seen.values(), key=lambda link: (name_key(link.name), link.name))


def co_people(entry: Entry) -> list[Link]:
    """The people sharing an article with `entry`, sorted by name as the related links are.
    Made when asked (by the data export) rather than while building the archive: each article
    of N people makes N * (N - 1) pairs, a tenth of the archive's build at 10,000 articles."""
    return _dedupe_links([Link(other.name, other) for item in entry.articles for other in item.people],
                         exclude=entry)


def _add(entry: Entry, pairs: Iterable[tuple[str, Link]]) -> None:
    related = entry.related
    for relation, link in pairs:
        links = related.get(relation)
        if links is None:
            related[relation] = [link]
        else:
            links.append(link)


# ---------------------------------------------------------------------------------------------
# The three kinds


def _person_members(article: Article) -> Iterable[Member]:
    for p in article.people:
        yield Member(p.id, p.name, tuple(p.aliases), tuple(p.roles))


def _source_members(article: Article) -> Iterable[Member]:
    for s in article.sources:
        yield Member(s.id, s.name, tuple(s.aliases))


def _event_members(article: Article) -> Iterable[Member]:
    for e in article.events:
        facts = tuple((k, v) for k, v in (("date", e.date), ("place", e.place), ("kind", e.kind)) if v)
        yield Member(e.id, e.name, facts=facts)


def _person_claims(ref: ClaimRef) -> Iterable[Entry]:
    return [ref.speaker] if ref.speaker and ref.speaker.kind == "person" else []


def _source_claims(ref: ClaimRef) -> Iterable[Entry]:
    return [e for e in (ref.speaker, ref.via) if e and e.kind == "source"]


def _event_claims(ref: ClaimRef) -> Iterable[Entry]:
    # For now: the claims of the articles in which the event is the main one.
    return ref.item.main_events


def _event_relations(item: ArticleItem, entry: Entry, member: Member) -> Iterable[tuple[str, Link]]:
    for event in item.article.events:
        if event.id == entry.id:
            for name in event.participants:
                yield "participants", Link(name, item.resolve(name, ("person",)))


def _person_claim_relations(ref: ClaimRef, entry: Entry) -> Iterable[tuple[str, Link]]:
    # The sources that quote this person: the relay of the claims they made.
    if ref.via is not None and ref.via.kind == "source":
        yield "quoted_by", Link(ref.via.name, ref.via)
    elif ref.claim.via and ref.via is None:
        yield "quoted_by", Link(ref.claim.via)


def _source_claim_relations(ref: ClaimRef, entry: Entry) -> Iterable[tuple[str, Link]]:
    # The people this source relays.
    if ref.via is entry and ref.speaker is not None and ref.speaker.kind == "person":
        yield "quoted_people", Link(ref.speaker.name, ref.speaker)


PEOPLE = CollectionSpec("person", "people", _person_members, _person_claims,
                        claim_relations=_person_claim_relations)
SOURCES = CollectionSpec("source", "sources", _source_members, _source_claims,
                         claim_relations=_source_claim_relations)
EVENTS = CollectionSpec("event", "events", _event_members, _event_claims, _event_relations)
SPECS = (PEOPLE, EVENTS, SOURCES)


# ---------------------------------------------------------------------------------------------
# The archive


@dataclass
class Archive:
    articles: list[ArticleItem]  # newest first
    people: Collection
    sources: Collection
    events: Collection
    warnings: list[str]

    @property
    def collections(self) -> list[Collection]:
        return [self.people, self.events, self.sources]


def date_ordinal(value: str | None) -> int:
    """20240913 for `2024-09-13`, 20240900 for `2024-09`; 0 for no date or no year (`XXXX-..`)."""
    match = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value or "")
    if not match:
        return 0
    year, month, day = match.groups()
    return int(year) * 10000 + int(month or 0) * 100 + int(day or 0)


def newest_first(item: ArticleItem) -> tuple[int, str]:
    """Sort key for article lists: newest first, slug as tie-break, undated last."""
    return (-date_ordinal(item.date), item.article.slug)


# Sort key equal in effect to `newest_first` for a list of the archive's items kept in the order
# build_archive met them (as `Entry.articles` are), ties included: `newest_first` is computed once
# per item instead of once per item of every list sorted, and reading it is no Python call.
by_rank: Callable[[ArticleItem], int] = attrgetter("rank")


def _index_names(item: ArticleItem, entries: Iterable[tuple[Entry, Member]]) -> None:
    """Fill the article's name tables; a key claimed by two different entries is ambiguous."""
    surnames: dict[str, Entry | None] = {}
    for entry, member in entries:
        for key in {member.id, *(name_key(n) for n in (member.name, *member.aliases) if n)}:
            if key:
                old = item.names.get(key, entry)
                item.names[key] = entry if old is entry else None
        for n in (member.name, *member.aliases):
            key = surname_key(n)
            if key:
                old = surnames.get(key, entry)
                surnames[key] = entry if old is entry else None
    item.surnames = surnames


def _resolve_claim(item: ArticleItem, number: int, claim: Claim, archive: dict[str, Collection]) -> ClaimRef:
    ref = ClaimRef(item, number, claim)
    if claim.speaker_id:
        # Ids are global: this article's own people are already merged into the collections.
        ref.speaker = archive["person"].get(claim.speaker_id) or archive["source"].get(claim.speaker_id)
    if ref.speaker is None:
        for name in (claim.speaker, *claim.speaker_aliases):
            ref.speaker = item.resolve(name)
            if ref.speaker is not None:
                break
    if claim.via:
        ref.via = item.resolve(claim.via, ("source", "person")) or archive["source"].get(claim.via)
    return ref


# Each article's body and members (by kind), for the next build of this process (newsgen.reuse).
_BODIES: Reuse[Body] = Reuse()
_MEMBERS: Reuse[dict[str, list[Member]]] = Reuse()


def build_archive(articles: list[Article]) -> Archive:
    """Build items and collections in one pass over the articles (oldest first, so the
    first-seen facts and spellings are the earliest reported)."""
    _BODIES.start()
    _MEMBERS.start()
    collections = {spec.kind: Collection(spec) for spec in SPECS}
    warnings: list[str] = []
    items: list[ArticleItem] = []
    unresolved: list[ClaimRef] = []  # claims whose speaker or relay the article did not name

    for article in sorted(articles, key=lambda a: (date_ordinal(a.published or a.date), a.slug)):
        body = _BODIES.get(article, None, lambda: build_body(article))  # noqa: B023 (called at once)
        item = ArticleItem(article, body)
        warnings.extend(body.warnings)
        items.append(item)

        members = _MEMBERS.get(article, None, lambda: {kind: list(c.spec.members(article))  # noqa: B023
                                                       for kind, c in collections.items()})
        appearances: dict[str, list[tuple[Entry, Member]]] = {}  # by kind
        for kind, collection in collections.items():
            found = appearances[kind] = []
            for member in members[kind]:
                if not member.id:
                    warnings.append(f"article {article.slug!r}: {kind} "
                                    f"{member.name!r} has no id; skipped")
                    continue
                found.append((collection.upsert(member, item, warnings), member))
        item.people = _unique(e for e, _ in appearances["person"])
        item.sources = _unique(e for e, _ in appearances["source"])
        item.events = _unique(e for e, _ in appearances["event"])
        main_ids = {e.id for e in article.events if e.main}
        item.main_events = [e for e in item.events if e.id in main_ids]
        _index_names(item, [*appearances["person"], *appearances["source"]])

        for kind, collection in collections.items():
            relations = collection.spec.relations
            if relations is not None:
                for entry, member in appearances[kind]:
                    _add(entry, relations(item, entry, member))

        for number, claim in enumerate(article.claims, start=1):
            ref = _resolve_claim(item, number, claim, collections)
            item.claims.append(ref)
            if ref.speaker is None or (claim.via and ref.via is None):
                unresolved.append(ref)

    # Claims the article alone could not resolve: by id now that every entry is known, then by
    # a name or alias merged from other articles, when it names exactly one person or source.
    names = _global_names([collections["person"], collections["source"]])
    for ref in unresolved:
        if ref.speaker is None:
            ref.speaker = collections["person"].get(ref.claim.speaker_id) \
                or collections["source"].get(ref.claim.speaker_id)
        for name in (ref.claim.speaker, *ref.claim.speaker_aliases):
            if ref.speaker is None:
                ref.speaker = names.get(name_key(name))
        if ref.via is None and ref.claim.via:
            ref.via = names.get(name_key(ref.claim.via))

    specs = [collection.spec for collection in collections.values()]
    for item in items:
        for ref in item.claims:
            for spec in specs:
                for owner in _unique(spec.claim_owners(ref)):
                    owner.claims.append(ref)
                    if spec.claim_relations is not None:
                        _add(owner, spec.claim_relations(ref, owner))

    _link_related_events(collections["event"], items)
    for collection in collections.values():
        collection.choose_names()
    for collection in collections.values():
        warnings.extend(collection.finish())
    warnings.extend(_allocate_article_slugs(items))
    items.sort(key=newest_first)
    for rank, item in enumerate(items):
        item.rank = rank
    return Archive(items, collections["person"], collections["source"], collections["event"], warnings)


# ---------------------------------------------------------------------------------------------
# The last archive, brought up to date


@dataclass
class _Built:
    """What `update_archive` returned last, and from what."""

    articles: list[Article]
    items: list[ArticleItem]  # each article's item, in the order of `articles`
    archive: Archive


_LAST: _Built | None = None


# An item given a new record, and the record it had.
Replaced = tuple[ArticleItem, Article]


def update_archive(articles: list[Article]) -> tuple[Archive, list[Replaced] | None]:
    """`build_archive`, or the archive this returned last brought up to date in place, with the
    items it updated and their former records (None when the archive is built anew).

    A server builds the whole archive after each edit, and most edits leave what the archive is
    made of as it was: an article's text, a caption, a claim's wording. When every record that is
    not the same object as last time has the same `_shape` as the record it replaces (and its
    body the same warnings), the entries, links, claim owners and slugs are those of the last
    archive: only the items of those records change, given the new record and body. (A second
    at 10,000 articles, on every such edit.) The archive returned before must not be used after
    this call: it may be the one updated.
    """
    global _LAST
    last, _LAST = _LAST, None  # an error below leaves no half-updated archive for the next call
    edits = _text_edits(last, articles) if last is not None else None
    if last is None or edits is None:
        archive = build_archive(articles)
        by_record = {id(item.article): item for item in archive.articles}
        items = [by_record[id(article)] for article in articles]
        updated = None
    else:
        archive, items = last.archive, last.items
        updated = [(items[i], last.articles[i]) for i, _ in edits]
        for i, body in edits:
            _update_item(items[i], articles[i], body)
    if len(set(map(id, items))) == len(items):  # (one record twice: no item of its own to update)
        _LAST = _Built(list(articles), items, archive)
    return archive, updated


def _text_edits(last: _Built, articles: list[Article]) -> list[tuple[int, Body]] | None:
    """The positions of the records changed since `last`, with their new bodies, when each has
    the shape of the record it replaces; None when the archive must be built anew."""
    if len(articles) != len(last.articles):
        return None
    edits = []
    for i, (old, new) in enumerate(zip(last.articles, articles)):
        if old is new:
            continue
        if _shape(old) != _shape(new):
            return None
        body = _BODIES.get(new, None, lambda: build_body(new))  # noqa: B023 (called at once)
        if body.warnings != last.items[i].body.warnings:  # (the archive's warnings hold them)
            return None
        edits.append((i, body))
    return edits


def _shape(article: Article) -> tuple[object, ...]:
    """What `build_archive` reads of a record besides what only its own body is made from (the
    text, the claims' offsets): the dates and slug that order and name it, its members, its
    events' links and what resolves its claims. Records of one shape make the same entries,
    links, claim owners and slugs."""
    return (article.published, article.date, article.slug, article.source_file,
            [list(spec.members(article)) for spec in SPECS],
            [(e.id, e.main, e.participants, e.related) for e in article.events],
            [(c.kind, c.speaker, c.speaker_id, c.speaker_aliases, c.via) for c in article.claims])


def _update_item(item: ArticleItem, article: Article, body: Body) -> None:
    """Give `item` its new record (of the same shape) and body."""
    item.article = article
    item.body = body
    item.__dict__.pop("paragraphs", None)  # cut from the old body (a cached_property)
    for ref, claim in zip(item.claims, article.claims):
        ref.claim = claim


def _link_related_events(events: Collection, items: list[ArticleItem]) -> None:
    """Related events (the summit and the visit that implements it) link to each other's pages."""
    for item in items:
        for event in item.article.events:
            entry = events.get(event.id)
            for other_id in event.related:
                other = events.get(other_id)
                if entry is not None and other is not None and other is not entry:
                    _add(entry, [("related_events", Link(other.name, other))])
                    _add(other, [("related_events", Link(entry.name, entry))])


def _global_names(collections: list[Collection]) -> dict[str, Entry | None]:
    """Every merged name and alias -> its entry; None where two entries share a name."""
    table: dict[str, Entry | None] = {}
    for collection in collections:
        for entry in collection.entries.values():
            for key in {name_key(n) for n in entry.names} - {""}:
                table[key] = entry if table.get(key, entry) is entry else None
    return table


def _allocate_article_slugs(items: list[ArticleItem]) -> list[str]:
    """Give each article a unique, path-safe slug; the record's slug is kept when it is one.

    Items are visited in a stable order (slug, date, source file) so that when two records share
    a slug, the same one always keeps it and the other always gets the `-2` suffix.
    """
    warnings: list[str] = []
    taken: set[str] = set()
    order = sorted(items, key=lambda i: (i.article.slug, i.date or "", i.article.source_file or ""))
    for item in order:
        base = safe_slug(item.article.slug)
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        item.slug = slug
        if slug != item.article.slug:
            warnings.append(f"article {item.article.slug!r} is published as {slug!r}")
    return warnings


def _unique(entries: Iterable[Entry]) -> list[Entry]:
    """The entries without repeats, in order (`in` compares entries by identity: eq=False)."""
    out: list[Entry] = []
    for entry in entries:
        if entry not in out:
            out.append(entry)
    return out
