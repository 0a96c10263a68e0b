"""Command line: argument parsing only; the work is done by the modules it calls."""
from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from pathlib import Path

from newsgen import __version__


def _cmd_extract(args: argparse.Namespace) -> int:
    from newsgen.project import read_seeds
    from newsgen.export import contract_record
    from newsgen.extract.pipeline import extract_all
    from newsgen.model import load_model

    raws, problems = read_seeds([Path(f) for f in args.files])
    for problem in problems:
        print(problem, file=sys.stderr)
    if raws:
        load_model()
    by_path = {str(r.path): f for r, f in zip(raws, [str(r.path) for r in raws])}
    for article in extract_all(raws):
        rec = contract_record(article, by_path.get(article.source_file or "", article.source_file or ""))
        if args.format == "jsonl":
            print(json.dumps(rec, ensure_ascii=False))
        else:
            print(json.dumps(rec, ensure_ascii=False, indent=2))
        for w in article.warnings:
            print(f"warning: {w}", file=sys.stderr)
    return 1 if problems else 0


def _cmd_build(args: argparse.Namespace) -> int:
    from newsgen.progress import reporter
    from newsgen.project import build_project

    report = build_project(Path(args.root), out=Path(args.out) if args.out else None,
                           progress=reporter(args.quiet), full=args.full, jobs=args.jobs)
    label = "error (--strict)" if args.strict else "warning"
    for line in report.warnings:
        print(f"{label}: {line}", file=sys.stderr)
    for line in report.errors:
        print(f"error: {line}", file=sys.stderr)
    print(report.summary())
    if args.strict and report.warnings:
        print(f"--strict: {len(report.warnings)} warning(s) counted as errors", file=sys.stderr)
    if report.errors or (args.strict and report.warnings):
        return 1
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from newsgen.progress import reporter
    from newsgen.project import build_project
    from newsgen.site.serve import serve

    root = Path(args.root)
    out = root / "build"

    def build() -> None:
        gc.disable()  # the last build's records are freed after its report, not before (see run)
        try:
            # pages first; the server brings the search index up to date after (SearchCatchUp)
            report = build_project(root, out=out, progress=reporter(args.quiet), search_later=True)
            for line in report.warnings:
                print(f"warning: {line}", file=sys.stderr)
            for line in report.errors:
                print(f"error: {line}", file=sys.stderr)
            print(report.summary(), file=sys.stderr)
        finally:
            gc.enable()

    def prepare() -> None:
        """Load the language model if there are seeds: editing one is what the server is for."""
        from newsgen.project import seed_files

        if seed_files(root / "seeds"):
            from newsgen.model import load_model

            load_model()

    serve(root, out, build, port=args.port, prepare=prepare)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsgen", description="Static news archive from raw French articles.")
    parser.add_argument("--version", action="version", version=f"newsgen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="extract seeds/ into articles/ and render the site into build/")
    p.add_argument("--root", default=".", help="project folder (default: here)")
    p.add_argument("--out", help="output folder (default: ROOT/build)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors (for CI)")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.add_argument("--full", action="store_true", help="ignore the caches: parse and render everything")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("serve", help="build, serve build/ on 127.0.0.1, rebuild and reload on change")
    p.add_argument("--root", default=".", help="project folder (default: here)")
    p.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser("extract", help="print the records extracted from text files")
    p.add_argument("files", nargs="+")
    p.add_argument("--format", choices=["jsonl", "json"], default="json")
    p.set_defaults(func=_cmd_extract)

    args = parser.parse_args(argv)
    return args.func(args)


def run() -> None:
    """The `newsgen` command: `main` with the cyclic collector off, then exit without tearing
    down the interpreter.

    The records of a build link each other in cycles (a person lists its articles, each article
    its people) that only the collector frees: over a second at 10,000 articles, and Python's
    exit runs it over everything still in memory even when it is disabled. A one-shot command
    leaves them to the operating system. (`serve` collects after each build's report; a build
    pauses the collector anyway.)
    """
    gc.disable()
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
