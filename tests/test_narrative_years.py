"""Issue 14 part 2 (years, comparison words), part 4 (决算 completion rates) and issue 13's
narr.count: each rule fires on a page of its class and stays silent on a correct one.
Real pages are altered the way bench/mutate.py alters them: one sentence's text."""
from __future__ import annotations

import pytest
from conftest import SAMPLE_NAMES, altered, default_ruleset, fired, parsed, real_document, real_firings, sample

from budgetaudit.checks.base import Context
from budgetaudit.checks.narrative.shared import resolve
from budgetaudit.model.document import Document, Line, Sentence

RULES = ("N-YEAR-001", "N-YEAR-002", "N-CMP-001", "N-DONE-001", "N-CONTRA-002")


def on_text(rule_id, *texts, cover="2026年部门预算"):
    """A two-page document: the cover, then one sentence per text on page 2."""
    doc = Document("x.pdf", 2, [Line(1, cover, size=20)] + [Line(2, t) for t in texts], [],
                   sentences=[Sentence(2, "", t) for t in texts])
    return [(f.expected, f.actual) for f in fired(doc, rule_id)]


def fired_when_altered(stem, rule_id, old, new):
    """A real file on which the rule is silent as printed; the findings once one sentence is altered."""
    doc = real_document(stem)
    assert not fired(doc, rule_id)
    return fired(altered(doc, old, new), rule_id)


# --- N-YEAR-001: the budget year ---------------------------------------------------

@pytest.mark.parametrize("text, found", [
    ("2026年部门收入预算100.00万元，比2025年年初预算增加10.00万元。", []),
    ("2025年部门收入预算100.00万元，比上年增加10.00万元。", [("2026", "2025")]),  # the subject year written wrong
    ("2026年收入预算100.00万元，比2026年预算增加10.00万元。", [("2025", "2026")]),  # a base in the own year
    ("2026年预算数为7.61万元，2025年预算数为9.23万元，和2025年相比减少1.62万元。", []),  # a base stated as a subject
    ("2025年北京市某某局政府采购预算100万元。", [("2026", "2025")]),  # a unit's name between year and noun
    ("截至2025年12月31日，本部门共有车辆5辆。", []),  # a date
    ("根据《某某规划（2021—2025年）》，2027年完成建设。", []),  # a cited period, a future date
    ("主要原因是2025年结转资金减少。", []),
    ("2025年当年预算执行数为90万元，2026年预算安排100万元。", []),
    ("（一）2025年预算绩效管理工作情况。", []),
    ("2025年度项目支出在项目申报、资金使用等工作上，总体执行情况良好。", []),  # a past year's execution reviewed
    ("2025年本单位基本支出预算数100万元。", [("2026", "2025")]),
    ("上年（2024年）预算执行良好。", [("2025", "2024")]),  # 上年 is the year − 1
    ("第四部分2025年部门（单位）预算情况说明", [("2026", "2025")]),  # a heading
    ("2026年收入预算100万元，减少的主要原因是2025年预算收入比2025年减少了项目资金。", [("2024", "2025")]),  # a year compared with itself
    ("2. 2026年部门收入预算总表………3 3. 2025年部门支出预算总表………4", [("2026", "2025")]),  # 目录 entries one by one
])
def test_budget_year_sentences(text, found):
    assert on_text("N-YEAR-001", text) == found


def test_budget_year_written_wrong_in_a_three_public_sentence():
    """重庆气象 p.2: 「2025年“三公”经费预算13.85万元,比2025年减少5.45万元」 in a 2026 budget
    (P-ID-002 also reports it; reviewed TRUE in verdicts.yaml)."""
    found = fired(real_document("cn-chongqing_2026_重庆市气象局_部门预算"), "N-YEAR-001")
    assert [(f.expected, f.actual, f.locations[0].page) for f in found] == [("2026", "2025", 2)]


def test_budget_year_on_an_altered_real_page():
    found = fired_when_altered("cn-beijing_2026_北京市司法局_部门预算", "N-YEAR-001",
                               "2026年度收入预算29956.27万元", "2025年度收入预算29956.27万元")
    assert [(f.expected, f.actual) for f in found] == [("2026", "2025")]


