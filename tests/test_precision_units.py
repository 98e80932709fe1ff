"""Small, document-free tests of the mechanisms that keep misreadings from being errors
(the real pages where each class was seen are in tests/real/test_precision.py)."""
from __future__ import annotations

from budgetaudit.checks import load_rules
from budgetaudit.checks.common import meaning, same_meaning
from budgetaudit.checks.cross.forms import names_alone
from budgetaudit.checks.gate.remnants import hit_sentences, stands_as_mark
from budgetaudit.ingest.doctype import is_disclosure
from budgetaudit.ingest.facts import bracketed
from budgetaudit.model.document import Document, Line

SIGNATURES = ["部门预算", "预算公开", "决算情况说明"]
PHRASES = load_rules().phrases  # the layout vocabulary ships in rules/phrases.yaml
VARYING = PHRASES["title_varying_words"]
JOINERS = tuple(PHRASES["joint_label_words"])


def document(*texts: str, page: int = 1) -> Document:
    return Document("x.pdf", 3, [Line(page, t) for t in texts], [])


def test_a_notice_is_not_a_disclosure():
    assert not is_disclosure(document("巡 察 通 告", "按照市委统一部署，市委第三巡察组……"), SIGNATURES)
    assert is_disclosure(document("北京市司法局", "2026 年度部门预算信息公开"), SIGNATURES)
    assert not is_disclosure(document("部门预算", page=9), SIGNATURES)  # only the opening pages say what a file is
    assert is_disclosure(document("任何文字"), [])  # without a signature list nothing is excluded


def test_draft_marks_label_the_document_not_prose():
    from budgetaudit.checks.base import Context

    ctx = Context(document("送审稿"), load_rules())
    assert stands_as_mark(ctx, "送审稿", "送审稿")
    assert stands_as_mark(ctx, "2026年部门预算公开（送审稿）", "送审稿")  # the title block
    assert not stands_as_mark(ctx, "完成2025年度地方志资料年报送审稿成果的编撰，按时报送市地方志办公室审核并归档保存备查", "送审稿")


def test_remnants_are_reported_by_their_sentence():
    glued = "第3页，共45页第4页，共45页一级指标二级指标备注：1、年度绩效指标可选择填写。2、市级部门必须公开。"
    specs = [{"pattern": "可选择填写"}]
    assert hit_sentences(specs, glued, PHRASES["page_footer"]) == "一级指标二级指标备注：1、年度绩效指标可选择填写。"
    assert hit_sentences([{"pattern": "原因是。"}], "主要原因是。") == "主要原因是。"


def test_titles_match_by_meaning_not_by_a_short_phrase():
    assert same_meaning(meaning("部门综合预算一般公共预算支出明细表（按支出功能分类科目）", VARYING), meaning("2022年部门综合预算一般公共预算支出明细表（按功能科目分）", VARYING))
    assert same_meaning(meaning("财政拨款结转资金支出表", VARYING), meaning("财政拨款上年结转资金支出表", VARYING))
    assert not same_meaning(meaning("部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表", VARYING), meaning("一般公共预算拨款支出明细情况", VARYING))
    assert not same_meaning(meaning("一般公共预算支出表", VARYING), meaning("一般公共预算基本支出表（按经济分类）", VARYING))


def test_bracketed_sub_items_are_not_parts():
    text = "其中：公务用车购置及运行维护费24.8万元（公务用车购置费0万元；公务用车运行维护费24.8万元），公务接待费1.31万元"
    start = text.index("：") + 1
    assert bracketed(text, start, text.index("公务用车购置费0"))
    assert not bracketed(text, start, text.index("公务接待费"))


def test_a_joint_label_is_not_one_concepts_amount():
    assert names_alone("基本支出人员经费", "人员经费", JOINERS)
    assert not names_alone("人员经费及单位运转经费", "人员经费", JOINERS)


def test_a_comparison_with_more_digits_than_the_context_is_shown_exact():
    from decimal import Decimal

    from budgetaudit.model.findings import compare
    from budgetaudit.model.quantity import parse_quantity

    whole = parse_quantity("1234567890123456789012345678901.5", "万元")
    comparison = compare([parse_quantity("1.50", "万元")], whole)
    assert comparison.text(comparison.difference).endswith("万元")
    assert Decimal(comparison.text(comparison.difference)[:-2]) == comparison.difference
