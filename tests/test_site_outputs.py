"""What the site publishes besides its pages: feeds, sitemap and robots, 404, JSON-LD and Open
Graph, the JSON data export, the timeline, the search index."""
from __future__ import annotations

import json
import posixpath
import re
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from newsgen.config import SiteConfig
from newsgen.records import Article, Claim, Paragraph, Person
from newsgen.site import BuildError, build_site
from newsgen.site.collections import build_archive
from newsgen.site.feeds import plan_feeds, render_feed
from newsgen.site.linkcheck import check_links
from newsgen.site.search import find_pagefind, index_site, search_glob
from newsgen.site.sitemap import NO_BASE_URL
from newsgen.site.structured import jsonld_script
from newsgen.site.timeline import build_timeline, split_date
from test_site import SCRIPT, site_archive, site_read

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://example.org/archive/"


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    """The test archive built without base_url (and without search, for speed)."""
    out = tmp_path / "plain"
    build_site(site_archive(), out, config=SiteConfig(title="Archive test"), search=False)
    return out


@pytest.fixture
def hosted(tmp_path: Path) -> Path:
    """The test archive built with a base_url."""
    out = tmp_path / "hosted"
    build_site(site_archive(), out, config=SiteConfig(title="Archive test", base_url=BASE), search=False)
    return out


def html_pages(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html")
                  if not p.relative_to(root).as_posix().startswith("pagefind/"))


# ---------------------------------------------------------------------------------------------
# Feeds


def feed(root: Path, path: str) -> ET.Element:
    return ET.fromstring((root / path).read_bytes())


def entries(doc: ET.Element) -> list[ET.Element]:
    return doc.findall(f"{ATOM}entry")


def test_archive_feed_has_every_article_newest_first(plain: Path) -> None:
    doc = feed(plain, "feed.xml")
    assert doc.tag == f"{ATOM}feed"
    assert doc.findtext(f"{ATOM}title") == "Archive test"
    titles = [e.findtext(f"{ATOM}title") for e in entries(doc)]
    assert titles == ["Shoigu accuse Kiev", f"Choïgou à Pyongyang {SCRIPT}", "Brève sans personne"]
    assert doc.findtext(f"{ATOM}updated").startswith("2024-10-02")
    ids = [e.findtext(f"{ATOM}id") for e in entries(doc)]
    assert all(i.startswith("urn:uuid:") for i in ids) and len(set(ids)) == 3


def test_entity_feeds_exist_for_people_events_and_sources(plain: Path) -> None:
    shoigu = feed(plain, "people/sergei-shoigu/feed.xml")
    assert len(entries(shoigu)) == 2
    assert len(entries(feed(plain, "events/accusation-kiev/feed.xml"))) == 1
    assert len(entries(feed(plain, "sources/kcna/feed.xml"))) == 1
    page = site_read(plain, "people/sergei-shoigu/index.html")
    assert '<link rel="alternate" type="application/atom+xml"' in page and 'href="feed.xml"' in page
    assert 'href="../../feed.xml"' in page  # the archive's feed too


def test_feed_links_resolve_without_base_url(plain: Path) -> None:
    """Relative links resolve against the feed's own location to real pages."""
    for path in ["feed.xml", "people/sergei-shoigu/feed.xml", "events/accusation-kiev/feed.xml"]:
        for link in feed(plain, path).iter(f"{ATOM}link"):
            href = link.get("href")
            assert href and "://" not in href
            assert (plain / posixpath.normpath(posixpath.join(posixpath.dirname(path), href))).is_file(), href


def test_feed_links_are_absolute_with_base_url_and_ids_do_not_change(plain: Path, hosted: Path) -> None:
    doc = feed(hosted, "people/sergei-shoigu/feed.xml")
    hrefs = [link.get("href") for link in doc.iter(f"{ATOM}link")]
    assert all(h.startswith(BASE) for h in hrefs)
    assert BASE + "people/sergei-shoigu/feed.xml" in hrefs
    for href in hrefs:
        rel = href[len(BASE):]
        assert (hosted / rel).is_file() or (hosted / rel / "index.html").is_file(), href
    ids = lambda root: [e.findtext(f"{ATOM}id") for e in entries(feed(root, "feed.xml"))]  # noqa: E731
    assert ids(plain) == ids(hosted)  # permanent ids: gaining a base_url changes no id


