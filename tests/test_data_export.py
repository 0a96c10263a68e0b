"""The data/ export: `Article.to_dict` is exactly `dataclasses.asdict`, and the files' layout."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen.records import (Article, Caption, Claim, DateMention, Entity, Event, Origin, Paragraph, Person,
                             Source, Span)
from newsgen.site.collections import build_archive
import newsgen.site.data as data_module
from newsgen.site.data import DATA_FILES, SCHEMA, data_file, export_records, plan_data


def same(a: Any, b: Any, path: str = "$") -> None:
    """Equal and of the same types all the way down (so True is not 1, a tuple not a list)."""
    assert type(a) is type(b), (path, a, b)
    if isinstance(a, dict):
        assert list(a) == list(b), path
        for key in a:
            same(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{path}[{i}]")
    else:
        assert a == b, (path, a, b)


TEXT = st.text(max_size=12)
INT = st.integers(-5, 10_000)
# What a hand edit can leave in a field: YAML gives dates, numbers, mappings and nested lists.
LOOSE = st.recursive(st.none() | st.booleans() | INT | st.floats(allow_nan=False) | TEXT | st.dates()
                     | st.datetimes(),
                     lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner)
                     | st.dictionaries(TEXT, inner, max_size=3), max_leaves=8)
SPANS = st.lists(st.builds(Span, TEXT, INT, INT), max_size=3)
NAMES = st.lists(TEXT | LOOSE, max_size=3)
ARTICLES = st.builds(
    Article, slug=TEXT, title=TEXT, language=TEXT, published=st.none() | TEXT | st.dates(),
    date=st.none() | TEXT, origin=st.none() | st.builds(Origin, TEXT, st.none() | TEXT),
    source_file=st.none() | TEXT,
    body=st.lists(st.builds(Paragraph, TEXT, INT, INT), max_size=3),
    captions=st.lists(st.builds(Caption, TEXT, st.none() | TEXT, INT, INT), max_size=2),
    furniture=NAMES, dates=st.lists(st.builds(DateMention, TEXT, TEXT, INT, INT), max_size=2),
    people=st.lists(st.builds(Person, TEXT, TEXT, NAMES, NAMES, SPANS), max_size=3),
    sources=st.lists(st.builds(Source, TEXT, TEXT, NAMES, SPANS), max_size=2),
    organisations=st.lists(st.builds(Entity, TEXT, TEXT, SPANS), max_size=2),
    places=st.lists(st.builds(Entity, TEXT, TEXT, SPANS), max_size=2),
    claims=st.lists(st.builds(Claim, TEXT, TEXT, INT, INT, TEXT, st.booleans(), st.none() | TEXT,
                              st.none() | TEXT, NAMES, st.none() | TEXT, INT, INT), max_size=3),
    events=st.lists(st.builds(Event, TEXT, TEXT, TEXT, st.none() | TEXT, st.none() | TEXT, NAMES,
                              st.booleans(), SPANS, NAMES), max_size=2),
    warnings=st.lists(TEXT | LOOSE, max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(ARTICLES)
def test_to_dict_is_asdict(article: Article) -> None:
    same(article.to_dict(), asdict(article))


def test_to_dict_copies_containers() -> None:
    article = Article(slug="a", title="t", people=[Person("p", "P", aliases=["x"])], warnings=[{"k": [1]}])
    data = article.to_dict()
    data["people"][0]["aliases"].append("y")
    data["warnings"][0]["k"].append(2)
    assert article.people[0].aliases == ["x"] and article.warnings == [{"k": [1]}]
    when = dt.date(2024, 1, 2)
    assert Article(slug="a", title="t", published=when).to_dict()["published"] == when


def test_a_data_file_is_one_record_per_line() -> None:
    records = [{"id": "é", "text": "« oui »\n</script>", "n": [1, None, True]}, {"id": "b"}]
    text = data_file("people", records).decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == '{"schema":"newsgen-export/1","count":2,"people":['
    assert lines[1:] == [json.dumps(records[0], ensure_ascii=False, separators=(",", ":")) + ",",
                         '{"id":"b"}', "]}"]
    assert text.endswith("\n") and json.loads(text) == {"schema": SCHEMA, "count": 2, "people": records}
    assert json.loads(data_file("events", [])) == {"schema": SCHEMA, "count": 0, "events": []}


def test_plan_data_writes_every_record() -> None:
    articles = [Article(slug=s, title=f"Titre {s} « é »", published="2024-09-14",
                        body=[Paragraph("Il a dit oui.", 0, 13)],
                        people=[Person("kim", "Kim", mentions=[Span("Kim", 0, 3)])],
                        claims=[Claim("kim", "oui", 9, 12, speaker_id="kim")]) for s in ("a", "b")]
    archive = build_archive(articles)
    records = export_records(archive)
    files = {f.path: json.loads(f.data.decode("utf-8")) for f in plan_data(archive)}
    assert list(files) == [f"data/{name}.json" for name in DATA_FILES]
    for name in DATA_FILES:
        doc = files[f"data/{name}.json"]
        assert doc == {"schema": SCHEMA, "count": len(records[name]), name: records[name]}
    assert sorted(a["id"] for a in files["data/articles.json"]["articles"]) == ["a", "b"]


def test_written_files_are_the_planned_bytes(tmp_path: Path) -> None:
    """write_data writes the files piece by piece: the same bytes as plan_data's, memo or not."""
    from newsgen.site.data import write_data

    for n, memo in ((0, None), (3, None), (3, tmp_path / "memo.pickle"), (3, tmp_path / "memo.pickle")):
        archive = build_archive(_memo_articles(n))
        folder = tmp_path / f"out-{n}-{memo is not None}"
        paths = write_data(archive, folder, memo)
        assert {path: (folder / path).read_bytes() for path in paths} == {f.path: f.data for f in plan_data(archive)}


