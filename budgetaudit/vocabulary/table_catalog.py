"""Table recognition from data: title aliases → kind, header paths → column keys.

Everything this module knows comes from `tables.yaml` files; a new regional
template is a YAML change.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..safe.errors import RuleFileError
from ..safe.schema import check_tables
from ..safe.yamlfile import Mapping, load_yaml

UNKNOWN = "unknown"
_YEAR = re.compile(r"(19|20)\d{2}\s*(年度?)?")
_TITLE_NOISE = re.compile(r"[“”\"'‘’「」《》\s]|部门|单位|/|（本年预算）|（不含上年结转）")


CN = "零一二三四五六七八九十"
# A table number: arabic or Chinese numerals, never the two mixed, and a 一 that opens 一般 is the
# title's (表6一般公共预算基本支出表 is 表6, 表十一般… is 表十): a number glued to its title is read.
NUM = f"(?:[0-9]+|(?:[{CN}](?!般))+)"
_LEADING_NUMBER = re.compile(rf"^(预算公开)?表{NUM}[、.．:：]?")


def normalize_title(text: str) -> str:
    text = _YEAR.sub("", text)
    text = _LEADING_NUMBER.sub("", text)
    text = text.replace("(", "（").replace(")", "）")
    return _TITLE_NOISE.sub("", text)


def normalize_header(text: str) -> str:
    """Header text without spaces and years; a bare year (2025年) means the year's amount."""
    bare = re.sub(r"\s+", "", text or "")
    text = _YEAR.sub("", bare).replace("(", "（").replace(")", "）")
    return "预算数" if bare and not text else text


@dataclass
class Kind:
    key: str
    zh: str
    en: str
    titles: list[str]
    exclude: list[str] = field(default_factory=list)
    two_sided: bool = False


@dataclass
class Catalog:
    kinds: dict[str, Kind]
    columns: list[tuple[str, list[str]]]  # (key, path suffix) in priority order

    def classify(self, title: str) -> str:
        norm = normalize_title(title)
        best, best_len = UNKNOWN, 0
        for kind, titles, excludes in self.normalized():
            if any(word in norm for word in excludes):
                continue
            for alias in titles:
                if alias and alias in norm and len(alias) > best_len:
                    best, best_len = kind, len(alias)
        return best

    def normalized(self) -> list[tuple[str, list[str], list[str]]]:
        """Title aliases and exclusions, normalised once."""
        if getattr(self, "_normalized", None) is None:
            self._normalized = [(k.key, [normalize_title(t) for t in k.titles], [normalize_title(e) for e in k.exclude])
                                for k in self.kinds.values()]
        return self._normalized

    def column_key(self, path: tuple[str, ...]) -> str | None:
        norm = [normalize_header(p) for p in path]
        for key, suffix in self.columns:
            if len(suffix) <= len(norm) and norm[-len(suffix):] == suffix:
                prior = any(p.startswith("上年") for p in norm[:len(norm) - len(suffix)])
                return None if prior else key  # a previous year's column is not this year's figure
        return None

    def zh(self, kind: str) -> str:
        return self.kinds[kind].zh if kind in self.kinds else "未识别"

    def is_two_sided(self, kind: str) -> bool:
        return kind in self.kinds and self.kinds[kind].two_sided


def load_catalog(paths: list[Path]) -> Catalog:
    """Merge every tables.yaml found (later files add kinds and aliases)."""
    kinds: dict[str, Kind] = {}
    columns: list[tuple[str, list[str]]] = []
    for path in paths:
        data = load_yaml(path)
        if not isinstance(data, Mapping):
            raise RuleFileError(str(path), None, "tables.yaml must be a mapping with `kinds` and `columns`")
        check_tables(data, path)
        for key in data:
            if key not in ("kinds", "columns"):
                raise RuleFileError(str(path), data.line_of(key), f"unknown key `{key}` (expected kinds, columns)")
        for key, spec in (data.get("kinds") or {}).items():
            kinds[key] = merge_kind(kinds.get(key), key, spec, path, data["kinds"].line_of(key))
        columns = file_columns(data, path) + columns  # later files win
    return Catalog(kinds, columns)


def file_columns(data: Mapping, path: Path) -> list[tuple[str, list[str]]]:
    found = []
    for key, aliases in (data.get("columns") or {}).items():
        if not isinstance(aliases, list):
            raise RuleFileError(str(path), data["columns"].line_of(key), f"column `{key}` needs a list of aliases")
        found += [(key, [normalize_header(p) for p in str(a).split("›")]) for a in aliases]
    return found


KIND_KEYS = {"zh", "en", "titles", "exclude", "two_sided"}


def merge_kind(old: Kind | None, key: str, spec, path: Path, line: int) -> Kind:
    if not isinstance(spec, Mapping):
        raise RuleFileError(str(path), line, f"kind `{key}` must be a mapping")
    for name in spec:
        if name not in KIND_KEYS:
            raise RuleFileError(str(path), spec.line_of(name), f"unknown key `{name}` in kind `{key}` (allowed: {', '.join(sorted(KIND_KEYS))})")
    titles = [str(t) for t in spec.get("titles") or []]
    if old is None and not titles:
        raise RuleFileError(str(path), line, f"kind `{key}` has no titles")
    if old is not None:
        return Kind(key, spec.get("zh", old.zh), spec.get("en", old.en), old.titles + titles,
                    old.exclude + list(spec.get("exclude") or []), bool(spec.get("two_sided", old.two_sided)))
    return Kind(key, str(spec.get("zh", key)), str(spec.get("en", key)), titles,
                [str(e) for e in spec.get("exclude") or []], bool(spec.get("two_sided", False)))
