"""Sentence-level tests: real sentences copied from ../shared/seeds, read into facts."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from budgetaudit.ingest.facts import clean, read_narrative
from budgetaudit.ingest.sentences import split_narrative
from budgetaudit.model.document import Line
from budgetaudit.safe.yamlfile import load_yaml

CONCEPTS = load_yaml(Path(__file__).resolve().parent.parent / "rules" / "concepts.yaml")["concepts"]


def read(*lines: str):
    """Lines of one page through the real sentence splitter and fact reader."""
    _, sentences = split_narrative([Line(1, text) for text in lines])
    return read_narrative(sentences, CONCEPTS)


def facts(*lines: str):
    return [f for p in read(*lines) for f in p.facts]


def summary(*lines: str):
    return [(f.role, str(f.value), f.concept) for f in facts(*lines)]


# (sentence as printed in the seed, expected (role, value, concept) of every fact)
CASES = [
    # amounts: spaces around figures or none, 万元 attached or not
    ("（一）收入预算 930.94 万元，其中：", [("amount", "930.94万元", "income_total")]),
    ("1. 一般公共预算拨款收入 930.94 万元；", [("amount", "930.94万元", "general_budget_income")]),
    ("2. 政府性基金预算拨款收入 0 万元；", [("amount", "0万元", "gov_fund_income")]),
    ("6. 上年结转结余 0 万元。", [("amount", "0万元", "carryover")]),
    ("1. 基本支出 771.84 万元；", [("amount", "771.84万元", "basic")]),
    ("2025年财政拨款收支总预算930.94万元。", [("amount", "930.94万元", "fiscal_total")]),
    ("按照综合预算的原则，鞍山市大数据管理中心所有收入和支出均纳入部门预算管理，2024年收支总预算2317.04万元。",
     [("amount", "2317.04万元", "revenue_expenditure_total")]),
    ("2024 年部门收支总预算 137.05 万元。", [("amount", "137.05万元", "revenue_expenditure_total")]),
    ("2024年机关运行经费预算为0万元，与2023年预算持平。",
     [("amount", "0万元", "operating_costs"), ("change", "0万元", "")]),
    ("2025年阳城县政务服务中心政府采购预算总额63.04万元。", [("amount", "63.04万元", "procurement")]),
    ("公用经费支出 6.63 万元，主要包括：办公费、印刷费、咨询费。", [("amount", "6.63万元", "public")]),
    ("2. 公务接待费0万元，与上年一致。", [("amount", "0万元", "sangong_reception"), ("change", "0万元", "")]),
    ("(2) 公务用车运行费1.8万元，与上年一致。", [("amount", "1.8万元", "vehicle_operation"), ("change", "0万元", "")]),
    ("公务用车购置及运行费1.28万元,与上年预算数相同。", [("amount", "1.28万元", "sangong_vehicle"), ("change", "0万元", "")]),
    ("3. 公务用车购置及运行维护费 0 万元(其中:公务用车购置 0 万元,公务用车运行维护费 0 万元),较 2023 年预算增加 0 万元。",
     [("amount", "0万元", "sangong_vehicle"), ("amount", "0万元", "vehicle_purchase"), ("amount", "0万元", "vehicle_operation"), ("change", "0万元", "")]),
    # enumerations of amounts (其中 / 包括 / 、 separated)
    ("2025年一般公共预算基本支出771.84万元，其中工资福利支出705.20万元，商品和服务支出57.18万元，对个人和家庭补助支出9.46万元。",
     [("amount", "771.84万元", "general_budget_basic"), ("amount", "705.20万元", "wages"), ("amount", "57.18万元", "goods_services"), ("amount", "9.46万元", "household_subsidy")]),
    ("支出预算按功能支出包括：一般公共服务支出700.94万元、社会保障和就业支出77.29万元、卫生健康支出33.15万元、住房保障支出119.56万元；",
     [("amount", "700.94万元", "general_public_services"), ("amount", "77.29万元", "social_security"), ("amount", "33.15万元", "health"), ("amount", "119.56万元", "housing")]),
    ("本单位当年一般公共预算支出 225.98 万元，其中人员经费 183.38 万元，公用经费 4 万元，专项业务经费 38.6 万元，具体为：",
     [("amount", "225.98万元", "general_budget_expenditure"), ("amount", "183.38万元", "personnel"), ("amount", "4万元", "public"), ("amount", "38.6万元", "project")]),
    # parenthesised definitions and codes
    ("人员经费（即工资福利支出与对个人和家庭补助支出之和）723.12万元，主要包括：", [("amount", "723.12万元", "personnel")]),
    ("公用经费（即商品和服务支出）48.72万元，主要包括：办公费、印刷费。", [("amount", "48.72万元", "public")]),
    ("（1）本单位当年一般公共预算支出 225.98 万元，其中：工资福利支出（301）183.38 万元，较上年增加 117.88 万元，原因是增加人员工资福利费用；",
     [("amount", "225.98万元", "general_budget_expenditure"), ("amount", "183.38万元", "wages"), ("change", "117.88万元", "")]),
    ("资本性支出（310）1 万元，较上年增加 1 万元，原因是本年度增加办公设备购置支出。", [("amount", "1万元", "capital"), ("change", "1万元", "")]),
    # changes and rates
    ("2025年，财政拨款收支预算930.94万元，比上年减少63.94万元，降低6.87%。",
     [("amount", "930.94万元", "fiscal_total"), ("change", "63.94万元", ""), ("rate", "6.87%", "")]),
    ("2024 年基本支出 137.05 万元，比 2023 年预算减少 1 万元，减少 0.7%，减少的主要原因是项目支出减少。",
     [("amount", "137.05万元", "basic"), ("change", "1万元", ""), ("rate", "0.7%", "")]),
    ("2. 社会保障和就业支出 9.28 万元, 比 2023 年增长 1.5 万元, 增长 19.28%, 增长的主要原因: 工资上调, 缴费基数增加。",
     [("amount", "9.28万元", "social_security"), ("change", "1.5万元", ""), ("rate", "19.28%", "")]),
    ("机关运行经费 3.37 万元，较 2023 年预算增加 0.03 万元，增长 0.9%，增长的主要原因是工资总额增加，福利费增加。",
     [("amount", "3.37万元", "operating_costs"), ("change", "0.03万元", ""), ("rate", "0.9%", "")]),
    ("2024年一般公共预算安排的“三公”经费预算数1.8万元，比上年预算数减少0.2万元，下降10%。",
     [("amount", "1.8万元", "sangong"), ("change", "0.2万元", ""), ("rate", "10%", "")]),
    ("比上年预算减少119.74万元，降低41.63%。", [("change", "119.74万元", ""), ("rate", "41.63%", "")]),
    ("本单位当年预算收入 225.98 万元，其中一般公共预算拨款收入 225.98 万元，较上年增加 119.58 万元，主要原因是新增 6 人工资福利经费；",
     [("amount", "225.98万元", "income_total"), ("amount", "225.98万元", "general_budget_income"), ("change", "119.58万元", ""), ("count", "6人", "")]),
    # shares
    ("一般公共预算收入 137.05 万元，占 100%；", [("amount", "137.05万元", "general_budget_income"), ("share", "100%", "")]),
    ("2025年度阳城县政务服务中心支出预算472.01万元，其中：基本支出282.14万元，占59.77%；项目支出189.87万元，占40.23%。",
     [("amount", "472.01万元", "expenditure_total"), ("amount", "282.14万元", "basic"), ("share", "59.77%", ""), ("amount", "189.87万元", "project"), ("share", "40.23%", "")]),
    ("住房保障支出21.75万元,占4.61%等。", [("amount", "21.75万元", "housing"), ("share", "4.61%", "")]),
    # counts
    ("截止2024年12月，共有车辆1辆，其中：部级领导干部用车0辆、一般公务用车0辆、一般执法执勤用车0辆、特种专业技术用车0辆，其他用车1辆。",
     [("count", "1辆", "")] + [("count", "0辆", "")] * 4 + [("count", "1辆", "")]),
    ("截止上年底，本单位人员编制 17 人，其中事业编制 17 人；实有人员 14 人，其中事业 14 人。",
     [("count", "17人", ""), ("count", "17人", ""), ("count", "14人", ""), ("count", "14人", "")]),
    ("经济社会发展项目 0 个。", [("count", "0个", "")]),
    # other percentages and thresholds are not amounts
    ("根据预算绩效管理要求，2025年应编制整体绩效目标共1个，实际编制整体绩效目标共1个，编制覆盖率（实际编制整体绩效目标/应编制整体绩效目标）为100%。",
     [("count", "1个", ""), ("count", "1个", ""), ("ratio", "100%", "")]),
    ("单位价值50万元以上通用设备0台（套），单位价值100万元以上专业设备0台（套）。", [("count", "0台（套）", ""), ("count", "0台（套）", "")]),
]


@pytest.mark.parametrize("sentence,expected", CASES, ids=[c[0][:24] for c in CASES])
def test_sentence_facts(sentence, expected):
    assert summary(sentence) == expected


def test_clean_removes_spaces_quotes_and_unifies_brackets():
    assert clean("“三公” 经费 (含 1 项)") == "三公经费（含1项）"


def test_definition_in_parentheses_names_its_parts():
    fact = facts("人员经费（即工资福利支出与对个人和家庭补助支出之和）723.12万元，主要包括：")[0]
    assert fact.definition == ["household_subsidy", "wages"] or sorted(fact.definition) == ["household_subsidy", "wages"]


def test_change_and_rate_belong_to_the_amount_before_them():
    amount, change, rate = facts("2024 年一般公共预算财政拨款项目支出预算 48 万元，比 2023 年预算减少 5 万元，降低 0.9%，降低的主要原因是政务大厅运行经费减少。")
    assert change.subject is amount and change.direction == -1
    assert rate.change is change and rate.subject is amount and rate.value.value == Decimal("0.9")


def test_change_after_a_list_of_two_parts_belongs_to_the_whole():
    found = facts("2025年度阳城县政务服务中心预算收入总计472.01万元，其中：本年收入472.01万元，上年结转0万元，比上年减少48.12万元，下降9.25%，主要原因是2025年预算收入比2024年减少了政务中心工作人员餐补。")
    change = next(f for f in found if f.role == "change")
    assert change.subject is found[0] and change.subject.concept == "income_total"


def test_change_in_next_sentence_leans_on_the_previous_amount():
    found = facts("2025年事业运行经费预算为167.92万元，主要包括本部门的办公及印刷费。", "比上年预算减少119.74万元，降低41.63%。")
    change = next(f for f in found if f.role == "change")
    assert change.subject is not None and str(change.subject.value) == "167.92万元"


def test_comparison_words_imply_a_zero_change():
    found = facts("1. 因公出国（境）费0万元，与上年持平，无增减变化。")
    assert [(f.role, f.implied) for f in found] == [("amount", False), ("change", True)]


def test_heading_list_continues_over_numbered_items():
    passages = read("（二）支出预算 930.94 万元，其中：", "1. 基本支出 771.84 万元；", "2. 项目支出 159.10 万元。")
    (enumeration,) = passages[0].enumerations
    assert str(enumeration.whole.value) == "930.94万元" and [str(p.value) for p in enumeration.parts] == ["771.84万元", "159.10万元"]


def test_list_opening_with_qizhong_takes_the_previous_sentence_as_whole():
    passages = read("2024 年支出预算 137.05 万元（详见部门/单位预算公开表 3）。其中：基本支出 89.05 万元，占 65%；项目支出 48 万元，占 35%；上年结转 0 万元，占 0%。")
    enumeration = passages[1].enumerations[0]
    assert str(enumeration.whole.value) == "137.05万元" and not enumeration.stated_whole
    assert [str(p.value) for p in enumeration.parts] == ["89.05万元", "48万元", "0万元"]


def test_count_list_with_gong_is_counted():
    passages = read("2023年度，组织开展绩效自评项目共5个，其中，部门（单位）整体支出1个，项目支出5个，转移支付项目0个，绩效自评覆盖率为100%。")
    (enumeration,) = passages[0].enumerations
    assert enumeration.counted and str(enumeration.whole.value) == "5个"
    assert sum(p.value.value for p in enumeration.parts) == 6


def test_two_lists_in_one_passage_do_not_share_parts():
    passages = read("截止上年底，本单位人员编制 17 人，其中事业编制 17 人；实有人员 14 人，其中事业 14 人。")
    lists = passages[0].enumerations
    assert [(str(e.whole.value), [str(p.value) for p in e.parts]) for e in lists] == [("17人", ["17人"]), ("14人", ["14人"])]


def test_main_items_without_figures_open_no_list():
    passages = read("2024 年基本支出 137.05 万元，比 2023 年预算减少 1 万元，减少 0.7%，减少的主要原因是项目支出减少。",
                    "其中：人员经费支出 82.42 万元，主要包括：基本工资、津贴补贴、奖金；公用经费支出 6.63 万元，主要包括：办公费、印刷费。")
    assert [m.marker for m in passages[1].enumerations] == ["其中"]
    assert str(passages[1].enumerations[0].whole.value) == "137.05万元"
    assert [str(p.value) for p in passages[1].enumerations[0].parts] == ["82.42万元", "6.63万元"]


def test_list_whose_own_clause_has_no_amount_opens_no_amount_list():
    """杭州市气象局: 其中，购置支出0.00万元，主要用于经批准购置的0辆公务用车；运行维护费18.00万元…"""
    passages = read("2026年安排公务用车购置及运行维护费预算18.00万元，与上年预算数持平。",
                    "其中，公务用车购置支出0.00万元（含购置税等附加费用），主要用于经批准购置的0辆公务用车，与上年预算数持平；"
                    "公务用车运行维护费支出18.00万元，主要用于公务用车燃料费等支出，与上年预算数持平。")
    assert not any(str(e.whole.value) == "0.00万元" for p in passages for e in p.enumerations)


def test_list_of_main_items_is_partial():
    """长春市信访局: 机关运行经费211万元，其中主要支出为… (the parts add to 198.40)."""
    passages = read("机关运行经费预算总计211万元，其中主要支出为办公费34.82万元，差旅费10万元，维修（护）费。")
    (enumeration,) = passages[0].enumerations
    assert enumeration.partial
    exhaustive = read("2024年支出预算137.05万元，其中基本支出89.05万元，项目支出48万元。")
    assert not exhaustive[0].enumerations[0].partial


def test_concepts_after_an_unnamed_item_describe_the_item():
    """深圳口岸办 / 长春市信访局: a project's own 上年结转 / 临聘人员经费 is not the department's."""
    found = summary("3.上级转移支付项目10,289.74万元,主要包括：口岸区物业管理服务2,520.00万元，上年结转122.31万元，用于运行维护工作。")
    assert ("amount", "122.31万元", "") in found
    found = summary("2026年项目支出预算474.56万元，2026信访接待中心运行费116万元，信访局临聘人员经费15.56万元。")
    assert found == [("amount", "474.56万元", "project"), ("amount", "116万元", ""), ("amount", "15.56万元", "")]
    assert ("amount", "600万元", "basic") in summary("部门预算总额1000万元，其中基本支出600万元，项目支出400万元。")


def test_all_funds_concept_under_a_fiscal_heading_is_narrowed():
    """重庆市气象局: 三、财政拨款情况说明 … 项目支出7,227.34万元 is the fiscal share, not 表三's total."""
    found = summary("三、财政拨款情况说明", "其中：基本支出5,445.39万元；项目支出7,227.34万元,主要用于落实部署。")
    assert [c for _, _, c in found] == ["", ""]


