"""Issue 14 part 2: narrative patterns read off the sentence text (budgetaudit/checks/items.py).
Each rule fires on a real page or a sample variant and stays silent on a correct page."""
from __future__ import annotations

import pytest
from conftest import default_ruleset, fired, fixture_case, real_document, real_firings, rule_run

from budgetaudit.checks.items.sentence_patterns import resolve_path
from budgetaudit.run.engine import Result
from budgetaudit.vocabulary.classification_codes import classification_of, narrative_codes

RULES = ("C-ITEM-001", "C-CHG-001", "C-PART-001", "C-TEXT-001")


# --- the fixture cases in detail ---------------------------------------------------
# Where each rule fires and stays silent is in rules/checks/items/fixtures/ (tests/test_rule_fixtures.py).
# C-CHG-001, C-PART-001 and C-TEXT-001 fire on one 鞍山 variant: three stated-base sentences (a correct
# one, a wrong rate, a rate from a zero base), 其他用车 3 辆 of 1, 某某 and 。。.


@pytest.fixture(scope="module")
def anshan_variant(fixture_documents):
    path = fixture_documents.path(fixture_case("C-CHG-001", "fires"))
    assert fixture_case("C-PART-001", "fires")["replace"] == fixture_case("C-TEXT-001", "fires")["replace"] == fixture_case("C-CHG-001", "fires")["replace"]
    return Result(str(path), findings=rule_run(str(path))[0])


def test_rate_from_stated_amounts(anshan_variant):
    found = sorted((f.expected, f.actual) for f in anshan_variant.findings if f.rule == "C-CHG-001")
    assert found == [("11.95%", "15.00%"), ("—", "100%")]  # 167.92 ÷ 150.00 − 1 = 11.95%; 0 → 20.00 has no rate


def test_part_larger_than_whole(anshan_variant):
    found = [f for f in anshan_variant.findings if f.rule == "C-PART-001"]
    assert [(f.expected, f.actual, f.severity) for f in found] == [("≤ 1辆", "3辆", "warning")]


def test_placeholder_and_doubled_punctuation(anshan_variant):
    found = sorted(f.actual for f in anshan_variant.findings if f.rule == "C-TEXT-001")
    assert found == ["。。", "某某"]


def test_item_amount_against_its_code_row(fixture_documents):
    path = fixture_documents.path(fixture_case("C-ITEM-001", "fires"))
    found = [f for f in rule_run(str(path))[0] if f.rule == "C-ITEM-001" and f.severity == "warning"]
    assert [(f.actual, f.difference) for f in found] == [("146.87万元", "10.00万元")]
    assert found[0].locations[1].table and found[0].locations[1].row.startswith("2010350")


# --- real pages ----------------------------------------------------------------

def test_narrative_path_resolves_to_codes():
    data = classification_of(default_ruleset())
    text = "2.一般公共服务支出（类）信访事务（款）一般行政管理事务（项）2026年预算数为737.29万元"
    assert [code for code, _ in resolve_path(data, narrative_codes(text))] == ["20140", "2014002"]
    text = "8.社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）"
    assert [code for code, _ in resolve_path(data, narrative_codes(text))] == ["20805", "2080501"]


def test_items_of_the_central_budget_tie_to_their_rows():
    doc = real_document("cn-central_2026_国家信访局_部门预算")
    data = classification_of(default_ruleset())
    items = {code for s in doc.sentences for code, _ in resolve_path(data, narrative_codes(s.text)) if len(code) == 7}
    assert len(items) >= 10
    assert not fired(doc, "C-ITEM-001")


def test_stated_base_with_a_wrong_change_amount():
    """p.7: 29956.27 − 28479.84 = 1476.43, printed 1476.73 (p.5, the income sentence, says 1476.43)."""
    found = fired(real_document("cn-beijing_2026_北京市司法局_部门预算"), "C-CHG-001")
    assert [(f.expected, f.actual, f.locations[0].page) for f in found] == [("1476.43万元", "1476.73万元", 7)]


