"""Output for CI logs and people: nothing cut when piped, findings by page,
--version, -q, progress on a terminal, English throughout with --lang en,
amounts at the precision they were printed."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from conftest import REAL, ROOT, checked, need_real, run_on_a_terminal, sample

from budgetaudit.model.findings import Finding, compare, tolerance_note
from budgetaudit.model.quantity import Quantity
from budgetaudit.report.summary import value_line

ANSHAN = sample("anshan-zwfwzx-2025")


def piped(*args, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The command with stdout and stderr piped and no COLUMNS: what a CI log gets."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(PYTHONPATH=str(ROOT), BUDGETAUDIT_CACHE=str((cwd or Path.cwd()) / ".cache-test"))
    return subprocess.run([sys.executable, "-m", "budgetaudit", *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_piped_check_is_not_cut(tmp_path):
    text = piped("check", ANSHAN, cwd=tmp_path).stdout
    report = json.loads(piped("check", ANSHAN, "-f", "json", cwd=tmp_path).stdout)["documents"][0]
    assert not [line for line in text.splitlines() if line.endswith("…")]
    for finding in report["findings"]:
        assert finding["message"] in text  # every message whole, on one line
        for location in finding["locations"][:4]:
            assert location["text"] in text and location["table"] in text
    assert max(len(line) for line in text.splitlines()) > 100  # long lines stay long
    assert "╭" not in text and "│" not in text  # no panel borders in a log


def test_piped_help_is_not_cut(tmp_path):
    for args in ([], ["check"], ["baseline"], ["inspect"], ["rules"], ["rules", "list"]):
        proc = piped(*args, "--help", cwd=tmp_path)
        assert proc.returncode == 0 and "…" not in proc.stdout, proc.stdout
        cut = [line for line in proc.stdout.splitlines() if line.rstrip().endswith("...") and not line.startswith("Usage:")]
        assert not cut, cut  # click's "..." on a shortened command help
    check_help = " ".join(piped("check", "--help", cwd=tmp_path).stdout.split())
    assert "only the --rules folders, not the shipped rules" in check_help
    assert "--quiet" in check_help and "--no-default-rules" in check_help


def test_version(tmp_path):
    proc = piped("--version", cwd=tmp_path)
    from budgetaudit import __version__

    assert proc.returncode == 0 and proc.stdout.strip() == f"budgetaudit {__version__}"


def test_quiet_prints_the_summary_only(tmp_path):
    full = piped("check", ANSHAN, cwd=tmp_path)
    quiet = piped("check", ANSHAN, "-q", cwd=tmp_path)
    assert quiet.returncode == full.returncode == 1
    assert quiet.stdout.splitlines() == [full.stdout.splitlines()[-1]]
    assert quiet.stdout.startswith("1 份文档") and "错误" in quiet.stdout


def first_pages(text: str) -> dict[str, list[int]]:
    """Per severity heading, the page of each finding's first location, in printed order."""
    pages: dict[str, list[int]] = {}
    heading, waiting = None, False
    for line in text.splitlines():
        if re.match(r"^(错误|警告|提示) \(\d+\)$", line):
            heading = line.split()[0]
        elif line.startswith("  ["):
            waiting = True
        elif waiting and "↳" in line:
            match = re.search(r"第(\d+)页", line)
            pages.setdefault(heading, []).append(int(match.group(1)) if match else 0)
            waiting = False
    return pages


def test_findings_go_by_page_within_a_severity(tmp_path):
    pages = first_pages(piped("check", ANSHAN, cwd=tmp_path).stdout)
    assert pages["错误"] and len(pages["错误"]) > 3
    for heading, numbers in pages.items():
        assert numbers == sorted(numbers), (heading, numbers)


def test_english_throughout(tmp_path):
    text = piped("check", ANSHAN, "--lang", "en", "-v", cwd=tmp_path).stdout
    outside_quotes = re.sub(r"「[^」]*」", "", text)
    assert not re.search(r"第\d+页", outside_quotes)
    for word in ("应为", "实际", "差额", "错误", "警告", "提示", "页 ·", "已检查", "份文档", "容差"):
        assert word not in outside_quotes, word
    assert "p.7 「" in text and "35 pages · checked" in text and "1 documents: errors" in text


def test_status_words_are_the_same_everywhere(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n garbage")
    proc = piped("check", broken, sample("yongdeng-zwfw-2024"), cwd=tmp_path)
    assert proc.returncode == 2
    lines = proc.stdout.splitlines()
    assert any(line.startswith("== ") and line.endswith("· 无法读取") and "broken.pdf" in line for line in lines)
    assert any(line.startswith("== ") and line.endswith("· 已检查") for line in lines)
    table = lines[lines.index(next(line for line in lines if line.startswith("文档 | "))):]
    assert any("broken.pdf" in line and "无法读取" in line for line in table)
    assert any("yongdeng" in line and line.endswith("已检查") for line in table)


def test_progress_for_one_long_document_on_a_terminal(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BUDGETAUDIT_CACHE": str(tmp_path / "cache")}
    args = [sys.executable, "-m", "budgetaudit", "check", str(ANSHAN), "-f", "json", "--no-cache"]
    assert "读取" not in subprocess.run(args, capture_output=True, text=True, env=env, timeout=300).stderr  # piped: silent
    for extra in ([], ["--timeout", "0"]):  # in its own process (time limit) and in this one
        proc, seen = run_on_a_terminal(args + extra, env)
        assert proc.returncode == 1 and "读取 anshan-zwfwzx-2025.pdf".encode() in seen and b"/35" in seen, seen[-500:]
        json.loads(proc.stdout)


def test_amounts_at_printed_precision_and_readable_tolerance():
    parts = [Quantity(Decimal("0.10"), "万元", 2), Quantity(Decimal("0.07"), "万元", 2)]
    whole = Quantity(Decimal("1682.76"), "元", 2)
    comparison = compare(parts, whole)
    assert comparison.actual_text() == "1682.76元"  # as printed, not 0.168276万元
    assert comparison.expected_text() == "0.17万元"
    assert comparison.text(comparison.difference) == "-0.001724万元"  # rounding to 0.00 would hide the gap
    assert comparison.tolerance == Decimal("0.0100005") and "±0.01万元" in tolerance_note(comparison, 3)
    assert compare([Quantity(Decimal("26000"), "元", 0)], Quantity(Decimal("2.80"), "万元", 2)).expected_text() == "26000元"


def test_no_empty_fields_in_the_value_line():
    assert value_line(Finding("X", "error", "m", expected="", actual="空表"), "zh") == "实际 空表"
    assert value_line(Finding("X", "error", "m", expected="2025", actual="2024"), "en") == "expected 2025 · actual 2024"


def test_a_rate_without_a_named_concept_does_not_repeat_its_figure():
    need_real()
    path = REAL / "cn-central_2024_国家信访局_部门决算.pdf"
    if not path.exists():
        return
    rates = [f for f in checked(str(path)).findings if f.rule == "N-RATE-001"]
    assert rates and not [f for f in rates if "「22066.59万元」22066.59万元" in f.message]
