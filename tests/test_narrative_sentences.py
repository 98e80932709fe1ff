"""Sentence structure: which amount a change, rate, share or list belongs to.

Each class has a synthetic case (sentence text through the real splitter and fact
reader) and a regression on one real2 page of the class: the misreading reviewed
FALSE does not return, and the document's findings reviewed TRUE stay errors."""
from __future__ import annotations

from pathlib import Path

import yaml
from conftest import findings_of, fired, real2_path

from budgetaudit.ingest.facts import read_narrative
from budgetaudit.ingest.sentences import split_narrative
from budgetaudit.model.document import Line
from budgetaudit.safe.yamlfile import load_yaml

ROOT = Path(__file__).resolve().parent.parent
CONCEPTS = load_yaml(ROOT / "rules" / "concepts.yaml")["concepts"]
VERDICTS = ROOT / "tests" / "real" / "verdicts.yaml"


def read(*lines: str):
    _, sentences = split_narrative([Line(1, text) for text in lines])
    return sentences, read_narrative(sentences, CONCEPTS)


def facts(*lines: str):
    return [f for p in read(*lines)[1] for f in p.facts]


def error_keys(stem: str) -> set[tuple[str, str]]:
    found = findings_of(str(real2_path(stem)))
    flat = [(f.rule, f.key, f.severity) for f in found] + [(m["rule"], m["key"], m["severity"]) for f in found for m in f.merged]
    return {(rule, key) for rule, key, severity in flat if severity == "error"}


def true_keys(stem: str) -> set[tuple[str, str]]:
    entries = yaml.safe_load(VERDICTS.read_text(encoding="utf-8"))
    return {(e["rule"], str(e["key"])) for e in entries if e["file"] == stem and str(e["verdict"]).upper() == "TRUE"}


def assert_gone_and_kept(stem: str, gone: list[tuple[str, str]]) -> None:
    errors = error_keys(stem)
    assert not set(gone) & errors, f"misreadings back: {set(gone) & errors}"
    assert true_keys(stem) <= errors, f"TRUE findings lost: {true_keys(stem) - errors}"


# --- a 。 inside brackets; the change after the closing bracket ------------------

BRACKETED = ["公务用车购置及运行维护费346.67万元（公务用车购置费36万元，比上年增加36万元；",
             "公务用车运行维护费310.67万元，比上年减少2.56万元。",
             "）比上年增加33.44万元，增长10.7%，主要原因是:车辆到期报废；"]


def test_a_full_stop_inside_brackets_does_not_end_the_sentence():
    sentences, _ = read(*BRACKETED)
    assert len(sentences) == 1 and sentences[0].text.endswith("主要原因是:车辆到期报废；")


def test_the_change_after_a_closing_bracket_belongs_to_the_amount_the_brackets_split():
    found = facts(*BRACKETED)
    rate = next(f for f in found if f.role == "rate")
    assert str(rate.subject.value) == "346.67万元" and str(rate.change.value) == "33.44万元"
    inner = [f for f in found if f.role == "change" and str(f.value) in ("36万元", "2.56万元")]
    assert [str(f.subject.value) for f in inner] == ["36万元", "310.67万元"]


def test_an_unclosed_bracket_does_not_swallow_the_section():
    sentences, _ = read("支出预算100万元（含上年结转。", *["人员经费10万元，比上年增加1万元。"] * 30)
    assert len(sentences) > 10


def test_real_bracketed_vehicle_sub_items_keep_the_rate_on_the_total():
    assert_gone_and_kept("cn-guangzhou_2026_广州市司法局_部门预算", [("N-RATE-001", "vehicle_operation|33.44|10.7")])


# --- parts of a classification line; a coded list splits its coded parent ---------

CODED_LINES = ["2021年本部门当年一般公共预算支出53,598.71万元，其中：",
               "（1）进修及培训（20508）102.32万元，较上年增加102.32万元。",
               "具体为：人员经费0.00万元，较上年无变化；",
               "公用经费28.32万元，较上年增加28.32万元；",
               "专项业务经费74.00万元，较上年增加74.00万元。",
               "其中：",
               "①培训支出（2050803）102.32万元，较上年增加102.32万元。",
               "（3）行政事业单位养老支出（20805）705.90万元，较上年减少7.45万元。",
               "具体为：人员经费675.90万元，较上年减少37.45万元；",
               "公用经费0.00万元，较上年无变化。"]


def test_concepts_split_out_of_a_coded_line_name_no_department_total():
    amounts = [f for f in facts(*CODED_LINES) if f.role == "amount"]
    assert [f.code for f in amounts if f.code] == ["20508", "2050803", "20805"]
    assert not [f for f in amounts if f.concept in ("personnel", "public", "project")]


def test_a_concept_after_an_uncoded_passage_keeps_its_total_reading():
    amounts = [f for f in facts("工资福利支出（301）100.00万元；", "商品和服务支出（302）50.00万元。",
                                "人员经费100.00万元，公用经费50.00万元。") if f.role == "amount"]
    assert [f.concept for f in amounts][-2:] == ["personnel", "public"]


