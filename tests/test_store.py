"""The store: lossless round trip, stable slugs, and human edits surviving re-extraction."""
import yaml

from newsgen.records import (Article, Caption, Claim, DateMention, Event, Origin, Paragraph, Person, Source,
                             Span)
from newsgen.store import Store, dumps, loads, split_front_matter


def sample(**over) -> Article:
    base = dict(
        slug="visite-a-lyon", title="Visite à Lyon", published="2024-03-03", date="2024-03-02",
        origin=Origin("https://exemple.fr/a.html", "exemple.fr"), source_file="seeds/a.txt",
        body=[Paragraph("Le 2 mars, Jean Dupont a visité Lyon.", 0, 37), Paragraph("« Bien », a-t-il dit.", 38, 59)],
        captions=[Caption("Jean Dupont à Lyon.", "AFP", 60, 79)],
        dates=[DateMention("2 mars", "2024-03-02", 3, 9)],
        people=[Person("jean-dupont", "Jean Dupont", ["Dupont"], ["ministre"], [Span("Jean Dupont", 11, 22)])],
        sources=[Source("afp", "AFP", ["Agence France-Presse"])],
        claims=[Claim("Jean Dupont", "Bien", 41, 45, quote=True, speaker_id="jean-dupont", sentence_start=38,
                      sentence_end=59)],
        events=[Event("visite-de-jean-dupont-a-lyon", "Visite de Jean Dupont à Lyon", "visit", "2024-03-02", "Lyon",
                      ["Jean Dupont"], True)],
    )
    base.update(over)
    return Article(**base)


def test_round_trip_is_lossless():
    a = sample()
    assert loads(dumps(a)) == a


def test_hand_written_article_loads_with_defaults(tmp_path):
    path = tmp_path / "note.md"
    path.write_text("---\ntitle: Une note\ndate: 2024-01-05\n---\n\nPremier paragraphe.\n\nSecond.\n", encoding="utf-8")
    a = Store(tmp_path).load(path)
    assert a.slug == "note" and a.title == "Une note" and a.date == "2024-01-05"
    assert [p.text for p in a.body] == ["Premier paragraphe.", "Second."]


def test_unchanged_fields_are_refreshed_and_edited_ones_kept(tmp_path):
    store = Store(tmp_path)
    store.save(sample())
    path = tmp_path / "visite-a-lyon.md"
    front, body = split_front_matter(path.read_text(encoding="utf-8"))
    front["title"] = "Le ministre à Lyon"  # a person corrects the title
    front["claims"] = []  # and removes a false claim
    path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n" + body, encoding="utf-8")

    again = sample(date="2024-03-01", title="Visite à Lyon (nouvelle extraction)")
    result = store.save(again)
    back = store.load(path)
    assert back.title == "Le ministre à Lyon"
    assert back.claims == []
    assert back.date == "2024-03-01"  # untouched by the person: refreshed
    assert set(result.kept_fields) == {"title", "claims"}


def test_deleted_field_stays_deleted(tmp_path):
    store = Store(tmp_path)
    store.save(sample())
    path = tmp_path / "visite-a-lyon.md"
    front, body = split_front_matter(path.read_text(encoding="utf-8"))
    del front["events"]
    path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n" + body, encoding="utf-8")
    store.save(sample())
    assert store.load(path).events == []


def test_edited_body_survives(tmp_path):
    store = Store(tmp_path)
    store.save(sample())
    path = tmp_path / "visite-a-lyon.md"
    path.write_text(path.read_text(encoding="utf-8").replace("a visité Lyon", "a visité Lyon (corrigé)"), encoding="utf-8")
    store.save(sample())
    assert "a visité Lyon (corrigé)" in store.load(path).body[0].text


def test_article_without_memory_is_never_rewritten(tmp_path):
    path = tmp_path / "visite-a-lyon.md"
    path.write_text("---\ntitle: Écrit à la main\n---\n\nTexte.\n", encoding="utf-8")
    before = path.read_bytes()
    result = Store(tmp_path).save(sample())
    assert not result.written and path.read_bytes() == before


def test_slugs_are_stable_and_distinct(tmp_path):
    store = Store(tmp_path)
    first = sample(source_file="seeds/a.txt")
    first.slug = store.choose_slug(first, store.slugs_by_source())
    store.save(first)
    second = sample(source_file="seeds/b.txt")  # same title, other seed
    second.slug = store.choose_slug(second, store.slugs_by_source())
    store.save(second)
    assert first.slug != second.slug
    again = sample(source_file="seeds/b.txt")
    assert store.choose_slug(again, store.slugs_by_source()) == second.slug


def test_a_slug_that_cannot_name_a_file_is_made_into_one(tmp_path):
    import pytest

    from newsgen.store import file_slug, is_file_slug

    assert is_file_slug("visite-a-pyongyang") and is_file_slug("Mon_Article")  # kept as written
    for bad in ("", "/", ".cache", "../x", "a/b", "a\\b", "a\nb", "x" * 201):
        assert not is_file_slug(bad), bad
    assert file_slug("../../Évadé", "Titre") == "evade" and file_slug("/", "Un titre") == "un-titre"
    store = Store(tmp_path / "articles")
    article = sample(source_file="seeds/a.txt")
    article.slug = "../dehors"
    article.slug = store.choose_slug(article, {})
    assert article.slug == "dehors"
    article.slug = "../dehors"
    with pytest.raises(ValueError):
        store.save(article)  # the store never writes a path it was not meant to
    assert not (tmp_path / "dehors.md").exists()
