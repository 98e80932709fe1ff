"""Choosing rules as linters do: user folders add to the shipped rules, a later
folder overrides an earlier one by id, --no-default-rules, and budgetaudit.yaml
`select` / `ignore` prefixes and per-rule severity or enabled."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import parsed, sample
from test_hostile import assert_one_line, run_cli

from budgetaudit.checks import load_rules
from budgetaudit.ruleset.config import load_config
from budgetaudit.ruleset.loading import default_rules_dir
from budgetaudit.ruleset.selection import RuleSetting, Selection, apply_selection
from budgetaudit.run.engine import run_rules
from budgetaudit.safe.errors import BudgetAuditError

YONGDENG = str(sample("yongdeng-zwfw-2024"))


def my_rule(folder: Path, rule_id: str, based_on: str = "T-COL-001", severity: str = "error") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = (default_rules_dir() / "checks" / "table" / f"{based_on}.yaml").read_text(encoding="utf-8")
    text = text.replace(f"id: {based_on}", f"id: {rule_id}").replace("severity: error", f"severity: {severity}")
    (folder / f"{rule_id}.yaml").write_text(text, encoding="utf-8")
    return folder


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "budgetaudit.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_user_folder_adds_to_the_shipped_rules(tmp_path):
    ruleset = load_rules([my_rule(tmp_path / "mine", "MY-001")])
    assert "MY-001" in ruleset.rules and "T-COL-001" in ruleset.rules and "X-TIE-001" in ruleset.rules


def test_no_default_rules_keeps_only_the_given_folders(tmp_path):
    ruleset = load_rules([my_rule(tmp_path / "mine", "MY-001")], defaults=False)
    assert set(ruleset.rules) == {"MY-001"}
    with pytest.raises(BudgetAuditError):
        load_rules([], defaults=False)


def test_the_user_rule_wins_even_when_the_shipped_folder_is_named_after_it(tmp_path):
    mine = my_rule(tmp_path / "mine", "T-COL-001", severity="info")
    for folders in ([mine], [mine, default_rules_dir()], [default_rules_dir(), mine]):
        assert load_rules(folders).rules["T-COL-001"].severity == "info", folders


def test_config_sets_severity_and_switches_rules_off_and_on(tmp_path):
    conf = load_config(config(tmp_path, "rules:\n  P-REM-002: {severity: warning}\n  N-TIE-001: {enabled: false}\n"))
    ruleset = load_rules()
    apply_selection(ruleset, conf.selection)
    findings, _ = run_rules(parsed(YONGDENG), ruleset)
    severities = {f.severity for f in findings if f.rule == "P-REM-002"}
    assert severities == {"warning"}
    assert not [f for f in findings if f.rule == "N-TIE-001"]
    apply_selection(ruleset, Selection(settings=[RuleSetting("N-TIE-001", enabled=True)]))
    assert "N-TIE-001" in ruleset.rules


def test_select_and_ignore_by_prefix():
    ruleset = load_rules()
    apply_selection(ruleset, Selection(select=["T-", "X-"], ignore=["X-TIE-00"]))
    assert ruleset.rules and all(r.startswith(("T-", "X-")) for r in ruleset.rules)
    assert not [r for r in ruleset.rules if r.startswith("X-TIE-00")] and "X-TIE-010" in ruleset.rules


@pytest.mark.parametrize("text, line, words", [
    ("rules:\n  NOPE-1: {severity: warning}\n", 2, "NOPE-1"),
    ("rules:\n  T-COL-001: {severity: fatal}\n", 2, "fatal"),
    ("rules:\n  T-COL-001: {colour: red}\n", 2, "colour"),
    ("select: [T-, Q-]\n", 1, "Q-"),
    ("ignore: P-TOC-9\n", 1, "P-TOC-9"),
    ("rule_folders: [a]\nrules: [b]\n", 2, "rule_folders"),
])
def test_selection_mistakes_are_one_line_with_file_and_line(tmp_path, text, line, words):
    path = config(tmp_path, text)
    proc = run_cli("check", YONGDENG, "--config", path, cwd=tmp_path)
    assert_one_line(proc, 2, f"budgetaudit.yaml:{line}", words)


def test_command_line_selection_and_config_severity(tmp_path):
    config(tmp_path, "ignore: [P-]\nrules:\n  N-TIE-001: {severity: info}\n")
    proc = run_cli("check", YONGDENG, "-f", "json", "--select", "N-,R-", cwd=tmp_path)
    findings = json.loads(proc.stdout)["documents"][0]["findings"]
    assert findings and all(f["rule"].startswith(("N-", "R-")) for f in findings)
    merged = [m for f in findings for m in f["merged"]]  # a finding of the same cause may be merged into another (merge.py)
    assert {f["severity"] for f in findings + merged if f["rule"] == "N-TIE-001"} == {"info"}
    assert_one_line(run_cli("check", YONGDENG, "--select", "ZZ", "--lang", "en", cwd=tmp_path), 2, "--select", "ZZ")


def test_rule_folders_from_config_add_to_the_shipped_rules(tmp_path):
    my_rule(tmp_path / "extra", "MY-001")
    path = config(tmp_path, "rule_folders: [extra]\nselect: [MY-, T-COL-001]\n")
    proc = run_cli("check", YONGDENG, "--config", path, "-f", "sarif", cwd=tmp_path)
    ids = {r["id"] for r in json.loads(proc.stdout)["runs"][0]["tool"]["driver"]["rules"]}
    assert ids == {"MY-001", "T-COL-001"}
    proc = run_cli("check", YONGDENG, "--config", path, "--no-default-rules", "--select", "MY-", "-f", "sarif", cwd=tmp_path)
    assert {r["id"] for r in json.loads(proc.stdout)["runs"][0]["tool"]["driver"]["rules"]} == {"MY-001"}
