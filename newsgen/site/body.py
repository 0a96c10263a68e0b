"""The article body as paragraphs of plain-text segments, some marked as a claim's sentence.

Segments stay plain text: the template escapes them, so nothing from the (untrusted) article text
ever reaches the page as markup. Offsets count characters of the source text; each Paragraph
carries its own text and offsets, so a claim's sentence is cut out of the paragraph it starts in.
"""
from __future__ import annotations

from dataclasses import dataclass

from newsgen.records import Article, Claim, Paragraph
from newsgen.site.markdown import render_markdown

KINDS = ("statement", "accusation", "denial")


@dataclass(frozen=True)
class Segment:
    """A stretch of a paragraph; `claims` holds the claim numbers it is the sentence of."""

    text: str
    claims: tuple[int, ...] = ()
    kind: str = "statement"
    html: str | None = None  # a hand-written paragraph's Markdown, sanitised (see markdown.py)


Mark = tuple[int, int, int, str]  # (start, end, claim number, kind) of a sentence in a paragraph


@dataclass(frozen=True)
class Body:
    """Where the claims' sentences are in the article's paragraphs; the segments are cut from
    this only when asked for (`paragraphs`): the article page alone shows them, and cutting
    every body on every build was a third of the time of `build_archive`."""

    article: Article
    marks: dict[int, list[Mark]]  # paragraph index -> marks of the claim sentences it holds
    anchored: frozenset[int]  # claim numbers whose anchor exists in the body
    warnings: list[str]

    @property
    def paragraphs(self) -> list[list[Segment]]:
        """Each paragraph as segments (a hand-written one without marks as its Markdown)."""
        handwritten = self.article.source_file is None
        return [[Segment(p.text, html=render_markdown(p.text))] if handwritten and i not in self.marks
                else _segments(p.text, self.marks.get(i, [])) for i, p in enumerate(self.article.body)]


def claim_kind(kind: str | None) -> str:
    """The claim kind if known, else `statement`: it ends up in a CSS class name."""
    return kind if kind in KINDS else "statement"


def sentence_range(claim: Claim) -> tuple[int, int]:
    """The claim's sentence, falling back to the claim's own span when no sentence is set."""
    if claim.sentence_end > claim.sentence_start:
        return claim.sentence_start, claim.sentence_end
    return claim.start, claim.end


def _locate(paragraphs: list[Paragraph], claim: Claim) -> tuple[int, int, int] | None:
    """(paragraph index, local start, local end) of the claim's sentence, or None.

    Offsets are trusted only in a paragraph whose text still spans its offsets exactly; in a
    cleaned one (length changed) the claim's own words are looked for instead.
    """
    start, end = sentence_range(claim)
    if 0 <= start < end:
        for i, p in enumerate(paragraphs):
            if p.start <= start < p.end and len(p.text) == p.end - p.start:
                return i, start - p.start, min(end, p.end) - p.start
    needle = (claim.text or "").strip()
    if needle:
        candidates = [i for i, p in enumerate(paragraphs) if p.start <= claim.start < p.end]
        candidates += [i for i in range(len(paragraphs)) if i not in candidates]
        for i in candidates:
            found = paragraphs[i].text.find(needle)
            if found >= 0:
                return i, found, found + len(needle)
    return None


def _segments(text: str, marks: list[Mark]) -> list[Segment]:
    """Cut `text` at the marks (start, end, number, kind); overlapping marks are merged."""
    merged: list[list] = []  # [start, end, [numbers], kind]
    for start, end, number, kind in sorted(marks):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2].append(number)
        else:
            merged.append([start, end, [number], kind])
    out: list[Segment] = []
    pos = 0
    for start, end, numbers, kind in merged:
        if start > pos:
            out.append(Segment(text[pos:start]))
        out.append(Segment(text[start:end], tuple(numbers), kind))
        pos = end
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out


def build_body(article: Article) -> Body:
    """Locate each claim's sentence in the article's paragraphs (claims numbered from 1)."""
    paragraphs = article.body
    marks: dict[int, list[Mark]] = {}
    warnings: list[str] = []
    anchored: set[int] = set()
    for number, claim in enumerate(article.claims, start=1):
        where = _locate(paragraphs, claim)
        if where is None:
            warnings.append(
                f"article {article.slug!r}: claim {number} ({claim.speaker!r}) has no sentence "
                "in the body; it is listed without an anchor"
            )
            continue
        index, start, end = where
        marks.setdefault(index, []).append((start, end, number, claim_kind(claim.kind)))
        anchored.add(number)
    return Body(article, marks, frozenset(anchored), warnings)
