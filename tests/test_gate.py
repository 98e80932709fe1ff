"""Publication gate (P-* rules): exact findings per sample (golden files),
each check firing on a real sample and silent on a corrected variant, and the
remnant phrase list with phrases that must not fire."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_NAMES, build_variant, checked, default_ruleset, sample

from budgetaudit.checks.remnants import remnant_hit
from budgetaudit.engine import check_document

GOLDEN = ROOT / "tests" / "golden"


def gate_findings(result) -> list[dict]:
    return [{"rule": f.rule, "severity": f.severity, "key": f.key, "pages": sorted({l.page for l in f.locations if l.page})}
            for f in result.findings if f.rule.startswith("P-")]


def rules_of(path: Path) -> list[str]:
    return [f.rule for f in check_document(path, default_ruleset()).findings if f.rule.startswith("P-")]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_golden_gate_findings(name):
    actual = gate_findings(checked(str(sample(name))))
    def key(f):
        return (f["rule"], f["key"])
    if os.environ.get("BUDGETAUDIT_UPDATE_GOLDEN"):  # after a reviewed change (tests/real/verdicts.yaml)
        (GOLDEN / f"{name}.gate.json").write_text(json.dumps(sorted(actual, key=key), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads((GOLDEN / f"{name}.gate.json").read_text(encoding="utf-8"))
    assert sorted(actual, key=key) == sorted(expected, key=key)


def test_messages_in_english():
    result = checked(str(sample("anshan-zwfwzx-2025")), "en")
    messages = [f.message for f in result.findings if f.rule.startswith("P-")]
    assert messages and not any(re.search(r"[缺少印了两次空表但别处]{3}", m) for m in messages)
    assert any("is empty, but" in m for m in messages)


# --- fires on the sample, silent on a corrected variant ----------------------

def test_draft_watermark_and_project_names(tmp_path):
    fired = rules_of(sample("yangcheng-zwfw-2025"))
    assert "P-DRAFT-001" in fired and fired.count("P-PROJ-001") == 2
    variant = build_variant(tmp_path, "yangcheng-zwfw-2025", [("仅供内部审核", ""), ("网络千兆光纤费", "网络百兆光纤费"), ("招标投标业务费", "招投标业务费")], watermark=None)
    silent = rules_of(variant)
    assert "P-DRAFT-001" not in silent and "P-PROJ-001" not in silent


def test_draft_mark_in_text(tmp_path):
    variant = build_variant(tmp_path, "dashuju-2024", [("2024 年度单位预算", "2024 年度单位预算（征求意见稿）")])
    result = check_document(variant, default_ruleset())
    assert [f.actual for f in result.findings if f.rule == "P-DRAFT-001"] == ["征求意见稿"]


def test_table_title_repeated_on_the_next_page_is_a_continuation(tmp_path):
    """鞍山 prints 表13's title block at the foot of p24 and again above its grid on p25: one
    table continued, not a duplicate. The same block printed again pages later is one."""
    assert "P-TOC-004" not in rules_of(sample("anshan-zwfwzx-2025"))
    block = "支出经济分类预算表（部门预算经济分类）\n\n表13\n\n单位名称：鞍山市政务服务中心\n\n单位:万元\n\n"
    variant = build_variant(tmp_path, "anshan-zwfwzx-2025", [("\n\n部门（单位）整体绩效目标表", "\n\n" + block + "部门（单位）整体绩效目标表")])
    assert "P-TOC-004" in rules_of(variant)


def test_anshan_corrected_variant(tmp_path):
    """Cover name, 表17 name, 表10 note and the second 表13 corrected."""
    fired = rules_of(sample("anshan-zwfwzx-2025"))
    assert {"P-ID-001", "P-EMPTY-002", "P-EMPTY-003"} <= set(fired)
    second_13 = "支出经济分类预算表（部门预算经济分类）\n\n表13\n\n单位名称：鞍山市政务服务中心\n\n单位:万元\n\n支出经济分类预算表（部门预算经济分类）\n\n表13\n\n"
    variant = build_variant(tmp_path, "anshan-zwfwzx-2025", [
        ("\n\n鞍山市政务服务大厅\n\n2025 年度单位预算", "\n\n鞍山市政务服务中心\n\n2025 年度单位预算"),
        ("部门（单位）名称\t鞍山市政务服务大厅", "部门（单位）名称\t鞍山市政务服务中心"),
        ("表10\n\n单位名称：鞍山市政务服务中心\n\n单位：万元\n\n备注：如此表为空表，则表示本部门无政府性基金预算安排的支出。",
         "表10\n\n单位名称：鞍山市政务服务中心\n\n单位：万元\n\n备注：如此表为空表，则表示本部门无项目支出预算。"),
        (second_13, "支出经济分类预算表（部门预算经济分类）\n\n表13\n\n"),
    ])
    silent = rules_of(variant)
    for rule in ("P-ID-001", "P-EMPTY-002", "P-TOC-004"):
        assert rule not in silent


def test_year_fires_on_variant(tmp_path):
    assert "P-ID-002" not in rules_of(sample("anshan-zwfwzx-2025"))
    variant = build_variant(tmp_path, "anshan-zwfwzx-2025", [("2025年一般公共预算基本支出771.84万元", "2024年一般公共预算基本支出771.84万元")])
    result = check_document(variant, default_ruleset())
    years = [f for f in result.findings if f.rule == "P-ID-002"]
    assert len(years) == 1 and years[0].expected == "2025" and years[0].actual == "2024" and years[0].locations[0].page
    assert years[0].difference == ""  # a year has no 差额


def test_money_unit_fires_on_variant(tmp_path):
    assert "P-ID-003" not in rules_of(sample("anshan-zwfwzx-2025"))
    variant = build_variant(tmp_path, "anshan-zwfwzx-2025", [("收 入 合 计\t930.94\t支 出 总 计\t930.94", "收 入 合 计\t9309400.00\t支 出 总 计\t9309400.00")])
    assert "P-ID-003" in rules_of(variant)


def test_empty_table_explained_by_a_stated_zero(tmp_path):
    """永登 表十 (政府性基金) is empty; the narrative says 「使用政府性基金预算拨款安排支出 0 元」 and
    「政府性基金预算收入 0 万元」: explained, although the template's instruction was left in (that
    is P-REM-001's finding). Without those sentences nothing explains it."""
    assert "P-EMPTY-001" not in rules_of(sample("yongdeng-zwfw-2024"))
    variant = build_variant(tmp_path, "yongdeng-zwfw-2024", [
        ("2024 年使用政府性基金预算拨款安排支出 0 元，较 2023 年预算增加 0 万元。", ""),
        ("政府性基金预算收入 0 万元，占 0%；", ""),
        ("说明:如果 2024 年未安排政府性基金预算支出，请写成“未安排预算，政府性基金预算支出情况表为空表。”", ""),
    ])
    assert "P-EMPTY-001" in rules_of(variant)


