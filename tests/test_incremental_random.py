"""Random sequences of edits, some builds stopped half-way: after each build in one process (as a
server makes them), build/ is byte for byte what a fresh full build of the same files makes.

The fixed sequences of test_incremental.py check one kind of edit at a time; these mix them, in
the orders nobody thought of, with the files newsgen did not write and the settings changing
under them, and builds interrupted at a random write (Ctrl-C, a kill)."""
from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

import pytest

import newsgen.files as files
import newsgen.site.build as site_build
import newsgen.store as store
from newsgen.project import build_project
from newsgen.records import Article, Claim, Event, Paragraph, Person, Source
from newsgen.store import dumps, loads

NAMES = ["Anne Martin", "Paul Durand", "Marc Petit", "Kim Jong-un", "Sergueï Choïgou", "Léa Roux"]
OUTLETS = ["AFP", "Reuters", "KCNA"]
PLACES = ["Genève", "Pyongyang", "Moscou"]
FOREIGN = ("CNAME", "extra/notes.txt")
THEME = Path(__file__).parents[1] / "newsgen/site/theme/templates"


class Stopped(BaseException):
    """What a Ctrl-C looks like to the build: not an Exception."""


@pytest.fixture(autouse=True)
def no_search(monkeypatch):
    monkeypatch.setenv("NEWSGEN_PAGEFIND", "")


def record(rng: random.Random, slug: str) -> Article:
    speaker, other = rng.sample(NAMES, 2)
    place, outlet = rng.choice(PLACES), rng.choice(OUTLETS)
    day = f"2024-0{rng.randint(1, 3)}-1{rng.randint(0, 9)}"
    text = f"{speaker} a accusé {other} à {place}, selon {outlet}. {other} a démenti."
    cut = text.index(f"{other} a démenti")
    return Article(
        slug=slug, title=f"{speaker} à {place} {rng.randint(0, 99)}", published=day, date=day,
        body=[Paragraph(text[:cut - 1], 0, cut - 1), Paragraph(text[cut:], cut, len(text))],
        people=[Person(speaker.lower().replace(" ", "-"), speaker), Person(other.lower().replace(" ", "-"), other)],
        sources=[Source(outlet.lower(), outlet)],
        claims=[Claim(speaker, f"{other} ment", 0, cut - 1, rng.choice(["accusation", "statement"]), via=outlet),
                Claim(other, "a démenti", cut, len(text), "denial")],
        events=[Event("", f"Visite à {place}", "visit", day, place, [speaker], main=True)],
    )


def write(root: Path, article: Article) -> None:
    (root / "articles").mkdir(parents=True, exist_ok=True)
    (root / "articles" / f"{article.slug}.md").write_text(dumps(article), encoding="utf-8")


