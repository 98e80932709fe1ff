"""Ingest on the five sample PDFs: tables recognised with kind and unit, and
cells read exactly as the seeds print them (merged across pages, under the watermark)."""
import pytest
from conftest import SAMPLE_NAMES, parsed, sample

# (number as printed, kind, unit) of every standard table each seed holds.
EXPECTED_TABLES = {
    "anshan-zwfwzx-2025": [("表1", "income_expenditure_summary", "万元"), ("表3", "expenditure_summary", "万元"),
                           ("表4", "fiscal_summary", "万元"), ("表5", "general_budget_expenditure", "万元"),
                           ("表6", "basic_expenditure_economic", "万元"), ("表17", "performance_overall", "万元"),
                           ("表18", "performance_targets", "万元")],
    "dashuju-2024": [("表1", "income_expenditure_summary", "万元"), ("表3", "expenditure_summary", "万元"),
                     ("表4", "fiscal_summary", "万元"), ("表5", "general_budget_expenditure", "万元"),
                     ("表6", "basic_expenditure_economic", "万元"), ("表7", "sangong", "万元"), ("表14", "debt_expenditure", "万元"),
                     ("表15", "procurement", "万元"), ("表16", "purchase_services", "万元"), ("表17", "performance_overall", "万元"),
                     ("表18", "performance_targets", "万元")],
    "yongdeng-zwfw-2024": [("表一", "income_expenditure_summary", "万元"), ("表二", "income_summary", "万元"),
                           ("表三", "expenditure_summary", "万元"), ("表四", "fiscal_summary", "万元"), ("表五", "fiscal_expenditure", "万元"),
                           ("表六", "general_budget_expenditure", "万元"), ("表七", "basic_expenditure_economic", "万元"),
                           ("表八", "sangong", "万元"), ("表九", "operating_costs", "万元"), ("表十", "gov_fund_expenditure", "万元"),
                           ("表十一", "transfer_payments", "万元"), ("表十二", "state_capital_expenditure", "万元")],
    "hanzhong-zwfw-2023": [("", "income_expenditure_summary", "元"), ("表4", "fiscal_summary", "元"),
                           ("表5", "general_budget_expenditure", "元"), ("表6", "general_budget_economic", "元"),
                           ("表7", "basic_expenditure_function", "元"), ("表8", "basic_expenditure_economic", "元"),
                           ("", "gov_fund_expenditure", "元"), ("表10", "project_expenditure", "元")],
    "yangcheng-zwfw-2025": [("预算公开表1", "income_expenditure_summary", "万元"), ("", "income_summary", "万元"),
                            ("", "expenditure_summary", "万元"), ("", "fiscal_summary", "万元"), ("", "general_budget_expenditure", "万元"),
                            ("", "basic_expenditure_economic", "万元"), ("", "gov_fund_expenditure", "万元"),
                            ("", "state_capital_expenditure", "万元"), ("", "sangong", "万元"), ("", "operating_costs", "万元"),
                            ("", "project_expenditure", "万元"), ("表十四", "purchase_services", "元")],
}

# (sample, table kind, row code or name, column key, printed text)
EXPECTED_CELLS = [
    ("dashuju-2024", "expenditure_summary", "2159999", "total", "885.46"),  # on the continuation page
    ("dashuju-2024", "expenditure_summary", "2210203", "total", "80.33"),
    ("dashuju-2024", "expenditure_summary", "合计", "personnel", "1,289.27"),
    ("dashuju-2024", "general_budget_expenditure", "合计", "basic", "1,378.58"),
    ("dashuju-2024", "basic_expenditure_economic", "30239", "personnel", "33.58"),
    ("dashuju-2024", "basic_expenditure_economic", "30231", "public", "1.80"),
    ("dashuju-2024", "sangong", None, "sangong_vehicle_operation", "1.80"),
    ("dashuju-2024", "income_expenditure_summary", "一、一般公共预算拨款收入", "total", "2,317.04"),
    ("anshan-zwfwzx-2025", "expenditure_summary", "2014199", "project", "159.10"),
    ("anshan-zwfwzx-2025", "basic_expenditure_economic", "30239", "personnel", "8.46"),
    ("yangcheng-zwfw-2025", "general_budget_expenditure", "2101103", "total", "5.00"),  # under the watermark
    ("yangcheng-zwfw-2025", "general_budget_expenditure", "合计", "total", "472.01"),
    ("yangcheng-zwfw-2025", "project_expenditure", "招投标业务费", "total", "23.00"),
    ("yangcheng-zwfw-2025", "sangong", "公务接待费", "total", "0.30"),
    ("yongdeng-zwfw-2024", "income_expenditure_summary", "收入总计", "total", "137.05"),
    ("hanzhong-zwfw-2023", "basic_expenditure_economic", "30299", "total", "5000"),
]


def find_cell(doc, kind, row_key, column):
    table = next(t for t in doc.tables if t.kind == kind)
    for row in table.rows:
        if row_key is None or row.code == row_key or row.name == row_key:
            if column in row.values and row.values[column].text:
                return row.values[column]
    raise AssertionError(f"no cell {kind}/{row_key}/{column}")


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_standard_tables_recognised_with_unit(name):
    doc = parsed(str(sample(name)))
    found = {(t.number, t.kind, t.unit) for t in doc.tables}
    missing = [t for t in EXPECTED_TABLES[name] if t not in found]
    assert not missing, f"{name}: not recognised: {missing}"


@pytest.mark.parametrize("name, kind, row_key, column, text", EXPECTED_CELLS)
def test_cells_read_exactly(name, kind, row_key, column, text):
    cell = find_cell(parsed(str(sample(name))), kind, row_key, column)
    assert cell.text == text


def test_table_split_over_pages_is_merged():
    doc = parsed(str(sample("dashuju-2024")))
    table = next(t for t in doc.tables if t.kind == "expenditure_summary")
    assert table.pages == [13, 14]
    codes = [r.code for r in table.rows if r.code]
    assert codes.count("2159999") == 1 and codes.count("221") == 1
    assert len(table.rows) == 20


def test_merged_header_resolved_to_column_path():
    doc = parsed(str(sample("dashuju-2024")))
    table = next(t for t in doc.tables if t.kind == "general_budget_expenditure")
    paths = {c.key: c.path for c in table.columns}
    assert paths["personnel"] == ("本年一般公共预算支出", "基本支出", "人员经费")
    assert paths["basic"] == ("本年一般公共预算支出", "基本支出", "小计")


def test_watermark_removed_from_text_and_cells():
    doc = parsed(str(sample("yangcheng-zwfw-2025")))
    assert doc.watermarks == ["仅供内部审核"]
    assert not any("仅供" in line.text for line in doc.lines)
    assert not any("仅供" in cell for t in doc.tables for row in t.grid for cell in row)


def test_empty_table_with_its_note():
    doc = parsed(str(sample("dashuju-2024")))
    debt = next(t for t in doc.tables if t.kind == "debt_expenditure")
    assert debt.is_empty and "如此表为空表" in debt.empty_note


def test_narrative_sections_and_figures():
    doc = parsed(str(sample("dashuju-2024")))
    titles = [s.title for s in doc.sections]
    assert "一、收支预算的总体说明" in titles and "第四部分部门（单位）预算情况说明" in titles
    sentence = next(s for s in doc.sentences if "人员经费（即工资福利支出与对个人和家庭补助支出之和）" in s.text)
    assert [str(q) for q in sentence.figures][:1] == ["1255.69万元"]
    assert sentence.page > 0
