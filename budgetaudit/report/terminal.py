"""Rich terminal report: a panel per document, findings grouped by severity
then table; plain text when piped."""
from __future__ import annotations

from itertools import groupby

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..engine import Result
from ..errors import printable

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
LABEL = {"zh": {"error": "错误", "warning": "警告", "info": "提示"}, "en": {"error": "error", "warning": "warning", "info": "info"}}
WORDS = {
    "zh": {"expected": "应为", "actual": "实际", "diff": "差额", "skipped": "未执行的规则", "none": "未发现问题", "docs": "份文档", "unreadable": "无法读取"},
    "en": {"expected": "expected", "actual": "found", "diff": "difference", "skipped": "skipped rules", "none": "no findings", "docs": "documents", "unreadable": "unreadable"},
}


def table_of(finding) -> str:
    return finding.locations[0].table if finding.locations else ""


def finding_block(finding, lang: str) -> Table:
    words = WORDS[lang]
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row(Text(f"[{finding.rule}]", style=STYLE[finding.severity]), Text(finding.message))
    for location in finding.locations[:4]:
        grid.add_row("", Text("↳ " + location.describe(lang), style="dim"))
    if finding.expected or finding.actual:
        values = f"{words['expected']} {finding.expected} · {words['actual']} {finding.actual}"
        if finding.difference:
            values += f" · {words['diff']} {finding.difference}"
        grid.add_row("", Text(values, style="bold"))
    if finding.tolerance:
        grid.add_row("", Text(finding.tolerance, style="dim"))
    if finding.waived:
        grid.add_row("", Text(f"waived: {finding.waived}", style="dim"))
    return grid


def document_panel(result: Result, lang: str, verbose: bool) -> Panel:
    words = WORDS[lang]
    parts = []
    if result.status != "checked":
        parts.append(Text(f"{words['unreadable']}: {result.error}", style="bold red"))
    ordered = sorted(result.findings, key=lambda f: ({"error": 0, "warning": 1, "info": 2}[f.severity], table_of(f)))
    for severity, group in groupby(ordered, key=lambda f: f.severity):
        items = list(group)
        parts.append(Text(f"{LABEL[lang][severity]} ({len(items)})", style=STYLE[severity]))
        for _, by_table in groupby(items, key=table_of):
            parts += [finding_block(f, lang) for f in by_table]
    if result.status == "checked" and not result.findings:
        parts.append(Text(words["none"], style="green"))
    if verbose and result.skipped:
        parts.append(Text(f"{words['skipped']} ({len(result.skipped)})", style="dim"))
        parts += [Text(f"  {s.rule}: {s.reason}", style="dim") for s in result.skipped]
    name = printable(result.path)
    title = f"{name} · {result.pages} 页" if lang == "zh" else f"{name} · {result.pages} pages"
    return Panel(Group(*parts), title=Text(title), title_align="left")


def summary_line(results: list[Result], lang: str) -> Text:
    counts = {s: sum(r.count(s) for r in results) for s in ("error", "warning", "info")}
    unreadable = sum(1 for r in results if r.status != "checked")
    words = WORDS[lang]
    text = Text(f"{len(results)} {words['docs']}: ")
    text.append(" · ".join(f"{LABEL[lang][s]} {n}" for s, n in counts.items()))
    if unreadable:
        text.append(f" · {words['unreadable']} {unreadable}", style="bold red")
    return text


def render(results: list[Result], lang: str = "zh", verbose: bool = False, console: Console | None = None, extra=None) -> None:
    console = console or Console()
    for result in results:
        console.print(document_panel(result, lang, verbose))
        if extra:
            for line in extra(result):
                console.print(line)
    console.print(summary_line(results, lang))
