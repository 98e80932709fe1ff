"""A check as the command line runs it: options merged over budgetaudit.yaml over
defaults, the PDFs of the given files and folders, the rules loaded and selected,
every document checked in the batch (with a progress bar on a terminal), waivers
and the baseline applied, and the exit code. The command line (budgetaudit/cli/)
parses the options and hands the results to a reporter."""
from __future__ import annotations

import math
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

from rich.console import Console

from ..model.findings import RANK
from ..safe.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, BudgetAuditError


def note(text: str) -> None:
    Console(stderr=True, soft_wrap=True).print(f"budgetaudit: {text}", markup=False, highlight=False)


def collect_pdfs(paths: list[Path], notes=note) -> list[Path]:
    from ..safe.walk import find_pdfs

    found = []
    for path in paths:
        if path.is_dir():
            pdfs = find_pdfs(path, notes)
            if not pdfs:
                raise BudgetAuditError("no_pdfs", path=path)
            found += pdfs
        else:
            found.append(path)
    return found


def exit_code(results, fail_on: str, require_checked: bool = False) -> int:
    """3 if a document hit an internal error, 2 if one could not be read,
    1 if a finding not waived is at or above the fail level, or (with
    require_checked) a document was not fully checked, else 0."""
    if any(r.error_key == "internal" for r in results):
        return EXIT_INTERNAL
    if any(r.status != "checked" for r in results):
        return EXIT_INPUT
    worst = max((r.worst() for r in results), default=-1)
    incomplete = require_checked and any(r.coverage is not None and r.coverage.incomplete for r in results)
    return EXIT_FINDINGS if worst >= RANK[fail_on] or incomplete else EXIT_OK


@dataclass
class Settings:
    """Command-line options merged over budgetaudit.yaml over defaults."""

    rules: Optional[list]
    default_rules: bool
    selection: object  # selection.Selection
    profile: Optional[str]
    fail_on: str
    lang: str
    jobs: int
    timeout: float
    cache: bool
    baseline: Optional[Path]
    waivers: list
    require_checked: bool = False


def split_prefixes(values: Optional[List[str]]) -> Optional[List[str]]:
    """`--select T-,X-TIE --select N-` → [T-, X-TIE, N-]; None when not given."""
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def selection_of(config, select, ignore):
    """Prefixes from the command line replace those of the config file; per-rule settings come from the file."""
    from ..ruleset.selection import Selection

    chosen = config.selection
    where = dict(chosen.where)
    for key, given in (("select", select), ("ignore", ignore)):
        if given:
            where[key] = f"--{key}"
    return Selection(split_prefixes(select) or chosen.select, split_prefixes(ignore) or chosen.ignore, chosen.settings, where)


def rule_folders(config, rules, no_default_rules) -> tuple:
    """The rule folders (--rules, else the config file's) and whether the shipped rules load too."""
    return rules or config.rules or None, not no_default_rules and config.default_rules is not False


def settings(config_path, rules, profile, fail_on, lang, jobs, timeout, no_cache, baseline,
             no_default_rules=False, select=None, ignore=None, require_checked=False) -> Settings:
    from ..ruleset.config import find_config, load_config
    from .batch import DEFAULT_TIMEOUT

    config = load_config(find_config(config_path))
    pick = lambda given, configured, default: given if given is not None else (configured if configured is not None else default)  # noqa: E731
    if timeout is not None and not math.isfinite(timeout):
        raise BudgetAuditError("config", where="--timeout", detail="应为有限的秒数 / must be a finite number of seconds")
    folders, default_rules = rule_folders(config, rules, no_default_rules)
    return Settings(rules=folders, default_rules=default_rules,
                    selection=selection_of(config, select, ignore), profile=profile or config.profile,
                    fail_on=pick(fail_on.value if fail_on else None, config.fail_on, "error"),
                    lang=pick(lang.value if lang else None, config.lang, "zh"),
                    jobs=pick(jobs, config.jobs, 1), timeout=pick(timeout, config.timeout, DEFAULT_TIMEOUT),
                    cache=config.cache and not no_cache, baseline=baseline or config.baseline, waivers=config.waivers,
                    require_checked=require_checked or config.require_checked)


