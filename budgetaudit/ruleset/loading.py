"""Loading rule folders: one YAML file per rule, `extends:` a check kind or
another rule, validated against the kind's keys; data files (tables.yaml,
concepts.yaml) loaded alongside. Every mistake names its file and line."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from string import Formatter
from typing import Mapping as MappingOf

from ..model.findings import SEVERITIES
from ..safe.errors import RuleFileError
from ..safe.schema import check_concepts, check_phrases, check_rule
from ..safe.yamlfile import Mapping, load_yaml
from ..vocabulary.table_catalog import load_catalog
from .rule import (  # noqa: F401 - re-exported: check modules import their helpers from here
    COMMON_KEYS,
    MESSAGE_FIELDS,
    KindSpec,
    Rule,
    RuleSet,
    default_rules_dir,
    require,
    require_columns,
    require_table_kinds,
    require_type,
)

DATA_FILES = ("tables.yaml", "concepts.yaml", "phrases.yaml", "layout.yaml")


def rule_folders(folders: list[Path] | None, defaults: bool = True) -> list[Path]:
    """The shipped rules first (unless `defaults` is off), then the given folders in order;
    the shipped folder given again keeps its first place, so user rules always win over it."""
    base = default_rules_dir()
    given = [Path(f) for f in folders or []]
    if not defaults:
        if not given:
            raise RuleFileError("--no-default-rules", None, "没有规则文件夹：请用 --rules 指定 / no rule folder left: give one with --rules")
        return given
    return [base] + [f for f in given if f.resolve() != base.resolve()]


def load_rules(folders: list[Path] | None = None, defaults: bool = True, *, kinds: MappingOf[str, KindSpec]) -> RuleSet:
    """Load data and rules: the shipped rules, then each given folder; a later folder overrides an earlier one by id.
    `kinds` is the registry of check kinds (`budgetaudit.checks.KINDS`; `budgetaudit.checks.load_rules` passes it):
    this module never imports the checks, which import their helpers from here."""
    for folder in folders or []:
        if not Path(folder).is_dir():
            raise RuleFileError(str(folder), None, "不是规则文件夹 / not a rule folder")
    folders = rule_folders(folders, defaults)
    base = default_rules_dir()
    data_folders = [base] + [f for f in folders if f.resolve() != base.resolve()]
    if not base.is_dir():
        raise RuleFileError(str(base), None, "不是规则文件夹 / not a rule folder")
    catalog = load_catalog([f / "tables.yaml" for f in data_folders if (f / "tables.yaml").exists()])
    concepts = merge_data(data_folders, "concepts.yaml", "concepts")
    phrases = merge_data(data_folders, "phrases.yaml", "phrases")
    ruleset = RuleSet({}, catalog, concepts, phrases, folders)
    raw: dict[str, tuple[Mapping, Path]] = {}
    for folder in folders:
        raw.update(read_folder(folder))
    for rule_id in raw:
        rule = resolve(rule_id, raw, kinds, set())
        validate(rule, ruleset, kinds)
        (ruleset.rules if rule.get("enabled", True) else ruleset.disabled)[rule_id] = rule
    from ..vocabulary.classification_codes import classification_of

    classification_of(ruleset)  # the classification data is read and validated now: a mistake is a rule-file error, not a crash in a worker
    return ruleset


def read_folder(folder: Path) -> dict[str, tuple[Mapping, Path]]:
    """The rule files of one folder by id; the same id twice in one folder is an error."""
    from ..safe.walk import yaml_files

    found: dict[str, tuple[Mapping, Path]] = {}
    for path in yaml_files(folder):
        if path.name in DATA_FILES or path.parent.name == "profiles" or path.parent == folder / "classification":  # data, not rules
            continue
        if path.parent.name == "fixtures":  # where a rule fires and stays silent (tests/test_rule_fixtures.py), not a rule
            continue
        spec = load_yaml(path)
        if not isinstance(spec, Mapping) or not isinstance(spec.get("id"), str) or not spec["id"].strip():
            raise RuleFileError(str(path), getattr(spec, "line", None), "规则文件必须是含 id（文字）的映射 / a rule file must be a mapping with a text `id`")
        if spec["id"] in found:
            raise RuleFileError(str(path), spec.line_of("id"), f"重复的规则 id `{spec['id']}`，已在 {found[spec['id']][1]} 中定义 / duplicate rule id, already defined in {found[spec['id']][1]}")
        found[spec["id"]] = (spec, path)
    return found


def validate(rule: Rule, ruleset: RuleSet, kinds: MappingOf[str, KindSpec]) -> None:
    """The kind's own checks; a value of a shape the kind cannot use is a rule-file error, never a crash."""
    try:
        kinds[rule.kind].validate(rule, ruleset)
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
        raise RuleFileError(str(rule.path), rule.spec.line, f"值的类型不对 / a value has the wrong type ({type(exc).__name__}: {exc})") from None