def test_share_names_its_whole_after_zhan():
    found = facts("公开项目绩效目标8个，涉及项目金额189.87万元，占部门（单位）项目支出总额的100%。")
    share = next(f for f in found if f.role == "share")
    assert share.whole_concept == "project"


def test_figures_with_spaces_inside_percent():
    found = facts("截至7月底，如期完成预算执行和绩效目标指标值的项目1个，完成率为100 %。")
    assert [(f.role, str(f.value)) for f in found] == [("count", "1个"), ("ratio", "100%")]


def test_sentence_count_is_at_least_forty():
    assert len(CASES) + 12 >= 40


def test_list_opened_by_zhuyao_yongyu_is_exact():
    """主要用于以下方面：… lists the function classes in full: the parts must add up to the whole."""
    passages = read("一般公共预算支出100万元，主要用于以下方面：一般公共服务支出60万元，教育支出30万元。")
    (enumeration,) = passages[0].enumerations
    assert not enumeration.partial and str(enumeration.whole.value) == "100万元"


def test_unnamed_part_of_a_named_whole_does_not_hide_the_other_parts():
    found = summary("支出预算100万元，其中：信访接待费10万元，基本支出60万元，项目支出40万元。")
    assert ("amount", "60万元", "basic") in found and ("amount", "40万元", "project") in found


def test_comparison_base_is_never_a_lists_whole():
    passages = read("收入预算100万元，比上年预算数90万元增加10万元，其中：一般公共预算拨款收入80万元，政府性基金预算拨款收入20万元。")
    enumeration = passages[0].enumerations[0]
    assert str(enumeration.whole.value) == "100万元"
