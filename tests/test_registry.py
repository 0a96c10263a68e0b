"""Registries: one id per person whatever the spelling, user edits respected, new names appended."""
from newsgen.records import Article, Claim, Person, Source
from newsgen.resolve.registry import load_registry, resolve_article, save_registry


def article(people, claims=(), sources=()):
    return Article(slug="a", title="A", people=list(people), claims=list(claims), sources=list(sources))


def test_spellings_across_articles_share_one_id(tmp_path):
    path = tmp_path / "people.yaml"
    path.write_text("- id: sergei-shoigu\n  name: Sergueï Choïgou\n  aliases: [Sergei Shoigu, Shoigu]\n",
                    encoding="utf-8")
    people = load_registry(path, "people")
    sources = load_registry(tmp_path / "sources.yaml", "sources")
    a = resolve_article(article([Person("sergei-shoigu-x", "Sergei Shoigu")]), people, sources)
    b = resolve_article(article([Person("m-shoigu", "Shoigu")]), people, sources)
    assert a.people[0].id == b.people[0].id == "sergei-shoigu"
    assert a.people[0].name == "Sergueï Choïgou" and "Sergei Shoigu" in a.people[0].aliases


def test_different_first_names_stay_apart(tmp_path):
    people = load_registry(tmp_path / "people.yaml", "people")
    sources = load_registry(tmp_path / "sources.yaml", "sources")
    a = resolve_article(article([Person("x", "Jacques Chirac")]), people, sources)
    b = resolve_article(article([Person("y", "Claude Chirac")]), people, sources)
    c = resolve_article(article([Person("z", "Chirac")]), people, sources)  # ambiguous: two Chiracs
    assert a.people[0].id != b.people[0].id
    assert c.people[0].id not in (a.people[0].id, b.people[0].id)


def test_new_names_are_appended_and_user_text_kept(tmp_path):
    path = tmp_path / "people.yaml"
    user = "# mes notes\n- id: jean-dupont\n  name: Jean Dupont\n  description: maire de Lyon\n"
    path.write_text(user, encoding="utf-8")
    people = load_registry(path, "people")
    sources = load_registry(tmp_path / "sources.yaml", "sources")
    resolve_article(article([Person("marie-curie", "Marie Curie"), Person("d", "M. Dupont")]), people, sources)
    save_registry(people, path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(user)
    again = load_registry(path, "people")
    assert [e.name for e in again.entries] == ["Jean Dupont", "Marie Curie"]


def test_claims_follow_the_registry(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("- id: kcna\n  name: KCNA\n  aliases: [Agence centrale de presse coréenne]\n", encoding="utf-8")
    people = load_registry(tmp_path / "people.yaml", "people")
    sources = load_registry(path, "sources")
    art = article([Person("kim", "Kim Jong-un")],
                  claims=[Claim("Kim Jong-un", "texte", 0, 5, speaker_id="kim", via="Agence centrale de presse coréenne")],
                  sources=[Source("acpc", "Agence centrale de presse coréenne")])
    out = resolve_article(art, people, sources)
    assert out.sources[0].id == "kcna" and out.claims[0].via == "KCNA"
    assert out.claims[0].speaker_id == out.people[0].id
