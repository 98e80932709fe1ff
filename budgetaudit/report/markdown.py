"""Markdown for a merge-request comment: a summary table, then each
document's findings in a collapsible table."""
from __future__ import annotations

from .. import __version__
from ..model.findings import SEVERITIES
from ..safe.errors import printable
from .base import Options, Reporter
from .summary import coverage_lines, is_incomplete, merged_note, short_status, waived_count, where, words, worst_first

SEVERITY_MARK = {"error": "🔴", "warning": "🟠", "info": "🔵"}


def cell(text) -> str:
    """Text safe inside a Markdown table cell."""
    return printable(text or "").replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;")


def totals(results, lang: str) -> str:
    w = words(lang)
    counts = " · ".join(f"{w[s]} {sum(r.count(s) for r in results)}" for s in SEVERITIES)
    unreadable = sum(1 for r in results if r.status != "checked")
    incomplete = sum(1 for r in results if is_incomplete(r))
    extra = (f" · {w['unreadable']} {unreadable}" if unreadable else "") + (f" · ⚠️ {w['incomplete']} {incomplete}" if incomplete else "")
    label = "份文档" if lang != "en" else "documents"
    return f"{len(results)} {label}: {counts}{extra}"


def summary_rows(results, lang: str) -> list[str]:
    w = words(lang)
    lines = [f"| {w['document']} | {w['pages']} | {w['error']} | {w['warning']} | {w['info']} | {w['waived']} | {w['status']} |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for r in worst_first(results):
        status = short_status(r, lang) if r.status == "checked" else f"❌ {w['unreadable']}: {r.error}"
        lines.append(f"| {cell(r.path)} | {r.pages} | {r.count('error')} | {r.count('warning')} | {r.count('info')} | {waived_count(r)} | {cell(status)} |")
    return lines


def finding_rows(result, lang: str) -> list[str]:
    w = words(lang)
    lines = [f"| {w['severity']} | {w['rule']} | {w['where']} | {w['message']} | {w['expected']} | {w['actual']} | {w['difference']} |",
             "|---|---|---|---|---|---|---|"]
    for f in result.findings:
        message = f.message + (f" *({merged_note(f, lang)})*" if f.merged else "") + (f" *(waived: {f.waived})*" if f.waived else "")
        severity = f"{SEVERITY_MARK[f.severity]} {w[f.severity]}"
        if f.waived:
            severity = f"~~{severity}~~"
        lines.append(f"| {severity} | `{cell(f.rule)}` | {cell(where(f, lang))} | {cell(message)} | {cell(f.expected)} | {cell(f.actual)} | {cell(f.difference)} |")
    return lines


def render(results, lang: str = "zh") -> str:
    lines = [f"### budgetaudit {__version__}", "", f"**{totals(results, lang)}**", "", *summary_rows(results, lang), ""]
    for result in worst_first(results):
        if result.coverage:
            lines.append(f"- {cell(result.path)}")
            lines += [f"  - {'⚠️ ' if index == 0 and is_incomplete(result) else ''}{cell(line)}" for index, line in enumerate(coverage_lines(result, lang))]
    lines.append("")
    for result in worst_first(results):
        if not result.findings:
            continue
        lines += ["<details>", f"<summary>{cell(result.path)} ({len(result.findings)})</summary>", "", *finding_rows(result, lang), "", "</details>", ""]
    return "\n".join(lines) + "\n"


def report(results, options: Options) -> str:
    return render(results, options.lang)


FORMAT = Reporter("markdown", "Markdown，用于合并请求评论 / Markdown for a merge-request comment", report)
