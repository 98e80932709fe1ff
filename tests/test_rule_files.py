"""Rule files: loaded and validated; every mistake names its file and line (exit 2)."""
import subprocess
import sys
from pathlib import Path

import pytest

from budgetaudit.checks import load_rules
from budgetaudit.ruleset.loading import default_rules_dir
from budgetaudit.safe.errors import RuleFileError

GOOD = """id: MY-001
extends: row_identity
title: 测试
severity: error
tables: [expenditure_summary]
total: total
parts: [basic, project]
"""


FORM_TIE = """id: MY-001
extends: form_tie
title: 测试
severity: error
form: {table: performance_overall, label: 人员经费}
right: {table: basic_expenditure_economic, row: total, column: personnel}
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(tmp_path, text) -> RuleFileError:
    write(tmp_path / "r", "MY-001.yaml", text)
    with pytest.raises(RuleFileError) as info:
        load_rules([tmp_path / "r"])
    return info.value


def test_a_good_rule_loads(tmp_path):
    write(tmp_path / "r", "MY-001.yaml", GOOD)
    assert "MY-001" in load_rules([tmp_path / "r"]).rules


@pytest.mark.parametrize(
    "text, line, words",
    [
        (GOOD.replace("total: total", "totl: total"), 6, "totl"),  # unknown key
        (GOOD.replace("[expenditure_summary]", "[expenditure_sumary]"), 5, "expenditure_sumary"),  # unknown table kind
        (GOOD.replace("[basic, project]", "[basic, projekt]"), 7, "projekt"),  # unknown column
        (GOOD.replace("severity: error", "severity: fatal"), 4, "severity"),
        (GOOD.replace("extends: row_identity", "extends: row_identiti"), 2, "row_identiti"),
        (GOOD.replace("parts: [basic, project]", "parts: basic"), 7, "parts"),  # wrong type
        (GOOD + "  bad indent: [\n", 8, "YAML"),  # syntax error
        ("base: &a [1, 2]\nid: MY-001\nextends: row_identity\nmore: *a\n", 1, "anchor"),  # YAML bomb material
        (GOOD + "severity: warning\n", 8, "written twice"),  # a key written twice: YAML would keep the later one silently
        (FORM_TIE.replace("label: 人员经费", "lable: 人员经费"), 5, "label"),  # a form without its label
        (FORM_TIE.replace("column: personnel", "column: personel"), 6, "personel"),  # unknown column in `right`
    ],
)
def test_mistakes_name_file_and_line(tmp_path, text, line, words):
    error = load_error(tmp_path, text)
    assert error.path.endswith("MY-001.yaml")
    assert error.line == line, error.message()
    assert words.lower() in error.message().lower()


def test_a_later_folder_overrides_a_rule_by_id(tmp_path):
    write(tmp_path / "mine", "T-COL-001.yaml", "id: T-COL-001\nextends: T-COL-001-base\n")
    base = (default_rules_dir() / "checks" / "table" / "T-COL-001.yaml").read_text(encoding="utf-8")
    write(tmp_path / "mine", "base.yaml", base.replace("id: T-COL-001", "id: T-COL-001-base").replace("severity: error", "severity: warning"))
    ruleset = load_rules([default_rules_dir(), tmp_path / "mine"])
    assert ruleset.rules["T-COL-001"].severity == "warning"
    assert ruleset.rules["T-COL-001"].get("total") == "total"  # inherited through extends


def test_a_rule_can_be_switched_off(tmp_path):
    write(tmp_path / "r", "MY-001.yaml", GOOD + "enabled: false\n")
    assert "MY-001" not in load_rules([tmp_path / "r"]).rules


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "budgetaudit", *args], capture_output=True, text=True, timeout=300)


def test_validate_command_reports_file_line_and_exit_2(tmp_path):
    write(tmp_path / "r", "MY-001.yaml", GOOD.replace("total: total", "totl: total"))
    result = run_cli("rules", "validate", str(tmp_path / "r"))
    assert result.returncode == 2
    assert "MY-001.yaml:6" in result.stderr and "Traceback" not in result.stderr


def test_shipped_rules_validate():
    result = run_cli("rules", "validate", str(default_rules_dir()))
    assert result.returncode == 0, result.stderr


def test_rules_list_and_show():
    listing = run_cli("rules", "list")
    assert listing.returncode == 0 and "T-COL-001" in listing.stdout
    shown = run_cli("rules", "show", "T-COL-001")
    assert shown.returncode == 0 and "row_identity" in shown.stdout and "为什么" in shown.stdout
    missing = run_cli("rules", "show", "NOPE-1")
    assert missing.returncode == 2 and "NOPE-1" in missing.stderr
