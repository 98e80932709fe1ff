"""End to end on the sample PDFs: the narrative inconsistencies of each seed are
found exactly as in tests/golden/<sample>.narrative.json, and variants whose
narrative was corrected draw none of the N-* findings they fixed."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SAMPLE_NAMES, checked, fixture_case, rule_run, sample

from budgetaudit.run.engine import Result

GOLDEN = Path(__file__).resolve().parent / "golden"


def narrative_findings(result, severities=("error", "warning")):
    return sorted([f.rule, f.key] for f in result.findings if f.rule.startswith("N-") and f.severity in severities)


def keys_of(result, rule: str) -> set[str]:
    return {f.key for f in result.findings if f.rule == rule}


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_golden_narrative_findings(name):
    expected = json.loads((GOLDEN / f"{name}.narrative.json").read_text(encoding="utf-8"))["findings"]
    assert narrative_findings(checked(str(sample(name)))) == sorted(expected)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_coverage_is_reported(name):
    result = checked(str(sample(name)))
    (summary,) = [f for f in result.findings if f.rule == "N-COV-002"]
    done, total = re.search(r"核对了 (\d+)/(\d+) 个叙述数字", summary.message).groups()
    unchecked = [f for f in result.findings if f.rule == "N-COV-001"]
    assert int(total) > 0 and summary.expected == total and summary.actual == done
    assert (int(total) - int(done) > 0) == bool(unchecked)


def test_every_finding_names_its_sentence_and_page():
    result = checked(str(sample("anshan-zwfwzx-2025")))
    narrative = [f for f in result.findings if f.rule.startswith("N-") and f.rule != "N-COV-002"]
    assert narrative, "the sample's narrative findings"
    for finding in narrative:
        assert finding.locations and finding.locations[0].page and finding.locations[0].text


def test_wrong_base_rate_is_named():
    rates = [f for f in checked(str(sample("anshan-zwfwzx-2025"))).findings if f.rule == "N-RATE-001"]
    assert rates and all("本年数作分母" in f.message and f.expected == "6.43%" and f.actual == "6.87%" for f in rates)


def test_rate_on_a_small_base_is_recomputed():
    (rate,) = [f for f in checked(str(sample("yongdeng-zwfw-2024"))).findings if f.rule == "N-RATE-001"]
    assert rate.expected == "9.43%" and "48万元 + 5万元 = 53万元" in rate.message


def test_definition_reports_both_figures():
    (personnel,) = [f for f in checked(str(sample("dashuju-2024"))).findings if f.key == "personnel|1255.69"]
    assert "1255.69万元" in personnel.message and "1289.27万元" in personnel.message and "30239" in personnel.message


def test_definition_silent_without_a_stated_definition():
    assert not keys_of(checked(str(sample("yangcheng-zwfw-2025"))), "N-DEF-001")


def test_messages_in_english():
    result = checked(str(sample("anshan-zwfwzx-2025")), "en")
    rate = next(f for f in result.findings if f.rule == "N-RATE-001")
    assert "wrong base" in rate.message and "last year" in rate.message
    summary = next(f for f in result.findings if f.rule == "N-COV-002")
    assert summary.message.startswith("Narrative coverage: checked")


# --- details of fixture cases (rules/checks/narrative/fixtures/, run by tests/test_rule_fixtures.py) ---

def findings_on(fixture_documents, rule_id: str, verdict: str, index: int = 0) -> Result:
    """All findings on the document of one fixture case (built once per session)."""
    path = fixture_documents.path(fixture_case(rule_id, verdict, index))
    return Result(str(path), findings=rule_run(str(path))[0])


def test_anshan_corrected_narrative_draws_none_of_its_fixed_findings(fixture_documents):
    """降低 6.87% → 6.43%, 政府采购支出 0 万元, the 机关运行经费 sentence removed."""
    result = findings_on(fixture_documents, "N-RATE-001", "silent")
    assert not keys_of(result, "N-RATE-001")
    assert not keys_of(result, "N-CONTRA-001")
    assert keys_of(result, "N-EMPTY-001") == {"sangong|sangong+sangong_vehicle+vehicle_operation"}
    assert not keys_of(result, "N-COV-001")


def test_dashuju_corrected_vehicle_line_draws_no_enumeration_finding(fixture_documents):
    """3. 公务用车购置及运行费 1.8 万元 as the table prints it."""
    result = findings_on(fixture_documents, "N-ENUM-002", "silent")
    assert not keys_of(result, "N-ENUM-002")
    assert not keys_of(result, "N-EMPTY-001")
    assert keys_of(result, "N-DEF-001") == {"personnel|1255.69", "public|122.89"}


def test_yongdeng_corrected_narrative_draws_no_error(fixture_documents):
    """基本支出 89.05, 减少 1.1%, 降低 9.4%, 项目支出4个."""
    assert narrative_findings(findings_on(fixture_documents, "N-ENUM-001", "silent")) == []


def test_share_fires_on_a_wrong_share(fixture_documents):
    (share,) = [f for f in findings_on(fixture_documents, "N-SHARE-001", "fires").findings if f.rule == "N-SHARE-001"]
    assert share.expected == "64.98%" and share.actual == "60%"


def test_tables_printing_only_item_rows_tie_to_the_narrative():
    """汉中 表5 and 表8 print 项 rows only (no 类, no 合计), in 元: their sum is the table's total
    (its N-TIE-001 fixture fires when the text's 人员经费 is changed)."""
    published = checked(str(sample("hanzhong-zwfw-2023")))
    unchecked = " ".join(f.message for f in published.findings if f.rule == "N-COV-001")
    assert "「人员经费」" not in unchecked and "「一般公共预算支出」" not in unchecked
    assert not keys_of(published, "N-TIE-001")