def merge_data(folders: list[Path], name: str, top: str) -> dict:
    merged: dict = {}
    for folder in folders:
        path = folder / name
        if not path.exists():
            continue
        data = load_yaml(path)
        if not isinstance(data, Mapping) or not isinstance(data.get(top), Mapping):
            raise RuleFileError(str(path), getattr(data, "line", None), f"{name} must have a `{top}:` mapping")
        (check_phrases if top == "phrases" else check_concepts)(data[top], path)
        for key, value in data[top].items():
            merged[key] = merged_by_id(merged.get(key), value)
    return merged


def merged_by_id(earlier, later):
    """A later folder's list of entries with ids (remnant patterns) adds to the earlier list and
    replaces entries of the same id; any other value replaces the earlier one."""
    def ids(items):
        return isinstance(items, list) and all(isinstance(i, Mapping) and "id" in i for i in items)

    if not (ids(earlier) and ids(later)):
        return later
    replaced = {str(i["id"]) for i in later}
    return [i for i in earlier if str(i["id"]) not in replaced] + list(later)


def resolve(rule_id: str, raw: dict, kinds: MappingOf[str, KindSpec], seen: set) -> Rule:
    """Follow `extends:` through other rules down to a check kind; keys of the child win."""
    spec, path = raw[rule_id]
    check_rule(spec, path)
    if rule_id in seen:
        raise RuleFileError(str(path), spec.line_of("extends"), f"`extends` 循环 / cycle through {rule_id}")
    parent = spec.get("extends")
    if not isinstance(parent, str):
        raise RuleFileError(str(path), spec.line_of("extends") if "extends" in spec else spec.line, "`extends` 应为检查类型或规则 id / must name a check kind or a rule id")
    own = {key: rule_id for key in spec}
    if parent in kinds:
        rule = Rule(rule_id, parent, spec, path, origins=own)
    elif parent in raw:
        base = resolve(parent, raw, kinds, seen | {rule_id})
        merged = Mapping({**base.spec, **spec})
        merged.line, merged.key_lines = spec.line, {**base.spec.key_lines, **spec.key_lines}
        rule = Rule(rule_id, base.kind, merged, path, origins={**base.origins, **own})
    else:
        choices = ", ".join(sorted(kinds))
        raise RuleFileError(str(path), spec.line_of("extends") if "extends" in spec else spec.line,
                            f"`extends: {parent}` 不是检查类型或规则 / is neither a check kind ({choices}) nor a rule id")
    check_tolerance(rule)
    check_message_fields(rule)
    rule.severity = str(spec.get("severity", rule.spec.get("severity", "error")))
    if rule.severity not in SEVERITIES:
        raise RuleFileError(str(path), rule.line("severity"), f"severity 必须是 error/warning/info，而不是 `{rule.severity}`")
    return rule


def check_message_fields(rule: Rule) -> None:
    """`message:` and `message_en:` may name only the fields every kind fills (MESSAGE_FIELDS)."""
    for key in ("message", "message_en"):
        template = rule.spec.get(key)
        if not isinstance(template, str):
            continue
        for _, name, _, _ in Formatter().parse(template):
            if name is not None and name not in MESSAGE_FIELDS:
                raise RuleFileError(str(rule.path), rule.line(key), f"`{key}` 中的 {{{name}}} 不是可用字段 / `{{{name}}}` is not a message field "
                                    f"(fields: {', '.join(sorted(MESSAGE_FIELDS))})")


def check_tolerance(rule: Rule) -> None:
    """`tolerance:` overrides the derived rounding tolerance: a plain number ≥ 0."""
    if "tolerance" not in rule.spec:
        return
    try:
        value = Decimal(str(rule.spec["tolerance"]))
        valid = value.is_finite() and value >= 0 and not isinstance(rule.spec["tolerance"], bool)
        valid = valid and (value == 0 or Decimal("1E-12") <= value <= Decimal("1E12")) and len(value.as_tuple().digits) <= 30
    except InvalidOperation:
        valid = False
    if not valid:
        raise RuleFileError(str(rule.path), rule.line("tolerance"), f"tolerance 应为 0 或 1E-12 到 1E12 之间的数字 / must be 0 or a number from 1E-12 to 1E12, not `{str(rule.spec['tolerance'])[:40]}`")
