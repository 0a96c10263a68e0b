"""find_dates: French date expressions, their values and their offsets.

Sentences are written for these tests. Unless a test says otherwise, articles are "published"
on Saturday 14 September 2024.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen.extract.dates import find_dates
from newsgen.records import DateMention

PUB = dt.date(2024, 9, 14)  # a Saturday
CALENDAR_OR_OTHER = re.compile(
    r"(?:\d{4}|XXXX)(?:-\d{2}(?:-\d{2})?)?|\d{4}-W\d{2}(?:-WE)?|(?:\d{4}|XXXX)-(?:SP|SU|FA|WI)")


def pairs(text: str, published: dt.date | None = PUB) -> list[tuple[str, str]]:
    return [(m.text, m.value) for m in find_dates(text, published)]


def only(text: str, published: dt.date | None = PUB) -> tuple[str, str]:
    found = pairs(text, published)
    assert len(found) == 1, found
    return found[0]


# --- absolute dates --------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("Le traité fut signé le 21 mars 1871 à Francfort.", ("21 mars 1871", "1871-03-21")),
    ("La loi a été votée le 1er juillet 2010.", ("1er juillet 2010", "2010-07-01")),
    ("Elle est née le premier avril 1950.", ("premier avril 1950", "1950-04-01")),
    ("Rendez-vous jeudi 3 octobre 2024 à la mairie.", ("jeudi 3 octobre 2024", "2024-10-03")),
    ("Le contrat, daté du 07/02/2019, a expiré.", ("07/02/2019", "2019-02-07")),
    ("Horodatage : 2023-11-30.", ("2023-11-30", "2023-11-30")),
    ("Le 3 sept. 2001, le comité a tranché.", ("3 sept. 2001", "2001-09-03")),
])
def test_absolute_day(text: str, expected: tuple[str, str]) -> None:
    assert only(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Les travaux ont commencé en mars 2021.", ("en mars 2021", "2021-03")),
    ("Il a quitté le parti en 2015.", ("en 2015", "2015")),
    ("Le chantier, lancé en 1987, est fini.", ("en 1987", "1987")),
    ("Le programme sera achevé dans l'année 2031.", ("l'année 2031", "2031")),
    ("La réforme date de fin 2019.", ("fin 2019", "2019")),
    ("Une hausse est attendue à la mi-2025.", ("mi-2025", "2025")),
    ("Au mois d'août 2003, la canicule a frappé.", ("Au mois d'août 2003", "2003-08")),
])
def test_absolute_month_and_year_keep_their_precision(text: str, expected: tuple[str, str]) -> None:
    assert only(text) == expected


def test_year_ranges_give_both_years() -> None:
    assert pairs("La saison 2023-2024 succède à celle de 2022/2023.") == [
        ("2023", "2023"), ("2024", "2024"), ("2022", "2022"), ("2023", "2023")]


# --- dates without a year ----------------------------------------------------------------------


def test_yearless_day_takes_the_publication_year() -> None:
    assert only("Le 2 septembre, le conseil s'est réuni.") == ("2 septembre", "2024-09-02")


def test_yearless_day_takes_the_nearest_plausible_year() -> None:
    new_year = dt.date(2024, 1, 3)
    assert only("Le 28 décembre, un incendie a détruit la grange.", new_year) == ("28 décembre", "2023-12-28")
    assert only("Le 5 janvier, la cérémonie aura lieu.", dt.date(2023, 12, 20)) == ("5 janvier", "2024-01-05")


def test_yearless_day_follows_the_tense() -> None:
    assert only("Le 10 mars, un accord avait été signé.") == ("10 mars", "2024-03-10")
    assert only("Le 10 mars, un accord sera signé.") == ("10 mars", "2025-03-10")


def test_weekday_picks_the_year_of_a_yearless_day() -> None:
    # 17 April is a Thursday in 2025, not in 2024
    assert only("Le concert aura lieu jeudi 17 avril.") == ("jeudi 17 avril", "2025-04-17")


def test_yearless_without_publication_keeps_unknown_year() -> None:
    assert pairs("Le 13 septembre, puis en juin, il a voyagé.", None) == [
        ("13 septembre", "XXXX-09-13"), ("en juin", "XXXX-06")]


def test_relative_expressions_need_a_publication_date() -> None:
    assert pairs("Hier, il y a trois mois et mardi dernier, rien.", None) == []


def test_day_lists_share_month_and_year() -> None:
    assert pairs("Le scrutin aura lieu les 6 et 13 avril prochains.", dt.date(2024, 2, 20)) == [
        ("6", "2024-04-06"), ("13 avril prochains", "2024-04-13")]
    assert pairs("Le festival se tiendra les 5, 6 et 7 juillet 2025.") == [
        ("5", "2025-07-05"), ("6", "2025-07-06"), ("7 juillet 2025", "2025-07-07")]


# --- two-digit years -------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("L'usine a fermé le 4 février 87.", ("4 février 87", "1987-02-04")),
    ("Les premiers essais datent d'octobre 98.", ("octobre 98", "1998-10")),
    ("Un bilan est prévu pour juin 26.", ("juin 26", "2026-06")),
])
def test_two_digit_years(text: str, expected: tuple[str, str]) -> None:
    assert only(text) == expected


def test_two_digit_group_after_a_date_can_be_a_quantity() -> None:
    assert only("Le 5 mai 12 personnes ont été blessées.") == ("5 mai", "2024-05-05")


# --- relative dates --------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("Le ministre a démissionné hier.", ("hier", "2024-09-13")),
    ("L'accident s'est produit avant-hier.", ("avant-hier", "2024-09-12")),
    ("Le verdict tombera demain.", ("demain", "2024-09-15")),
    ("Le musée ouvre aujourd'hui.", ("aujourd'hui", "2024-09-14")),
    ("Le musée ouvre aujourd’hui samedi.", ("aujourd’hui samedi", "2024-09-14")),
    ("Ce samedi, la fête commence.", ("Ce samedi", "2024-09-14")),
    ("Le club a perdu mardi dernier.", ("mardi dernier", "2024-09-10")),
    ("Le club jouera vendredi prochain.", ("vendredi prochain", "2024-09-20")),
    ("Le juge s'est prononcé mardi.", ("mardi", "2024-09-10")),
    ("Le juge se prononcera mardi.", ("mardi", "2024-09-17")),
    ("La séance est ajournée à lundi.", ("lundi", "2024-09-16")),
])
def test_relative_days(text: str, expected: tuple[str, str]) -> None:
    assert only(text) == expected


def test_past_weekday_named_on_its_own_day_is_that_day() -> None:
    # wire copy published on a Saturday says "samedi" for that day; "samedi dernier" for the one before
    assert only("Samedi, les pompiers sont intervenus.") == ("Samedi", "2024-09-14")
    assert only("Samedi dernier, les pompiers sont intervenus.") == ("Samedi dernier", "2024-09-07")


@pytest.mark.parametrize("text, expected", [
    ("Le sommet s'est tenu il y a trois mois.", ("il y a trois mois", "2024-06")),
    ("Il est arrivé il y a deux jours.", ("il y a deux jours", "2024-09-12")),
    ("L'usine a fermé il y a deux ans.", ("il y a deux ans", "2022")),
    ("Il y a quinze jours, tout allait bien.", ("Il y a quinze jours", "2024-08-30")),
    ("Les élections auront lieu dans six mois.", ("dans six mois", "2025-03")),
])
def test_ago_and_in(text: str, expected: tuple[str, str]) -> None:
    assert only(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Le texte sera voté en juin prochain.", ("en juin prochain", "2025-06")),
    ("Le texte a été voté en juin.", ("en juin", "2024-06")),
    ("Les travaux reprendront en novembre.", ("en novembre", "2024-11")),
    ("Il l'avait promis en février dernier.", ("en février dernier", "2024-02")),
    ("Le chantier finira début octobre.", ("début octobre", "2024-10")),
    ("Les soldes démarrent à la mi-juin.", ("mi-juin", "2024-06")),
    ("Depuis janvier, les prix montent.", ("janvier", "2024-01")),
    ("Les chiffres de l'année dernière sont bons.", ("l'année dernière", "2023")),
    ("Le budget de l'an prochain est serré.", ("l'an prochain", "2025")),
    ("Cette année, la récolte est maigre.", ("Cette année", "2024")),
    ("Le mois dernier, la production a chuté.", ("Le mois dernier", "2024-08")),
])
def test_relative_months_and_years(text: str, expected: tuple[str, str]) -> None:
    assert only(text) == expected


def test_bare_month_in_january_article_looks_back() -> None:
    assert only("La décision a été prise en décembre.", dt.date(2025, 1, 10)) == ("en décembre", "2024-12")


def test_new_year_said_in_december_is_the_coming_one() -> None:
    assert only("Ils entrent dans la nouvelle année avec confiance.", dt.date(2001, 12, 31)) == (
        "la nouvelle année", "2002")
    assert only("Ils entrent dans la nouvelle année avec confiance.", dt.date(2002, 1, 2)) == (
        "la nouvelle année", "2002")


def test_holidays() -> None:
    assert only("Le magasin rouvrira après Noël.") == ("après Noël", "2024-12-25")
    assert only("Le lundi de Pâques 2024, il a plu.") == ("Le lundi de Pâques 2024", "2024-04-01")
    assert only("La Toussaint tombe un vendredi cette fois.") == ("La Toussaint", "2024-11-01")


def test_anaphoric_days_hang_on_the_date_told_just_before() -> None:
    assert pairs("Le 3 mai 2002, il est arrivé à Nancy. Le lendemain, il est reparti.") == [
        ("3 mai 2002", "2002-05-03"), ("Le lendemain", "2002-05-04")]
    assert pairs("En 1998, il fonde sa société ; l'année suivante, il la vend.") == [
        ("En 1998", "1998"), ("l'année suivante", "1999")]
    # nothing to hang on, or hung on an event rather than a date: left out
    assert pairs("Le lendemain, il est reparti. La veille du scrutin, tout était calme.") == []


def test_weeks_and_seasons_get_non_calendar_values() -> None:
    assert only("Le projet a été présenté cette semaine.") == ("cette semaine", "2024-W37")
    assert only("Ils partiront en vacances cet été.") == ("cet été", "2024-SU")
    assert only("Les stations ont souffert l'hiver dernier.") == ("l'hiver dernier", "2023-WI")
    assert pairs("La demande augmente en hiver.") == []  # any winter: no date


def test_unknown_year_only_without_publication() -> None:
    text = "Le 2 mars, en juin, cet été et à Noël, il a voyagé."
    assert all(not m.value.startswith("XXXX") for m in find_dates(text, PUB))
    assert all(m.value.startswith("XXXX") for m in find_dates(text, None))


# --- spans -----------------------------------------------------------------------------------


def test_offsets_point_into_the_text() -> None:
    text = "Le 13 septembre, il a rencontré son homologue.\nLe 14 septembre, l'agence l'a annoncé, " \
           "trois mois après un sommet tenu en juin, il y a trois mois."
    found = find_dates(text, PUB)
    assert [(m.text, m.value) for m in found] == [
        ("13 septembre", "2024-09-13"), ("14 septembre", "2024-09-14"),
        ("en juin", "2024-06"), ("il y a trois mois", "2024-06")]
    for m in found:
        assert isinstance(m, DateMention)
        assert text[m.start:m.end] == m.text


def test_one_mention_per_stretch_of_text() -> None:
    assert pairs("Il a été élu le 6 mai dernier.") == [("6 mai dernier", "2024-05-06")]


# --- false positives -------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Il a bouclé le tour en 1 min 30,4 secondes.",
    "Plus de 2000 personnes ont défilé ; 1 998 policiers étaient là.",
    "Le score final est de 3 à 1, avec 1 000 spectateurs.",
    "Il a parcouru 1500 mètres et gagné 2500 euros.",
    "La maison de la mairie est maintenant fermée.",
    "La sonde s'est posée sur Mars.",
    "Le général Juin a visité la révolution d'Octobre.",
    "La rue du 8-Mai-1945 est barrée.",
    "Le Père Noël a été vu.",
    "Le mercredi, les enfants vont au centre. Tous les jeudis, le marché.",
    "Le défilé du mardi gras est annulé.",
    "Les années 1990 ont été rudes.",
    "Il a écopé de deux ans de prison ; il y a 200 personnes.",
    "Voir https://exemple.fr/2024/05/03/article-1998.html pour le détail.",
    "L'article 1382 du code civil et le n° 2001 de la revue.",
    "Cette année-là, il pleuvait.",
    "Il a été reçu par le maire.",
])
def test_no_false_positives(text: str) -> None:
    assert pairs(text) == []


def test_numbers_beside_dates_are_left_alone() -> None:
    assert pairs("À 20 h 30, le 3 août, 450 coureurs sont partis.") == [("3 août", "2024-08-03")]


# --- properties ------------------------------------------------------------------------------

_WORDS = ["le", "la", "en", "de", "il", "y", "a", "trois", "mois", "mai", "juin", "mardi", "dernier",
          "prochain", "hier", "1998", "98", "13", "1er", "septembre", "l'année", "ans", "dans", "2 000",
          ",", ".", "-", "/", "\n", "Noël", "à", "été", "cet", "du", "au", "et", "aujourd'hui", "12/05/2003"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=40),
       st.one_of(st.none(), st.dates(dt.date(1800, 1, 1), dt.date(2200, 12, 31))))
def test_offsets_and_values_hold_for_any_text(words: list[str], published: dt.date | None) -> None:
    text = " ".join(words)
    found = find_dates(text, published)
    ends = -1
    for m in found:
        assert text[m.start:m.end] == m.text and m.text
        assert m.start >= ends  # sorted, never overlapping
        ends = m.end
        assert CALENDAR_OR_OTHER.fullmatch(m.value), m.value
        if published is None:  # without a publication date, a known year can only come from the text
            assert m.value.startswith("XXXX") or re.search(r"\d", m.text), (m.text, m.value)
