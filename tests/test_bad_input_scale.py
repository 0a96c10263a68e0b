"""Bad input at scale, and `--strict`.

1. One build of 10,000 tiny seeds (a few words or one sentence each, many sharing a title so their
   slugs collide), with empty, blank and binary files mixed in: each bad file is an error naming it,
   every good seed becomes exactly one article with its own slug and its own page, and the indexes
   list them all. Runs through the CLI entry point, with two workers, like `newsgen build`.
2. `newsgen build --strict`: a warning (a date without a year, and nothing to take the year from)
   lets a plain build exit 0 but fails a strict one, naming the file; the site is built either way,
   as for errors ("the rest of the archive still builds"). A clean project passes `--strict`.

The search index (Pagefind, a dependency) is left on, as a user gets it: with it off, or without
`base_url` in newsgen.yaml, the build warns, and these tests count warnings.
"""
from __future__ import annotations

import contextlib
import html
import io
import posixpath
import random
import re
from pathlib import Path

import pytest
import yaml

from newsgen.cli import main
from newsgen.project import extraction_fingerprint

BASE_URL = "https://example.org/archive/"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def run_cli(*args: str) -> tuple[int, str, str]:
    """`newsgen ARGS` in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    return yaml.load(text[4:text.index("\n---\n")], Loader=_LOADER)


def article_links(page: Path, site: Path) -> set[str]:
    """Slugs of the article pages an index page links to (relative links resolved)."""
    here = page.parent.relative_to(site).as_posix()
    found = set()
    for href in re.findall(r'href="([^"#?]+)"', page.read_text(encoding="utf-8")):
        target = posixpath.normpath(posixpath.join(here, html.unescape(href)))
        parts = target.split("/")
        if len(parts) == 3 and parts[0] == "articles" and parts[2] == "index.html" and parts[1] != "page":
            found.add(parts[1])
    return found


# ------------------------------------------------------------------ 10,000 tiny seeds in one build

N_FILES = 10_000
SUBJECTS = ["Le maire", "La ministre", "Le préfet", "Un syndicat", "La police", "Le conseil municipal",
            "Marie Dupont", "Jean Martin", "L'association", "Le club de football", "La députée", "Le juge"]
VERBS = ["a annoncé", "a démenti", "a inauguré", "a critiqué", "a visité", "a présenté", "a reporté",
         "a annulé", "a salué", "a dénoncé"]
OBJECTS = ["le budget", "un nouveau pont", "la réforme", "le festival", "les travaux", "la grève",
           "un plan de relance", "la fermeture de l'usine", "le projet de loi", "la saison"]
PLACES = ["Nantes", "Lyon", "Lille", "Brest", "Dijon", "Rennes", "Metz", "Nice", "Pau", "Caen"]
SAME_TITLE = "Le maire a parlé."


def tiny_seeds() -> tuple[dict[str, str], dict[str, bytes]]:
    """(good seeds: name -> text, bad seeds: name -> bytes), 10,000 files in all.

    A tenth of the good seeds are the same sentence (one title, a thousand slug collisions), a
    tenth are three words drawn from a few dozen (more collisions), a tenth are two words, the rest
    one short sentence.
    """
    bad: dict[str, bytes] = {}
    for i in range(5):
        bad[f"vide-{i}.txt"] = b""
        bad[f"blanc-{i}.txt"] = b" \n\t \r\n  "
        bad[f"binaire-{i}.txt"] = bytes(range(256)) * 4
    rng = random.Random(1)
    good: dict[str, str] = {}
    for i in range(N_FILES - len(bad)):
        kind = i % 10
        if kind == 0:
            text = SAME_TITLE
        elif kind == 1:
            text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)}."
        elif kind == 2:
            text = f"Brève {i}"
        else:
            text = (f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} à {rng.choice(PLACES)} "
                    f"(dépêche {i}).")
        good[f"s{i:05d}.txt"] = text
    return good, bad


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny")
    (root / "newsgen.yaml").write_text(f"base_url: {BASE_URL}\n", encoding="utf-8")
    seeds = root / "seeds"
    seeds.mkdir()
    good, bad = tiny_seeds()
    assert len(good) + len(bad) == N_FILES
    for name, text in good.items():
        (seeds / name).write_text(text + "\n", encoding="utf-8")
    for name, data in bad.items():
        (seeds / name).write_bytes(data)
    code_before = extraction_fingerprint()
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("NEWSGEN_PAGEFIND", raising=False)  # the default search binary, as a user has it
        result = run_cli("build", "--root", str(root), "--quiet", "--jobs", "2")
    return root, good, bad, result, code_before


def test_tiny_seeds_exit_status_and_summary(tiny):
    root, good, bad, (code, out, err), _ = tiny
    assert code == 1, err  # bad files are errors...
    n = len(good)
    assert out.startswith(f"{n} seed(s) extracted, {n} article(s), "), out
    assert out.rstrip().endswith(f"; {len(bad)} error(s), 0 warning(s)"), out
    assert not [line for line in err.splitlines() if line.startswith("warning:")], err
    assert not list(root.glob(".build.tmp-*"))  # the temporary site was swapped in, not left behind


def test_tiny_seeds_each_bad_file_is_one_named_error(tiny):
    root, good, bad, (code, out, err), _ = tiny
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == len(bad), errors
    for name in bad:
        mine = [line for line in errors if f"{name}:" in line]
        assert len(mine) == 1, (name, errors)
        assert str(root / "seeds" / name) in mine[0]
        reason = "not a text file" if name.startswith("binaire") else "empty"
        assert reason in mine[0], mine[0]
    assert all(any(f"{name}:" in line for name in bad) for line in errors)


def test_tiny_seeds_each_good_seed_is_one_article_with_its_own_slug(tiny):
    root, good, bad, _, _ = tiny
    files = sorted((root / "articles").glob("*.md"))
    assert len(files) == len(good)
    by_source = {}
    for path in files:
        data = front_matter(path)
        assert data["slug"] == path.stem
        assert data["source_file"] not in by_source, (path, by_source.get(data["source_file"]))
        by_source[data["source_file"]] = data
        assert (root / "articles" / ".machine" / f"{path.stem}.yaml").is_file(), path
    assert set(by_source) == {f"seeds/{name}" for name in good}  # none from a bad file, none missing
    for name, text in good.items():
        data = by_source[f"seeds/{name}"]
        assert data["title"] == text, (name, data["title"])
    collided = sorted(d["slug"] for d in by_source.values() if d["title"] == SAME_TITLE)
    assert len(collided) == sum(t == SAME_TITLE for t in good.values()) == len(set(collided)) > 900
    assert all(s.startswith("le-maire-a-parle") for s in collided)
    assert "le-maire-a-parle" in collided


def test_tiny_seeds_site_has_a_page_per_article_and_complete_indexes(tiny):
    root, good, bad, _, _ = tiny
    site = root / "build"
    slugs = {p.stem for p in (root / "articles").glob("*.md")}
    pages = {p.parent.name for p in (site / "articles").glob("*/index.html")}
    assert pages == slugs  # one page per article, at the article's own slug, and nothing else
    text_of = {front_matter(root / "articles" / f"{s}.md")["source_file"]: s for s in slugs}
    for name, text in good.items():
        page = (site / "articles" / text_of[f"seeds/{name}"] / "index.html").read_text(encoding="utf-8")
        assert text in html.unescape(page), name
    for index in ("index.html", "articles/index.html", "people/index.html", "sources/index.html",
                  "events/index.html", "timeline/index.html", "search/index.html", "feed.xml", "sitemap.xml",
                  "data/articles.json", "pagefind/pagefind-ui.js"):
        assert (site / index).is_file(), index
    listed = set()  # the paginated article index links every article
    for page in [site / "articles" / "index.html", *(site / "articles" / "page").glob("*/index.html")]:
        listed |= article_links(page, site)
    assert listed == slugs
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert all(f"<loc>{BASE_URL}articles/{s}/</loc>" in sitemap for s in slugs)
    entry = (site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
    assert f'"page_count":{len(good)}' in entry.replace(" ", "")  # every article page is searchable


def test_tiny_seeds_rebuild_names_the_bad_files_again(tiny, monkeypatch):
    root, good, bad, first, code_before = tiny
    monkeypatch.delenv("NEWSGEN_PAGEFIND", raising=False)
    slugs = sorted(p.name for p in (root / "articles").glob("*.md"))
    code, out, err = run_cli("build", "--root", str(root), "--quiet", "--jobs", "2")
    assert code == 1
    if extraction_fingerprint() == code_before:  # (else extraction code was edited on disk meanwhile)
        assert out.startswith("0 seed(s) extracted, "), out  # nothing to redo
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert sorted(errors) == sorted(line for line in first[2].splitlines() if line.startswith("error:"))
    assert len(errors) == len(bad)  # the bad files are still reported, not forgotten
    # no seed got a second article or a new slug
    assert sorted(p.name for p in (root / "articles").glob("*.md")) == slugs


# ------------------------------------------------------------------ --strict

NO_YEAR = ("Le 3 mars, la ministre de la Culture, Anne Martin, a inauguré le musée de Nantes. "
           "« C'est un grand jour pour la ville », a-t-elle déclaré.\n")
NO_YEAR_WARNING = "dates without a year and no publication date"


def small_project(root: Path, *, published: str | None) -> Path:
    """One seed with a day-month date; with `published`, a sidecar gives it its year."""
    (root / "seeds").mkdir(parents=True)
    (root / "newsgen.yaml").write_text(f"base_url: {BASE_URL}\n", encoding="utf-8")
    (root / "seeds" / "sans-annee.txt").write_text(NO_YEAR, encoding="utf-8")
    if published:
        (root / "seeds" / "sans-annee.yaml").write_text(f"published: {published}\n", encoding="utf-8")
    return root


def article_page(root: Path) -> Path:
    [article] = (root / "articles").glob("*.md")
    return root / "build" / "articles" / article.stem / "index.html"


@pytest.fixture(autouse=False)
def search_on(monkeypatch):
    monkeypatch.delenv("NEWSGEN_PAGEFIND", raising=False)


def warning_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("warning:")]


def test_a_warning_does_not_fail_a_plain_build(tmp_path, search_on):
    root = small_project(tmp_path, published=None)
    code, out, err = run_cli("build", "--root", str(root), "--quiet")
    assert code == 0, err
    [warning] = warning_lines(err)
    assert "sans-annee.txt" in warning and NO_YEAR_WARNING in warning and "sans-annee.yaml" in warning
    assert "0 error(s), 1 warning(s)" in out
    assert article_page(root).is_file()
    date = front_matter(next((root / "articles").glob("*.md")))["dates"][0]["value"]
    assert date.startswith("XXXX-03-03")  # the year is left unknown, never invented


def test_strict_fails_on_the_warning_and_still_builds_the_site(tmp_path, search_on):
    root = small_project(tmp_path, published=None)
    code, out, err = run_cli("build", "--root", str(root), "--quiet", "--strict")
    assert code == 1, (out, err)
    problems = [line for line in err.splitlines() if NO_YEAR_WARNING in line]
    assert len(problems) == 1 and "sans-annee.txt" in problems[0], err
    assert "1 warning(s)" in out
    # as for errors, the rest of the archive is built: --strict changes the exit code only
    assert article_page(root).is_file()
    assert (root / "build" / "index.html").is_file() and (root / "build" / "sitemap.xml").is_file()


def test_strict_after_a_plain_build_still_fails(tmp_path, search_on):
    """The second build changes nothing and replays the last report: the warning must survive it."""
    root = small_project(tmp_path, published=None)
    assert run_cli("build", "--root", str(root), "--quiet")[0] == 0
    code, out, err = run_cli("build", "--root", str(root), "--quiet", "--strict")
    assert out.startswith("0 seed(s) extracted")  # the replay, not a new extraction
    assert code == 1, (out, err)
    assert any("sans-annee.txt" in line and NO_YEAR_WARNING in line for line in err.splitlines()), err
    assert article_page(root).is_file()


def test_strict_says_the_warning_became_an_error(tmp_path, search_on):
    root = small_project(tmp_path, published=None)
    code, out, err = run_cli("build", "--root", str(root), "--quiet", "--strict")
    assert code == 1
    named = [line for line in err.splitlines() if "sans-annee.txt" in line]
    assert named and all(line.startswith("error (--strict): ") for line in named), err
    assert "--strict: 1 warning(s) counted as errors" in err


def test_clean_project_passes_strict(tmp_path, search_on):
    root = small_project(tmp_path, published="2024-03-05")
    code, out, err = run_cli("build", "--root", str(root), "--quiet", "--strict")
    assert code == 0, err
    assert err == ""
    assert out.rstrip().endswith("0 error(s), 0 warning(s)"), out
    assert article_page(root).is_file()
    dates = front_matter(next((root / "articles").glob("*.md")))["dates"]
    assert dates[0]["value"] == "2024-03-03"  # the year came from `published`


def test_same_long_title_keeps_each_article_at_its_own_slug(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSGEN_PAGEFIND", "")  # search off: its warning is not the one looked for
    title = ("Le gouvernement départemental extraordinairement préoccupé annonce simultanément "
             "l'inauguration internationale des infrastructures hospitalières universitaires reconstruites.")
    (tmp_path / "seeds").mkdir()
    (tmp_path / "newsgen.yaml").write_text(f"base_url: {BASE_URL}\n", encoding="utf-8")
    for name in ("long1", "long2"):
        (tmp_path / "seeds" / f"{name}.txt").write_text(title + "\n", encoding="utf-8")
        (tmp_path / "seeds" / f"{name}.yaml").write_text("published: 2024-03-05\n", encoding="utf-8")
    code, out, err = run_cli("build", "--root", str(tmp_path), "--quiet")
    assert code == 0, err
    stems = {p.stem for p in (tmp_path / "articles").glob("*.md")}
    assert len(stems) == 2
    assert {p.parent.name for p in (tmp_path / "build" / "articles").glob("*/index.html")} == stems
    assert "is published as" not in err