def test_a_list_of_coded_items_splits_its_coded_parent():
    passages = read(*CODED_LINES)[1]
    lists = [e for p in passages for e in p.enumerations if e.parts[0].code]
    assert [(e.whole.code, str(e.whole.value)) for e in lists] == [("", "53598.71万元"), ("20508", "102.32万元")]


def test_real_line_parts_are_not_department_totals():
    assert_gone_and_kept("cn-xian_2026_西安市人力资源和社会保障局_部门预算", [
        ("N-CONTRA-001", "personnel|138.06|1903.54"), ("N-TIE-001", "personnel|138.06"),
        ("N-TIE-001", "personnel|1903.54"), ("N-TIE-001", "public|75.66")])


def test_real_coded_items_split_their_coded_parent():
    assert_gone_and_kept("cn-xian_2026_西安市民政局_部门预算", [
        ("N-ENUM-001", "personnel|0.00|102.32"), ("N-ENUM-001", "personnel|0.00|170.00"),
        ("N-CONTRA-001", "personnel|0.00|675.90"), ("N-CONTRA-001", "public|28.32|105.58"), ("N-CONTRA-001", "project|74.00|1739.00")])


# --- a second breakdown of one total -------------------------------------------

TWO_BREAKDOWNS = ["2026年支出预算6256.31万元，比上年执行数增加268.28万元。",
                  "1.按支出功能分类，包括社会保障和就业支出6039.81万元、卫生健康支出71.42万元、住房保障支出145.08万元。",
                  "2.按支出用途分类，包括人员支出1487.48万元，占23.8%；", "日常公用支出116.93万元，占1.9%；",
                  "项目支出4651.90万元，占74.4%。"]


def test_a_second_breakdown_splits_the_same_total_not_the_first_lists_first_part():
    passages = read(*TWO_BREAKDOWNS)[1]
    wholes = [str(e.whole.value) for p in passages for e in p.enumerations]
    assert wholes == ["6256.31万元", "6256.31万元"]


def test_real_second_breakdown_and_its_shares():
    assert_gone_and_kept("cn-huzhou_2026_湖州市退役军人事务局_部门预算", [
        ("N-ENUM-001", "social_security|6039.81|1487.48+116.93+4651.90"), ("N-SHARE-001", "personnel|23.8"), ("N-SHARE-001", "project|74.4")])


# --- a numbered list: one part per item, items over several passages and pages ----

NUMBERED = ["（五）项目支出6,700.49万元，具体包括：",
            "1.上级下达资金预算482万元，主要中央集中彩票公益金结转结余482万元。",
            "2.上级下达资金预算6,135.5万元，主要包括中央公共文化服务体系建设资金3,949万元、彩票公益金1,922万元。",
            "3.文化管理预算83.79万元，主要包括群众文化工作61.21万元，用于组织活动；",
            "文体项目管理咨询22.58万元，用于开展规划。"]


def test_a_numbered_list_has_one_part_per_item_over_several_passages():
    passages = read(*NUMBERED)[1]
    listed = passages[0].enumerations[0]
    assert [str(p.value) for p in listed.parts] == ["482万元", "6135.5万元", "83.79万元"]


def test_bracketed_item_numbers_run_on_after_a_line_without_punctuation():
    passages = read("2020年本部门当年一般公共预算支出100.00万元，其中：", "（1）行政运行（2011001）30.00万元，较上年无变化；",
                    "（2）机关服务（2011002）50.00万元，主要原因一是人员增加。",
                    "二是补贴随之增加（3）事业运行（2011050）20.00万元，较上年无变化。",
                    "3、支出按经济科目分类的明细情况（1）按照部门预算支出经济分类的类级科目说明。", "（2）工资福利支出（301）10.00万元。")[1]
    assert [str(p.value) for p in passages[0].enumerations[0].parts] == ["30.00万元", "50.00万元", "20.00万元"]


def test_real_numbered_items_continued_over_pages():
    assert_gone_and_kept("cn-xian_2026_西安市人力资源和社会保障局_部门预算", [("N-ENUM-001", "general_budget_expenditure|181716.56|33.20+16.32+7")])


def test_real_numbered_item_restating_its_amount_is_one_part():
    assert_gone_and_kept("cn-shenzhen_2026_深圳市文化广电旅游体育局_部门预算", [("N-ENUM-001", "project|57132.99|482+482")])


# --- an inline 其中 ends at its clause; what follows the ； is a sibling ----------

SIBLINGS = ["8.公安行政管理39,967.78万元，主要包括：经常性业务费6,069.60万元，用于日常工作；",
            "履职工作经费4,754.51万元，其中结转结余390.00万元，用于维护网络安全；",
            "勤务辅警业务费523.08万元，用于辅警勤务；", "专项工作9,110.00万元，用于专项工作。"]


def test_an_inline_list_without_a_colon_ends_at_its_clause():
    passages = read(*SIBLINGS)[1]
    inline = next(e for p in passages for e in p.enumerations if str(e.whole.value) == "4754.51万元")
    assert [str(p.value) for p in inline.parts] == ["390.00万元"] and inline.partial


