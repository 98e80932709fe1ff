"""Gate rules read wording the way a reader does (real2 first look, classes scenario/last-year-reference,
vocabulary, toc-empty-reason-column): a year that names the comparison base is no wrong year, a draft
word inside running prose or a named work product is no draft mark, and a 目录 that marks a table
empty with a reason explains it. Each class: a synthetic case, then a real2 page of the class."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from conftest import default_ruleset, fired, parsed, real2_path

from budgetaudit.ingest.assemble import build_document
from budgetaudit.model.document import Document, Line, Row, Sentence, Table
from budgetaudit.run.engine import run_rules


def on_text(rule_id, *texts, cover="2026年部门预算"):
    """A two-page document: the cover, then one sentence per text on page 2."""
    doc = Document("x.pdf", 2, [Line(1, cover, size=20)] + [Line(2, t) for t in texts], [],
                   sentences=[Sentence(2, "", t) for t in texts])
    return [(f.expected, f.actual) for f in fired(doc, rule_id)]


@lru_cache(maxsize=None)
def errors_of(stem: str) -> set[tuple[str, str]]:
    """(rule, key) of every error finding the default rules give on a real2 document."""
    findings = run_rules(parsed(str(real2_path(stem))), default_ruleset())[0]
    own = {(f.rule, f.key) for f in findings if f.severity == "error"}
    return own | {(m["rule"], m["key"]) for f in findings for m in f.merged if m["severity"] == "error"}


# --- P-ID-002: a year that names the comparison base -------------------------------

@pytest.mark.parametrize("texts", [
    # the change explained in the next sentence: last year's budget named on purpose
    ("2026年收入预算105556.81万元，比2025年年初预算数122211.18万元减少16654.37万元。", "主要原因是2025年收入预算中包含结转资金。"),
    # the explanation in the same sentence, after the comparison with 上年
    ("本部门当年机关运行经费预算安排966.16万元，较上年增加165.09万元，主要原因是2025年机关运行经费预算下达时有一定比例的压减。",),
    ("“三公”经费预算支出203.31万元，较上年增加185.24万元，增加的主要原因是2025年“三公”经费预算中未列入公务用车运行维护费。",),
])
def test_last_years_budget_in_the_explanation_of_a_change_is_no_wrong_year(texts):
    assert on_text("P-ID-002", *texts) == []
    assert on_text("N-YEAR-001", *texts) == []


@pytest.mark.parametrize("text, found", [
    ("2025年“三公”经费预算13.85万元,比2025年减少5.45万元。", ("2026", "2025")),  # this year's figure labelled last year
    ("2025年部门收入预算100万元，比上年增加10万元。", ("2026", "2025")),  # the subject of the comparison
    ("主要原因是2024年收入预算中包含结转资金。", ("2026", "2024")),  # not the year before: no base of a change against last year
])
def test_a_wrong_year_outside_the_comparison_base_still_fires(text, found):
    assert on_text("P-ID-002", text) == [found]


def test_real2_reason_clause_naming_last_year_is_not_a_year_error():
    """p20: 「较上年增加185.24…增加的主要原因是2021年“三公”经费预算中未列入…」 in a 2022 budget."""
    errors = errors_of("cn-xian_2026_西安市生态环境局_部门预算")
    assert not [key for rule, key in errors if rule == "P-ID-002"]
    assert ("X-TIE-010", "project-amount|监理处渭河流域入河排污口无人机排查") in errors  # reviewed TRUE


# --- P-DRAFT-001: a draft mark stands alone ------------------------------------------

def draft_pages(lines, sentences=(), tables=()):
    """P-DRAFT-001's pages on a document of page-2 lines (and sentences) after a cover."""
    doc = Document("x.pdf", 9, [Line(1, "2026年部门预算", size=20)] + [Line(2, t) for t in lines], list(tables),
                   sentences=[Sentence(2, "", t) for t in sentences])
    return [(f.actual, [loc.page for loc in f.locations]) for f in fired(doc, "P-DRAFT-001")]


@pytest.mark.parametrize("line", ["某某局2026年部门预算（征求意见稿）", "征求意见稿", "内部资料注意保存", "2026年部门预算送审稿"])
def test_a_mark_standing_alone_fires(line):
    assert draft_pages([line])


@pytest.mark.parametrize("lines, sentences", [
    (["用于对限额以上项目进行造价内部审核及复核抽查管理；"], []),  # a project description
    (["完成《某某含量的限值（征求意见稿）》编制"], []),  # a cited title
    (["完成某某限值等几项（征求意见稿）及编制说明"], []),  # a named work product
    (["进行造价内部审核"], ["造价管理453.82万元，用于对限额以上项目进行造价内部审核及复核抽查管理；"]),  # a wrapped line of a sentence
])
def test_a_draft_word_in_prose_is_no_mark(lines, sentences):
    assert draft_pages(lines, sentences) == []


