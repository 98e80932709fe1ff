"""Command line: check, baseline, inspect, rules list/show/validate."""
from __future__ import annotations

import dataclasses
import sys
import traceback
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

from ..run.session import Settings, exit_code, input_files, run_checks, selected_rules, settings
from ..safe.errors import EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, BudgetAuditError
from ..safe.files import check_output, stdout_guard, write_atomically, write_stdout
from ..safe.limits import quiet_third_party

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True,
                  help="budgetaudit：部门预算公开文件一致性检查 / consistency auditor for budget disclosures")
rules_app = typer.Typer(no_args_is_help=True, help="规则：列出、查看、校验 / list, show and validate rules")
app.add_typer(rules_app, name="rules")


def format_names() -> list[str]:
    """The --format choices: every reporter in budgetaudit/report/, the default first."""
    from ..report import reporters

    return list(reporters())


Format = Enum("Format", {name: name for name in format_names()}, type=str)


class Level(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


def fail(exc: BudgetAuditError, lang: str) -> None:
    Console(stderr=True, soft_wrap=True).print(f"budgetaudit: {exc.message(lang)}", markup=False, highlight=False)
    raise typer.Exit(EXIT_INPUT)


def guarded(lang: str, debug: bool, action):
    """Run a command: input problems → one line and exit 2; bugs → one line and exit 3."""
    quiet_third_party(debug)
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
        Console(stderr=True, soft_wrap=True).print(f"budgetaudit: {message}", markup=False, highlight=False)
        raise typer.Exit(EXIT_INTERNAL) from None


def show_version(value: bool) -> None:
    if value:
        from .. import __version__

        sys.stdout.write(f"budgetaudit {__version__}\n")
        raise typer.Exit(EXIT_OK)


@app.callback()
def root(version: bool = typer.Option(False, "--version", callback=show_version, is_eager=True, help="显示版本 / show the version")):
    """budgetaudit：部门预算公开文件一致性检查 / consistency auditor for budget disclosures"""


@app.command(short_help="检查 PDF 的一致性 / check disclosures")
def check(
    paths: List[Path] = typer.Argument(..., help="PDF 文件或文件夹 / PDF files or folders"),
    format: Format = typer.Option("terminal", "--format", "-f", help="输出格式 / output format"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入文件 / write the report to a file"),
    rules: Optional[List[Path]] = typer.Option(None, "--rules", help="追加的规则文件夹，可多次给出，后者按 id 覆盖前者 / rule folders added to the shipped rules; a later one overrides an earlier one by id"),
    no_default_rules: bool = typer.Option(False, "--no-default-rules", help="不加载自带规则，只用 --rules / only the --rules folders, not the shipped rules"),
    select: Optional[List[str]] = typer.Option(None, "--select", help="只运行这些编号前缀的规则，如 T-,X- / run only rules whose id starts with these prefixes"),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="不运行这些编号前缀的规则，如 P-TOC / skip rules whose id starts with these prefixes"),
    fail_on: Optional[Level] = typer.Option(None, "--fail-on", help="达到此级别即退出码 1（默认 error）/ exit 1 at or above this level (default error)"),
    lang: Optional[Lang] = typer.Option(None, "--lang", help="zh 或 en（默认 zh）"),
    profile: Optional[str] = typer.Option(None, "--profile", help="公开要求清单（默认按文档自动选择）/ publication profile"),
    config: Optional[Path] = typer.Option(None, "--config", help="配置文件（默认 ./budgetaudit.yaml）/ config file"),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="基线文件：其中的问题不再导致失败 / findings in this baseline do not fail"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="并行进程数 / parallel processes"),
    timeout: Optional[float] = typer.Option(None, "--timeout", min=0, help="每份文档的时限（秒，0 不限，默认 300）/ per-document time limit in seconds"),
    no_cache: bool = typer.Option(False, "--no-cache", help="不使用解析缓存 / do not use the parse cache"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="显示未执行的规则 / show skipped rules"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="只显示汇总 / print the summary only"),
    require_checked: bool = typer.Option(False, "--require-checked", help="未完整检查的文档也退出码 1 / exit 1 when a document was not fully checked"),
    debug: bool = typer.Option(False, "--debug", help="出错时显示堆栈 / show tracebacks"),
):
    """检查 PDF：表内、表间与说明文字的一致性 / check disclosures."""
    first_lang = lang.value if lang else "zh"

    def action():
        conf = settings(config, rules, profile, fail_on, lang, jobs, timeout, no_cache, baseline, no_default_rules, select, ignore, require_checked)
        check_output(output, input_files(paths, conf, config))
        ruleset, results = run_checks(paths, conf, debug, quiet)
        emit(results, ruleset, format, output, conf, verbose, quiet)
        return exit_code(results, conf.fail_on, conf.require_checked)

    raise typer.Exit(guarded(first_lang, debug, action))


