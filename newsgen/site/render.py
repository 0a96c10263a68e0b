"""Jinja environment: user templates first, then the default theme shipped in the package.

Autoescape is always on (article text is untrusted) and undefined variables fail loudly, so a
broken template stops the build instead of publishing blank pages.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    pass_context,
)
from jinja2.bccache import Bucket
from jinja2.runtime import Context
from jinja2.utils import missing

from newsgen.config import SiteConfig
from newsgen.site.pages import Page
from newsgen.site.structured import PageMeta, jsonld_script, og_locale
from newsgen.site.urls import is_web_url, page_path, relurl

THEME_PACKAGE = "newsgen.site"
THEME_TEMPLATES = "theme/templates"

_MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre"]
_DATE = re.compile(r"(\d{4}|XXXX)(?:-(\d{2})(?:-(\d{2}))?)?")


def human_date(value: str | None, language: str = "fr") -> str:
    """`2024-09-13` -> `13 septembre 2024` in French; other languages keep the ISO value.

    Partial dates keep their precision (`septembre 2024`, `13 septembre` when the year is
    unknown): the site never shows more than the text said.
    """
    if not value:
        return ""
    if type(value) is str and type(language) is str:
        return _human_date(value, language)
    return _human_date.__wrapped__(value, language)


@functools.lru_cache(maxsize=4096)
def _human_date(value: str, language: str) -> str:
    """`human_date` of a non-empty value: pages print the same dates thousands of times."""
    match = _DATE.fullmatch(value)
    if not match or not language.startswith("fr"):
        return value
    year, month, day = match.groups()
    if month and not 1 <= int(month) <= 12:
        return value
    parts = []
    if day:
        parts.append("1er" if int(day) == 1 else str(int(day)))
    if month:
        parts.append(_MONTHS_FR[int(month) - 1])
    if year != "XXXX":
        parts.append(year)
    return " ".join(parts) or value


_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def is_iso_date(value: object) -> bool:
    """True for YYYY, YYYY-MM, YYYY-MM-DD: what a `<time datetime>` attribute accepts."""
    return isinstance(value, str) and _ISO_DATE.fullmatch(value) is not None


@pass_context
def _relurl_filter(context: Context, target: str) -> str:
    """Relative link from the current page; absolute under base_url on pages served from any
    path (404.html), where a relative link would resolve against the wrong folder."""
    absolute = context.resolve_or_missing("absolute_links")  # what context.get does, faster
    if absolute and absolute is not missing:
        site = context.get("site")
        if site is not None and site.base_url and not target.startswith("#"):
            return site.base_url.rstrip("/") + "/" + page_path(target.lstrip("/"))
    return relurl(target, context["page_url"])


def canonical_url(base_url: str, path: str) -> str:
    """Absolute URL of a page under `base_url`, in folder form (`.../people/x/`)."""
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    return base_url.rstrip("/") + "/" + path


class _Compiled(BytecodeCache):
    """Each template's compiled code by name, file and source, kept in memory from one build's
    environment to the next (Jinja's own mechanism: its key is the name and file, and a source
    with another checksum is compiled again). A server's rebuild compiled the templates it
    renders anew each time: a tenth of a second."""

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, object]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self._code.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]  # type: ignore[assignment]

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = (bucket.checksum, bucket.code)


_COMPILED = _Compiled()


def make_environment(templates_dir: Path | None = None) -> Environment:
    """The environment: `templates_dir` (user overrides) first, then the package theme."""
    loaders = []
    if templates_dir is not None:
        loaders.append(FileSystemLoader(str(templates_dir)))
    loaders.append(PackageLoader(THEME_PACKAGE, THEME_TEMPLATES))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: no need to stat every template at every page
        bytecode_cache=_COMPILED,
    )
    env.filters["relurl"] = _relurl_filter
    env.filters["humandate"] = human_date
    env.filters["canonical"] = canonical_url
    env.filters["jsonld"] = jsonld_script
    env.filters["oglocale"] = og_locale
    env.tests["isodate"] = is_iso_date
    env.tests["weburl"] = is_web_url
    return env


def render_page(env: Environment, page: Page, config: SiteConfig, *, search: bool = False) -> str:
    """Render one planned page; `page_url` is what `relurl` computes links from.

    Every page gets `meta`, `ld` (JSON-LD data or None), `feed` (its own Atom feed or None) and
    `search` (whether the site has a search page), so templates never test for their presence.
    """
    template = env.get_template(page.template)
    context = {"meta": PageMeta(config.title, config.description), "ld": None, "feed": None,
               "absolute_links": False, **page.context}
    return template.render(**context, page_url=page_path(page.path), site=config, search=search)
