"""Check kinds: the Python behind `extends:`. A rule file names one of these
and supplies its keys; everything domain-specific stays in the YAML."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..model.findings import Finding, Skip
from ..ruleset import loading
from ..ruleset.rule import Rule, RuleSet
from .base import CheckKind, Context, templated
from .classification.codes import CLASSIFICATION_KINDS
from .cross.forms import FORM_KINDS
from .gate.empty import EMPTY_KINDS
from .gate.identity import IDENTITY_KINDS
from .gate.projects import PROJECT_KINDS
from .gate.remnants import REMNANT_KINDS
from .gate.required import REQUIRED_KINDS
from .gate.toc import TOC_KINDS
from .items.sentence_patterns import ITEM_KINDS
from .narrative.comparisons import COMPARISON_KINDS
from .narrative.lists import NARRATIVE_LIST_KINDS
from .narrative.match import NARRATIVE_MATCH_KINDS
from .narrative.rates import NARRATIVE_RATE_KINDS
from .narrative.years import YEAR_KINDS
from .reading.problems import READING_KINDS
from .table.arithmetic import TABLE_KINDS
from .table.code_names import NAME_KINDS

KINDS: dict[str, CheckKind] = {}


def register(kinds: dict[str, CheckKind]) -> None:
    KINDS.update(kinds)


register(TABLE_KINDS)
register(READING_KINDS)
register(REQUIRED_KINDS)
register(TOC_KINDS)
register(EMPTY_KINDS)
register(REMNANT_KINDS)
register(IDENTITY_KINDS)
register(PROJECT_KINDS)
register(NARRATIVE_MATCH_KINDS)
register(NARRATIVE_RATE_KINDS)
register(NARRATIVE_LIST_KINDS)
register(FORM_KINDS)
register(CLASSIFICATION_KINDS)
register(ITEM_KINDS)
register(NAME_KINDS)
register(YEAR_KINDS)
register(COMPARISON_KINDS)


def load_rules(folders: list[Path] | None = None, defaults: bool = True) -> RuleSet:
    """The rule folders loaded against these check kinds (see `ruleset.loading.load_rules`)."""
    return loading.load_rules(folders, defaults, kinds=KINDS)


def run_rule(ctx: Context, rule: Rule) -> Iterator[Finding | Skip]:
    """One rule over the document: its kind's findings, each with the rule's message template applied."""
    for item in KINDS[rule.kind].run(ctx, rule):
        yield item if isinstance(item, Skip) else templated(ctx, rule, item)
