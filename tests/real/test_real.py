"""Real published disclosures (../shared/real): pin what `inspect` recognises and
which table/reading findings `check` reports, so a parser change that loses a
table or invents an inconsistency fails loudly.

Golden summaries live in tests/real/golden/<file>.json. After a deliberate
change, review the difference and regenerate with
    BUDGETAUDIT_UPDATE_GOLDEN=1 python -m pytest tests/real -q
Every error-level finding pinned here was checked against the PDF (REVIEW.md).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import REAL, checked, default_ruleset, findings_of, need_real, parsed, real_document, real_path

GOLDEN = Path(__file__).parent / "golden"
PINNED_FAMILIES = ("T-", "X-", "R-")  # table and reading rules: every finding
PINNED_SEVERE = ("N-", "P-")  # narrative and publication rules: errors and warnings (REVIEW.md)
NAMES = sorted({p.stem for p in GOLDEN.glob("*.json")} | ({p.stem for p in REAL.glob("*.pdf")} if REAL.is_dir() else set()))


def summary(path: Path) -> dict:
    doc = parsed(str(path))  # parsed once per session; rules run on the cached model
    if len(doc.textless_pages) == doc.pages:
        result = checked(str(path))
        return {"status": result.status, "pages": result.pages, "error_key": result.error_key}
    findings = findings_of(str(path))
    out = {"status": "checked", "pages": doc.pages, "textless_pages": doc.textless_pages}
    out["tables"] = [{"kind": t.kind, "title": t.title, "pages": t.pages, "rows": len(t.rows)} for t in doc.tables]
    out["findings"] = sorted({f"{f.severity} {f.rule} {f.key}" for f in findings if pinned(f)})
    out["narrative_tied"] = narrative_coverage(doc)
    return out


def narrative_coverage(doc) -> list[int]:
    """[amounts naming a known concept, of which tied to a table value]: a reader or concept
    change that loses a tie shows here even when no finding changes."""
    from budgetaudit.checks.base import Context
    from budgetaudit.checks.narrative.shared import coverage

    named, unchecked = coverage(Context(doc, default_ruleset()))
    return [len(named), len(named) - len(unchecked)]


def pinned(finding) -> bool:
    return finding.rule.startswith(PINNED_FAMILIES) or (finding.rule.startswith(PINNED_SEVERE) and finding.severity in ("error", "warning"))


@pytest.mark.parametrize("name", NAMES)
def test_real_document(name):
    path = real_path(name)
    got = summary(path)
    golden = GOLDEN / f"{name}.json"
    if os.environ.get("BUDGETAUDIT_UPDATE_GOLDEN"):
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    want = json.loads(golden.read_text(encoding="utf-8"))
    assert got["status"] == want["status"]
    if want["status"] != "checked":
        assert got == want
        return
    assert [(t["kind"], t["pages"]) for t in got["tables"]] == [(t["kind"], t["pages"]) for t in want["tables"]], "tables recognised changed"
    assert got["tables"] == want["tables"]
    assert got["textless_pages"] == want["textless_pages"]
    assert got["findings"] == want["findings"], "findings changed: review against the PDF (tests/real/REVIEW.md)"
    assert got["narrative_tied"] == want["narrative_tied"], "narrative figures named / tied to a table changed"


def test_every_real_file_has_a_golden_summary():
    need_real()
    missing = [p.name for p in REAL.glob("*.pdf") if not (GOLDEN / f"{p.stem}.json").exists()]
    assert not missing, f"no golden summary for {missing}: run with BUDGETAUDIT_UPDATE_GOLDEN=1"


# Titles left unrecognised on purpose, each reported as R-READ-002 (not silently): a 基本支出 table
# qualified 「-不含上年结转」 was misread as the carry-over table; recognising it as the 基本支出 table
# too brings per-unit paragraphs into comparison on other documents of the template (stop 19 review),
# so it waits for the entity work of issue 22.
KNOWN_UNRECOGNISED = ("不含上年结转",)


def test_no_standard_table_unrecognised():
    """Every table whose title names a standard table gets a kind (or is a known, reported exception)."""
    need_real()
    standard = ("收支总表", "收入总表", "支出总表", "一般公共预算支出", "基本支出", "三公", "政府性基金", "国有资本经营", "项目支出")
    missed = []
    for name in NAMES:
        path = REAL / f"{name}.pdf"
        if not path.exists():
            continue
        for t in parsed(str(path)).tables:
            if (t.kind == "unknown" and any(word in t.title.replace("“", "").replace("”", "") for word in standard)
                    and not any(word in t.title for word in KNOWN_UNRECOGNISED)):
                missed.append((name, t.title))
    assert not missed


def test_scanned_document_is_unreadable():
    need_real()
    path = next(REAL.glob("SCANNED_*.pdf"), None)
    if path is None:
        pytest.skip("scanned real PDF not present")
    result = checked(str(path))
    assert result.status == "unreadable" and result.error_key == "unreadable" and result.pages == 8


def test_table_with_one_row_per_year_reads_the_latest_year():
    """深圳 表9 prints 2025年, 2026年 and 增减变化金额 rows: `first` means the 2026 row."""
    from budgetaudit.checks.base import find_row

    doc = real_document("cn-shenzhen_2026_深圳市人民政府口岸办公室_部门预算")
    table = next(t for t in doc.tables if t.kind == "sangong")
    row = find_row(table, "first")
    assert row.values["年度"].text == "2026年" and row.values["总计›一般公共预算"].text == "43.79"
