"""What every extractor gets: the text, its layout, the spaCy doc and the publication date."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newsgen.read.layout import Layout

# doc.user_data keys of the per-doc caches below (and of the extractors' own): `release` drops them.
_CACHE_PREFIX = "newsgen_"
_TEXT, _TOKENS, _CHILDREN, _ENTS = (_CACHE_PREFIX + k for k in ("text", "tokens", "children", "ents"))
_STRINGS = _CACHE_PREFIX + "token_"


@dataclass
class Context:
    text: str  # the source text as decoded: offsets point here
    analysed: str  # the same text with credits, origin and furniture blanked (same length)
    layout: Layout
    doc: Doc  # spaCy's analysis of `analysed`
    published: dt.date | None = None

    def __post_init__(self) -> None:
        # spaCy's tokenizer keeps every character, so the doc's text is `analysed`: seed the cache
        # rather than have spaCy join it token by token (the length check guards a mismatched doc).
        doc = self.doc
        if len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) == len(self.analysed) \
                and doc[0].idx == 0 and self.analysed.startswith(doc[0].text):
            doc.user_data.setdefault(_TEXT, self.analysed)

    def in_caption(self, start: int) -> bool:
        return any(c.start <= start < c.end for c in self.layout.captions)


def doc_text(doc: Doc) -> str:
    """`doc.text`, joined once per doc: spaCy rebuilds the whole string on every access."""
    try:
        return doc.user_data[_TEXT]
    except KeyError:
        text = doc.user_data[_TEXT] = doc.text
        return text


def doc_tokens(doc: Doc) -> list[Token]:
    """The doc's tokens as a list, made once per doc: `doc[i]` and iterating a doc build a new
    Token object every time, and the rules look at each token dozens of times."""
    try:
        return doc.user_data[_TOKENS]
    except KeyError:
        toks = doc.user_data[_TOKENS] = list(doc)
        return toks


def token_strings(doc: Doc, attr: str) -> list[str]:
    """One string attribute of every token ("lower_", "dep_", ...), read once per doc so that a
    scan can skip the tokens it has no use for without making them."""
    key = _STRINGS + attr
    try:
        return doc.user_data[key]
    except KeyError:
        values = doc.user_data[key] = [getattr(t, attr) for t in doc_tokens(doc)]
        return values


def token_children(doc: Doc) -> list[list[int]]:
    """Each token's children as indices in text order (what `Token.children` yields), from one
    pass over the heads: the rules walk the same children many times."""
    try:
        return doc.user_data[_CHILDREN]
    except KeyError:
        toks = doc_tokens(doc)
        kids: list[list[int]] = [[] for _ in toks]
        for t in toks:
            h = t.head.i
            if h != t.i:
                kids[h].append(t.i)
        doc.user_data[_CHILDREN] = kids
        return kids


def children(tok: Token) -> list[Token]:
    """`tok.children` as a list, read from the per-doc table."""
    doc = tok.doc
    toks = doc_tokens(doc)
    return [toks[j] for j in token_children(doc)[tok.i]]


def span_text(doc: Doc, start: int, end: int) -> str:
    """`doc[start:end].text` (same slice bounds) cut from the doc's text, without making a Span."""
    toks = doc_tokens(doc)[start:end]
    if not toks:
        return ""
    return doc_text(doc)[toks[0].idx:toks[-1].idx + len(toks[-1].text)]


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """`doc.ents`, made once per doc: spaCy builds every entity Span again on each access."""
    try:
        return doc.user_data[_ENTS]
    except KeyError:
        ents = doc.user_data[_ENTS] = tuple(doc.ents)
        return ents


def release(doc: Doc) -> None:
    """Drop the per-doc caches once the doc's records are built. They hold Tokens, which hold the
    doc: left in place, each doc would wait for the cycle collector instead of being freed."""
    for key in [k for k in doc.user_data if isinstance(k, str) and k.startswith(_CACHE_PREFIX)]:
        del doc.user_data[key]
