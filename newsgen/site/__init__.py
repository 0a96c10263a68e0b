"""The static site: records (`list[Article]`) in, HTML pages out.

Modules, one concern each: `collections` (people/events/sources merged across articles),
`body` (article text with claim anchors), `pages` (the pure plan of every page), `render`
(Jinja environment and filters), `build` (writes and swaps the output folder), `linkcheck`.
"""
from newsgen.site.build import BuildError, build_site

__all__ = ["BuildError", "build_site"]
