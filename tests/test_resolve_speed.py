"""The shortcuts that make resolving fast give what the plain code gave.

`evolve` stands in for `dataclasses.replace`, clusters keep their main kind and day span up to
date instead of recomputing them, accents are dropped by a regular expression instead of
`str.translate`, and the events registry is parsed once per text.
"""
import dataclasses
import pickle
import random
import unicodedata
from collections import Counter

import pytest

from newsgen import records
from newsgen.records import Article, Claim, Event, Person, Source, Span
from newsgen.resolve import grouping
from newsgen.resolve.evolve import evolve
from newsgen.resolve.grouping import EventEntry, _Cluster, _words, load_events
from newsgen.resolve.registry import Entry, Registry, save_registry

RECORD_TYPES = [t for t in vars(records).values() if dataclasses.is_dataclass(t) and isinstance(t, type)]


@pytest.mark.parametrize("kind", [*RECORD_TYPES, Entry, EventEntry], ids=lambda t: t.__name__)
def test_records_fit_what_evolve_assumes(kind):
    """evolve skips __init__: it must only store the fields, on a plain instance dict."""
    assert not hasattr(kind, "__post_init__")
    assert not hasattr(kind, "__slots__")
    assert not kind.__dataclass_params__.frozen
    assert all(f.init for f in dataclasses.fields(kind))


def test_evolve_is_replace():
    article = Article(slug="a", title="T", people=[Person("p", "P", mentions=[Span("P", 0, 1)])],
                      claims=[Claim("P", "dit", 0, 3, via="X")], events=[Event("e", "E", participants=["P"])])
    cases = [
        (article, {"people": [], "events": list(article.events)}),
        (article.people[0], {"id": "q", "name": "Q", "aliases": ["P"]}),
        (article.claims[0], {"speaker": "Q", "speaker_id": "q", "via": None}),
        (article.events[0], {"participants": ["Q"]}),
        (Source("s", "S"), {"id": "t", "name": "T", "aliases": []}),
        (EventEntry("e", "E", extra={"note": [1]}), {"articles": ["a"], "extra": {}}),
    ]
    for record, changes in cases:
        want, got = dataclasses.replace(record, **changes), evolve(record, **changes)
        assert type(got) is type(want) and got == want
        assert list(vars(got)) == list(vars(want))  # same field order: same pickle
        assert pickle.dumps(got) == pickle.dumps(want)
        assert got is not record


def test_cluster_keeps_main_kind_and_day_span_as_recomputed():
    rng = random.Random(7)
    kinds = ["visit", "meeting", "summit", "call"]
    for _ in range(200):
        c = _Cluster(entry=None)
        for _ in range(rng.randrange(1, 8)):
            lo = rng.randrange(738000, 738030)
            precision = rng.choice([-1, 0, 1, 2, 3])
            if rng.random() < 0.3:
                date = rng.choice([None, "2024-05", f"2024-05-0{rng.randrange(1, 9)}"])
                c.seed(EventEntry("e", "E", kind=rng.choice(kinds), date=date))
            else:
                m = grouping._Mention(slug=str(rng.random()), index=0, event=Event("e", "E"), main=rng.random() < 0.5,
                                      kind=rng.choice(kinds), lo=lo, hi=lo + rng.randrange(3), precision=precision,
                                      people=frozenset(), place=None, places=frozenset())
                c.add(m)
            days = [lo for lo, _, p in c.days if p == 3]
            assert c.main_kind == (c.kinds.most_common(1)[0][0] if c.kinds else None)
            assert c.day_span == ((min(days), max(days)) if days else None)
            assert c.slugs == {m.slug for m in c.members}
            assert c.named == sum(1 for m in c.members if m.people)


def test_words_drop_the_same_marks_as_translate():
    marks = dict.fromkeys(range(0x300, 0x370))
    texts = ["Sergueï Choïgou à Pyongyang", "ﬁnancement² des élections", "Ça s'est passé à Bâle", "Ἀθῆναι",
             "x\u0301\u0361y long"]
    for text in texts:
        plain = unicodedata.normalize("NFKD", text.lower()).translate(marks)
        want = [w for w in grouping._WORD.findall(plain) if w not in grouping.STOPWORDS]
        assert _words(text) == want


def test_events_registry_is_read_again_when_its_text_changes(tmp_path):
    path = tmp_path / "events.yaml"
    path.write_text("- id: a\n  name: A\n", encoding="utf-8")
    first, _ = load_events(path)
    assert [e.id for e in load_events(path)[0]] == [e.id for e in first] == ["a"]
    path.write_text("- id: b\n  name: B\n  date: 2024-05-01\n", encoding="utf-8")
    again, _ = load_events(path)
    assert [(e.id, e.date) for e in again] == [("b", "2024-05-01")]


