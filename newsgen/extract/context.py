"""What every extractor gets: the text, its layout, the spaCy doc and the publication date."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from spacy.tokens import Doc

from newsgen.read.layout import Layout


@dataclass
class Context:
    text: str  # the source text as decoded: offsets point here
    analysed: str  # the same text with credits, origin and furniture blanked (same length)
    layout: Layout
    doc: Doc  # spaCy's analysis of `analysed`
    published: dt.date | None = None

    def in_caption(self, start: int) -> bool:
        return any(c.start <= start < c.end for c in self.layout.captions)


def doc_text(doc: Doc) -> str:
    """`doc.text`, joined once per doc: spaCy rebuilds the whole string on every access."""
    text = doc.user_data.get("newsgen_text")
    if text is None:
        text = doc.user_data["newsgen_text"] = doc.text
    return text
