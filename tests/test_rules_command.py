"""`rules list/show/validate` see the rules a `check` with the same options would run,
and `rules show` prints the resolved rule, each key marked with where it came from."""
from __future__ import annotations

from pathlib import Path

from test_hostile import assert_one_line, run_cli

from budgetaudit.ruleset.loading import default_rules_dir

MINE = """id: MY-001
extends: T-COL-001
title: 我的规则
message: "{where}：{expected} ≠ {actual}"
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def listed(proc) -> dict[str, str]:
    """id → severity from the piped `rules list` (tab-separated lines)."""
    assert proc.returncode == 0, proc.stderr
    return {line.split("\t")[0]: line.split("\t")[1] for line in proc.stdout.splitlines() if line.strip()}


def test_show_marks_inherited_and_configured_keys(tmp_path):
    write(tmp_path / "mine" / "MY-001.yaml", MINE)
    cfg = write(tmp_path / "budgetaudit.yaml", "rules:\n  MY-001: {severity: warning}\n")
    proc = run_cli("rules", "show", "MY-001", "--rules", tmp_path / "mine", "--config", cfg, "--lang", "en", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    parent = str(default_rules_dir() / "checks" / "table" / "T-COL-001.yaml")
    assert "# extends: MY-001 → T-COL-001 → row_identity" in lines
    assert f"total: total  # inherited from T-COL-001 ({parent})" in lines
    assert f"parts:  # inherited from T-COL-001 ({parent})" in lines
    assert "title: 我的规则" in lines  # the rule's own key: no mark
    assert f"severity: warning  # set in {cfg}:2" in lines
    assert "enabled: true  # default" in lines
    assert any(line.startswith("Why: ") and "inherited from T-COL-001" in line for line in lines)


def test_show_says_when_the_selection_leaves_a_rule_out(tmp_path):
    proc = run_cli("rules", "show", "X-TIE-001", "--ignore", "X-TIE", cwd=tmp_path)
    assert proc.returncode == 0 and "--select/--ignore" in proc.stdout
    cfg = write(tmp_path / "budgetaudit.yaml", "rules:\n  X-TIE-001: {enabled: false}\n")
    proc = run_cli("rules", "show", "X-TIE-001", "--config", cfg, "--lang", "en", cwd=tmp_path)
    assert f"enabled: false  # set in {cfg}:2" in proc.stdout.splitlines()


def test_list_takes_the_options_of_check(tmp_path):
    write(tmp_path / "mine" / "MY-001.yaml", MINE)
    every = listed(run_cli("rules", "list", cwd=tmp_path))
    assert "T-COL-001" in every and "MY-001" not in every
    chosen = listed(run_cli("rules", "list", "--select", "X-TIE,T-COL", "--ignore", "X-TIE-01", cwd=tmp_path))
    assert chosen and all(r.startswith(("X-TIE", "T-COL")) and not r.startswith("X-TIE-01") for r in chosen)
    write(tmp_path / "alone" / "MY-002.yaml", "id: MY-002\nextends: row_identity\ntables: [expenditure_summary]\ntotal: total\nparts: [basic, project]\n")
    assert set(listed(run_cli("rules", "list", "--rules", tmp_path / "alone", "--no-default-rules", cwd=tmp_path))) == {"MY-002"}
    write(tmp_path / "budgetaudit.yaml", "ignore: [P-TOC]\nrules:\n  N-COV-001: {enabled: false}\n  X-TIE-001: {severity: info}\n")
    configured = listed(run_cli("rules", "list", cwd=tmp_path))  # ./budgetaudit.yaml, as check reads it
    assert not any(r.startswith("P-TOC") for r in configured) and "N-COV-001" not in configured
    assert configured["X-TIE-001"] == "info" and set(configured) < set(every)


def test_validate_takes_the_options_of_check(tmp_path):
    write(tmp_path / "mine" / "MY-001.yaml", MINE)
    proc = run_cli("rules", "validate", "--rules", tmp_path / "mine", "--select", "MY-", "--lang", "en", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.startswith("OK: 1 rules"), proc.stderr
    assert_one_line(run_cli("rules", "validate", "--select", "NOPE-", cwd=tmp_path), 2, "NOPE-")
    cfg = write(tmp_path / "bad.yaml", "rules:\n  NOPE-1: {severity: info}\n")
    assert_one_line(run_cli("rules", "list", "--config", cfg, cwd=tmp_path), 2, "NOPE-1")


def test_baseline_takes_the_rule_options_too(tmp_path):
    proc = run_cli("baseline", "--help", cwd=tmp_path)
    text = " ".join(proc.stdout.split())
    assert all(option in text for option in ("--rules", "--no-default-rules", "--select", "--ignore", "--config"))
