"""Layout invariance: the same seed drawn in another layout gives the same findings.

samples/build.py draws every seed in layout variants (LAYOUTS): other paper and
margins so that page breaks fall at other rows, other type sizes and row
heights, tables narrow enough that long names wrap inside their cells, and
forced page breaks right before 类 rows, inside 绩效目标表 and between a
table and its 备注 (continuation pages without the title). The findings of
every layout must be the same set, by rule and key, as the reference
layout's; a difference is a reading bug. R-READ-004 (tables joined across
pages) is left out: which tables continue over a page is the layout itself.

Cheap layouts run here; `python bench/mutate.py --layouts` runs every layout
(and the LibreOffice route where it is installed).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLE_NAMES, default_ruleset, need_seeds, sample_builder, seed_text

TEST_LAYOUTS = ["b5", "wrapped", "breaks"]
LAYOUT_ONLY_RULES = {"R-READ-004"}

# Reading bugs a layout shows that are not fixed yet: (sample, layout) -> what goes wrong.
KNOWN = {
    # ("yongdeng-zwfw-2024", "b5") was here: a 目录 entry without a page number wrapped, its last character
    # on a line of its own; outline.unnumbered_tail now joins it to its entry (tests/test_outline.py).
    # ("hanzhong-zwfw-2023", "b5") was here: a form title repeated on the next page is now read as the
    # table continuing (checks/toc.py duplicates), so P-TOC-004 no longer fires on it.
    # ("hanzhong-zwfw-2023", "wrapped") was here: the last page of a form held a single ruled row read as
    # narrative glued to the form's 注, and P-REM-001 was keyed by the glued text; a remnant is now keyed by
    # the words its pattern matched (checks/remnants.remnant_key).
}

_findings: dict[tuple[str, str], dict] = {}


def layout_findings(name: str, layout: str, folder: Path) -> dict:
    if (name, layout) not in _findings:
        from budgetaudit.run.engine import check_document

        builder = sample_builder()
        watermark = next(s["watermark"] for s in builder.SAMPLES.values() if Path(s["name"]).stem == name)
        out = builder.build_pdf(seed_text(name), folder / f"{name}-{layout}.pdf", watermark=watermark, layout=layout)
        result = check_document(out, default_ruleset())
        assert result.status == "checked", result.error
        _findings[(name, layout)] = {(f.rule, f.key): f for f in result.findings if f.rule not in LAYOUT_ONLY_RULES}
    return _findings[(name, layout)]


def describe(findings: dict, keys) -> str:
    return "\n".join(f"  {rule} {findings[(rule, key)].severity}: {findings[(rule, key)].message[:160]}" for rule, key in sorted(keys))


CASES = [pytest.param(name, layout, id=f"{name}-{layout}",
                      marks=[pytest.mark.xfail(strict=True, reason=KNOWN[(name, layout)])] if (name, layout) in KNOWN else [])
         for name in SAMPLE_NAMES for layout in TEST_LAYOUTS]


@pytest.mark.parametrize("name,layout", CASES)
def test_layout_gives_the_reference_findings(name, layout, tmp_path_factory):
    need_seeds()
    folder = tmp_path_factory.mktemp("layouts")
    reference = layout_findings(name, "reference", folder)
    found = layout_findings(name, layout, folder)
    missing, extra = set(reference) - set(found), set(found) - set(reference)
    assert not missing and not extra, (f"{name} in layout {layout}:\nmissing (the reference layout has them):\n{describe(reference, missing)}"
                                       f"\nextra:\n{describe(found, extra)}")


def test_reference_layout_is_the_default_drawing(tmp_path):
    """build_pdf(layout='reference') draws the same bytes as build_pdf() (the shipped samples' layout)."""
    need_seeds()
    builder = sample_builder()
    text = seed_text("dashuju-2024")
    plain = builder.build_pdf(text, tmp_path / "plain.pdf")
    named = builder.build_pdf(text, tmp_path / "named.pdf", layout="reference")
    assert plain.read_bytes() == named.read_bytes()


def test_layouts_move_page_breaks(tmp_path):
    """The variants really draw other pages: a layout that changed nothing would test nothing."""
    need_seeds()
    import pdfplumber

    builder = sample_builder()
    text = seed_text("dashuju-2024")
    pages = {}
    for layout in ("reference", "b5", "breaks"):
        with pdfplumber.open(builder.build_pdf(text, tmp_path / f"{layout}.pdf", layout=layout)) as pdf:
            pages[layout] = [page.extract_text() or "" for page in pdf.pages]
    assert len(pages["b5"]) > len(pages["reference"])
    assert len(pages["breaks"]) > len(pages["reference"])
    # breaks: some page of a table starts right at a 类 row (after the repeated header)
    assert any(any(line.startswith("2") and line[:3].isdigit() and not line[3:4].isdigit() for line in p.splitlines()[:6])
               for p in pages["breaks"])


# --- the reading fixes the layouts led to ------------------------------------------------------

def test_heading_wrapped_onto_two_lines_is_one_section():
    from budgetaudit.ingest.sentences import split_narrative
    from budgetaudit.model.document import Line

    lines = [Line(8, "四、“三公”经费预算情况说明（请注意增减原因要与数字逻辑关系"), Line(8, "相符）"),
             Line(8, "2024年“三公”经费预算数为1.8万元。")]
    sections, sentences = split_narrative(lines)
    assert [s.title for s in sections] == ["四、“三公”经费预算情况说明（请注意增减原因要与数字逻辑关系相符）"]
    assert [s.text for s in sentences] == ["2024年“三公”经费预算数为1.8万元。"]


def test_heading_with_its_bracket_closed_takes_no_next_line():
    from budgetaudit.ingest.sentences import split_narrative
    from budgetaudit.model.document import Line

    sections, sentences = split_narrative([Line(1, "一、收支预算（总体）"), Line(1, "相符）")])
    assert sections[0].title == "一、收支预算（总体）" and sentences[0].text == "相符）"


def _table(title, header, grid, page, kind="income_expenditure_summary"):
    from budgetaudit.model.document import Column, Table

    columns = [Column(i, (h,), h) for i, h in enumerate(header[0])]
    return Table(0, "", title, kind, "万元", "", [page], columns, [], header=header, grid=header + grid)


def test_continuation_whose_first_rows_carry_no_amount_is_joined():
    """Its blank-amount first rows are read as more header rows; its header still starts with the first part's."""
    from budgetaudit.ingest.assemble import is_continuation

    head = [["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"]]
    first = _table("收支总表", head, [["一、财政拨款", "1.00", "一、一般公共服务支出", "1.00"]], 10)
    second = _table("收支总表", head + [["", "", "14、交通运输支出", ""]], [["", "", "15、其他支出", ""]], 11)
    assert is_continuation(first, second)
    other = _table("收支总表", [["项目", "金额", "", ""]], [["合计", "1.00", "", ""]], 11)
    assert not is_continuation(first, other)


def test_continuation_without_the_column_number_row_is_joined():
    from budgetaudit.ingest.assemble import is_continuation

    first = _table("表二、收入总体情况表", [["项目", "预算数"], ["**", "1"]], [["一、财政拨款", "1.00"]], 13)
    second = _table("表二、收入总体情况表", [["项目", "预算数"]], [["十一、上年结余", ""]], 14)
    assert is_continuation(first, second)


def test_continuation_repeating_the_title_without_the_number_is_joined():
    """A template that repeats the title on every page of a table prints the number (表5) only on the first:
    the next page, same title and columns, no number, continues it; another number starts another table."""
    from dataclasses import replace

    from budgetaudit.ingest.assemble import is_continuation

    head = [["科目编码", "科目名称", "合计", "人员经费支出"]]
    first = replace(_table("一般公共预算支出明细表", head, [["208", "社会保障和就业支出", "19.46", "4.46"]], 46), number="表5")
    second = _table("一般公共预算支出明细表", head, [["20805", "行政事业单位养老支出", "4.42", "4.42"]], 47)
    assert is_continuation(first, second)
    assert not is_continuation(first, replace(second, number="表6"))


def _coded(rows):
    from budgetaudit.model.document import Row, Table

    table = Table(0, "表5", "一般公共预算支出表", "general_budget_expenditure", "万元", "", [34], [], [])
    table.rows = [Row(i, 34, name, code) for i, (code, name) in enumerate(rows)]
    return table


def test_two_digit_kuan_code_belongs_under_the_last_category_above_it():
    """类 printed with 3 digits, 项 with 7, the 款 between with its own 2 digits: two 款 「99」 under two
    类 are two rows (20899, 21099), not one code seen twice."""
    from budgetaudit.ingest.assemble import place_short_codes

    table = _coded([("", "合计"), ("208", "社会保障和就业支出"), ("99", "其他社会保障和就业支出"), ("2089901", "其他社会保障和就业支出"),
                    ("210", "卫生健康支出"), ("11", "行政事业单位医疗"), ("2101101", "行政单位医疗"),
                    ("99", "其他卫生健康支出"), ("2109901", "其他卫生健康支出")])
    place_short_codes(table)
    assert [r.code for r in table.rows] == ["", "208", "20899", "2089901", "210", "21011", "2101101", "21099", "2109901"]


def test_two_digit_codes_stay_as_printed_without_seven_digit_items():
    """Where 项 are not printed with 7 digits a 2-digit code may be a 项 or a 款: left as printed."""
    from budgetaudit.ingest.assemble import place_short_codes

    table = _coded([("208", "社会保障和就业支出"), ("05", "行政事业单位养老支出"), ("01", "行政单位离退休")])
    place_short_codes(table)
    assert [r.code for r in table.rows] == ["208", "05", "01"]


def test_table_title_wrapped_onto_two_lines_is_read_whole():
    """A title whose bracketed qualifier wraps onto the next line, and one wrapped before its last words
    (the first line opening with the year, the second ending in 表): each is one title."""
    from budgetaudit.ingest.assemble import read_context
    from budgetaudit.model.document import Line

    qualifier = [Line(46, "表5", 56), Line(46, "2021年部门综合预算一般公共预算支出明细表", 69),
                 Line(46, "（按支出功能分类科目-不含上年结转）", 88), Line(46, "预算单位：某某局 单位：元", 107)]
    assert read_context(qualifier)[:3] == ("2021年部门综合预算一般公共预算支出明细表（按支出功能分类科目-不含上年结转）", "表5", "元")
    words = [Line(77, "表13", 652), Line(77, "2021年部门综合预算一般公共预算拨款“三公”经费及", 666),
             Line(77, "会议费、培训费支出预算表（不含上年结转）", 688)]
    assert read_context(words)[:2] == ("2021年部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表（不含上年结转）", "表13")


def test_a_line_of_a_wrapped_title_names_its_table_in_the_outline():
    """The outline reads titles line by line: a line that is part of a table's (wrapped) title on its page
    is that table's heading, with the whole title, even where the kind is not recognised."""
    from budgetaudit.ingest.outline import heading_at
    from budgetaudit.model.document import Document, Line

    table = _table("2021年部门综合预算一般公共预算支出明细表（按支出功能分类科目-不含上年结转）", [["科目编码", "合计"]], [["201", "1.00"]], 46,
                   kind="unknown")
    table.number = "表5"
    lines = [Line(46, "表5", 56), Line(46, "2021年部门综合预算一般公共预算支出明细表", 69), Line(46, "（按支出功能分类科目-不含上年结转）", 88)]
    doc = Document("x.pdf", 46, lines, [table])
    heading = heading_at(doc, default_ruleset().catalog, 1, set())
    assert heading is not None and heading.table is table and heading.number == 5
    assert heading.title == "2021年部门综合预算一般公共预算支出明细表（按支出功能分类科目-不含上年结转）"


def test_full_width_digits_in_a_title_match_the_toc():
    from budgetaudit.vocabulary.layout_patterns import norm_title

    assert norm_title("２０２１年部门综合预算收支总表") == norm_title("2021年部门综合预算收支总表")


def test_a_table_not_including_carryover_is_not_the_carryover_table():
    assert default_ruleset().catalog.classify("2021年部门综合预算一般公共预算支出明细表（按支出经济分类科目-不含上年结转）") != "carryover"


def test_prose_above_a_table_is_not_the_first_line_of_its_title():
    """A clause that ends in a comma (…预算批复金额13,237万元，) above a table title starting without a year is
    prose, not the first line of a wrapped title."""
    from budgetaudit.ingest.assemble import read_context
    from budgetaudit.model.document import Line

    title = read_context([Line(7, "2020年国企改革稳定专项资金预算批复金额13,237万元，"), Line(7, "项目支出情况表")])[0]
    assert title == "项目支出情况表"
    wrapped = read_context([Line(7, "2021年一般公共预算“三公”经费及"), Line(7, "会议费培训费支出预算表")])[0]
    assert wrapped == "2021年一般公共预算“三公”经费及会议费培训费支出预算表"
