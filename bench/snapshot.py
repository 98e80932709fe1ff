"""Reference outputs of the command line, to show that a change moved code without changing a result.

    python bench/snapshot.py OUT                       # samples/*.pdf and ../shared/real/*.pdf
    python bench/snapshot.py OUT --pdfs DIR [DIR ...]  # other folders of PDFs (samples/ always)
    python bench/snapshot.py OUT -j 2                  # processes (default 2)

For every PDF it runs `budgetaudit check FILE --format json --no-cache` and
`budgetaudit inspect FILE --json` through the installed command (nothing of the
package is imported, so the script outlives any rename inside it), drops what
varies from run to run or machine to machine (the version, the folder a PDF
lies in), and writes OUT/<name>.check.json and OUT/<name>.inspect.json, each
with the exit code. `rules list` is written once as OUT/rules-list.txt. Compare
two snapshots with `diff -r BEFORE AFTER`: empty means the same results.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real"


def command() -> list[str]:
    """The installed `budgetaudit` beside this Python, else `python -m budgetaudit`."""
    beside = Path(sys.executable).with_name("budgetaudit")
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "budgetaudit"]


def scrub(value, folder: str):
    """The same value without the folder a PDF lies in and without the version."""
    if isinstance(value, dict):
        return {k: scrub(v, folder) for k, v in value.items() if k != "version"}
    if isinstance(value, list):
        return [scrub(v, folder) for v in value]
    if isinstance(value, str):
        return value.replace(folder + os.sep, "").replace(folder, "<folder>")
    return value


def run(args: list[str], pdf: Path, cwd: str) -> dict:
    done = subprocess.run(command() + args, capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONHASHSEED": "0"})
    try:
        output = json.loads(done.stdout)
    except ValueError:
        output = {"stdout": done.stdout}
    return {"exit": done.returncode, "output": scrub(output, str(pdf.parent))}


def snapshot(pdf: Path, out: Path, cwd: str) -> str:
    results = {
        "check": run(["check", str(pdf), "--format", "json", "--no-cache"], pdf, cwd),
        "inspect": run(["inspect", str(pdf), "--json"], pdf, cwd),
    }
    for name, result in results.items():
        text = json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        (out / f"{pdf.name}.{name}.json").write_text(text, encoding="utf-8")
    return pdf.name


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pdfs", nargs="*", type=Path, default=[REAL])
    parser.add_argument("-j", "--jobs", type=int, default=2)
    options = parser.parse_args()
    pdfs = sorted((ROOT / "samples").glob("*.pdf"))
    for folder in options.pdfs:
        pdfs += sorted(folder.glob("*.pdf"))
    if options.out.exists():
        shutil.rmtree(options.out)
    options.out.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as cwd:  # no budgetaudit.yaml or baseline of the checkout is picked up
        listed = subprocess.run(command() + ["rules", "list"], capture_output=True, text=True, cwd=cwd)
        (options.out / "rules-list.txt").write_text(f"exit {listed.returncode}\n{listed.stdout}", encoding="utf-8")
        with ThreadPoolExecutor(options.jobs) as pool:  # threads waiting on processes: -j processes at a time
            for name in pool.map(lambda p: snapshot(p, options.out, cwd), pdfs):
                print(name, flush=True)
    print(f"{len(pdfs)} PDFs -> {options.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
