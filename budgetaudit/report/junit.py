"""JUnit XML (the Jenkins xUnit junit-10.xsd dialect read by GitLab, Jenkins
and most CI systems): one testsuite per document, one testcase per rule.

A finding at or above the fail level is a <failure>; findings below it, and
waived ones, are listed in the testcase's <system-out>, so nothing is
dropped. A rule that did not run is <skipped>. A document that could not be
read is one testcase `read` with an <error>.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from .base import Options, Reporter
from .summary import coverage_lines, fails, merged_note, not_checked_warning, value_line, where

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def safe(text) -> str:
    """Text with the characters XML 1.0 cannot hold removed (PDF text may carry them)."""
    return _NOT_XML.sub("", str(text or ""))


def detail(finding, lang: str) -> str:
    lines = [finding.message, where(finding, lang), merged_note(finding, lang), value_line(finding, lang)]
    if finding.tolerance:
        lines.append(finding.tolerance)
    if finding.waived:
        lines.append(f"waived: {finding.waived}")
    return "\n".join(safe(line) for line in lines if line)


def testcase(suite, name: str, classname: str, path: str):
    return ET.SubElement(suite, "testcase", name=safe(name), classname=safe(classname), file=safe(path))


def coverage_case(suite, props, result, classname: str, lang: str, require_checked: bool) -> int:
    """Coverage numbers as suite properties, and a `coverage` testcase: a failure when incomplete under --require-checked."""
    cov = result.coverage
    for key in ("rules_run", "not_applicable", "could_not_run", "tables_found", "tables_recognised", "figures_stated", "figures_tied", "incomplete"):
        ET.SubElement(props, "property", name=f"coverage.{key}", value=str(getattr(cov, key)).lower())
    case = testcase(suite, "coverage", classname, result.path)
    text = safe("\n".join(coverage_lines(result, lang)))
    if cov.incomplete and require_checked:
        ET.SubElement(case, "failure", type="incomplete", message=safe(not_checked_warning(cov, lang))).text = text
        return 1
    ET.SubElement(case, "system-out").text = text
    return 0


def document_suite(root, result, ruleset, lang: str, fail_on: str, require_checked: bool = False) -> tuple[int, int, int, int]:
    suite = ET.SubElement(root, "testsuite", name=safe(result.path), file=safe(result.path))
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", name="pages", value=str(result.pages))
    ET.SubElement(props, "property", name="status", value=result.status)
    classname = "budgetaudit." + safe(result.path)
    tests = failures = errors = skipped = 0
    if result.status != "checked":
        case = testcase(suite, "read", classname, result.path)
        ET.SubElement(case, "error", type="unreadable", message=safe(result.error)).text = safe(result.error)
        tests, errors = 1, 1
    else:
        by_rule: dict[str, list] = {}
        for finding in result.findings:
            by_rule.setdefault(finding.rule, []).append(finding)
        skips = {s.rule: s.reason for s in result.skipped}
        for rule_id in sorted(set(ruleset.rules) | set(by_rule)):
            rule = ruleset.rules.get(rule_id)
            case = testcase(suite, f"{rule_id} {rule.title(lang) if rule else ''}".strip(), classname, result.path)
            tests += 1
            found = by_rule.get(rule_id, [])
            failing = [f for f in found if fails(f, fail_on)]
            for finding in failing:
                ET.SubElement(case, "failure", type=finding.severity, message=safe(finding.message)).text = detail(finding, lang)
            failures += bool(failing)
            others = [f for f in found if not fails(f, fail_on)]
            if others:
                ET.SubElement(case, "system-out").text = "\n\n".join(f"[{f.severity}] " + detail(f, lang) for f in others)
            if rule_id in skips and not found:
                ET.SubElement(case, "skipped", message=safe(skips[rule_id]))
                skipped += 1
        if result.coverage is not None:
            failures += coverage_case(suite, props, result, classname, lang, require_checked)
            tests += 1
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", str(skipped))
    seconds = sum(v for k, v in result.stats.items() if k.endswith("_seconds"))
    suite.set("time", f"{seconds:.3f}")
    return tests, failures, errors, skipped


def render(results, ruleset, lang: str = "zh", fail_on: str = "error", require_checked: bool = False) -> str:
    root = ET.Element("testsuites", name="budgetaudit")
    totals = [0, 0, 0, 0]
    for result in results:
        counts = document_suite(root, result, ruleset, lang, fail_on, require_checked)
        totals = [a + b for a, b in zip(totals, counts)]
    root.set("tests", str(totals[0]))
    root.set("failures", str(totals[1]))
    root.set("errors", str(totals[2]))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def report(results, options: Options) -> str:
    return render(results, options.ruleset, options.lang, options.fail_on, options.require_checked)


FORMAT = Reporter("junit", "JUnit XML，供 CI 显示测试结果 / JUnit XML for CI test reports", report)
