"""The stable JSON contract (documented in README)."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .. import __version__
from ..model.findings import SEVERITIES
from .base import Options, Reporter

if TYPE_CHECKING:
    from ..run.engine import Result


def document_json(result: Result) -> dict:
    return {
        "path": result.path,
        "pages": result.pages,
        "status": result.status,
        "error": result.error,
        "findings": [f.to_json() for f in result.findings],
        "skipped": [{"rule": s.rule, "reason": s.reason} for s in result.skipped],
        "coverage": result.coverage.to_json() if result.coverage else None,
    }


def summary(results: list[Result]) -> dict:
    return {
        "documents": len(results),
        "unreadable": sum(1 for r in results if r.status != "checked"),
        "incomplete": sum(1 for r in results if r.coverage is not None and r.coverage.incomplete),
        **{sev: sum(r.count(sev) for r in results) for sev in SEVERITIES},
    }


def render(results: list[Result]) -> str:
    data = {"tool": "budgetaudit", "version": __version__, "documents": [document_json(r) for r in results], "summary": summary(results)}
    return json.dumps(data, ensure_ascii=False, indent=2).translate(C1_ESCAPES) + "\n"


# json escapes C0 controls but not DEL or C1 (\x9b starts a terminal escape sequence): same string, escaped
C1_ESCAPES = {c: f"\\u{c:04x}" for c in [0x7F, *range(0x80, 0xA0)]}


def report(results: list[Result], options: Options) -> str:
    return render(results)


FORMAT = Reporter("json", "机器可读的 JSON（README 中有约定）/ the stable JSON contract", report)
