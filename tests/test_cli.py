"""The command line end to end: `newsgen extract` prints the contract, `newsgen build` builds a site."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsgen.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
SEED = "000_b0d509a69cf94379"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("project")
    (root / "seeds").mkdir()
    for suffix in (".txt", ".yaml"):
        shutil.copy(FIXTURES / f"{SEED}{suffix}", root / "seeds" / f"{SEED}{suffix}")
    (root / "seeds" / "binaire.txt").write_bytes(bytes(range(256)) * 8)
    (root / "articles").mkdir()
    (root / "articles" / "note.md").write_text(
        "---\ntitle: Une note écrite à la main\ndate: 2024-09-20\n---\n\nUn paragraphe.\n", encoding="utf-8")
    return root


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newsgen.cli", *args], capture_output=True, text=True)


def test_extract_jsonl_follows_the_contract():
    out = run("extract", "--format", "jsonl", str(FIXTURES / f"{SEED}.txt"))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1
    rec = json.loads(lines[0])
    for key in ("file", "language", "published", "date", "origin", "body", "captions", "dates", "people",
                "sources", "claims", "events"):
        assert key in rec
    assert rec["file"].endswith(f"{SEED}.txt")
    assert rec["published"] == "2024-09-14"
    assert rec["origin"]["outlet"] == "baoquocte.vn"
    assert rec["captions"][0]["credit"] == "KCNA"
    assert not any("Comment" in p for p in rec["body"])


def test_build_exits_non_zero_but_builds_the_rest(project):
    code = main(["build", "--root", str(project)])
    assert code == 1  # the binary seed is an error...
    site = project / "build"
    assert (site / "index.html").is_file()  # ...and everything else built
    articles = list((project / "articles").glob("*.md"))
    assert len(articles) == 2
    pages = {p.parent.name for p in (site / "articles").glob("*/index.html")}
    assert "note" in pages


def test_build_called_in_process_leaves_the_collector_on(project):
    """Only the `newsgen` command itself (`run`) turns the cyclic collector off for good; a
    caller of `main`, such as this test process, keeps it."""
    import gc

    assert gc.isenabled()
    main(["build", "--root", str(project)])
    assert gc.isenabled()


def test_the_command_exits_with_the_build_code_and_its_output(project):
    done = run("build", "--root", str(project))
    assert done.returncode == 1  # the binary seed, through run() and os._exit
    assert done.stdout.strip().endswith("warning(s)") and "binaire.txt" in done.stderr


def test_rebuild_without_change_extracts_nothing(project, capsys):
    main(["build", "--root", str(project)])
    capsys.readouterr()
    main(["build", "--root", str(project)])
    assert capsys.readouterr().out.startswith("0 seed(s) extracted")


def test_error_names_the_file(project, capsys):
    main(["build", "--root", str(project)])
    err = capsys.readouterr().err
    assert "binaire.txt" in err and "error:" in err