def _memo_articles(n: int) -> list[Article]:
    return [Article(slug=f"a{i}", title=f"Titre {i}", published=f"2024-09-{i + 1:02d}",
                    body=[Paragraph("Kim a dit oui.", 0, 14)],
                    people=[Person("kim", "Kim", mentions=[Span("Kim", 0, 3)])],
                    claims=[Claim("Kim", "oui", 10, 13, speaker_id="kim")]) for i in range(n)]


def test_the_memo_reencodes_only_the_articles_that_changed(tmp_path: Path, monkeypatch) -> None:
    memo = tmp_path / "cache" / "data.pickle"
    articles = _memo_articles(5)
    assert plan_data(build_archive(articles), memo) == plan_data(build_archive(articles))
    encoded: list[str] = []
    real = data_module._article
    monkeypatch.setattr(data_module, "_article", lambda item: encoded.append(item.slug) or real(item))
    articles[2] = replace(articles[2], title="Titre corrigé")
    articles[4] = replace(articles[4], claims=[replace(articles[4].claims[0], kind="denial")])
    archive = build_archive(articles)
    with_memo = plan_data(archive, memo)
    assert sorted(encoded) == ["a2", "a4"]  # and the other three lines came from the memo
    encoded.clear()
    assert with_memo == plan_data(archive)  # the same bytes as without any memo
    assert len(encoded) == 5


def test_the_memo_remakes_only_the_entries_listing_a_changed_article(tmp_path: Path, monkeypatch) -> None:
    memo = tmp_path / "data.pickle"
    articles = _memo_articles(4)
    for i, article in enumerate(articles):  # each with someone of its own besides Kim
        article.people.append(Person(f"p{i}", f"Personne {i}"))
    plan_data(build_archive(articles), memo)
    made: list[str] = []
    real = data_module._person
    monkeypatch.setattr(data_module, "_person", lambda entry, claim: made.append(entry.id) or real(entry, claim))
    articles[2] = replace(articles[2], title="Titre corrigé")
    archive = build_archive(articles)
    with_memo = plan_data(archive, memo)
    assert sorted(made) == ["kim", "p2"]  # Kim lists every article; the others came from the memo
    assert with_memo == plan_data(archive)  # the same bytes as without any memo
    made.clear()
    articles[3] = replace(articles[3], claims=[replace(articles[3].claims[0], text="non")])
    with_memo = plan_data(build_archive(articles), memo)
    assert sorted(made) == ["kim", "p3"]
    assert with_memo == plan_data(build_archive(articles))


def test_the_memo_is_not_rewritten_for_a_few_lines(tmp_path: Path, monkeypatch) -> None:
    """Lines made anew below the slack are made again by the next export rather than saved;
    past it, the memo is written with them."""
    memo = tmp_path / "data.pickle"
    articles = _memo_articles(5)
    plan_data(build_archive(articles), memo)
    saved = memo.read_bytes()
    encoded: list[str] = []
    real = data_module._article
    monkeypatch.setattr(data_module, "_article", lambda item: encoded.append(item.slug) or real(item))
    monkeypatch.setattr(data_module, "MEMO_SLACK", 0.5)  # 2 lines of 6 (5 articles, Kim)
    articles[1] = replace(articles[1], title="Titre corrigé")
    expected = plan_data(build_archive(articles))
    for _ in range(2):
        encoded.clear()
        assert plan_data(build_archive(articles), memo) == expected
        assert encoded == ["a1"]
        assert memo.read_bytes() == saved
    monkeypatch.setattr(data_module, "MEMO_SLACK", 0.2)
    assert plan_data(build_archive(articles), memo) == expected
    assert memo.read_bytes() != saved
    encoded.clear()
    assert plan_data(build_archive(articles), memo) == expected
    assert encoded == []


