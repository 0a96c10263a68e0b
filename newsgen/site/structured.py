"""What machines read in a page's <head>: Open Graph meta tags and schema.org JSON-LD.

Everything here is plain data (dicts and a small dataclass); templates only print it. JSON-LD is
serialised by `jsonld_script`, which escapes `<`, `>` and `&` so no article text can close the
<script> element it sits in. Absolute URLs exist only with a `base_url`; without one, URL
properties are left out rather than guessed.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from newsgen.config import SiteConfig
from newsgen.site.collections import ArticleItem, ClaimRef, Entry

DESCRIPTION_LENGTH = 200

_OG_LOCALES = {"fr": "fr_FR", "en": "en_GB", "de": "de_DE", "es": "es_ES", "it": "it_IT"}


@dataclass(frozen=True)
class PageMeta:
    """The per-page facts for <meta name=description> and Open Graph."""

    title: str
    description: str = ""
    og_type: str = "website"  # "article", "profile", "website"
    published: str | None = None  # ISO date of an article
    extra: list[tuple[str, str]] = field(default_factory=list)  # more (property, content) pairs


def absolute(config: SiteConfig, url: str) -> str | None:
    """The absolute URL of a site URL (`people/x/`, `feed.xml`), or None without a base_url."""
    if not config.base_url:
        return None
    return config.base_url.rstrip("/") + "/" + url.lstrip("/")


def og_locale(language: str) -> str:
    """`fr` -> `fr_FR`: the form Open Graph expects (`xx_XX`)."""
    lang = language.split("-")[0].lower()
    return _OG_LOCALES.get(lang, f"{lang}_{lang.upper()}")


def excerpt(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """The first `limit` characters of `text`, cut at a word and ended with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"


def article_description(item: ArticleItem) -> str:
    first = next((p.text for p in item.article.body if p.text.strip()), "")
    return excerpt(first)


def jsonld_script(data: Any) -> Markup:
    """JSON for a <script type="application/ld+json"> element, safe whatever the text holds.

    `<`, `>` and `&` become \\u escapes (valid JSON, same value once parsed), so neither
    `</script>` nor `<!--` can appear; U+2028/U+2029 are escaped for old JavaScript parsers.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return Markup(text)


def _with_url(node: dict[str, Any], config: SiteConfig, url: str) -> dict[str, Any]:
    full = absolute(config, url)
    if full:
        node["url"] = full
        node["@id"] = full
    return node


def _ref(entry: Entry, config: SiteConfig) -> dict[str, Any]:
    """A short node for an entry mentioned from another page."""
    types = {"person": "Person", "source": "Organization", "event": "Event"}
    return _with_url({"@type": types.get(entry.kind, "Thing"), "name": entry.name}, config, entry.url)


def _article_ref(item: ArticleItem, config: SiteConfig) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "NewsArticle", "headline": item.article.title}
    if item.date:
        node["datePublished"] = item.date
    return _with_url(node, config, item.url)


def claim_node(ref: ClaimRef, config: SiteConfig) -> dict[str, Any]:
    """A claim as schema.org `Quotation` (quoted words) or `Claim` (reported speech)."""
    claim = ref.claim
    speaker: dict[str, Any] = _ref(ref.speaker, config) if ref.speaker else {
        "@type": "Person", "name": claim.speaker}
    node: dict[str, Any] = {"@type": "Quotation" if claim.quote else "Claim", "text": claim.text}
    if claim.quote:
        node["spokenByCharacter"] = speaker
    node["author"] = speaker
    if ref.kind != "statement":
        node["additionalType"] = ref.kind  # accusation / denial
    appearance = _article_ref(ref.item, config)
    if ref.anchored and "url" in appearance:
        appearance = {**appearance, "url": appearance["url"] + "#" + ref.anchor}
    node["isPartOf" if claim.quote else "appearance"] = appearance
    if ref.via is not None:
        node["sourceOrganization" if ref.via.kind == "source" else "contributor"] = _ref(ref.via, config)
    elif claim.via:
        node["sourceOrganization"] = {"@type": "Organization", "name": claim.via}
    if ref.item.date:
        node["dateCreated"] = ref.item.date
    return node


def website_ld(config: SiteConfig) -> dict[str, Any]:
    node: dict[str, Any] = {"@context": "https://schema.org", "@type": "WebSite",
                            "name": config.title, "inLanguage": config.language}
    if config.description:
        node["description"] = config.description
    return _with_url(node, config, "")


def article_ld(item: ArticleItem, config: SiteConfig) -> dict[str, Any]:
    """NewsArticle with its people, events, outlet and claims."""
    article = item.article
    node: dict[str, Any] = {"@type": "NewsArticle", "headline": article.title,
                            "inLanguage": article.language or config.language}
    node = _with_url(node, config, item.url)
    if "url" in node:
        node["mainEntityOfPage"] = node["url"]
    if article.published:
        node["datePublished"] = article.published
    if article.date:
        node["dateCreated"] = article.date
    description = article_description(item)
    if description:
        node["description"] = description
    if article.origin and article.origin.outlet:
        node["publisher"] = {"@type": "Organization", "name": article.origin.outlet}
    if article.origin and article.origin.url:
        node["isBasedOn"] = article.origin.url
    mentions = [_ref(e, config) for e in (*item.people, *item.sources)]
    if mentions:
        node["mentions"] = mentions
    if item.events:
        node["about"] = [_ref(e, config) for e in item.events]
    if item.claims:
        node["hasPart"] = [claim_node(ref, config) for ref in item.claims]
    if article.captions:
        node["image"] = [{"@type": "ImageObject", "caption": c.text,
                          **({"creditText": c.credit} if c.credit else {})} for c in article.captions]
    return {"@context": "https://schema.org", **node}


def person_ld(entry: Entry, roles: list[str], articles: list[ArticleItem], config: SiteConfig) -> dict[str, Any]:
    node = _with_url({"@type": "Person", "name": entry.name}, config, entry.url)
    if entry.aliases:
        node["alternateName"] = entry.aliases
    if roles:
        node["jobTitle"] = roles
    if articles:
        node["subjectOf"] = [_article_ref(i, config) for i in articles]
    return {"@context": "https://schema.org", **node}


def event_ld(entry: Entry, participants: list[Entry], articles: list[ArticleItem],
             claims: list[ClaimRef], config: SiteConfig) -> dict[str, Any]:
    node = _with_url({"@type": "Event", "name": entry.name}, config, entry.url)
    if entry.aliases:
        node["alternateName"] = entry.aliases
    if entry.facts.get("date") and not entry.facts["date"].startswith("XXXX"):
        node["startDate"] = entry.facts["date"]
    if entry.facts.get("place"):
        node["location"] = {"@type": "Place", "name": entry.facts["place"]}
    if participants:
        node["attendee"] = [_ref(p, config) for p in participants]
    if articles:
        node["subjectOf"] = [_article_ref(i, config) for i in articles]
    if claims:  # who said what about the event: the claims beside it in one graph
        return {"@context": "https://schema.org",
                "@graph": [node, *(claim_node(ref, config) for ref in claims)]}
    return {"@context": "https://schema.org", **node}


def source_ld(entry: Entry, articles: list[ArticleItem], config: SiteConfig) -> dict[str, Any]:
    node = _with_url({"@type": "Organization", "name": entry.name}, config, entry.url)
    if entry.aliases:
        node["alternateName"] = entry.aliases
    if articles:
        node["subjectOf"] = [_article_ref(i, config) for i in articles]
    return {"@context": "https://schema.org", **node}
