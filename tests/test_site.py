"""The static site: pages, links, escaping, claim anchors, identities, pagination, overrides,
atomic builds, settings."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from newsgen.config import ConfigError, SiteConfig, load_config
from newsgen.records import (
    Article,
    Caption,
    Claim,
    Event,
    Origin,
    Paragraph,
    Person,
    Source,
)
from newsgen.site import build_site
from newsgen.site.collections import build_archive
from newsgen.site.linkcheck import check_links
from newsgen.site.urls import folder_page, relurl, safe_slug

SCRIPT = "<script>alert(1)</script>"


# ---------------------------------------------------------------------------------------------
# A small hand-made archive


def site_paragraphs(*texts: str) -> list[Paragraph]:
    """Paragraphs laid out as in a source text, separated by a blank line, with true offsets."""
    out, pos = [], 0
    for text in texts:
        out.append(Paragraph(text, pos, pos + len(text)))
        pos += len(text) + 2
    return out


def site_claim(body: list[Paragraph], sentence: str, claim_text: str, **kw) -> Claim:
    """A claim whose sentence offsets point at `sentence` in `body`."""
    for p in body:
        i = p.text.find(sentence)
        if i >= 0:
            s = p.start + i
            j = sentence.find(claim_text)
            return Claim(text=claim_text, start=s + j, end=s + j + len(claim_text),
                         sentence_start=s, sentence_end=s + len(sentence), **kw)
    raise AssertionError(f"sentence not in body: {sentence!r}")


VISIT_SENTENCE = ("KCNA a cité le dirigeant nord-coréen affirmant que le pays continuerait "
                  "à élargir sa coopération avec la Russie.")
ACCUSE_SENTENCE = "M. Shoigu a accusé Kiev de préparer une provocation."
DENY_SENTENCE = "Volodymyr Zelensky a démenti toute provocation."


def site_archive() -> list[Article]:
    body1 = site_paragraphs(
        "Le 13 septembre, le secrétaire du Conseil de sécurité russe, Sergueï Choïgou, "
        "a rencontré le président nord-coréen Kim Jong-un à Pyongyang.",
        VISIT_SENTENCE + " Les deux parties ont discuté du dialogue stratégique.",
        f"Un lecteur a écrit {SCRIPT} dans le formulaire.",
    )
    visit = Article(
        slug="choigou-a-pyongyang",
        title=f"Choïgou à Pyongyang {SCRIPT}",
        published="2024-09-14",
        date="2024-09-13",
        origin=Origin("https://example.org/news/1", "Exemple Info"),
        body=body1,
        captions=[Caption("Kim Jong-un accueille Sergueï Choïgou.", credit="KCNA")],
        people=[
            Person("sergei-shoigu", "Sergueï Choïgou", roles=["secrétaire du Conseil de sécurité russe"]),
            Person("kim-jong-un", "Kim Jong-un", roles=["président nord-coréen"]),
        ],
        sources=[Source("kcna", "KCNA", aliases=["Agence centrale de presse coréenne"])],
        claims=[
            site_claim(body1, VISIT_SENTENCE, "le pays continuerait à élargir sa coopération avec la Russie",
                       speaker="Kim Jong-un", via="KCNA"),
        ],
        events=[Event("visite-choigou-pyongyang-2024", "Visite de Choïgou à Pyongyang", kind="visit",
                      date="2024-09-13", place="Pyongyang",
                      participants=["Sergueï Choïgou", "Kim Jong-un"], main=True)],
    )
    body2 = site_paragraphs(
        "Sergei Shoigu s'est exprimé mardi devant la presse.",
        ACCUSE_SENTENCE + " " + DENY_SENTENCE,
    )
    accusation = Article(
        slug="shoigu-accuse-kiev",
        title="Shoigu accuse Kiev",
        published="2024-10-02",
        origin=Origin("javascript:alert(1)", "Douteux"),
        body=body2,
        people=[
            Person("sergei-shoigu", "Sergei Shoigu", aliases=["M. Shoigu"]),
            Person("volodymyr-zelensky", "Volodymyr Zelensky", roles=["président ukrainien"]),
        ],
        sources=[Source("tass", "TASS")],
        claims=[
            site_claim(body2, ACCUSE_SENTENCE, "Kiev de préparer une provocation",
                       speaker="M. Shoigu", kind="accusation", via="TASS"),
            site_claim(body2, DENY_SENTENCE, "toute provocation",
                       speaker="Volodymyr Zelensky", speaker_id="volodymyr-zelensky", kind="denial"),
        ],
        events=[Event("accusation-kiev", "Accusation de provocation", date="2024-10-01", main=True)],
    )
    brief = Article(
        slug="breve",
        title="Brève sans personne",
        published="2024-08-01",
        body=site_paragraphs("Rien à signaler."),
    )
    return [visit, accusation, brief]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    out = tmp_path / "build"
    build_site(site_archive(), out, config=SiteConfig(title="Archive test"))
    return out


def site_read(root: Path, path: str) -> str:
    return (root / path).read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Pages and links


PAGE_TYPES = [
    "index.html",
    "articles/index.html",
    "articles/choigou-a-pyongyang/index.html",
    "people/index.html",
    "people/sergei-shoigu/index.html",
    "events/index.html",
    "events/visite-choigou-pyongyang-2024/index.html",
    "sources/index.html",
    "sources/kcna/index.html",
    "static/style.css",
]


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_every_page_type_exists(site: Path, path: str) -> None:
    assert (site / path).is_file()


def test_every_internal_link_resolves(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    assert len(pages) >= 14
    assert check_links(site) == []


def test_links_are_relative_and_name_index_html(site: Path) -> None:
    page = site_read(site, "people/sergei-shoigu/index.html")
    assert 'href="../../articles/choigou-a-pyongyang/index.html"' in page
    assert 'href="../../static/style.css"' in page
    hrefs = re.findall(r'(?:href|src)="([^"]*)"', "".join(site_read(site, str(p.relative_to(site)))
                                                        for p in site.rglob("*.html")))
    internal = [h for h in hrefs if not h.startswith(("http:", "https:"))]
    assert internal and not [h for h in internal if h.startswith("/") or h.endswith("/")]


def test_linkcheck_reports_broken_links(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<p id="here"></p>')
    (tmp_path / "index.html").write_text(
        '<a href="a/index.html#here">ok</a><a href="a/">folder</a><a href="b/index.html">missing</a>'
        '<a href="a/index.html#nope">fragment</a><a href="/a/index.html">absolute</a>'
        '<a href="https://example.org/x">external</a><a href="#top">self</a>'
    )
    broken = {b.url: b.reason for b in check_links(tmp_path)}
    assert set(broken) == {"a/", "b/index.html", "a/index.html#nope", "/a/index.html", "#top"}


# ---------------------------------------------------------------------------------------------
# Untrusted text


def test_untrusted_text_is_escaped_everywhere(site: Path) -> None:
    for page in site.rglob("*.html"):
        assert SCRIPT not in page.read_text(encoding="utf-8"), page
    article = site_read(site, "articles/choigou-a-pyongyang/index.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article


def test_only_web_origin_urls_become_links(site: Path) -> None:
    good = site_read(site, "articles/choigou-a-pyongyang/index.html")
    assert 'href="https://example.org/news/1"' in good
    bad = site_read(site, "articles/shoigu-accuse-kiev/index.html")
    assert 'href="javascript:' not in bad
    assert "Douteux" in bad


# ---------------------------------------------------------------------------------------------
# Claims


def site_mark(page: str, anchor: str) -> str:
    match = re.search(rf'<mark id="{anchor}"[^>]*>(.*?)</mark>', page, re.S)
    assert match, f"no <mark id={anchor}>"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1)))


def test_claim_anchor_wraps_its_sentence(site: Path) -> None:
    page = site_read(site, "articles/choigou-a-pyongyang/index.html")
    assert site_mark(page, "claim-1") == VISIT_SENTENCE
    assert 'href="#claim-1"' in page
    other = site_read(site, "articles/shoigu-accuse-kiev/index.html")
    assert site_mark(other, "claim-1") == ACCUSE_SENTENCE
    assert site_mark(other, "claim-2") == DENY_SENTENCE


def test_claim_without_usable_offsets_falls_back_to_its_words(tmp_path: Path) -> None:
    body = [Paragraph("Texte nettoyé : il a tout nié.", 0, 99)]  # length no longer matches
    article = Article(slug="a", title="A", body=body,
                      claims=[Claim("X", "il a tout nié", 0, 0, kind="denial")])
    out = tmp_path / "out"
    assert build_site([article], out, config=SiteConfig(base_url="https://example.org/")) == []
    assert site_mark(site_read(out, "articles/a/index.html"), "claim-1") == "il a tout nié"
    assert check_links(out) == []


def test_unlocatable_claim_is_listed_without_anchor(tmp_path: Path) -> None:
    article = Article(slug="a", title="A", body=site_paragraphs("Rien."),
                      claims=[Claim("X", "ailleurs", 500, 510, sentence_start=500, sentence_end=520)])
    out = tmp_path / "out"
    warnings = build_site([article], out, config=SiteConfig())
    assert any("claim 1" in w for w in warnings)
    page = site_read(out, "articles/a/index.html")
    assert "ailleurs" in page and "#claim-1" not in page
    assert check_links(out) == []


def test_claims_reach_people_sources_and_events(site: Path) -> None:
    person = site_read(site, "people/sergei-shoigu/index.html")
    assert "Kiev de préparer une provocation" in person  # said as "M. Shoigu", via TASS
    assert 'href="../../sources/tass/index.html"' in person  # quoted by
    assert 'href="../volodymyr-zelensky/index.html"' in person  # co-appears
    assert "secrétaire du Conseil de sécurité russe" in person  # role over time
    kim = site_read(site, "people/kim-jong-un/index.html")
    assert "élargir sa coopération" in kim
    kcna = site_read(site, "sources/kcna/index.html")
    assert "élargir sa coopération" in kcna
    assert 'href="../../people/kim-jong-un/index.html"' in kcna
    event = site_read(site, "events/accusation-kiev/index.html")
    assert "badge--accusation" in event and "badge--denial" in event
    assert "Accusation" in event and "Démenti" in event
    visit = site_read(site, "events/visite-choigou-pyongyang-2024/index.html")
    assert 'href="../../people/sergei-shoigu/index.html"' in visit  # participant linked
    assert "Pyongyang" in visit and "13 septembre 2024" in visit


def test_speaker_ids_resolve_across_articles() -> None:
    later = Article(slug="z", title="Z", published="2025-01-01",
                    people=[Person("ann-doe", "Ann Doe")])
    earlier = Article(slug="y", title="Y", published="2024-01-01", body=site_paragraphs("Elle dit non."),
                      claims=[Claim("Elle", "non", 9, 12, speaker_id="ann-doe")])
    archive = build_archive([later, earlier])
    assert [r.item.article.slug for r in archive.people.entries["ann-doe"].claims] == ["y"]


def test_speaker_names_resolve_through_aliases_merged_from_other_articles() -> None:
    """'Sergueï Choïgou' is not a spelling article b knows, but article a ties it to the same id."""
    a = Article(slug="a", title="A", published="2024-01-01",
                people=[Person("sergei-shoigu", "Sergueï Choïgou")])
    b = Article(slug="b", title="B", published="2024-02-01", body=site_paragraphs("Sergueï Choïgou dit oui."),
                people=[Person("sergei-shoigu", "Sergei Shoigu")],
                claims=[Claim("Sergueï Choïgou", "oui", 20, 23), Claim("Inconnu", "non", 0, 3)])
    archive = build_archive([a, b])
    claims = archive.people.entries["sergei-shoigu"].claims
    assert [r.claim.speaker for r in claims] == ["Sergueï Choïgou"]


# ---------------------------------------------------------------------------------------------
# Identity, pagination


def test_person_with_two_spellings_has_one_page_with_both_articles(site: Path) -> None:
    people_dirs = [p.name for p in (site / "people").iterdir() if p.is_dir() and p.name != "page"]
    assert sorted(people_dirs) == ["kim-jong-un", "sergei-shoigu", "volodymyr-zelensky"]
    page = site_read(site, "people/sergei-shoigu/index.html")
    assert 'href="../../articles/choigou-a-pyongyang/index.html"' in page
    assert 'href="../../articles/shoigu-accuse-kiev/index.html"' in page
    assert "Sergueï Choïgou" in page and "Sergei Shoigu" in page
    index = site_read(site, "people/index.html")
    assert index.count('href="sergei-shoigu/index.html"') == 1


def test_people_index_is_grouped_by_initial_of_last_word(site: Path) -> None:
    index = site_read(site, "people/index.html")
    headings = re.findall(r'<h2 id="lettre-[^"]+" class="letter">([^<]+)</h2>', index)
    # Choïgou (first-seen spelling wins a tie), (Kim) Jong-un, Zelensky
    assert headings == ["C", "J", "Z"]


def test_small_per_page_paginates_into_folders(tmp_path: Path) -> None:
    out = tmp_path / "build"
    build_site(site_archive(), out, config=SiteConfig(per_page=1))
    for path in ["articles/page/2/index.html", "articles/page/3/index.html",
                 "people/page/2/index.html", "people/page/3/index.html",
                 "events/page/2/index.html", "sources/page/2/index.html"]:
        assert (out / path).is_file(), path
    assert not (out / "articles/page/4").exists()
    assert not list(out.rglob("page-*.html"))
    assert [p.name for p in out.rglob("[0-9]*.html")] == ["404.html"]
    assert 'href="../3/index.html"' in site_read(out, "people/page/2/index.html")
    assert check_links(out) == []


# ---------------------------------------------------------------------------------------------
# Templates and atomic builds


def test_user_template_overrides_theme(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "home.html").write_text(
        '{% extends "base.html" %}{% block content %}<p>ACCUEIL MAISON {{ counts.people }}</p>{% endblock %}',
        encoding="utf-8")
    (templates / "static").mkdir()
    (templates / "static" / "extra.css").write_text("body{}", encoding="utf-8")
    out = tmp_path / "build"
    build_site(site_archive(), out, config=SiteConfig(), templates_dir=templates)
    assert "ACCUEIL MAISON 3" in site_read(out, "index.html")
    assert "ACCUEIL MAISON" not in site_read(out, "people/index.html")  # others: theme
    assert (out / "static/style.css").is_file() and (out / "static/extra.css").is_file()


def site_snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_failed_build_leaves_previous_site_untouched(tmp_path: Path) -> None:
    out = tmp_path / "build"
    build_site(site_archive()[:1], out, config=SiteConfig())
    (out / "keep.txt").write_text("old build", encoding="utf-8")
    before = site_snapshot(out)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "article.html").write_text("{{ no_such_function() }}", encoding="utf-8")
    with pytest.raises(Exception):
        build_site(site_archive(), out, config=SiteConfig(title="Nouveau"), templates_dir=templates)
    assert site_snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "templates"]  # no temp left


def test_rebuild_replaces_the_old_site(tmp_path: Path) -> None:
    out = tmp_path / "build"
    build_site(site_archive(), out, config=SiteConfig())
    (out / "CNAME").write_text("archive.example.org", encoding="utf-8")  # not newsgen's: kept, said
    warnings = build_site(site_archive()[:1], out, config=SiteConfig())
    assert (out / "CNAME").read_text(encoding="utf-8") == "archive.example.org"
    assert any("CNAME" in w for w in warnings)
    assert not (out / "people/volodymyr-zelensky").exists()  # newsgen's page, no longer planned
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_build_is_deterministic(tmp_path: Path) -> None:
    """Same archive, same bytes: pages, feeds, sitemap and data. (Pagefind's own index is not
    byte-reproducible: its filter files come out in varying order.)"""
    config = SiteConfig(base_url="https://example.org/")
    build_site(site_archive(), tmp_path / "a", config=config)
    build_site(list(reversed(site_archive())), tmp_path / "b", config=config)

    def ours(root: Path) -> dict[str, bytes]:
        return {k: v for k, v in site_snapshot(root).items() if not k.startswith("pagefind/")}

    assert ours(tmp_path / "a") == ours(tmp_path / "b")


def test_html_lang_and_title_come_from_config(tmp_path: Path) -> None:
    out = tmp_path / "build"
    build_site(site_archive(), out, config=SiteConfig(title="Mon archive", language="fr",
                                                      base_url="https://example.org/archive/"))
    home = site_read(out, "index.html")
    assert '<html lang="fr">' in home and "Mon archive" in home
    assert '<link rel="canonical" href="https://example.org/archive/people/sergei-shoigu/">' in \
        site_read(out, "people/sergei-shoigu/index.html")


def test_hostile_ids_and_duplicate_slugs_stay_inside_the_site(tmp_path: Path) -> None:
    articles = [
        Article(slug="../evil", title="A", people=[Person("../../etc", "Evil Person")]),
        Article(slug="same", title="B", published="2024-01-01"),
        Article(slug="same", title="C", published="2024-01-02"),
    ]
    out = tmp_path / "build"
    warnings = build_site(articles, out, config=SiteConfig())
    assert warnings
    assert (out / "articles/evil/index.html").is_file()
    assert (out / "people/etc/index.html").is_file()
    assert (out / "articles/same/index.html").is_file() and (out / "articles/same-2/index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]
    assert check_links(out) == []


# ---------------------------------------------------------------------------------------------
# URLs


@pytest.mark.parametrize("target, page, expected", [
    ("articles/foo/", "people/x/index.html", "../../articles/foo/index.html"),
    ("", "people/x/index.html", "../../index.html"),
    ("people/", "index.html", "people/index.html"),
    ("people/x/#claim-1", "people/x/index.html", "#claim-1"),
    ("articles/a/#claim-2", "people/x/index.html", "../../articles/a/index.html#claim-2"),
    ("static/style.css", "people/page/2/index.html", "../../../static/style.css"),
    ("https://example.org/", "index.html", "https://example.org/"),
])
def test_relurl(target: str, page: str, expected: str) -> None:
    assert relurl(target, page) == expected


def test_folder_pages_and_slugs() -> None:
    assert folder_page("people", 1) == "people/index.html"
    assert folder_page("people", 2) == "people/page/2/index.html"
    assert safe_slug("sergei-shoigu") == "sergei-shoigu"
    assert "/" not in safe_slug("../../x") and safe_slug("...")


# ---------------------------------------------------------------------------------------------
# Settings


def test_config_defaults_when_file_absent(tmp_path: Path) -> None:
    assert load_config(tmp_path / "newsgen.yaml") == SiteConfig()
    assert load_config(tmp_path) == SiteConfig()


def test_config_loads_values(tmp_path: Path) -> None:
    path = tmp_path / "newsgen.yaml"
    path.write_text("title: Archive\nper_page: 20\nbase_url: https://example.org/\n", encoding="utf-8")
    config = load_config(path)
    assert (config.title, config.per_page, config.language) == ("Archive", 20, "fr")


@pytest.mark.parametrize("text, message", [
    ("titel: x\n", "unknown key 'titel'"),
    ("per_page: beaucoup\n", "'per_page' must be an integer"),
    ("per_page: true\n", "'per_page' must be an integer"),
    ("per_page: 0\n", "at least 1"),
    ("base_url: ftp://x\n", "'base_url' must be an http(s) URL"),
    ("base_url: https://example.org/?page=1\n", "'base_url' must be an http(s) URL"),
    ("language: français\n", "'language' must be a language code"),
    ("description: 3\n", "'description' must be a string"),
    ("- a\n- b\n", "expected a mapping"),
    ("title: [unclosed\n", "not valid YAML"),
])
def test_config_errors_name_file_and_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "newsgen.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_related_events_link_both_ways(tmp_path: Path) -> None:
    summit = Event("sommet-2024-06", "Sommet à Pyongyang", "summit", "2024-06", related=["visite-2024-09-13"])
    visit = Event("visite-2024-09-13", "Visite à Pyongyang", "visit", "2024-09-13", main=True,
                  related=["sommet-2024-06"])
    art = Article(slug="a", title="A", published="2024-09-14", body=site_paragraphs("Un texte."),
                  events=[visit, summit])
    build_site([art], tmp_path / "out", config=SiteConfig())
    visit_page = site_read(tmp_path / "out", "events/visite-2024-09-13/index.html")
    summit_page = site_read(tmp_path / "out", "events/sommet-2024-06/index.html")
    assert 'href="../sommet-2024-06/index.html"' in visit_page
    assert 'href="../visite-2024-09-13/index.html"' in summit_page


def test_hand_written_markdown_is_rendered_and_sanitised(tmp_path: Path) -> None:
    body = [Paragraph("Un texte **important** avec [un lien](https://exemple.fr) "
                      "et [un piège](javascript:alert(1)).", 0, 0),
            Paragraph("<script>alert(2)</script><img src=x onerror=alert(3)>\n\n- un\n- deux", 0, 0)]
    art = Article(slug="main", title="Écrit à la main", body=body)
    build_site([art], tmp_path / "out", config=SiteConfig())
    page = site_read(tmp_path / "out", "articles/main/index.html")
    assert "<strong>important</strong>" in page
    assert '<a href="https://exemple.fr" rel="noopener nofollow">un lien</a>' in page
    assert "href=\"javascript:" not in page and "<script>alert" not in page and "<img" not in page
    assert "<li>un</li>" in page


def test_extracted_text_is_never_read_as_markdown(tmp_path: Path) -> None:
    art = Article(slug="x", title="X", source_file="seeds/x.txt", body=[Paragraph("Un **mot** ici.", 0, 15)])
    build_site([art], tmp_path / "out", config=SiteConfig())
    assert "Un **mot** ici." in site_read(tmp_path / "out", "articles/x/index.html")