def test_entry_keys_taken_up_after_an_update_in_place_are_those_still_right(tmp_path: Path, monkeypatch) -> None:
    """A server's build takes up the last build's entry keys, except for the entries listing an
    updated article: the export is the one made without any memo."""
    from newsgen.site import collections
    from newsgen.site.collections import update_archive
    from newsgen.site.data import EntryKeys
    from newsgen.site.pages import Digests

    monkeypatch.setattr(collections, "_LAST", None)
    memo = tmp_path / "data.pickle"
    articles = _memo_articles(4)
    for i, article in enumerate(articles):
        article.people.append(Person(f"p{i}", f"Personne {i}"))
    # Personne 0 speaks in article 2 without being one of its people: listed by their claim only
    articles[2].claims.append(Claim("Personne 0", "peut-être", 0, 3, speaker_id="p0"))
    archive, _ = update_archive(articles)
    digests = Digests()
    keys = EntryKeys(digests)
    plan_data(archive, memo, digests, keys)
    keys.fill(archive, until=lambda: False)
    edited = list(articles)
    edited[2] = replace(articles[2], claims=[replace(c, text="non") for c in articles[2].claims])  # same shape
    archive, updated = update_archive(edited)
    assert updated is not None
    digests = Digests(digests, updated)
    carried = EntryKeys(digests, keys, archive, [item for item, _ in updated])
    people = archive.people.entries
    assert any(ref.item.article is edited[2] for ref in people["p0"].claims)
    assert {e.id for e in people.values() if id(e) in carried.keys} == {"p1", "p3"}  # not Kim, p0 or p2
    assert plan_data(archive, memo, digests, carried) == plan_data(build_archive(edited))


def test_a_memo_from_other_code_or_broken_is_not_used(tmp_path: Path, monkeypatch) -> None:
    memo = tmp_path / "data.pickle"
    articles = _memo_articles(3)
    plan_data(build_archive(articles), memo)
    monkeypatch.setattr(data_module, "_memo_version", lambda: "other code")
    encoded: list[str] = []
    real = data_module._article
    monkeypatch.setattr(data_module, "_article", lambda item: encoded.append(item.slug) or real(item))
    assert plan_data(build_archive(articles), memo) == plan_data(build_archive(articles))
    assert len(encoded) == 6  # with the memo of the other code, and without
    memo.write_bytes(b"not a pickle")
    encoded.clear()
    assert plan_data(build_archive(articles), memo) == plan_data(build_archive(articles))
    assert len(encoded) == 6


def test_an_unwritable_memo_does_not_fail_the_export(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    articles = _memo_articles(2)
    assert plan_data(build_archive(articles), blocker / "data.pickle") == plan_data(build_archive(articles))


def test_a_build_moves_the_export_into_its_tree_and_leaves_no_folder_of_its_own(tmp_path: Path) -> None:
    """The export is written by a forked process into a folder beside build/, then moved."""
    from newsgen.project import build_project
    from newsgen.store import dumps

    root = tmp_path / "proj"
    (root / "articles").mkdir(parents=True)
    for slug, day in (("a", "2024-01-01"), ("b", "2024-01-02")):
        article = Article(slug=slug, title=slug.upper(), published=day, people=[Person("anne", "Anne")])
        (root / "articles" / f"{slug}.md").write_text(dumps(article), encoding="utf-8")
    for title in ("A", "A again"):  # a first build, then one whose export is made anew
        (root / "articles" / "a.md").write_text(
            dumps(Article(slug="a", title=title, published="2024-01-01", people=[Person("anne", "Anne")])),
            encoding="utf-8")
        assert not build_project(root, jobs=2).errors
        articles = json.loads((root / "build" / "data" / "articles.json").read_bytes())["articles"]
        assert {a["id"]: a["title"] for a in articles} == {"a": title, "b": "B"}
        assert sorted(p.name for p in root.iterdir() if p.name.startswith(".build")) == []