def contents(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def rename_in_registry(rng: random.Random, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    names = re.findall(r"^  name: (.+)$", text, re.M)
    if names:
        name = rng.choice(names)
        text = text.replace(f"  name: {name}\n", f"  name: {rng.choice([name + ' bis', *names])}\n", 1)
        path.write_text(text, encoding="utf-8")


def edit(rng: random.Random, root: Path, number: int, mine: dict[str, bytes]) -> None:
    slugs = sorted(p.stem for p in (root / "articles").glob("*.md"))
    kind = rng.choice(["rewrite", "rewrite", "text", "text", "add", "delete", "people", "events", "foreign",
                       "settings", "theme"])
    if kind == "rewrite":
        write(root, record(rng, rng.choice(slugs)))
    elif kind == "text":  # the text alone, of the same length (claims still found) or not
        path = root / "articles" / f"{rng.choice(slugs)}.md"
        article = loads(path.read_text(encoding="utf-8"), path)
        paragraph = rng.choice(article.body)
        paragraph.text = paragraph.text[::-1] if rng.random() < 0.5 else paragraph.text + " Encore."
        write(root, article)
    elif kind == "theme":  # a template of the user's showing the text of the articles listed
        override = root / "templates" / "_macros.html"
        if override.exists():
            override.unlink()
        else:
            override.parent.mkdir(exist_ok=True)
            source = (THEME / "_macros.html").read_text(encoding="utf-8")
            shown = "{{ item.article.body[0].text if item.article.body else '' }}</li>"
            override.write_text(source.replace("</span>{% endif %}</li>", "</span>{% endif %} " + shown), encoding="utf-8")
    elif kind == "add" or (kind == "delete" and len(slugs) < 3):
        write(root, record(rng, f"n{number}"))
    elif kind == "delete":
        (root / "articles" / f"{rng.choice(slugs)}.md").unlink()
    elif kind in ("people", "events"):
        rename_in_registry(rng, root / "registry" / f"{kind}.yaml")
    elif kind == "foreign":
        name = rng.choice(FOREIGN)
        mine[name] = f"mine {number}\n".encode()
        (root / "build" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "build" / name).write_bytes(mine[name])
    else:
        (root / "newsgen.yaml").write_text(rng.choice(["", "per_page: 2\n", "title: Revue\nper_page: 3\n"]),
                                           encoding="utf-8")


def stopped_build(rng: random.Random, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build stopped at a random one of its writes (a record, a cache or registry file, a
    page) or before its swap. (A kill between the swap's renames, which no exception can make,
    is in test_lock.py.)"""
    owner, name = rng.choice([(files, "write_bytes_atomic"), (store, "write_text_atomic"),
                              (site_build._Folders, "write"), (site_build, "_swap")])
    left = [0 if name == "_swap" else rng.randint(0, 6)]
    real = getattr(owner, name)

    def stop_at_some_point(*args, **kwargs):
        left[0] -= 1
        if left[0] < 0:
            raise Stopped
        return real(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(owner, name, stop_at_some_point)
        try:
            build_project(root, jobs=1)
        except Stopped:
            pass


@pytest.mark.parametrize("seed", range(3))
def test_random_edits_and_stopped_builds_leave_the_site_a_fresh_build_makes(tmp_path: Path, seed: int,
                                                                            monkeypatch) -> None:
    rng = random.Random(seed)
    root = tmp_path / "proj"
    for slug in "abcde":
        write(root, record(rng, slug))
    assert not build_project(root, jobs=2).errors
    mine: dict[str, bytes] = {}  # the files put in build/ by hand
    for number in range(8):
        edit(rng, root, number, mine)
        if rng.random() < 0.3:
            stopped_build(rng, root, monkeypatch)
        report = build_project(root, jobs=2)
        assert not report.errors, report.errors
        fresh = tmp_path / f"fresh{number}"
        shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("build", ".newsgen-cache"))
        assert not build_project(fresh, jobs=1, full=True).errors
        built, made = contents(root / "build"), contents(fresh / "build")
        for path in FOREIGN:  # kept from build/ whatever stopped, and not in the fresh copy's
            assert built.pop(path, None) == mine.get(path), path
        assert json.loads(built.pop(".newsgen-manifest.json"))["files"] == \
            json.loads(made.pop(".newsgen-manifest.json"))["files"]
        assert built == made, f"after edit {number}"
        assert not [p.name for p in root.iterdir() if p.name.startswith(".build")]  # nothing left beside


def test_a_build_killed_at_any_moment_leaves_what_the_next_build_needs(tmp_path: Path) -> None:
    """SIGKILL (the out-of-memory killer, a power cut) runs no cleanup: whether it hits a build
    starting, or rendering its new tree (early, half-way, late), the next build makes the site a
    fresh build makes, keeps the files put in build/ by hand, and leaves nothing beside build/.
    (A kill between the renames of the swap, too quick to hit from here, is in test_lock.py.)"""
    import os
    import signal
    import subprocess
    import sys
    import time

    rng = random.Random(7)
    root = tmp_path / "proj"
    for number in range(120):
        write(root, record(rng, f"a{number:03d}"))
    assert not build_project(root, jobs=2).errors
    (root / "build/CNAME").write_text("example.org\n")
    env = {**os.environ, "NEWSGEN_PAGEFIND": ""}

    def written() -> int:
        return sum(len(files) for tmp in root.glob(".build.tmp-*") for _, _, files in os.walk(tmp))

    killed = 0
    for stage, ready in [("starting", lambda: True), ("rendering", lambda: written() >= 1),
                         ("half-way", lambda: written() >= 80), ("late", lambda: written() >= 160)]:
        write(root, record(rng, "a000"))  # something to do for the build that follows
        build = subprocess.Popen([sys.executable, "-m", "newsgen.cli", "build", "--root", str(root), "--full",
                                  "--quiet", "--jobs", "2"], env=env, start_new_session=True,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while build.poll() is None and not ready() and time.monotonic() < deadline:
            time.sleep(0.001)
        try:
            os.killpg(build.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        killed += build.wait() == -signal.SIGKILL
        assert not build_project(root, jobs=2).errors
        fresh = tmp_path / f"fresh-{stage}"
        shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("build", ".newsgen-cache"))
        assert not build_project(fresh, jobs=1, full=True).errors
        built, made = contents(root / "build"), contents(fresh / "build")
        assert built.pop("CNAME") == b"example.org\n"
        assert json.loads(built.pop(".newsgen-manifest.json"))["files"] == \
            json.loads(made.pop(".newsgen-manifest.json"))["files"]
        assert built == made, f"killed {stage}"
        assert not [p.name for p in root.iterdir() if p.name.startswith(".build")]
    assert killed >= 3  # the builds were stopped before they ended (else this tested little)
