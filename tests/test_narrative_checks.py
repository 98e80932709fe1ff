"""End to end on the sample PDFs: the narrative inconsistencies of each seed are
found exactly as in tests/golden/<sample>.narrative.json, and variants whose
narrative was corrected draw none of the N-* findings they fixed."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SAMPLE_NAMES, build_variant, checked, sample

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
    for finding in result.findings:
        if finding.rule.startswith("N-") and finding.rule != "N-COV-002":
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


def test_anshan_corrected_narrative_draws_none_of_its_fixed_findings(tmp_path):
    path = build_variant(tmp_path, "anshan-zwfwzx-2025", [
        ("降低 6.87%", "降低 6.43%"), ("降低6.87%", "降低6.43%"),
        ("政府采购支出 103.00 万元", "政府采购支出 0 万元"),
        ("机关运行经费支出 0 万元，", ""),
    ])
    result = checked(str(path))
    assert not keys_of(result, "N-RATE-001")
    assert not keys_of(result, "N-CONTRA-001")
    assert keys_of(result, "N-EMPTY-001") == {"sangong|sangong+sangong_vehicle+vehicle_operation"}
    assert not keys_of(result, "N-COV-001")


def test_dashuju_corrected_vehicle_line_draws_no_enumeration_finding(tmp_path):
    path = build_variant(tmp_path, "dashuju-2024", [
        ("3. 公务用车购置及运行费 0 万元，比上年预算数减少 0 万元，下降 0%", "3. 公务用车购置及运行费 1.8 万元，比上年预算数减少 0.2 万元，下降 10%"),
    ])
    result = checked(str(path))
    assert not keys_of(result, "N-ENUM-002")
    assert not keys_of(result, "N-EMPTY-001")
    assert keys_of(result, "N-DEF-001") == {"personnel|1255.69", "public|122.89"}


def test_yongdeng_corrected_narrative_draws_no_error(tmp_path):
    path = build_variant(tmp_path, "yongdeng-zwfw-2024", [
        ("2024 年基本支出 137.05 万元", "2024 年基本支出 89.05 万元"), ("减少 0.7%", "减少 1.1%"),
        ("降低 0.9%", "降低 9.4%"), ("项目支出5个", "项目支出4个"),
    ])
    assert narrative_findings(checked(str(path))) == []


def test_share_fires_on_a_wrong_share(tmp_path):
    path = build_variant(tmp_path, "yongdeng-zwfw-2024", [("占 65%", "占 60%")])
    (share,) = [f for f in checked(str(path)).findings if f.rule == "N-SHARE-001"]
    assert share.expected == "64.98%" and share.actual == "60%"


def test_share_silent_on_the_samples():
    for name in SAMPLE_NAMES:
        assert not keys_of(checked(str(sample(name))), "N-SHARE-001")


def test_table_mismatch_fires_when_a_figure_is_changed(tmp_path):
    path = build_variant(tmp_path, "yangcheng-zwfw-2025", [("支出预算472.01万元，其中：基本支出282.14万元", "支出预算472.01万元，其中：基本支出282.41万元")])
    result = checked(str(path))
    assert "basic|282.41" in keys_of(result, "N-TIE-001")
    assert not keys_of(checked(str(sample("yangcheng-zwfw-2025"))), "N-TIE-001")


def test_tables_printing_only_item_rows_tie_to_the_narrative(tmp_path):
    """汉中 表5 and 表8 print 项 rows only (no 类, no 合计), in 元: their sum is the table's total."""
    published = checked(str(sample("hanzhong-zwfw-2023")))
    unchecked = " ".join(f.message for f in published.findings if f.rule == "N-COV-001")
    assert "「人员经费」" not in unchecked and "「一般公共预算支出」" not in unchecked
    assert not keys_of(published, "N-TIE-001")
    path = build_variant(tmp_path, "hanzhong-zwfw-2023", [("其中人员经费 183.38 万元", "其中人员经费 183.83 万元")])
    assert "personnel|183.83" in keys_of(checked(str(path)), "N-TIE-001")
