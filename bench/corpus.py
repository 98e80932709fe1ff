"""Corpus figures from a JSON report (`budgetaudit check FOLDER --format json`):
precision of its error findings against tests/real/verdicts.yaml, and coverage.

    python bench/corpus.py tests/real/firstlook/real2-start.json [--exclude tests/real/fold.txt | --only tests/real/fold.txt]

Prints, for the documents of the report (less or only those listed):
- documents: read as disclosures / as other documents (R-READ-005) / unreadable;
- error findings (merged ones included): TRUE / FALSE / unreviewed, precision = TRUE / reviewed, with n,
  and the counts per rule and per class of misreading;
- tables found / recognised (a standard kind);
- table rule runs: run / could not run (a needed table or column not recognised), the blocked share;
- narrative figures naming a known concept / tied to a table value.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
VERDICTS = ROOT / "tests" / "real" / "verdicts.yaml"


def listed(path: str) -> set[str]:
    return {Path(line.strip()).stem for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")}


def verdicts() -> dict[tuple[str, str, str], dict]:
    entries = yaml.safe_load(VERDICTS.read_text(encoding="utf-8")) or []
    return {(e["file"], e["rule"], str(e["key"])): e for e in entries}


def errors_of(doc: dict) -> list[dict]:
    items = []
    for f in doc["findings"]:
        if f["severity"] == "error":
            items.append(f)
            items.extend(m for m in f.get("merged", []) if m["severity"] == "error")
    return items


def select(docs: list[dict], args: list[str]) -> list[dict]:
    stem = lambda d: Path(d["path"]).stem  # noqa: E731
    if "--exclude" in args:
        names = listed(args[args.index("--exclude") + 1])
        return [d for d in docs if stem(d) not in names]
    if "--only" in args:
        names = listed(args[args.index("--only") + 1])
        return [d for d in docs if stem(d) in names]
    return docs


def main() -> None:
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    report = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    docs = select(report["documents"], args)
    known = verdicts()
    kinds = Counter("unreadable" if d["status"] == "unreadable" else
                    "other" if any(f["rule"] == "R-READ-005" for f in d["findings"]) else "disclosure" for d in docs)
    marks, by_rule, by_class = Counter(), Counter(), Counter()
    for d in docs:
        for f in errors_of(d):
            entry = known.get((Path(d["path"]).stem, f["rule"], str(f["key"])))
            mark = "?" if entry is None else str(entry["verdict"]).upper()
            marks[mark] += 1
            by_rule[(f["rule"], mark)] += 1
            if mark == "FALSE":
                by_class[str(entry.get("class", "")).split("/")[0]] += 1
    cov = [d["coverage"] for d in docs if d.get("coverage") and not any(f["rule"] == "R-READ-005" for f in d["findings"])]
    add = lambda key: sum(c[key] for c in cov)  # noqa: E731
    reviewed = marks["TRUE"] + marks["FALSE"]
    print(f"report: {args[0]}  commit: {report.get('commit', '?')}  documents: {len(docs)}")
    print(f"documents: disclosure {kinds['disclosure']}, other (R-READ-005) {kinds['other']}, unreadable {kinds['unreadable']}")
    print(f"error findings: {sum(marks.values())}; TRUE {marks['TRUE']}, FALSE {marks['FALSE']}, unreviewed {marks['?']}"
          + (f"; precision {marks['TRUE']}/{reviewed} = {marks['TRUE'] / reviewed:.1%}" if reviewed else ""))
    for rule in sorted({r for r, _ in by_rule}):
        print(f"  {rule}: TRUE {by_rule[(rule, 'TRUE')]}, FALSE {by_rule[(rule, 'FALSE')]}, unreviewed {by_rule[(rule, '?')]}")
    if by_class:
        print("FALSE by class: " + ", ".join(f"{c} {n}" for c, n in by_class.most_common()))
    found, recognised = add("tables_found"), add("tables_recognised")
    run, blocked = add("table_rules_run"), add("table_rules_blocked")
    stated, tied = add("figures_stated"), add("figures_tied")
    print(f"disclosures: tables found {found}, recognised {recognised} ({recognised / max(found, 1):.1%})")
    print(f"table rule runs: run {run}, could not run {blocked} ({blocked / max(run + blocked, 1):.1%} of applicable)")
    print(f"narrative figures naming a concept {stated}, tied {tied} ({tied / max(stated, 1):.1%})")
    printed_vs_recognised(docs)


def printed_vs_recognised(docs: list[dict]) -> None:
    """Tables recognised against the tables printed, counted by a reviewer from each document's 目录 or pages
    (tests/real/review2/*.docs.yaml), for the documents where a count was made."""
    counts = {}
    for path in sorted((ROOT / "tests" / "real" / "review2").glob("*.docs.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if entry.get("is_disclosure") and entry.get("tables_printed"):
                counts[Path(entry["file"]).stem] = int(entry["tables_printed"])
    pairs = [(counts[Path(d["path"]).stem], (d.get("coverage") or {}).get("tables_recognised", 0)) for d in docs if Path(d["path"]).stem in counts]
    if pairs:
        printed = sum(p for p, _ in pairs)
        recognised = sum(min(p, r) for p, r in pairs)
        print(f"tables printed (hand count, {len(pairs)} documents) {printed}, recognised {recognised} ({recognised / printed:.1%})")


if __name__ == "__main__":
    main()
