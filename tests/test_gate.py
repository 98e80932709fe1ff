"""Publication gate (P-* rules): exact findings per sample (golden files), details of
the fixture cases (rules/checks/gate/fixtures/, where each rule fires on a sample or a
variant and stays silent on a corrected one), and the remnant phrase list with phrases
that must not fire."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_NAMES, build_variant, checked, default_ruleset, fixture_case, rule_run, sample

from budgetaudit.checks.gate.remnants import remnant_hit
from budgetaudit.run.engine import check_document

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


# --- details of fixture cases ------------------------------------------------
# Where each P-* rule fires and stays silent (samples, corrected variants) is in
# rules/checks/gate/fixtures/ (tests/test_rule_fixtures.py); these check more of a finding.

def test_draft_mark_in_text(fixture_documents):
    path = fixture_documents.path(fixture_case("P-DRAFT-001", "fires", 0))
    assert [f.actual for f in rule_run(str(path))[0] if f.rule == "P-DRAFT-001"] == ["征求意见稿"]


def test_year_fires_on_variant(fixture_documents):
    path = fixture_documents.path(fixture_case("P-ID-002", "fires", 0))
    years = [f for f in rule_run(str(path))[0] if f.rule == "P-ID-002"]
    assert len(years) == 1 and years[0].expected == "2025" and years[0].actual == "2024" and years[0].locations[0].page
    assert years[0].difference == ""  # a year has no 差额


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