def test_yongdeng_remnants_fixed(tmp_path):
    fired = rules_of(sample("yongdeng-zwfw-2024"))
    assert {"P-REM-001", "P-REM-002"} <= set(fired)
    variant = build_variant(tmp_path, "yongdeng-zwfw-2024", [
        ("说明:如果 2024 年未安排政府性基金预算支出，请写成“未安排预算，政府性基金预算支出情况表为空表。”", "未安排预算，政府性基金预算支出情况表为空表。"),
        ("主要原因是。", "主要原因是未安排该项支出。"),
    ])
    result = check_document(variant, default_ruleset())
    texts = [f.actual for f in result.findings if f.rule in ("P-REM-001", "P-REM-002")]
    assert not any("请写成" in t or t.endswith("原因是。") for t in texts)
    assert "P-EMPTY-001" not in [f.rule for f in result.findings]


def test_dashuju_links_and_notes_removed(tmp_path):
    fired = rules_of(sample("dashuju-2024"))
    assert "P-REM-003" in fired and "P-REM-001" in fired and "P-REQ-001" in fired and "P-TOC-001" in fired
    variant = build_variant(tmp_path, "dashuju-2024", [("（表以 pdf 文本格式链接在此处）", ""), ("（请注意增减原因要与数字逻辑关系相符）", "")])
    silent = rules_of(variant)
    assert "P-REM-003" not in silent and "P-REM-001" not in silent


