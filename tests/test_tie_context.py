"""Cross-table ties compare one context with the same context (issue 22, "Compare only like with like"):
a table grouped by unit is the department only as the sum of its units' blocks, and a table whose title
names a fund scope ties only with a figure of that scope."""
from __future__ import annotations

from pathlib import Path

import yaml
from conftest import checked, fired, real2_path

from budgetaudit.model.document import Cell, Column, Document, Row, Table
from budgetaudit.model.quantity import parse_quantity

VERDICTS = Path(__file__).resolve().parent / "real" / "verdicts.yaml"


def cells(page: int, **values: str) -> dict[str, Cell]:
    return {k: Cell(v, parse_quantity(v, "万元"), page, k) for k, v in values.items()}


def row(index: int, name: str = "", code: str = "", side: str = "", **values: str) -> Row:
    return Row(index, 1, name, code, side, cells(1, **values))


def columns(*keys: str) -> list[Column]:
    return [Column(i, (k,), k) for i, k in enumerate(keys)]


def summary(education: str) -> Table:
    """收支总表, expenditure side: 教育支出 by name."""
    rows = [row(0, "教育支出", side="expense", total=education)]
    return Table(1, "表1", "收支总表", "income_expenditure_summary", "万元", "某部门", [1], columns("name", "total"), rows)


def per_unit_expenditure(unit_figures: list[str]) -> Table:
    """支出总表 grouped by 预算单位: the department's row, then one block per unit with its own 205 rows."""
    total = str(sum(float(f) for f in unit_figures))
    rows = [row(0, **{"预算单位": "某部门", "total": total})]
    for i, figure in enumerate(unit_figures):
        rows.append(row(len(rows), **{"预算单位": f"单位{i}", "total": figure}))
        rows.append(row(len(rows), "教育支出", "205", total=figure))
        rows.append(row(len(rows), "进修及培训", "20508", total=figure))
    return Table(2, "表3", "支出总表", "expenditure_summary", "万元", "某部门", [2], columns("预算单位", "code", "name", "total"), rows)


def test_a_category_of_a_table_grouped_by_unit_is_the_sum_of_the_units_blocks():
    doc = Document("x.pdf", 2, [], [summary("28.00"), per_unit_expenditure(["13.36", "7.59", "7.05"])])
    assert fired(doc, "X-TIE-001") == []  # 本级 13.36 alone is not the department's 205


def test_a_category_of_a_table_grouped_by_unit_still_ties_to_the_department_figure():
    doc = Document("x.pdf", 2, [], [summary("28.00"), per_unit_expenditure(["13.36", "7.59", "7.50"])])
    found = fired(doc, "X-TIE-001")
    assert [f.severity for f in found] == ["error"]
    assert "3 个单位之和" in found[0].message and "0.45" in found[0].difference


def scoped_tables(general_budget_project: str) -> list[Table]:
    project = Table(1, "表7", "一般公共预算项目支出情况表", "project_expenditure", "万元", "", [1], columns("name", "total"),
                    [row(0, "合计", total="1,032.05"), row(1, "办公费", total="1,032.05")])
    expenditure = Table(2, "表3", "本年支出总体情况表", "expenditure_summary", "万元", "", [2], columns("code", "name", "total", "basic", "project"),
                        [row(0, "合计", total="9,483.72", basic="8,401.67", project="1,082.05")])
    general = Table(3, "表5", "一般公共预算支出情况表", "general_budget_expenditure", "万元", "", [3], columns("name", "total", "basic", "project"),
                    [row(0, "合计", total="9,433.72", basic="8,401.67", project=general_budget_project)])
    return [project, expenditure, general]


def test_a_general_budget_project_table_ties_with_the_general_budget_project_column():
    doc = Document("x.pdf", 3, [], scoped_tables("1,032.05"))
    assert fired(doc, "X-TIE-009") == []  # the all-funds 1,082.05 holds 50.00 of other funds


def test_a_general_budget_project_table_that_disagrees_with_its_own_scope_is_an_error():
    doc = Document("x.pdf", 3, [], scoped_tables("1,023.05"))
    found = fired(doc, "X-TIE-009")
    assert [f.severity for f in found] == ["error"] and "表5" in found[0].message


def test_a_scoped_project_table_with_no_table_of_its_scope_is_not_compared():
    tables = scoped_tables("1,032.05")[:2]
    doc = Document("x.pdf", 2, [], tables)
    assert fired(doc, "X-TIE-009") == []


def true_keys(stem: str) -> set[tuple[str, str]]:
    entries = yaml.safe_load(VERDICTS.read_text(encoding="utf-8"))
    return {(e["rule"], str(e["key"])) for e in entries if e["file"] == stem and str(e["verdict"]).upper() == "TRUE"}


