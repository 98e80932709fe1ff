"""`budgetaudit facts`: every stated figure with its context (entity, scenario, fund scope,
classification, level), read from the document or `unknown` — never defaulted."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal

from conftest import default_ruleset, parsed, sample

from budgetaudit.ingest.context import column_scenario, first_named, row_level, stated_facts
from budgetaudit.model.document import Row
from budgetaudit.model.fact import COLUMNS, UNKNOWN

WORDS = default_ruleset().phrases["fact_context"]


def run_facts(*args):
    return subprocess.run([sys.executable, "-m", "budgetaudit", "facts", *args], capture_output=True, text=True, timeout=300)


def test_csv_reads_back_one_row_per_figure():
    done = run_facts(str(sample("dashuju-2024")))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert tuple(rows[0].keys()) == COLUMNS
    facts = stated_facts(parsed(str(sample("dashuju-2024"))), default_ruleset())
    assert len(rows) == len(facts) > 100
    assert all(Decimal(r["value"]) == f.value for r, f in zip(rows, facts))
    cells = [c for t in parsed(str(sample("dashuju-2024"))).tables if t.kind != "unknown" for r in t.rows for c in r.values.values()
             if c.quantity is not None and c.quantity.unit in ("元", "万元")]
    assert sum(1 for r in rows if r["source"] == "table") == len(cells)  # every money cell of a recognised table


def test_json_has_the_same_rows():
    rows = json.loads(run_facts(str(sample("dashuju-2024")), "--format", "json").stdout)
    assert rows["columns"] == list(COLUMNS) and rows["facts"][0]["source"] == "table"


def test_bad_input_is_one_message_and_exit_2(tmp_path):
    done = run_facts(str(tmp_path / "missing.pdf"))
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_each_dimension_is_read_from_the_document():
    facts = stated_facts(parsed(str(sample("dashuju-2024"))), default_ruleset())
    basic = next(f for f in facts if f.source == "table" and f.context.code == "30101")
    assert (basic.context.fund_scope, basic.context.classification, basic.context.level) == ("general_budget", "economic", "款")
    source = next(f for f in facts if "一般公共预算拨款收入" in f.where)
    assert source.context.fund_scope == "general_budget"  # the income row names its fund, the 收支总表 covers all funds
    expense = next(f for f in facts if "一般公共服务支出" in f.where and f.source == "table" and "收支" in f.where)
    assert "支出" in expense.where.split(" › ")[-1] and expense.context.fund_scope == "all"  # a two-sided table's own side


def test_unknown_is_never_defaulted():
    facts = stated_facts(parsed(str(sample("dashuju-2024"))), default_ruleset())
    narrative = [f for f in facts if f.source == "narrative" and f.measure == "amount"]
    assert any(f.context.fund_scope == UNKNOWN for f in narrative)  # a sentence that names no fund
    named = [f for f in narrative if f.context.fund_scope == "gov_fund"]
    assert named and all("政府性基金" in f.where for f in named)  # read from the figure's own words
    assert first_named("机关运行经费", WORDS["fund_scope"]) == ""


def test_scenario_from_the_header():
    assert column_scenario("2025年预算数", WORDS, "budget", 2026) == "previous_budget"
    assert column_scenario("2026年预算数", WORDS, "budget", 2026) == "budget"
    assert column_scenario("上年执行数", WORDS, "final", 2024) == "previous"
    assert column_scenario("决算数", WORDS, "budget", 2026) == "final"
    assert column_scenario("比上年增减", WORDS, "budget", 2026) == "change"


def test_level_from_the_printed_code():
    assert row_level(Row(0, 1, "行政运行", "2010301"), economic=False) == ("function", "项")
    assert row_level(Row(0, 1, "一般公共服务支出", "201"), economic=False) == ("function", "类")
    assert row_level(Row(0, 1, "基本工资", "30101"), economic=True) == ("economic", "款")
    assert row_level(Row(0, 1, "合计"), economic=True) == ("economic", "total")
    assert row_level(Row(0, 1, "某项目"), economic=False) == ("none", "")
