"""Atom feeds: the whole archive (`feed.xml`) and one per person, event and source.

Entry and feed ids are `urn:uuid:` names derived from the article slug or the feed's path, so
they never change when the site moves host or gains a `base_url` (Atom asks ids to be permanent).
Links are absolute under `base_url`; without one they are relative to the feed file, which Atom
allows (they resolve against the feed's own URL) and feed readers follow.
Dates are the articles' own, so two builds of the same archive give the same bytes.
"""
from __future__ import annotations

import copy
import html
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from newsgen.config import SiteConfig
from newsgen.site.collections import Archive, ArticleItem, Entry, by_rank
from newsgen.site.structured import absolute, article_description
from newsgen.site.timeline import UNKNOWN, split_date
from newsgen.site.urls import page_path, relurl

FEED_NAME = "feed.xml"
FEED_SIZE = 50  # newest entries per feed; the full record is in data/articles.json
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# Characters XML 1.0 cannot hold at all (controls, lone surrogates, U+FFFE/FFFF): dropped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    """`value` without the characters an XML document cannot contain (article text is raw)."""
    return _NOT_XML.sub("", value)


def feed_path(entry: Entry | None = None) -> str:
    """`feed.xml` for the archive, `people/ID/feed.xml` for an entry."""
    return f"{entry.url}{FEED_NAME}" if entry is not None else FEED_NAME


def stable_id(kind: str, key: str) -> str:
    """A permanent `urn:uuid:` id for an article or a feed."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"newsgen:{kind}:{key}"))


@lru_cache(maxsize=8192)
def as_datetime(value: str | None) -> datetime | None:
    """`2024-09-14` -> midnight UTC that day; `2024-09` -> the 1st; None without a known year.

    Cached (datetimes are immutable): planning and hashing the feeds ask for the same few
    thousand dates 70,000 times at 10,000 articles."""
    year, month = split_date(value)
    if not year or year == UNKNOWN:
        return None
    day = 1
    parts = (value or "").split("-")
    if month != UNKNOWN and len(parts) > 2 and parts[2].isdigit():
        day = int(parts[2])
    try:
        return datetime(int(year), int(month) if month != UNKNOWN else 1, day, tzinfo=timezone.utc)
    except ValueError:
        return datetime(int(year), 1, 1, tzinfo=timezone.utc)


def _link(config: SiteConfig, target: str, feed_file: str) -> str:
    """Absolute URL with a base_url, else a link relative to the feed file."""
    full = absolute(config, page_path(target) if not target.endswith(".xml") else target)
    if full:
        return full.removesuffix("index.html")
    return relurl(target, feed_file)


def _content(item: ArticleItem) -> str:
    """The article body as escaped HTML paragraphs (feed readers render `type="html"`)."""
    paragraphs = "".join(f"<p>{html.escape(p.text)}</p>" for p in item.article.body)
    captions = "".join(
        f"<p><em>{html.escape(c.text)}</em>{' — ' + html.escape(c.credit) if c.credit else ''}</p>"
        for c in item.article.captions)
    return xml_text(paragraphs + captions)


@dataclass(frozen=True)
class Feed:
    """One planned Atom document: what it shows, so the build can hash it (`inputs`) and render
    only the feeds whose entries changed; rendering is `render_feed`."""

    path: str
    title: str
    page: str  # the HTML page the feed belongs to
    items: tuple[ArticleItem, ...]  # the newest FEED_SIZE articles, newest first
    fallback: datetime  # the date of undated articles (the archive's newest known date)

    def inputs(self) -> tuple[str, ...]:
        """Everything besides the articles (hashed by the build) that the bytes depend on; the
        fallback date only when an article needs it, so a newer article elsewhere in the archive
        leaves the other feeds alone."""
        undated = not self.items or any(as_datetime(i.date) is None for i in self.items)
        return self.path, self.title, self.page, self.fallback.isoformat() if undated else ""


def render_feed(feed: Feed, config: SiteConfig,
                entries: dict[tuple[str, str, datetime], FeedEntry] | None = None) -> bytes:
    """The Atom document of `feed`.

    `entries` keeps each article's entry by slug, link and date for the other feeds of a build
    (an article is in about seven feeds, and its entry's parts cost more than writing it out);
    feedgen serialises a shared entry afresh in each document.
    """
    path = feed.path
    fg = FeedGenerator()
    fg.id(stable_id("feed", path))
    fg.title(xml_text(feed.title) or path)  # (a title of control characters only)
    fg.author({"name": xml_text(config.title)})
    fg.language(config.language)
    if config.description:
        fg.subtitle(xml_text(config.description))
    fg.link(href=_link(config, feed.page, path), rel="alternate", type="text/html")
    fg.link(href=_link(config, path, path), rel="self", type="application/atom+xml")
    fg.generator("newsgen")
    dates = [as_datetime(i.date) or feed.fallback for i in feed.items]
    fg.updated(max(dates, default=feed.fallback))
    entries = {} if entries is None else entries
    for item, when in zip(feed.items, dates):
        link = _link(config, item.url, path)
        fe = entries.get((item.slug, link, when))
        if fe is None:
            fe = entries[item.slug, link, when] = _entry(item, link, when)
        fg.add_entry(fe, order="append")
    return fg.atom_str(pretty=True)


class _SharedEntry(FeedEntry):
    """An article's entry, which a build puts in about seven feeds: feedgen would build its Atom
    element again from the fields for each feed; it is built once and copied (lxml copies in C):
    the same bytes in a quarter less time (1.8 to 1.3-1.5 CPU-s for 7,201 feeds at 10,000
    articles), for the elements kept until the build ends (85 MB more in a process that renders
    every feed)."""

    _element: Any = None

    def atom_entry(self, extensions: bool = True) -> Any:
        if self._element is None:
            self._element = super().atom_entry(extensions)
        return copy.deepcopy(self._element)


def _entry(item: ArticleItem, link: str, when: datetime) -> FeedEntry:
    fe = _SharedEntry()
    fe.id(stable_id("article", item.slug))
    fe.title(xml_text(item.article.title or "") or item.slug)  # Atom requires one
    fe.link(href=link, rel="alternate", type="text/html")
    fe.updated(when)
    fe.published(when)
    if item.article.origin and item.article.origin.outlet:
        fe.author({"name": xml_text(item.article.origin.outlet)})
    summary = article_description(item)
    if summary:
        fe.summary(xml_text(summary))
    fe.content(_content(item), type="html")
    # One call with every category: feedgen rebuilds its list of all the categories on each call.
    categories = [{"term": xml_text(e.id), "label": xml_text(e.name)}
                  for e in (*item.people, *item.events, *item.sources)]
    if categories:
        fe.category(categories)
    return fe


def plan_feeds(archive: Archive, config: SiteConfig) -> list[Feed]:
    """The archive feed and one per person, event and source (planned, not rendered)."""
    known = [d for d in (as_datetime(i.date) for i in archive.articles) if d]
    fallback = max(known, default=EPOCH)  # undated articles count as the newest known date

    def newest(items: list[ArticleItem]) -> tuple[ArticleItem, ...]:
        return tuple(sorted(items, key=by_rank)[:FEED_SIZE])

    feeds = [Feed(FEED_NAME, config.title, "", newest(archive.articles), fallback)]
    for collection in archive.collections:
        for entry in sorted(collection.entries.values(), key=lambda e: e.slug):
            feeds.append(Feed(feed_path(entry), f"{entry.name} — {config.title}", entry.url,
                              newest(entry.articles), fallback))
    return feeds
