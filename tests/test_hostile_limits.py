"""Hostile input, second round (issue 16): one test per case of
tests/hostile_inputs.py. Each makes its input, runs the real command in a
fresh process and asserts the exit code, one line on stderr, no traceback,
the time limit, peak memory under 1 GB, no partial or temporary file and
every input unchanged. `python bench/hostile.py` runs the same cases and
prints the worst time and memory per class."""
from __future__ import annotations

import os

import pytest
from hostile_inputs import cases, check_case, is_root, remove_deep_tree

CASES = cases()


@pytest.mark.parametrize("case", CASES, ids=[f"{c.kind}: {c.name}" for c in CASES])
def test_hostile_case(case, tmp_path):
    if "device node" in case.name and not is_root():
        pytest.skip("making a device node needs root")
    if "not as root" in case.name and is_root():
        pytest.skip("root writes into a read-only folder")
    try:
        check_case(case, tmp_path)
    finally:
        remove_deep_tree(tmp_path)


@pytest.mark.parametrize("pattern", [r"(a+)+b", r"(a*)*", r"(?:\d+\s*)+元", r"((ab)*c)+", r"(?=(x+)+)y"])
def test_nested_quantifiers_are_refused(pattern, tmp_path):
    from budgetaudit.safe.errors import RuleFileError
    from budgetaudit.safe.schema import check_regex

    with pytest.raises(RuleFileError) as refused:
        check_regex(pattern, tmp_path / "phrases.yaml", 3, "pattern")
    assert "嵌套的量词" in refused.value.detail and refused.value.line == 3


@pytest.mark.parametrize("pattern", [r"(…{2,}|\.{4,})$", r"[^，。；,;\d]{0,16}?", r"(\d{1,2})[.．、](?!\d{0,2}[.．%])", r"(ab)+c", r"(a{1,3}b)+"])
def test_ordinary_patterns_pass(pattern, tmp_path):
    from budgetaudit.safe.schema import check_regex

    check_regex(pattern, tmp_path / "phrases.yaml", 3, "pattern")


def test_walk_has_no_depth_limit_and_visits_a_loop_once(tmp_path):
    from budgetaudit.safe.walk import find_pdfs

    path = tmp_path
    for _ in range(1_500):
        path = path / "d"
        path.mkdir()
    (path / "deep.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "d" / "loop").symlink_to(tmp_path)
    notes = []
    assert find_pdfs(tmp_path, notes.append) == [path / "deep.pdf"]
    assert any("loop" in n for n in notes)
    remove_chain(tmp_path, 1_500)


def remove_chain(top, levels: int) -> None:
    (top / "d" / "loop").unlink()
    path = str(top) + "/d" * levels
    os.unlink(path + "/deep.pdf")
    for _ in range(levels):
        os.rmdir(path)
        path = path.rsplit("/", 1)[0]


def test_default_limits_let_a_large_real_disclosure_through(tmp_path):
    """The limits must not refuse real documents: the 140-page 广州市生态环境局 budget is read whole."""
    import json
    import subprocess
    import sys

    from conftest import REAL, ROOT, need_real

    need_real()
    found = sorted(REAL.glob("*广州市生态环境局*.pdf"))
    if not found:
        pytest.skip("the 广州市生态环境局 PDF is not in ../shared/real")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BUDGETAUDIT_CACHE": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-m", "budgetaudit", "check", found[0], "-f", "json", "--no-cache"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    assert json.loads(proc.stdout)["documents"][0]["status"] == "checked"
