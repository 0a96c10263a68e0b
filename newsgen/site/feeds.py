"""Atom feeds: the whole archive (`feed.xml`) and one per person, event and source.

Entry and feed ids are `urn:uuid:` names derived from the article slug or the feed's path, so
they never change when the site moves host or gains a `base_url` (Atom asks ids to be permanent).
Links are absolute under `base_url`; without one they are relative to the feed file, which Atom
allows (they resolve against the feed's own URL) and feed readers follow.
Dates are the articles' own, so two builds of the same archive give the same bytes.
"""
from __future__ import annotations

import html
import posixpath
import re
import uuid
from datetime import datetime, timezone

from feedgen.feed import FeedGenerator

from newsgen.config import SiteConfig
from newsgen.site.collections import Archive, ArticleItem, Entry, newest_first
from newsgen.site.pages import File
from newsgen.site.structured import absolute, article_description
from newsgen.site.timeline import UNKNOWN, split_date
from newsgen.site.urls import page_path

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


def as_datetime(value: str | None) -> datetime | None:
    """`2024-09-14` -> midnight UTC that day; `2024-09` -> the 1st; None without a known year."""
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
    return posixpath.relpath(page_path(target), posixpath.dirname(feed_file) or ".")


def _content(item: ArticleItem) -> str:
    """The article body as escaped HTML paragraphs (feed readers render `type="html"`)."""
    paragraphs = "".join(f"<p>{html.escape(p.text)}</p>" for p in item.article.body)
    captions = "".join(
        f"<p><em>{html.escape(c.text)}</em>{' — ' + html.escape(c.credit) if c.credit else ''}</p>"
        for c in item.article.captions)
    return xml_text(paragraphs + captions)


def render_feed(items: list[ArticleItem], *, path: str, title: str, page: str,
                config: SiteConfig, fallback: datetime) -> bytes:
    """One Atom document: the newest FEED_SIZE of `items`, linked to the HTML page `page`."""
    fg = FeedGenerator()
    fg.id(stable_id("feed", path))
    fg.title(xml_text(title))
    fg.author({"name": xml_text(config.title)})
    fg.language(config.language)
    if config.description:
        fg.subtitle(xml_text(config.description))
    fg.link(href=_link(config, page, path), rel="alternate", type="text/html")
    fg.link(href=_link(config, path, path), rel="self", type="application/atom+xml")
    fg.generator("newsgen")
    chosen = sorted(items, key=newest_first)[:FEED_SIZE]
    dates = [as_datetime(i.date) or fallback for i in chosen]
    fg.updated(max(dates, default=fallback))
    for item, when in zip(chosen, dates):
        fe = fg.add_entry(order="append")
        fe.id(stable_id("article", item.slug))
        fe.title(xml_text(item.article.title or item.slug))
        fe.link(href=_link(config, item.url, path), rel="alternate", type="text/html")
        fe.updated(when)
        fe.published(when)
        if item.article.origin and item.article.origin.outlet:
            fe.author({"name": xml_text(item.article.origin.outlet)})
        summary = article_description(item)
        if summary:
            fe.summary(xml_text(summary))
        fe.content(_content(item), type="html")
        for entry in (*item.people, *item.events, *item.sources):
            fe.category(term=xml_text(entry.id), label=xml_text(entry.name))
    return fg.atom_str(pretty=True)


def plan_feeds(archive: Archive, config: SiteConfig) -> list[File]:
    """The archive feed and one per person, event and source."""
    known = [d for d in (as_datetime(i.date) for i in archive.articles) if d]
    fallback = max(known, default=EPOCH)  # undated articles count as the newest known date
    files = [File(FEED_NAME, render_feed(archive.articles, path=FEED_NAME, title=config.title,
                                         page="", config=config, fallback=fallback))]
    for collection in archive.collections:
        for entry in sorted(collection.entries.values(), key=lambda e: e.slug):
            path = feed_path(entry)
            files.append(File(path, render_feed(entry.articles, path=path,
                                                title=f"{entry.name} — {config.title}",
                                                page=entry.url, config=config, fallback=fallback)))
    return files