def report_options(ruleset, conf: Settings, verbose: bool = False, quiet: bool = False):
    from ..report import Options

    return Options(lang=conf.lang, ruleset=ruleset, fail_on=conf.fail_on, require_checked=conf.require_checked,
                   baseline_used=conf.baseline is not None, verbose=verbose, quiet=quiet, timeout=conf.timeout or 0)


def emit(results, ruleset, format: Format, output: Optional[Path], conf: Settings, verbose: bool, quiet: bool = False) -> None:
    """The chosen reporter, by name: drawn on a terminal when it can be, else its text to the file or stdout."""
    from ..report import reporter

    chosen = reporter(format.value)
    options = report_options(ruleset, conf, verbose, quiet)
    if chosen.show and not output and sys.stdout is not None and not sys.stdout.closed and sys.stdout.isatty():
        with stdout_guard():
            chosen.show(results, options)
        return
    text = chosen.render(results, options)
    if output:
        write_atomically(output, text)
    else:
        write_stdout(text)


RULES_OPTION = typer.Option(None, "--rules", help="追加的规则文件夹（同 check）/ rule folders added to the shipped rules (as for check)")
NO_DEFAULTS_OPTION = typer.Option(False, "--no-default-rules", help="不加载自带规则 / only the --rules folders")
SELECT_OPTION = typer.Option(None, "--select", help="只看这些编号前缀的规则 / only rules whose id starts with these prefixes")
IGNORE_OPTION = typer.Option(None, "--ignore", help="去掉这些编号前缀的规则 / leave out rules whose id starts with these prefixes")
CONFIG_OPTION = typer.Option(None, "--config", help="配置文件（默认 ./budgetaudit.yaml）/ config file")


@app.command("baseline", short_help="接受当前的问题作为基线 / accept today's findings")
def baseline_command(
    paths: List[Path] = typer.Argument(..., help="PDF 文件或文件夹 / PDF files or folders"),
    output: Path = typer.Option(Path(".budgetaudit-baseline.json"), "--output", "-o", help="基线文件 / baseline file to write"),
    rules: Optional[List[Path]] = RULES_OPTION,
    no_default_rules: bool = NO_DEFAULTS_OPTION,
    select: Optional[List[str]] = SELECT_OPTION,
    ignore: Optional[List[str]] = IGNORE_OPTION,
    lang: Optional[Lang] = typer.Option(None, "--lang"),
    profile: Optional[str] = typer.Option(None, "--profile"),
    config: Optional[Path] = CONFIG_OPTION,
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1),
    timeout: Optional[float] = typer.Option(None, "--timeout", min=0),
    no_cache: bool = typer.Option(False, "--no-cache"),
    debug: bool = typer.Option(False, "--debug"),
):
    """接受当前的问题作为基线，以后只对新问题失败 / accept today's findings; later runs fail only on new ones."""
    from ..run.baseline import render_baseline

    first_lang = lang.value if lang else "zh"

    def action():
        conf = settings(config, rules, profile, None, lang, jobs, timeout, no_cache, None, no_default_rules, select, ignore)
        check_output(output, input_files(paths, dataclasses.replace(conf, baseline=None), config))  # refreshing the baseline is the point
        _, results = run_checks(paths, conf, debug)
        unreadable = [r for r in results if r.status != "checked"]
        if unreadable:
            return exit_code(results, "info")
        write_atomically(output, render_baseline(results))
        count = sum(len(r.findings) for r in results)
        message = f"基线已写入 {output}：{count} 个问题" if conf.lang == "zh" else f"Baseline written to {output}: {count} findings"
        Console(stderr=True, soft_wrap=True).print(message, markup=False, highlight=False)
        return EXIT_OK

    raise typer.Exit(guarded(first_lang, debug, action))


