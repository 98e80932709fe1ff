"""Installing as a user does: the built wheel in a fresh virtual environment,
and the pre-commit hook through `pre-commit try-repo`. Both are slow (a new
environment, dependencies from the package index): marked `slow`."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import ROOT, sample

pytestmark = pytest.mark.slow
INSTALL_TIMEOUT = 900


def clean_env(**extra) -> dict:
    """The environment without anything that points back into the source tree."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BUDGETAUDIT_RULES", "VIRTUAL_ENV")}
    return {**env, **extra}


def run(args, cwd: Path, **extra) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=clean_env(**extra), capture_output=True, text=True, timeout=INSTALL_TIMEOUT)


def make_venv(folder: Path) -> Path:
    try:
        venv.EnvBuilder(with_pip=True, clear=True).create(folder)
    except Exception as exc:  # noqa: BLE001 - no ensurepip/venv on this Python: nothing to test with
        pytest.skip(f"cannot create a virtual environment here ({type(exc).__name__}: {exc}); wheel install not tested")
    python = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not python.exists():
        pytest.skip(f"virtual environment at {folder} has no python; wheel install not tested")
    return python


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """budgetaudit built as a wheel and installed into a fresh venv; returns its `budgetaudit` command."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # a copy: no stale build/ folder gets into the wheel, nothing is written into the checkout
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", "__pycache__", ".*cache*", ".hypothesis", "tests"))
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", source, "-w", work / "dist"], cwd=work)
    assert built.returncode == 0, built.stderr[-3000:]
    wheel = next((work / "dist").glob("budgetaudit-*.whl"))
    python = make_venv(work / "venv")
    done = run([python, "-m", "pip", "install", "-q", wheel], cwd=work)
    assert done.returncode == 0, done.stderr[-3000:]
    return python.parent / "budgetaudit"


def test_wheel_carries_the_rules_and_checks_a_sample_from_another_folder(installed, tmp_path):
    elsewhere = tmp_path / "submissions"
    elsewhere.mkdir()
    shutil.copy(sample("yongdeng-zwfw-2024"), elsewhere / "report.pdf")
    proc = run([installed, "check", "report.pdf", "-f", "json", "--no-cache"], cwd=elsewhere)
    assert proc.returncode in (0, 1), proc.stderr
    assert "不是规则文件夹" not in proc.stderr
    document = json.loads(proc.stdout)["documents"][0]
    assert document["status"] == "checked" and document["pages"] > 0
    shown = run([installed, "rules", "show", "T-COL-001"], cwd=elsewhere)
    assert shown.returncode == 0, shown.stderr
    assert "site-packages" in shown.stdout and str(ROOT) not in shown.stdout  # the rules came from the wheel
    listed = run([installed, "rules", "list"], cwd=elsewhere)
    assert listed.returncode == 0 and "X-TIE-001" in listed.stdout


def test_pre_commit_try_repo_runs_the_hook_on_a_sample(tmp_path):
    pre_commit = shutil.which("pre-commit") or (Path(sys.executable).parent / "pre-commit")
    if not Path(pre_commit).exists():
        pytest.skip("pre-commit is not installed (pip install -e '.[test]' installs it)")
    if not (ROOT / ".git").exists():
        pytest.skip(f"{ROOT} is not a git checkout: pre-commit try-repo needs one")
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(sample("yongdeng-zwfw-2024"), project / "budget.pdf")
    (project / "notes.txt").write_text("not a PDF\n", encoding="utf-8")
    git = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for args in (["git", "init", "-q"], ["git", "add", "."]):
        assert run(args, cwd=project, **git).returncode == 0
    proc = run([pre_commit, "try-repo", ROOT, "budgetaudit", "--files", "budget.pdf", "notes.txt", "--verbose"], cwd=project,
               PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), **git)
    output = proc.stdout + proc.stderr
    assert "不是规则文件夹" not in output and "Traceback" not in output, output[-3000:]
    assert "budgetaudit" in output and "份文档" in output, output[-3000:]  # the hook ran and printed its summary
    assert proc.returncode in (0, 1), output[-3000:]
