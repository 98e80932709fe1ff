"""budgetaudit.yaml: project settings, rule selection and waivers.

    rule_folders: [../our-rules]      # added to the shipped rules, relative to this file
    default_rules: true               # false: only the folders above (--no-default-rules)
    select: [T-, X-]                  # rule id prefixes to run (default: all)
    ignore: [P-TOC]                   # rule id prefixes not to run
    rules:                            # per-rule settings
      X-TIE-006: {severity: warning}
      N-COV-001: {enabled: false}
    require_checked: true             # exit 1 when a document was not fully checked (--require-checked)
    profile: county
    fail_on: warning                  # error | warning | info
    lang: zh                          # zh | en
    jobs: 2
    timeout: 120                      # seconds per document, 0 = none
    cache: true
    baseline: .budgetaudit-baseline.json
    waivers:
      - rule: X-TIE-003
        document: anshan-*.pdf        # file name or glob (matched on name and on path)
        reason: 上年数据口径调整，财政局已确认

`rules:` given as a folder or a list of folders (the older form) means `rule_folders:`.
A waived finding stays in every report, marked with its reason; it only
stops counting toward the exit code. Options on the command line win over
the file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

from ..model.findings import SEVERITIES
from ..safe.errors import BudgetAuditError, RuleFileError
from ..safe.yamlfile import Mapping, load_yaml
from .selection import RULE_KEYS, RuleSetting, Selection

CONFIG_NAME = "budgetaudit.yaml"
KEYS = {"rules", "rule_folders", "default_rules", "select", "ignore", "require_checked", "profile", "fail_on", "lang", "jobs", "timeout", "cache", "baseline", "waivers"}
WAIVER_KEYS = {"rule", "document", "reason"}
CHOICES = {"fail_on": SEVERITIES, "lang": ("zh", "en")}


@dataclass
class Waiver:
    rule: str
    document: str
    reason: str
    where: str = ""

    def matches(self, document: str, rule: str) -> bool:
        if rule != self.rule:
            return False
        path = Path(document)
        return fnmatch(path.name, self.document) or fnmatch(path.as_posix(), self.document) or path.as_posix().endswith("/" + self.document)


@dataclass
class Config:
    path: Path | None = None
    rules: list[Path] = field(default_factory=list)  # rule folders
    default_rules: bool | None = None
    selection: Selection = field(default_factory=Selection)
    profile: str | None = None
    fail_on: str | None = None
    lang: str | None = None
    jobs: int | None = None
    timeout: float | None = None
    cache: bool = True
    baseline: Path | None = None
    waivers: list[Waiver] = field(default_factory=list)
    require_checked: bool = False


def find_config(explicit: Path | None) -> Path | None:
    if explicit is not None:
        return explicit
    candidate = Path.cwd() / CONFIG_NAME
    return candidate if candidate.is_file() else None


def problem(path: Path, line: int | None, detail: str) -> BudgetAuditError:
    return BudgetAuditError("config", where=f"{path}:{line}" if line else str(path), detail=detail)


def load_config(path: Path | None) -> Config:
    """Read and validate a config file; None gives the defaults."""
    if path is None:
        return Config()
    if not path.exists():
        raise problem(path, None, "文件不存在 / no such file")
    try:
        data = load_yaml(path)
    except RuleFileError as exc:
        raise problem(path, exc.line, exc.detail) from None
    if data is None:
        return Config(path)
    if not isinstance(data, Mapping):
        raise problem(path, None, "应为键值映射 / must be a mapping")
    for key in data:
        if key not in KEYS:
            raise problem(path, data.line_of(key), f"未知键 / unknown key `{key}` (allowed: {', '.join(sorted(KEYS))})")
    return Config(path, rules=read_folders(path, data), default_rules=optional_flag(path, data, "default_rules"),
                  selection=read_selection(path, data), profile=text_value(path, data, "profile"),
                  fail_on=choice(path, data, "fail_on"), lang=choice(path, data, "lang"),
                  jobs=number(path, data, "jobs", int), timeout=number(path, data, "timeout", (int, float)),
                  cache=flag(path, data, "cache"), baseline=relative(path, text_value(path, data, "baseline")),
                  waivers=read_waivers(path, data), require_checked=optional_flag(path, data, "require_checked") or False)


def relative(config: Path, value: str | None) -> Path | None:
    if value is None:
        return None
    target = Path(value).expanduser()
    return target if target.is_absolute() else config.parent / target


def text_value(path: Path, data: Mapping, key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise problem(path, data.line_of(key), f"`{key}` 应为文字 / must be text")
    return value


def choice(path: Path, data: Mapping, key: str) -> str | None:
    value = text_value(path, data, key)
    if value is not None and value not in CHOICES[key]:
        raise problem(path, data.line_of(key), f"`{key}` 应为 {' / '.join(CHOICES[key])}，而不是 `{value}`")
    return value


def number(path: Path, data: Mapping, key: str, kind):
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, kind) or value < 0:
        raise problem(path, data.line_of(key), f"`{key}` 应为非负数 / must be a non-negative number")
    return value


def flag(path: Path, data: Mapping, key: str) -> bool:
    value = data.get(key, True)
    if not isinstance(value, bool):
        raise problem(path, data.line_of(key), f"`{key}` 应为 true/false")
    return value


def optional_flag(path: Path, data: Mapping, key: str) -> bool | None:
    return flag(path, data, key) if key in data else None


def read_folders(path: Path, data: Mapping) -> list[Path]:
    """`rule_folders:`, or `rules:` when it is a folder or a list of folders (the older form)."""
    key = "rule_folders" if "rule_folders" in data or isinstance(data.get("rules"), Mapping) else "rules"
    if key == "rule_folders" and isinstance(data.get("rules"), (str, list)):
        raise problem(path, data.line_of("rules"), "`rules` 与 `rule_folders` 只用一个 / give the folders once, under `rule_folders`")
    value = data.get(key)
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise problem(path, data.line_of(key), f"`{key}` 应为文件夹或文件夹列表 / must be a folder or a list of folders")
    return [relative(path, v) for v in items]


def read_prefixes(path: Path, data: Mapping, key: str) -> list[str]:
    value = data.get(key)
    items = [] if value is None else ([value] if isinstance(value, str) else value)
    if not isinstance(items, list) or not all(isinstance(v, str) and v.strip() for v in items):
        raise problem(path, data.line_of(key), f"`{key}` 应为规则编号前缀的列表，如 [T-, X-TIE] / must be a list of rule id prefixes")
    return [v.strip() for v in items]


def read_selection(path: Path, data: Mapping) -> Selection:
    where = {key: f"{path}:{data.line_of(key)}" for key in ("select", "ignore") if key in data}
    settings = read_rule_settings(path, data) if isinstance(data.get("rules"), Mapping) else []
    return Selection(read_prefixes(path, data, "select"), read_prefixes(path, data, "ignore"), settings, where)


def read_rule_settings(path: Path, data: Mapping) -> list[RuleSetting]:
    """`rules: {X-TIE-006: {severity: warning}, N-COV-001: {enabled: false}}`."""
    settings = []
    for rule_id, item in data["rules"].items():
        line = data["rules"].line_of(rule_id)
        if not isinstance(item, Mapping) or not item:
            raise problem(path, line, f"`{rule_id}` 应为映射：severity, enabled / must be a mapping of severity and/or enabled")
        for key in item:
            if key not in RULE_KEYS:
                raise problem(path, item.line_of(key), f"规则设置的未知键 / unknown key `{key}` (allowed: enabled, severity)")
        severity = item.get("severity")
        if severity is not None and severity not in SEVERITIES:
            raise problem(path, item.line_of("severity"), f"`severity` 应为 error、warning 或 info，而不是 `{severity}` / must be error, warning or info, not `{severity}`")
        enabled = item.get("enabled")
        if enabled is not None and not isinstance(enabled, bool):
            raise problem(path, item.line_of("enabled"), "`enabled` 应为 true 或 false / must be true or false")
        settings.append(RuleSetting(str(rule_id), severity, enabled, f"{path}:{line}"))
    return settings


def read_waivers(path: Path, data: Mapping) -> list[Waiver]:
    items = data.get("waivers") or []
    if not isinstance(items, list):
        raise problem(path, data.line_of("waivers"), "`waivers` 应为列表 / must be a list")
    waivers = []
    for item in items:
        line = getattr(item, "line", None) or data.line_of("waivers")
        if not isinstance(item, Mapping):
            raise problem(path, line, "每条豁免应为映射：rule, document, reason / each waiver is a mapping of rule, document, reason")
        for key in item:
            if key not in WAIVER_KEYS:
                raise problem(path, item.line_of(key), f"豁免的未知键 / unknown waiver key `{key}` (allowed: rule, document, reason)")
        for key in sorted(WAIVER_KEYS):
            if not isinstance(item.get(key), str) or not item.get(key).strip():
                raise problem(path, item.line_of(key), f"豁免缺少 `{key}`（须写明理由）/ a waiver needs a non-empty `{key}`")
        waivers.append(Waiver(item["rule"], item["document"], item["reason"].strip(), f"{path}:{line}"))
    return waivers


def apply_waivers(results, waivers: list[Waiver]) -> None:
    """Mark matching findings as waived with the reason; they stay in the report."""
    for result in results:
        for finding in result.findings:
            waiver = waiver_for(waivers, result.path, finding.rule)
            others = [waiver_for(waivers, result.path, m.get("rule", "")) for m in finding.merged]
            if waiver and all(others) and not finding.waived:  # a merged finding is waived only when all its rules are
                finding.waived = waiver.reason


def waiver_for(waivers: list[Waiver], document: str, rule: str) -> Waiver | None:
    return next((w for w in waivers if w.matches(document, rule)), None)
