"""The shortcuts that make the whole-archive passes fast keep their meaning: body segments cut
on demand, the precomputed newest-first order, cheaper record digests and page hashes that
still change whenever a page's output would, and an archive updated after an edit."""
from __future__ import annotations

import copy
import pickle

import pytest

from newsgen.config import SiteConfig
from newsgen.records import Article, Claim, Event, Origin, Paragraph, Person, Source, Span
from newsgen.site.body import build_body
from newsgen.site import collections
from newsgen.site.collections import build_archive, by_rank, newest_first, update_archive
from newsgen.site.pages import Digests, Page, page_hashes, plan_site, replan_articles


def _article(slug: str, published: str | None, people: list[tuple[str, str]], *, kind: str = "statement",
             source_file: str | None = "seeds/x.txt", event: str = "sommet") -> Article:
    text = "Le sommet s'est ouvert. " + " ".join(f"{name} a parlé." for _, name in people)
    claims = []
    if people:
        sentence = f"{people[0][1]} a parlé."
        start = text.index(sentence)
        claims.append(Claim(speaker=people[0][1], text="a parlé", start=start, end=start + len(sentence),
                            kind=kind, via="Agence", sentence_start=start, sentence_end=start + len(sentence)))
    return Article(slug=slug, title=slug.title(), published=published, source_file=source_file,
                   body=[Paragraph(text, 0, len(text))],
                   people=[Person(pid, name, mentions=[Span(name, 0, len(name))]) for pid, name in people],
                   sources=[Source("agence", "Agence")], claims=claims,
                   events=[Event(event, "Le sommet", date="2024-05-01", main=True)])


def _records() -> list[Article]:
    return [
        _article("a", "2024-05-02", [("anne", "Anne Martin"), ("paul", "Paul Durand")], kind="accusation"),
        _article("b", "2024-05-02", [("paul", "Paul Durand")], kind="denial"),
        _article("b", "2024-05-02", [("anne", "Anne Martin")]),  # same slug and date: a tie
        _article("c", None, [("anne", "Anne Martin"), ("marc", "Marc Petit")]),
        _article("d", "2024", [("marc", "Marc Petit")], source_file=None),
        _article("e", "2023-12-31", [("paul", "Paul Durand")]),
    ]


def _hashes(records: list[Article]) -> dict[str, str]:
    pages = plan_site(build_archive(records), SiteConfig())
    return dict(zip((p.path for p in pages), page_hashes(pages, {}, "", Digests())))


def test_body_segments_are_cut_on_demand_as_build_body_cuts_them() -> None:
    records = _records()
    archive = build_archive(records)
    for item in archive.articles:
        body = build_body(item.article)
        assert item.anchored == body.anchored
        assert item.paragraphs == body.paragraphs
        assert item.paragraphs is item.paragraphs  # cut once
    first = next(i for i in archive.articles if i.article.slug == "a")
    assert [s.claims for s in first.paragraphs[0]] == [(), (1,), ()]
    handwritten = next(i for i in archive.articles if i.article.slug == "d")
    assert handwritten.paragraphs[0][1].claims == (1,)  # marked, so cut rather than Markdown


def test_rank_orders_every_list_as_newest_first_does() -> None:
    archive = build_archive(_records())
    assert archive.articles == sorted(archive.articles, key=newest_first)
    assert [i.rank for i in archive.articles] == list(range(len(archive.articles)))
    for collection in archive.collections:
        for entry in collection.entries.values():
            assert sorted(entry.articles, key=by_rank) == sorted(entry.articles, key=newest_first)


def test_same_records_give_the_same_page_hashes() -> None:
    records = _records()
    assert _hashes(records) == _hashes(pickle.loads(pickle.dumps(records))) == _hashes(copy.deepcopy(records))


def test_event_page_hash_follows_its_claims() -> None:
    """The event page's sides and claim groups are made at render time: its hash must still see
    a claim's kind, text and speaker change."""
    before = _hashes(_records())
    for change in (lambda r: setattr(r[1].claims[0], "kind", "statement"),
                   lambda r: setattr(r[1].claims[0], "text", "a dit autre chose"),
                   lambda r: setattr(r[1].claims[0], "speaker", "Quelqu'un")):
        records = _records()
        change(records)
        after = _hashes(records)
        assert after["events/sommet/index.html"] != before["events/sommet/index.html"]


def test_person_page_hash_follows_the_people_met() -> None:
    """co_people is made at render time from the listed articles, whose digests hold their people."""
    before = _hashes(_records())
    records = _records()
    records[5].people.append(Person("zoe", "Zoé Roux"))  # Paul now meets Zoé
    after = _hashes(records)
    assert after["people/paul/index.html"] != before["people/paul/index.html"]
    assert after["people/marc/index.html"] == before["people/marc/index.html"]


