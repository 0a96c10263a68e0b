"""Archive-wide events: articles that tell of one event share one event id, one page.

Each article brings its main event and the events it refers to, as extraction found them. Two
outlets, a follow-up the next day or a translation tell one event with other words, other
dates (the day after), other people (one names the host, one does not) and other places
("Pékin", "en Chine"); the same kind of event with the same people on another date is another
event. So no single cue decides: a mention joins an archive event when several agree, scored
over time (respecting each date's precision), people, place, kind and the wording of titles and
ledes (TF-IDF cosine), and at least one cue that names the event (people, place or wording)
must agree: a date and a kind alone never merge two stories.

Candidates are found through an index keyed by (person, week), (place, week) and (kind, week),
so each mention is compared with the few events of its week that share something with it, never
with the whole archive (10,000 articles group in seconds).

Identity lives in the editable `registry/events.yaml` (format at the top of `HEADER`). Every
assignment is kept there: an event keeps its id (its page URL) and its name whatever is added
later, and what a person wrote there (pins, merges, splits, renames) wins over the automatic
grouping on every rebuild. The machine only appends: new events at the end, new articles and
related events to existing entries; entries it does not touch are left byte for byte.
"""
from __future__ import annotations

import datetime as dt
import functools
import math
import operator
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from pathlib import Path
from typing import Any

import yaml

from newsgen import fastyaml
from newsgen.files import write_text_atomic
from newsgen.records import Article, Event
from newsgen.resolve.evolve import evolve
from newsgen.resolve.names import fold, make_id, name_tokens
from newsgen.reuse import Reuse

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

HEADER = """\
# Events of the archive: one entry per event; the id is its page URL (change it and the page moves).
#
#   - id: visite-de-serguei-choigou-a-pyongyang-2024-09-13
#     name: Visite de Sergueï Choïgou à Pyongyang    # the page title: rename freely
#     kind: visit                                     # visit, meeting, summit, trial, attack, ...
#     date: 2024-09-13                                # YYYY-MM-DD, YYYY-MM or YYYY
#     place: Pyongyang
#     participants: [Sergueï Choïgou, Kim Jong-un]
#     articles: [slug-a, slug-b]                      # articles whose main event this is
#     mentioned_in: [slug-c]                          # articles that refer to it
#     related: [sommet-entre-vladimir-poutine-et-kim-jong-un-2024-06]
#
# What you write here wins over the automatic grouping on every rebuild:
# - pin an article: put its slug under `articles` of the right event (and remove it elsewhere);
# - merge two events: move the articles of one under the other, then delete the emptied entry;
# - split an event: add an entry with a new id and move some of the articles to it;
# - rename: change `name` (the id, hence the URL, stays).
# New events are appended at the end; new articles and related events are added to entries. An
# entry the machine adds nothing to is never rewritten, comments included. Delete an entry (or this
# file) to let its articles be grouped again automatically.
"""

# Kinds whose mentions a few days apart are still one event.
MULTI_DAY = {"visit", "summit", "conference", "trial", "negotiation", "exercise", "protest", "election"}
# Kinds one event can be told as (a visit is told as its meetings, a summit as its agreement).
COMPATIBLE: set[frozenset[str]] = {
    frozenset(p) for p in (("visit", "meeting"), ("summit", "visit"), ("visit", "call"), ("summit", "meeting"),
                           ("summit", "conference"), ("meeting", "call"), ("meeting", "negotiation"),
                           ("conference", "meeting"), ("trial", "arrest"), ("visit", "agreement"),
                           ("summit", "agreement"), ("meeting", "agreement"), ("visit", "ceremony"),
                           ("summit", "ceremony"), ("agreement", "ceremony"), ("protest", "arrest"),
                           ("statement", "visit"), ("statement", "meeting"), ("statement", "summit"),
                           ("accusation", "statement"), ("event", "meeting"), ("event", "visit"))
}
# Kinds an event is defined by its place, more than by its people.
PLACE_DEFINED = {"attack", "disaster", "protest", "election", "exercise", "launch"}

WEIGHTS = {"date": 0.30, "people": 0.30, "place": 0.15, "kind": 0.10, "text": 0.15}
THRESHOLD = 0.55
TEXT_IDENTITY = 0.25  # wording this close names the same story (unrelated articles score under 0.1)
DATE_GAP_SCORE = {0: 1.0, 1: 0.75, 2: 0.4, 3: 0.25, 4: 0.1}
STOPWORDS = frozenset("""
    les des une dans pour par sur avec est sont ont été aux que qui son ses leur leurs cette ces
    mais plus pas elle ils elles nous vous lui tout tous comme entre selon après avant lors deux
    avait avaient fait faire dont sans sous vers chez depuis aussi encore ainsi alors même
    lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai juin juillet
    aout septembre octobre novembre decembre source http https www html com
""".split())
_MAIN_TEXT_WORDS = 80


class EventRegistryError(Exception):
    pass


