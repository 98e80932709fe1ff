"""What budgetaudit makes of a folder of real disclosures: one row per PDF.

    python bench/real.py                    # ../shared/real
    python bench/real.py path/to/folder     # any folder of PDFs

Columns: pages; tables found / recognised (a standard kind); narrative money
figures stated / naming a known concept / tied to a table value; error,
warning and info findings; seconds to read and check (no cache). Prints a
Markdown table, the one a finance bureau asks for before trusting the tool.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budgetaudit.assemble import build_document  # noqa: E402
from budgetaudit.checks.base import Context  # noqa: E402
from budgetaudit.checks.narrative import coverage  # noqa: E402
from budgetaudit.engine import check_parsed  # noqa: E402
from budgetaudit.errors import BudgetAuditError  # noqa: E402
from budgetaudit.rules import load_rules  # noqa: E402

COLUMNS = ("file", "pages", "tables", "recognised", "figures", "named", "tied", "errors", "warnings", "infos", "seconds")


def row(path: Path, ruleset) -> list:
    started = time.perf_counter()
    try:
        doc = build_document(path, ruleset.catalog)
    except BudgetAuditError as exc:
        return [path.stem, "", "", "", "", "", "", exc.key, "", "", f"{time.perf_counter() - started:.1f}"]
    result = check_parsed(path, doc, ruleset)
    seconds = time.perf_counter() - started
    if result.status != "checked":
        return [path.stem, doc.pages, "", "", "", "", "", result.error_key, "", "", f"{seconds:.1f}"]
    named, unchecked = coverage(Context(doc, ruleset))
    figures = sum(1 for s in doc.sentences for q in s.figures if q.unit in ("元", "万元"))
    count = {level: sum(1 for f in result.findings if f.severity == level) for level in ("error", "warning", "info")}
    return [path.stem, doc.pages, len(doc.tables), sum(1 for t in doc.tables if t.kind != "unknown"), figures, len(named),
            len(named) - len(unchecked), count["error"], count["warning"], count["info"], f"{seconds:.1f}"]


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "real"
    paths = sorted(folder.glob("*.pdf"))
    if not paths:
        sys.exit(f"no PDF in {folder}")
    ruleset = load_rules()
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    total = 0.0
    for path in paths:
        cells = row(path, ruleset)
        total += float(cells[-1])
        print("| " + " | ".join(str(c) for c in cells) + " |", flush=True)
    print(f"\n{len(paths)} files, {total:.1f} s in all, {total / len(paths):.1f} s per file")


if __name__ == "__main__":
    main()
