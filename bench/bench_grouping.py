#!/usr/bin/env python3
"""Time event grouping over a large synthetic archive (not a unit test: run it by hand).

    python bench/bench_grouping.py                 # 10,000 articles, generated in memory
    python bench/bench_grouping.py --n 2000
    python bench/bench_grouping.py --corpus DIR    # the .md files of make_corpus.py --format frontmatter

Articles are generated with /work/shared/bench/make_corpus.py's own generator (or read from the
front matter it writes) and turned straight into records as extraction would give them (main
event: a visit, its date, place and the two people of the lede), so only grouping is timed.
The corpus gives each article of one event a random cast, so its grouping scores say little
about accuracy (see tests/test_grouping.py for that); the time is what this measures. A second
run over the same archive plus 1% new articles times the everyday rebuild against the registry.
"""
from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import yaml

from newsgen.records import Article, Event, Paragraph, Person
from newsgen.resolve.bcubed import bcubed
from newsgen.resolve.grouping import group_events
from newsgen.resolve.names import make_id

MAKE_CORPUS = Path("/work/shared/bench/make_corpus.py")


def load_generator(path: Path):
    spec = importlib.util.spec_from_file_location("make_corpus", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def record(slug: str, title: str, body: str, day: str, people: list[str], place: str, label: str) -> tuple[Article, str]:
    lines = [line for line in body.splitlines() if line and not line.startswith("Source :")]
    paragraphs, pos = [], 0
    for line in lines:
        paragraphs.append(Paragraph(line, pos, pos + len(line)))
        pos += len(line) + 1
    cast = people[:2]
    event = Event(id=make_id(f"visite {cast[0]} {place} {day}"), name=f"Visite de {cast[0]} à {place}", kind="visit",
                  date=day, place=place, participants=cast, main=True)
    published = (date.fromisoformat(day) + timedelta(days=random.Random(slug).choice([0, 0, 1]))).isoformat()
    return Article(slug=slug, title=title, published=published, date=day, body=paragraphs,
                   people=[Person(make_id(p), p) for p in people], events=[event]), label


def generated(n: int, seed: int) -> list[tuple[Article, str]]:
    mc = load_generator(MAKE_CORPUS)
    rng = random.Random(seed)
    pool = mc.people_pool(rng)
    start = date(2022, 1, 1)
    events = [(start + timedelta(days=rng.randrange(1000)), rng.choice(mc.PLACES), rng.choice(mc.TOPICS))
              for _ in range(max(1, n // 5))]
    out = []
    for i in range(n):
        body, meta = mc.make_article(i, rng, pool, events)
        place = meta["event"].rsplit(" ", 1)[0]
        out.append(record(f"a{i:07d}", meta["title"], body, meta["date"], meta["people"], place, meta["event"]))
    return out


def from_corpus(folder: Path) -> list[tuple[Article, str]]:
    out = []
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---", 2)
        meta = yaml.safe_load(front)
        label = meta["events"][0]
        place = label.rsplit(" ", 1)[0]
        out.append(record(path.stem, meta["title"], body.strip(), str(meta["date"]), meta["people"], place, label))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--corpus", type=Path, help="a folder written by make_corpus.py --format frontmatter")
    a = ap.parse_args()
    t0 = time.perf_counter()
    pairs = from_corpus(a.corpus) if a.corpus else generated(a.n, a.seed)
    articles = [p[0] for p in pairs]
    gold = {p[0].slug: p[1] for p in pairs}
    print(f"{len(articles)} articles ready in {time.perf_counter() - t0:.1f}s")
    with tempfile.TemporaryDirectory() as tmp:
        registry = Path(tmp) / "events.yaml"
        cut = len(articles) * 99 // 100
        t0 = time.perf_counter()
        first = group_events(articles[:cut], registry)
        t1 = time.perf_counter()
        second = group_events(articles, registry)
        t2 = time.perf_counter()
    pred = {x.slug: x.events[0].id for x in second.articles if x.events}
    before = {x.slug: x.events[0].id for x in first.articles if x.events}
    moved = sum(1 for slug, eid in before.items() if pred.get(slug) != eid)
    print(f"grouping {cut} articles, empty registry: {t1 - t0:.2f}s ({len(first.events)} events)")
    print(f"grouping {len(articles)} articles, registry of {len(first.events)} events + {len(articles) - cut} new: "
          f"{t2 - t1:.2f}s ({len(second.events)} events)")
    print(f"articles whose event id changed on the rebuild: {moved} of {len(before)}")
    print(f"BCubed vs the corpus's place+date labels (random casts, indicative only): {bcubed(pred, gold)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
