"""The CI gate end to end: batches with --jobs, summary table, baseline,
waivers from budgetaudit.yaml, the parse cache and the progress bar."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, build_variant, default_ruleset, run_on_a_terminal, sample
from test_hostile import assert_one_line, run_cli
from test_reports import CHANGE

from budgetaudit.run.batch import run_batch
from budgetaudit.run.cache import DocumentCache

SECOND_CHANGE = [("七、卫生健康支出\t33.15", "七、卫生健康支出\t33.25")]


@pytest.fixture(scope="module")
def variant(tmp_path_factory) -> Path:
    return build_variant(tmp_path_factory.mktemp("cli"), "anshan-zwfwzx-2025", CHANGE)


def documents(proc) -> list[dict]:
    return json.loads(proc.stdout)["documents"]


def test_batch_of_a_folder_in_parallel_with_summary_worst_first(tmp_path, variant):
    folder = tmp_path / "submissions"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(variant, folder / "b-variant.pdf")
    for name in ("yongdeng-zwfw-2024", "dashuju-2024"):
        shutil.copy(sample(name), folder / "sub" / f"{name}.pdf")
    (folder / "a-broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    proc = run_cli("check", folder, "--jobs", "2", "--lang", "en", cwd=tmp_path)
    assert_one_line(proc, 2, "a-broken.pdf")  # the broken one is named, the batch went on
    table = proc.stdout[proc.stdout.rindex("document"):]
    assert table.index("a-broken") < table.index("b-variant") < table.index("yongdeng")
    json_proc = run_cli("check", folder, "-j", "2", "-f", "json", cwd=tmp_path)
    statuses = {Path(d["path"]).name: d["status"] for d in documents(json_proc)}
    assert statuses == {"a-broken.pdf": "unreadable", "b-variant.pdf": "checked", "yongdeng-zwfw-2024.pdf": "checked", "dashuju-2024.pdf": "checked"}


def test_batch_junit_one_suite_per_document(tmp_path, variant):
    pytest.importorskip("xmlschema")
    import xmlschema

    report = tmp_path / "report.xml"
    proc = run_cli("check", variant, sample("yongdeng-zwfw-2024"), "-f", "junit", "-o", report, "-j", "2", cwd=tmp_path)
    assert proc.returncode == 1
    schema = xmlschema.XMLSchema(str(Path(__file__).parent / "schemas" / "junit-10.xsd"))
    tree = schema.to_dict(report.read_text(encoding="utf-8"))
    assert [Path(s["@name"]).name for s in tree["testsuite"]] == [variant.name, "yongdeng-zwfw-2024.pdf"]


def test_parallel_and_serial_give_the_same_findings(variant):
    paths = [variant, sample("yongdeng-zwfw-2024")]
    serial = run_batch(paths, default_ruleset(), "zh", jobs=1, timeout=0)
    parallel = run_batch(paths, default_ruleset(), "zh", jobs=2, timeout=60)
    assert [[f.fingerprint() for f in r.findings] for r in serial] == [[f.fingerprint() for f in r.findings] for r in parallel]


def test_baseline_then_only_new_findings_fail(tmp_path, variant):
    base = tmp_path / ".budgetaudit-baseline.json"
    assert run_cli("check", variant, cwd=tmp_path).returncode == 1
    assert run_cli("baseline", variant, "-o", base, cwd=tmp_path).returncode == 0
    accepted = json.loads(base.read_text(encoding="utf-8"))["findings"]
    assert {e["rule"] for e in accepted} >= {"T-BAL-004", "X-TIE-001"}
    proc = run_cli("check", variant, "--baseline", base, "--fail-on", "warning", "-f", "json", cwd=tmp_path)
    assert proc.returncode == 0
    assert all(f["waived"].startswith("baseline: ") for f in documents(proc)[0]["findings"])  # kept, marked, not dropped
    worse = build_variant(tmp_path, "anshan-zwfwzx-2025", CHANGE + SECOND_CHANGE)
    renamed = tmp_path / "again" / variant.name  # the baseline is keyed by file name
    renamed.parent.mkdir()
    shutil.move(worse, renamed)
    proc = run_cli("check", renamed, "--baseline", base, "-f", "json", cwd=tmp_path)
    assert proc.returncode == 1
    new = [f for f in documents(proc)[0]["findings"] if not f.get("waived")]
    assert new and all(f["severity"] == "error" for f in new)
    assert any("33.25" in f["message"] + f["actual"] + f["expected"] for f in new)


def test_baseline_file_that_is_not_a_baseline(tmp_path, variant):
    bad = tmp_path / "base.json"
    bad.write_text("{\"x\": 1}", encoding="utf-8")
    assert_one_line(run_cli("check", variant, "--baseline", bad, cwd=tmp_path), 2, "基线文件错误")


def write_config(folder: Path, text: str) -> Path:
    path = folder / "budgetaudit.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_waivers_from_the_config_file_are_reported_not_dropped(tmp_path, variant):
    before = documents(run_cli("check", variant, "-f", "json", "--lang", "en", cwd=tmp_path))[0]["findings"]
    failing = sorted({f["rule"] for f in before if f["severity"] == "error"})
    assert {"T-BAL-004", "X-TIE-001"} <= set(failing)
    entries = "".join(f"  - rule: {rule}\n    document: {'anshan-*.pdf' if i % 2 else variant.name}\n    reason: restated, confirmed by the finance bureau\n"
                      for i, rule in enumerate(failing))
    write_config(tmp_path, "fail_on: error\nlang: en\nwaivers:\n" + entries)
    proc = run_cli("check", variant, "-f", "json", cwd=tmp_path)
    assert proc.returncode == 0
    after = documents(proc)[0]["findings"]
    assert len(after) == len(before)  # nothing dropped
    waived = [f for f in after if f.get("waived")]
    assert {f["rule"] for f in waived} == set(failing) and all(f["waived"].startswith("restated") for f in waived)
    assert not any("应为" in f["message"] for f in waived)  # lang: en from the file
    markdown = run_cli("check", variant, "-f", "markdown", cwd=tmp_path).stdout
    assert "waived: restated, confirmed by the finance bureau" in markdown
    (tmp_path / "other").mkdir()
    other = write_config(tmp_path / "other", "fail_on: warning\n")  # --config replaces ./budgetaudit.yaml: no waivers
    assert run_cli("check", variant, "--config", other, cwd=tmp_path).returncode == 1


@pytest.mark.parametrize("text, line", [
    ("fail_on: error\nlanguage: en\n", ":2"),
    ("waivers:\n  - rule: T-BAL-004\n    document: x.pdf\n", ":2"),
    ("fail_on: fatal\n", ":1"),
    ("jobs: -1\n", ":1"),
])
def test_config_mistakes_name_file_and_line(tmp_path, text, line):
    config = write_config(tmp_path, text)
    proc = run_cli("check", sample("yongdeng-zwfw-2024"), "--config", config, cwd=tmp_path)
    assert_one_line(proc, 2, f"budgetaudit.yaml{line}")


def test_config_sets_rule_folders_relative_to_itself(tmp_path):
    rules = tmp_path / "conf" / "extra"
    rules.mkdir(parents=True)
    rule = (ROOT / "rules/checks/table/T-BAL-001.yaml").read_text(encoding="utf-8").replace("id: T-BAL-001", "id: X-MINE-001")
    (rules / "X-MINE-001.yaml").write_text(rule, encoding="utf-8")
    config = write_config(tmp_path / "conf", "rules: [extra]\n")
    proc = run_cli("check", sample("yongdeng-zwfw-2024"), "--config", config, "-f", "sarif", cwd=tmp_path)
    ids = {r["id"] for r in json.loads(proc.stdout)["runs"][0]["tool"]["driver"]["rules"]}
    assert "X-MINE-001" in ids and "T-BAL-001" in ids  # added to the shipped rules


def test_cache_hit_on_the_second_run_and_no_cache(tmp_path, variant):
    cache = DocumentCache(tmp_path / "cache", default_ruleset().catalog)
    first = run_batch([variant], default_ruleset(), "zh", 1, 0, cache)[0]
    second = run_batch([variant], default_ruleset(), "zh", 1, 0, cache)[0]
    assert first.stats["cached"] is False and second.stats["cached"] is True
    assert [f.fingerprint() for f in first.findings] == [f.fingerprint() for f in second.findings]
    assert len(list((tmp_path / "cache").iterdir())) == 1
    env_cache = tmp_path / ".cache-test"
    run_cli("check", variant, "--no-cache", cwd=tmp_path)
    assert not env_cache.exists()
    run_cli("check", variant, cwd=tmp_path)
    assert len(list(env_cache.iterdir())) == 1


def test_progress_bar_only_on_a_terminal(tmp_path, variant):
    args = [sys.executable, "-m", "budgetaudit", "check", str(variant), str(sample("yongdeng-zwfw-2024")), "-f", "json", "--no-cache"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    piped = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    assert "━" not in piped.stderr and "检查" not in piped.stderr
    proc, seen = run_on_a_terminal(args, env)
    assert proc.returncode == 1 and "检查".encode() in seen
    json.loads(proc.stdout)  # stdout stays a clean report


def test_existing_commands_still_work(tmp_path):
    assert run_cli("rules", "list", cwd=tmp_path).returncode == 0
    assert run_cli("rules", "validate", ROOT / "rules", "--lang", "en", cwd=tmp_path).stdout.startswith("OK")
    proc = run_cli("check", sample("yongdeng-zwfw-2024"), "--lang", "en", "-v", cwd=tmp_path)
    assert proc.returncode in (0, 1) and "document" not in proc.stdout.split("\n")[0]


def test_baseline_named_in_the_config_can_be_refreshed(tmp_path, variant):
    """The README's setup: budgetaudit.yaml names the baseline and `budgetaudit baseline` rewrites it."""
    base = tmp_path / ".budgetaudit-baseline.json"
    assert run_cli("baseline", variant, "-o", base, cwd=tmp_path).returncode == 0
    (tmp_path / "budgetaudit.yaml").write_text("baseline: .budgetaudit-baseline.json\n", encoding="utf-8")
    assert run_cli("baseline", variant, "-o", base, cwd=tmp_path).returncode == 0
    assert run_cli("check", variant, cwd=tmp_path).returncode == 0  # every finding accepted by the baseline


def test_a_file_that_is_not_a_disclosure_is_not_incomplete(tmp_path):
    """R-READ-005 skips the content rules as not applicable: --require-checked does not fail it."""
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "notice.pdf"
    page = canvas.Canvas(str(pdf))
    page.setFont("Helvetica", 12)
    page.drawString(72, 720, "Notice of inspection: the committee will visit in September.")
    page.save()
    proc = run_cli("check", pdf, "--require-checked", "-f", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rules = [f["rule"] for f in documents(proc)[0]["findings"]]
    assert "R-READ-005" in rules
