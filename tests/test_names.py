"""The pure name keys of newsgen.resolve.names: which spellings meet, which stay apart."""
from newsgen.resolve.names import (
    given_compatible,
    is_initial,
    is_place_name,
    lone_word_match,
    name_parts,
    same_person_names,
    similar_words,
    strip_honorific,
    translit_key,
)


def test_translit_key_folds_french_and_english_transliterations():
    assert translit_key("Choïgou") == translit_key("Shoigu")
    assert translit_key("Poutine") == translit_key("Putin")
    assert translit_key("Zelensky") == translit_key("Zelenskyy") == translit_key("Zelenski")
    assert translit_key("Sergueï") == translit_key("Sergei")
    assert translit_key("Kouleba") == translit_key("Kuleba")
    assert translit_key("Martin") != translit_key("Marton")


def test_similar_words_allows_one_slip_on_long_words_only():
    assert similar_words("Borstel", "Borstet")  # OCR
    assert not similar_words("Marin", "Morin")  # too short to forgive
    assert not similar_words("Lambert", "Gambert")  # different first letter


def test_name_parts_sets_particles_and_regnal_numbers_aside():
    parts = name_parts("Valéry Giscard d'Estaing")
    assert parts.given == ("valery", "giscard") and parts.surname == "estaing"
    assert name_parts("M. de Gaulle").surname == "gaulle" and name_parts("M. de Gaulle").given == ()
    king = name_parts("Frédéric III")
    assert king.surname == "frederic" and king.regnal == "iii"


def test_given_names_must_agree_when_both_are_known():
    assert given_compatible(("jacques",), ())
    assert given_compatible(("f",), ("fritz",))  # an initial
    assert not given_compatible(("jacques",), ("claude",))


def test_same_person_names():
    assert same_person_names("Sergueï Choïgou", "Sergei Shoigu")
    assert same_person_names("F. Honegger", "Fritz Honegger")
    assert not same_person_names("Jacques Chirac", "Claude Chirac")
    assert not same_person_names("Anne Roux", "Anne Leroy")


def test_lone_word_match_prefers_the_surname():
    assert lone_word_match("Shoigu", "Sergueï Choïgou") == 2
    assert lone_word_match("de Bismarck", "Otto von Bismarck") == 2
    assert lone_word_match("Kim", "Kim Jong-un") == 1  # a family name written first
    assert lone_word_match("Dupont", "Sergueï Choïgou") == 0
    assert lone_word_match("Jean Dupont", "Jean Dupont") == 2


def test_initials_and_honorifics():
    assert is_initial("F.") and is_initial("J.-P.") and not is_initial("Fr.")
    assert strip_honorific("M. Shoigu") == "Shoigu"
    assert strip_honorific("Mme Colonna") == "Colonna"


def test_place_names_of_the_news():
    assert is_place_name("Washington") and is_place_name("Pékin") and is_place_name("Corée du Nord")
    assert is_place_name("Etats-Unis") and is_place_name("États-Unis")
    assert not is_place_name("Kim") and not is_place_name("Florence") and not is_place_name("Maurice")


def test_family_name_first_for_east_asian_names():
    assert lone_word_match("Yoon", "Yoon Suk Yeol") == 1
    assert lone_word_match("Wang", "Wang Yi") == 1
    assert lone_word_match("Jean", "Jean-Pierre Raffarin") == 0
    assert lone_word_match("Emmanuel", "Emmanuel Macron") == 0