def test_a_mark_in_a_cell_is_reported_on_the_page_of_its_row():
    """A form merged over pages 3–5: the cell's row is printed on page 5, not the table's first page."""
    grid = [["项目名称", "某某项目"], ["绩效目标", "完成某某工作"], ["备注", "征求意见稿"]]
    rows = [Row(0, 3, "项目名称"), Row(1, 4, "绩效目标"), Row(2, 5, "备注")]
    table = Table(0, "表1", "项目支出绩效目标表", "performance_targets", "", "", [3, 4, 5], [], rows, [], grid)
    assert draft_pages([], tables=[table]) == [("征求意见稿", [5])]


def test_real2_work_product_in_a_form_cell_is_no_draft_mark():
    """A 绩效 cell: 「完成《…》《…》等几项（征求意见稿）及编制说明；…」 names drafts the unit produces."""
    errors = errors_of("cn-shenzhen_2026_深圳市生态环境局_部门预算")
    assert not [key for rule, key in errors if rule == "P-DRAFT-001"]
    assert errors, "the document's other findings are still read"


# --- P-EMPTY-001: a 目录 with a 是否空表 / 公开空表理由 column -------------------------------

def toc_table_pdf(path, tilt: float) -> Path:
    """A 目录 printed as a ruled table; the reason of the empty table typed at `tilt` degrees,
    and a 45° watermark across the page."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    page = canvas.Canvas(str(path), pagesize=(842, 595))
    page.setFont("STSong-Light", 14)
    page.drawString(400, 540, "目录")
    page.setFont("STSong-Light", 9)
    xs, top, height = [54, 117, 460, 507, 781], 510, 18
    rows = [["报表", "报表名称", "是否空表", "公开空表理由"], ["表1", "2026年部门收支总表", "", ""],
            ["表2", "2026年政府性基金预算支出表", "是", "不涉及"]]
    for r, row in enumerate(rows):
        y = top - r * height
        for c, text in enumerate(row):
            page.saveState()
            page.translate(xs[c] + 4, y - 13)
            if (r, c) == (2, 3):
                page.rotate(tilt)
            page.drawString(0, 0, text)
            page.restoreState()
    for r in range(len(rows) + 1):
        page.line(xs[0], top - r * height, xs[-1], top - r * height)
    for x in xs:
        page.line(x, top, x, top - len(rows) * height)
    page.saveState()
    page.setFillGray(0.85)
    page.setFont("STSong-Light", 40)
    page.translate(300, 150)
    page.rotate(45)
    page.drawString(0, 0, "内部水印")
    page.restoreState()
    page.showPage()
    page.save()
    return path


@pytest.mark.parametrize("tilt", [0, 1])
def test_a_reason_typed_askew_in_the_toc_table_is_read(tmp_path, tilt):
    """A reason cell set at a degree's tilt is text (the 目录's 公开空表理由 explains the empty
    table); the 45° watermark is still no text."""
    doc = build_document(toc_table_pdf(tmp_path / "toc.pdf", tilt), default_ruleset().catalog)
    reasons = {entry.number: entry.empty_reason for entry in doc.outline.toc}
    assert reasons == {1: "", 2: "不涉及"}
    assert "内部水印" not in "".join(line.text for line in doc.lines)


def test_real2_toc_reason_column_explains_the_empty_table():
    """p35 目录 table: 「表11 …上年结转资金支出表 是 不涉及」, the reason printed a degree askew."""
    errors = errors_of("cn-xian_2026_西安市住房和建设局_部门预算")
    assert not [key for rule, key in errors if rule == "P-EMPTY-001"]
    assert errors, "the document's other findings are still read"


# --- a table number glued to its title (issue 24, item 4) ---------------------------------

def titled_table_pdf(path, title: str) -> Path:
    """One page: `title` on a line, 单位：万元, and a small ruled table under it."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    page = canvas.Canvas(str(path), pagesize=(595, 842))
    page.setFont("STSong-Light", 14)
    page.drawString(120, 780, title)
    page.setFont("STSong-Light", 9)
    page.drawString(450, 755, "单位：万元")
    xs, top, height = [60, 140, 400, 530], 745, 20
    rows = [["科目编码", "科目名称", "合计"], ["301", "工资福利支出", "100.00"], ["302", "商品和服务支出", "20.00"], ["", "合计", "120.00"]]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            page.drawString(xs[c] + 4, top - r * height - 14, text)
    for r in range(len(rows) + 1):
        page.line(xs[0], top - r * height, xs[-1], top - r * height)
    for x in xs:
        page.line(x, top, x, top - len(rows) * height)
    page.showPage()
    page.save()
    return path


@pytest.mark.parametrize("title, number", [
    ("表6 一般公共预算基本支出表", "表6"),
    ("表6一般公共预算基本支出表", "表6"),
    ("表十一般公共预算基本支出表", "表十"),  # the 一 of 一般 is the title's
    ("表十一 一般公共预算基本支出表", "表十一"),
])
def test_a_table_number_glued_to_its_title_is_read(tmp_path, title, number):
    doc = build_document(titled_table_pdf(tmp_path / "t.pdf", title), default_ruleset().catalog)
    assert [(t.number, t.kind) for t in doc.tables] == [(number, "basic_expenditure_economic")]