def test_required_section_fixed(tmp_path):
    assert "P-REQ-002" in rules_of(sample("hanzhong-zwfw-2023"))
    variant = build_variant(tmp_path, "hanzhong-zwfw-2023", [("九、公用经费情况说明", "九、机关运行经费及公用经费情况说明")])
    assert "P-REQ-002" not in rules_of(variant)


def test_required_tables_silent_when_complete():
    """Liaoning's 19 tables are all printed in anshan (several empty), none in dashuju's 表2, 8-13, 19."""
    anshan = checked(str(sample("anshan-zwfwzx-2025")))
    assert not [f for f in anshan.findings if f.rule in ("P-REQ-001", "P-TOC-001")]
    dashuju = checked(str(sample("dashuju-2024")))
    missing = sorted(f.expected for f in dashuju.findings if f.rule == "P-REQ-001")
    assert len(missing) == 8 and "收入总表" in missing


def test_profile_from_cli_option():
    from dataclasses import replace

    ruleset = replace(default_ruleset(), profile="national")
    result = check_document(sample("dashuju-2024"), ruleset)
    missing = [f.expected for f in result.findings if f.rule == "P-REQ-001"]
    assert "项目支出表" not in missing and "收入总表" in missing  # the national list has no 项目支出表


# --- the phrase list --------------------------------------------------------

FIRE = {
    "write_as": ["说明:如果2024年未安排政府性基金预算支出，请写成“未安排预算，政府性基金预算支出情况表为空表。”"],
    "take_care": ["四、“三公”经费预算情况说明（请注意增减原因要与数字逻辑关系相符）"],
    "by_department": ["(以下内容各部门根据使用科目进行说明)", "其他专业名词解释可由单位根据内容业务内容等自行选择。"],
    "optional_fill": ["注：1、绩效指标可选择填写。"],
    "numbered_template_note": ["注：1.封面和目录的格式不得随意改变。"],
    "reason_missing": ["2024年预算数为0万元，较2023年预算减少0万元，主要原因是。", "主要原因是，。", "增加10万元，主要原因是"],
    "xx_placeholder": ["2025年XX万元", "比上年增加××万元"],
    "ellipsis": [".....", "目标3：....."],
    "empty_indicator": ["指标1：", "指标1：指标2：....."],
    "link_nowhere": ["（表以pdf文本格式链接在此处）"],
    "here": ["此处填写项目名称"],
    "form_copy_note": ["此表一式四份，国库股、预算股、业务股、单位各一份"],
}
SILENT = {
    "reason_missing": ["主要原因是人员增加。", "增长的主要原因:工资上调，缴费基数增加。", "减少的主要原因：一是压减一般性支出；",
                       "减少85.59%，主要原因是，2025年年中追加中央基建投资，2026年初暂无安排。", "财政拨款收入同比减少的主要原因："],
    "xx_placeholder": ["2025年收支总预算930.94万元。"],
    "ellipsis": ["主要包括办公费、印刷费等。"],
    "empty_indicator": ["指标1：群众满意率96%以上"],
    "take_care": ["注意节约"],
    "write_as": ["请按时公开。"],
}


def specs():
    return {str(p["id"]): p for p in default_ruleset().phrases["remnants"]}


@pytest.mark.parametrize("pattern,text", [(k, t) for k, v in FIRE.items() for t in v])
def test_remnant_fires(pattern, text):
    assert remnant_hit(specs()[pattern], text)


@pytest.mark.parametrize("pattern,text", [(k, t) for k, v in SILENT.items() for t in v])
def test_remnant_must_not_fire(pattern, text):
    assert not remnant_hit(specs()[pattern], text)


def test_every_remnant_pattern_is_tested():
    assert set(specs()) - {"template_rule", "markup"} <= set(FIRE)
