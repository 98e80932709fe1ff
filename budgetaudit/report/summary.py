"""What every reporter shares: the worst-first order of documents, counts,
words in both languages, and the summary table printed after a batch."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..errors import printable
from ..findings import RANK

WORDS = {
    "zh": {"document": "文档", "pages": "页数", "error": "错误", "warning": "警告", "info": "提示", "waived": "已豁免",
           "status": "状态", "checked": "已检查", "unreadable": "无法读取", "rule": "规则", "where": "位置", "message": "说明",
           "expected": "应为", "actual": "实际", "difference": "差额", "severity": "级别", "none": "未发现问题", "skipped": "未执行"},
    "en": {"document": "document", "pages": "pages", "error": "errors", "warning": "warnings", "info": "info", "waived": "waived",
           "status": "status", "checked": "checked", "unreadable": "unreadable", "rule": "rule", "where": "where", "message": "message",
           "expected": "expected", "actual": "actual", "difference": "difference", "severity": "severity", "none": "no findings", "skipped": "skipped"},
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


def status_text(result, lang: str) -> str:
    return words(lang)["checked"] if result.status == "checked" else f"{words(lang)['unreadable']}: {result.error}"


def short_status(result, lang: str) -> str:
    return words(lang)["checked"] if result.status == "checked" else f"{words(lang)['unreadable']} ({result.error_key})"


def fails(finding, fail_on: str) -> bool:
    return not finding.waived and RANK[finding.severity] >= RANK[fail_on]


def where(finding, lang: str) -> str:
    return "; ".join(loc.describe(lang) for loc in finding.locations[:3])


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
