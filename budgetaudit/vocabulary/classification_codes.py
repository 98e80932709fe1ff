"""The 政府收支分类科目 as data: code → name by edition, read from
`rules/classification/*.yaml` (next to tables.yaml, so it ships wherever the
rule folder does), and the (code, name) pairs a document prints.

Three classifications, one file each:
- function.yaml: 支出功能分类 (类 201…, 款 20101…, 项 2010101…)
- economic_department.yaml: 部门预算支出经济分类 (类 301…399, 款 30101…)
- economic_government.yaml: 政府预算支出经济分类 (类 501…599, 款 50101…)

An entry is `"code": {name, source}` with optional `since` / `until` (the first and
last edition the name is valid for), `former` (older names, each with its `until`),
`aliases` (other spellings real documents print for the same code) and `uncertain`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ..safe.errors import RuleFileError
from ..safe.files import InputProblem, read_text
from ..safe.yamlfile import MAX_RULE_FILE_BYTES, Mapping, load_yaml, refuse_aliases
from .shipped import default_rules_dir

FOLDER = "classification"
FILES = {
    "function": ("function.yaml", (3, 5, 7), ("2",)),
    "economic_department": ("economic_department.yaml", (3, 5), ("3",)),
    "economic_government": ("economic_government.yaml", (3, 5), ("5",)),
}
ENTRY_KEYS = {"name", "source", "since", "until", "former", "aliases", "uncertain", "note"}
FORMER_KEYS = {"name", "until", "since", "source"}
LEVELS = {3: "类", 5: "款", 7: "项"}

_SPACE = re.compile(r"\s+")
_LEAD = re.compile(r"^(其中[:：]?|[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．](?!\d))+")
_LEVEL_TAG = re.compile(r"[(（](类|款|项)[)）]$")


def normalize(name: str) -> str:
    """Compare names as printed: full-width forms folded (（→(), spaces, 其中 and ordinals
    dropped, a trailing （类）/（款）/（项） dropped."""
    text = _SPACE.sub("", unicodedata.normalize("NFKC", name or ""))
    text = _LEAD.sub("", text)
    text = _LEVEL_TAG.sub("", text)
    return text.strip("：:，,。；;")


@dataclass
class Entry:
    code: str
    name: str
    system: str
    source: str = ""
    since: int | None = None
    until: int | None = None
    former: list[dict] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    uncertain: bool = False

    @property
    def level(self) -> str:
        return LEVELS.get(len(self.code), "")

    @property
    def parent(self) -> str:
        return self.code[:-2] if len(self.code) > 3 else ""

    def names(self) -> set[str]:
        """Every name this code has carried or is printed with (normalised)."""
        return {normalize(n) for n in [self.name, *self.aliases, *(f["name"] for f in self.former)]}

    def former_in(self, year: int) -> dict | None:
        """The former name … that was out of use by `year`, if the printed name is one."""
        return next((f for f in self.former if f.get("until") and int(f["until"]) < year), None)


@dataclass
class Classification:
    entries: dict[str, Entry]
    by_name: dict[tuple[str, int], list[Entry]] = field(default_factory=dict)  # (system, length, normalised current name)

    def get(self, code: str) -> Entry | None:
        return self.entries.get(code)

    def named(self, system: str, length: int, name: str) -> list[Entry]:
        return self.by_name.get((system, length, normalize(name)), [])

    def system_of(self, code: str) -> str:
        for system, (_, lengths, firsts) in FILES.items():
            if len(code) in lengths and code[:1] in firsts:
                return system
        return ""

    def children(self, code: str) -> list[Entry]:
        return [e for e in self.entries.values() if e.parent == code]


def classification_dir(folders) -> list[Path]:
    return [Path(f) / FOLDER for f in folders if (Path(f) / FOLDER).is_dir()]


def load_classification(folders) -> Classification:
    """Read the classification files of the rule folders (a later folder's entry wins)."""
    entries: dict[str, Entry] = {}
    for folder in classification_dir(folders):
        for system, (filename, lengths, firsts) in FILES.items():
            path = folder / filename
            if path.exists():
                for entry in read_file(path, system, lengths, firsts):
                    entries[entry.code] = entry
    return index(entries)


def index(entries: dict[str, Entry]) -> Classification:
    by_name: dict = {}
    for entry in entries.values():
        by_name.setdefault((entry.system, len(entry.code), normalize(entry.name)), []).append(entry)
    return Classification(entries, by_name)


def read_file(path: Path, system: str, lengths, firsts) -> list[Entry]:
    """libyaml when present (these files are large: 0.02 s instead of 0.13 s, and every batch
    worker may load them); a file it refuses is read again with line numbers for the message."""
    data = fast_load(path)
    if data is not None:
        try:
            return entries_of(data, path, system, lengths, firsts)
        except RuleFileError:
            pass
    return entries_of(load_yaml(path), path, system, lengths, firsts)


def fast_load(path: Path):
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return None
    try:
        text = read_text(path, MAX_RULE_FILE_BYTES)  # a regular file, bounded: the hostile-input limits hold here too
        refuse_aliases(text, path)
        return yaml.load(text, Loader=loader)  # noqa: S506 - libyaml's safe loader
    except (InputProblem, RuleFileError, UnicodeDecodeError, yaml.YAMLError):
        return None  # load_yaml reads it again and names the problem with its line


def line_of(mapping, key) -> int | None:
    return mapping.line_of(key) if isinstance(mapping, Mapping) else None


def entries_of(data, path: Path, system: str, lengths, firsts) -> list[Entry]:
    if not isinstance(data, dict) or not isinstance(data.get("codes"), dict):
        raise RuleFileError(str(path), getattr(data, "line", None), "a classification file must have a `codes:` mapping")
    codes = data["codes"]
    out = []
    for code, spec in codes.items():
        line = line_of(codes, code)
        code = str(code)
        if not code.isdigit() or len(code) not in lengths or code[:1] not in firsts:
            raise RuleFileError(str(path), line, f"科目编码 `{code}` 不属于本分类 / not a {system} code ({'/'.join(map(str, lengths))} digits starting {'/'.join(firsts)})")
        if not isinstance(spec, dict) or not str(spec.get("name") or "").strip():
            raise RuleFileError(str(path), line, f"`{code}` 需要 name / needs a name")
        unknown = set(spec) - ENTRY_KEYS
        if unknown:
            raise RuleFileError(str(path), line_of(spec, sorted(unknown)[0]), f"未知键 / unknown key `{sorted(unknown)[0]}` (allowed: {', '.join(sorted(ENTRY_KEYS))})")
        former = spec.get("former") or []
        if not isinstance(former, list) or not all(isinstance(f, dict) and f.get("name") and not set(f) - FORMER_KEYS for f in former):
            raise RuleFileError(str(path), line_of(spec, "former"), f"`{code}` former: a list of {{name, until}}")
        for key in ("since", "until"):
            if spec.get(key) is not None and (isinstance(spec[key], bool) or not isinstance(spec[key], int)):
                raise RuleFileError(str(path), line_of(spec, key), f"`{code}` {key}: 应为年份 / must be a year")
        if any(f.get("until") is not None and (isinstance(f["until"], bool) or not isinstance(f["until"], int)) for f in former):
            raise RuleFileError(str(path), line_of(spec, "former"), f"`{code}` former.until: 应为年份 / must be a year")
        aliases = spec.get("aliases") or []
        if not isinstance(aliases, list):
            raise RuleFileError(str(path), line_of(spec, "aliases"), f"`{code}` aliases: a list of names")
        out.append(Entry(code, str(spec["name"]).strip(), system, str(spec.get("source") or ""),
                         spec.get("since"), spec.get("until"), [dict(f) for f in former], [str(a) for a in aliases],
                         bool(spec.get("uncertain", False))))
    return out


@lru_cache(maxsize=8)
def cached_classification(folders: tuple[str, ...]) -> Classification:
    return load_classification([Path(f) for f in folders])


def classification_of(ruleset) -> Classification:
    """The classification of a loaded rule set: the default rule folder, then the given ones."""
    folders = [str(default_rules_dir())] + [str(f) for f in getattr(ruleset, "folders", []) or []]
    return cached_classification(tuple(dict.fromkeys(folders)))


# --- what a document prints ---------------------------------------------------

_CODE = re.compile(r"^(2[0-3]\d(?:\d{2}){0,2}|3\d{2}(?:\d{2})?|5\d{2}(?:\d{2})?)$")
_JOINED = re.compile(r"^(\d{3,7})\s*[-－—_\s]\s*(\D.*)$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CODE_COLUMN = re.compile(r"编码|代码|科目")
_UNIT_COLUMN = re.compile(r"(部门|单位)(代码|编码|名称)")


@dataclass
class Printed:
    code: str
    name: str
    page: int
    row: object  # the model Row
    column: str = ""  # "" for the row's own code and name, else the column key of the cell


def is_code(text: str) -> bool:
    return bool(_CODE.match(text))


def unit_row(code: str, name: str) -> bool:
    """A 3-digit 单位编码 printed like a 类 code (a 主管部门代码 such as 233 or 314 beside the unit's name): every 类 name
    of the three classifications has 支出, 补助 or 预备费 in it."""
    return len(code) == 3 and not any(word in name for word in ("支出", "补助", "预备费"))


def printed_pairs(table) -> list[Printed]:
    """Every (code, name) a table prints: the row's 科目编码 and name, and code/name cells of
    cross-classified tables (2050803-培训支出 | 50203-培训费 | 30216-培训费, or 50101 | 工资奖金津补贴)."""
    out = []
    for row in table.rows:
        if row.code and is_code(row.code) and row.name and _CJK.search(row.name) and not unit_row(row.code, row.name):
            out.append(Printed(row.code, row.name, row.page, row))
        cells = list(row.values.items())
        for i, (key, cell) in enumerate(cells):
            text = _SPACE.sub(" ", cell.text or "").strip()
            joined = _JOINED.match(text)
            if joined and is_code(joined.group(1)) and _CJK.search(joined.group(2)) and not unit_row(joined.group(1), joined.group(2)):
                out.append(Printed(joined.group(1), joined.group(2), cell.page, row, key))
            elif is_code(text.replace(" ", "")) and i + 1 < len(cells) and _CODE_COLUMN.search(key) and not _UNIT_COLUMN.search(key):
                following = cells[i + 1][1].text.strip()
                if following and _CJK.search(following) and not following[:1].isdigit() and not unit_row(text.replace(" ", ""), following):
                    out.append(Printed(text.replace(" ", ""), following, cell.page, row, key))
        out += grid_pairs(table, row, {(p.code, p.name) for p in out if p.row is row})
    return out


def grid_pairs(table, row, found: set) -> list[Printed]:
    """Code | name cell pairs of the row's printed grid line that the model keeps no column for
    (a cross-classified layout: 部门经济科目编码 | 名称 | 政府经济科目编码 | 名称 | amounts)."""
    if not (0 <= row.index < len(table.grid)) or not row.code:
        return []
    cells = [_SPACE.sub("", c or "") for c in table.grid[row.index]]
    if not cells or cells[0] != row.code:
        return []  # the grid line is not this row's
    out = []
    for i in range(1, len(cells) - 1):
        code, name = cells[i], cells[i + 1]
        if (is_code(code) and name and _CJK.search(name) and len(name) <= 30 and not re.search(r"[，。；,;]", name)
                and not unit_row(code, name) and (code, name) not in found and code != row.code):
            out.append(Printed(code, name, row.page, row, f"#{i + 1}"))
    return out


# --- narrative: 公共安全支出（204类）司法（06款）行政运行（01项）, 事业运行（2010350） ----------

_NARRATIVE_PART = re.compile(r"([\u4e00-\u9fff（）()、]{2,40}?)\s*[（(]\s*(\d{2,3})?\s*(类|款|项)\s*[）)]")
_NARRATIVE_CODE = re.compile(r"([\u4e00-\u9fff（）()、]{2,40}?)\s*[（(]\s*(\d{3}|\d{5}|\d{7})\s*[）)]")


def narrative_codes(text: str) -> list[tuple[str, str, str, int]]:
    """The 科目 a sentence names, as (code or '', level, name as printed, offset after it):
    digits given with the level are joined to the enclosing levels' digits (204类 + 06款 +
    01项 → 2040601); a code in brackets after a name (事业运行（2010350）) is taken as is.
    The name may carry words before it (主要用于…): compare by suffix."""
    text = re.sub(r"\s+", "", text)
    out, prefix = [], {"类": "", "款": ""}
    for match in _NARRATIVE_PART.finditer(text):
        name, digits, level = match.group(1), match.group(2) or "", match.group(3)
        code = ""
        if level == "类" and len(digits) == 3:
            code = prefix["类"] = digits
            prefix["款"] = ""
        elif level == "款" and len(digits) == 2 and prefix["类"]:
            code = prefix["款"] = prefix["类"] + digits
        elif level == "项" and len(digits) == 2 and prefix["款"]:
            code = prefix["款"] + digits
        out.append((code, level, name, match.end()))
    for match in _NARRATIVE_CODE.finditer(text):
        code = match.group(2)
        if is_code(code):
            out.append((code, LEVELS.get(len(code), ""), match.group(1), match.end()))
    return out


def name_suffix(data: "Classification", system: str, name: str) -> str:
    """The longest tail of a narrative name that is a known name in the system (主要用于行政运行 → 行政运行)."""
    text = normalize(name)
    known = {key[2] for key in data.by_name if key[0] == system}
    known |= {n for e in data.entries.values() if e.system == system for n in e.names()}
    for start in range(len(text)):
        tail = text[start:]
        if tail in known or tail + "支出" in known:
            return tail
    return ""
