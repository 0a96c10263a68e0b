#!/usr/bin/env python3
"""Where a build's time goes: run `build_project` once with the wall time of each phase.

    .venv/bin/python bench/phases.py PROJECT [--jobs N] [--full]

Wraps the build's functions by name (extraction, reading, resolving, collections, plan, page
hashes, feeds, data export, rendering, finding files in build/, linking, swapping) and prints
their totals. For profiling sessions (see BENCHMARKS.md), not a test; run it on a copy of a
project made by `bench/run.py` (e.g. /tmp/newsgen-bench/10000/newsgen) after editing what the
build should redo.
"""
from __future__ import annotations

import argparse
import functools
import time
from collections import Counter
from pathlib import Path
from typing import Any

import newsgen.cache as cache
import newsgen.project as project
import newsgen.site.build as site_build

TIMES: Counter[str] = Counter()


def timed(owner: Any, name: str, label: str | None = None) -> None:
    function = getattr(owner, name)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            TIMES[label or name] += time.perf_counter() - start

    setattr(owner, name, wrapper)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("project", type=Path)
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--full", action="store_true")
    args = ap.parse_args()
    for name in ("extract_changed", "load_articles", "_resolve"):
        timed(project, name)
    for name in ("update_archive", "plan_site", "page_hashes", "plan_feeds", "feed_hashes", "write_data",
                 "_render_pages", "walk", "_update_spare", "_swap"):
        timed(site_build, name)
    timed(site_build._Folders, "link", "link (unchanged files, no spare copy)")
    timed(cache.RecordCache, "open", "record cache: open")
    timed(cache.RecordCache, "save", "record cache: save")
    start = time.perf_counter()
    report = project.build_project(args.project, jobs=args.jobs, full=args.full)
    total = time.perf_counter() - start
    print(report.summary())
    for label, seconds in TIMES.most_common():
        print(f"  {label:40s} {seconds:7.2f} s")
    print(f"  {'total':40s} {total:7.2f} s")


if __name__ == "__main__":
    main()