def test_feed_content_is_escaped_html(plain: Path) -> None:
    entry = entries(feed(plain, "feed.xml"))[1]
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert "&lt;script&gt;" in content.text and "<script>" not in content.text


def test_feeds_survive_characters_xml_cannot_hold(tmp_path: Path) -> None:
    article = Article(slug="a", title="Titre\x08 avec\x00 contrôle", published="2024-01-01",
                      body=[Paragraph("Texte\x0b brut\ufffe.", 0, 14)], people=[Person("p", "P\x1f")])
    out = tmp_path / "out"
    build_site([article], out, config=SiteConfig(), search=False)
    [entry] = entries(feed(out, "feed.xml"))
    assert entry.findtext(f"{ATOM}title") == "Titre avec contrôle"
    assert entries(feed(out, "people/p/feed.xml"))


def test_a_title_of_characters_xml_cannot_hold_falls_back_to_the_slug_in_feeds(tmp_path: Path) -> None:
    """Atom requires a title; one made only of control characters is empty once cleaned."""
    article = Article(slug="sans-titre", title="\x08", published="2024-01-01", body=[Paragraph("Texte.", 0, 6)],
                      people=[Person("p", "\x1f")])
    out = tmp_path / "out"
    build_site([article], out, config=SiteConfig(title="\x0b Archive"), search=False)
    [entry] = entries(feed(out, "feed.xml"))
    assert entry.findtext(f"{ATOM}title") == "sans-titre"
    assert feed(out, "people/p/feed.xml").findtext(f"{ATOM}title") == " — \x0b Archive".replace("\x0b", "")


def test_undated_articles_get_a_stable_feed_date(tmp_path: Path) -> None:
    articles = [Article(slug="a", title="A", published="2024-03-01"), Article(slug="b", title="B")]
    out = tmp_path / "out"
    build_site(articles, out, config=SiteConfig(), search=False)
    dates = {e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}updated") for e in entries(feed(out, "feed.xml"))}
    assert dates == {"A": "2024-03-01T00:00:00+00:00", "B": "2024-03-01T00:00:00+00:00"}


def test_feeds_of_one_build_share_each_article_entry_and_print_the_same_bytes() -> None:
    archive = build_archive(site_archive())
    config = SiteConfig(title="Archive test")
    feeds = plan_feeds(archive, config)
    shared: dict = {}
    assert [render_feed(f, config, shared) for f in feeds] == [render_feed(f, config) for f in feeds]
    # one entry per article and link: the archive feed links from the top, the others from two
    # folders down, so each article is made twice whatever the number of feeds it is in
    listed = {(item.slug, f.path.count("/")) for f in feeds for item in f.items}
    assert len(shared) == len(listed) < sum(len(f.items) for f in feeds)


# ---------------------------------------------------------------------------------------------
# Sitemap, robots, 404, canonical


def test_sitemap_lists_every_page(hosted: Path) -> None:
    doc = ET.fromstring((hosted / "sitemap.xml").read_bytes())
    locs = {u.findtext(f"{SITEMAP_NS}loc") for u in doc.findall(f"{SITEMAP_NS}url")}
    expected = {BASE + p.removesuffix("index.html") for p in html_pages(hosted) if p != "404.html"}
    assert locs == expected
    lastmods = [u.findtext(f"{SITEMAP_NS}lastmod") for u in doc.findall(f"{SITEMAP_NS}url")]
    assert "2024-09-14" in lastmods  # the article page, dated by publication
    assert f"Sitemap: {BASE}sitemap.xml" in site_read(hosted, "robots.txt")


def test_without_base_url_no_sitemap_and_one_warning(tmp_path: Path) -> None:
    warnings = build_site(site_archive(), tmp_path / "out", config=SiteConfig(), search=False)
    assert warnings.count(NO_BASE_URL) == 1
    assert not (tmp_path / "out" / "sitemap.xml").exists()
    assert "Sitemap:" not in site_read(tmp_path / "out", "robots.txt")
    assert "canonical" not in site_read(tmp_path / "out", "index.html")


