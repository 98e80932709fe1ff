"""Benchmark of the hostile-input cases (tests/hostile_inputs.py): runs every
case in a fresh folder and prints, per class, the worst wall time and the
worst peak memory (the CLI process and its worker processes), and any case
that broke its promise.

    python bench/hostile.py              # every case
    python bench/hostile.py pdf output   # only these classes
    python bench/hostile.py --big        # also the full-size inputs of the issue (1 GiB stream, 25,000-line grid, 250,000 characters)
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from hostile_inputs import Case, cases, check_case, inflating_pdf, is_root, many_chars_pdf, remove_deep_tree, ruling_grid_pdf  # noqa: E402

BIG = [
    Case("pdf", "a stream that inflates to 1 GiB", lambda f: ["check", inflating_pdf(f, 1024), "--no-cache"], words=("解压后过大",), seconds=120),
    Case("pdf", "a 25,000 x 25,000 ruling grid", lambda f: ["check", ruling_grid_pdf(f, 25_000), "--no-cache"], words=("线条过多",), seconds=120),
    Case("pdf", "250,000 characters on a page", lambda f: ["check", many_chars_pdf(f, 250_000), "--no-cache"], words=("字符过多",), seconds=120),
]


def run_one(case: Case) -> tuple[float, float, str]:
    with tempfile.TemporaryDirectory(prefix="hostile-") as folder:
        try:
            outcome = check_case(case, Path(folder))
            return outcome.seconds, outcome.peak_mb, ""
        except AssertionError as exc:
            return float("nan"), float("nan"), str(exc)[:300]
        finally:
            remove_deep_tree(Path(folder))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("classes", nargs="*", help="only these classes (output, rule files, config, baseline, pdf, limits, walk, smaller)")
    parser.add_argument("--big", action="store_true", help="also the full-size inputs of the issue")
    args = parser.parse_args()
    chosen = [c for c in cases() + (BIG if args.big else []) if not args.classes or c.kind in args.classes]
    chosen = [c for c in chosen if ("device node" not in c.name or is_root()) and ("not as root" not in c.name or not is_root())]
    worst: dict[str, list] = {}
    failures = []
    for case in chosen:
        seconds, peak, problem = run_one(case)
        print(f"{case.kind:<11} | {case.name:<50} | {seconds:>7.2f} s | {peak:>7.0f} MB{'  FAILED' if problem else ''}", flush=True)
        if problem:
            failures.append(problem)
            continue
        entry = worst.setdefault(case.kind, [0.0, "", 0.0, "", 0])
        entry[4] += 1
        if seconds > entry[0]:
            entry[0], entry[1] = seconds, case.name
        if peak > entry[2]:
            entry[2], entry[3] = peak, case.name
    print(f"\n{'class':<11} | {'cases':>5} | {'worst s':>8} | {'worst MB':>8} | slowest / largest")
    print("-" * 100)
    for kind, (seconds, slow, peak, large, count) in worst.items():
        print(f"{kind:<11} | {count:>5} | {seconds:>8.2f} | {peak:>8.0f} | {slow} / {large}")
    for problem in failures:
        print("FAILED:", problem)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