def test_real_inline_list_does_not_take_siblings_as_parts():
    assert_gone_and_kept("cn-shenzhen_2026_深圳市公安局_部门预算", [
        ("N-ENUM-001", "万元|4754.51|390.00+523.08+7617.44+1245.35+2002.37+2619.00+701.54+617.00+240.96+128.52+258.25+169.92+9110.00"),
        ("N-ENUM-001", "万元|973.30|220.80+40.00+250.00+59.25+686.00")])


# --- a reason clause explains; its amounts are neither parts nor totals -----------

REASON = ["2022年本部门预算支出227358.37万元，其中一般公共预算拨款支出227123.37万元、结转下年235万元，"
          "较上年减少322339.69万元，主要原因一是2021年部门预算中包含城建资金40亿元，今年部门预算中未列入。"]


def test_an_amount_in_a_reason_clause_is_not_a_part():
    passages = read(*REASON)[1]
    assert [[str(p.value) for p in e.parts] for e in passages[0].enumerations] == [["227123.37万元", "235万元"]]


def test_an_amount_in_a_reason_clause_names_no_total():
    found = facts("①机关工资福利支出（501）1349.07万元，较上年减少912.27万元，原因是某研究院2021年度工资福利支出822.92万元列入本科目开支。")
    assert [f.concept for f in found if str(f.value) == "822.92万元"] == [""]


def test_a_list_after_a_reason_splits_the_total_before_the_reason():
    passages = read("“三公”经费预算共33.28万元，比上年增加11.5万元。",
                    "主要原因是该车辆运行维护经费12.5万元由上级拨付。", "其中：", "1.因公出国（境）费10万元，与上年持平。",
                    "2.公务用车购置及运行费15万元，比上年增加12.5万元。", "3.公务接待费8.28万元，比上年减少1万元。")[1]
    listed = next(e for p in passages for e in p.enumerations)
    assert str(listed.whole.value) == "33.28万元" and [str(p.value) for p in listed.parts] == ["10万元", "15万元", "8.28万元"]


def test_real_reason_clause_figure_is_not_a_part():
    assert_gone_and_kept("cn-xian_2026_西安市住房和建设局_部门预算", [("N-ENUM-001", "expenditure_total|227358.37|227123.37+235+40")])


def test_real_reason_and_increase_amounts_are_not_parts():
    assert_gone_and_kept("cn-yantai_2026_烟台市工业和信息化局_部门预算", [("N-ENUM-001", "sangong_vehicle|15|0+15+12.5")])


# --- last year's parts; a rate in a part's own clause --------------------------------

def keys_on_text(rule_id: str, *texts: str) -> list[str]:
    from budgetaudit.model.document import Document, Sentence

    doc = Document("x.pdf", 1, [Line(1, t) for t in texts], [], sentences=[Sentence(1, "", t) for t in texts])
    return [f.key for f in fired(doc, rule_id)]


def test_parts_that_add_up_to_last_years_whole_are_last_years_list():
    last_year = "机关商品和服务支出996.33万元，较上年增加212.77万元，其中：2021年度专项业务费支出533万元，公务用车补贴97.64万元，日常公用经费152.92万元。"
    assert keys_on_text("N-ENUM-001", last_year) == []
    assert keys_on_text("N-ENUM-001", last_year.replace("152.92", "142.92")) == ["gov_goods_services|996.33|533+97.64+142.92"]


def test_real_last_years_parts_are_not_this_years_list():
    assert_gone_and_kept("cn-xian_2026_西安市科技创新局_部门预算", [
        ("N-ENUM-001", "gov_goods_services|996.33|533+97.64+65.56+87.36"), ("N-CONTRA-001", "wages|4182.68|822.92")])


def test_a_change_in_a_parts_own_clause_belongs_to_the_part():
    found = facts("2026年预算安排1335.21万元，其中：公务用车运行费1114.17万元，比上年减少30.00万元，下降2.62%；"
                  "公务用车购置费221.04万元，比上年增加221.04万元，增长100%。")
    rates = [f for f in found if f.role == "rate"]
    assert [str(r.subject.value) for r in rates] == ["1114.17万元", "221.04万元"]


def test_a_change_after_a_list_of_parts_in_one_clause_belongs_to_the_whole():
    found = facts("支出预算100万元，其中：基本支出60万元，项目支出40万元，比上年增加10万元。")
    assert [str(f.subject.value) for f in found if f.role == "change"] == ["100万元"]


def test_real_zero_base_rate_of_a_part_is_reported_on_the_part():
    errors = error_keys("cn-fuzhou_2026_福州市公安局交通警察局_部门预算")
    assert ("N-RATE-001", "1335.21|221.04|100") not in errors and ("N-RATE-001", "vehicle_purchase|221.04|100") in errors
    assert true_keys("cn-fuzhou_2026_福州市公安局交通警察局_部门预算") <= errors
