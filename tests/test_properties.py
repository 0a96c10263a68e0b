"""Property-based: random text and random sidecars never crash the loader or the build,
never leak markup into the site, and never lose an article."""
import shutil

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgen.read.layout import masked_text, split_layout
from newsgen.read.sidecar import load_sidecar
from newsgen.read.text import UnreadableFile, decode
from newsgen.store import dumps, loads

WORDS = st.sampled_from(["Le", "président", "Jean-Marc", "Dupont", "a", "déclaré", "«", "»", "que", "13",
                         "septembre", "Source :", "https://x.fr/a", "(Photo : AFP)", "|", "Comment (0)", "\n",
                         "<script>alert(1)</script>", "<b>", "&amp;", "M.", "Kim", "Jong-un", ".", ",", "’", "\r\n"])
TEXT = st.one_of(st.text(max_size=300), st.lists(WORDS, max_size=60).map(" ".join))
YAML_VALUES = st.one_of(st.none(), st.text(max_size=20), st.integers(), st.booleans(), st.dates(),
                        st.lists(st.text(max_size=5), max_size=3))
SIDECAR = st.dictionaries(st.sampled_from(["published", "language", "title", "url", "slug", "date", "x"]),
                          YAML_VALUES, max_size=5)


@given(TEXT)
@settings(max_examples=300)
def test_layout_offsets_always_point_into_the_text(text):
    lay = split_layout(text)
    for p in lay.paragraphs:
        assert text[p.start:p.end] == p.text
    for c in lay.captions:
        assert text[c.start:c.end] == c.text
    assert len(masked_text(text, lay.masked)) == len(text)


@given(st.binary(max_size=400))
@settings(max_examples=300)
def test_decode_returns_text_or_refuses_cleanly(data):
    try:
        out = decode(data)
    except UnreadableFile:
        return
    assert isinstance(out.text, str)


@given(SIDECAR)
@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_sidecar_loads_or_reports(tmp_path, data):
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    car = load_sidecar(path)
    assert car.published is None or hasattr(car.published, "isoformat")
    for key in ("title", "language", "url", "slug"):
        assert getattr(car, key) is None or isinstance(getattr(car, key), str)


@given(st.lists(st.tuples(TEXT, SIDECAR), min_size=1, max_size=3))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
def test_build_never_crashes_leaks_or_loses(tmp_path_factory, seeds):
    from newsgen.project import build_project

    root = tmp_path_factory.mktemp("prop")
    (root / "seeds").mkdir()
    for i, (text, car) in enumerate(seeds):
        (root / "seeds" / f"s{i}.txt").write_text(text, encoding="utf-8")
        (root / "seeds" / f"s{i}.yaml").write_text(yaml.safe_dump(car, allow_unicode=True), encoding="utf-8")
    report = build_project(root)
    refused = {i for i in range(len(seeds)) if any(f"s{i}.txt:" in e for e in report.errors)}
    assert all(seeds[i][0].strip() for i in range(len(seeds)) if i not in refused)
    assert report.articles == len(seeds) - len(refused)  # each seed is an article or a named error
    for page in (root / "build").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in html
    for md in (root / "articles").glob("*.md"):  # the stored record reads back
        article = loads(md.read_text(encoding="utf-8"), md)
        assert loads(dumps(article)) == article
    shutil.rmtree(root)
