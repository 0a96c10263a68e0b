"""Markdown of hand-written articles, turned into HTML that can run nothing.

A person writing `articles/*.md` by hand expects Markdown (emphasis, links, lists); the output is
passed through nh3 (an allow-list sanitiser) so raw HTML, `<script>`, event handlers and
`javascript:` links in the file never reach the page. Extracted articles are plain text and never
come here: their paragraphs are escaped as text.

Most paragraphs, even hand-written ones, are prose pasted from news sites with no Markdown in them;
those skip Markdown and nh3 (see `plain_html`), which gives the same HTML tens of times faster.
"""
from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup

TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h2", "h3", "h4",
        "br", "hr", "sup", "sub", "del", "table", "thead", "tbody", "tr", "th", "td"}

# Anything that might make Markdown or nh3 do more than wrap the text in <p>: a found match sends
# the paragraph the slow way. Conservative on purpose; tests/test_markdown_fast_path.py checks that
# whatever does not match renders exactly as Markdown + nh3 render it.
_SYNTAX = re.compile(
    r"[*_`\[\]<>&\\#|~"  # inline syntax (emphasis, code, links, images, HTML, entities, escapes, tables)
    r"\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]"  # control characters but \n
    r"|\A\s|\s\Z|\s\n|\n\s"  # space at a line's start or end: stripped, indented code, <br>, blank line
    r"|(?:\A|\n)(?:[-+=]|\d+[.)])"  # a line starting a list, a rule or a setext heading underline
)


@lru_cache(maxsize=1)
def _converter():
    import markdown  # imported on first use: builds with nothing to render never load it

    return markdown.Markdown(extensions=["tables"], output_format="html")


def plain_html(text: str) -> str | None:
    """The paragraph's HTML if it has no Markdown syntax at all, else None (render it in full).

    For such text Markdown only wraps it in <p>, and nh3's serialiser writes a no-break space as
    `&nbsp;`; quotes and apostrophes stay as they are. Nothing else needs escaping: `&`, `<` and
    `>` take the full path.
    """
    if not text or _SYNTAX.search(text):
        return None
    return "<p>" + text.replace("\xa0", "&nbsp;") + "</p>"


def render_markdown(text: str) -> Markup:
    """One paragraph of a hand-written article as safe HTML."""
    fast = plain_html(text)
    if fast is not None:
        return Markup(fast)
    return Markup(_full_html(text))


def _full_html(text: str) -> str:
    """Markdown, then nh3: the general path, for paragraphs with any syntax in them."""
    import nh3

    html = _converter().reset().convert(text)
    return nh3.clean(html, tags=TAGS, attributes={"a": {"href", "title"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener nofollow")
