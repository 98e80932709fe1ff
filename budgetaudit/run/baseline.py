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

from .. import __version__
from ..safe.errors import BudgetAuditError
from ..safe.files import InputProblem, read_text
from ..safe.limits import limit

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
    if not path.exists():
        raise BudgetAuditError("baseline", path=path, detail="文件不存在 / no such file")
    try:
        data = json.loads(read_text(path, limit("BASELINE_MB") * 2**20))
        if not isinstance(data, dict) or data.get("tool") != "budgetaudit" or not isinstance(data.get("findings"), list):
            raise ValueError("not a budgetaudit baseline (run `budgetaudit baseline`)")
        return {entry_key(e) for e in data["findings"]}
    except RecursionError:
        raise BudgetAuditError("baseline", path=path, detail="嵌套过深 / nested too deeply") from None
    except (InputProblem, ValueError, KeyError, TypeError) as exc:
        raise BudgetAuditError("baseline", path=path, detail=str(exc)[:200]) from None


def entry_key(entry) -> tuple[str, str]:
    """(document, fingerprint) of one accepted finding: both must be text."""
    if not isinstance(entry, dict) or not isinstance(entry.get("document"), str) or not isinstance(entry.get("fingerprint"), str):
        raise ValueError("每条记录需要文字的 document 和 fingerprint / each entry needs text `document` and `fingerprint`")
    return entry["document"], entry["fingerprint"]


def apply_baseline(results, known: set[tuple[str, str]], path: Path) -> None:
    for result in results:
        name = document_name(result.path)
        for finding in result.findings:
            if not finding.waived and (name, finding.fingerprint()) in known:
                finding.waived = MARK + path.name


def is_baselined(finding) -> bool:
    return finding.waived.startswith(MARK)
