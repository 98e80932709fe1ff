"""Publication profiles (rules/profiles/*.yaml): which tables and explanations a
kind of disclosure must publish. Read and validated once per rule set."""
from __future__ import annotations

from pathlib import Path

from ..model.findings import SEVERITIES
from ..safe.errors import RuleFileError
from ..safe.schema import check_profile
from ..safe.yamlfile import Mapping, load_yaml
from .shipped import default_rules_dir


def load_profiles(ruleset) -> dict[str, Mapping]:
    """The profiles of a rule set, read once (kept in `ruleset.derived`)."""
    if "profiles" not in ruleset.derived:
        ruleset.derived["profiles"] = read_profiles(ruleset)
    return ruleset.derived["profiles"]


def read_profiles(ruleset) -> dict[str, Mapping]:
    found: dict[str, Mapping] = {}
    folders = [default_rules_dir()] + [f for f in ruleset.folders if Path(f).resolve() != default_rules_dir().resolve()]
    for folder in folders:
        for path in sorted((Path(folder) / "profiles").glob("*.yaml")):
            data = load_yaml(path)
            if not isinstance(data, Mapping) or "profile" not in data or not isinstance(data.get("tables", []), list):
                raise RuleFileError(str(path), getattr(data, "line", None), "profile 文件需要 profile 和 tables / a profile needs `profile` and `tables`")
            check_profile(data, path)
            for entry in data.get("tables", []):
                if not isinstance(entry, Mapping) or entry.get("kind") not in ruleset.catalog.kinds:
                    raise RuleFileError(str(path), getattr(entry, "line", data.line_of("tables")), f"未知表类型 / unknown table kind in {entry}")
                unknown = [k for k in entry.get("or", []) or [] if k not in ruleset.catalog.kinds]
                if unknown or entry.get("severity", "error") not in SEVERITIES:
                    raise RuleFileError(str(path), entry.line, f"`or` 中的未知表类型或 severity 无效 / unknown kind in `or` ({unknown}) or bad severity")
            found[str(data["profile"])] = data
    return found