def test_404_page(plain: Path, hosted: Path) -> None:
    page = site_read(plain, "404.html")
    assert "Page introuvable" in page and 'href="articles/index.html"' in page
    # Served for any missing URL, at any depth: with a base_url its links are absolute.
    hosted_page = site_read(hosted, "404.html")
    assert f'href="{BASE}articles/index.html"' in hosted_page
    assert f'href="{BASE}static/style.css"' in hosted_page


def test_canonical_and_open_graph(hosted: Path) -> None:
    page = site_read(hosted, "articles/choigou-a-pyongyang/index.html")
    assert f'<link rel="canonical" href="{BASE}articles/choigou-a-pyongyang/">' in page
    assert '<meta property="og:type" content="article">' in page
    assert f'<meta property="og:url" content="{BASE}articles/choigou-a-pyongyang/">' in page
    assert '<meta property="og:locale" content="fr_FR">' in page
    assert '<meta property="article:published_time" content="2024-09-14">' in page
    assert '<meta property="og:title" content="Choïgou à Pyongyang &lt;script&gt;' in page
    assert '<meta property="og:type" content="profile">' in site_read(hosted, "people/kim-jong-un/index.html")


# ---------------------------------------------------------------------------------------------
# JSON-LD


def ld_blocks(page: str) -> list[object]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return [json.loads(b) for b in blocks]


def ld_types(data: object) -> set[str]:
    """Every @type anywhere in a JSON-LD document."""
    found: set[str] = set()
    if isinstance(data, dict):
        if isinstance(data.get("@type"), str):
            found.add(data["@type"])
        for value in data.values():
            found |= ld_types(value)
    elif isinstance(data, list):
        for value in data:
            found |= ld_types(value)
    return found


def test_every_json_ld_block_parses(hosted: Path) -> None:
    count = 0
    for path in html_pages(hosted):
        for block in ld_blocks(site_read(hosted, path)):
            assert block["@context"] == "https://schema.org"
            count += 1
    assert count >= 10


def test_json_ld_types_per_page(hosted: Path) -> None:
    [article] = ld_blocks(site_read(hosted, "articles/choigou-a-pyongyang/index.html"))
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == f"Choïgou à Pyongyang {SCRIPT}"
    assert article["url"] == BASE + "articles/choigou-a-pyongyang/"
    assert article["datePublished"] == "2024-09-14"
    assert {"Person", "Organization", "Event", "Claim"} <= ld_types(article)
    claim = article["hasPart"][0]
    assert claim["author"]["name"] == "Kim Jong-un"
    assert claim["appearance"]["url"].endswith("#claim-1")
    [person] = ld_blocks(site_read(hosted, "people/sergei-shoigu/index.html"))
    assert person["@type"] == "Person" and "Sergei Shoigu" in person["alternateName"]
    assert "secrétaire du Conseil de sécurité russe" in person["jobTitle"]
    [event] = ld_blocks(site_read(hosted, "events/accusation-kiev/index.html"))
    assert {"Event", "Claim"} <= ld_types(event)
    [source] = ld_blocks(site_read(hosted, "sources/kcna/index.html"))
    assert source["@type"] == "Organization"
    [home] = ld_blocks(site_read(hosted, "index.html"))
    assert home["@type"] == "WebSite" and home["url"] == BASE


def test_json_ld_cannot_be_closed_by_article_text(tmp_path: Path) -> None:
    hostile = "</script><script>alert(1)</script><!-- & \u2028"
    body = [Paragraph(f"Il a dit {hostile}.", 0, 9 + len(hostile) + 1)]
    article = Article(slug="a", title=hostile, published="2024-01-01", body=body,
                      people=[Person("p", hostile)],
                      claims=[Claim("p", hostile, 9, 9 + len(hostile), quote=True)])
    out = tmp_path / "out"
    build_site([article], out, config=SiteConfig(base_url=BASE), search=False)
    for path in ["articles/a/index.html", "people/p/index.html"]:
        page = site_read(out, path)
        raw = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
        assert len(raw) == 1 and "<" not in raw[0] and ">" not in raw[0]
        assert hostile in json.dumps(json.loads(raw[0]), ensure_ascii=False)
        assert "<script>alert(1)" not in page
    assert json.loads(str(jsonld_script({"t": hostile}))) == {"t": hostile}


