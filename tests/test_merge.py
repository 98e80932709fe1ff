"""One finding per defect (budgetaudit/merge.py): each merge class on a document where
it happens, the cases that must stay apart, and a guard over every sample and real
file that no two findings left share a cause."""
from __future__ import annotations

from collections import defaultdict

import pytest
from conftest import REAL, SAMPLE_NAMES, default_ruleset, findings_of, need_real, sample

from budgetaudit.model.findings import Finding, Location, location_lines
from budgetaudit.run.merge import merge_findings

KINDS = {"T-HIER-001": "hierarchy", "X-TIE-006": "tie", "P-REQ-001": "required_tables", "P-TOC-001": "toc",
         "N-CONTRA-001": "contradiction", "N-ENUM-001": "enumeration", "N-TIE-001": "narrative_match", "N-RATE-001": "rate"}


def cell(row: str, column: str, page: int = 11, table: str = "表6 基本支出表") -> Location:
    return Location(page, table, row, column)


def hier(row: str, column: str, difference: str = "-9.75万元", severity: str = "error") -> Finding:
    return Finding("T-HIER-001", severity, f"{row} {column}", "920.96万元", "911.21万元", difference,
                   [cell(row, column), cell(row + "01", column)], key=f"basic|{row}|{column}")


def sentence(text: str, page: int = 17) -> Location:
    return Location(page, row="一、收支总表情况说明", text=text)


def merge(findings):
    return merge_findings(findings, KINDS, default_ruleset().catalog)


# --- the classes, document-free ------------------------------------------------

def test_columns_of_one_row_with_one_gap_merge():
    merged = merge([hier("301", "合计"), hier("301", "小计", severity="warning"), hier("301", "人员经费")])
    assert len(merged) == 1
    (one,) = merged
    assert one.severity == "error" and one.key == "basic|301|合计" and one.message == "301 合计"
    assert {loc.column for loc in one.locations} == {"合计", "小计", "人员经费"} and len(one.locations) == 6
    assert [m["key"] for m in one.merged] == ["basic|301|小计", "basic|301|人员经费"]


def test_a_warning_first_gives_way_to_the_error_of_its_group():
    (one,) = merge([hier("301", "小计", severity="warning"), hier("301", "合计")])
    assert one.severity == "error" and one.key == "basic|301|合计" and one.merged[0]["severity"] == "warning"


def test_different_rows_or_gaps_stay_apart():
    assert len(merge([hier("301", "合计"), hier("302", "合计")])) == 2
    assert len(merge([hier("301", "合计"), hier("301", "小计", difference="-1.00万元")])) == 2


def test_a_sentence_location_is_not_a_row():
    a = Finding("X-TIE-006", "error", "a", difference="1", locations=[Location(3, "表1", "合计", "a", "text")], key="a")
    b = Finding("X-TIE-006", "error", "b", difference="1", locations=[Location(3, "表1", "合计", "b", "text")], key="b")
    assert len(merge([a, b])) == 2


def required(kind: str, title: str) -> Finding:
    return Finding("P-REQ-001", "error", f"缺少{title}", title, "缺失", locations=[Location(None, title)], key=f"required|{kind}")


def toc_absent(title: str, page: int = 2) -> Finding:
    return Finding("P-TOC-001", "error", f"目录列出「{title}」", title, "正文中没有", locations=[Location(page, "目录", text=title)], key=f"toc-absent|{title}")


def test_missing_table_views_merge_by_kind():
    merged = merge([required("income_summary", "收入总表"), required("procurement", "政府采购支出预算表"),
                    toc_absent("收入预算总表"), toc_absent("部门综合预算政府采购（资产配置、购买服务）预算表")])
    assert [f.rule for f in merged] == ["P-REQ-001", "P-REQ-001"]
    assert [m["rule"] for f in merged for m in f.merged] == ["P-TOC-001", "P-TOC-001"]
    assert [loc.page for loc in merged[0].locations] == [None, 2]


def test_missing_table_kind_listed_twice_stays_apart():
    findings = [required("income_summary", "收入总表"), toc_absent("收入预算总表"), toc_absent("部门收入预算总表", page=3)]
    assert len(merge(findings)) == 3
    assert len(merge([required("income_summary", "收入总表"), toc_absent("部门（单位）职责")])) == 2


