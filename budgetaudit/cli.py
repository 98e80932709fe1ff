"""Command line: check, inspect, rules list/show/validate."""
from __future__ import annotations

import os
import sys
import tempfile
import traceback
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

from .errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, BudgetAuditError
from .findings import RANK

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True,
                  help="budgetaudit：部门预算公开文件一致性检查 / consistency auditor for budget disclosures")
rules_app = typer.Typer(no_args_is_help=True, help="规则：列出、查看、校验 / list, show and validate rules")
app.add_typer(rules_app, name="rules")
EXIT_INTERNAL = 3


class Format(str, Enum):
    terminal = "terminal"
    json = "json"


class Level(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


def fail(exc: BudgetAuditError, lang: str) -> None:
    Console(stderr=True).print(f"budgetaudit: {exc.message(lang)}", markup=False, highlight=False)
    raise typer.Exit(EXIT_INPUT)


def guarded(lang: str, debug: bool, action):
    """Run a command: input problems → one line and exit 2; bugs → one line and exit 3."""
    try:
        return action()
    except BudgetAuditError as exc:
        fail(exc, lang)
    except (typer.Exit, KeyboardInterrupt):
        raise
    except Exception as exc:  # a bug must not show a traceback unless asked
        if debug:
            traceback.print_exc()
        message = f"内部错误：{type(exc).__name__}: {exc}（加 --debug 查看详情）" if lang == "zh" else f"internal error: {type(exc).__name__}: {exc} (use --debug for details)"
        Console(stderr=True).print(f"budgetaudit: {message}", markup=False, highlight=False)
        raise typer.Exit(EXIT_INTERNAL)


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written report."""
    path = path.resolve()
    handle, temp = tempfile.mkstemp(prefix=".budgetaudit-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def collect_pdfs(paths: list[Path]) -> list[Path]:
    found = []
    for path in paths:
        if path.is_dir():
            pdfs = sorted(p for p in path.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())
            if not pdfs:
                raise BudgetAuditError("no_pdfs", path=path)
            found += pdfs
        else:
            found.append(path)
    return found


def exit_code(results, fail_on: str) -> int:
    if any(r.status != "checked" for r in results):
        return EXIT_INPUT
    worst = max((r.worst() for r in results), default=-1)
    return EXIT_FINDINGS if worst >= RANK[fail_on] else EXIT_OK


@app.command()
def check(
    paths: List[Path] = typer.Argument(..., help="PDF 文件或文件夹 / PDF files or folders"),
    format: Format = typer.Option(Format.terminal, "--format", "-f", help="输出格式 / output format"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入文件 / write the report to a file"),
    rules: Optional[List[Path]] = typer.Option(None, "--rules", help="规则文件夹，可多次给出，后者按 id 覆盖前者 / rule folders"),
    fail_on: Level = typer.Option(Level.error, "--fail-on", help="达到此级别即退出码 1 / exit 1 at or above this level"),
    lang: Lang = typer.Option(Lang.zh, "--lang", help="zh 或 en"),
    profile: Optional[str] = typer.Option(None, "--profile", help="公开要求清单（默认按文档自动选择）/ publication profile"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="显示未执行的规则 / show skipped rules"),
    debug: bool = typer.Option(False, "--debug", help="出错时显示堆栈 / show tracebacks"),
):
    """检查 PDF：表内、表间与说明文字的一致性 / check disclosures."""
    from .engine import check_document
    from .rules import load_rules

    def action():
        ruleset = load_rules(rules)
        ruleset.profile = profile
        pdfs = collect_pdfs(paths)
        results = [check_document(p, ruleset, lang.value) for p in pdfs]
        emit(results, format, output, lang.value, verbose)
        return exit_code(results, fail_on.value)

    raise typer.Exit(guarded(lang.value, debug, action))


def emit(results, format: Format, output: Optional[Path], lang: str, verbose: bool) -> None:
    from .report import jsonout, terminal

    if format == Format.json:
        text = jsonout.render(results)
        if output:
            write_atomically(output, text)
        else:
            sys.stdout.write(text)
        return
    if output:
        console = Console(record=True, width=100, file=open(os.devnull, "w"))
        terminal.render(results, lang, verbose, console)
        write_atomically(output, console.export_text())
    else:
        terminal.render(results, lang, verbose)


@app.command()
def inspect(
    path: Path = typer.Argument(..., help="PDF 文件 / a PDF file"),
    json_out: bool = typer.Option(False, "--json", help="以 JSON 输出 / print JSON"),
    rules: Optional[List[Path]] = typer.Option(None, "--rules", help="规则文件夹 / rule folders"),
    lang: Lang = typer.Option(Lang.zh, "--lang"),
    debug: bool = typer.Option(False, "--debug"),
):
    """查看文档模型：表格、种类、单位、页码、叙述段落 / show the document model."""
    from .assemble import build_document
    from .inspect_view import render_inspect, to_json
    from .rules import load_rules

    def action():
        ruleset = load_rules(rules)
        doc = build_document(path, ruleset.catalog)
        if json_out:
            import json

            sys.stdout.write(json.dumps(to_json(doc, ruleset.catalog), ensure_ascii=False, indent=2) + "\n")
        else:
            render_inspect(doc, ruleset.catalog, lang.value)
        return EXIT_OK

    raise typer.Exit(guarded(lang.value, debug, action))


@rules_app.command("list")
def rules_list(rules: Optional[List[Path]] = typer.Option(None, "--rules"), lang: Lang = typer.Option(Lang.zh, "--lang")):
    """列出全部规则 / list every loaded rule."""
    from rich.table import Table

    from .rules import load_rules

    def action():
        ruleset = load_rules(rules)
        table = Table("id", "severity", "kind", "title")
        for rule in sorted(ruleset.rules.values(), key=lambda r: r.id):
            table.add_row(rule.id, rule.severity, rule.kind, rule.title(lang.value))
        Console().print(table)
        return EXIT_OK

    raise typer.Exit(guarded(lang.value, False, action))


@rules_app.command("show")
def rules_show(rule_id: str, rules: Optional[List[Path]] = typer.Option(None, "--rules"), lang: Lang = typer.Option(Lang.zh, "--lang")):
    """显示规则的 YAML、说明和示例 / show a rule's YAML, explanation and example."""
    from .rules import load_rules

    def action():
        ruleset = load_rules(rules)
        rule = ruleset.rules.get(rule_id)
        if rule is None:
            raise BudgetAuditError("unknown_rule", rule=rule_id)
        console = Console()
        console.rule(f"{rule.id} · {rule.title(lang.value)}")
        console.print(f"{rule.path}", style="dim", markup=False)
        console.print(rule.path.read_text(encoding="utf-8"), markup=False, highlight=False)
        console.print(("Why" if lang.value == "en" else "为什么") + ": " + rule.why(lang.value), markup=False)
        if rule.get("example"):
            console.print(("Example" if lang.value == "en" else "示例") + ": " + str(rule.get("example")), markup=False)
        return EXIT_OK

    raise typer.Exit(guarded(lang.value, False, action))


@rules_app.command("validate")
def rules_validate(folders: List[Path] = typer.Argument(..., help="规则文件夹 / rule folders"), lang: Lang = typer.Option(Lang.zh, "--lang")):
    """校验规则文件：出错时给出 文件:行 / validate rule files (file:line on error)."""
    from .rules import load_rules

    def action():
        ruleset = load_rules(folders)
        print(f"OK: {len(ruleset.rules)} rules" if lang.value == "en" else f"通过：{len(ruleset.rules)} 条规则")
        return EXIT_OK

    raise typer.Exit(guarded(lang.value, False, action))


def main() -> None:
    app()
