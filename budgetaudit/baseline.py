"""Baselines: accept today's findings, fail later runs only on new ones.

A baseline file lists, per document file name, the fingerprints of the
findings it accepts (rule + stable key + expected + actual, so a finding that
merely moves to another page stays known). Findings found in the baseline are
kept in every report, marked as accepted by the baseline; they do not count
toward the exit code.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from . import __version__
from .errors import BudgetAuditError

FORMAT = 1
MARK = "baseline: "  # prefix of Finding.waived for findings accepted by a baseline


def document_name(path: str) -> str:
    return Path(path).name


def render_baseline(results) -> str:
    entries = [
        {"document": document_name(r.path), "rule": f.rule, "fingerprint": f.fingerprint(), "severity": f.severity, "message": f.message}
        for r in results for f in r.findings if not f.waived or is_baselined(f)
    ]
    data = {"tool": "budgetaudit", "version": __version__, "format": FORMAT,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"), "findings": entries}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def load_baseline(path: Path) -> set[tuple[str, str]]:
    """(document name, fingerprint) pairs; any problem is one clear error."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("tool") != "budgetaudit" or not isinstance(data.get("findings"), list):
            raise ValueError("not a budgetaudit baseline (run `budgetaudit baseline`)")
        return {(str(e["document"]), str(e["fingerprint"])) for e in data["findings"]}
    except FileNotFoundError:
        raise BudgetAuditError("baseline", path=path, detail="文件不存在 / no such file") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BudgetAuditError("baseline", path=path, detail=str(exc)) from None


def apply_baseline(results, known: set[tuple[str, str]], path: Path) -> None:
    for result in results:
        name = document_name(result.path)
        for finding in result.findings:
            if not finding.waived and (name, finding.fingerprint()) in known:
                finding.waived = MARK + path.name


def is_baselined(finding) -> bool:
    return finding.waived.startswith(MARK)