SLIP = "2026年预算支出1682.76元，其中基本支出预算1208.20万元，占部门预算总支出的71.80%；"


def test_one_unit_slip_seen_by_three_narrative_checks_merges():
    contra = Finding("N-CONTRA-001", "error", "contra", "1682.76元", "1682.76万元", "x", [sentence(SLIP), sentence("2026年支出总计1682.76万元。")],
                     key="expenditure_total|1682.76|1682.76")
    enum = Finding("N-ENUM-001", "error", "enum", "1682.76万元", "1682.76元", "x", [sentence(SLIP), sentence("项目支出预算474.56万元。")],
                   key="expenditure_total|1682.76|1208.20+474.56")
    tie = Finding("N-TIE-001", "error", "tie", "1682.76万元", "1682.76元", "x", [sentence(SLIP), Location(6, "表1", "支出总计", "本年预算")],
                  key="expenditure_total|1682.76")
    (one,) = merge([contra, enum, tie])
    assert one.rule == "N-CONTRA-001" and [m["rule"] for m in one.merged] == ["N-ENUM-001", "N-TIE-001"]
    assert len(one.locations) == 4  # the shared sentence once


def test_other_sentence_figure_or_concept_stays_apart():
    tie = Finding("N-TIE-001", "error", "tie", "1682.76万元", "1682.76元", "x", [sentence(SLIP)], key="expenditure_total|1682.76")
    other_sentence = Finding("N-ENUM-001", "error", "e", "", "1682.76元", "x", [sentence("2026年支出预算1682.76元。")], key="expenditure_total|1682.76|1+2")
    other_concept = Finding("N-ENUM-001", "error", "e", "", "1682.76元", "x", [sentence(SLIP)], key="basic|1682.76|1+2")
    other_kind = Finding("N-RATE-001", "error", "r", "", "1682.76元", "x", [sentence(SLIP)], key="expenditure_total|1682.76")
    assert len(merge([tie, other_sentence, other_concept, other_kind])) == 4


def test_a_chain_of_two_wrong_figures_stays_apart():
    """A contradiction between two sentences, each also wrong against the table: maybe two defects, not merged."""
    other = "2026年支出总计1690.00万元。"
    contra = Finding("N-CONTRA-001", "error", "contra", "1682.76元", "1690.00万元", "x", [sentence(SLIP), sentence(other)],
                     key="expenditure_total|1682.76|1690.00")
    first = Finding("N-TIE-001", "error", "tie", "1700.00万元", "1682.76元", "x", [sentence(SLIP)], key="expenditure_total|1682.76")
    second = Finding("N-TIE-001", "error", "tie", "1700.00万元", "1690.00万元", "x", [sentence(other)], key="expenditure_total|1690.00")
    assert len(merge([contra, first, second])) == 3
    assert len(merge([contra, first])) == 1


def test_locations_of_one_row_are_shown_on_one_line():
    (one,) = merge([hier("301", "合计"), hier("301", "小计")])
    lines = location_lines(one.locations)
    assert lines == ["第11页 · 表6 基本支出表 · 301 · 合计、小计", "第11页 · 表6 基本支出表 · 30101 · 合计、小计"]


def test_json_carries_merged_and_boxes():
    (one,) = merge([hier("301", "合计"), hier("301", "小计")])
    one.locations[0].bbox = (1.0, 2.0, 3.0, 4.0)
    data = one.to_json()
    assert data["merged"][0]["rule"] == "T-HIER-001" and data["locations"][0]["bbox"] == (1.0, 2.0, 3.0, 4.0)
    assert hier("302", "合计").to_json()["merged"] == []


# --- each class on a document ----------------------------------------------------

def by_rule(findings, rule: str) -> list:
    return [f for f in findings if f.rule == rule]


def test_missing_table_on_a_sample():
    findings = findings_of(str(sample("dashuju-2024")))
    income = [f for f in findings if f.key == "required|income_summary"]
    assert len(income) == 1 and [(m["rule"], m["key"]) for m in income[0].merged] == [("P-TOC-001", "toc-absent|收入预算总表")]
    assert {loc.page for loc in income[0].locations} == {None, 2}
    assert not [f for f in findings if f.key == "toc-absent|收入预算总表"]


