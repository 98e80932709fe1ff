"""The shape of every key in rule and data files, checked at load time with
file:line: text where a name is expected, lists of text, finite numbers,
regular expressions that compile and cannot backtrack catastrophically.

A shape is "text", "int", "number", "bool", "regex", "any", or a tuple:
("list", shape), ("map", shape) (text keys), ("keys", {key: shape}) (a mapping
whose known keys have these shapes; other keys may hold any plain data), or
("either", shape, shape, ...).
"""
from __future__ import annotations

import math
import re
from pathlib import Path
from string import Formatter

from .errors import RuleFileError

try:  # Python 3.11+
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

TEXT_LIST = ("list", "text")
NAMES = ("either", "text", TEXT_LIST)
REGEX_LIST = ("list", "regex")
PLAIN_TYPES = (str, int, float, bool, type(None))

RULE_KEYS = {
    "message": "template",
    "message_en": "template",
    **{key: "text" for key in ("id", "extends", "title", "title_en", "why", "why_en", "link",
                               "severity", "column", "compare", "per", "problem", "report", "source", "when_less")},
    **{key: NAMES for key in ("tables", "forms", "projects", "side", "total", "concepts", "columns")},
    "patterns": ("either", "text", TEXT_LIST, ("list", ("keys", {"pattern": "regex", "zh": "text", "en": "text", "not_if": REGEX_LIST}))),
    "section_severity": "text",
    "parts": ("either", "text", ("list", NAMES)),
    "enabled": "bool",
    "tolerance": ("either", "number", "text"),
    **{key: ("keys", {"table": NAMES, "column": NAMES, "side": NAMES, "label": NAMES}) for key in ("left", "right", "form")},
}

PHRASE_KEYS = {
    "remnants": ("list", ("keys", {"id": "text", "pattern": "regex", "zh": "text", "en": "text", "not_if": REGEX_LIST})),
    **{key: TEXT_LIST for key in ("draft_marks", "org_suffixes", "empty_note_instructions", "form_kinds", "repeatable_kinds",
                                  "toc_covers_forms", "org_labels", "unit_list_headings", "unit_links", "year_not_after", "year_date_before", "year_base_before", "project_labels",
                                  "project_amount_labels", "project_list_separators", "project_columns", "signatures", "disclosure_signatures", "joint_label_words")},
    **{key: REGEX_LIST for key in ("empty_notes", "tables_elsewhere", "project_sentences")},
    **{key: "regex" for key in ("zero_amount", "nothing_before", "org_name", "year_subjects", "title_varying_words", "page_footer",
                                "year_budget_words", "year_other_words", "year_base_with", "year_review_words", "asset_sentence", "asset_date",
                                "year_range_after", "year_period_before", "prose_punctuation", "year_org_lead", "year_org_stop", "year_reason_before",
                                "comparison_figure_words", "comparison_part_words")},
    "note_subjects": ("map", TEXT_LIST),
    "amount_elsewhere": ("map", ("list", ("map", NAMES))),
    "sections": ("map", ("keys", {"zh": "text", "en": "text", "titles": REGEX_LIST, "sentences": REGEX_LIST, "reason": REGEX_LIST})),
    "contrast_groups": ("list", TEXT_LIST),
    "fact_context": ("keys", {"fund_scope": ("map", TEXT_LIST), "scenario": ("map", TEXT_LIST), "kind_scope": ("map", "text"),
                              "economic_kinds": TEXT_LIST}),
}

CONCEPT = ("keys", {"aliases": TEXT_LIST, "zh": "text", "en": "text", "qualifier": ("either", "text", "bool"), "all_funds": "bool",
                    "narrows_parts": "bool", "code": "text", "references": ("list", ("keys", {"table": "text", "column": "text", "side": NAMES, "confirm_only": "bool"})), "definition": TEXT_LIST, "parts": TEXT_LIST})

TABLES = ("keys", {"kinds": ("map", ("keys", {"zh": "text", "en": "text", "titles": TEXT_LIST, "exclude": TEXT_LIST, "two_sided": "bool"})),
                   "columns": ("map", TEXT_LIST)})

PROFILE = ("keys", {"profile": "text", "zh": "text", "en": "text", "signatures": TEXT_LIST, "min_signatures": "int",
                    "default": "bool", "sections": TEXT_LIST,
                    "tables": ("list", ("keys", {"kind": "text", "number": "int", "title": "text", "or": TEXT_LIST, "severity": "text"}))})

LABELS = {"text": "文字 / text", "int": "整数 / a whole number", "number": "数字 / a number", "bool": "true/false",
          "regex": "正则表达式 / a regular expression", "list": "列表 / a list", "map": "映射 / a mapping", "keys": "映射 / a mapping"}


def check_rule(spec, path: Path) -> None:
    """Every key of a rule (after `extends` merged it) has the shape of that key."""
    for key, value in spec.items():
        check(value, RULE_KEYS.get(key, "any"), path, spec.line_of(key), key)


def check_phrases(data, path: Path) -> None:
    check(data, ("keys", PHRASE_KEYS), path, getattr(data, "line", None), "phrases")


def check_concepts(data, path: Path) -> None:
    check(data, ("map", CONCEPT), path, getattr(data, "line", None), "concepts")


def check_tables(data, path: Path) -> None:
    check(data, TABLES, path, getattr(data, "line", None), "tables.yaml")


def check_profile(data, path: Path) -> None:
    check(data, PROFILE, path, getattr(data, "line", None), "profile")