@app.command(short_help="查看文档模型 / show the document model")
def inspect(
    path: Path = typer.Argument(..., help="PDF 文件 / a PDF file"),
    json_out: bool = typer.Option(False, "--json", help="以 JSON 输出 / print JSON"),
    rules: Optional[List[Path]] = typer.Option(None, "--rules", help="规则文件夹 / rule folders"),
    lang: Lang = typer.Option(Lang.zh, "--lang"),
    debug: bool = typer.Option(False, "--debug"),
):
    """查看文档模型：表格、种类、单位、页码、叙述段落 / show the document model."""
    from ..checks import load_rules
    from ..ingest.assemble import build_document
    from ..report.inspect_view import render_inspect, to_json

    def action():
        from ..safe.limits import limit, run_limited

        ruleset = load_rules(rules)
        doc = run_limited(build_document, path, ruleset.catalog, timeout=limit("TIMEOUT"), path=path)
        if json_out:
            import json

            write_stdout(json.dumps(to_json(doc, ruleset), ensure_ascii=False, indent=2) + "\n")
        else:
            with stdout_guard():
                render_inspect(doc, ruleset, lang.value)
        return EXIT_OK

    raise typer.Exit(guarded(lang.value, debug, action))


class FactFormat(str, Enum):
    csv = "csv"
    json = "json"


