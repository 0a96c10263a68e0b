"""The faster rendering gives the same HTML: `relurl` with its per-page memo and fast paths,
the cached date filters, and the claim and list macros that write out the small macros'
markup instead of calling them."""
from __future__ import annotations

import itertools
import posixpath
import re
from types import SimpleNamespace as NS

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from newsgen.config import SiteConfig
from newsgen.site.render import human_date, is_iso_date, make_environment
from newsgen.site.urls import relurl


def plain_relurl(target: str, page: str) -> str:
    """`relurl` as the documentation says, with posixpath and nothing cached."""
    if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith(("//", "#")):
        return target
    path, _, fragment = target.partition("#")
    path = path.lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    if fragment and path == page:
        return "#" + fragment
    return posixpath.relpath(path, posixpath.dirname(page) or ".") + ("#" + fragment if fragment else "")


segment = st.sampled_from(["people", "x", "articles", "articles2", "foo", "index.html", "page", "2",
                           "feed.xml", "static", "é-ü"])
folder = st.lists(segment, min_size=0, max_size=4).map(lambda parts: "".join(p + "/" for p in parts))
page = st.one_of(folder.map(lambda f: f + "index.html"),
                 st.lists(segment, min_size=1, max_size=4).map("/".join))
target = st.tuples(
    st.sampled_from(["", "/"]),
    st.one_of(folder, page),
    st.sampled_from(["", "#", "#claim-1", "#note-2", "#a#b"]),
).map("".join) | st.sampled_from(["#claim-3", "https://example.org/a", "mailto:x@example.org", "//cdn/x"])


@settings(max_examples=500)
@given(st.lists(st.tuples(target, page), min_size=1, max_size=30))
def test_relurl_is_the_plain_relative_link(pairs: list[tuple[str, str]]) -> None:
    for t, p in pairs + pairs:  # twice: the second time from the memo
        assert relurl(t, p) == plain_relurl(t, p), (t, p)


def test_relurl_edge_cases() -> None:
    assert relurl("articles", "articles/x/index.html") == ".."  # a first folder named like a file
    assert relurl("articles/", "articles/x/index.html") == "../index.html"
    assert relurl("articles2/", "articles/x/index.html") == "../../articles2/index.html"
    assert relurl("index.html#donnees", "index.html") == "#donnees"
    assert relurl("index.html#donnees", "people/index.html") == "../index.html#donnees"
    assert relurl("/feed.xml", "people/x/index.html") == "../../feed.xml"
    assert relurl("articles/a/#claim-1", "articles/a/index.html") == "#claim-1"
    assert relurl("articles/a/#claim-2", "articles/b/index.html") == "../a/index.html#claim-2"


def test_dates_are_the_same_from_the_cache() -> None:
    for _ in range(2):
        assert human_date("2024-09-01") == "1er septembre 2024"
        assert human_date("XXXX-09-13") == "13 septembre"
        assert human_date("2024-09", "en") == "2024-09"
        assert human_date("2024-13") == "2024-13"
        assert human_date("") == "" and human_date(None) == ""
    marked = Markup("<b>2024</b>")
    assert human_date(marked) is marked  # not a date: given back as it came
    with pytest.raises(TypeError):
        human_date(2024)  # type: ignore[arg-type]
    assert is_iso_date("2024-09-13") and is_iso_date("2024") and not is_iso_date("2024-9")
    assert not is_iso_date(None) and not is_iso_date(["2024"])


def test_relurl_filter_links_from_the_page_and_absolute_on_404() -> None:
    env = make_environment()
    template = env.from_string("{{ 'people/'|relurl }} {{ '#top'|relurl }}")
    site = SiteConfig(base_url="https://example.org/archive/")
    assert template.render(page_url="people/x/index.html", site=site) == "../index.html #top"
    assert template.render(page_url="people/x/index.html", site=site, absolute_links=False) \
        == "../index.html #top"
    assert template.render(page_url="404.html", site=site, absolute_links=True) \
        == "https://example.org/archive/people/index.html #top"
    assert template.render(page_url="404.html", site=SiteConfig(), absolute_links=True) \
        == "people/index.html #top"