def test_record_digest_changes_with_any_field_and_not_with_identity() -> None:
    base = _records()[0]
    digest = Digests().record(base)
    shared = copy.deepcopy(base)
    shared.claims[0].speaker = shared.people[0].name  # the same string object twice
    assert Digests().record(shared) == digest
    changes = [
        lambda a: setattr(a, "title", "Autre"),
        lambda a: setattr(a, "published", None),
        lambda a: a.body[0].__setattr__("end", a.body[0].end + 1),
        lambda a: a.people[0].mentions[0].__setattr__("start", 1),
        lambda a: a.people[0].aliases.append("A. Martin"),
        lambda a: setattr(a.claims[0], "quote", True),
        lambda a: setattr(a.events[0], "main", False),
        lambda a: a.warnings.append("x"),
        lambda a: setattr(a, "origin", Origin("https://example.org/1")),
    ]
    seen = {digest}
    for change in changes:
        record = copy.deepcopy(base)
        change(record)
        seen.add(Digests().record(record))
    assert len(seen) == len(changes) + 1


def test_record_digest_of_unexpected_values() -> None:
    """A hand edit can leave any YAML value in a field: such a record is still digested by value."""
    import datetime

    base = _records()[0]
    odd = copy.deepcopy(base)
    odd.published = datetime.date(2024, 5, 2)  # YAML reads an unquoted date as a date
    nested = copy.deepcopy(base)
    nested.people[0].mentions.append("not a span")  # type: ignore[arg-type]
    digests = {Digests().record(r) for r in (base, odd, nested)}
    assert len(digests) == 3
    assert Digests().record(copy.deepcopy(odd)) == Digests().record(odd)
    assert Digests().record(copy.deepcopy(nested)) == Digests().record(nested)


# A server's rebuild after an edit that leaves the archive's entries as they were updates the last
# archive instead of building it again (collections.update_archive), and takes the last build's
# digests of what the edit did not touch (pages.Digests): both must give what a fresh build gives.


def _text(article: Article) -> None:
    article.body[0].text += " Le bilan a été revu."
    article.body[0].end += len(" Le bilan a été revu.")


def _lose(claim: Claim) -> None:
    """No sentence of the body is the claim's any more."""
    claim.text = "introuvable"
    claim.start = claim.end = claim.sentence_start = claim.sentence_end = 0


TEXT_EDITS = {
    "text": _text,
    "title": lambda a: setattr(a, "title", "Autre titre"),
    "claim wording": lambda a: setattr(a.claims[0], "text", "a dit autre chose"),
    "claim quote": lambda a: setattr(a.claims[0], "quote", True),
    "claim moved": lambda a: (setattr(a.claims[0], "sentence_start", 0), setattr(a.claims[0], "sentence_end", 24)),
    "mention moved": lambda a: setattr(a.people[0].mentions[0], "start", 3),
}

SHAPE_EDITS = {
    "person added": lambda a: a.people.append(Person("zoe", "Zoé Roux")),
    "person renamed": lambda a: setattr(a.people[0], "name", "Anne Martin-Roux"),
    "alias": lambda a: a.people[0].aliases.append("A. Martin"),
    "role": lambda a: a.people[0].roles.append("ministre"),
    "date": lambda a: setattr(a, "published", "2022-01-01"),
    "slug": lambda a: setattr(a, "slug", "z"),
    "source file": lambda a: setattr(a, "source_file", None),
    "claim speaker": lambda a: setattr(a.claims[0], "speaker", "Paul Durand"),
    "claim speaker id": lambda a: setattr(a.claims[0], "speaker_id", "paul"),
    "claim relay": lambda a: setattr(a.claims[0], "via", None),
    "claim kind": lambda a: setattr(a.claims[0], "kind", "denial"),
    "claim added": lambda a: a.claims.append(Claim("Paul Durand", "a répondu", 0, 5)),
    "claim lost": lambda a: _lose(a.claims[0]),  # a warning of its body
    "event place": lambda a: setattr(a.events[0], "place", "Genève"),
    "event participants": lambda a: a.events[0].participants.append("Paul Durand"),
    "event related": lambda a: a.events[0].related.append("autre"),
    "main event": lambda a: setattr(a.events[0], "main", False),
    "source": lambda a: a.sources.append(Source("afp", "AFP")),
}


def _all_hashes(archive: object, digests: Digests, pages: list[Page] | None = None) -> dict[str, str]:
    if pages is None:
        pages = plan_site(archive, SiteConfig())  # type: ignore[arg-type]
    return dict(zip((p.path for p in pages), page_hashes(pages, {}, "", digests, {"person.html", "index.html"})))


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(collections, "_LAST", None)  # no archive of an earlier test to update


