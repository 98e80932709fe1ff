"""Choosing rules the way linters do: `select` and `ignore` by id prefix, and
per-rule settings (severity, enabled) from budgetaudit.yaml, applied to the
loaded rules. A prefix or rule id that names no rule is an error, so a typo
never silently checks less."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..safe.errors import BudgetAuditError

RULE_KEYS = {"severity", "enabled"}


@dataclass
class RuleSetting:
    rule: str
    severity: str | None = None
    enabled: bool | None = None
    where: str = ""  # file:line, for messages


@dataclass
class Selection:
    select: list[str] = field(default_factory=list)  # id prefixes; empty = every rule
    ignore: list[str] = field(default_factory=list)
    settings: list[RuleSetting] = field(default_factory=list)
    where: dict = field(default_factory=dict)  # "select"/"ignore" -> where they were written

    def chosen(self, rule_id: str) -> bool:
        if self.select and not rule_id.startswith(tuple(self.select)):
            return False
        return not rule_id.startswith(tuple(self.ignore))


def problem(where: str, detail: str) -> BudgetAuditError:
    return BudgetAuditError("selection", where=where or "budgetaudit.yaml", detail=detail)


def apply_selection(ruleset, selection: Selection) -> None:
    """Apply per-rule settings, then keep only the selected rules that are not ignored."""
    known = {**ruleset.rules, **ruleset.disabled}
    check_prefixes(selection, known)
    for setting in selection.settings:
        apply_setting(ruleset, known, setting)
    ruleset.rules = {rule_id: rule for rule_id, rule in ruleset.rules.items() if selection.chosen(rule_id)}


def check_prefixes(selection: Selection, known: dict) -> None:
    for key in ("select", "ignore"):
        for prefix in getattr(selection, key):
            if not any(rule_id.startswith(prefix) for rule_id in known):
                raise problem(selection.where.get(key, ""), f"`{key}: {prefix}` 不匹配任何规则 / matches no rule id")


def apply_setting(ruleset, known: dict, setting: RuleSetting) -> None:
    rule = known.get(setting.rule)
    if rule is None:
        raise problem(setting.where, f"没有这条规则 / no such rule `{setting.rule}` (see `budgetaudit rules list`)")
    if setting.severity:
        rule.severity = setting.severity
        rule.overrides["severity"] = setting.where
    if setting.enabled is not None:
        rule.overrides["enabled"] = setting.where
    if setting.enabled is False:
        ruleset.rules.pop(setting.rule, None)
        ruleset.disabled[setting.rule] = rule
    elif setting.enabled:
        ruleset.disabled.pop(setting.rule, None)
        ruleset.rules[setting.rule] = rule
