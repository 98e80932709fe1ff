"""What a rule is, and the helpers a check kind uses to validate its keys.

This module sits below both `loading.py` (which loads rule folders) and
`checks/` (which runs them): the checks import their validation helpers from
here (or through `loading.py`, which re-exports them), and `loading.py` receives
the registry of check kinds from its caller, so neither imports the other in a
circle."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Protocol

from ..safe.errors import RuleFileError
from ..safe.yamlfile import Mapping
from ..vocabulary.shipped import default_rules_dir  # noqa: F401 - re-exported
from ..vocabulary.table_catalog import Catalog

COMMON_KEYS = {"id", "extends", "title", "title_en", "severity", "why", "why_en", "message", "message_en", "link", "example", "enabled", "tables", "tolerance"}

# The fields a `message:` / `message_en:` template may name; every kind fills every one (some may be empty).
MESSAGE_FIELDS = {
    "message": "the kind's own message / 检查类型自带的说明",
    "expected": "the expected value / 应为",
    "actual": "the value found / 实际",
    "difference": "the difference / 差额",
    "diff": "same as {difference}",
    "where": "page, table, row and column (or quoted text) of the finding / 位置",
    "page": "the first page of the finding / 页码",
    "rule": "the rule id / 规则编号",
    "title": "the rule title / 规则标题",
    "severity": "error, warning or info / 级别",
}


@dataclass
class Rule:
    """One resolved rule: its own keys merged over those of the rules it extends.
    `origins` says which rule each key came from (a key written in the rule itself maps to
    its own id); `overrides` which keys budgetaudit.yaml set (severity, enabled) and where."""

    id: str
    kind: str
    spec: Mapping
    path: Path
    severity: str = "error"
    origins: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, str] = field(default_factory=dict)

    def get(self, key: str, default=None):
        return self.spec.get(key, default)

    def title(self, lang: str = "zh") -> str:
        return str(self.spec.get("title_en" if lang == "en" else "title") or self.spec.get("title") or self.id)

    def why(self, lang: str = "zh") -> str:
        return str(self.spec.get("why_en" if lang == "en" else "why") or self.spec.get("why") or "")

    def message_template(self, lang: str = "zh") -> str | None:
        """The rule's `message_en:` (English) or `message:`; None when the kind's own text stands."""
        template = self.spec.get("message_en" if lang == "en" else "message") or self.spec.get("message")
        return str(template) if template else None

    def line(self, key: str) -> int:
        return self.spec.line_of(key)


@dataclass
class RuleSet:
    rules: dict[str, Rule]
    catalog: Catalog
    concepts: dict = field(default_factory=dict)
    phrases: dict = field(default_factory=dict)
    folders: list[Path] = field(default_factory=list)
    disabled: dict[str, Rule] = field(default_factory=dict)  # `enabled: false` in their files; budgetaudit.yaml may turn them on
    profile: str | None = None  # requested publication profile (None: chosen from the document)
    derived: dict = field(default_factory=dict)  # what check kinds read from data files once per load (gate profiles)


class KindSpec(Protocol):
    """What rule loading needs of a check kind (checks.base.CheckKind is one)."""

    name: str
    summary: str
    validate: Callable[[Rule, RuleSet], None]
    run: Callable[..., Iterator]


def require(rule: Rule, allowed: set[str], required: set[str]) -> None:
    """Reject unknown keys and missing ones, pointing at the line."""
    for key in rule.spec:
        if key not in allowed | COMMON_KEYS:
            raise RuleFileError(str(rule.path), rule.line(key), f"未知键 / unknown key `{key}` for `{rule.kind}` (allowed: {', '.join(sorted(allowed | COMMON_KEYS))})")
    for key in required:
        if key not in rule.spec:
            raise RuleFileError(str(rule.path), rule.spec.line, f"缺少键 / missing key `{key}` for `{rule.kind}`")


def require_type(rule: Rule, key: str, kind: type | tuple, label: str) -> None:
    if key in rule.spec and not isinstance(rule.spec[key], kind):
        raise RuleFileError(str(rule.path), rule.line(key), f"`{key}` 应为 {label} / must be {label}")


def require_table_kinds(rule: Rule, ruleset: RuleSet, kinds) -> None:
    for kind in kinds if isinstance(kinds, list) else [kinds]:
        if kind not in ruleset.catalog.kinds:
            raise RuleFileError(str(rule.path), rule.line("tables"), f"未知表类型 / unknown table kind `{kind}`")


def require_columns(rule: Rule, ruleset: RuleSet, key: str, columns) -> None:
    known = {k for k, _ in ruleset.catalog.columns}
    for column in columns if isinstance(columns, list) else [columns]:
        if column not in known:
            raise RuleFileError(str(rule.path), rule.line(key), f"未知列 / unknown column `{column}` (known: {', '.join(sorted(known))})")
