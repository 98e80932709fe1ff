"""Run every loaded rule over a document model and collect findings."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..checks import run_rule
from ..checks.base import Context
from ..ingest.assemble import build_document
from ..ingest.doctype import is_disclosure, signature_list
from ..model.document import Document
from ..model.findings import RANK, Finding, Skip
from ..ruleset.loading import RuleSet
from ..safe.errors import BudgetAuditError
from .coverage import Coverage, measure
from .merge import merge_findings


@dataclass
class Result:
    path: str
    pages: int = 0
    status: str = "checked"  # checked | unreadable
    error: str | None = None
    error_key: str = ""
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    coverage: Coverage | None = None  # None when the document could not be read

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity and not f.waived)

    def worst(self) -> int:
        return max((RANK[f.severity] for f in self.findings if not f.waived), default=-1)


def run_rules(doc: Document, ruleset: RuleSet, lang: str = "zh") -> tuple[list[Finding], list[Skip]]:
    return run_in(Context(doc, ruleset, lang))


def run_in(ctx: Context) -> tuple[list[Finding], list[Skip]]:
    ruleset = ctx.ruleset
    findings, skipped = [], []
    disclosure = is_disclosure(ctx.doc, signature_list(ruleset.phrases or {}))
    for rule in ruleset.rules.values():
        if not disclosure and rule.kind != "reading":
            skipped.append(Skip(rule.id, "本文件不是预算公开文件（R-READ-005） / not a budget disclosure (R-READ-005)", "not_applicable"))
            continue
        for item in run_rule(ctx, rule):
            (skipped if isinstance(item, Skip) else findings).append(item)
    findings = merge_findings(findings, {r.id: r.kind for r in ruleset.rules.values()}, ruleset.catalog)  # one finding per defect
    findings.sort(key=lambda f: (-RANK[f.severity], f.locations[0].page or 0 if f.locations else 0, f.rule))
    return findings, skipped


def check_document(path: Path, ruleset: RuleSet, lang: str = "zh") -> Result:
    """Read and check one PDF; input problems become an `unreadable` result."""
    try:
        doc = build_document(path, ruleset.catalog)
    except BudgetAuditError as exc:
        return Result(str(path), status="unreadable", error=exc.message(lang), error_key=exc.key)
    return check_parsed(path, doc, ruleset, lang)


def check_parsed(path: Path, doc: Document, ruleset: RuleSet, lang: str = "zh") -> Result:
    """Check an already built document model (from ingest or the cache)."""
    result = Result(str(path), doc.pages)
    if len(doc.textless_pages) == doc.pages:
        unreadable = BudgetAuditError("unreadable", path=path, pages=doc.pages)
        result.status, result.error, result.error_key = "unreadable", unreadable.message(lang), "unreadable"
        return result
    ctx = Context(doc, ruleset, lang)
    result.findings, result.skipped = run_in(ctx)
    result.stats = {"tables": len(doc.tables), "recognised": sum(1 for t in doc.tables if t.kind != "unknown")}
    result.coverage = measure(ctx, result.findings, result.skipped)
    return result
