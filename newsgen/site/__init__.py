"""The static site: records (`list[Article]`) in, HTML pages out.

Modules, one concern each: `collections` (people/events/sources merged across articles),
`body` (article text with claim anchors), `pages` (the pure plan of every page), `timeline`
(by year and month), `structured` (Open Graph and JSON-LD), `feeds` (Atom), `sitemap`
(sitemap.xml, robots.txt), `data` (the JSON export), `render` (Jinja environment and filters),
`search` (the Pagefind index), `build` (writes and swaps the output folder), `linkcheck`, and
`serve` (the development server of `newsgen serve`).
"""
from newsgen.site.build import BuildError, build_site

__all__ = ["BuildError", "build_site"]
