"""What every reporter shares: the worst-first order of documents, counts,
words in both languages, and the summary table printed after a batch."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..model.findings import RANK, location_lines
from ..safe.errors import printable

WORDS = {
    "zh": {"document": "文档", "pages": "页数", "error": "错误", "warning": "警告", "info": "提示", "waived": "已豁免",
           "status": "状态", "checked": "已检查", "unreadable": "无法读取", "rule": "规则", "where": "位置", "message": "说明",
           "expected": "应为", "actual": "实际", "difference": "差额", "severity": "级别", "none": "未发现问题", "skipped": "未执行",
           "skipped_rules": "未执行的规则", "waived_by": "已豁免", "documents": "份文档", "page_unit": "页", "incomplete": "未完整检查"},
    "en": {"document": "document", "pages": "pages", "error": "errors", "warning": "warnings", "info": "info", "waived": "waived",
           "status": "status", "checked": "checked", "unreadable": "unreadable", "rule": "rule", "where": "where", "message": "message",
           "expected": "expected", "actual": "actual", "difference": "difference", "severity": "severity", "none": "no findings", "skipped": "skipped",
           "skipped_rules": "skipped rules", "waived_by": "waived", "documents": "documents", "page_unit": "pages", "incomplete": "incomplete"},
}
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def words(lang: str) -> dict:
    return WORDS["en" if lang == "en" else "zh"]


def waived_count(result) -> int:
    return sum(1 for f in result.findings if f.waived)


def badness(result) -> tuple:
    return (result.status == "checked", -result.count("error"), -result.count("warning"), -result.count("info"), result.path)


def worst_first(results: list) -> list:
    """Unreadable documents first, then by error, warning and info counts."""
    return sorted(results, key=badness)


def page_count(pages: int, lang: str) -> str:
    return f"{pages} {words(lang)['page_unit']}"


def status_text(result, lang: str) -> str:
    return short_status(result, lang) if result.status == "checked" else f"{words(lang)['unreadable']}: {result.error}"


def short_status(result, lang: str) -> str:
    if result.status != "checked":
        return f"{words(lang)['unreadable']} ({result.error_key})"
    return words(lang)["checked"] + (f" ({words(lang)['incomplete']})" if is_incomplete(result) else "")


def is_incomplete(result) -> bool:
    return result.coverage is not None and result.coverage.incomplete


def in_lang(reason: str, lang: str) -> str:
    """One language of a "中文 / English" reason."""
    zh, _, en = reason.rpartition(" / ")
    return (en if lang == "en" else zh) if zh else reason


def coverage_line(cov, lang: str) -> str:
    """Rules run / not applicable / could not run; tables recognised / found; narrative figures tied / stated."""
    if lang == "en":
        return (f"coverage: rules run {cov.rules_run} · not applicable {cov.not_applicable} · could not run {cov.could_not_run}; "
                f"tables recognised {cov.tables_recognised}/{cov.tables_found}; narrative figures tied {cov.figures_tied}/{cov.figures_stated}")
    return (f"覆盖：规则 已执行 {cov.rules_run} · 不适用 {cov.not_applicable} · 无法执行 {cov.could_not_run}；"
            f"表格 已识别 {cov.tables_recognised}/{cov.tables_found}；叙述数字 已核对 {cov.figures_tied}/{cov.figures_stated}")


def reason_lines(cov, lang: str) -> list[str]:
    if lang == "en":
        return [f"could not run: {in_lang(reason, lang)} ({count} rule{'s' if count != 1 else ''})" for reason, count in cov.reasons]
    return [f"无法执行：{in_lang(reason, lang)}（{count} 条规则）" for reason, count in cov.reasons]


def not_checked_warning(cov, lang: str) -> str:
    """What was not checked, for a document whose coverage is incomplete ("" when complete)."""
    if not cov or not cov.incomplete:
        return ""
    parts = []
    if cov.table_rules_blocked * 2 > cov.table_rules_run + cov.table_rules_blocked:
        total = cov.table_rules_run + cov.table_rules_blocked
        parts.append(f"{cov.table_rules_blocked} of {total} table rules could not run" if lang == "en" else f"{total} 条表格规则中 {cov.table_rules_blocked} 条无法执行")
    if cov.needs_unrecognised:
        names = ", ".join(kind for _, kind in cov.needs_unrecognised) if lang == "en" else "、".join(name for name, _ in cov.needs_unrecognised)
        unknown = cov.tables_found - cov.tables_recognised
        parts.append(f"tables the rules need ({names}) were not found while {unknown} table(s) were not recognised" if lang == "en"
                     else f"规则所需的表（{names}）没有找到，而有 {unknown} 张表未能识别")
    if lang == "en":
        return "warning: not fully checked: " + "; ".join(parts) + " — these parts were not checked."
    return "警告：未完整检查：" + "；".join(parts) + "，这些内容没有核对。"


def coverage_lines(result, lang: str) -> list[str]:
    """The coverage block of one document: the warning first when incomplete, then the counts and reasons."""
    cov = result.coverage
    if cov is None:
        return []
    warning = not_checked_warning(cov, lang)
    return ([warning] if warning else []) + [coverage_line(cov, lang)] + reason_lines(cov, lang)


def fails(finding, fail_on: str) -> bool:
    return not finding.waived and RANK[finding.severity] >= RANK[fail_on]


def value_line(finding, lang: str) -> str:
    """应为 … · 实际 … · 差额 …, leaving out the parts that are empty."""
    w = words(lang)
    pairs = (("expected", finding.expected), ("actual", finding.actual), ("difference", finding.difference))
    return " · ".join(f"{w[key]} {value}" for key, value in pairs if value)


def where(finding, lang: str) -> str:
    """Every location of the finding (a merged finding has those of all it absorbed)."""
    return "; ".join(location_lines(finding.locations, lang))


def merged_note(finding, lang: str) -> str:
    """The findings of the same cause folded into this one (run/merge.py), by rule and key, or ""."""
    if not finding.merged:
        return ""
    items = [f"{m['rule']} ({m['key']})" for m in finding.merged]
    if lang == "en":
        return f"same cause, {len(items)} more finding(s) merged here: " + ", ".join(items)
    return f"同一原因，已合并另外 {len(items)} 项发现：" + "、".join(items)


def summary_table(results: list, lang: str) -> Table:
    w = words(lang)
    table = Table(w["document"], w["pages"], w["error"], w["warning"], w["info"], w["waived"], w["status"])
    table.columns[0].overflow = "fold"
    table.columns[6].no_wrap = True
    for result in worst_first(results):
        style = "bold red" if result.status != "checked" or result.count("error") else ("yellow" if result.count("warning") else "")
        table.add_row(Text(printable(result.path)), str(result.pages), str(result.count("error")), str(result.count("warning")),
                      str(result.count("info")), str(waived_count(result)), short_status(result, lang), style=style)
    return table


def print_summary_table(results: list, lang: str, console: Console | None = None) -> None:
    (console or Console()).print(summary_table(results, lang))


def summary_lines(results: list, lang: str) -> list[str]:
    """The summary table as plain lines for logs: columns separated by ` | `, nothing cut."""
    w = words(lang)
    lines = [" | ".join([w["document"], w["pages"], w["error"], w["warning"], w["info"], w["waived"], w["status"]])]
    for r in worst_first(results):
        cells = [printable(r.path), r.pages, r.count("error"), r.count("warning"), r.count("info"), waived_count(r), short_status(r, lang)]
        lines.append(" | ".join(str(c) for c in cells))
    return lines
