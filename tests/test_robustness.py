"""Bad input never breaks the archive: each case gets a clear message, the rest builds."""
import codecs
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest

from newsgen.project import build_project

ARTICLE = ("Le 3 mars, la ministre de la Culture, Anne Martin, a inauguré le musée de Nantes. "
           "« C'est un grand jour pour la ville », a-t-elle déclaré.\n")


def make(root: Path, files: dict[str, bytes | str]) -> Path:
    seeds = root / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = seeds / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    return root


def built_titles(root: Path) -> int:
    return len(list((root / "build" / "articles").glob("*/index.html")))


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    root = tmp_path_factory.mktemp("messy")
    make(root, {
        "bom.txt": codecs.BOM_UTF8 + ARTICLE.encode(),
        "utf16.txt": ARTICLE.encode("utf-16"),
        "cp1252.txt": ARTICLE.replace("« ", '"').replace(" »", '"').encode("cp1252"),
        "crlf.txt": ARTICLE.replace("\n", "\r\n").encode(),
        "cr.txt": (ARTICLE + "Deuxième paragraphe ici.\n").replace("\n", "\r").encode(),
        "nul.txt": ARTICLE.replace("musée", "mus\x00ée").encode(),
        "mojibake.txt": ARTICLE.encode("utf-8").decode("latin-1").encode("utf-8"),
        "binary.txt": bytes(range(256)) * 16,
        "empty.txt": b"",
        "blank.txt": b"   \n\t\n",
        "one line.txt": "Le ministre est arrivé.",
        "accentué é 🎉.txt": ARTICLE,
        ".cachée.txt": ARTICLE,
        ("x" * 200) + ".txt": ARTICLE,
        "badyaml.txt": ARTICLE,
        "badyaml.yaml": "published: [2024\n",
        "types.txt": ARTICLE,
        "types.yaml": "published: yesterday\nlanguage: [fr]\nfoo: bar\n",
        "object.txt": ARTICLE,
        "object.yaml": "title: !!python/object/apply:os.system ['touch /tmp/newsgen-pwned']\n",
        "future.txt": ARTICLE,
        "future.yaml": "published: 2999-01-01\n",
        "slugroot.txt": ARTICLE,
        "slugroot.yaml": "title: Au musée\nslug: /\n",  # would be written as /.md
        "slugup.txt": ARTICLE,
        "slugup.yaml": "slug: ../../évadé\n",  # would be written beside the project
        "xss.txt": "<script>alert(1)</script> Le maire <img src=x onerror=alert(2)> a parlé.\n"
                   "Source : javascript:alert(3)\n",
    })
    outside = root / "outside.txt"
    outside.write_text(ARTICLE, encoding="utf-8")
    os.symlink(outside, root / "seeds" / "lien.txt")
    report = build_project(root)
    return root, report


def test_bad_files_are_errors_naming_the_file(messy):
    root, report = messy
    text = "\n".join(report.errors)
    assert "binary.txt" in text and "not a text file" in text
    assert "empty.txt" in text and "blank.txt" in text


def test_everything_else_builds(messy):
    root, report = messy
    # 21 seeds minus binary, empty, blank; the link out of seeds/ is not followed
    assert report.extracted == 18
    assert built_titles(root) == 18
    assert not any("lien" in p.name for p in (root / "articles").glob("*.md"))


def test_decoding_is_reported(messy):
    root, report = messy
    text = "\n".join(report.warnings)
    assert "cp1252.txt" in text and "not UTF-8" in text
    assert "mojibake.txt" in text and "mojibake" in text


def test_sidecar_problems_name_file_and_line(messy):
    root, report = messy
    text = "\n".join(report.warnings)
    assert "badyaml.yaml:2" in text
    assert "types.yaml:1" in text and "yesterday" in text
    assert "future.txt" in text and "future" in text
    assert not Path("/tmp/newsgen-pwned").exists()


