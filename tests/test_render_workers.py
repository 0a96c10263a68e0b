"""Rendering in worker processes: the same bytes as rendering in one process, whether the pages
go to the workers from the start (many pages) or after the first ones proved slow (a few)."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from jinja2 import TemplateError

import newsgen.site.build as site_build
from newsgen.config import SiteConfig
from newsgen.site.build import render_site
from test_site import site_archive, site_snapshot

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")
CONFIG = SiteConfig(title="Archive test", base_url="https://example.org/")


def build(out: Path, jobs: int, **kw: object) -> dict[str, bytes]:
    render_site(site_archive(), out, config=CONFIG, search=False, jobs=jobs, **kw)
    return site_snapshot(out)


_LOG: list[Path] = []  # where `_spied` notes its pid (forked workers inherit this list)
_RENDER_CHUNK = site_build._render_chunk


def _spied(indices: list[int]):
    """`_render_chunk`, noting which process ran it (workers write to a file: their memory is
    their own). Module-level, as the pool pickles it by name."""
    with _LOG[0].open("a", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()}\n")
    return _RENDER_CHUNK(indices)


def spy(monkeypatch: pytest.MonkeyPatch, log: Path) -> Callable[[], list[int]]:
    """Route rendering through `_spied`; returns a function giving the pids that rendered."""
    monkeypatch.setattr(site_build, "_render_chunk", _spied)
    _LOG[:] = [log]
    return lambda: [int(line) for line in log.read_text(encoding="utf-8").split()]


@pytest.mark.parametrize("mode", ["from the start", "after slow pages", "never"])
def test_workers_write_the_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    alone = build(tmp_path / "one", jobs=1)
    if mode == "from the start":
        monkeypatch.setattr(site_build, "PARALLEL_RENDER", 1)
    elif mode == "after slow pages":
        monkeypatch.setattr(site_build, "SERIAL_RENDER_SECONDS", 0.0)  # the first page is "slow"
    else:  # every page "quick", whatever this machine's speed (a cold start once took 0.15 s)
        monkeypatch.setattr(site_build, "SERIAL_RENDER_SECONDS", 3600.0)
    pids = spy(monkeypatch, tmp_path / "pids")
    assert build(tmp_path / "two", jobs=2) == alone
    here = pids().count(os.getpid())
    workers = [pid for pid in pids() if pid != os.getpid()]
    if mode == "never":
        assert here > 1 and not workers  # a small site's pages are quick: nothing forked
    elif mode == "after slow pages":
        assert here == 1 and workers  # one page here, then the rest in workers
    else:
        assert here == 0 and workers


def test_template_error_in_a_worker_is_raised_and_the_site_kept(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "build"
    before = build(out, jobs=1)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "article.html").write_text("{{ no_such_function() }}", encoding="utf-8")
    monkeypatch.setattr(site_build, "PARALLEL_RENDER", 1)
    with pytest.raises(TemplateError):
        render_site(site_archive(), out, config=SiteConfig(title="Nouveau", base_url="https://example.org/"),
                    templates_dir=templates, search=False, jobs=2)
    assert site_snapshot(out) == before


def test_data_export_process_is_stopped_when_not_needed_or_the_build_fails(tmp_path: Path) -> None:
    """The export starts in a forked process before the build knows whether the records changed:
    a rebuild with the same records keeps the old files and leaves no process behind, nor does a
    build that fails."""
    import multiprocessing as mp

    out = tmp_path / "build"
    build(out, jobs=2)
    data = {p: b for p, b in site_snapshot(out).items() if p.startswith("data/")}
    assert data and not mp.active_children()
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "home.html").write_text('{% extends "base.html" %}{% block content %}Accueil{% endblock %}',
                                         encoding="utf-8")
    site = render_site(site_archive(), out, config=CONFIG, templates_dir=templates, search=False, jobs=2)
    assert site.rendered == ["index.html"] and not site.written  # same records: data/ kept
    assert {p: b for p, b in site_snapshot(out).items() if p.startswith("data/")} == data
    assert not mp.active_children()
    (templates / "people_index.html").write_text("{% include 'missing.html' %}", encoding="utf-8")
    with pytest.raises(TemplateError):
        render_site(site_archive()[:1], out, config=CONFIG, templates_dir=templates, search=False, jobs=2)
    assert not mp.active_children()
