"""Events of one article: the main event (kind, date, place, people, title) and the ones it refers to.

These run the real extraction (spaCy) on short wire-style texts, so they check the behaviour a
reader sees, not the parse.
"""
from pathlib import Path

import pytest

from newsgen.extract.events import find_events, main_date
from newsgen.extract.pipeline import extract_all
from newsgen.read.seed import read_seed
from newsgen.records import DateMention, Event
from newsgen.resolve.names import fold

SEED = Path("/work/shared/seeds/000_b0d509a69cf94379.txt")


def extract(tmp_path, text, published="2024-03-06", name="a"):
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    if published:
        path.with_suffix(".yaml").write_text(f"published: {published}\n", encoding="utf-8")
    return next(extract_all([read_seed(path)]))


def main_event(article):
    mains = [e for e in article.events if e.main]
    assert len(mains) == 1
    return mains[0]


def has(names, wanted):
    return any(fold(wanted) in fold(n) for n in names)


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed is not here")
def test_seed_main_and_referenced_events():
    article = next(extract_all([read_seed(SEED)]))
    main = main_event(article)
    assert (main.date, main.place, main.kind) == ("2024-09-13", "Pyongyang", "visit")
    assert has(main.participants, "Kim Jong-un") and has(main.participants, "Choïgou")
    assert main.name == "Visite de Sergueï Choïgou à Pyongyang"
    summits = [e for e in article.events if e.kind == "summit"]
    assert len(summits) == 1  # "lors du sommet il y a trois mois" and "lors d'un sommet bilatéral en juin"
    assert summits[0].date == "2024-06" and not summits[0].main
    assert has(summits[0].participants, "Poutine") and has(summits[0].participants, "Kim Jong-un")
    text = SEED.read_text(encoding="utf-8")
    for event in article.events:
        assert event.evidence
        for span in event.evidence:
            assert text[span.start:span.end] == span.text


def test_visit_with_host(tmp_path):
    article = extract(tmp_path, "Le ministre allemand de la Défense, Klaus Brenner, s'est rendu le 4 mars à Varsovie, "
                                "où il a rencontré son homologue polonais Tomasz Zielinski.\n"
                                "Les deux ministres ont évoqué la production de munitions.\n")
    main = main_event(article)
    assert (main.kind, main.date, main.place) == ("visit", "2024-03-04", "Varsovie")
    assert main.participants[:2] == ["Klaus Brenner", "Tomasz Zielinski"]
    assert main.name == "Visite de Klaus Brenner à Varsovie"


def test_summit_outranks_the_meeting_it_contains(tmp_path):
    article = extract(tmp_path, "Les présidents Jorge Almeida et Sofia Lindqvist se sont réunis ce mardi à Lisbonne "
                                "pour un sommet consacré à l'énergie.\nIls ont signé une déclaration commune.\n",
                      published="2024-03-05")
    main = main_event(article)
    assert (main.kind, main.date, main.place) == ("summit", "2024-03-05", "Lisbonne")
    assert main.name.startswith("Sommet entre ") and main.name.endswith(" à Lisbonne")
    assert has(main.participants, "Almeida") and has(main.participants, "Lindqvist")


def test_main_date_is_the_events_not_a_reminders(tmp_path):
    article = extract(tmp_path, "Le chancelier Dieter Hahn est arrivé ce lundi à Pékin pour une visite de trois jours.\n"
                                "Lors de sa précédente visite en mars 2023, M. Hahn avait rencontré le président chinois.\n",
                      published="2024-03-04")
    main = main_event(article)
    assert main.date == "2024-03-04" and main.place == "Pékin"
    earlier = [e for e in article.events if not e.main]
    assert [(e.kind, e.date) for e in earlier] == [("visit", "2023-03")]
    assert has(earlier[0].participants, "Hahn")


def test_follow_up_the_next_day_dates_the_event_not_the_report(tmp_path):
    article = extract(tmp_path, "Au lendemain du sommet de Genève, l'opposition a critiqué ce mercredi l'accord "
                                "conclu par la présidente Ana Ruiz.\n", published="2024-03-06")
    main = main_event(article)
    assert (main.kind, main.date) == ("summit", "2024-03-05")


def test_dateline_gives_the_place(tmp_path):
    article = extract(tmp_path, "BERLIN, 4 mars (AFP) - Le porte-parole Jonas Weber a déclaré ce lundi que le "
                                "gouvernement examinerait la proposition.\n", published="2024-03-04")
    assert main_event(article).place == "Berlin"


def test_place_preposition_in_titles(tmp_path):
    article = extract(tmp_path, "Un séisme de magnitude 5,8 a frappé ce mardi l'est de la Turquie, selon les autorités.\n",
                      published="2024-03-05")
    main = main_event(article)
    assert main.kind == "disaster" and main.name == "Séisme en Turquie"


def test_words_that_are_not_events(tmp_path):
    article = extract(tmp_path, "Au sommet de l'État, on se dit d'accord avec la réforme.\n")
    assert all(e.kind not in ("summit", "agreement") for e in article.events)


def test_statement_only_article(tmp_path):
    article = extract(tmp_path, "La porte-parole Maria Olsen a déclaré ce mercredi que le projet serait retiré.\n",
                      published="2024-03-06")
    main = main_event(article)
    assert main.kind == "statement" and main.date == "2024-03-06" and main.participants == ["Maria Olsen"]


def test_main_date_fallbacks():
    d = [DateMention("en juin", "2024-06"), DateMention("13 septembre", "2024-09-13"), DateMention("mardi", "2019-01-01")]
    assert main_date(d, "2024-09-14") == "2024-09-13"  # a day that can be the news, not an old one
    assert main_date([DateMention("en juin", "2024-06")], "2024-09-14") == "2024-09-14"
    events = [Event("x", "X", date="2024-09-12", main=True)]
    assert main_date(d, "2024-09-14", events) == "2024-09-12"
    # without a year and without publication, no date is invented
    assert main_date([DateMention("13 septembre", "XXXX-09-13")], None) is None
    assert main_date([], None) is None


def test_sidecar_date_wins_and_old_call_still_works(tmp_path):
    from newsgen.extract.context import Context
    from newsgen.extract.dates import find_dates
    from newsgen.extract.people import find_people
    from newsgen.extract.pipeline import load_nlp, published_date
    from newsgen.read.layout import masked_text

    path = tmp_path / "b.txt"
    path.write_text("La ministre Clara Vogel s'est rendue ce lundi à Oslo.\n", encoding="utf-8")
    path.with_suffix(".yaml").write_text("published: 2024-03-04\n", encoding="utf-8")
    raw = read_seed(path)
    text = masked_text(raw.text, raw.layout.masked)
    ctx = Context(raw.text, text, raw.layout, load_nlp()(text), published_date(raw))
    people = find_people(ctx)
    dates = find_dates(text, ctx.published)
    assert find_events(ctx, dates, people, [], date="2024-03-01")[0].date == "2024-03-01"
    assert find_events(ctx, None, people, [])[0].date == "2024-03-04"  # the pipeline's old call
