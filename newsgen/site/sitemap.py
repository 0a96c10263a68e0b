"""`sitemap.xml` and `robots.txt`.

A sitemap must list absolute URLs, so it exists only with a `base_url`; without one the build
says so once and writes none. `robots.txt` is always written (it names the sitemap when there is
one).
"""
from __future__ import annotations

from xml.sax.saxutils import escape

from newsgen.config import SiteConfig
from newsgen.site.pages import File, Page
from newsgen.site.structured import absolute

SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
NOT_IN_SITEMAP = {"404.html"}
NO_BASE_URL = ("newsgen.yaml sets no base_url: sitemap.xml is not written, feeds use relative "
               "links and pages have no canonical URL (set base_url: https://... to get them)")


def page_url(path: str) -> str:
    """`people/x/index.html` -> `people/x/`: the folder form the site is linked by."""
    return path[: -len("index.html")] if path.endswith("index.html") else path


def render_sitemap(pages: list[Page], config: SiteConfig) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for page in pages:
        if page.path in NOT_IN_SITEMAP:
            continue
        loc = absolute(config, page_url(page.path))
        lastmod = page.context.get("lastmod")
        lines.append(f"  <url><loc>{escape(loc or '')}</loc>"
                     + (f"<lastmod>{escape(lastmod)}</lastmod>" if lastmod else "") + "</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_robots(config: SiteConfig) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    sitemap = absolute(config, SITEMAP)
    if sitemap:
        lines.append(f"Sitemap: {sitemap}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def plan_sitemap(pages: list[Page], config: SiteConfig) -> tuple[list[File], list[str]]:
    """The sitemap and robots files, and the warning when no base_url allows a sitemap."""
    files = [File(ROBOTS, render_robots(config))]
    if not config.base_url:
        return files, [NO_BASE_URL]
    return [File(SITEMAP, render_sitemap(pages, config)), *files], []
