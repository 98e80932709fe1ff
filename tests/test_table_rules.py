"""Table findings in detail: the figures and cells each one names, its English text, and the
table findings of every published sample. Where each table rule fires and stays silent is in
its fixture file (tests/test_rule_fixtures.py)."""
import pytest
from conftest import checked, default_ruleset, fixture_case, fixture_cases, fixture_findings, parsed, sample

from budgetaudit.run.engine import run_rules

# Where each table rule fires and stays silent is in its fixture file
# (rules/checks/table/fixtures/, rules/checks/cross/fixtures/), run by tests/test_rule_fixtures.py:
# a sample variant with one figure changed, which breaks exactly the identity named.
TABLE_FIRES = [(rule, i, case) for rule, verdict, i, case in fixture_cases() if verdict == "fires" and rule.startswith(("T-", "X-"))]


@pytest.mark.parametrize("rule, index, case", TABLE_FIRES, ids=[f"{r}-{i}" for r, i, _ in TABLE_FIRES])
def test_table_finding_names_figures_and_cell(rule, index, case, fixture_documents):
    """A table finding says what was expected, what is printed, the difference and the
    tolerance, and names the page and the table."""
    findings = fixture_findings(rule, case, fixture_documents.path(case))
    assert findings, f"{rule} does not fire on its fixture case"
    for finding in findings:
        assert finding.expected and finding.actual and finding.difference
        assert finding.locations and finding.locations[0].page and finding.locations[0].table
        assert finding.tolerance


def test_project_amount_error_published_in_yangcheng_and_its_correction(fixture_documents):
    """The seed's 项目支出表 prints 网络运行维护费 2.80 万元; its 绩效目标表 says 26,000 元."""
    published = [f for f in checked(str(sample("yangcheng-zwfw-2025"))).findings if f.rule == "X-TIE-010"]
    assert [(f.expected, f.actual, f.difference) for f in published] == [("26000元", "2.80万元", "0.20万元")]  # each side as printed
    corrected = fixture_case("X-TIE-010", "silent", 0)
    assert "28,000" in corrected["replace"][0][1] and not fixture_findings("X-TIE-010", corrected, fixture_documents.path(corrected))


def test_finding_in_english(fixture_documents):
    path = fixture_documents.path(fixture_case("T-COL-001", "fires", 0))
    finding = next(f for f in run_rules(parsed(str(path)), default_ruleset(), "en")[0] if f.rule == "T-COL-001")
    assert finding.message.startswith("Total = basic + project expenditure")
    assert "rounding tolerance" in finding.tolerance


@pytest.mark.parametrize("name", ["anshan-zwfwzx-2025", "dashuju-2024", "yongdeng-zwfw-2024", "hanzhong-zwfw-2023", "yangcheng-zwfw-2025"])
def test_sample_table_findings_match_golden(name):
    """Table and reading findings of each published sample, reviewed against the seed (tests/golden/*.tables.json)."""
    import json
    from pathlib import Path

    golden = json.loads((Path(__file__).parent / "golden" / f"{name}.tables.json").read_text(encoding="utf-8"))
    found = sorted({(f.rule, f.severity, f.key) for f in checked(str(sample(name))).findings if f.rule.startswith(("T-", "X-", "R-"))})
    assert [list(item) for item in found] == golden