@dataclass
class EventEntry:
    """One archive event, as `registry/events.yaml` lists it."""

    id: str
    name: str
    kind: str | None = None
    date: str | None = None
    place: str | None = None
    participants: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    mentioned_in: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # keys the user added: kept as they are

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "name": self.name}
        for key in ("kind", "date", "place", "participants", "articles", "mentioned_in", "related"):
            value = getattr(self, key)
            if value:
                data[key] = list(value) if isinstance(value, list) else value
        data.update(self.extra)
        return data


@dataclass
class Grouping:
    """What grouping returns: the articles with archive event ids, the archive's events (the
    registry after this build), related events by id, and what went wrong."""

    articles: list[Article]
    events: list[EventEntry]
    related: dict[str, list[str]]
    added: list[str] = field(default_factory=list)  # ids of the events this build created
    changed: list[str] = field(default_factory=list)  # ids of registry events it added articles or links to
    errors: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Entry point


def group_events(articles: list[Article], registry_path: Path) -> Grouping:
    """Group the archive's event mentions into archive events; keep `registry_path` up to date.

    An unreadable registry is reported and left untouched; the build then groups without it.
    """
    grouping, write = plan_events(articles, registry_path)
    if write is not None:
        write()
    return grouping


def plan_events(articles: list[Article], registry_path: Path) -> tuple[Grouping, Callable[[], None] | None]:
    """`group_events`, with the registry's update returned instead of written (None when the
    file stays as it is), so that a build can write it on another core."""
    errors: list[str] = []
    text: str | None = None
    try:
        entries, text = load_events(registry_path)
    except EventRegistryError as err:
        errors.append(str(err))
        entries = None
    result = assign_events(articles, entries or [])
    result.errors = errors + result.errors
    if entries is None or not (result.added or result.changed):
        return result, None
    return result, functools.partial(save_events, registry_path, result.events, text, set(result.changed))


# ---------------------------------------------------------------------------------------------
# Mentions and their features


@dataclass
class _Mention:
    slug: str
    index: int  # position in the article's events
    event: Event
    main: bool
    kind: str
    lo: int  # first and last possible day (ordinals), from the date at its precision
    hi: int
    precision: int  # 3 day, 2 month, 1 year, 0 no date (publication day stands in)
    people: frozenset[str]
    place: str | None
    places: frozenset[str]  # every place key of the article's lede: "Van" is in "Turquie"'s article
    vector: dict[str, float] = field(default_factory=dict)
    published: str = ""
    authored: bool = False  # from a hand-written article: its event id was chosen by a person


# An article's event mentions, and the words each is told with (see _mentions_and_words).
Told = tuple[list[_Mention], list[list[str]]]


def _mentions(article: Article) -> list[_Mention]:
    out = []
    lede_places = _article_places(article)
    for i, e in enumerate(article.events):
        span = _interval(e.date) or _interval(article.published)
        if span is None:
            lo = hi = 0
            precision = -1
        else:
            lo, hi, precision = span
            if not _interval(e.date):
                precision = 0
        out.append(_Mention(
            slug=article.slug, index=i, event=e, main=e.main, kind=e.kind or "event", lo=lo, hi=hi,
            precision=precision, people=frozenset(filter(None, (person_key(p) for p in e.participants))),
            place=place_key(e.place) if e.place else None,
            places=frozenset(lede_places | ({place_key(e.place)} if e.place else set())),
            published=article.published or "",
            authored=article.source_file is None,
        ))
    return out


@lru_cache(maxsize=65536)
def person_key(name: str) -> str:
    """A person's surname key, spelled so that transliterations meet: Choïgou/Shoigu -> "choigu"."""
    toks = name_tokens(name)
    if not toks:
        return ""
    last = toks[-1] if len(toks[-1]) >= 3 or len(toks) == 1 else "".join(toks[-2:])
    return _translit(last)


def _translit(word: str) -> str:
    w = word.replace("sh", "ch").replace("ou", "u").replace("y", "i").replace("w", "v").replace("kh", "h")
    w = re.sub(r"(.)\1+", r"\1", w)
    return w[:-1] if len(w) > 4 and w.endswith("e") else w


def place_key(name: str) -> str:
    """A place's key: its last significant word ("province de Van" -> "van")."""
    words = [w for w in fold(name).split() if w not in ("de", "du", "des", "la", "le", "les", "l")]
    return words[-1] if words else fold(name)


def _article_places(article: Article) -> set[str]:
    """Places of the lede (first two paragraphs): the country around a city, the city in a region."""
    lede = article.body[:2]
    keys = set()
    for p in article.places:
        if not lede or not p.mentions or any(q.start <= m.start < q.end for q in lede for m in p.mentions):
            keys.add(place_key(p.name))
    return keys


