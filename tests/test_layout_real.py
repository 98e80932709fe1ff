"""Layouts of real disclosures that were misread as inconsistencies (../shared/real).

Each test pins one class of layout on the page where it shows: the finding the
misreading caused is gone, and the rule still fires when a figure of the same
table is changed (a real inconsistency)."""
from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from conftest import REAL, default_ruleset, need_real, parsed

from budgetaudit.checks import KINDS
from budgetaudit.checks.base import Context
from budgetaudit.model.findings import compare
from budgetaudit.model.quantity import parse_quantity

YANTAI_MZ = "cn-yantai_2026_烟台市民政局_部门预算.pdf"
YANTAI_TJ = "cn-yantai_2026_烟台市统计局_部门预算.pdf"
XIAN_YJ = "cn-xian_2026_西安市应急管理局_部门预算.pdf"
XIAN_SW = "cn-xian_2026_西安市商务局_部门预算.pdf"


def real(name: str):
    need_real()
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{name} not found in {REAL}: real-PDF test skipped")
    return parsed(str(path))


def run_rule(doc, rule_id: str):
    ruleset = default_ruleset()
    rule = ruleset.rules[rule_id]
    return [f for f in KINDS[rule.kind].run(Context(doc, ruleset), rule) if hasattr(f, "severity")]


def table_numbered(doc, number: str):
    return next(t for t in doc.tables if t.number == number)


def set_amount(table, code: str, key: str, text: str, name: str = "") -> None:
    row = next(r for r in table.rows if r.code == code and (not name or r.name == name))
    cell = row.values[key]
    cell.text, cell.quantity = text, parse_quantity(text, table.unit)


# --- 1. a table broken across pages: the next page continues the open 类 / 款 ---------

def test_continuation_page_carries_the_open_category_and_section():
    """烟台民政 公开表2 p8→p9: p9 repeats the header and starts with 「10 社会福利」 (款 only) and
    「01 儿童福利」 (项 only): they are 20810 and 2081001 under 208, not code-less rows."""
    doc = real(YANTAI_MZ)
    table = table_numbered(doc, "公开表2")
    assert table.pages[:2] == [8, 9]
    on_p9 = [(r.code, r.name) for r in table.rows if r.page == 9][:5]
    assert on_p9 == [("20810", "社会福利"), ("2081001", "儿童福利"), ("2081005", "社会福利事业单位"),
                     ("20820", "临时救助"), ("2082002", "流浪乞讨人员救助支出")]
    assert not [f for f in run_rule(doc, "T-HIER-001") if f.severity == "error"]


@pytest.mark.parametrize("number,code", [("公开表2", "2080599"), ("公开表3", "2101102"), ("公开表5", "2101102")])
def test_continuation_page_starting_with_items_of_the_last_section(number, code):
    """烟台统计 p8→p9 (项 2080599 2.24 first on p9), p10→p11 and p14→p15 (项 2101102/03/99 first)."""
    doc = real(YANTAI_TJ)
    table = table_numbered(doc, number)
    first = next(r for r in table.rows if r.page == table.pages[1])
    assert first.code == code
    assert not [f for f in run_rule(doc, "T-HIER-001") if f.severity == "error"]


def test_rounding_of_a_category_summed_across_the_break_is_tolerated():
    """烟台民政 208: 20802 1,218.39 + 20805 599.16 + 20810 753.26 + 20820 1,096.77 = 3,667.58, printed
    3,667.59; five printed figures allow ±0.025."""
    doc = real(YANTAI_MZ)
    table = table_numbered(doc, "公开表2")
    sections = [r for r in table.rows if len(r.code) == 5 and r.code.startswith("208")]
    assert [r.code for r in sections] == ["20802", "20805", "20810", "20820"]
    assert sum(r.values["total"].quantity.value for r in sections) == Decimal("3667.58")
    whole = next(r for r in table.rows if r.code == "208").values["total"].quantity
    comparison = compare([r.values["total"].quantity for r in sections], whole)
    assert comparison.tolerance == Decimal("0.025") and comparison.consistent


def test_hierarchy_still_fires_on_a_continuation_page():
    doc = copy.deepcopy(real(YANTAI_MZ))
    set_amount(table_numbered(doc, "公开表2"), "2081001", "total", "426.59")
    errors = [f for f in run_rule(doc, "T-HIER-001") if f.severity == "error"]
    assert any(f.key == "income_summary|20810|total" for f in errors), [f.key for f in errors]


# --- 2. 7-digit economic codes whose 款 is not printed ----------------------------

def test_items_whose_section_is_not_printed_count_toward_the_category():
    """西安应急 表6 p10–15, printed in four unit groups (125001…125004, 301 in each): 3010201 津贴补贴 and
    3010202 改革性补贴 sit under 301 without a 30102 row; each group's 301 = Σ 301xx + the two."""
    doc = real(XIAN_YJ)
    table = table_numbered(doc, "表6")
    assert len([r for r in table.rows if r.code == "301"]) == 4
    assert [r.code for r in table.rows if r.code.startswith("30102")] == ["3010201", "3010202"] * 4
    assert not [f for f in run_rule(doc, "T-HIER-001") if f.severity == "error"]