@pytest.mark.parametrize("edit", [*TEXT_EDITS, *SHAPE_EDITS])
def test_updated_archive_is_the_archive_built_anew(fresh: None, edit: str) -> None:
    records = _records()
    archive, updated = update_archive(records)
    assert updated is None  # nothing to update yet
    digests = Digests()
    plan = plan_site(archive, SiteConfig())
    before = _all_hashes(archive, digests, plan)
    assert all(item.paragraphs for item in archive.articles)  # cut from the bodies before the edit
    edited = copy.deepcopy(records[0])
    (TEXT_EDITS | SHAPE_EDITS)[edit](edited)
    new = [edited, *records[1:]]

    archive, updated = update_archive(new)
    if edit in TEXT_EDITS:
        assert updated is not None and [(item.article, old) for item, old in updated] == [(edited, records[0])]
        plan = replan_articles(plan, [item for item, _ in updated], SiteConfig())  # as the build does
    else:
        assert updated is None
        plan = plan_site(archive, SiteConfig())
    hashes = _all_hashes(archive, Digests(digests, updated), plan)  # as the build does
    expected = _all_hashes(build_archive(copy.deepcopy(new)), Digests())
    assert hashes == _all_hashes(archive, Digests()) == expected
    assert before != expected
    item = next(i for i in archive.articles if i.article is edited)
    assert item.paragraphs == build_body(edited).paragraphs
    assert all(ref.claim is claim for ref, claim in zip(item.claims, edited.claims))


def test_an_archive_updated_again_and_again(fresh: None) -> None:
    """Each update starts from the last one, and an edit of its shape in between builds anew."""
    records = _records()
    archive, _ = update_archive(records)
    digests = Digests()
    plan = plan_site(archive, SiteConfig())
    _all_hashes(archive, digests, plan)
    for round, edit in enumerate(["text", "title", "person added", "text", "claim wording"]):
        i = round % len(records)
        records[i] = copy.deepcopy(records[i])
        (TEXT_EDITS | SHAPE_EDITS)[edit](records[i])
        archive, updated = update_archive(list(records))
        assert (updated is not None) == (edit in TEXT_EDITS)
        digests = Digests(digests, updated)
        if updated is None:
            plan = plan_site(archive, SiteConfig())
        else:
            plan = replan_articles(plan, [item for item, _ in updated], SiteConfig())
        hashes = _all_hashes(archive, digests, plan)
        assert hashes == _all_hashes(build_archive(copy.deepcopy(records)), Digests())


def test_a_page_holding_a_record_alone_follows_its_edit(fresh: None) -> None:
    """A page whose inputs hold an article's record but not its item (no such page in the theme
    yet) is hashed again when the record is replaced; a page holding neither keeps its hash."""
    records = _records()
    archive, _ = update_archive(records)
    first = next(i for i in archive.articles if i.article is records[0])
    other = next(i for i in archive.articles if i.article is records[3])
    pages = [Page("a.html", "t.html", {"record": first.article}), Page("b.html", "t.html", {"item": other})]
    digests = Digests()
    before = page_hashes(pages, {}, "", digests)
    edited = copy.deepcopy(records[0])
    _text(edited)
    archive, updated = update_archive([edited, *records[1:]])
    assert updated is not None
    pages = [Page("a.html", "t.html", {"record": first.article}), Page("b.html", "t.html", {"item": other})]
    after = page_hashes(pages, {}, "", Digests(digests, updated))
    assert after == page_hashes(pages, {}, "", Digests())
    assert after[0] != before[0] and after[1] == before[1]


def test_many_records_replaced_at_once_are_hashed_again_without_searching(fresh: None, monkeypatch) -> None:
    """Past STALE_SEARCH stale digests the pages are pickled again, not searched one digest at a
    time (which took minutes when a record cache read again replaced every record)."""
    from newsgen.site import pages as pages_module

    records = _records()
    archive, _ = update_archive(records)
    digests = Digests()
    _all_hashes(archive, digests)
    edited = [copy.deepcopy(r) for r in records]
    for record in edited[:3]:
        _text(record)
    archive, updated = update_archive(edited)  # every record replaced, three of them edited
    assert updated is not None and len(updated) == len(records)
    monkeypatch.setattr(pages_module, "STALE_SEARCH", 4)
    monkeypatch.setattr(pages_module._Hashed, "holding", lambda self, stale: pytest.fail("searched"))
    hashes = _all_hashes(archive, Digests(digests, updated))
    assert hashes == _all_hashes(build_archive(copy.deepcopy(edited)), Digests())
