#!/usr/bin/env python3
"""Turn make_corpus.py's `--format frontmatter` files into newsgen article records.

make_corpus writes `people: ["Kim Lavrov", ...]`, `sources: [...]`, `events: ["Place date"]` as
plain names, while an `articles/*.md` record holds people, sources, events and claims as objects
with ids and character offsets. `store.loads` would read the names as garbage, so this converts
them into what extraction would have stored for the same text: one paragraph per line, every
mention located, quoted sentences turned into claims (speaker and agency from the sentence), the
event as the main one. The claims make the render do the work a real archive asks of it
(claim anchors in the body, speaker and source pages with their statements).

    python bench/convert.py SRC_DIR ARTICLES_DIR
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from newsgen.records import Article, Claim, Event, Origin, Paragraph, Person, Source, Span
from newsgen.resolve.names import make_id
from newsgen.store import dumps, split_front_matter

_QUOTE = re.compile(r"« (?P<text>[^»]+) », (?P<verb>a \w+) M\. (?P<who>[\w' -]+?), cité par (?P<via>\w+)\.")
_INDIRECT = re.compile(r"^(?P<who>[\w-]+ [\w' -]+?) (?P<verb>a \w+) que (?P<text>.+), selon (?P<via>\w+)\.$")
_KINDS = {"a accusé": "accusation", "a démenti": "denial"}


def _spans(body: list[Paragraph], needle: str) -> list[Span]:
    out = []
    for p in body:
        for m in re.finditer(re.escape(needle), p.text):
            out.append(Span(needle, p.start + m.start(), p.start + m.end()))
    return out


def convert(text: str, stem: str) -> Article:
    meta, body_text = split_front_matter(text, stem)
    body, offset = [], 0
    for line in body_text.strip().split("\n"):
        body.append(Paragraph(line, offset, offset + len(line)))
        offset += len(line) + 1
    origin_line = body.pop() if body and body[-1].text.startswith("Source : ") else None
    names = [str(n) for n in meta.get("people", [])]
    people = [Person(make_id(n), n, mentions=_spans(body, n)) for n in names]
    sources = [Source(make_id(s), str(s), mentions=_spans(body, str(s))) for s in meta.get("sources", [])]
    by_surname = {n.split()[-1]: p for n, p in zip(names, people)}
    by_name = dict(zip(names, people))
    claims = []
    for p in body:
        m = _QUOTE.search(p.text) or _INDIRECT.search(p.text)
        if not m:
            continue
        who = m["who"]
        person = by_name.get(who) or by_surname.get(who.split()[-1])
        start = p.start + m.start("text")
        claims.append(Claim(speaker=person.name if person else who, text=m["text"], start=start,
                            end=start + len(m["text"]), kind=_KINDS.get(m["verb"], "statement"),
                            quote=p.text[m.start("text") - 2] == "«", via=m["via"],
                            speaker_id=person.id if person else None, verb=m["verb"][2:],
                            sentence_start=p.start, sentence_end=p.end))
    date = str(meta.get("date") or "") or None
    events = []
    for name in meta.get("events", []):
        place = str(name).rsplit(" ", 1)[0]
        events.append(Event(make_id(str(name)), f"Visite à {place}", kind="visit", date=date, place=place,
                            participants=names[:2], main=True))
    origin = Origin(origin_line.text.removeprefix("Source : "), "news.example.org") if origin_line else None
    return Article(slug=f"a{stem}", title=str(meta.get("title") or stem), published=date, date=date,
                   origin=origin, source_file=None, body=body, people=people, sources=sources,
                   claims=claims, events=events)


def main(argv: list[str]) -> int:
    src, out = Path(argv[0]), Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for path in sorted(src.glob("*.md")):
        (out / f"a{path.stem}.md").write_text(dumps(convert(path.read_text(encoding="utf-8"), path.stem)),
                                              encoding="utf-8")
        n += 1
    print(f"{n} records written to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