@app.command(short_help="列出文档中的全部数字及其口径 / the document's figures with their context")
def facts(
    path: Path = typer.Argument(..., help="PDF 文件 / a PDF file"),
    format: FactFormat = typer.Option(FactFormat.csv, "--format", "-f", help="csv 或 json / csv or json"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入文件 / write to a file"),
    rules: Optional[List[Path]] = typer.Option(None, "--rules", help="规则文件夹 / rule folders"),
    lang: Lang = typer.Option(Lang.zh, "--lang"),
    debug: bool = typer.Option(False, "--debug"),
):
    """每个数字一行：表格单元格与说明文字中的金额、增减、比率、个数，连同主体、期间、资金口径、科目与层级 /
    one row per stated figure with its entity, scenario, fund scope, classification and level (README, Facts)."""
    from ..checks import load_rules
    from ..ingest.assemble import build_document
    from ..ingest.context import stated_facts
    from ..report.facts_table import RENDER

    def action():
        from ..safe.limits import limit, run_limited

        check_output(output, [path])
        ruleset = load_rules(rules)
        doc = run_limited(build_document, path, ruleset.catalog, timeout=limit("TIMEOUT"), path=path)
        text = RENDER[format.value](stated_facts(doc, ruleset))
        if output:
            write_atomically(output, text)
        else:
            write_stdout(text)
        return EXIT_OK

    raise typer.Exit(guarded(lang.value, debug, action))


def language(lang: Optional[Lang], config_path) -> str:
    """--lang, else the config file's `lang:`, else zh; a broken config file is reported by the command itself."""
    if lang:
        return lang.value
    from ..ruleset.config import find_config, load_config

    try:
        return load_config(find_config(config_path)).lang or "zh"
    except BudgetAuditError:
        return "zh"


@rules_app.command("list", short_help="列出 check 会运行的规则 / list the rules check would run")
def rules_list(rules: Optional[List[Path]] = RULES_OPTION, no_default_rules: bool = NO_DEFAULTS_OPTION,
               select: Optional[List[str]] = SELECT_OPTION, ignore: Optional[List[str]] = IGNORE_OPTION,
               config: Optional[Path] = CONFIG_OPTION, lang: Optional[Lang] = typer.Option(None, "--lang")):
    """列出 check 会运行的规则（同样的 --rules/--select/--ignore/--config）/ list the rules check would run with the same options."""
    from rich.table import Table

    chosen = language(lang, config)

    def action():
        ruleset = selected_rules(config, rules, no_default_rules, select, ignore).ruleset
        listed = sorted(ruleset.rules.values(), key=lambda r: r.id)
        if sys.stdout is None or not sys.stdout.isatty():  # pipes and logs: plain lines, never cut
            write_stdout("".join(f"{r.id}\t{r.severity}\t{r.kind}\t{r.title(chosen)}\n" for r in listed))
            return EXIT_OK
        table = Table("id", "severity", "kind", "title")
        for rule in listed:
            table.add_row(rule.id, rule.severity, rule.kind, rule.title(chosen))
        Console().print(table)
        return EXIT_OK

    raise typer.Exit(guarded(chosen, False, action))


@rules_app.command("show", short_help="显示一条规则（继承后）/ show a rule as check runs it")
def rules_show(rule_id: str, rules: Optional[List[Path]] = RULES_OPTION, no_default_rules: bool = NO_DEFAULTS_OPTION,
               select: Optional[List[str]] = SELECT_OPTION, ignore: Optional[List[str]] = IGNORE_OPTION,
               config: Optional[Path] = CONFIG_OPTION, lang: Optional[Lang] = typer.Option(None, "--lang")):
    """显示规则继承与配置之后的全部键，并注明每个键来自哪里 / show the resolved rule, each key marked with where it came from."""
    chosen = language(lang, config)

    def action():
        from ..checks import KINDS
        from ..ruleset.view import prose_lines, resolved_lines

        selected = selected_rules(config, rules, no_default_rules, select, ignore)
        rule = selected.known.get(rule_id)
        if rule is None:
            raise BudgetAuditError("unknown_rule", rule=rule_id)
        enabled = rule_id in selected.ruleset.rules or rule_id not in selected.ruleset.disabled
        lines = [f"{rule.id} · {rule.title(chosen)}", f"# {rule.path}"]
        lines += resolved_lines(rule, selected.known, enabled, KINDS[rule.kind].summary, chosen)
        if enabled and rule_id not in selected.ruleset.rules:
            lines.append("# not selected: --select/--ignore leave it out" if chosen == "en" else "# 未选中：被 --select/--ignore 排除，check 不会运行")
        lines += prose_lines(rule, selected.known, chosen)
        write_stdout("\n".join(lines) + "\n")
        return EXIT_OK

    raise typer.Exit(guarded(chosen, False, action))


@rules_app.command("validate", short_help="校验规则文件 / validate rule files")
def rules_validate(folders: Optional[List[Path]] = typer.Argument(None, help="规则文件夹（同 --rules）/ rule folders (as --rules)"),
                   rules: Optional[List[Path]] = RULES_OPTION, no_default_rules: bool = NO_DEFAULTS_OPTION,
                   select: Optional[List[str]] = SELECT_OPTION, ignore: Optional[List[str]] = IGNORE_OPTION,
                   config: Optional[Path] = CONFIG_OPTION, lang: Optional[Lang] = typer.Option(None, "--lang")):
    """校验规则文件与配置：出错时给出 文件:行 / validate rule files and the config (file:line on error)."""
    chosen = language(lang, config)

    def action():
        ruleset = selected_rules(config, list(folders or []) + list(rules or []), no_default_rules, select, ignore).ruleset
        print(f"OK: {len(ruleset.rules)} rules" if chosen == "en" else f"通过：{len(ruleset.rules)} 条规则")
        return EXIT_OK

    raise typer.Exit(guarded(chosen, False, action))


def main() -> None:
    if sys.stdout is None or not sys.stdout.isatty():  # CI logs: plain click help, wrapped and never cut with "…"
        app.rich_markup_mode = rules_app.rich_markup_mode = None
    app()