def test_contradiction_and_tie_of_one_figure_on_a_sample():
    findings = findings_of(str(sample("yongdeng-zwfw-2024")))
    (basic,) = [f for f in findings if f.key == "basic|89.05|137.05"]
    assert [(m["rule"], m["key"]) for m in basic.merged] == [("N-TIE-001", "basic|137.05")]
    assert not [f for f in findings if f.key == "basic|137.05"]


def real_file(part: str):
    need_real()
    matches = sorted(REAL.glob(f"*{part}*.pdf"))
    if not matches:
        pytest.skip(f"no real file with {part}")
    return matches[0]


def test_unit_slip_and_row_columns_on_a_real_file():
    findings = findings_of(str(real_file("changchun_2026_长春市信访局")))
    (slip,) = [f for f in findings if f.key.startswith("expenditure_total|1682.76")]
    assert slip.severity == "error" and {m["rule"] for m in slip.merged} == {"N-ENUM-001", "N-TIE-001"}
    rows = [f for f in findings if f.rule == "T-HIER-001" and f.key.startswith("basic_expenditure_economic|")]
    assert sorted(f.key.split("|")[1] for f in rows) == ["301", "302"]  # one per row, not one per column
    assert all(len(f.merged) == 2 and len({loc.column for loc in f.locations}) == 3 for f in rows)


# --- the guard: no two findings left share a cause ---------------------------------

def shared_causes(findings) -> list[tuple]:
    """Groups of findings that plausibly share a cause, by looser criteria than the merge keys:
    one rule on the same table row(s) with the same difference; a narrative figure's concept in the
    same sentence; a required table and a 目录 entry of the same kind."""
    kinds = {r.id: r.kind for r in default_ruleset().rules.values()}
    catalog, groups = default_ruleset().catalog, defaultdict(set)
    for f in findings:
        if f.rule.startswith(("T-", "X-")) and f.locations and f.difference:
            groups[("row", f.rule, f.locations[0].page, f.locations[0].table, f.locations[0].row, f.difference.lstrip("-"))].add(f.key)
        if kinds.get(f.rule) in ("narrative_match", "enumeration", "contradiction", "narrative_empty_table") and f.severity != "info":
            for loc in f.locations:
                if loc.text:
                    groups[("sentence", loc.page, loc.text, f.key.split("|")[0], f.actual)].add(f.rule + f.key)
        if f.key.startswith("required|"):
            groups[("table", f.key.split("|")[1])].add(f.key)
        if f.key.startswith("toc-absent|"):
            groups[("table", catalog.classify(f.expected))].add(f.key)
    return [(k, v) for k, v in groups.items() if len(v) > 1 and k[-1] != "unknown"]


def guard_paths():
    real = sorted(REAL.glob("*.pdf")) if REAL.is_dir() else []
    return [sample(name) for name in SAMPLE_NAMES] + [p for p in real if not p.name.startswith("SCANNED")]


@pytest.mark.parametrize("path", guard_paths(), ids=lambda p: p.stem)
def test_no_two_findings_share_a_cause(path):
    assert not shared_causes(findings_of(str(path)))


def test_a_merged_finding_is_waived_only_when_every_rule_in_it_is():
    from types import SimpleNamespace

    from budgetaudit.ruleset.config import Waiver, apply_waivers

    def one_merged():
        (one,) = merge([hier("301", "合计"), hier("301", "小计")])
        one.merged = [{"rule": "X-TIE-006", "key": "k", "severity": "error", "message": "m"}]
        return one

    only_primary, both = one_merged(), one_merged()
    apply_waivers([SimpleNamespace(path="a.pdf", findings=[only_primary])], [Waiver("T-HIER-001", "a.pdf", "已说明")])
    apply_waivers([SimpleNamespace(path="a.pdf", findings=[both])], [Waiver("T-HIER-001", "a.pdf", "已说明"), Waiver("X-TIE-006", "a.pdf", "已说明")])
    assert not only_primary.waived
    assert both.waived == "已说明"