def errors_of(path: Path) -> set[tuple[str, str]]:
    report = checked(str(path))
    found = {(f.rule, f.key) for f in report.findings if f.severity == "error"}
    return found | {(m["rule"], m["key"]) for f in report.findings for m in f.merged if m["severity"] == "error"}


def test_real_page_per_unit_expenditure_table_ties_by_the_sum_of_its_units():
    stem = "cn-shenzhen_2026_深圳市建筑工务署_部门预算"
    errors = errors_of(real2_path(stem))
    assert not [e for e in errors if e[0] == "X-TIE-001"]
    assert true_keys(stem) <= errors


def test_real_page_general_budget_project_table_is_not_tied_with_all_funds():
    stem = "cn-guangzhou_2026_广州市民政局_部门预算"
    errors = errors_of(real2_path(stem))
    assert not [e for e in errors if e[0] == "X-TIE-009"]
    assert true_keys(stem) <= errors


def form(index: int, name: str, amount: str) -> Table:
    """A 项目绩效目标表 (label | value form) stating the project's 年度资金总额 in 万元."""
    grid = [["项目名称", name], ["年度资金总额（万元）", amount]]
    return Table(index, "", "项目支出绩效目标表", "performance_targets", "万元", "", [9], columns("a", "b"), [], grid=grid)


def project_table(rows: list[tuple[str, str, str]]) -> Table:
    """项目支出表 in 元, with a 单位编码 column: (unit code, name, amount) per row."""
    built = [Row(i, 8, name, "", "", cells(8, **{"单位编码": unit, "total": amount})) for i, (unit, name, amount) in enumerate(rows)]
    for r in built:
        for c in r.values.values():
            c.quantity = parse_quantity(c.text, "元") if c.column == "total" else None
    return Table(1, "表10", "专项业务经费支出表", "project_expenditure", "元", "", [8], columns("单位编码", "name", "total"), built)


def test_a_project_row_followed_by_its_carryover_row_ties_with_a_form_covering_both():
    projects = project_table([("", "审计业务经费", "1,981,827.50"), ("", "专项补助经费", "1,000,000.00"), ("", "专项补助经费（结转）", "981,827.50")])
    doc = Document("x.pdf", 9, [], [projects, form(2, "专项补助经费", "198.18")])
    assert fired(doc, "X-TIE-010") == []


def test_a_project_row_followed_by_its_funding_parts_ties_with_a_form_covering_all():
    projects = project_table([("", "考试考务", "3,607,700.00"), ("", "资格考试", "1,957,700.00"), ("", "资格考试（省级）", "220,000.00"),
                              ("", "资格考试（中央）", "1,430,000.00")])
    doc = Document("x.pdf", 9, [], [projects, form(2, "资格考试", "360.77")])
    assert fired(doc, "X-TIE-010") == []


def units_table(other_project: str) -> Table:
    return project_table([("合计", "", "1,000,000.00"), ("153", "某部门", "1,000,000.00"), ("153001", "某部门", "600,000.00"),
                          ("", "业务费", "100,000.00"), ("", "其他项目", other_project), ("153002", "某单位", "400,000.00"), ("", "业务费", "200,000.00")])


def test_a_project_listed_under_several_units_against_a_department_form_is_a_reading_question():
    doc = Document("x.pdf", 9, [], [units_table("500,000.00"), form(2, "业务费", "45.00")])
    found = fired(doc, "X-TIE-010")
    assert [f.severity for f in found] == ["warning"]
    assert "2 个单位" in found[0].message and "300000" in found[0].actual.replace(",", "")


def test_a_department_form_stating_another_projects_amount_stays_an_error():
    doc = Document("x.pdf", 9, [], [units_table("450,000.00"), form(2, "业务费", "45.00")])
    found = fired(doc, "X-TIE-010")
    assert [f.severity for f in found] == ["error"] and "其他项目" in found[0].message


def test_real_page_project_carryover_row_is_part_of_the_project():
    stem = "cn-xian_2026_西安市审计局_部门预算"
    errors = errors_of(real2_path(stem))
    assert ("X-TIE-010", "project-amount|审计专项补助经费") not in errors
    assert true_keys(stem) <= errors


def test_real_page_projects_summed_over_units_are_reading_questions_and_a_copied_name_stays():
    police = "cn-xian_2026_西安市公安局_部门预算"
    errors = errors_of(real2_path(police))
    for name in ("办公用房物业管理服务项目", "公安业务装备", "业务费", "一般办案费"):
        assert ("X-TIE-010", f"project-amount|{name}") not in errors
    assert true_keys(police) <= errors
    justice = "cn-xian_2026_西安市司法局_部门预算"
    errors = errors_of(real2_path(justice))
    assert ("X-TIE-010", "project-amount|国家统一法律职业资格考试") not in errors
    assert ("X-TIE-010", "project-amount|司法行政业务培训") in errors and true_keys(justice) <= errors