# ---------------------------------------------------------------------------------------------
# Data export


def load_data(root: Path, name: str) -> list[dict]:
    doc = json.loads(site_read(root, f"data/{name}.json"))
    assert doc["count"] == len(doc[name])
    return doc[name]


def test_data_export_has_every_record(plain: Path) -> None:
    articles = load_data(plain, "articles")
    assert sorted(a["id"] for a in articles) == ["breve", "choigou-a-pyongyang", "shoigu-accuse-kiev"]
    visit = next(a for a in articles if a["id"] == "choigou-a-pyongyang")
    assert visit["url"] == "articles/choigou-a-pyongyang/" and visit["title"].endswith(SCRIPT)
    assert visit["claims"][0]["via"] == "KCNA" and visit["body"][0]["start"] == 0
    people = {p["id"]: p for p in load_data(plain, "people")}
    assert set(people) == {"kim-jong-un", "sergei-shoigu", "volodymyr-zelensky"}
    assert people["sergei-shoigu"]["articles"] == ["choigou-a-pyongyang", "shoigu-accuse-kiev"]
    assert {"Sergueï Choïgou", "Sergei Shoigu"} & {people["sergei-shoigu"]["name"], *people["sergei-shoigu"]["aliases"]}
    [claim] = people["sergei-shoigu"]["claims"]
    assert claim["article"] == "shoigu-accuse-kiev" and claim["number"] == 1
    assert claim["url"] == "articles/shoigu-accuse-kiev/#claim-1" and claim["via_id"] == "tass"
    events = {e["id"]: e for e in load_data(plain, "events")}
    assert events["visite-choigou-pyongyang-2024"]["place"] == "Pyongyang"
    assert {c["kind"] for c in events["accusation-kiev"]["claims"]} == {"accusation", "denial"}
    sources = {s["id"]: s for s in load_data(plain, "sources")}
    assert [c["speaker_id"] for c in sources["kcna"]["claims_reported"]] == ["kim-jong-un"]
    home = site_read(plain, "index.html")
    for name in ("articles", "people", "events", "sources"):
        assert f'href="data/{name}.json"' in home


# ---------------------------------------------------------------------------------------------
# Timeline


def test_timeline_groups_by_year_and_month_with_counts(plain: Path) -> None:
    years = build_timeline(build_archive(site_archive()))
    assert [y.label for y in years] == ["2024"]
    [y2024] = years
    assert (y2024.article_count, y2024.event_count) == (3, 2)
    assert [(m.key, len(m.articles), len(m.events)) for m in y2024.months] == [
        ("2024-10", 1, 1), ("2024-09", 1, 1), ("2024-08", 1, 0)]
    assert y2024.months[2].tally == "1 article"
    index = site_read(plain, "timeline/index.html")  # the years and months, with their counts
    assert "octobre 2024" in index and "3 articles, 2 événements" in index
    assert 'href="2024/index.html#m-2024-10"' in index
    assert 'href="timeline/index.html"' in site_read(plain, "index.html")  # in the navigation
    year = site_read(plain, "timeline/2024/index.html")  # the year's articles and events
    assert all(f'href="../../{item.url}index.html"' in year for item in build_archive(site_archive()).articles)
    assert 'id="m-2024-10"' in year and "octobre 2024" in year


def test_timeline_keeps_unknown_years_and_undated_apart() -> None:
    articles = [Article(slug="a", title="A", published="2023-05-02"),
                Article(slug="b", title="B", date="XXXX-09-13"),
                Article(slug="c", title="C"),
                Article(slug="d", title="D", published="2023")]
    years = build_timeline(build_archive(articles))
    assert [y.label for y in years] == ["2023", "Année inconnue", "Sans date"]
    assert [m.label for m in years[0].months] == ["mai 2023", "mois inconnu 2023"]
    assert split_date("XXXX-09-13") == ("inconnu", "09") and split_date(None) == ("", "")


# ---------------------------------------------------------------------------------------------
# Search


needs_pagefind = pytest.mark.skipif(find_pagefind() is None, reason="pagefind binary not installed")