def _interval(value: str | None) -> tuple[int, int, int] | None:
    """The days a date can mean: a day, a month, a year (as ordinals) and its precision."""
    if not value:
        return None
    value = str(value)
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            d = dt.date.fromisoformat(value).toordinal()
            return d, d, 3
        if re.fullmatch(r"\d{4}-\d{2}", value):
            y, m = int(value[:4]), int(value[5:7])
            first = dt.date(y, m, 1)
            last = dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
            return first.toordinal(), last.toordinal(), 2
        if re.fullmatch(r"\d{4}", value):
            y = int(value)
            return dt.date(y, 1, 1).toordinal(), dt.date(y, 12, 31).toordinal(), 1
    except ValueError:
        return None
    return None


_MARKS = re.compile("[\u0300-\u036f]+")  # combining marks, dropped after NFKD (10x quicker than str.translate)
_WORD = re.compile(r"[^\W\d_]{3,}")


def _words(text: str) -> list[str]:
    """Content words, accent- and case-free (a quicker fold than unidecode, for long texts)."""
    plain = _MARKS.sub("", unicodedata.normalize("NFKD", text.lower()))
    return [w for w in _WORD.findall(plain) if w not in STOPWORDS]


def _texts(article: Article, m: _Mention) -> str:
    """What a mention is told with: the title and lede for the main event, its evidence otherwise."""
    if m.main:
        lede = " ".join(p.text for p in article.body[:2])
        words = lede.split()[:_MAIN_TEXT_WORDS]
        return f"{article.title} {m.event.name} {' '.join(words)}"
    return f"{m.event.name} " + " ".join(s.text for s in m.event.evidence[:2])


