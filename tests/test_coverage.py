"""Coverage in every report: rules run / not applicable / could not run,
tables recognised / found, narrative figures tied / stated. A document whose
needed table was found but not recognised is not reported as clean, and
--require-checked (or `require_checked: true`) makes it fail the gate."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import build_variant, checked, sample
from test_hostile import run_cli

SANGONG_RULES = "T-COL-004,T-COL-005"  # pass on dashuju; both need its 三公 table
SANGONG_TITLE = "财政拨款预算“三公”经费支出表"


@pytest.fixture(scope="module")
def unrecognised(tmp_path_factory) -> Path:
    """dashuju with its 三公 table retitled so that no table kind matches: found, not recognised."""
    return build_variant(tmp_path_factory.mktemp("coverage"), "dashuju-2024", [(SANGONG_TITLE, "财政拨款预算其他情况明细表")])


def test_coverage_counts_on_a_sample():
    cov = checked(str(sample("hanzhong-zwfw-2023"))).coverage
    assert cov.rules_run + cov.not_applicable + cov.could_not_run > 40
    assert (cov.tables_found, cov.tables_recognised) == (18, 17)
    assert 0 < cov.figures_tied <= cov.figures_stated
    assert cov.reasons and all(count >= 1 for _, count in cov.reasons)
    assert cov.incomplete  # most of its table rules could not run
    complete = checked(str(sample("dashuju-2024"))).coverage
    assert not complete.incomplete and complete.tables_found == complete.tables_recognised


def test_an_unrecognised_needed_table_is_not_clean(unrecognised, tmp_path):
    clean = run_cli("check", sample("dashuju-2024"), "--select", SANGONG_RULES, "--require-checked", cwd=tmp_path)
    assert clean.returncode == 0 and "未完整检查" not in clean.stdout
    plain = run_cli("check", unrecognised, "--select", SANGONG_RULES, cwd=tmp_path)
    assert plain.returncode == 0  # no finding, so the default gate passes, but says what it did not check
    assert "警告：未完整检查" in plain.stdout and "“三公”经费支出表" in plain.stdout and "未完整检查 1" in plain.stdout
    gated = run_cli("check", unrecognised, "--select", SANGONG_RULES, "--require-checked", cwd=tmp_path)
    assert gated.returncode == 1
    (tmp_path / "budgetaudit.yaml").write_text("require_checked: true\n", encoding="utf-8")
    assert run_cli("check", unrecognised, "--select", SANGONG_RULES, cwd=tmp_path).returncode == 1


def test_every_format_carries_the_coverage_block(unrecognised, tmp_path):
    args = ["check", unrecognised, "--select", SANGONG_RULES, "--require-checked", "--lang", "en"]
    document = json.loads(run_cli(*args, "-f", "json", cwd=tmp_path).stdout)
    cov = document["documents"][0]["coverage"]
    assert cov["incomplete"] is True and cov["tables_found"] == cov["tables_recognised"] + 1
    assert "sangong" in [kind for _, kind in cov["needs_unrecognised"]]
    assert document["summary"]["incomplete"] == 1
    suite = ET.fromstring(run_cli(*args, "-f", "junit", cwd=tmp_path).stdout).find("testsuite")
    props = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert props["coverage.incomplete"] == "true" and "coverage.rules_run" in props
    case = next(c for c in suite.findall("testcase") if c.get("name") == "coverage")
    assert case.find("failure") is not None and "not fully checked" in case.find("failure").get("message")
    run = json.loads(run_cli(*args, "-f", "sarif", cwd=tmp_path).stdout)["runs"][0]
    assert run["properties"]["coverage"][0]["incomplete"] is True
    assert any(n["descriptor"]["id"] == "incomplete" for n in run["invocations"][0]["toolExecutionNotifications"])
    for fmt in ("markdown", "html", "terminal"):
        text = run_cli(*args, "-f", fmt, cwd=tmp_path).stdout
        assert "coverage: rules run" in text and "not fully checked" in text, fmt


def test_junit_and_sarif_with_coverage_stay_valid(unrecognised, tmp_path):
    pytest.importorskip("xmlschema")
    pytest.importorskip("jsonschema")
    import jsonschema
    import xmlschema

    schemas = Path(__file__).parent / "schemas"
    report = tmp_path / "r.xml"
    run_cli("check", unrecognised, "--select", SANGONG_RULES, "-f", "junit", "-o", report, cwd=tmp_path)
    xmlschema.XMLSchema(str(schemas / "junit-10.xsd")).validate(str(report))
    sarif_schema = next(schemas.glob("sarif*.json"), None)
    assert sarif_schema is not None, "the SARIF schema ships in tests/schemas"
    sarif = json.loads(run_cli("check", unrecognised, "--select", SANGONG_RULES, "-f", "sarif", cwd=tmp_path).stdout)
    jsonschema.validate(sarif, json.loads(sarif_schema.read_text(encoding="utf-8")))
