"""`rules show`: a rule as `check` runs it, after `extends:` and budgetaudit.yaml,
each key marked with where it came from."""
from __future__ import annotations

import yaml

from .rule import Rule

PROSE = ("why", "why_en", "example")  # shown after the keys, in the report's language


def plain(value):
    """YAML-loaded values (line-aware mappings) as plain dicts and lists, for dumping."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def chain(rule: Rule, known: dict[str, Rule]) -> list[str]:
    """The rule, the rules it extends in turn, and the check kind at the end (a resolved
    rule's `extends` is always its own, since its own keys win over the parent's)."""
    names, current = [rule.id], rule
    while str(current.get("extends")) in known and str(current.get("extends")) not in names:
        current = known[str(current.get("extends"))]
        names.append(current.id)
    return names + [rule.kind]


def origin_note(rule: Rule, key: str, known: dict[str, Rule], lang: str) -> str:
    if key in rule.overrides:
        return f"set in {rule.overrides[key]}" if lang == "en" else f"由 {rule.overrides[key]} 设置"
    source = rule.origins.get(key, rule.id)
    if source == rule.id:
        return ""
    where = known[source].path if source in known else ""
    return f"inherited from {source} ({where})" if lang == "en" else f"继承自 {source}（{where}）"


def key_lines(key: str, value, note: str) -> list[str]:
    lines = yaml.safe_dump({key: plain(value)}, allow_unicode=True, sort_keys=False, width=1000).rstrip("\n").split("\n")
    if note:
        lines[0] += f"  # {note}"
    return lines


def resolved_lines(rule: Rule, known: dict[str, Rule], enabled: bool, kind_summary: str, lang: str) -> list[str]:
    """The resolved rule as YAML with a comment on each key that is not the rule's own; the
    effective severity and `enabled` shown even where they are defaults."""
    en = lang == "en"
    lines = [("# extends: " if en else "# 继承：") + " → ".join(chain(rule, known)),
             f"# kind {rule.kind}: {kind_summary}" if en else f"# 检查类型 {rule.kind}：{kind_summary}"]
    for key, value in rule.spec.items():
        if key in ("severity", "enabled") + PROSE:
            continue
        lines += key_lines(key, value, origin_note(rule, key, known, lang))
    default = "default" if en else "默认"
    severity_note = origin_note(rule, "severity", known, lang) if "severity" in rule.spec or "severity" in rule.overrides else default
    lines += key_lines("severity", rule.severity, severity_note)
    enabled_note = origin_note(rule, "enabled", known, lang) if "enabled" in rule.spec or "enabled" in rule.overrides else default
    lines += key_lines("enabled", enabled, enabled_note)
    return lines


def prose_lines(rule: Rule, known: dict[str, Rule], lang: str) -> list[str]:
    """Why and example in the report's language, marked when inherited."""
    en = lang == "en"
    lines = []
    for label, key, text in (("Why" if en else "为什么", "why_en" if en else "why", rule.why(lang)),
                             ("Example" if en else "示例", "example", str(rule.get("example") or ""))):
        if text.strip():
            note = origin_note(rule, key if key in rule.spec else key.removesuffix("_en"), known, lang)
            lines.append(f"{label}: {text.strip()}" + (f"  # {note}" if note else ""))
    return lines
