"""The pure helpers behind the table checks, on rows as the reader builds them."""
from __future__ import annotations

from budgetaudit.checks.base import top_level_rows
from budgetaudit.checks.gate.remnants import any_remnant
from budgetaudit.checks.table.arithmetic import numbered_rows
from budgetaudit.model.document import Cell, Row, Table
from budgetaudit.model.quantity import parse_quantity


def row(index: int, name: str, amount: str = "", code: str = "") -> Row:
    values = {"total": Cell(amount, parse_quantity(amount, "万元"), 1, "合计")} if amount else {}
    return Row(index, 1, name, code, "", values)


def table(rows: list[Row]) -> Table:
    return Table(1, "表1", "收支总表", "income_expenditure_summary", "万元", "", [1], [], rows)


def test_top_level_rows_are_the_categories():
    rows = [row(0, "工资福利支出", "10", "301"), row(1, "基本工资", "10", "30101"), row(2, "商品和服务支出", "5", "302")]
    assert [r.code for r in top_level_rows(rows)] == ["301", "302"]


def test_top_level_rows_refuse_a_cross_classified_table():
    """501 › 301 › 30101 and 505 › 301: summing the top level would count 301 twice."""
    rows = [row(0, "机关工资福利支出", "10", "501"), row(1, "工资福利支出", "10", "301"), row(2, "基本工资", "10", "30101"),
            row(3, "对事业单位经常性补助", "5", "505"), row(4, "工资福利支出", "5", "301")]
    assert top_level_rows(rows) == []


def test_numbered_parts_stop_at_the_total():
    """A blank heading's sub-lines are looked for above the total only (上年结转 … below it is not a part)."""
    rows = [row(0, "一、一般公共预算拨款收入", "100"), row(1, "二、政府性基金预算拨款收入"), row(2, "本年收入", "100"),
            row(3, "上年结转"), row(4, "（一）一般公共预算拨款", "5")]
    parts = numbered_rows(table(rows), "", rows[2])
    assert [p.name for p in parts] == ["一、一般公共预算拨款收入", "二、政府性基金预算拨款收入"]


def test_blank_heading_line_stands_for_its_sub_lines():
    rows = [row(0, "一、部门预算"), row(1, "1、人员经费和公用经费支出", "187"), row(2, "2、专项业务经费支出"),
            row(3, "(1)商品和服务支出", "37.5"), row(4, "(2)资本性支出", "1"), row(5, "本年支出合计", "225.9")]
    parts = numbered_rows(table(rows), "", rows[5])
    assert [p.name for p in parts] == ["1、人员经费和公用经费支出", "(1)商品和服务支出", "(2)资本性支出"]


def test_remnant_first_pass_is_off_for_patterns_with_group_references():
    assert any_remnant([{"pattern": "(?:(请)填写)"}, {"pattern": r"(.)\1{3}"}]) is None
    assert any_remnant([{"pattern": "请填写"}, {"pattern": "XX"}]).search("本项XX万元")


def test_an_item_counts_toward_its_nearest_printed_ancestor():
    """3010201 is a child of 30102 when 30102 is printed, of 301 when it is not."""
    from budgetaudit.checks.table.arithmetic import children_of

    with_section = [row(0, "工资福利支出", "10", "301"), row(1, "津贴补贴", "6", "30102"), row(2, "津贴", "6", "3010201"),
                    row(3, "基本工资", "4", "30101")]
    assert [r.code for r in children_of(with_section[0], with_section)] == ["30102", "30101"]
    assert [r.code for r in children_of(with_section[1], with_section)] == ["3010201"]
    without = [r for r in with_section if r.code != "30102"]
    assert [r.code for r in children_of(without[0], without)] == ["3010201", "30101"]
    unit = [row(0, "某单位", "10", "125001")] + without  # a unit's code in the code column is no category
    assert children_of(unit[0], unit) == []


def test_outermost_rows_skip_a_heading_repeated_as_its_own_sub_level():
    from budgetaudit.checks.cross.forms import outermost

    rows = [row(0, "西安市商务局", "100"), row(1, "专用项目", "90"), row(2, "专用项目", "60"), row(3, "某项目", "60"),
            row(4, "某学院", "10"), row(5, "专用项目", "10"), row(6, "其他", "10"), row(7, "专用项目", "12")]
    t = table(rows)
    same = [(t, r) for r in rows if r.name == "专用项目"]
    assert [r.index for _, r in outermost(same, "total")] == [1, 5, 7]  # 2 is under 1; 7 follows a different row
    pair = [row(0, "甲", "5"), row(1, "甲", "8")]  # a larger amount right below is no sub-level
    t = table(pair)
    assert [r.index for _, r in outermost([(t, r) for r in pair], "total")] == [0, 1]
