"""Every table rule fires on a sample variant with one figure changed, and
stays silent on the sample as published (where its tables are consistent)."""
import pytest
from conftest import build_variant, checked, default_ruleset, sample

from budgetaudit.engine import check_document

# rule → (sample, replacements applied to its seed). Each change breaks exactly the identity named.
VARIANTS = {
    "T-COL-001": ("anshan-zwfwzx-2025", [("2014199\t其他数据事务支出\t159.10\t\t\t\t159.10", "2014199\t其他数据事务支出\t159.20\t\t\t\t159.10", 1)]),
    "T-COL-002": ("anshan-zwfwzx-2025", [("2080502\t事业单位离退休\t2.74\t2.74\t2.12", "2080502\t事业单位离退休\t2.74\t2.74\t2.22", 1)]),
    "T-COL-003": ("anshan-zwfwzx-2025", [("30201\t办公费\t10.00\t\t10.00", "30201\t办公费\t10.00\t\t10.50")]),
    "T-COL-004": ("dashuju-2024", [("1.80\t\t1.80\t\t1.80\t", "2.00\t\t1.80\t\t1.80\t")]),
    "T-COL-005": ("dashuju-2024", [("1.80\t\t1.80\t\t1.80\t", "1.80\t\t1.80\t\t1.60\t")]),
    "T-HIER-001": ("anshan-zwfwzx-2025", [("30107\t绩效工资\t197.65\t197.65", "30107\t绩效工资\t197.75\t197.75")]),
    "T-NAME-001": ("dashuju-2024", [("221\t住房保障支出\t179.76\t179.76\t179.76", "221\t城乡社区支出\t179.76\t179.76\t179.76", 1)]),
    "T-BAL-001": ("anshan-zwfwzx-2025", [("收 入 合 计\t930.94\t支 出 总 计\t930.94", "收 入 合 计\t930.94\t支 出 总 计\t931.94")]),
    "T-BAL-002": ("anshan-zwfwzx-2025", [("收 入 总 计\t930.94\t支 出 总 计\t930.94", "收 入 总 计\t930.94\t支 出 总 计\t931.94")]),
    "T-BAL-003": ("anshan-zwfwzx-2025", [("本年收入合计\t930.94", "本年收入合计\t903.94")]),
    "T-BAL-004": ("anshan-zwfwzx-2025", [("本年支出合计\t930.94", "本年支出合计\t931.00")]),
    "T-BAL-005": ("anshan-zwfwzx-2025", [("一、本年收入\t930.94\t一、本年支出", "一、本年收入\t903.94\t一、本年支出")]),
    "T-SUM-001": ("yangcheng-zwfw-2025", [("合计\t1.58\t1.58", "合计\t1.60\t1.58")]),
    "T-SUM-002": ("yangcheng-zwfw-2025", [("②公务用车运行维护费\t1.28\t1.28", "②公务用车运行维护费\t1.18\t1.28")]),
    "X-TIE-001": ("anshan-zwfwzx-2025", [("\t\t十五、住房保障支出\t119.56", "\t\t十五、住房保障支出\t119.65")]),
    "X-TIE-002": ("anshan-zwfwzx-2025", [("(四)住房保障支出\t119.56", "(四)住房保障支出\t119.65")]),
    "X-TIE-003": ("yangcheng-zwfw-2025", [("合计\t\t282.14\t261.32\t20.82", "合计\t\t282.41\t261.32\t20.82")]),
    "X-TIE-004": ("dashuju-2024", [("\t合计\t1,378.58\t1,289.27\t89.31", "\t合计\t1,378.58\t1,289.72\t89.31")]),
    "X-TIE-005": ("dashuju-2024", [("\t合计\t1,378.58\t1,289.27\t89.31", "\t合计\t1,378.58\t1,289.27\t89.13")]),
    "X-TIE-006": ("dashuju-2024", [("30216\t培训费\t1.00\t\t1.00", "30217\t公务接待费\t1.00\t\t1.00")]),
    "X-TIE-007": ("dashuju-2024", [("1.80\t\t1.80\t\t1.80\t", "1.80\t\t1.80\t\t1.60\t")]),
    "X-TIE-008": ("dashuju-2024", [("30216\t培训费\t1.00\t\t1.00", "31013\t公务用车购置\t1.00\t\t1.00")]),
    "X-TIE-009": ("yangcheng-zwfw-2025", [("阳城县政务服务中心\t189.87\t189.87", "阳城县政务服务中心\t198.87\t189.87")]),
    # 元 in the project table, 万元 in the forms: 250000 元 = 25 万元
    "X-TIE-010": ("hanzhong-zwfw-2023", [("工作经费\t250000\t政府购买服务", "工作经费\t260000\t政府购买服务")]),
    "X-TIE-011": ("dashuju-2024", [("基本支出人员经费（刚性）\t\t\t194.72", "基本支出人员经费（刚性）\t\t\t195.72")]),
    "X-TIE-012": ("dashuju-2024", [("基本支出公用经费（保运转）\t\t\t89.31", "基本支出公用经费（保运转）\t\t\t89.41")]),
}