def test_items_under_a_missing_section_still_balance_per_unit_group():
    """A changed 津贴补贴 in the third unit group (125003, p13) unbalances that group's 301 only."""
    doc = copy.deepcopy(real(XIAN_YJ))
    table = table_numbered(doc, "表6")
    row = [r for r in table.rows if r.code == "3010201"][2]
    assert row.page == 13
    row.values["total"].quantity = parse_quantity("196.15", "万元")
    errors = [f for f in run_rule(doc, "T-HIER-001") if f.severity == "error"]
    assert [(f.key, f.locations[0].page) for f in errors] == [("general_budget_economic|301|total", 13)]


# --- 3. text running over a ruling goes back to its own cell -----------------------

def row_named(table, side: str, name: str):
    return next(r for r in table.rows_on(side) if r.name == name)


def test_label_spilling_into_the_amount_cell_keeps_label_and_amount_apart():
    """西安应急 表1 p3: 「3、机关资本性支出（一）」 is wider than its cell; the clipped 「）」 lies in the
    amount cell, which read 「）104.31」. The centred block headers spilled into the 预算数 cells beside
    them (「部门预预算算数支」), so the three expenditure blocks were not told apart."""
    doc = real(XIAN_YJ)
    table = table_numbered(doc, "表1")
    assert [(c.side, c.label) for c in table.columns[2:]] == [
        ("expense", "支出›支出功能分类科目（按大类）"), ("expense", "支出›预算数"),
        ("expense2", "支出›部门预算支出经济分类科目（按大类）"), ("expense2", "支出›预算数"),
        ("expense3", "支出›政府预算支出经济分类科目（按大类）"), ("expense3", "支出›预算数")]
    assert row_named(table, "expense3", "3、机关资本性支出（一）").values["total"].text == "104.31"
    assert row_named(table, "expense3", "5、对事业单位经常性补助").values["total"].text == "730.29"
    assert row_named(table, "expense2", "1、人员经费和公用经费支出").values["total"].text == "2,022.39"
    findings = run_rule(doc, "T-BAL-004") + run_rule(doc, "T-BAL-006")
    assert not findings, [f.message for f in findings]


@pytest.mark.parametrize("rule,side,name,text", [
    ("T-BAL-004", "expense", "23、灾害防治及应急管理", "3,217.54"),
    ("T-BAL-006", "expense3", "3、机关资本性支出（一）", "140.31"),
])
def test_each_expenditure_block_still_balances_on_its_own(rule, side, name, text):
    doc = copy.deepcopy(real(XIAN_YJ))
    table = table_numbered(doc, "表1")
    row_named(table, side, name).values["total"].quantity = parse_quantity(text, "万元")
    assert [f for f in run_rule(doc, rule) if f.severity == "error"]


# --- 4. a heading listed under several units in a project table -----------------

def test_form_of_a_heading_listed_under_several_units_is_the_sum_of_its_outermost_rows():
    """西安商务 表10 p53–56 (元) lists per unit 通用项目 / 专用项目 headings; 专用项目 is printed under
    263001 (516,183,313, then again as its own sub-level 87,147,143), 263004 (5,869,257) and 263005
    (5,247,000, sub-level 5,097,000). The form on p73 prints 52,729.96 万元 = 516,183,313 + 5,869,257
    + 5,247,000 元."""
    doc = real(XIAN_SW)
    table = next(t for t in doc.tables if t.kind == "project_expenditure")
    rows = [r for r in table.rows if r.name == "专用项目"]
    assert [r.values["total"].text for r in rows] == ["516183313.00", "87147143.00", "5869257.00", "5247000.00", "5097000.00"]
    assert not run_rule(doc, "X-TIE-010")


def test_a_heading_under_several_units_still_fires_when_the_form_differs():
    """Since stop 19 a project printed under several units whose form matches neither one unit's row nor
    their sum is a warning that says which rows the form covers is uncertain (on unseen documents most such
    gaps were misreadings); it is still reported, never silent."""
    doc = copy.deepcopy(real(XIAN_SW))
    table = next(t for t in doc.tables if t.kind == "project_expenditure")
    row = [r for r in table.rows if r.name == "专用项目"][3]
    row.values["total"].quantity = parse_quantity("5347000.00", table.unit)
    fired = [f for f in run_rule(doc, "X-TIE-010") if f.severity in ("error", "warning")]
    assert [f.key for f in fired] == ["project-amount|专用项目"] and "无法确定" in fired[0].message


def test_two_amounts_that_touch_stay_in_their_cells():
    """重庆经信 p10: the digit font's boxes are twice its advance, so 「110,344.65」 and 「101,963.54」 in
    neighbouring cells touch; figures are never moved between cells."""
    doc = real("cn-chongqing_2026_重庆市经济和信息化委员会_部门预算.pdf")
    table = next(t for t in doc.tables if 10 in t.pages and any(r.code == "215" for r in t.rows))
    row = next(r for r in table.rows if r.code == "215")
    assert [c.text for c in row.values.values()][:2] == ["110,344.65", "101,963.54"]