def test_part_whole_thresholds_are_not_parts():
    """长沙信访 p.9: 单位价值50万元以上设备0台，其中，单位价值100万元以上设备0台."""
    assert not fired(real_document("cn-changsha_2026_长沙市信访局_部门预算"), "C-PART-001")


def test_part_whole_with_a_unit_typo_in_the_whole():
    """长春信访 p.17: 预算支出1682.76元（万元 meant），其中基本支出预算1208.20万元."""
    found = fired(real_document("cn-changchun_2026_长春市信访局_部门预算"), "C-PART-001")
    assert [(f.expected, f.actual, f.locations[0].page) for f in found] == [("≤ 1682.76元", "1208.20万元", 17)]


def test_doubled_punctuation_on_a_real_page():
    found = fired(real_document("cn-fuzhou_2026_福州市生态环境局_部门预算"), "C-TEXT-001")
    assert [(f.actual, f.locations[0].page) for f in found] == [("。。", 4)]


# Every finding of these rules on ../shared/real, each reviewed against the page (see the report).
REVIEWED = {
    "cn-beijing_2026_北京市司法局_部门预算": ["C-CHG-001 warning p.7"],
    "cn-changchun_2026_长春市信访局_部门预算": ["C-PART-001 warning p.17"],
    "cn-fuzhou_2026_福州市生态环境局_部门预算": ["C-TEXT-001 warning p.4"],
    "cn-xian_2026_西安市商务局_部门预算": ["C-ITEM-001 info p.23"],
}


def test_every_real_finding_reviewed():
    found = real_firings(RULES, lambda f: f"{f.rule} {f.severity} p.{f.locations[0].page}")
    assert found == REVIEWED


# --- sentences on their own ----------------------------------------------------

def on_text(rule_id, *texts):
    from budgetaudit.model.document import Document, Line, Sentence

    doc = Document("x.pdf", 1, [Line(1, t) for t in texts], [], sentences=[Sentence(1, "", t) for t in texts])
    return [(f.expected, f.actual) for f in fired(doc, rule_id)]


@pytest.mark.parametrize("text, found", [
    ("共有车辆3辆，其中：一般公务用车2辆、执法执勤用车1辆。", []),
    ("共有车辆3辆，其中：一般公务用车5辆。", [("≤ 3辆", "5辆")]),
    ("设备8台，其中单价50万元以上的15台。", [("≤ 8台", "15台")]),
    ("单位价值50万元以上设备0台，其中，单位价值100万元以上设备0台。", []),  # thresholds
    ("支出预算100.00万元，其中：基本支出80.00万元，比上年增加120.00万元。", []),  # a change, not a part
    ("支出预算100.00万元，其中：基本支出80.00万元、项目支出20.00万元。", []),
    ("支出预算100.00万元，其中：基本支出180.00万元。", [("≤ 100.00万元", "180.00万元")]),
])
def test_part_whole_sentences(text, found):
    assert on_text("C-PART-001", text) == found


@pytest.mark.parametrize("text, found", [
    ("2026年支出预算110.00万元，比2025年预算数100.00万元增加10.00万元，增长10.00%。", []),
    ("2026年支出预算110.00万元，比2025年预算数100.00万元增加12.00万元，增长12.00%。", [("10.00万元", "12.00万元")]),
    ("2026年支出预算90.00万元，较上年的100.00万元减少10.00万元。", []),
    ("2026年支出预算110.00万元，比上年增加10.00万元，增长10.00%。", []),  # no stated base: N-RATE-001's
    ("2025年当年预算执行数为200.00万元，2026年预算安排150.00万元，比2025年预算执行数减少25.00%。", []),
    ("2025年当年预算执行数为200.00万元，2026年预算安排150.00万元，比2025年预算执行数减少20.00%。", [("-25.00%", "-20.00%")]),
])
def test_stated_base_sentences(text, found):
    assert on_text("C-CHG-001", text) == found


@pytest.mark.parametrize("text, found", [
    ("主要职能：负责某某工作。", [("", "某某")]),
    ("取得积极成效。。围绕上述任务", [("", "。。")]),
    ("二〇二六年部门预算，XX 已由另一规则报告。", []),
])
def test_text_patterns(text, found):
    assert on_text("C-TEXT-001", text) == found