def test_registry_extends_only_entries_it_added_and_not_after_saving(tmp_path):
    known = Entry("jean-dupont", "Jean Dupont")
    reg = Registry("people", [known])
    assert reg.resolve("M. Jean Dupont", ["J. Dupont"]) is known and known.aliases == []
    new = reg.resolve("Marie Curie", [])
    assert reg.resolve("Marie Curie", ["Mme Curie"]) is new and new.aliases == ["Mme Curie"]
    save_registry(reg, tmp_path / "people.yaml")
    reg.resolve("Marie Curie", ["Marie S. Curie"])
    assert new.aliases == ["Mme Curie"]
    assert Counter(e.id for e in reg.entries) == Counter({"jean-dupont": 1, "marie-curie": 1})


# ---------------------------------------------------------------------------------------------
# Grouping takes the last run's plan when its input is the same


def _visit(slug: str, day: str, people: list[str], place: str, tail: str = "") -> Article:
    lede = f"{people[0]} s'est rendu à {place}."
    body = [records.Paragraph(lede, 0, len(lede)), records.Paragraph("Deuxième paragraphe.", 40, 60)]
    if tail:
        body.append(records.Paragraph(tail, 70, 70 + len(tail)))
    return Article(slug=slug, title=f"{people[0]} à {place}", published=day, body=body,
                   events=[Event(id="", name=f"Visite à {place}", kind="visit", date=day, place=place,
                                 participants=list(people), main=True)])


def _archive() -> list[Article]:
    return [_visit("a", "2024-09-13", ["Sergueï Choïgou", "Kim Jong-un"], "Pyongyang"),
            _visit("b", "2024-09-14", ["Sergei Shoigu", "Kim Jong-un"], "Pyongyang"),
            _visit("c", "2024-10-02", ["Anne Martin"], "Genève")]


def _outcome(result: grouping.Grouping) -> tuple:
    return ([[dataclasses.astuple(e) for e in a.events] for a in result.articles],
            [e.to_data() for e in result.events], result.related, result.added, result.changed, result.errors)


@pytest.fixture
def groups(monkeypatch):
    """The number of times grouping clustered the archive, from a process with no last run."""
    monkeypatch.setattr(grouping, "_LAST", None)
    calls = []
    real = grouping._group
    monkeypatch.setattr(grouping, "_group", lambda *a: calls.append(1) or real(*a))
    return calls


def test_grouping_takes_the_last_plan_for_mentions_told_alike(groups, monkeypatch):
    """Text beyond the lede changes no mention: the plan is the last run's, and what it gives
    is what grouping from scratch gives."""
    entries = [EventEntry("visite-a-pyongyang-2024-09-13", "Visite à Pyongyang", "visit", "2024-09-13",
                          "Pyongyang", ["Kim Jong-un"], ["a"])]
    first = grouping.assign_events(_archive(), entries)
    edited = _archive()
    edited[2] = _visit("c", "2024-10-02", ["Anne Martin"], "Genève", tail="Mise à jour : rien de neuf.")
    again = grouping.assign_events(edited, entries)
    assert len(groups) == 1
    assert again.articles[2] is not first.articles[2] and again.articles[2].body[-1].text.startswith("Mise")
    monkeypatch.setattr(grouping, "_LAST", None)
    assert _outcome(again) == _outcome(grouping.assign_events(edited, entries)) == _outcome(first)
    assert len(groups) == 2


@pytest.mark.parametrize("change", ["date", "people", "lede", "registry", "registry order", "one more"])
def test_grouping_clusters_again_when_its_input_changes(groups, monkeypatch, change):
    entries = [EventEntry("x", "Visite à Genève", "visit", "2024-10-02", "Genève"),
               EventEntry("y", "Visite à Pyongyang", "visit", "2024-09-13", "Pyongyang")]
    grouping.assign_events(_archive(), entries)
    articles = _archive()
    if change == "date":
        articles[1] = _visit("b", "2024-09-24", ["Sergei Shoigu", "Kim Jong-un"], "Pyongyang")
    elif change == "people":
        articles[1] = _visit("b", "2024-09-14", ["Lavrov", "Kim Jong-un"], "Pyongyang")
    elif change == "lede":
        articles[1].body[0].text += " Il a rencontré des militaires."
    elif change == "registry":
        entries = [entries[0], evolve(entries[1], place="Wonsan")]
    elif change == "registry order":
        entries = entries[::-1]
    else:
        articles.append(_visit("d", "2024-10-03", ["Anne Martin"], "Genève"))
    result = grouping.assign_events(articles, entries)
    assert len(groups) == 2
    monkeypatch.setattr(grouping, "_LAST", None)
    assert _outcome(result) == _outcome(grouping.assign_events(articles, entries))
