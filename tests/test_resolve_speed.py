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
