"""The outline ingest reads (outline.py): the 目录 lists headings, the body's headings
start the sections, so a 目录 line never starts one. Class: a 目录 that numbers
its parts 一…六 over a body that prints them unnumbered (主要职能, 名词解释 …):
before, every sentence of the body fell under the 目录's last line and the
per-part rules never saw its parts."""
from __future__ import annotations

import pickle

from conftest import default_ruleset, fired, real_document

from budgetaudit.ingest.outline import outline_of, printed_page, read_outline
from budgetaudit.ingest.sentences import split_narrative
from budgetaudit.model.document import Document, Line

TOC_AND_BODY = [
    Line(1, "某某办公室2026年单位预算", size=20),
    Line(2, "目录", size=16),
    Line(2, "一、单位主要职能", size=12),
    Line(2, "二、名词解释", size=12),
    Line(2, "三、其他相关情况说明", size=12),
    Line(3, "某某办公室（单位）主要职能", size=14),
    Line(3, "某某办公室是市政府直属机构。"),
    Line(3, "主要职能包括：处理来信来访。"),
    Line(4, "名词解释", size=14),
    Line(4, "财政拨款收入：是从本级财政取得的拨款。"),
    Line(5, "其他相关情况说明", size=14),
    Line(5, "2026年“三公”经费预算数为84.00万元。"),
]


def document(lines: list[Line]) -> Document:
    doc = Document("x.pdf", 5, lines, [])
    doc.outline = read_outline(doc, default_ruleset().catalog, lines)
    return doc


def owners(sentences) -> dict[str, str]:
    return {s.text: s.section for s in sentences}


def test_before_every_sentence_fell_under_the_last_toc_line():
    """What the reading did before: the 目录's lines were headings, the body's were not."""
    _, sentences = split_narrative(TOC_AND_BODY)
    body = [s for s in sentences if s.page >= 3]
    assert {s.section for s in body} == {"三、其他相关情况说明"}
    assert "名词解释财政拨款收入：是从本级财政取得的拨款。" in owners(body)  # the body's heading glued to its first sentence


def test_sections_start_at_the_body_headings():
    doc = document(TOC_AND_BODY)
    assert [(s.page, s.title) for s in doc.sections] == [(3, "某某办公室（单位）主要职能"), (4, "名词解释"), (5, "其他相关情况说明")]
    found = owners(doc.sentences)
    assert found["主要职能包括：处理来信来访。"] == "某某办公室（单位）主要职能"
    assert found["财政拨款收入：是从本级财政取得的拨款。"] == "名词解释"
    assert found["2026年“三公”经费预算数为84.00万元。"] == "其他相关情况说明"
    assert not any("目录" in s.text for s in doc.sentences)  # the 目录 line ends the cover's text, it is not glued to it


def test_a_numbered_body_keeps_its_numbered_headings():
    lines = TOC_AND_BODY[:5] + [Line(3, "一、单位主要职能", size=14), Line(3, "主要职能包括：处理来信来访。"),
                                Line(4, "二、名词解释", size=14), Line(4, "财政拨款收入：是从本级财政取得的拨款。")]
    doc = document(lines)
    assert [s.title for s in doc.sections] == ["一、单位主要职能", "二、名词解释"]
    assert [(h.ordinal, h.title) for h in doc.outline.headings] == [(1, "单位主要职能"), (2, "名词解释")]


def test_a_prose_line_that_names_a_part_is_no_heading():
    """A wrapped line of prose that carries a 目录 title does not open a section."""
    lines = TOC_AND_BODY[:5] + [Line(3, "本单位的职责见下文，关于"), Line(3, "单位主要职能"), Line(3, "的说明如下。")]
    doc = document(lines)
    assert doc.sections == []


def test_the_toc_entries_and_their_pages():
    lines = [Line(1, "目录", size=16), Line(1, "一、部门主要职能……………3", size=12), Line(1, "二、名词解释…………12", size=12),
             Line(3, "一、部门主要职能", size=14), Line(3, "主要职能是：服务。")]
    doc = document(lines)
    assert [(e.title, e.ordinal, e.printed_page, e.page) for e in doc.outline.toc] == [("部门主要职能", 1, 3, 1), ("名词解释", 2, 12, 1)]
    assert doc.outline.toc_lines == {0, 1, 2}
    assert printed_page("三、项目支出情况 .....17") == 17


def test_the_outline_pickles_with_the_document():
    """The parse cache stores the document model: the outline's table links survive the round trip."""
    doc = pickle.loads(pickle.dumps(document(TOC_AND_BODY)))
    assert doc.outline.toc and doc.outline.full_text.startswith("某某办公室")


def test_a_document_built_without_an_outline_gets_one():
    doc = Document("x.pdf", 5, TOC_AND_BODY, [])
    assert [e.title for e in outline_of(doc, default_ruleset().catalog).toc] == ["单位主要职能", "名词解释", "其他相关情况说明"]


# The class on a real page: a 目录 lists 一、…六、 unnumbered in the body (a 市级单位预算 template).
UNNUMBERED_BODY = "cn-shanghai_2026_上海市信访局_部门预算"


def test_real_unnumbered_body_headings_start_sections():
    doc = real_document(UNNUMBERED_BODY)
    found = owners(doc.sentences)
    duties = next(t for t in found if t.startswith("主要职能包括"))
    assert "主要职能" in found[duties] and not found[duties].startswith("六、")
    terms = next(t for t in found if t.startswith("（二）事业收入"))
    assert found[terms] == "名词解释"


def test_a_wrapped_toc_entry_without_page_numbers_is_one_entry():
    """Class: a 目录 without page numbers whose long entry wraps, its last characters on a line
    of their own (…培训费、会议费等情 | 况): one entry, and the entries after it are read."""
    lines = [Line(1, "目录", size=20), Line(1, "一、收支总体情况", size=12),
             Line(1, "二、一般公共预算财政拨款“三公”经费、培训费、会议费等情", size=12), Line(1, "况", size=12),
             Line(1, "三、政府采购安排情况", size=12), Line(2, "前言", size=17)]
    doc = document(lines)
    assert [e.title for e in doc.outline.toc] == ["收支总体情况", "一般公共预算财政拨款“三公”经费、培训费、会议费等情况", "政府采购安排情况"]
    assert doc.outline.toc_lines == {0, 1, 2, 3, 4}


def test_an_overview_stated_in_separate_sentences_is_present():
    """Class: a template that states income and expenditure in separate sentences (收入预算X万元，
    其中：…；…。支出预算Y万元…), under an unnumbered heading: the overview is there. Before the
    sections came from the body, only the 目录's own lines (glued to the cover's text) satisfied it."""
    lines = TOC_AND_BODY[:5] + [Line(3, "2026年单位预算编制说明", size=14),
                                Line(3, "2026年，某某办公室收入预算9,101.68万元，其中：财政拨款收入9,101.68万元；事业收入0万元；其他收入0万元。"),
                                Line(3, "支出预算9,101.68万元，其中：财政拨款支出预算9,101.68万元。")]
    doc = document(lines)
    assert not [f for f in fired(doc, "P-REQ-002") if f.key == "section|overview"]
    doc = document(lines[:6] + [Line(3, "本单位主要职能是服务群众。")])
    assert [f.key for f in fired(doc, "P-REQ-002") if f.key == "section|overview"] == ["section|overview"]