def input_files(paths: list[Path], conf: Settings, config_path) -> list[Path]:
    """Every file the run reads: a report must never replace one of them."""
    from ..ruleset.config import find_config
    from ..ruleset.loading import default_rules_dir
    from ..safe.walk import yaml_files

    files = collect_pdfs(paths, lambda text: None) + [p for p in (conf.baseline, find_config(config_path)) if p]
    for folder in list(conf.rules or []) + [default_rules_dir()]:
        files += yaml_files(Path(folder)) if Path(folder).is_dir() else []
    return files


def run_checks(paths: list[Path], conf: Settings, debug: bool, quiet: bool = False):
    """Load rules, check every PDF (in parallel, with the time limit), apply waivers and baseline."""
    from ..checks import load_rules
    from ..ruleset.config import apply_waivers
    from ..ruleset.selection import apply_selection
    from .baseline import apply_baseline, load_baseline
    from .batch import print_tracebacks, run_batch
    from .cache import DocumentCache, cache_dir

    ruleset = load_rules(conf.rules, conf.default_rules)
    apply_selection(ruleset, conf.selection)
    ruleset.profile = conf.profile
    known = load_baseline(conf.baseline) if conf.baseline else None
    pdfs = collect_pdfs(paths)
    cache = DocumentCache(cache_dir() if conf.cache else None, ruleset.catalog)
    show = not quiet and sys.stderr.isatty()
    single = pdfs[0] if show and len(pdfs) == 1 and not is_cached(cache, pdfs[0]) else None  # page progress while parsing
    with progress_bar(len(pdfs) if show else 0, conf.lang) as advance, page_progress(single, conf.lang) as on_page:
        results = run_batch(pdfs, ruleset, conf.lang, conf.jobs, conf.timeout, cache, advance, on_page)
    if debug:
        print_tracebacks(results)
    for result in results:  # one line per unreadable document, whatever the report format
        if result.status != "checked":
            Console(stderr=True, soft_wrap=True).print(f"budgetaudit: {result.error}", markup=False, highlight=False)
    apply_waivers(results, conf.waivers)
    if known is not None:
        apply_baseline(results, known, conf.baseline)
    return ruleset, results


def is_cached(cache, path: Path) -> bool:
    entry = cache.entry(path)
    return entry is not None and entry.is_file()


def pages_of(path: Path) -> int:
    """The page count for the progress bar, read in a child under the time and memory limits."""
    from ..ingest.reader import page_count
    from ..safe.limits import run_limited

    try:
        return int(run_limited(page_count, path, timeout=PAGE_COUNT_SECONDS, path=path))
    except Exception:  # noqa: BLE001 - an unreadable file is reported by the check itself
        return 0


PAGE_COUNT_SECONDS = 10


@contextmanager
def page_progress(path: Optional[Path], lang: str):
    """Pages read of one long document, on stderr (a terminal only); None when there is nothing to show."""
    total = pages_of(path) if path is not None else 0
    if total < 2:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    label = f"读取 {path.name}（页）" if lang == "zh" else f"reading {path.name} (pages)"
    with Progress(TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True, soft_wrap=True), transient=True) as progress:
        task = progress.add_task(label, total=total)
        yield lambda number: progress.update(task, completed=number)


@contextmanager
def progress_bar(total: int, lang: str):
    """A rich progress bar on stderr, only when stderr is a terminal and there is more than one document."""
    if total < 2 or not sys.stderr.isatty():
        yield lambda result: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    label = "检查" if lang == "zh" else "checking"
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.description}"),
                  console=Console(stderr=True, soft_wrap=True), transient=True, auto_refresh=False) as progress:
        task = progress.add_task("", total=total)

        def advance(result) -> None:
            progress.update(task, advance=1, description=Path(result.path).name)
            progress.refresh()

        yield advance


@dataclass
class Selected:
    """The rules a `check` with the same options would run, and every rule loaded (by id)."""

    ruleset: object
    known: dict


def selected_rules(config_path, rules, no_default_rules, select, ignore) -> Selected:
    """Rule folders, budgetaudit.yaml and --select/--ignore applied exactly as `check` applies them."""
    from ..checks import load_rules
    from ..ruleset.config import find_config, load_config
    from ..ruleset.selection import apply_selection

    config = load_config(find_config(config_path))
    ruleset = load_rules(*rule_folders(config, rules, no_default_rules))
    known = {**ruleset.rules, **ruleset.disabled}
    apply_selection(ruleset, selection_of(config, select, ignore))
    return Selected(ruleset, known)
