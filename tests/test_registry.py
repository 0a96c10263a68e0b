"""Registries: one id per person whatever the spelling, user edits respected, new names appended."""
import operator

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


def test_records_the_registry_leaves_as_they_are_are_not_copied(tmp_path):
    """Resolving keeps the objects it does not change: later passes reuse their work by identity."""
    import copy

    from newsgen.records import Event

    path = tmp_path / "people.yaml"
    path.write_text("- id: sergei-shoigu\n  name: Sergueï Choïgou\n  aliases: [Shoigu]\n"
                    "- id: kim-jong-un\n  name: Kim Jong-un\n", encoding="utf-8")
    people = load_registry(path, "people")
    sources = load_registry(tmp_path / "sources.yaml", "sources")
    settled = article([Person("kim-jong-un", "Kim Jong-un")],
                      [Claim("Kim Jong-un", "a salué", 0, 5, speaker_id="kim-jong-un", via="KCNA")],
                      [Source("kcna", "KCNA")])
    settled.events = [Event("e", "Visite", participants=["Kim Jong-un"])]
    assert resolve_article(settled, people, sources) is settled

    spelled = article([Person("kim-jong-un", "Kim Jong-un"), Person("shoigu", "Shoigu")],
                      [Claim("Shoigu", "a dit", 0, 5, speaker_id="shoigu"),
                       Claim("Kim Jong-un", "a salué", 0, 5, speaker_id="kim-jong-un")])
    spelled.events = [Event("e", "Visite", participants=["Shoigu"]), Event("f", "Sommet", participants=[])]
    before = copy.deepcopy(spelled)
    out = resolve_article(spelled, people, sources)
    assert spelled == before  # the input is never changed
    assert out is not spelled and out.people[0] is spelled.people[0] and out.claims[1] is spelled.claims[1]
    assert out.events[1] is spelled.events[1]
    assert (out.people[1].id, out.people[1].name, out.people[1].aliases) == ("sergei-shoigu", "Sergueï Choïgou", ["Shoigu"])
    assert (out.claims[0].speaker, out.claims[0].speaker_id) == ("Sergueï Choïgou", "sergei-shoigu")
    assert out.events[0].participants == ["Sergueï Choïgou"]


def test_a_registry_read_again_unchanged_is_the_same_object_until_resolving_changes_it(tmp_path):
    """A server reads the registries at every build; the same text gives the same registry, so
    lookups made in it can be reused (resolve_articles), but never one a build has added to."""
    path = tmp_path / "people.yaml"
    path.write_text("- id: jean-dupont\n  name: Jean Dupont\n", encoding="utf-8")
    first = load_registry(path, "people")
    assert load_registry(path, "people") is first
    sources = load_registry(tmp_path / "sources.yaml", "sources")
    resolve_article(article([Person("d", "M. Dupont")]), first, sources)  # found: no change
    assert load_registry(path, "people") is first
    resolve_article(article([Person("m", "Marie Curie")]), first, sources)  # added, not saved
    again = load_registry(path, "people")
    assert again is not first and [e.name for e in again.entries] == ["Jean Dupont"]
    path.write_text("- id: jean-dupont\n  name: Jean Dupont\n  aliases: [J. Dupont]\n", encoding="utf-8")
    edited = load_registry(path, "people")
    assert edited is not again and edited.entries[0].aliases == ["J. Dupont"]


def test_resolving_again_in_the_same_registries_skips_lookups_but_not_after_a_change(tmp_path, monkeypatch):
    """A lookup depends on what the articles before it added: a lone surname matches one full
    name, and stops matching once a second person of that name is known. Reused lookups must
    give what resolving from scratch gives."""
    from newsgen.resolve import registry as reg

    path = tmp_path / "people.yaml"
    path.write_text("- id: jacques-chirac\n  name: Jacques Chirac\n", encoding="utf-8")
    sources_path = tmp_path / "sources.yaml"
    known = article([Person("jacques-chirac", "Jacques Chirac")])
    lone = Article(slug="c", title="C", people=[Person("chirac", "M. Chirac")])
    other = Article(slug="b", title="B", people=[Person("claude-chirac", "Claude Chirac")])

    def fresh(articles):
        reg._LAST_RUN = {}
        reg._LOADED.clear()
        return reg.resolve_articles(articles, load_registry(path, "people"), load_registry(sources_path, "sources"))

    looked_up = []
    real = reg._lookups
    monkeypatch.setattr(reg, "_lookups", lambda a, p, s: looked_up.append(a.slug) or real(a, p, s))
    first = fresh([known, lone])
    assert [a.people[0].id for a in first] == ["jacques-chirac", "jacques-chirac"]
    looked_up.clear()
    people, sources = load_registry(path, "people"), load_registry(sources_path, "sources")
    again = reg.resolve_articles([known, lone], people, sources)
    assert looked_up == [] and all(map(operator.is_, again, first))

    # an article added before `lone` makes "M. Chirac" ambiguous: `lone` is looked up again
    edited = reg.resolve_articles([known, other, lone], people, sources)
    assert looked_up == ["b", "c"]
    expected = fresh([known, other, lone])
    assert [[(p.id, p.name) for p in a.people] for a in edited] == [[(p.id, p.name) for p in a.people] for a in expected]
    assert edited[2].people[0].id not in ("jacques-chirac", "claude-chirac")
