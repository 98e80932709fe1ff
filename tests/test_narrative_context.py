"""A narrative figure in its context: the unit (entity) whose figure it is, the line it names
(a printed code, level or name variant), the fund scope its qualifier gives, its place in a
list. Figures of different contexts are not compared; in one context they still are.
Synthetic sentences and documents built in code; the real pages are in
tests/real/test_narrative_context_real.py."""
from __future__ import annotations

from pathlib import Path

from conftest import default_ruleset, fired

from budgetaudit.ingest.entities import member_units, sentence_entities
from budgetaudit.ingest.facts import read_narrative
from budgetaudit.model.document import Document, Line, Section, Sentence, Table
from budgetaudit.safe.yamlfile import load_yaml

CONCEPTS = load_yaml(Path(__file__).resolve().parent.parent / "rules" / "concepts.yaml")["concepts"]
PHRASES = default_ruleset().phrases
DEPARTMENT = "示例市水务局"
UNIT = "示例市水务工程质量监督站"


def read(*texts: str, section: str = "s"):
    return [(f.role, str(f.value), f.concept) for p in read_narrative([Sentence(1, section, t) for t in texts], CONCEPTS) for f in p.facts]


def amounts(*texts: str, section: str = "s"):
    return [(value, concept) for role, value, concept in read(*texts, section=section) if role == "amount"]


# --- the line a figure names: printed code, level, variant ---------------------------------

def test_a_printed_code_other_than_the_concepts_names_another_line():
    assert amounts("（4）资本性支出（基本建设）（309）0.00万元。") == [("0.00万元", "")]
    assert amounts("（5）资本性支出（310）12,277.96万元。") == [("12277.96万元", "capital")]
    assert amounts("4.机关资本性支出（二）（504）100.45万元。") == [("100.45万元", "")]
    assert amounts("3.机关资本性支出（一）（503）87.00万元。") == [("87.00万元", "gov_capital")]


def test_a_xiang_line_is_not_its_lei():
    assert amounts("8.其他成人教育支出（2050499）406.33万元。") == [("406.33万元", "")]
    assert amounts("1.职业教育（款）技校教育（项）支出11,543.08万元。") == [("11543.08万元", "")]
    assert amounts("教育支出（类）11,622.00万元。") == [("11622.00万元", "education")]


def test_sibling_lines_sharing_a_name_are_not_one_figure_twice():
    doc = document([("s", "机关资本性支出（一）87.00万元。"), ("s", "机关资本性支出（二）100.45万元。")])
    assert not fired(doc, "N-CONTRA-001")
    same = document([("s", "机关资本性支出（一）87.00万元。"), ("s", "机关资本性支出（一）100.45万元。")])
    assert [f.key for f in fired(same, "N-CONTRA-001")] == ["gov_capital|87.00|100.45"]


# --- fund scope, compounds, parts ------------------------------------------------------------

def test_a_transfer_subscope_is_not_the_total_expenditure():
    assert amounts("本单位上级专项转移支付支出预算为1,047.61万元。") == [("1047.61万元", "")]
    assert amounts("部门预算支出15,480.26万元。") == [("15480.26万元", "expenditure_total")]


def test_a_compound_naming_a_kind_of_staff_is_not_personnel_costs():
    assert amounts("4.其他司法行政业务477.34万元，主要包括：编外人员经费89.42万元，用于支付员额工资。") == [("477.34万元", ""), ("89.42万元", "")]
    assert amounts("（一）在职人员经费10,698.69万元。") == [("10698.69万元", "personnel")]


def test_parts_of_a_government_economic_line_are_its_share_only():
    assert amounts("机关商品和服务支出（502）3423.08万元,其中：公用经费545.71万元。") == [("3423.08万元", "gov_goods_services"), ("545.71万元", "")]
    assert amounts("对事业单位经常性补助（505）2945.22万元,其中：人员经费1903.54万元；公用经费75.66万元。")[1:] == [("1903.54万元", ""), ("75.66万元", "")]
    # a 部门经济 line's part too: whether 302's 公用经费 is the department's whole 公用经费 is not said, so it is not guessed
    assert amounts("商品和服务支出（302）4464.76万元,其中：公用经费621.37万元。") == [("4464.76万元", "goods_services"), ("621.37万元", "")]


def test_an_item_under_a_heading_that_opens_the_list_is_a_part():
    heading = "（五）项目支出4,434.77万元，具体包括："
    assert amounts(heading, "1.生态环境监测项目支出4,094.77万元，主要包括：污染源监测。", section=heading) == [("4434.77万元", "project"), ("4094.77万元", "")]