def test_a_sidecar_slug_never_writes_outside_articles(messy):
    root, report = messy
    text = "\n".join(report.warnings)
    assert "slugroot.yaml:2: slug '/' cannot name a file" in text
    assert "slugup.yaml:1: slug '../../évadé' cannot name a file; the article is stored as 'evade'" in text
    assert (root / "articles" / "evade.md").is_file()
    stored = {p.stem for p in (root / "articles").glob("*.md")}
    assert "au-musee" in stored  # `/` has nothing to make a slug of: the title's is used
    assert not (root.parent / "évadé.md").exists() and not Path("/.md").exists()


class _Active(HTMLParser):
    """Collects what would run in a browser: script bodies, on* handlers, javascript: links."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        # JSON-LD is data, not code: its text is JSON-escaped and cannot close the tag
        self._in_script = tag == "script" and dict(attrs).get("type") != "application/ld+json"
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and "alert(" in data:
            self.found.append(f"<script>{data[:40]}")


def test_no_script_from_input_reaches_the_site(messy):
    root, _ = messy
    for page in (root / "build").rglob("*.html"):
        parser = _Active()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.found == [], page


def test_line_ends_do_not_break_offsets(messy):
    root, _ = messy
    from newsgen.store import Store
    store = Store(root / "articles")
    for path in store.paths():
        art = store.load(path)
        if art.source_file and art.source_file.endswith(("crlf.txt", "cr.txt")):
            raw = (root / art.source_file).read_bytes().decode()
            for p in art.body:
                assert raw[p.start:p.end] == p.text


def test_template_error_names_file_and_line(tmp_path):
    root = make(tmp_path, {"a.txt": ARTICLE})
    build_project(root)
    before = sorted(p.relative_to(root) for p in (root / "build").rglob("*"))
    (root / "templates").mkdir()
    (root / "templates" / "article.html").write_text("{% extends 'base.html' %}\n{% block content %}\n{{ x.y( }}\n{% endblock %}\n",
                                                     encoding="utf-8")
    report = build_project(root)
    assert any("templates/article.html:3" in e for e in report.errors), report.errors
    assert sorted(p.relative_to(root) for p in (root / "build").rglob("*")) == before  # old site whole


def test_huge_article_is_bounded(tmp_path):
    para = "Le conseil municipal s'est réuni hier pour examiner le budget de la ville. " * 40 + "\n"
    root = make(tmp_path, {"huge.txt": para * (20_000_000 // len(para))})
    report = build_project(root)
    assert report.extracted == 1
    assert any("only the first" in w for w in report.warnings)


@pytest.mark.parametrize("path", ["/etc/passwd", "../outside.html", "a/../../b.html", "a\\b.html", "", "a//b.html",
                                  "a/./b.html", "people/", "."])
def test_a_plan_writing_outside_the_output_or_spelling_a_file_two_ways_is_refused(path):
    from newsgen.site.build import BuildError, _check_paths

    with pytest.raises(BuildError, match="unsafe page path"):
        _check_paths(["index.html", path])


def test_a_plan_writing_a_file_twice_or_a_reserved_one_is_refused():
    from newsgen.site.build import BuildError, _check_paths

    _check_paths(["index.html", "people/a/index.html", "people/a/feed.xml"])
    with pytest.raises(BuildError, match="two pages"):
        _check_paths(["people/a/index.html", "people/a/index.html"])
    for reserved in (".newsgen-manifest.json", "pagefind/pagefind.js"):
        with pytest.raises(BuildError, match="reserved"):
            _check_paths([reserved])


def test_a_manifest_read_back_is_a_copy_of_the_one_written() -> None:
    """Manifests this process wrote are taken from memory by their bytes: changing the one a
    build read must not change what the next build reads."""
    from newsgen.site.build import Manifest

    written = Manifest(files={"index.html": "h1"}, indexed={"index.html"}, search=True, kept={"CNAME"},
                       archive="a", generated=["data/articles.json"], bundle="b")
    data = written.written()
    first = Manifest.parse(data)
    assert first == written and first is not written
    first.files["other.html"] = "h2"
    first.kept.add("x")
    assert Manifest.parse(data) == written
    assert Manifest.parse(data.replace(b'"h1"', b'"h3"')).files == {"index.html": "h3"}  # not remembered: read