# The claim and list macros as they were, built from the small macros: the written-out markup
# must stay what these calls print.
COMPOSED = """
{% import "_macros.html" as m with context %}
{% macro claim(ref, show_article=true) -%}
<li class="claim claim--{{ ref.kind }}">
  <p class="claim-meta">
    {{ m.kind_badge(ref.kind) }}
    <span class="claim-speaker">{{ m.link_to(ref.speaker, ref.claim.speaker) }}</span>
    {% if ref.claim.verb %} <span class="muted">({{ ref.claim.verb }})</span>{% endif %}
    {% if ref.claim.via %} <span class="claim-via">via {{ m.link_to(ref.via, ref.claim.via) }}</span>{% endif %}
  </p>
  <p class="claim-text">{% if ref.claim.quote %}«\u00a0{{ ref.claim.text }}\u00a0»{% else %}{{ ref.claim.text }}{% endif %}</p>
  {% if show_article or ref.anchored %}
  <p class="claim-links">
    {% if show_article %}<a href="{{ ref.item.url|relurl }}">{{ ref.item.article.title }}</a>{% if ref.item.date %} {{ m.date(ref.item.date) }}{% endif %}{% endif %}
    {% if show_article and ref.anchored %} · {% endif %}
    {% if ref.anchored %}<a class="to-sentence" href="{{ ref.url|relurl }}">voir la phrase dans le texte</a>{% endif %}
  </p>
  {% endif %}
</li>
{%- endmacro %}
{% macro claim_note(ref) -%}
<li class="claim claim--{{ ref.kind }}" id="note-{{ ref.number }}">
  <p class="claim-meta">
    {{ m.kind_badge(ref.kind) }}
    <span class="claim-speaker">{{ m.link_to(ref.speaker, ref.claim.speaker) }}</span>
    {% if ref.claim.via %} <span class="claim-via">via {{ m.link_to(ref.via, ref.claim.via) }}</span>{% endif %}
  </p>
  <p class="claim-text">{% if ref.claim.quote %}«\u00a0{{ ref.claim.text }}\u00a0»{% else %}{{ ref.claim.text }}{% endif %}</p>
  <p class="claim-links"><a class="to-sentence" href="{{ ref.url|relurl }}" aria-label="Lien vers la phrase de la déclaration {{ ref.number }}">Lien vers la phrase</a></p>
</li>
{%- endmacro %}
{% macro article_list(items) -%}
<ul class="article-list">
{% for item in items %}
  <li><a href="{{ item.url|relurl }}">{{ item.article.title }}</a>{% if item.date %} <span class="muted">{{ m.date(item.date) }}</span>{% endif %}</li>
{% endfor %}
</ul>
{%- endmacro %}
{% macro link_list(links) -%}
<ul class="inline-list">
{% for link in links %}
  <li>{{ m.link_to(link.entry, link.entry.name if link.entry else link.name) }}</li>
{% endfor %}
</ul>
{%- endmacro %}
{% macro entry_list(entries) -%}
<ul class="inline-list">
{% for entry in entries %}
  <li>{{ m.link_to(entry) }}</li>
{% endfor %}
</ul>
{%- endmacro %}
{% macro claim_list(refs, show_article=true) -%}
<ul class="claims">
{% for ref in refs %}
  {{ claim(ref, show_article) }}
{% endfor %}
</ul>
{%- endmacro %}
"""

CALLS = """{% import "_macros.html" as m with context %}>>>
{%- for ref in refs %}{{ m.claim(ref) }}|{{ m.claim(ref, false) }}|{{ m.claim_note(ref) }}|{% endfor %}
{{- m.claim_list(refs) }}{{ m.claim_list(refs, show_article=false) }}
{{- m.article_list(items) }}{{ m.link_list(links) }}{{ m.entry_list(entries) }}"""


def sample_refs() -> list[NS]:
    person = NS(url="people/ana/", name="Ana <B>")
    source = NS(url="sources/kcna/", name="KCNA & co")
    items = [NS(url="articles/a/", article=NS(title="Titre <i>"), date=d)
             for d in ("2024-09-13", "2024-09", "XXXX-01-01", "hier", "", None)]
    refs = []
    for n, (kind, speaker, label, via_entry, via, verb, quote, anchored, item) in enumerate(itertools.product(
            ["statement", "accusation", "denial", "get", "<x>"], [person, None], ["Ana", ""],
            [source, None], ["KCNA", ""], ["a dit", ""], [True, False], [True, False], items[:3])):
        refs.append(NS(kind=kind, speaker=speaker, via=via_entry, item=item, anchored=anchored,
                       url=f"{item.url}#claim-{n}", number=n,
                       claim=NS(speaker=label, via=via, verb=verb, quote=quote, text="« dit » <script>")))
    return refs + [NS(kind="statement", speaker=None, via=None, item=item, anchored=False, url="", number=0,
                      claim=NS(speaker="X", via="", verb="", quote=False, text="t")) for item in items]


@pytest.mark.parametrize("page_url", ["people/ana/index.html", "articles/a/index.html", "index.html"])
def test_claim_and_list_macros_print_what_the_small_macros_print(page_url: str) -> None:
    env = make_environment()
    theme = env.from_string(CALLS)
    composed = env.from_string(COMPOSED + CALLS.replace("m.", ""))
    refs = sample_refs()
    person = refs[0].speaker
    context = {
        "refs": refs,
        "items": [ref.item for ref in refs[-6:]],
        "links": [NS(entry=person, name="Ana"), NS(entry=None, name="Bob <b>"), NS(entry=None, name="")],
        "entries": [person, refs[0].via, None],
        "site": SiteConfig(), "page_url": page_url, "absolute_links": False,
    }
    expected = composed.render(context).split(">>>", 1)[1]
    assert "badge--get" in expected and "&lt;script&gt;" in expected and "<time datetime=" in expected
    assert theme.render(context).split(">>>", 1)[1] == expected
