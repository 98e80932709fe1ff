"""What a check covered, per document: rules run / not applicable / could not
run (with the biggest reasons), tables recognised / found, narrative figures
tied / stated. A document whose needed tables may be among the unrecognised
ones, or where most table rules could not run, is `incomplete`: reports say
what was not checked, and --require-checked makes it fail the gate."""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from ..checks.cross.forms import FORM_KINDS
from ..checks.narrative.shared import coverage as narrative_coverage
from ..checks.table.arithmetic import TABLE_KINDS
from ..vocabulary.table_catalog import UNKNOWN

TABLE_RULE_KINDS = set(TABLE_KINDS) | set(FORM_KINDS)
TOP_REASONS = 3


@dataclass
class Coverage:
    rules_run: int = 0
    not_applicable: int = 0
    could_not_run: int = 0
    reasons: list = field(default_factory=list)  # [reason "zh / en", rules] for the biggest could-not-run reasons
    tables_found: int = 0
    tables_recognised: int = 0
    figures_stated: int = 0  # narrative amounts naming a known concept
    figures_tied: int = 0  # of those, tied to a table value
    table_rules_run: int = 0
    table_rules_blocked: int = 0
    needs_unrecognised: list = field(default_factory=list)  # [中文名, kind] of tables rules needed while some tables were not recognised
    incomplete: bool = False

    def to_json(self) -> dict:
        return asdict(self)


def rule_states(ruleset, findings, skipped, unrecognised: int) -> dict[str, str]:
    """run | not_applicable | could_not_run for every rule of the set."""
    found = {f.rule for f in findings}
    skips: dict[str, list] = {}
    for skip in skipped:
        skips.setdefault(skip.rule, []).append(skip)
    states = {}
    for rule_id in ruleset.rules:
        mine = skips.get(rule_id, [])
        if rule_id in found or not mine:
            states[rule_id] = "run"
        elif all(s.cause == "not_applicable" or (s.cause == "missing_table" and not unrecognised) for s in mine):
            states[rule_id] = "not_applicable"
        else:
            states[rule_id] = "could_not_run"
    return states


def biggest_reasons(skipped, states: dict[str, str]) -> list:
    """The commonest could-not-run reasons (by their English part), with how many rules each stopped."""
    rules_by_reason: dict[str, set] = {}
    example: dict[str, str] = {}
    for skip in skipped:
        if states.get(skip.rule) != "could_not_run":
            continue
        kind = skip.reason.rsplit(" / ", 1)[-1].split(":")[0]  # "rows not found: [...]" → "rows not found"
        rules_by_reason.setdefault(kind, set()).add(skip.rule)
        example.setdefault(kind, skip.reason)
    ranked = sorted(rules_by_reason, key=lambda k: (-len(rules_by_reason[k]), k))
    return [[example[k], len(rules_by_reason[k])] for k in ranked[:TOP_REASONS]]


def missing_tables(skipped, states: dict[str, str], catalog) -> list[list[str]]:
    """[中文名, kind] of the tables that could-not-run rules looked for and did not find, commonest first."""
    kinds = Counter()
    for skip in skipped:
        if skip.cause == "missing_table" and states.get(skip.rule) == "could_not_run":
            _, _, named = skip.reason.partition("no table of kind ")
            kinds.update([k.strip() for k in named.split(",") if k.strip()] or [skip.reason.rsplit(" / ", 1)[-1]])
    return [[catalog.zh(k) if k in catalog.kinds else k, k] for k, _ in kinds.most_common()]


def measure(ctx, findings, skipped) -> Coverage:
    """The coverage of one checked document (ctx: the rules' Context)."""
    doc, ruleset = ctx.doc, ctx.ruleset
    recognised = sum(1 for t in doc.tables if t.kind != UNKNOWN)
    unrecognised = sum(1 for t in doc.tables if t.kind == UNKNOWN and t.title)  # untitled pieces (continuations) are no candidates
    states = rule_states(ruleset, findings, skipped, unrecognised)
    count = Counter(states.values())
    table_states = Counter(state for rule_id, state in states.items() if ruleset.rules[rule_id].kind in TABLE_RULE_KINDS)
    stated, untied = narrative_coverage(ctx)
    cov = Coverage(count["run"], count["not_applicable"], count["could_not_run"], biggest_reasons(skipped, states),
                   len(doc.tables), recognised, len(stated), len(stated) - len(untied),
                   table_states["run"], table_states["could_not_run"], missing_tables(skipped, states, ruleset.catalog) if unrecognised else [])
    applicable = cov.table_rules_run + cov.table_rules_blocked
    cov.incomplete = bool(cov.needs_unrecognised) or (applicable > 0 and cov.table_rules_blocked * 2 > applicable)
    return cov