@needs_pagefind
def test_search_index_and_page(tmp_path: Path) -> None:
    out = tmp_path / "out"
    warnings = build_site(site_archive(), out, config=SiteConfig(base_url=BASE))
    assert warnings == []
    assert (out / "pagefind/pagefind-ui.js").is_file() and (out / "pagefind/pagefind-entry.json").is_file()
    entry = json.loads(site_read(out, "pagefind/pagefind-entry.json"))
    assert list(entry["languages"]) == ["fr"] and entry["languages"]["fr"]["page_count"] == 3
    search = site_read(out, "search/index.html")
    assert 'src="../pagefind/pagefind-ui.js"' in search and 'href="../pagefind/pagefind-ui.css"' in search
    assert 'href="search/index.html"' in site_read(out, "index.html")
    article = site_read(out, "articles/choigou-a-pyongyang/index.html")
    assert "data-pagefind-body" in article
    for key in ("personne", "source", "année"):
        assert f'data-pagefind-filter="{key}"' in article
    assert check_links(out) == []


def test_search_glob_reaches_every_indexed_page_and_no_other_folder() -> None:
    assert search_glob({"articles/a/index.html", "articles/b/index.html"}) == "articles/**/*.{html}"
    assert search_glob({"articles/a/index.html", "events/e/index.html"}) == "{articles,events}/**/*.{html}"
    # a page at the top, a folder name the glob would read as a pattern, or nothing known: read all
    assert search_glob({"articles/a/index.html", "index.html"}) == "**/*.{html}"
    assert search_glob({"a[1]/x.html"}) == "**/*.{html}"
    assert search_glob(set()) == "**/*.{html}"


@needs_pagefind
@pytest.mark.parametrize("indexed", [["a/x/index.html"], ["a/x/index.html", "b/y.html"],
                                     ["a/x/index.html", "top.html"]])
def test_pagefind_indexes_exactly_the_marked_pages_through_its_glob(tmp_path: Path, indexed: list[str]) -> None:
    pages = ["a/x/index.html", "b/y.html", "top.html", "c/z/index.html"]
    for page in pages:
        body = " data-pagefind-body" if page in indexed else ""
        (tmp_path / page).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / page).write_text(f'<html lang="fr"><body><main{body}><p>Texte de {page}.</p></main></body></html>')
    index_site(find_pagefind(), tmp_path, set(indexed))
    entry = json.loads((tmp_path / "pagefind/pagefind-entry.json").read_text())
    assert entry["languages"]["fr"]["page_count"] == len(indexed)


def test_missing_pagefind_warns_and_builds_without_search(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NEWSGEN_PAGEFIND", "")
    out = tmp_path / "out"
    warnings = build_site(site_archive(), out, config=SiteConfig(base_url=BASE))
    assert [w for w in warnings if w.startswith("search:")] and (out / "index.html").is_file()
    assert not (out / "search").exists() and not (out / "pagefind").exists()
    assert "search/index.html" not in site_read(out, "index.html")
    assert check_links(out) == []


def test_failing_pagefind_keeps_the_previous_build(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    monkeypatch.setenv("NEWSGEN_PAGEFIND", "")
    build_site(site_archive()[:1], out, config=SiteConfig(), search=False)
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'index exploded' >&2\nexit 3\n")
    broken.chmod(broken.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("NEWSGEN_PAGEFIND", str(broken))
    with pytest.raises(BuildError, match="index exploded"):
        build_site(site_archive(), out, config=SiteConfig())
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "pagefind"]


# ---------------------------------------------------------------------------------------------
# Whole site


def test_outputs_keep_the_site_link_clean(plain: Path, hosted: Path) -> None:
    assert check_links(plain) == [] and check_links(hosted) == []


def test_every_feed_parses_with_a_feed_reader(hosted: Path) -> None:
    """What a reader's feed client sees: a well-formed Atom feed with titled, linked entries."""
    import feedparser

    feeds = sorted(hosted.rglob("feed.xml"))
    assert len(feeds) > 3
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        assert parsed.feed.title and parsed.entries
        for entry in parsed.entries:
            assert entry.title and entry.link.startswith("https://")
