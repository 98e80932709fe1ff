"""SARIF 2.1.0: one run, the loaded rules as reportingDescriptors, one result
per finding. A PDF has pages, not lines: each location names the document
(artifactLocation) and carries page, table, row and column as a logical
location and in its property bag. Waived findings carry a suppression with
the reason; with a baseline, results say `new` or `unchanged`."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..run.baseline import is_baselined
from .base import Options, Reporter
from .summary import SARIF_LEVEL, not_checked_warning

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/budgetaudit/budgetaudit"


def uri_of(path: str) -> str:
    return quote(Path(path).as_posix(), safe="/:._-~")


def descriptor(rule, lang: str) -> dict:
    text = rule.why(lang) or rule.title(lang)
    return {"id": rule.id, "name": rule.id.replace("-", ""), "shortDescription": {"text": rule.title(lang)},
            "fullDescription": {"text": text}, "help": {"text": text},
            "defaultConfiguration": {"level": SARIF_LEVEL[rule.severity]},
            "properties": {"kind": rule.kind, "severity": rule.severity}}


def location(path: str, loc) -> dict:
    names = [p for p in (loc.table, loc.row, loc.column) if p]
    item = {"physicalLocation": {"artifactLocation": {"uri": uri_of(path)}},
            "properties": {k: v for k, v in {"page": loc.page, "table": loc.table, "row": loc.row, "column": loc.column, "text": loc.text,
                                             "bbox": list(loc.bbox) if loc.bbox else None}.items() if v}}
    if names:
        item["logicalLocations"] = [{"name": names[-1], "fullyQualifiedName": " › ".join(names), "kind": "element"}]
    return item


def result_of(path: str, finding, index: dict, lang: str, baseline_used: bool) -> dict:
    item = {"ruleId": finding.rule, "level": SARIF_LEVEL[finding.severity], "message": {"text": finding.message},
            "locations": [location(path, loc) for loc in finding.locations] or [{"physicalLocation": {"artifactLocation": {"uri": uri_of(path)}}}],
            "partialFingerprints": {"budgetaudit/v1": finding.fingerprint()},
            "properties": {k: v for k, v in {"expected": finding.expected, "actual": finding.actual, "difference": finding.difference,
                                             "tolerance": finding.tolerance, "key": finding.key, "merged": finding.merged}.items() if v}}
    if finding.rule in index:
        item["ruleIndex"] = index[finding.rule]
    if finding.waived:
        item["suppressions"] = [{"kind": "external", "status": "accepted", "justification": finding.waived}]
    if baseline_used:
        item["baselineState"] = "unchanged" if is_baselined(finding) else "new"
    return item


def coverage_notification(result, lang: str, require_checked: bool) -> dict:
    """A document not fully checked: a warning (an error under --require-checked), its coverage in the property bag."""
    return {"level": "error" if require_checked else "warning", "message": {"text": not_checked_warning(result.coverage, lang)},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri_of(result.path)}}}],
            "descriptor": {"id": "incomplete"}, "properties": {"coverage": result.coverage.to_json()}}


def notification(result) -> dict:
    return {"level": "error", "message": {"text": result.error or result.status},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri_of(result.path)}}}],
            "descriptor": {"id": result.error_key or "unreadable"}}


def render(results, ruleset, lang: str = "zh", baseline_used: bool = False, require_checked: bool = False) -> str:
    rules = sorted(ruleset.rules.values(), key=lambda r: r.id)
    index = {rule.id: i for i, rule in enumerate(rules)}
    unreadable = [r for r in results if r.status != "checked"]
    run = {
        "tool": {"driver": {"name": "budgetaudit", "version": __version__, "semanticVersion": __version__, "informationUri": INFO_URI,
                            "rules": [descriptor(rule, lang) for rule in rules]}},
        "invocations": [{"executionSuccessful": not unreadable, "toolExecutionNotifications": [notification(r) for r in unreadable]
                         + [coverage_notification(r, lang, require_checked) for r in results if r.coverage is not None and r.coverage.incomplete]}],
        "artifacts": [{"location": {"uri": uri_of(r.path)}, "mimeType": "application/pdf", "roles": ["analysisTarget"]} for r in results],
        "results": [result_of(r.path, f, index, lang, baseline_used) for r in results for f in r.findings],
        "columnKind": "unicodeCodePoints",
        "language": "en-US" if lang == "en" else "zh-CN",
        "properties": {"coverage": [{"uri": uri_of(r.path), **r.coverage.to_json()} for r in results if r.coverage is not None]},
    }
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, ensure_ascii=False, indent=2) + "\n"


def report(results, options: Options) -> str:
    return render(results, options.ruleset, options.lang, baseline_used=options.baseline_used, require_checked=options.require_checked)


FORMAT = Reporter("sarif", "SARIF 2.1.0，供代码扫描界面 / SARIF 2.1.0 for code-scanning views", report)
