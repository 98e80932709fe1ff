"""What budgetaudit makes of a folder of real disclosures: one row per PDF.

    python bench/real.py                    # ../shared/real
    python bench/real.py path/to/folder     # any folder of PDFs

Columns: pages; tables found / recognised (a standard kind); narrative money
figures stated / naming a known concept / tied to a table value; error,
warning and info findings; of the errors, how many were reviewed TRUE and FALSE
against the page (tests/real/verdicts.yaml; "?" = not reviewed yet) and the
precision (TRUE / all errors); seconds to read and check (no cache). Prints a
Markdown table, the one a finance bureau asks for before trusting the tool.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budgetaudit.checks import load_rules  # noqa: E402
from budgetaudit.checks.base import Context  # noqa: E402
from budgetaudit.checks.narrative.shared import coverage  # noqa: E402
from budgetaudit.ingest.assemble import build_document  # noqa: E402
from budgetaudit.run.engine import check_parsed  # noqa: E402
from budgetaudit.safe.errors import BudgetAuditError  # noqa: E402

COLUMNS = ("file", "pages", "tables", "recognised", "figures", "named", "tied", "errors", "warnings", "infos",
           "true", "false", "unreviewed", "precision", "seconds")
VERDICTS = ROOT / "tests" / "real" / "verdicts.yaml"


def load_verdicts() -> dict[tuple[str, str, str], str]:
    import yaml

    entries = yaml.safe_load(VERDICTS.read_text(encoding="utf-8")) if VERDICTS.exists() else []
    return {(e["file"], e["rule"], str(e["key"])): "TRUE" if str(e["verdict"]).upper() == "TRUE" else "FALSE" for e in entries or []}


MERGED: list[str] = []  # verdicts of the error findings merged into another of the same cause (merge.py)


def reviewed(path: Path, findings, verdicts) -> list:
    """[true, false, unreviewed, precision] over the document's error findings."""
    marks = [verdicts.get((path.stem, f.rule, f.key), "?") for f in findings if f.severity == "error"]
    MERGED.extend(verdicts.get((path.stem, m["rule"], m["key"]), "?") for f in findings for m in f.merged if m["severity"] == "error")
    true, false, unknown = marks.count("TRUE"), marks.count("FALSE"), marks.count("?")
    return [true, false, unknown, f"{true / len(marks):.0%}" if marks else "–"]


def row(path: Path, ruleset, verdicts) -> list:
    started = time.perf_counter()
    try:
        doc = build_document(path, ruleset.catalog)
    except BudgetAuditError as exc:
        return [path.stem, "", "", "", "", "", "", exc.key, "", "", "", "", "", "", f"{time.perf_counter() - started:.1f}"]
    result = check_parsed(path, doc, ruleset)
    seconds = time.perf_counter() - started
    if result.status != "checked":
        return [path.stem, doc.pages, "", "", "", "", "", result.error_key, "", "", "", "", "", "", f"{seconds:.1f}"]
    named, unchecked = coverage(Context(doc, ruleset))
    figures = sum(1 for s in doc.sentences for q in s.figures if q.unit in ("元", "万元"))
    count = {level: sum(1 for f in result.findings if f.severity == level) for level in ("error", "warning", "info")}
    return [path.stem, doc.pages, len(doc.tables), sum(1 for t in doc.tables if t.kind != "unknown"), figures, len(named),
            len(named) - len(unchecked), count["error"], count["warning"], count["info"],
            *reviewed(path, result.findings, verdicts), f"{seconds:.1f}"]


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "real"
    paths = sorted(folder.glob("*.pdf"))
    if not paths:
        sys.exit(f"no PDF in {folder}")
    ruleset, verdicts = load_rules(), load_verdicts()
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    total, true, errors = 0.0, 0, 0
    for path in paths:
        cells = row(path, ruleset, verdicts)
        total += float(cells[-1])
        true += cells[10] if isinstance(cells[10], int) else 0
        errors += cells[7] if isinstance(cells[7], int) else 0
        print("| " + " | ".join(str(c) for c in cells) + " |", flush=True)
    print(f"\n{len(paths)} files, {total:.1f} s in all, {total / len(paths):.1f} s per file")
    print(f"error findings: {errors}, reviewed TRUE: {true}, precision {true / errors:.1%}" if errors else "error findings: 0")
    if MERGED:
        print(f"error findings merged into another of the same cause: {len(MERGED)}, reviewed TRUE: {MERGED.count('TRUE')}")


if __name__ == "__main__":
    main()
