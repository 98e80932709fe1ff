"""Terminal report: on a terminal a rich panel per document; piped or written
to a file, plain lines that are never cut. Findings go by severity, then page."""
from __future__ import annotations

import io
from typing import TYPE_CHECKING, TextIO

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..model.findings import RANK, SEVERITIES, location_lines
from ..safe.errors import printable
from .base import Options, Reporter
from .summary import coverage_lines, in_lang, is_incomplete, merged_note, page_count, print_summary_table, short_status, summary_lines, value_line, words

if TYPE_CHECKING:
    from ..run.engine import Result

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def by_page(findings) -> list:
    """Worst severity first; within a severity, by page, then rule."""
    return sorted(findings, key=lambda f: (-RANK[f.severity], f.locations[0].page or 0 if f.locations else 0, f.rule))


def detail_lines(finding, lang: str, short: bool) -> list[tuple[str, str]]:
    """(text, style) lines under a finding's message."""
    lines = [("↳ " + text, "dim") for text in location_lines(finding.locations, lang, short)]
    if merged_note(finding, lang):
        lines.append((merged_note(finding, lang), "dim"))
    if value_line(finding, lang):
        lines.append((value_line(finding, lang), "bold"))
    if finding.tolerance:
        lines.append((finding.tolerance, "dim"))
    if finding.waived:
        lines.append((f"{words(lang)['waived_by']}: {finding.waived}", "dim"))
    return lines


def finding_block(finding, lang: str) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(Text(f"[{finding.rule}]", style=STYLE[finding.severity]), Text(finding.message))
    for text, style in detail_lines(finding, lang, short=True):
        grid.add_row("", Text(text, style=style))
    return grid


def sections(result: Result, lang: str):
    """(heading, findings) per severity, worst first."""
    ordered = by_page(result.findings)
    for severity in SEVERITIES:
        items = [f for f in ordered if f.severity == severity]
        if items:
            yield severity, f"{words(lang)[severity]} ({len(items)})", items


def title_of(result: Result, lang: str) -> str:
    return f"{printable(result.path)} · {page_count(result.pages, lang)} · {short_status(result, lang) if result.status == 'checked' else words(lang)['unreadable']}"


def error_line(result: Result, lang: str) -> str:
    return f"{words(lang)['unreadable']}: {result.error}" if result.status != "checked" else ""


def document_panel(result: Result, lang: str, verbose: bool) -> Panel:
    w = words(lang)
    parts = [Text(error_line(result, lang), style="bold red")] if error_line(result, lang) else []
    for severity, heading, items in sections(result, lang):
        parts.append(Text(heading, style=STYLE[severity]))
        parts += [finding_block(f, lang) for f in items]
    if result.status == "checked" and not result.findings:
        parts.append(Text(w["none"], style="green"))
    lines = coverage_lines(result, lang)
    if is_incomplete(result):
        parts.insert(0, Text(lines.pop(0), style="bold yellow"))
    parts += [Text(line, style="dim") for line in lines]
    if verbose and result.skipped:
        parts.append(Text(f"{w['skipped_rules']} ({len(result.skipped)})", style="dim"))
        parts += [Text(f"  {s.rule}: {in_lang(s.reason, lang)}", style="dim") for s in result.skipped]
    style = "red" if result.status != "checked" else ("yellow" if is_incomplete(result) else "default")
    return Panel(Group(*parts) if parts else Text(""), title=Text(title_of(result, lang)), title_align="left", border_style=style)


def document_lines(result: Result, lang: str, verbose: bool) -> list[str]:
    """The same content as the panel, as plain lines for logs."""
    w = words(lang)
    lines = [f"== {title_of(result, lang)}"] + ([error_line(result, lang)] if error_line(result, lang) else [])
    coverage = coverage_lines(result, lang)
    if is_incomplete(result):
        lines.append(coverage.pop(0))
    for _, heading, items in sections(result, lang):
        lines.append(heading)
        for finding in items:
            lines.append(f"  [{finding.rule}] {finding.message}")
            lines += [f"      {text}" for text, _ in detail_lines(finding, lang, short=False)]
    if result.status == "checked" and not result.findings:
        lines.append(w["none"])
    lines += coverage
    if verbose and result.skipped:
        lines.append(f"{w['skipped_rules']} ({len(result.skipped)})")
        lines += [f"  {s.rule}: {in_lang(s.reason, lang)}" for s in result.skipped]
    return lines


def summary_text(results: list[Result], lang: str) -> str:
    w = words(lang)
    counts = " · ".join(f"{w[s]} {sum(r.count(s) for r in results)}" for s in SEVERITIES)
    unreadable = sum(1 for r in results if r.status != "checked")
    incomplete = sum(1 for r in results if is_incomplete(r))
    return (f"{len(results)} {w['documents']}: {counts}" + (f" · {w['unreadable']} {unreadable}" if unreadable else "")
            + (f" · {w['incomplete']} {incomplete}" if incomplete else ""))


def render(results: list[Result], lang: str = "zh", verbose: bool = False, console: Console | None = None, extra=None, quiet: bool = False) -> None:
    """Rich panels on a terminal (or the given console)."""
    console = console or Console()
    for result in [] if quiet else results:
        console.print(document_panel(result, lang, verbose))
        if extra:
            for line in extra(result):
                console.print(line)
    unreadable = any(r.status != "checked" for r in results)
    console.print(Text(summary_text(results, lang), style="bold red" if unreadable else ""))


def render_plain(results: list[Result], out: TextIO, lang: str = "zh", verbose: bool = False, quiet: bool = False) -> None:
    """Plain lines, never cut: for CI logs, pipes and files."""
    for result in [] if quiet else results:
        out.write("\n".join(document_lines(result, lang, verbose)) + "\n\n")
    out.write(summary_text(results, lang) + "\n")


def report(results: list[Result], options: Options) -> str:
    """Plain lines that are never cut, with the summary table after a batch: for pipes, CI logs and files."""
    out = io.StringIO()
    render_plain(results, out, options.lang, options.verbose, options.quiet)
    if len(results) > 1:
        out.write("\n" + "\n".join(summary_lines(results, options.lang)) + "\n")
    return out.getvalue()


def show(results: list[Result], options: Options) -> None:
    """Rich panels, then the summary table after a batch: on a terminal."""
    render(results, options.lang, options.verbose, quiet=options.quiet)
    if len(results) > 1:
        print_summary_table(results, options.lang)


FORMAT = Reporter("terminal", "终端报告（默认）/ the terminal report (default)", report, show)