def check(value, shape, path: Path, line, name: str) -> None:
    if isinstance(shape, str):
        check_scalar(value, shape, path, line, name)
    elif shape[0] == "either":
        check_either(value, shape[1:], path, line, name)
    elif shape[0] == "list":
        expect(isinstance(value, list), shape, path, line, name)
        for item in value:
            check(item, shape[1], path, getattr(item, "line", line), name)
    else:
        check_mapping(value, shape, path, line, name)


def check_either(value, shapes, path: Path, line, name: str) -> None:
    problems = []
    for shape in shapes:
        try:
            return check(value, shape, path, line, name)
        except RuleFileError as exc:
            problems.append(exc)
    raise problems[-1] if any("正则" in p.detail for p in problems) else wrong(shapes[0], path, line, name)


def check_mapping(value, shape, path: Path, line, name: str) -> None:
    expect(isinstance(value, dict), shape, path, line, name)
    for key, item in value.items():
        where = value.line_of(key) if hasattr(value, "line_of") else line
        if not isinstance(key, str):
            raise RuleFileError(str(path), where, f"`{name}` 的键应为文字 / keys of `{name}` must be text, not `{key}`")
        inner = shape[1] if shape[0] == "map" else shape[1].get(key, "any")
        check(item, inner, path, where, key)


def check_scalar(value, shape: str, path: Path, line, name: str) -> None:
    if shape == "any":
        return check_plain(value, path, line, name)
    if shape == "regex":
        return check_regex(value, path, line, name)
    if shape == "template":
        return check_template(value, path, line, name)
    kinds = {"text": str, "bool": bool, "int": int, "number": (int, float)}[shape]
    ok = isinstance(value, kinds) and (shape == "bool" or not isinstance(value, bool))
    expect(ok and not (isinstance(value, float) and not math.isfinite(value)), shape, path, line, name)


def check_plain(value, path: Path, line, name: str) -> None:
    """Any data without an expected shape: plain scalars, lists and mappings of them."""
    if isinstance(value, list):
        for item in value:
            check_plain(item, path, getattr(item, "line", line), name)
    elif isinstance(value, dict):
        check_mapping(value, ("map", "any"), path, line, name)
    elif not isinstance(value, PLAIN_TYPES) or (isinstance(value, float) and not math.isfinite(value)):
        raise RuleFileError(str(path), line, f"`{name}` 的值不受支持 / unsupported value `{value}`")


def expect(ok: bool, shape, path: Path, line, name: str) -> None:
    if not ok:
        raise wrong(shape, path, line, name)


def wrong(shape, path: Path, line, name: str) -> RuleFileError:
    kind = shape if isinstance(shape, str) else shape[0]
    if kind == "either":
        kind = shape[1] if isinstance(shape[1], str) else shape[1][0]
    label = LABELS.get(kind, LABELS["text"])
    return RuleFileError(str(path), line, f"`{name}` 应为{label.split(' / ')[0]} / `{name}` must be {label.split(' / ')[-1]}")


# ---------- message templates ----------

def check_template(value, path: Path, line, name: str) -> None:
    """A message template names fields ({expected}) without attribute or index access and
    with a short format spec: `{where:>999999999}` would build a gigabyte string."""
    if not isinstance(value, str):
        raise wrong("text", path, line, name)
    try:
        parts = list(Formatter().parse(value))
    except ValueError as exc:
        raise RuleFileError(str(path), line, f"`{name}` 模板无效 / invalid template: {exc}") from None
    for _, field, spec, _ in parts:
        if field is not None and (not field.isidentifier() or len(spec or "") > 8 or len(re.sub(r"\D", "", spec or "")) > 3):
            raise RuleFileError(str(path), line, f"`{name}` 中的 {{{field}:{spec}}} 不允许 / `{{{field}:{spec}}}` is not allowed: plain field names and short formats only")


# ---------- regular expressions ----------

def check_regex(value, path: Path, line, name: str) -> None:
    """A pattern that compiles and has no quantifier inside an unbounded quantifier ((a+)+ backtracks without end)."""
    if not isinstance(value, str):
        raise wrong("regex", path, line, name)
    try:
        parsed = sre_parse.parse(value)
        re.compile(value)
    except (re.error, RecursionError, OverflowError, ValueError) as exc:
        raise RuleFileError(str(path), line, f"`{name}` 正则表达式无效 / invalid regular expression `{value}`: {exc}") from None
    if nested_repeat(parsed, False):
        raise RuleFileError(str(path), line, f"`{name}` 正则表达式含嵌套的量词，可能无限回溯 / nested quantifiers may backtrack catastrophically: `{value}`")


REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT} | ({sre_constants.POSSESSIVE_REPEAT} if hasattr(sre_constants, "POSSESSIVE_REPEAT") else set())


def nested_repeat(parsed, inside: bool) -> bool:
    """True when an unbounded repeat sits inside another repeat of more than one."""
    for op, av in parsed:
        if op in REPEATS:
            low, high, sub = av
            unbounded = high == sre_constants.MAXREPEAT
            if inside and unbounded:
                return True
            if nested_repeat(sub, inside or high > 1):
                return True
        elif any(nested_repeat(sub, inside) for sub in subpatterns(op, av)):
            return True
    return False


def subpatterns(op, av) -> list:
    if op == sre_constants.SUBPATTERN:
        return [av[-1]]
    if op == sre_constants.BRANCH:
        return list(av[1])
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return [av[1]]
    if op == sre_constants.GROUPREF_EXISTS:
        return [p for p in av[1:] if p is not None]
    if hasattr(sre_constants, "ATOMIC_GROUP") and op == sre_constants.ATOMIC_GROUP:
        return [av]
    return []
