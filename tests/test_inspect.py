"""`budgetaudit inspect`: every table the sample holds, ruled or printed as a title only, through the real CLI."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import sample


def inspect(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, COLUMNS="200")  # a wide terminal: cells on one line each
    return subprocess.run([sys.executable, "-m", "budgetaudit", "inspect", *args], capture_output=True, text=True, check=False, env=env)


def test_json_lists_every_numbered_table_of_the_liaoning_sample():
    run = inspect(str(sample("anshan-zwfwzx-2025")), "--json")
    assert run.returncode == 0, run.stderr
    model = json.loads(run.stdout)
    numbers = {t["number"] for t in model["tables"] + model["title_only_tables"] if t["number"]}
    assert numbers == {f"表{i}" for i in range(1, 20)}
    summary = next(t for t in model["tables"] if t["number"] == "表1")
    assert (summary["kind"], summary["unit"], summary["pages"], summary["empty"]) == ("income_expenditure_summary", "万元", [12], False)
    title_only = {t["number"]: t for t in model["title_only_tables"]}
    assert title_only["表7"]["kind"] == "sangong" and "三公" in title_only["表7"]["empty_note"]
    assert title_only["表2"]["empty_note"] == ""  # 收入预算总表: a title and nothing else
    assert model["sections"] and sum(s["figures"] for s in model["sentences"]) > 40


def test_terminal_view_shows_kinds_units_and_empty_state():
    run = inspect(str(sample("anshan-zwfwzx-2025")))
    assert run.returncode == 0, run.stderr
    for text in ("收支预算总表", "income_expenditure", "万元", "空表（有说明）", "空表（无说明）", "仅标题", "叙述部分"):
        assert text in run.stdout, text


def test_inspect_of_a_non_pdf_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "说明 文件.pdf"
    bad.write_bytes(b"not a pdf at all")
    run = inspect(str(bad))
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