def _vectorise(docs: list[list[str]]) -> list[dict[str, float]]:
    """TF-IDF vectors, L2-normalised, over the mentions of this build."""
    df: Counter[str] = Counter()
    for d in docs:
        df.update(set(d))
    n = len(docs)
    idf = {w: math.log((1 + n) / (1 + k)) for w, k in df.items()}
    out = []
    for d in docs:
        tf = Counter(d)
        vec = {w: (1 + math.log(c)) * idf[w] for w, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({w: v / norm for w, v in vec.items() if v > 0})
    return out


# ---------------------------------------------------------------------------------------------
# Archive events while grouping


@dataclass
class _Cluster:
    entry: EventEntry | None  # from the registry, or None until created
    members: list[_Mention] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    people: Counter[str] = field(default_factory=Counter)
    places: Counter[str] = field(default_factory=Counter)
    days: list[tuple[int, int, int]] = field(default_factory=list)  # (lo, hi, precision)
    centroid: dict[str, float] = field(default_factory=dict)
    norm2: float = 0.0
    # Kept up to date by add and seed rather than recomputed: scoring asks for them 150,000 times
    # at 10,000 articles.
    slugs: set[str] = field(default_factory=set)  # of the members
    main_kind: str | None = None  # the most told kind, the first counted on a tie (as most_common)
    day_span: tuple[int, int] | None = None  # first and last day-precise date
    named: int = 0  # members that name someone

    def add(self, m: _Mention) -> None:
        self.members.append(m)
        self.slugs.add(m.slug)
        self.named += bool(m.people)
        self._count_kind(m.kind, 2 if m.main else 1)
        self.people.update(m.people)
        if m.place:
            self.places[m.place] += 1
        self._add_days((m.lo, m.hi, m.precision))
        for w, v in m.vector.items():
            old = self.centroid.get(w, 0.0)
            self.centroid[w] = old + v
            self.norm2 += 2 * old * v + v * v

    def seed(self, entry: EventEntry) -> None:
        """A registry entry's own facts count as a member's, so an event with no article in this
        build still attracts its later articles."""
        if entry.kind:
            self._count_kind(entry.kind, 1)
        self.people.update(filter(None, (person_key(p) for p in entry.participants)))
        if entry.place:
            self.places[place_key(entry.place)] += 1
        span = _interval(entry.date)
        if span:
            self._add_days(span)

    def _count_kind(self, kind: str, n: int) -> None:
        self.kinds[kind] += n
        self.main_kind = max(self.kinds, key=self.kinds.__getitem__)

    def _add_days(self, days: tuple[int, int, int]) -> None:
        self.days.append(days)
        lo, _, precision = days
        if precision == 3:
            self.day_span = (min(self.day_span[0], lo), max(self.day_span[1], lo)) if self.day_span else (lo, lo)


def _score(m: _Mention, c: _Cluster) -> float | None:
    """How likely the mention tells the cluster's event; None when it cannot (dates apart)."""
    kind = c.main_kind or m.kind
    multi = kind in MULTI_DAY or m.kind in MULTI_DAY
    window = 4 if multi else 2
    date = _date_score(m, c, window)
    if date is None:
        return None
    scores: dict[str, float] = {"date": date}
    identity = False

    if m.people and c.people:
        shared = len(m.people & c.people.keys())
        if shared == 0:
            scores["people"] = -0.6
        else:
            identity = True
            jaccard = shared / (len(m.people) + len(c.people) - shared)
            overlap = shared / min(len(m.people), len(c.people))
            s = 0.5 * jaccard + 0.5 * overlap
            # each side has someone the other lacks: two meetings of one host
            if len(m.people) > shared and _core(c) - m.people:
                s -= 0.35
            scores["people"] = s

    if m.place and c.places:
        if m.place in c.places:
            scores["place"] = 1.0
            identity = True
        elif any(p in m.places for p in c.places) or any(m.place in x.places for x in c.members[:8]):
            scores["place"] = 0.5
            identity = True
        else:
            scores["place"] = -1.0 if kind in PLACE_DEFINED else -0.3

    if c.kinds:
        if m.kind == kind or c.kinds[m.kind] >= 2:  # a kind the event is already told as
            scores["kind"] = 1.0
        elif frozenset((m.kind, kind)) in COMPATIBLE:
            scores["kind"] = 0.5
        else:
            scores["kind"] = -0.3

    if m.vector and c.norm2 > 0:
        # the products of `v * centroid.get(w, 0.0)`, added in the vector's order, in C
        dot = sum(map(operator.mul, m.vector.values(), map(c.centroid.get, m.vector, repeat(0.0))))
        text = dot / math.sqrt(c.norm2)
        scores["text"] = text
        if text >= TEXT_IDENTITY:
            identity = True
    if not identity:
        return None
    total = sum(WEIGHTS[k] for k in scores)
    return sum(WEIGHTS[k] * v for k, v in scores.items()) / total


def _core(c: _Cluster) -> set[str]:
    """The people most members name (a host named once is not the event's core)."""
    if not c.people:
        return set()
    n = max(1, c.named)
    return {p for p, k in c.people.items() if k * 2 >= n}


def _date_score(m: _Mention, c: _Cluster, window: int) -> float | None:
    if m.precision < 0 or not c.days:
        return 0.3
    best: float | None = None
    span = c.day_span
    for lo, hi, precision in c.days:
        gap = max(0, max(lo, m.lo) - min(hi, m.hi))
        if precision == 3 and m.precision == 3:
            if span and max(span[1], m.hi) - min(span[0], m.lo) > window:
                return None  # the event would stretch over more days than its kind lasts
            s = DATE_GAP_SCORE.get(gap)
        elif min(precision, m.precision) == 0:  # a publication day stands in for a date
            s = 0.3 if gap <= window + 1 else None
        elif gap == 0:
            s = 0.5 if min(precision, m.precision) == 2 else 0.2
        else:
            s = None
        if s is not None and (best is None or s > best):
            best = s
    return best


Bucket = tuple[str, int]


class _Blocks:
    """Clusters by (key, week): a mention meets the clusters of its weeks that share a person,
    a place or a kind with it, never the whole archive. Month-precise clusters sit in all the
    weeks of their month; year-precise ones in a year bucket."""

    def __init__(self) -> None:
        self.index: dict[tuple[str, Bucket], set[int]] = defaultdict(set)

    @staticmethod
    def _keys(m: _Mention, lookup: bool = False) -> list[str]:
        """Index keys: people, places (the event's and the lede's) and kind. A lookup uses the kind
        only for mentions without people or for kinds defined by their place: a kind alone would
        meet every meeting of the week."""
        keys = [*(f"p:{p}" for p in m.people), *(f"l:{p}" for p in m.places)]
        if lookup and m.people and m.kind not in PLACE_DEFINED:
            return keys
        return [*keys, f"k:{m.kind}"]

    @staticmethod
    def _buckets(lo: int, hi: int, precision: int) -> list[Bucket]:
        if precision < 0:
            return [("none", 0)]
        year = dt.date.fromordinal(lo).year
        if precision == 1:
            return [("year-only", year), ("year", year)]
        return [*(("week", w) for w in range(lo // 7, hi // 7 + 1)), ("year", year)]

    def _add(self, cid: int, keys: list[str], buckets: list[Bucket]) -> None:
        for k in keys:
            for b in buckets:
                self.index[(k, b)].add(cid)

    def add(self, cid: int, m: _Mention) -> None:
        self._add(cid, self._keys(m), self._buckets(m.lo, m.hi, m.precision))

    def seed(self, cid: int, entry: EventEntry) -> None:
        span = _interval(entry.date) or (0, 0, -1)
        keys = [*(f"p:{person_key(p)}" for p in entry.participants), f"k:{entry.kind or 'event'}"]
        if entry.place:
            keys.append(f"l:{place_key(entry.place)}")
        self._add(cid, keys, self._buckets(*span))

    def candidates(self, m: _Mention) -> set[int]:
        if m.precision < 0:
            wanted: list[Bucket] = [("none", 0)]
        elif m.precision == 1:
            wanted = [("year", dt.date.fromordinal(m.lo).year)]
        else:
            wanted = [*(("week", w) for w in range(m.lo // 7 - 1, m.hi // 7 + 2)),
                      ("year-only", dt.date.fromordinal(m.lo).year), ("none", 0)]
        out: set[int] = set()
        for k in self._keys(m, lookup=True):
            for b in wanted:
                out |= self.index.get((k, b), set())
        return out


# ---------------------------------------------------------------------------------------------
# Grouping


def assign_events(articles: list[Article], entries: list[EventEntry]) -> Grouping:
    """Group the event mentions of `articles`, starting from the registry `entries` (no IO; the
    same input gives the same output, see `_LastRun`).

    The registry's assignments are applied first and never undone; the rest is grouped
    automatically into the registry's events or new ones.
    """
    global _LAST
    registry = [e.to_data() for e in entries]
    _MENTIONS.start()
    _REWRITTEN.start()
    told_by = [_MENTIONS.get(a, None, lambda: _mentions_and_words(a)) for a in articles]  # noqa: B023
    last, _LAST = _LAST, None
    if last is not None and last.same_input(registry, told_by):
        plan = last.plan
        # the same plan rewrites an article as it did (key made of the plan's entries)
        out_articles = [_REWRITTEN.again(a) or _rewrite(a, plan.event_of) for a in articles]
    else:
        plan = _group(told_by, entries, registry)
        out_articles = [_rewrite(a, plan.event_of) for a in articles]
    _LAST = _LastRun(registry, told_by, plan)
    position = {a.slug: i for i, a in enumerate(out_articles)}
    for slug, e in plan.pinned.items():  # a pinned article the extraction found no event in
        a_index = position.get(slug)
        if a_index is not None and not any(ev.main for ev in out_articles[a_index].events):
            event = Event(id=e.id, name=e.name, kind=e.kind or "event", date=e.date, place=e.place,
                          participants=list(e.participants), main=True)
            out_articles[a_index] = evolve(out_articles[a_index], events=[event, *out_articles[a_index].events])
    return Grouping(articles=out_articles, events=plan.entries, related=plan.related, added=plan.added,
                    changed=plan.changed, errors=list(plan.errors))


@dataclass(frozen=True)
class _Plan:
    """What grouping decided, before the articles are rewritten with it."""

    event_of: dict[tuple[str, int], EventEntry]  # (slug, event index) -> its archive event
    pinned: dict[str, EventEntry]  # slug -> the event the registry lists it under
    entries: list[EventEntry]  # the registry after this build
    related: dict[str, list[str]]
    added: list[str]
    changed: list[str]
    errors: list[str]


@dataclass(frozen=True)
class _LastRun:
    """The last run's input and plan. Grouping is a function of the registry and of each
    article's mentions and words, which most edits leave as they were (the text beyond the
    lede, a caption, a claim): a run given the same takes the last plan instead of clustering
    the whole archive again (half a second at 10,000 articles, at every build of a server)."""

    registry: list[dict[str, Any]]  # the registry entries as read, in order
    told_by: list[Told]  # per article, in order
    plan: _Plan

    def same_input(self, registry: list[dict[str, Any]], told_by: list[Told]) -> bool:
        if len(told_by) != len(self.told_by) or registry != self.registry:
            return False
        for (found, told), (old_found, old_told) in zip(told_by, self.told_by):
            if found is old_found:  # the same record's (newsgen.reuse)
                continue
            if told != old_told or list(map(_features, found)) != list(map(_features, old_found)):
                return False
        return True


def _features(m: _Mention) -> tuple[Any, ...]:
    """A mention's values but its vector (set by each run from every mention's words)."""
    return (m.slug, m.index, m.event, m.main, m.kind, m.lo, m.hi, m.precision, m.people, m.place, m.places,
            m.published, m.authored)


_LAST: _LastRun | None = None


def _group(told_by: list[Told], entries: list[EventEntry], registry: list[dict[str, Any]]) -> _Plan:
    """Cluster the mentions into the registry's `entries` (`registry`: their data) and new events."""
    errors: list[str] = []
    entries = [evolve(e, participants=list(e.participants), articles=list(e.articles),
                      mentioned_in=list(e.mentioned_in), related=list(e.related), extra=dict(e.extra))
               for e in entries]
    before = {e.id: data for e, data in zip(entries, registry)}
    mentions: list[_Mention] = []
    words: list[list[str]] = []
    for found, told in told_by:
        mentions += found
        words += told
    vectors = _vectorise(words)
    for m, v in zip(mentions, vectors):
        m.vector = v

    clusters: list[_Cluster] = []
    blocks = _Blocks()
    for e in entries:
        c = _Cluster(entry=e)
        c.seed(e)
        clusters.append(c)
        blocks.seed(len(clusters) - 1, e)

    assigned: dict[tuple[str, int], int] = {}  # (slug, event index) -> cluster
    pinned_main: dict[str, int] = {}
    for cid, c in enumerate(clusters):
        for slug in c.entry.articles:  # type: ignore[union-attr]
            if slug in pinned_main:
                other = clusters[pinned_main[slug]].entry
                errors.append(f"events.yaml: article {slug} is listed under both {other.id} and "  # type: ignore[union-attr]
                              f"{c.entry.id}; {other.id} kept")  # type: ignore[union-attr]
                continue
            pinned_main[slug] = cid
    for m in mentions:
        if m.main and m.slug in pinned_main:
            cid = pinned_main[m.slug]
            assigned[(m.slug, m.index)] = cid
            clusters[cid].add(m)
            blocks.add(cid, m)
    _assign_pinned_references(mentions, clusters, blocks, assigned)

    # The rest, mains first (they define events), oldest first (the order news broke in).
    pending = [m for m in mentions if (m.slug, m.index) not in assigned]
    pending.sort(key=lambda m: (not m.main, m.lo, m.published, m.slug, m.index))
    for m in pending:
        best, best_score = None, THRESHOLD
        for cid in blocks.candidates(m):
            c = clusters[cid]
            if m.slug in c.slugs:
                continue  # one article tells an event once
            s = _score(m, c)
            if s is not None and s >= best_score:
                best, best_score = cid, s
        if best is None:
            if not m.main and not _can_stand_alone(m):
                continue  # a vague reference ("lors de leur rencontre") makes no page of its own
            clusters.append(_Cluster(entry=None))
            best = len(clusters) - 1
        assigned[(m.slug, m.index)] = best
        clusters[best].add(m)
        blocks.add(best, m)

    added = _name_new_clusters(clusters, entries)
    known = {id(e) for e in entries}
    entries += [c.entry for c in clusters if c.entry is not None and id(c.entry) not in known]
    related = _record_assignments(clusters, told_by, assigned)
    changed = [e.id for e in entries if e.id in before and e.to_data() != before[e.id]]
    event_of = {key: clusters[cid].entry for key, cid in assigned.items() if clusters[cid].entry is not None}
    pinned = {slug: clusters[cid].entry for slug, cid in pinned_main.items() if clusters[cid].entry is not None}
    return _Plan(event_of, pinned, entries, related, added, changed, errors)  # type: ignore[arg-type]


def _can_stand_alone(m: _Mention) -> bool:
    return m.precision >= 2 and bool(m.people or m.place)


def _assign_pinned_references(mentions: list[_Mention], clusters: list[_Cluster], blocks: _Blocks,
                              assigned: dict[tuple[str, int], int]) -> None:
    """`mentioned_in` pins: each listed article's reference that best fits the event joins it."""
    refs: dict[str, list[_Mention]] = defaultdict(list)
    for m in mentions:
        if not m.main:
            refs[m.slug].append(m)
    for cid, c in enumerate(clusters):
        if c.entry is None:
            continue
        for slug in c.entry.mentioned_in:
            options = [m for m in refs.get(slug, []) if (m.slug, m.index) not in assigned]
            scored = [(s, m) for m in options if (s := _score(m, c)) is not None]
            if not scored and len(options) == 1:
                scored = [(0.0, options[0])]
            if scored:
                m = max(scored, key=lambda x: x[0])[1]
                assigned[(m.slug, m.index)] = cid
                c.add(m)
                blocks.add(cid, m)


def _name_new_clusters(clusters: list[_Cluster], entries: list[EventEntry]) -> list[str]:
    """Registry entries for the clusters this build created: name, kind, date, place, people of
    their most telling mentions; an id from the name and date that no other event has."""
    taken = {e.id for e in entries}
    added = []
    for c in clusters:
        if c.entry is not None or not c.members:
            continue
        mains = [m for m in c.members if m.main] or c.members
        kind = Counter(m.kind for m in mains).most_common(1)[0][0]
        of_kind = [m for m in mains if m.kind == kind]
        names = Counter(m.event.name for m in of_kind)
        order = {id(m): i for i, m in enumerate(of_kind)}
        name = max(of_kind, key=lambda m: (names[m.event.name], len(m.event.participants), -order[id(m)])).event.name
        date = _consensus_date(c)
        places = Counter(m.event.place for m in mains if m.event.place)
        people = Counter(p for m in mains for p in m.event.participants)
        authored = [m.event for m in c.members if m.authored and m.event.id and m.event.id not in taken]
        if authored:  # a hand-written article named its event: keep the author's id and name
            name = authored[0].name or name
        base = authored[0].id if authored else make_id(f"{name} {date or ''}")
        eid, n = base, 2
        while eid in taken:
            eid, n = f"{base}-{n}", n + 1
        taken.add(eid)
        c.entry = EventEntry(id=eid, name=name, kind=kind, date=date,
                             place=places.most_common(1)[0][0] if places else None,
                             participants=[p for p, _ in people.most_common(6)])
        added.append(eid)
    return added


def _consensus_date(c: _Cluster) -> str | None:
    """The day most main mentions give; else the most precise date any gives."""
    mains = [m for m in c.members if m.main and m.precision == 3]
    if mains:
        day = Counter(m.lo for m in mains).most_common(1)[0][0]
        return dt.date.fromordinal(day).isoformat()
    dated = [m for m in c.members if m.event.date and m.precision > 0]
    if not dated:
        return None
    return max(dated, key=lambda m: m.precision).event.date


def _record_assignments(clusters: list[_Cluster], told_by: list[Told],
                        assigned: dict[tuple[str, int], int]) -> dict[str, list[str]]:
    """Write the build's assignments into the entries; link events told in one article."""
    for c in clusters:
        e = c.entry
        if e is None:
            continue
        for m in c.members:
            target = e.articles if m.main else e.mentioned_in
            if m.slug not in target and not (not m.main and m.slug in e.articles):
                target.append(m.slug)
        _refine_date(e, c)
    related: dict[str, list[str]] = defaultdict(list)
    for found, _ in told_by:  # each article's mentions: one per event, in order
        ids = _unique(clusters[assigned[(m.slug, m.index)]].entry.id for m in found  # type: ignore[union-attr]
                      if (m.slug, m.index) in assigned)
        for x in ids:
            for y in ids:
                if x != y and y not in related[x]:
                    related[x].append(y)
    for c in clusters:
        e = c.entry
        if e is None:
            continue
        for other in related.get(e.id, []):
            if other not in e.related:
                e.related.append(other)
        for other in e.related:  # links a person wrote count both ways
            if e.id not in related.get(other, []):
                related.setdefault(other, []).append(e.id)
            if other not in related.get(e.id, []):
                related.setdefault(e.id, []).append(other)
    return dict(related)


def _refine_date(e: EventEntry, c: _Cluster) -> None:
    """A month-precise event (known from a reference) takes the day its own articles give."""
    if not e.date or len(str(e.date)) == 10:
        return
    day = _consensus_date(c)
    if day and len(day) == 10 and day.startswith(str(e.date)):
        e.date = day


# What grouping works out from each article, for its next run in this process (newsgen.reuse):
# its event mentions with their words, and the article with archive events.
_MENTIONS: Reuse[Told] = Reuse()
_REWRITTEN: Reuse[Article] = Reuse()


def _mentions_and_words(article: Article) -> Told:
    """The article's mentions, and the words each is told with. A mention's fields come from
    the article alone, but for `vector`, which each run of `assign_events` sets anew."""
    found = _mentions(article)
    return found, [_words(_texts(article, m)) for m in found]


def _rewrite(article: Article, event_of: dict[tuple[str, int], EventEntry]) -> Article:
    """The article with archive ids and names; references that found no event are dropped.

    The same object as the last build's when its events went to archive events with the same
    values, so that what later passes work out from it can be reused (newsgen.reuse).
    """
    targets: list[tuple[Event, EventEntry]] = []
    key: list[tuple[Any, ...]] = []
    seen: set[str] = set()
    slug = article.slug
    for i, e in enumerate(article.events):
        entry = event_of.get((slug, i))
        if entry is None or entry.id in seen:
            continue
        seen.add(entry.id)
        targets.append((e, entry))
        key.append((i, entry.id, entry.name, entry.kind, entry.date, entry.place, *entry.related))
    return _REWRITTEN.get(article, tuple(key), lambda: evolve(article, events=[
        evolve(e, id=entry.id, name=entry.name, kind=entry.kind or e.kind,
               date=str(entry.date) if entry.date else e.date, place=entry.place or e.place,
               related=list(entry.related))
        for e, entry in targets]))


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# ---------------------------------------------------------------------------------------------
# The registry file


def load_events(path: Path) -> tuple[list[EventEntry], str | None]:
    """The entries of `registry/events.yaml` and its text (None when absent).

    The entries of the last text read are kept, as its values are (`_parse`): making 6,800
    entries again took a tenth of a second of a server's rebuild. Callers only read them
    (grouping works on copies).
    """
    global _last_entries
    if not path.exists():
        return [], None
    text = path.read_text(encoding="utf-8")
    if _last_entries is not None and _last_entries[0] == text:
        return list(_last_entries[1]), text
    entries = _read_entries(path, text)
    _last_entries = (text, entries)
    return list(entries), text


_last_entries: tuple[str, list[EventEntry]] | None = None


def _read_entries(path: Path, text: str) -> list[EventEntry]:
    try:
        data = _parse(text) or []
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise EventRegistryError(f"{path}{f':{mark.line + 1}' if mark else ''}: not valid YAML; fix it "
                                 f"(events were grouped without it and it was not changed)") from None
    if not isinstance(data, list):
        raise EventRegistryError(f"{path}:1: expected a list of events (- id: ..., name: ...); it was not used")
    entries, seen = [], set()
    for i, item in enumerate(data):
        entry = _entry(item)
        if entry is None:
            raise EventRegistryError(f"{path}: event {i + 1} needs at least an id or a name; the file was not used")
        if entry.id in seen:
            raise EventRegistryError(f"{path}: two events have the id {entry.id}; merge them or rename one")
        seen.add(entry.id)
        entries.append(entry)
    return entries


_last_parse: tuple[str, Any] | None = None


def _parse(text: str) -> Any:
    """The values of a registry text, as `yaml.safe_load` gives them; callers only read them.

    The last text's values are kept: a build that changes the registry needs them twice (to load
    it, then to cut it into entries), 0.2 s each at 10,000 articles, and a long-running process
    (serve) rebuilding after an edit often finds the registry as it left it.
    """
    global _last_parse
    if _last_parse is None or _last_parse[0] != text:
        _last_parse = (text, fastyaml.load(text))
    return _last_parse[1]


def _entry(item: Any) -> EventEntry | None:
    if not isinstance(item, dict) or not (item.get("id") or item.get("name")):
        return None
    known = {"id", "name", "kind", "date", "place", "participants", "articles", "mentioned_in", "related"}

    def strings(key: str) -> list[str]:
        value = item.get(key) or []
        return [str(v) for v in (value if isinstance(value, list) else [value])]

    name = str(item.get("name") or item["id"])
    date = item.get("date")
    return EventEntry(id=str(item.get("id") or make_id(f"{name} {date or ''}")), name=name,
                      kind=str(item["kind"]) if item.get("kind") else None,
                      date=str(date) if date else None, place=str(item["place"]) if item.get("place") else None,
                      participants=strings("participants"), articles=strings("articles"),
                      mentioned_in=strings("mentioned_in"), related=strings("related"),
                      extra={k: v for k, v in item.items() if k not in known})


def save_events(path: Path, entries: list[EventEntry], old_text: str | None, changed: set[str]) -> None:
    """Write the registry atomically. Entries not in `changed` keep their text byte for byte
    (comments included); changed ones are rewritten in place, their comments kept below them;
    new ones are appended. A file that cannot be cut into entries is rewritten whole, and the old
    text kept beside it as `events.yaml.bak`."""
    old_text = old_text or ""
    header, blocks = _split_blocks(old_text) if old_text else (HEADER, [])
    by_id = {e.id: e for e in entries}
    out: list[str] = [header] if header else []
    written: set[str] = set()
    if blocks is None:  # not cut into entries: rewrite whole, keep the old text aside
        write_text_atomic(path.with_name(path.name + ".bak"), old_text)
        out = [HEADER]
        blocks = []
    for block_id, text in blocks:
        entry = by_id.get(block_id or "")
        if entry is None or block_id in written:
            out.append(text)  # an entry this build did not read (or a comment): as it was
            continue
        written.add(entry.id)
        if entry.id in changed:
            out.append(_dump(entry) + "".join(f"  {c}\n" for c in _comments(text)))
        else:
            out.append(text)
    for e in entries:
        if e.id not in written:
            out.append(_dump(e))
    body = "".join(t if t.endswith("\n") else t + "\n" for t in out)
    write_text_atomic(path, body)


def _comments(block: str) -> list[str]:
    """The comments of an entry's text, whole-line or after a value (outside quotes)."""
    out = []
    for line in block.splitlines():
        quote = None
        for i, ch in enumerate(line):
            if quote:
                quote = None if ch == quote else quote
            elif ch in "'\"":
                quote = ch
            elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
                out.append(line[i:].rstrip())
                break
    return out


def _dump(entry: EventEntry) -> str:
    return yaml.dump([entry.to_data()], Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=None)


_ID_LINE = re.compile(r"^(?:- |  )id:[ \t]*(?P<id>[^#\n]*?)[ \t]*(?:#.*)?$", re.MULTILINE)


def _split_blocks(text: str) -> tuple[str, list[tuple[str | None, str]] | None]:
    """The header (before the first entry) and each entry's text with its id; None when the file
    is not a plain block list (flow style, anchors, odd indentation) and cannot be cut safely.

    Ids are read off each entry's `id:` line; an entry without one (or with a quoted or odd id)
    is parsed on its own. The cut is trusted only if it yields the entries the whole file does.
    """
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("- ") or line.rstrip("\r\n") == "-"]
    try:
        whole = _parse(text) or []
    except yaml.YAMLError:
        return text, None
    if not starts:
        return (text, []) if not whole else (text, None)
    header = "".join(lines[:starts[0]])
    blocks: list[tuple[str | None, str]] = []
    for a, b in zip(starts, [*starts[1:], len(lines)]):
        chunk = "".join(lines[a:b])
        m = _ID_LINE.search(chunk)
        raw = m.group("id") if m else ""
        if raw and re.fullmatch(r"[\w.-]+", raw):
            blocks.append((raw, chunk))
            continue
        try:
            data = fastyaml.load(chunk)
        except yaml.YAMLError:
            return header, None
        if not isinstance(data, list) or len(data) != 1:
            return header, None
        entry = _entry(data[0])
        blocks.append((entry.id if entry else None, chunk))
    expected = [e.id if (e := _entry(item)) else None for item in whole] if isinstance(whole, list) else None
    if expected != [block_id for block_id, _ in blocks]:
        return header, None
    return header, blocks