# rule → (sample, corrections): the published sample holds a real error this rule reports,
# and the corrected variant draws nothing from it.
SEED_ERRORS = {
    # 汉中 收支总表, 部门经济分类 block: (2)商品和服务支出 375,000 (the 财政拨款收支总表 and 表6 say 376,000)
    "T-BAL-006": ("hanzhong-zwfw-2023", [("(2)商品和服务支出\t375,000.00", "(2)商品和服务支出\t376,000.00", 1)]),
}


def table_rules():
    return sorted(r for r in default_ruleset().rules if r.startswith(("T-", "X-")))


def test_every_table_rule_has_a_variant():
    assert table_rules() == sorted(set(VARIANTS) | set(SEED_ERRORS)), "add a firing variant for each new table rule"


@pytest.mark.parametrize("rule", sorted(SEED_ERRORS))
def test_seed_error_found_and_silent_once_corrected(rule, tmp_path):
    name, corrections = SEED_ERRORS[rule]
    assert [f for f in checked(str(sample(name))).findings if f.rule == rule]
    fixed = check_document(build_variant(tmp_path, name, corrections), default_ruleset())
    assert not [f for f in fixed.findings if f.rule == rule]


@pytest.mark.parametrize("rule", sorted(VARIANTS))
def test_silent_on_published_sample(rule):
    name, _ = VARIANTS[rule]
    fired = [f for f in checked(str(sample(name))).findings if f.rule == rule]
    assert not fired, [f.message for f in fired]


@pytest.mark.parametrize("rule", sorted(VARIANTS))
def test_fires_on_variant(rule, tmp_path):
    name, replacements = VARIANTS[rule]
    result = check_document(build_variant(tmp_path, name, replacements), default_ruleset())
    fired = [f for f in result.findings if f.rule == rule]
    assert fired, f"{rule} did not fire; skipped: {[s.reason for s in result.skipped if s.rule == rule]}"
    finding = fired[0]
    assert finding.expected and finding.actual and finding.difference
    assert finding.locations and finding.locations[0].page and finding.locations[0].table
    assert finding.tolerance


def test_project_amount_error_published_in_yangcheng_and_its_correction(tmp_path):
    """The seed's 项目支出表 prints 网络运行维护费 2.80 万元; its 绩效目标表 says 26,000 元."""
    published = [f for f in checked(str(sample("yangcheng-zwfw-2025"))).findings if f.rule == "X-TIE-010"]
    assert [(f.expected, f.actual, f.difference) for f in published] == [("26000元", "2.80万元", "0.20万元")]  # each side as printed
    fixed = build_variant(tmp_path, "yangcheng-zwfw-2025", [("实施期资金总额:\t\t26,000\t\t年度资金总额:\t\t26,000", "实施期资金总额:\t\t28,000\t\t年度资金总额:\t\t28,000")])
    assert not [f for f in check_document(fixed, default_ruleset()).findings if f.rule == "X-TIE-010"]


def test_finding_in_english(tmp_path):
    name, replacements = VARIANTS["T-COL-001"]
    result = check_document(build_variant(tmp_path, name, replacements), default_ruleset(), "en")
    finding = next(f for f in result.findings if f.rule == "T-COL-001")
    assert finding.message.startswith("Total = basic + project expenditure")
    assert "rounding tolerance" in finding.tolerance


def test_rounding_within_tolerance_is_silent(tmp_path):
    # 159.10 → 159.11 in the 项目支出 column: 0.01 difference, inside 2 × 0.005 + 0.005
    replacements = [("2014199\t其他数据事务支出\t159.10\t\t\t\t159.10", "2014199\t其他数据事务支出\t159.10\t\t\t\t159.11", 1)]
    result = check_document(build_variant(tmp_path, "anshan-zwfwzx-2025", replacements), default_ruleset())
    assert not [f for f in result.findings if f.rule == "T-COL-001"]


@pytest.mark.parametrize("name", ["anshan-zwfwzx-2025", "dashuju-2024", "yongdeng-zwfw-2024", "hanzhong-zwfw-2023", "yangcheng-zwfw-2025"])
def test_sample_table_findings_match_golden(name):
    """Table and reading findings of each published sample, reviewed against the seed (tests/golden/*.tables.json)."""
    import json
    from pathlib import Path

    golden = json.loads((Path(__file__).parent / "golden" / f"{name}.tables.json").read_text(encoding="utf-8"))
    found = sorted({(f.rule, f.severity, f.key) for f in checked(str(sample(name))).findings if f.rule.startswith(("T-", "X-", "R-"))})
    assert [list(item) for item in found] == golden
