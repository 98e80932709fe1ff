"""Benchmark: ingest, rules and the whole check against a bare pdfplumber parse.

    python bench/run.py                 # documents of 20, 200 and 1000 pages
    python bench/run.py --pages 20 200  # choose sizes
    python bench/run.py --batch 100     # also: a folder of 100 samples, --jobs 1 vs 2, cached re-check

Documents are built from the samples (pages appended round-robin with
pypdfium2) into a temporary folder. Each measurement runs in a fresh process
so its peak memory (max RSS) is its own. Prints a table.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEPS = ("pdfplumber", "ingest", "rules", "check")


def build(pages: int, out: Path) -> Path:
    import pypdfium2 as pdfium

    sources = [pdfium.PdfDocument(p) for p in sorted((ROOT / "samples").glob("*.pdf"))]
    target = pdfium.PdfDocument.new()
    added, turn = 0, 0
    while added < pages:
        source = sources[turn % len(sources)]
        count = min(len(source), pages - added)
        target.import_pages(source, list(range(count)))
        added, turn = added + count, turn + 1
    path = out / f"bench-{pages}.pdf"
    target.save(str(path))
    return path


def measure(step: str, path: Path) -> dict:
    """Run in this process: time one step, report peak memory."""
    sys.path.insert(0, str(ROOT))
    from budgetaudit.checks import load_rules
    from budgetaudit.ingest.assemble import build_document
    from budgetaudit.run.engine import check_document, run_rules

    ruleset = load_rules()
    seconds = 0.0
    if step == "pdfplumber":
        import pdfplumber

        started = time.perf_counter()
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
                page.close()
        seconds = time.perf_counter() - started
    elif step == "ingest":
        started = time.perf_counter()
        build_document(path, ruleset.catalog)
        seconds = time.perf_counter() - started
    elif step == "rules":
        doc = build_document(path, ruleset.catalog)
        started = time.perf_counter()
        run_rules(doc, ruleset)
        seconds = time.perf_counter() - started
    elif step == "check":
        started = time.perf_counter()
        check_document(path, ruleset)
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_step(step: str, path: Path) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--measure", step, str(path)], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def batch_folder(count: int, out: Path) -> Path:
    """`count` sample PDFs, each made distinct by a trailing comment (so each has its own cache entry)."""
    folder = out / "batch"
    folder.mkdir()
    samples = sorted((ROOT / "samples").glob("*.pdf"))
    for i in range(count):
        target = folder / f"{i:03d}-{samples[i % len(samples)].name}"
        shutil.copyfile(samples[i % len(samples)], target)
        with target.open("ab") as handle:
            handle.write(f"\n% copy {i}\n".encode())
    return folder


def timed_check(folder: Path, jobs: int, cache: Path | None, out: Path) -> float:
    env = dict(os.environ, BUDGETAUDIT_CACHE=str(cache or out / "unused"))
    command = [sys.executable, "-m", "budgetaudit", "check", str(folder), "--format", "json", "-o", str(out / "report.json"), "--jobs", str(jobs)]
    started = time.perf_counter()
    subprocess.run(command + ([] if cache else ["--no-cache"]), env=env, capture_output=True, check=False)
    return time.perf_counter() - started


def batch(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        docs = batch_folder(count, out)
        one = timed_check(docs, 1, None, out)
        two = timed_check(docs, 2, None, out)
        timed_check(docs, 2, out / "cache", out)  # fills the cache
        cached = timed_check(docs, 1, out / "cache", out)
    print(f"\nbatch of {count} samples (`budgetaudit check folder`, JSON report):")
    print(f"  --jobs 1, no cache : {one:8.1f} s")
    print(f"  --jobs 2, no cache : {two:8.1f} s   ({one / two:.2f}× faster)")
    print(f"  cached re-check    : {cached:8.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[20, 200, 1000])
    parser.add_argument("--batch", type=int, default=0, help="also time a batch of this many samples")
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure[0], Path(args.measure[1]))))
        return
    print(f"machine: {platform.processor() or platform.machine()}, {__import__('os').cpu_count()} CPUs, Python {platform.python_version()}")
    header = f"{'pages':>6} | {'step':<10} | {'seconds':>8} | {'pages/s':>8} | {'peak MB':>8} | {'× pdfplumber':>12}"
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as folder:
        for pages in args.pages:
            path = build(pages, Path(folder))
            rows = {step: run_step(step, path) for step in STEPS}
            bare = rows["pdfplumber"]["seconds"]
            for step, row in rows.items():
                ratio = f"{row['seconds'] / bare:.2f}" if step != "rules" else ""
                print(f"{pages:>6} | {step:<10} | {row['seconds']:>8.2f} | {pages / row['seconds']:>8.1f} | {row['peak_mb']:>8.0f} | {ratio:>12}", flush=True)
    if args.batch:
        batch(args.batch)


if __name__ == "__main__":
    main()