# --- N-YEAR-002: the date of the assets ------------------------------------------------

@pytest.mark.parametrize("text, cover, found", [
    ("截至2025年12月31日，本部门共有车辆5辆。", "2026年部门预算", []),
    ("截至2026年1月31日，本部门固定资产金额2,995万元。", "2026年部门预算", []),  # published in the spring
    ("截至2024年12月31日，本部门共有车辆5辆。", "2026年部门预算", [("2025", "2024")]),
    ("截至2026年12月31日，本部门共有车辆5辆。", "2026年部门预算", [("2025", "2026")]),
    ("截至2024年12月31日，本部门共有车辆15辆。", "2024年度部门决算", []),
    ("截至2023年12月31日，本部门共有车辆15辆。", "2024年度部门决算", [("2024", "2023")]),
    ("截至2024年12月31日，累计完成培训5次。", "2026年部门预算", []),  # not the assets
])
def test_asset_dates(text, cover, found):
    assert on_text("N-YEAR-002", text, cover=cover) == found


def test_asset_date_on_an_altered_real_page():
    found = fired_when_altered("cn-central_2024_国家信访局_部门决算", "N-YEAR-002",
                               "截至2024年12月31日，国家信访局共有车辆", "截至2023年12月31日，国家信访局共有车辆")
    assert [(f.expected, f.actual) for f in found] == [("2024", "2023")]


# --- N-CMP-001: comparison words against the figures -------------------------------------

@pytest.mark.parametrize("text, found", [
    ("2026年预算数为7.61万元，2025年预算数为9.23万元，和2025年相比预算减少1.62万元。", []),
    ("2026年预算数为7.61万元，2025年预算数为9.23万元，和2025年相比预算增加1.62万元。", [("减少", "增加")]),
    ("2026年收入预算110.00万元，比2025年年初预算数100.00万元减少10.00万元。", [("增加", "减少")]),
    ("2026年支出预算100.00万元，2025年预算数为100.00万元，与上年持平。", []),
    ("2026年支出预算100.00万元，2025年预算数为90.00万元，与上年持平。", [("增加", "持平")]),
    ("2026年收入预算1000万元，其中上年结转200万元，比上年增加50万元。", []),  # 上年结转 is a part, not last year
    ("2026年预算472.01万元，比上年减少48.12万元，下降9.25%。", []),  # the change is not a base
])
def test_comparison_word_sentences(text, found):
    assert on_text("N-CMP-001", text) == found


def test_comparison_word_on_an_altered_real_page():
    """长春信访 p.18 states both years and the word: silent as printed, fires with the word reversed."""
    found = fired_when_altered("cn-changchun_2026_长春市信访局_部门预算", "N-CMP-001",
                               "和2025年相比预算减少1.62万元", "和2025年相比预算增加1.62万元")
    assert [(f.expected, f.actual) for f in found] == [("减少", "增加")]


# --- N-DONE-001: 决算 completion rates -----------------------------------------------------

@pytest.mark.parametrize("text, found", [
    ("年初预算为5717.32万元，支出决算为5757.63万元，完成年初预算的100.71%。", []),
    ("年初预算为5717.32万元，支出决算为5757.63万元，完成年初预算的110.71%。", [("100.71%", "110.71%")]),
    ("全年预算数为536.20万元，执行数为413.57万元，完成预算的77.1%。", []),
    ("年初预算为0万元，支出决算为497.53万元。决算数大于预算数的主要原因是调剂了预算。", []),
    ("年初预算为222.6万元，支出决算为229.19万元，完成年初预算的102.96%。决算数小于预算数的主要原因是调剂。", [("增加", "小于")]),
])
def test_completion_sentences(text, found):
    assert on_text("N-DONE-001", *[t + "。" for t in text.split("。") if t], cover="2024年度部门决算") == found


def test_completion_on_the_central_final_accounts():
    """国家信访局 2024 决算: 19 completion rates read (年初预算/全年预算 against 决算/执行数), all right;
    one changed rate is reported."""
    found = fired_when_altered("cn-central_2024_国家信访局_部门决算", "N-DONE-001", "完成年初预算的91.14%", "完成年初预算的93.14%")
    assert [(f.expected, f.actual) for f in found] == [("91.14%", "93.14%")]


