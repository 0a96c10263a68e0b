"""Markdown of hand-written articles, turned into HTML that can run nothing.

A person writing `articles/*.md` by hand expects Markdown (emphasis, links, lists); the output is
passed through nh3 (an allow-list sanitiser) so raw HTML, `<script>`, event handlers and
`javascript:` links in the file never reach the page. Extracted articles are plain text and never
come here: their paragraphs are escaped as text.
"""
from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup

TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h2", "h3", "h4",
        "br", "hr", "sup", "sub", "del", "table", "thead", "tbody", "tr", "th", "td"}


@lru_cache(maxsize=1)
def _converter():
    import markdown  # imported on first use: builds with nothing to render never load it

    return markdown.Markdown(extensions=["tables"], output_format="html")


def render_markdown(text: str) -> Markup:
    import nh3

    md = _converter()
    html = md.reset().convert(text)
    clean = nh3.clean(html, tags=TAGS, attributes={"a": {"href", "title"}},
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener nofollow")
    return Markup(clean)