def test_a_total_of_joined_items_is_not_the_last_item():
    assert amounts("局机关行政运行经费和所属事业单位公用经费预算合计360.10万元。") == [("360.10万元", "")]
    assert amounts("公用经费预算合计360.10万元。") == [("360.10万元", "public")]


def test_a_clause_opening_with_its_verb_states_a_change():
    assert read("交通补贴减少16.56万元，减少某研究院日常公用经费65.56万元。")[1][:2] == ("change", "65.56万元")


# --- entity: the unit a section heading or the clause names ------------------------------------

def document(items: list[tuple[str, str]], sections: list[tuple[str, int]] = (), tables: list[Table] = (), cover: str = DEPARTMENT) -> Document:
    """Sentences (section, text) on page 2 under the given (heading, level) sections; the cover names the department."""
    lines = [Line(1, f"{cover}2026年部门预算")] + [Line(2, text) for _, text in items]
    return Document("synthetic.pdf", 2, lines, list(tables), [Section(title, 2, level) for title, level in sections],
                    [Sentence(2, section, text) for section, text in items])


UNIT_SECTIONS = [("第三部分部门预算支出具体情况", 1), (f"一、{DEPARTMENT}（本级）", 2), ("（一）在职人员经费5,206.17万元，主要是在职人员工资", 3),
                 (f"二、{UNIT}", 2), ("（一）在职人员经费1,142.90万元，主要是在职人员工资", 3), ("第四部分政府采购预算情况", 1)]
UNIT_TEXTS = [(UNIT_SECTIONS[2][0], UNIT_SECTIONS[2][0]), (UNIT_SECTIONS[4][0], UNIT_SECTIONS[4][0])]


def test_each_unit_section_is_its_own_entity():
    doc = document(UNIT_TEXTS + [("第四部分政府采购预算情况", "政府采购预算100.00万元。")], UNIT_SECTIONS)
    entities = [sentence_entities(doc, PHRASES, [DEPARTMENT])[id(s)] for s in doc.sentences]
    assert entities == [f"{DEPARTMENT}（本级）", UNIT, ""]


def test_a_units_figure_is_not_a_second_statement_of_the_departments():
    assert not fired(document(UNIT_TEXTS, UNIT_SECTIONS), "N-CONTRA-001")


def test_within_one_unit_two_amounts_still_contradict():
    doc = document(UNIT_TEXTS + [(UNIT_SECTIONS[4][0], "在职人员经费1,200.00万元。")], UNIT_SECTIONS)
    assert [f.key for f in fired(doc, "N-CONTRA-001")] == ["personnel|1142.90|1200.00"]


def test_a_lone_heading_naming_the_department_is_the_department():
    sections = [("第三部分部门预算支出具体情况", 1), (f"一、{DEPARTMENT}（本级）", 2), ("（一）在职人员经费5,206.17万元", 3)]
    doc = document([(sections[2][0], sections[2][0])], sections)
    assert sentence_entities(doc, PHRASES, [DEPARTMENT])[id(doc.sentences[0])] == ""


def test_a_unit_named_before_its_concept_in_the_clause_is_its_entity():
    doc = document([("s", "其中：某研究院日常公用经费65.56万元，局机关日常公用经费87.36万元。")])
    assert not fired(doc, "N-CONTRA-001")
    same_unit = document([("s", "某研究院日常公用经费65.56万元。"), ("s", "某研究院公用经费预算60.57万元。")])
    assert [f.key for f in fired(same_unit, "N-CONTRA-001")] == ["public|65.56|60.57"]


# --- member units: names of the department's own units ---------------------------------------

def unit_table() -> Table:
    grid = [["单位名称", "合计"], ["合计", "100.00"], [DEPARTMENT, "60.00"], [UNIT, "40.00"]]
    return Table(0, "表2", "收入预算总表", "income_summary", "万元", UNIT, [3], [], [], grid=grid)


def test_a_table_listing_one_row_per_unit_names_the_member_units():
    assert {DEPARTMENT, UNIT} <= member_units(document([], tables=[unit_table()]), PHRASES)
    assert not member_units(document([]), PHRASES)


def test_a_member_units_name_is_not_a_naming_inconsistency():
    tables = [unit_table(), Table(1, "表3", "支出预算总表", "expenditure_summary", "万元", UNIT, [4], [], [])]
    assert not fired(document([], tables=tables), "P-ID-001")
    assert [f.key for f in fired(document([], tables=tables, cover="示例市水务大厅"), "P-ID-001")] == ["unit-name|示例市水务大厅"]