# --- narr.count: count lists -------------------------------------------------------------

@pytest.mark.parametrize("text, found", [
    # the list ends at ；: the 台（套） clause after it is not a part
    ("截至2025年8月31日，本单位共有车辆2辆，其中：机要通信用车0辆、其他用车2辆；单价100万元以上设备5台（套）。", []),
    ("截至2025年8月31日，本单位共有车辆2辆，其中：机要通信用车1辆、其他用车2辆；单价100万元以上设备5台（套）。", [("3辆", "2辆")]),
    # no 共/合计: a count split into parts of its own unit is a whole with its parts (warning)
    ("截至上年底，本部门人员编制75人，其中行政编制35人，事业编制40人。", []),
    ("截至上年底，本部门人员编制75人，其中行政编制35人，事业编制30人。", [("65人", "75人")]),
])
def test_count_lists(text, found):
    doc = Document("x.pdf", 1, [Line(1, text)], [], sentences=[Sentence(1, "", text)])
    assert [(f.expected, f.actual) for f in fired(doc, "N-ENUM-001")] == found


def test_count_list_without_a_total_word_is_a_warning():
    text = "本部门人员编制75人，其中行政编制35人，事业编制30人。"
    doc = Document("x.pdf", 1, [Line(1, text)], [], sentences=[Sentence(1, "", text)])
    assert [f.severity for f in fired(doc, "N-ENUM-001")] == ["warning"]


def test_vehicle_list_before_an_equipment_clause_is_checked():
    """上海 template p.16: 共有车辆2辆，其中：…其他用车2辆；单价100万元（含）以上设备（不含车辆）5台（套）."""
    found = fired_when_altered("cn-shanghai_2026_上海市民政局_部门预算", "N-ENUM-001", "其他用车2辆；", "其他用车3辆；")
    assert [(f.expected, f.actual, f.severity) for f in found] == [("3辆", "2辆", "error")]


# --- the corpus ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_silent_on_published_samples(name):
    doc = parsed(str(sample(name)))
    for rule_id in RULES:
        assert not [f for f in fired(doc, rule_id) if f.severity != "info"], rule_id


# Every finding of these rules on ../shared/real, each reviewed against the page.
REVIEWED = {
    "cn-chongqing_2026_重庆市气象局_部门预算": ["N-YEAR-001 warning p.2"],
}


def test_every_real_finding_reviewed():
    found = real_firings(RULES, lambda f: f"{f.rule} {f.severity} p.{f.locations[0].page}")
    assert found == REVIEWED


# --- 决算: the 三公 table's 决算数 column ------------------------------------------------------

def test_final_accounts_three_public_tie_to_the_outturn_column():
    """国家信访局 2024 决算 p.22: 因公出国（境）费支出决算4.69万元 ties to 公开09表's 决算数 column
    (4.69), not its 预算数 (30.00); a changed figure is reported against the 决算数."""
    doc = real_document("cn-central_2024_国家信访局_部门决算")
    resolved = resolve(Context(doc, default_ruleset()), "sangong_abroad")
    assert (str(resolved.quantity), resolved.column) == ("4.69万元", "决算数›因公出国（境）费")
    found = fired_when_altered("cn-central_2024_国家信访局_部门决算", "N-TIE-001",
                               "因公出国（境）费支出决算4.69万元", "因公出国（境）费支出决算5.69万元")
    assert [(f.expected, f.actual) for f in found] == [("4.69万元", "5.69万元")]


# --- N-CONTRA-002: one concept, two amounts in one paragraph ----------------------------------

@pytest.mark.parametrize("texts, found", [
    (["一般公共预算支出100.00万元，比上年增加5.00万元；", "其中一般公共预算支出120.00万元用于基本支出。"], [("100.00万元", "120.00万元")]),
    (["一般公共预算支出100.00万元，比上年增加5.00万元；", "一般公共预算支出100.00万元用于保障运转。"], []),
    (["一般公共预算支出100.00万元。", "一般公共预算支出120.00万元。"], []),  # two paragraphs: N-CONTRA-001's
])
def test_one_concept_two_amounts_in_a_paragraph(texts, found):
    assert on_text("N-CONTRA-002", *texts) == found
