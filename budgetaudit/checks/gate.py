"""Publication gate check kinds: required tables and explanations (by
profile), 目录 against body, empty tables, template remnants, draft marks,
identity (unit name, year, money unit) and project names.

Everything domain-specific (phrases, aliases, profiles) is data:
rules/phrases.yaml (`phrases:`) and rules/profiles/*.yaml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

from ..errors import RuleFileError
from ..findings import RANK, Finding, Location, Skip
from ..model import Line, Section, Table
from ..numbers import format_decimal, parse_quantity
from ..recognize import UNKNOWN, normalize_title
from ..rules import default_rules_dir, require
from ..schema import check_profile
from ..text import squash
from ..yamlfile import Mapping, load_yaml
from .base import CheckKind, Context, find_row, say, summed_top_rows

_CN = "零一二三四五六七八九十"
_NUM = rf"[0-9{_CN}]+"
NUMBER_LINE = re.compile(rf"^(预算公开|部门预算|单位预算|部门公开|公开)?(表|附表)({_NUM})$|^[（(](?:预算)?表({_NUM})[)）]$")
NUMBER_IN_TITLE = re.compile(rf"^(?:预算公开)?表({_NUM})[、.．:：]?|[（(](?:预算)?表({_NUM})[)）]")
TOC_ENTRY = re.compile(rf"^-?(第[{_CN}]+部分|[{_CN}]+、|[（(][{_CN}]+[)）]|(预算公开)?表{_NUM}|附件|附表)")
ORDINAL = re.compile(rf"^-?(第([{_CN}]+)部分|([{_CN}]+)、|[（(]([{_CN}]+)[)）]|(?:预算公开)?表({_NUM})[、.．:：]?|(\d{{1,2}})[.．、](?!\d{{0,2}}[.．%]))")
LEADER = re.compile(r"(\.{3,}|…{2,}|·{3,})\d*$")
TRAILING_PAGE = re.compile(r"(?:(\.{2,}|…+|·{2,})\d*|\d{1,3})$")
TRAILING_QUALIFIER = re.compile(r"[（(][^（）()]{1,12}[)）]$")
ORG_OR_UNIT = re.compile(r"^(单位名称|部门名称|编制单位|部门（单位）名称|部门\(单位\)名称)[:：]|单位[:：](万元|元)")
NOTE_START = ("注", "备注", "说明", "如此表", "此表", "本表", "（注", "(注", "（备注", "(备注")
YEAR = re.compile(r"((?:19|20)\d{2})年")


@lru_cache(maxsize=65536)


def cn_number(text: str) -> int | None:
    """表十九 → 19, 表1 → 1."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if any(c not in _CN for c in text):
        return None
    if "十" not in text:
        return _CN.index(text[0]) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    return (_CN.index(tens) if tens else 1) * 10 + (_CN.index(ones) if ones else 0)


def phrases(ctx: Context) -> dict:
    return ctx.ruleset.phrases or {}


def similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


# --- document views shared by the checks (cached per run) -------------------

@dataclass
class TocEntry:
    page: int
    text: str
    title: str
    level: int
    ordinal: int | None
    number: int | None
    kind: str
    is_table: bool
    empty_reason: str = ""


@dataclass
class Heading:
    page: int
    title: str
    number: int | None
    number_text: str
    kind: str
    notes: list[str] = field(default_factory=list)
    table: Table | None = None
    pages: list[int] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # the same table's title printed twice (一、收支预算总表 / 2026年度收支预算总表)


@dataclass
class View:
    toc: list[TocEntry]
    toc_lines: set[int]
    toc_texts: set[str]
    toc_pages: set[int]
    headings: list[Heading]
    full_text: str


def view(ctx: Context) -> View:
    cached = getattr(ctx, "_gate_view", None)
    if cached is None:
        cached = build_view(ctx)
        ctx._gate_view = cached
    return cached


def build_view(ctx: Context) -> View:
    entries, used = toc_from_lines(ctx)
    entries += toc_from_tables(ctx)
    texts = {squash(ln.text) for ln in ctx.doc.lines if id(ln) in used}
    pages = {ln.page for ln in ctx.doc.lines if id(ln) in used}
    full = "".join(squash(ln.text) for ln in ctx.doc.lines)
    return View(entries, used, texts, pages, body_headings(ctx, used), full)


def toc_from_lines(ctx: Context) -> tuple[list[TocEntry], set[int]]:
    lines = ctx.doc.lines
    start = next((i for i, ln in enumerate(lines) if squash(ln.text) in ("目录", "目次")), None)
    if start is None:
        return [], set()
    entries: list[TocEntry] = []
    used = {id(lines[start])}
    size = None
    in_tables = False
    for line in lines[start + 1:]:
        text = squash(line.text)
        if not text:
            continue
        if size is not None and abs(line.size - size) > 0.6:
            break
        wrapped_tail = entries and not TOC_ENTRY.match(text) and len(entry_title(text)) <= 6 and TRAILING_PAGE.search(text)
        if wrapped_tail or (not TOC_ENTRY.match(text) and not LEADER.search(text)):
            if wrapped_tail or (entries and len(text) <= 14 and TRAILING_PAGE.search(text)):  # a wrapped entry's tail
                entries[-1].text += text
                entries[-1].title = entry_title(entries[-1].text)
                used.add(id(line))
                continue
            break
        title = entry_title(text)
        if entries and title == entries[0].title:
            break
        size = size or line.size
        used.add(id(line))
        entry = toc_entry(ctx, line.page, text, title, in_tables)
        if entry.level == 1 or (entry.level == 2 and not entry.is_table and entry.ordinal is not None):
            in_tables = names_tables(title)  # 第二部分 部门预算表 / 二、表格部分 opens the tables; the next part closes them
        entries.append(entry)
    return entries, used


def entry_title(text: str) -> str:
    text = TRAILING_PAGE.sub("", squash(text).lstrip("-"))
    return ORDINAL.sub("", text).strip()


def toc_entry(ctx: Context, page: int, text: str, title: str, in_tables: bool) -> TocEntry:
    match = ORDINAL.match(squash(text))
    level, ordinal, number = 2, None, None
    if match:
        part, first, second, table_no, arabic = match.group(2), match.group(3), match.group(4), match.group(5), match.group(6)
        level = 1 if part else 3 if (second or arabic) else 2
        ordinal = cn_number(part or first or second or arabic or "")
        number = cn_number(table_no) if table_no else None
    kind = ctx.ruleset.catalog.classify(title) if "表" in title else UNKNOWN
    names_table = TRAILING_QUALIFIER.sub("", title).endswith("表")  # 一般公共预算支出表（按功能分类）
    is_table = level != 1 and (number is not None or (kind != UNKNOWN and (in_tables or names_table)) or (in_tables and names_table))
    if is_table and number is None and in_tables:
        number = ordinal
    return TocEntry(page, squash(text), title, level, ordinal, number, kind, is_table)


def is_toc_table(table: Table) -> bool:
    return any("报表名称" in squash(c) for row in table.header for c in row)


def toc_from_tables(ctx: Context) -> list[TocEntry]:
    """A 目录 printed as a table (报表 | 报表名称 | 是否空表 | 公开空表理由)."""
    entries = []
    for table in ctx.doc.tables:
        if not is_toc_table(table):
            continue
        for row in table.grid[len(table.header):]:
            cells = [squash(c) for c in row] + ["", "", "", ""]
            match = NUMBER_LINE.match(cells[0])
            if not match or not cells[1]:
                continue
            number = cn_number(match.group(3) or match.group(4))
            reason = cells[3] if cells[2] == "是" else ""
            entries.append(TocEntry(table.pages[0], cells[0] + cells[1], cells[1], 2, number, number,
                                    ctx.ruleset.catalog.classify(cells[1]), True, reason))
    return entries


def body_headings(ctx: Context, toc_lines: set[int]) -> list[Heading]:
    lines, found = ctx.doc.lines, []
    for index, _line in enumerate(lines):
        heading = heading_at(ctx, lines, index, toc_lines)
        if heading is None:
            continue
        previous = found[-1] if found else None
        if previous and heading.table is not None and heading.table is previous.table:
            if heading.title == previous.title:
                previous.pages.append(heading.page)  # a continuation page repeats the heading
                continue
            if heading.page == previous.page:  # a section heading above the table's own title
                previous.aliases.append(heading.title)
                if previous.number is None:
                    previous.number, previous.number_text = heading.number, heading.number_text
                continue
        found.append(heading)
    return sorted(found + table_headings(ctx, found), key=lambda h: h.page)


def table_headings(ctx: Context, found: list[Heading]) -> list[Heading]:
    """Tables whose title the reader took into the table (no title line left in the text)."""
    covered = {id(h.table) for h in found if h.table is not None}
    extra = []
    for table in ctx.doc.tables:
        title = squash(table.title)
        in_title = NUMBER_IN_TITLE.search(title)
        if id(table) in covered or not title or is_toc_table(table) or (table.kind == UNKNOWN and not in_title):
            continue
        if any(h.table is not None and h.title == title and h.kind == table.kind for h in extra + found):
            continue  # a continuation of a table already listed
        number_line = NUMBER_LINE.match(squash(table.number or ""))
        number_text = squash(table.number or "") if number_line else (in_title.group(0).strip("、.．:：（）()") if in_title else "")
        number = cn_number(next((g for g in number_line.groups()[2:] if g), "")) if number_line else cn_number(next((g for g in in_title.groups() if g), "")) if in_title else None
        extra.append(Heading(table.pages[0], title, number, number_text, table.kind, [squash(n) for n in table.notes], table, list(table.pages)))
    return extra


def heading_at(ctx: Context, lines: list[Line], index: int, toc_lines: set[int]) -> Heading | None:
    line = lines[index]
    text = squash(line.text)
    if id(line) in toc_lines or len(text) > 60 or "表" not in text or text.endswith(("。", "；", "，")):
        return None
    if text.startswith(NOTE_START + ("-",)) or NUMBER_LINE.match(text):
        return None
    kind = ctx.ruleset.catalog.classify(text)
    in_title = NUMBER_IN_TITLE.search(text)
    table = table_titled(ctx, text, line.page, kind)
    if kind == UNKNOWN and not in_title:
        return None
    same_page = [ln for ln in lines[max(0, index - 2): index + 4] if ln.page == line.page and ln is not line]
    if table is None and not any(NUMBER_LINE.match(squash(ln.text)) or ORG_OR_UNIT.search(squash(ln.text)) for ln in same_page):
        return None
    number_text = ""
    for offset in (1, -1, 2, -2):
        near = lines[index + offset] if 0 <= index + offset < len(lines) else None
        if near is not None and near.page == line.page and (m := NUMBER_LINE.match(squash(near.text))):
            number_text = squash(near.text)
            number = cn_number(m.group(3) or m.group(4))
            break
    else:
        number = cn_number(next((g for g in in_title.groups() if g), "")) if in_title else None
        number_text = in_title.group(0).strip("、.．:：") if in_title else ""
    notes = [squash(ln.text) for ln in lines[index + 1: index + 12] if ln.page == line.page and squash(ln.text).startswith(NOTE_START)]
    if table is not None:
        notes += [squash(n) for n in table.notes if squash(n) not in notes]
    return Heading(line.page, text, number, number_text, kind, notes, table, [line.page])


def table_titled(ctx: Context, text: str, page: int, kind: str) -> Table | None:
    for table in ctx.doc.tables:
        if page in table.pages and (squash(table.title) == text or (kind != UNKNOWN and table.kind == kind)):
            return table
    return None


# --- profiles ---------------------------------------------------------------

def load_profiles(ruleset) -> dict[str, Mapping]:
    """Publication profiles (rules/profiles/*.yaml), read and validated once per rule set."""
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
                if unknown or entry.get("severity", "error") not in ("error", "warning", "info"):
                    raise RuleFileError(str(path), entry.line, f"`or` 中的未知表类型或 severity 无效 / unknown kind in `or` ({unknown}) or bad severity")
            found[str(data["profile"])] = data
    return found


def chosen_profile(ctx: Context) -> tuple[Mapping | None, str]:
    """The profile named by --profile, else the one whose signature phrases the document carries."""
    cached = getattr(ctx, "_gate_profile", None)
    if cached is not None:
        return cached
    profiles = load_profiles(ctx.ruleset)
    requested = getattr(ctx.ruleset, "profile", None)
    how = "requested"
    if requested and requested in profiles:
        profile = profiles[requested]
    else:
        text = view(ctx).full_text
        scored = sorted(((sum(1 for s in p.get("signatures", []) if squash(str(s)) in text), name) for name, p in profiles.items()), reverse=True)
        best = next(((score, name) for score, name in scored if score >= int(profiles[name].get("min_signatures", 1)) and profiles[name].get("signatures")), None)
        default = next((p for p in profiles.values() if p.get("default")), None)
        profile, how = (profiles[best[1]], "detected") if best else (default, "default")
    ctx._gate_profile = (profile, how)
    return profile, how


def profile_name(ctx: Context, profile: Mapping) -> str:
    return str(profile.get("en" if ctx.lang == "en" else "zh") or profile.get("profile"))


# --- required_tables --------------------------------------------------------

def validate_none(rule, ruleset) -> None:
    require(rule, set(), set())
    load_profiles(ruleset)


def present_kinds(ctx: Context) -> set[str]:
    return {h.kind for h in view(ctx).headings} | {t.kind for t in ctx.doc.tables}


def unrecognised_titles(ctx: Context) -> list[str]:
    titles = [t.label for t in ctx.doc.tables if t.kind == UNKNOWN and t.title and not is_toc_table(t)]
    titles += [h.title for h in view(ctx).headings if h.kind == UNKNOWN]
    return list(dict.fromkeys(titles))


def numbered_like(ctx: Context, entry) -> bool:
    """A heading with the entry's number and (nearly) its title counts even if recognised as another kind."""
    title = norm(str(entry.get("title") or ""))
    return bool(title) and any(h.number == entry.get("number") and similar(norm(h.title), title) >= 0.8 for h in view(ctx).headings)


def run_required_tables(ctx: Context, rule):
    profile, how = chosen_profile(ctx)
    if profile is None:
        yield Skip(rule.id, "没有可用的公开模板 / no profile", "not_applicable")
        return
    present, unknown = present_kinds(ctx), unrecognised_titles(ctx)
    catalog, pname = ctx.ruleset.catalog, profile_name(ctx, profile)
    elsewhere = tables_published_elsewhere(ctx)
    if elsewhere:
        titles = [str(e.get("title") or catalog.zh(e["kind"])) for e in profile.get("tables", [])]
        yield tables_elsewhere_finding(ctx, rule, elsewhere, titles, "required-tables-elsewhere")
        return
    printed = printed_titles(ctx)
    for entry in profile.get("tables", []):
        kind = entry["kind"]
        if kind in present or numbered_like(ctx, entry) or any(k in present for k in entry.get("or", []) or []):
            continue
        if entry.get("title") and printed_by_meaning(str(entry["title"]), printed, varying_words(ctx)):
            continue  # its title is printed (the table itself not recognised: R-READ-002 says so)
        name = str(entry.get("title") or catalog.zh(kind))
        number = f"表{entry['number']} " if entry.get("number") else ""
        if unknown:
            listed = "、".join(unknown[:3])
            yield Finding(rule.id, "warning", say(ctx, f"未识别到{number}{name}（{pname}要求公开）；文档中有未能识别的表格（{listed}），可能就是它，请人工核对",
                                                  f"{number}{catalog.kinds[kind].en} (required by {pname}) not recognised; unrecognised tables ({listed}) may be it"),
                          expected=name, actual=say(ctx, "未识别", "unrecognised"), locations=[Location(None, name)], key=f"required|{kind}")
        else:
            yield Finding(rule.id, str(entry.get("severity") or rule.severity), say(ctx, f"缺少{number}{name}（{pname}要求公开；模板{'由 --profile 指定' if how == 'requested' else '按文档特征判定' if how == 'detected' else '为默认'}）",
                                                      f"missing {number}{catalog.kinds[kind].en} (required by {pname})"),
                          expected=name, actual=say(ctx, "缺失", "missing"), locations=[Location(None, name)], key=f"required|{kind}")


# --- required_sections ------------------------------------------------------

def narrative_items(ctx: Context):
    """(page, section, text) of section titles and sentences outside the 目录."""
    v = view(ctx)
    for section in ctx.doc.sections:
        text = squash(section.title)
        if not (section.page in v.toc_pages and text in v.toc_texts):
            yield section.page, text, text
    for sentence in ctx.doc.sentences:
        text = squash(sentence.text)
        if sentence.page in v.toc_pages and any(t and t in text for t in v.toc_texts if len(t) > 4):
            continue
        yield sentence.page, squash(sentence.section), text


def section_present(ctx: Context, spec: Mapping) -> bool:
    titles = [re.compile(p) for p in spec.get("titles", [])]
    sentences = [re.compile(p) for p in spec.get("sentences", [])]
    reasons = [re.compile(p) for p in spec.get("reason", [])]
    items = list(narrative_items(ctx))
    matched = [(sec, text) for _, sec, text in items if any(p.search(sec) for p in titles)]
    if reasons:
        return any(p.search(text) for _, text in matched for p in reasons)
    return bool(matched) or any(p.search(text) for _, _, text in items for p in sentences)


def run_required_sections(ctx: Context, rule):
    profile, _ = chosen_profile(ctx)
    if profile is None:
        yield Skip(rule.id, "没有可用的公开模板 / no profile", "not_applicable")
        return
    specs = phrases(ctx).get("sections", {})
    if not ctx.doc.sentences and not ctx.doc.sections:  # a file of tables only (北京 附件2 部门预算报表)
        yield Finding(rule.id, "info", say(ctx, "本文件只有报表，没有情况说明；要求说明的事项无法在本文件中核对（情况说明可能另行公开）",
                                            "this file holds tables only, no explanation: the required explanations cannot be checked here"),
                      expected=say(ctx, "情况说明", "an explanation"), actual=say(ctx, "不在本文件中", "not in this file"), locations=[Location(None)], key="sections|no-narrative")
        return
    for key in profile.get("sections", []):
        spec = specs.get(key)
        if spec is None:
            yield Skip(rule.id, f"phrases.yaml 没有 sections.{key} / no aliases for {key}")
            continue
        if not section_present(ctx, spec):
            name = say(ctx, str(spec.get("zh", key)), str(spec.get("en", key)))
            yield Finding(rule.id, rule.severity, say(ctx, f"情况说明缺少「{name}」（{profile_name(ctx, profile)}要求说明）", f"the explanation lacks: {name} (required by {profile_name(ctx, profile)})"),
                          expected=name, actual=say(ctx, "未找到", "not found"), locations=[Location(None, row=name)], key=f"section|{key}")


# --- toc --------------------------------------------------------------------

TOC_PROBLEMS = ("absent", "unlisted", "renumbered", "duplicate")


def validate_problem(allowed, optional: frozenset = frozenset()):
    def validate(rule, ruleset) -> None:
        require(rule, {"problem"} | set(optional), {"problem"})
        if "section_severity" in rule.spec and rule.get("section_severity") not in ("error", "warning", "info"):
            raise RuleFileError(str(rule.path), rule.line("section_severity"), "section_severity 必须是 error/warning/info")
        if rule.get("problem") not in allowed:
            raise RuleFileError(str(rule.path), rule.line("problem"), f"problem 应为 {', '.join(allowed)} 之一 / problem must be one of {', '.join(allowed)}")
    return validate


@lru_cache(maxsize=16384)
def norm(title: str) -> str:
    return normalize_title(TRAILING_PAGE.sub("", squash(title)))


def match_entries(entries: list[TocEntry], items: list, title_of) -> dict[int, object]:
    """Greedy best match of 目录 entries to body items by normalised title."""
    pairs = []
    for i, entry in enumerate(entries):
        for j, item in enumerate(items):
            titles = title_of(item)
            score = max(title_score(norm(entry.title), norm(t)) for t in ([titles] if isinstance(titles, str) else titles))
            if score >= 0.75:
                pairs.append((score, i, j))
    matched, taken = {}, set()
    for _score, i, j in sorted(pairs, key=lambda p: -p[0]):
        if i not in matched and j not in taken:
            matched[i] = items[j]
            taken.add(j)
    for i, entry in enumerate(entries):  # second pass: same kind and number, title worded differently
        for j, item in enumerate(items):
            kind, number = getattr(item, "kind", UNKNOWN), getattr(item, "number", None)
            if i not in matched and j not in taken and entry.kind != UNKNOWN and kind == entry.kind and number == entry.number:
                matched[i] = item
                taken.add(j)
    return matched


@lru_cache(maxsize=65536)
def title_score(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if a and b and min(len(a), len(b)) >= 2 and (a in b or b in a):
        return 0.95
    return similar(a, b)


def names_tables(title: str) -> bool:
    return TRAILING_QUALIFIER.sub("", title).endswith(("表", "表格", "表格部分", "报表"))


def is_table_group(entry: TocEntry) -> bool:
    """A 目录 line that heads the tables (第二部分 2026年度部门预算表, 五、部门预算表), not a table itself."""
    return not entry.is_table and entry.kind == UNKNOWN and names_tables(entry.title)


def heading_lines(ctx: Context, v: View) -> list[Section]:
    """Short heading-like lines outside the 目录: a section's title may carry the unit's name
    (上海市…办公室主要职能 for 部门主要职能) or stand on its own line under 第一部分."""
    found = []
    for line in ctx.doc.lines:
        text = squash(line.text)
        if id(line) in v.toc_lines or not 2 <= len(text) <= 40 or text.endswith(("。", "；", "，", "：", ":", ",", ";")):
            continue
        found.append(Section(line.text, line.page, 1))
    return found


def tables_published_elsewhere(ctx: Context) -> Location | None:
    """A file without any standard table: its tables are not missing, they are not in this
    file (the 情况说明 and the 报表 published as two PDFs; a 绩效 attachment that carries
    forms only). Where the text says so (附件：…部门预算报表), the location is that line."""
    if present_kinds(ctx) & required_kinds(ctx):
        return None
    patterns = [re.compile(str(p)) for p in phrases(ctx).get("tables_elsewhere", [])]
    for line in ctx.doc.lines:
        text = squash(line.text)
        if id(line) not in view(ctx).toc_lines and any(p.search(text) for p in patterns):
            return Location(line.page, text=text)
    return Location(None)


def required_kinds(ctx: Context) -> set[str]:
    """Every kind the chosen profile requires, with the kinds that may stand in for one."""
    profile, _ = chosen_profile(ctx)
    entries = profile.get("tables", []) if profile else []
    return {e["kind"] for e in entries} | {k for e in entries for k in e.get("or", []) or []}


def tables_elsewhere_finding(ctx: Context, rule, where: Location, titles: list[str], key: str) -> Finding:
    listed = "、".join(titles[:4]) + ("等" if len(titles) > 4 else "")
    if where.page is None:
        message = say(ctx, f"本文件不含{len(titles)}张表（{listed}），也没有任何标准报表：报表可能另行公开（情况说明与报表分两个文件发布），未按缺表处理；请确认报表已公开",
                      f"{len(titles)} tables ({listed}) are not in this file, which holds no standard table at all: they may be published separately; not reported as missing — check that they are published")
    else:
        message = say(ctx, f"本文件不含{len(titles)}张表（{listed}）；第{where.page}页说明报表另行公开（「{where.text[:40]}」），请确认附件已一并公开",
                      f"{len(titles)} tables ({listed}) are not in this file; page {where.page} says they are published separately ({where.text[:40]}): check the attachment")
    return Finding(rule.id, "info", message, expected=say(ctx, "报表附件", "the tables attachment"), actual=say(ctx, "不在本文件中", "not in this file"),
                   locations=[where], key=key)


def toc_matches(ctx: Context, v: View):
    """目录 entries (tables, table groups, sections) matched to the body, computed once per run."""
    cached = getattr(ctx, "_gate_toc_matches", None)
    if cached is None:
        tables = [e for e in v.toc if e.is_table]
        groups = [e for e in v.toc if is_table_group(e)]
        sections = [e for e in v.toc if not e.is_table and not is_table_group(e)]
        table_match = match_entries(tables, v.headings, lambda h: [h.title] + h.aliases)
        body_sections = [s for s in ctx.doc.sections if not (s.page in v.toc_pages and squash(s.title) in v.toc_texts)]
        known = {(s.page, squash(s.title)) for s in body_sections}
        body_sections += [Section(ln.text, ln.page, 1) for ln in ctx.doc.lines
                          if id(ln) not in v.toc_lines and TOC_ENTRY.match(squash(ln.text)) and len(squash(ln.text)) <= 40 and (ln.page, squash(ln.text)) not in known]
        section_match = match_entries(sections, body_sections, lambda s: ORDINAL.sub("", squash(s.title)))
        cached = ctx._gate_toc_matches = (tables, groups, sections, table_match, section_match)
    return cached


def run_toc(ctx: Context, rule):
    v, problem = view(ctx), rule.get("problem")
    if problem == "duplicate":
        yield from duplicates(ctx, rule, v)
        return
    if not v.toc:
        yield Skip(rule.id, "文档没有目录 / no 目录 found", "not_applicable")
        return
    tables, groups, sections, table_match, section_match = toc_matches(ctx, v)
    if problem == "absent":
        unmatched = [e for i, e in enumerate(sections) if i not in section_match]
        lines = heading_lines(ctx, v)
        found_late = match_entries(unmatched + groups, lines, lambda s: ORDINAL.sub("", squash(s.title)))
        printed = printed_titles(ctx)
        missing_tables = [e for i, e in enumerate(tables) if i not in table_match and not printed_by_meaning(e.title, printed, varying_words(ctx))]
        elsewhere = tables_published_elsewhere(ctx) if missing_tables else None
        if elsewhere:
            yield tables_elsewhere_finding(ctx, rule, elsewhere, [e.title for e in missing_tables], "toc-absent-tables")
            missing_tables = []
        for entry in missing_tables:
            yield toc_finding(ctx, rule, entry, say(ctx, f"目录列出「{entry.title}」，正文中没有这张表", f"the 目录 lists {entry.title}, the body has no such table"), "absent")
        for i, entry in enumerate(groups):  # the tables part is there when its tables are
            if not (v.headings or elsewhere or len(unmatched) + i in found_late):
                yield toc_finding(ctx, rule, entry, say(ctx, f"目录列出「{entry.title}」，正文中没有这一部分的表格", f"the 目录 lists {entry.title}, the body has none of its tables"), "absent")
        for i, entry in enumerate(sections):
            if i in section_match or (entry in unmatched and unmatched.index(entry) in found_late):
                continue
            yield toc_finding(ctx, rule, entry, say(ctx, f"目录列出「{entry.title}」，正文中没有标题相同的一节（内容可能以别的标题出现，请人工核对）",
                                                    f"the 目录 lists {entry.title}, the body has no section of that title (it may be there under another wording)"),
                              "absent", milder(str(rule.get("section_severity") or rule.severity), rule.severity))
    elif problem == "unlisted" and tables:
        listed = {id(h) for h in table_match.values()}
        listed_titles = {norm(h.title) for h in table_match.values()}
        repeatable = set(phrases(ctx).get("repeatable_kinds", []))
        listed_kinds = {h.kind for h in table_match.values()}
        first_covered = covered_from(ctx, v)
        covered_kinds = set(phrases(ctx).get("repeatable_kinds", [])) | {UNKNOWN}
        for heading in v.headings:
            in_entry = any(norm(heading.title) in norm(e.title) for e in tables)
            if id(heading) in listed or in_entry or norm(heading.title) in listed_titles or (heading.kind in repeatable and heading.kind in listed_kinds):
                continue
            if first_covered is not None and heading.kind in covered_kinds and heading.page >= first_covered:
                continue  # a form printed inside the part the 目录 lists
            listed_titles.add(norm(heading.title))  # a form repeated per project is reported once
            yield Finding(rule.id, rule.severity, say(ctx, f"正文第{heading.page}页的「{heading.title}」没有列在目录中", f"{heading.title} (page {heading.page}) is not listed in the 目录"),
                          expected=say(ctx, "列入目录", "listed"), actual=say(ctx, "未列入", "not listed"),
                          locations=[Location(heading.page, heading.title)], key=f"toc-unlisted|{norm(heading.title)}")
    elif problem == "renumbered":
        for i, heading in table_match.items():
            entry = tables[i]
            if entry.number is not None and heading.number is not None and entry.number != heading.number:
                yield renumbered(ctx, rule, entry, f"表{entry.number}", heading.number_text or f"表{heading.number}", heading.page)
        for i, section in section_match.items():
            entry = sections[i]
            body = ORDINAL.match(squash(section.title))
            body_ordinal = cn_number(next((g for g in body.groups()[1:4] if g), "")) if body else None
            if entry.ordinal is not None and body_ordinal is not None and entry.ordinal != body_ordinal:
                yield renumbered(ctx, rule, entry, entry.text, squash(section.title), section.page)


def covered_from(ctx: Context, v: View) -> int | None:
    """The body page where a 目录 part that covers per-project forms without listing them
    begins (十一、关于2024年度预算绩效情况说明, 第五部分 附件: `toc_covers_forms`); None if there is none."""
    words = [str(w) for w in phrases(ctx).get("toc_covers_forms", [])]
    titles = [norm(ORDINAL.sub("", squash(e.title))) for e in v.toc if any(w in squash(e.title) for w in words)]
    titles = [t for t in titles if t]
    pages = [line.page for line in heading_lines(ctx, v)
             if any(t in norm(ORDINAL.sub("", squash(line.title))) for t in titles)]
    return min(pages, default=None)


@lru_cache(maxsize=16384)
def meaning(title: str, varying: str) -> str:
    """The title without the words that vary between a 目录 line and the body title of the same
    table (`title_varying_words` in phrases.yaml: 按支出功能分类科目 / 按功能科目分, (不含上年结转))."""
    return compiled(varying).sub("", norm(title)) if varying else norm(title)


def varying_words(ctx: Context) -> str:
    return str(phrases(ctx).get("title_varying_words") or "")


def printed_titles(ctx: Context) -> list[Section]:
    """Heading-like lines outside the 目录 and the titles of every table, recognised or not."""
    return heading_lines(ctx, view(ctx)) + [Section(t.title, t.pages[0], 1) for t in ctx.doc.tables if t.title]


def printed_by_meaning(title: str, lines: list[Section], varying: str) -> bool:
    """A table title (a 目录 entry, a template's table) printed in the body in other words: the
    same title once the wording that varies is dropped (or the body line contains it)."""
    want = meaning(title, varying)
    if len(want) < 4:
        return False
    for line in lines:
        got = meaning(ORDINAL.sub("", squash(line.title)), varying)
        if len(got) >= 4 and same_meaning(want, got):
            return True
    return False


def same_meaning(a: str, b: str) -> bool:
    """Equal, nearly equal, or one containing the other with little to spare (a body title
    with a year or unit prefix): a short phrase inside a long title is not the title."""
    shorter, longer = sorted((a, b), key=len)
    return a == b or similar(a, b) >= 0.9 or (shorter in longer and len(shorter) >= 0.8 * len(longer))


def milder(a: str, b: str) -> str:
    """The less severe of two severities: a user's `severity: info` also lowers a rule's section findings."""
    return min(a, b, key=lambda s: RANK.get(s, 0))


def toc_finding(ctx: Context, rule, entry: TocEntry, message: str, tag: str, severity: str | None = None) -> Finding:
    return Finding(rule.id, severity or rule.severity, message, expected=entry.title, actual=say(ctx, "正文中没有", "absent from the body"),
                   locations=[Location(entry.page, say(ctx, "目录", "目录"), text=entry.text)], key=f"toc-{tag}|{norm(entry.title)}")


def renumbered(ctx: Context, rule, entry: TocEntry, listed: str, body: str, page: int) -> Finding:
    return Finding(rule.id, rule.severity, say(ctx, f"目录中的「{listed}」在正文第{page}页编号为「{body}」", f"the 目录 lists {listed}; the body (page {page}) numbers it {body}"),
                   expected=listed, actual=body, locations=[Location(entry.page, "目录", text=entry.text), Location(page, text=body)],
                   key=f"toc-renumbered|{norm(entry.title)}")


def duplicates(ctx: Context, rule, v: View):
    repeatable = set(phrases(ctx).get("repeatable_kinds", []))
    seen: dict[tuple, Heading] = {}
    last_page: dict[tuple, int] = {}
    for heading in v.headings:
        if heading.kind in repeatable:
            continue
        key = (heading.number, norm(heading.title))
        first = seen.get(key)
        if first is None or heading.page <= last_page.get(key, first.page) + 1:
            seen.setdefault(key, heading)
            last_page[key] = heading.page  # the title repeated on the next page: the table continues
            continue
        label = f"{heading.number_text} {heading.title}".strip()
        yield Finding(rule.id, rule.severity, say(ctx, f"「{label}」印了两次（第{first.page}页和第{heading.page}页）", f"{label} is printed twice (pages {first.page} and {heading.page})"),
                      expected=say(ctx, "1 次", "once"), actual=say(ctx, "2 次", "twice"),
                      locations=[Location(first.page, label), Location(heading.page, label)], key=f"toc-duplicate|{norm(heading.title)}|{heading.number}")


# --- empty_table ------------------------------------------------------------

EMPTY_PROBLEMS = ("unexplained", "note_mismatch", "amount_elsewhere")
INDEX_CELL = re.compile(r"^(\*+|\d{1,2}|栏次|行次)$")


def has_figures(table: Table) -> bool:
    for row in table.grid[len(table.header):]:
        cells = [squash(c) for c in row if c and squash(c)]
        if not cells or all(INDEX_CELL.match(c) for c in cells):
            continue
        for cell in cells:
            quantity = parse_quantity(cell)
            if quantity is not None and quantity.value != 0 and not INDEX_CELL.match(cell):
                return True
    return False


def empty_headings(ctx: Context) -> list[Heading]:
    forms = set(phrases(ctx).get("form_kinds", []))
    return [h for h in view(ctx).headings if h.kind not in forms and h.kind != UNKNOWN and (h.table is None or not has_figures(h.table))]


def says_empty(ctx: Context, text: str) -> bool:
    """`empty_notes` are regular expressions (本表无数据, 没有使用…安排的支出, 无发生额)."""
    return any(re.search(str(w), text) for w in phrases(ctx).get("empty_notes", []))


def empty_note(ctx: Context, heading: Heading) -> str:
    instructions = phrases(ctx).get("empty_note_instructions", [])
    for note in heading.notes:
        if says_empty(ctx, note) and not any(i in note for i in instructions):
            return note
    return ""


def remnant_text(ctx: Context, text: str) -> bool:
    return any(re.search(p["pattern"], text) for p in phrases(ctx).get("remnants", []))


def kind_subjects(ctx: Context, kind: str) -> list[str]:
    return [subject for subject, kinds in (phrases(ctx).get("note_subjects") or {}).items() if kind in kinds]


def states_nothing(ctx: Context, subject: str, text: str) -> bool:
    """The narrative says the table's subject is nil: 政府性基金拨款支出预算0万元, 本单位无机关运行经费."""
    subject = re.escape(squash(subject))
    zero = str(phrases(ctx).get("zero_amount", "(?!)"))
    nothing = str(phrases(ctx).get("nothing_before", "(?!)"))
    return bool(re.search(subject + r"[^，。；,;\d]{0,16}?" + zero, text) or re.search(nothing + r"[^，。；,;\d]{0,16}?" + subject, text))


def narrative_explanation(ctx: Context, heading: Heading) -> str:
    names = {norm(heading.title)} | {normalize_title(a) for a in ctx.ruleset.catalog.kinds[heading.kind].titles}
    names = {n for n in names if len(n) >= 4}
    subjects = kind_subjects(ctx, heading.kind)
    items = list(narrative_items(ctx))
    # a 0 stated for the subject explains the empty table even where the template's instruction
    # (如果未安排…，请写成…) was left in: that instruction is reported once, as a remnant
    for _, _, text in items:
        plain = normalize_title(text)
        if remnant_text(ctx, text):
            continue
        if (any(n in plain for n in names) and says_empty(ctx, text)) or any(states_nothing(ctx, s, text) for s in subjects):
            return text
    for entry in view(ctx).toc:
        if entry.empty_reason and (entry.number == heading.number or norm(entry.title) == norm(heading.title)):
            return entry.empty_reason
    return ""


def amount_elsewhere(ctx: Context, heading: Heading):
    """A non-zero amount for what the empty table should show, from another table or the narrative."""
    for source in phrases(ctx).get("amount_elsewhere", {}).get(heading.kind, []):
        if "table" in source:
            found = table_amount(ctx, source)
        else:
            found = sentence_amount(ctx, str(source["sentence"]))
        if found:
            return found
    return None


def zero_elsewhere(ctx: Context, heading: Heading) -> Location | None:
    """Another table prints the empty table's amount as 0 (a unit funded by projects only: no
    基本支出 in any table): the emptiness is explained by the tables, if not in words."""
    for source in phrases(ctx).get("amount_elsewhere", {}).get(heading.kind, []):
        for table in ctx.doc.tables_of(str(source.get("table", ""))):
            key = str(source.get("column", "total"))
            if table.column(key) is None or not has_figures(table):
                continue
            side = str(source.get("side", ""))
            row = find_row(table, "total", side)
            if row is not None:
                cell = row.values.get(key)
                if cell is None or cell.quantity is None or cell.quantity.value == 0:
                    return Location(row.page, table.label, row.label, table.column(key).label)
            elif (summed := summed_top_rows(table, key, side)) is not None and summed.quantity.value == 0:
                return summed.location
    return None


def table_amount(ctx: Context, source):
    for table in ctx.doc.tables_of(str(source["table"])):
        key, side = str(source.get("column", "total")), str(source.get("side", ""))
        if table.column(key) is None:
            continue
        row = find_row(table, "total", side)
        rows = [row] if row is not None and row.values.get(key) and row.values[key].quantity else [r for r in table.rows_on(side) if len(r.code) == 3]
        values = [r.values[key].quantity for r in rows if r.values.get(key) and r.values[key].quantity is not None]
        total = sum((q.value for q in values), Decimal(0))
        if total != 0:
            where = rows[0]
            return f"{format_decimal(total)}{table.unit}", Location(where.page, table.label, where.label if len(rows) == 1 else "", table.column(key).label)
    return None


def sentence_amount(ctx: Context, phrase: str):
    pattern = re.compile(re.escape(squash(phrase)) + r"(?:预算数|预算|合计|为|共计|总额|是)?[:：]?([-\d,]+(?:\.\d+)?)(万元|元)")
    for sentence in ctx.doc.sentences:
        match = pattern.search(squash(sentence.text))
        if match and (q := parse_quantity(match.group(1), match.group(2))) is not None and q.value != 0:
            return f"{match.group(1)}{match.group(2)}", Location(sentence.page, text=sentence.text, row=sentence.section)
    return None


def note_mismatch(ctx: Context, heading: Heading, note: str) -> str:
    subjects = phrases(ctx).get("note_subjects", {})
    if any(s in note and s in squash(t) for s in subjects for t in [heading.title] + heading.aliases):
        return ""  # the note speaks of what the table's own title names
    mentioned = [s for s in subjects if s in note]
    if mentioned and not any(heading.kind in subjects[s] for s in mentioned):
        return "、".join(mentioned)
    return ""


def heading_location(heading: Heading) -> Location:
    return Location(heading.page, f"{heading.number_text} {heading.title}".strip())


def run_empty_table(ctx: Context, rule):
    problem = rule.get("problem")
    for heading in empty_headings(ctx):
        label = f"{heading.number_text} {heading.title}".strip()
        sibling = any(t.kind == heading.kind and t is not heading.table and has_figures(t) for t in ctx.doc.tables)
        elsewhere = None if sibling else amount_elsewhere(ctx, heading)
        note = empty_note(ctx, heading)
        if problem == "amount_elsewhere" and elsewhere:
            amount, where = elsewhere
            bare = heading.table is None and not note  # a title alone: an empty table, or one the reader could not see
            severity = "warning" if bare and rule.severity == "error" else rule.severity
            why = say(ctx, "；该表只印了标题，既无表格也无空表说明：可能是空表，也可能是表格内容未能读取，请人工核对",
                      "; only the title is printed (no grid, no empty-table note): empty, or unreadable") if bare else ""
            yield Finding(rule.id, severity, say(ctx, f"{label}（第{heading.page}页）是空表，但别处列有金额 {amount}", f"{label} (page {heading.page}) is empty, but {amount} is shown elsewhere") + why,
                          expected=amount, actual=say(ctx, "空表", "empty"), difference=amount, locations=[heading_location(heading), where], key=f"empty-elsewhere|{heading.kind}|{norm(heading.title)}")
        if problem == "unexplained" and not elsewhere and not note and not narrative_explanation(ctx, heading):
            zero = zero_elsewhere(ctx, heading)
            severity = "warning" if zero and rule.severity == "error" else rule.severity
            why = say(ctx, f"；{zero.table} 的「{zero.column}」也为 0，空表与其他表一致，只是没有文字说明", f"; {zero.table} shows 0 in {zero.column} too: the table is consistently empty, only the note is missing") if zero else ""
            yield Finding(rule.id, severity, say(ctx, f"{label}（第{heading.page}页）是空表，表下和情况说明中都没有说明原因", f"{label} (page {heading.page}) is empty and nothing explains why") + why,
                          expected=say(ctx, "空表说明", "an empty-table note"), actual=say(ctx, "无说明", "none"), locations=[heading_location(heading)], key=f"empty-unexplained|{heading.kind}|{norm(heading.title)}")
    if problem == "note_mismatch":
        for heading in view(ctx).headings:
            note = empty_note(ctx, heading)
            subject = note_mismatch(ctx, heading, note) if note and heading.kind != UNKNOWN else ""
            if subject:
                label = f"{heading.number_text} {heading.title}".strip()
                yield Finding(rule.id, rule.severity, say(ctx, f"{label}的空表说明讲的是「{subject}」，与本表不符（疑为复制粘贴）", f"the empty-table note of {label} speaks of {subject}, not of this table (copy-paste?)"),
                              expected=ctx.ruleset.catalog.zh(heading.kind), actual=note, locations=[Location(heading.page, label, text=note)], key=f"empty-note|{heading.kind}|{norm(heading.title)}")


# --- phrase: template remnants ----------------------------------------------

def validate_phrase(rule, ruleset) -> None:
    require(rule, {"patterns"}, set())
    known = {str(p.get("id")) for p in (ruleset.phrases or {}).get("remnants", [])}
    for name in rule.get("patterns", []) or []:
        if name not in known:
            raise RuleFileError(str(rule.path), rule.line("patterns"), f"phrases.yaml 中没有 remnants 模式 `{name}` / unknown pattern (known: {', '.join(sorted(known))})")
    for spec in (ruleset.phrases or {}).get("remnants", []):
        try:
            re.compile(str(spec["pattern"]))
        except (re.error, KeyError) as exc:
            raise RuleFileError("phrases.yaml", getattr(spec, "line", None), f"remnant pattern `{spec.get('id')}`: {exc}") from exc


def text_units(ctx: Context):
    """(page, where, text) for every text a reader sees outside the 目录: sentences, titles, notes."""
    seen = set()
    for page, section, text in narrative_items(ctx):
        seen.add((page, text))
        yield page, section, text
    for table in ctx.doc.tables:
        for note in table.notes:
            if (table.pages[-1], squash(note)) not in seen:
                seen.add((table.pages[-1], squash(note)))
                yield table.pages[-1], table.label, squash(note)
    for line in ctx.doc.lines:
        text = squash(line.text)
        if text.startswith(NOTE_START) and (line.page, text) not in seen and id(line) not in view(ctx).toc_lines:
            seen.add((line.page, text))
            yield line.page, "", text


def remnant_specs(ctx: Context, rule) -> list:
    wanted = rule.get("patterns")
    return [p for p in phrases(ctx).get("remnants", []) if not wanted or p.get("id") in wanted]


@lru_cache(maxsize=1024)
def compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def remnant_hit(spec, text: str) -> bool:
    return bool(compiled(str(spec["pattern"])).search(text)) and not any(compiled(str(n)).search(text) for n in spec.get("not_if", []) or [])


SENTENCE_END = re.compile(r"(?<=[。；;])")
TEMPLATE_LINE_PAGES = 3  # the same line on this many pages is printed by the template, not left by a preparer
def hit_sentences(specs, text: str, footer: str = "") -> str:
    """The sentences of a text unit that carry a remnant: lines glued into one unit (page
    footers, table headers and a 备注) are reported by the words that matter, once."""
    sentences = [compiled(footer).sub("", s) if footer else s for s in SENTENCE_END.split(text)]
    hits = [s for s in sentences if s and any(remnant_hit(spec, s) for spec in specs)]
    return "".join(hits) if hits else text


_GROUP_REFERENCE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")


def any_remnant(specs) -> re.Pattern | None:
    """One pattern matching where any spec's pattern matches: a fast first pass over many texts."""
    patterns = [str(spec["pattern"]) for spec in specs]
    if not patterns or any(_GROUP_REFERENCE.search(p) for p in patterns):
        return None  # joined, group numbers shift: test each spec on its own
    try:
        return compiled("|".join(f"(?:{p})" for p in patterns))
    except re.error:
        return None  # inline flags and the like cannot be combined


def table_cells(ctx: Context) -> list[tuple[object, list[str]]]:
    """Every table with its non-empty cells, spaces removed (computed once per run)."""
    cached = getattr(ctx, "_gate_cells", None)
    if cached is None:
        cached = [(t, [squash(c) for row in t.grid for c in row if c]) for t in ctx.doc.tables]
        ctx._gate_cells = cached
    return cached


def run_phrase(ctx: Context, rule):
    specs = remnant_specs(ctx, rule)
    first_pass = any_remnant(specs)
    grouped: dict[str, tuple[list[str], list[Location], str]] = {}
    for page, where, text in text_units(ctx):
        if first_pass and not first_pass.search(text):
            continue
        if any(page in [l.page for l in locs] and text in other and text != other for other, (_, locs, _) in grouped.items()):
            continue
        names = [say(ctx, str(s.get("zh")), str(s.get("en"))) for s in specs if remnant_hit(s, text)]
        if names:
            text = hit_sentences(specs, text, str(phrases(ctx).get("page_footer") or ""))
            names_seen, locations, _ = grouped.setdefault(text, ([], [], where))
            names_seen += [n for n in names if n not in names_seen]
            locations.append(Location(page, row=where, text=text))
    for text, (names, locations, _) in grouped.items():
        if any(other != text and other in text for other in grouped):
            continue  # a run of lines glued together (page footers + a 备注): the shorter unit says it
        pages = "、".join(str(p) for p in dict.fromkeys(l.page for l in locations))
        standard = len({l.page for l in locations}) >= TEMPLATE_LINE_PAGES  # the template's own 备注 under every table
        yield Finding(rule.id, "info" if standard else rule.severity, say(ctx, f"第{pages}页留有模板痕迹（{'、'.join(names)}）：「{text[:60]}」", f"template remnant on page {pages} ({', '.join(names)}): {text[:60]}"),
                      expected=say(ctx, "删除或填写", "removed or filled in"), actual=text[:80], locations=locations, key=f"remnant|{text[:60]}")
    yield from remnant_cells(ctx, rule, specs)


def declared_empty(ctx: Context) -> set[int]:
    """Tables printed empty with an explanation: the template's blank rows (.....、指标1：) in
    them are the empty form itself, not text a preparer forgot to fill."""
    return {id(h.table) for h in view(ctx).headings if h.table is not None and not has_figures(h.table)
            and (empty_note(ctx, h) or h.table.empty_note or narrative_explanation(ctx, h))}


def remnant_cells(ctx: Context, rule, specs):
    """One finding per pattern and table title (a form repeated per project counts once)."""
    first_pass = any_remnant(specs)
    declared = declared_empty(ctx)
    candidates = [(t, [c for c in texts if not first_pass or first_pass.search(c)]) for t, texts in table_cells(ctx) if id(t) not in declared]
    for spec in specs:
        grouped: dict[str, tuple[str, list[str], list[int]]] = {}
        for table, texts in candidates:
            cells = [c for c in texts if remnant_hit(spec, c)]
            if cells:
                label = table.label or say(ctx, f"第{table.pages[0]}页的表格", f"table on page {table.pages[0]}")
                _, found, pages = grouped.setdefault(norm(table.title) or str(table.pages[0]), (label, [], []))
                found += cells
                pages += [p for p in table.pages if p not in pages]
        name = say(ctx, str(spec.get("zh")), str(spec.get("en")))
        for key, (label, cells, pages) in grouped.items():
            where = "、".join(map(str, pages[:10]))
            yield Finding(rule.id, rule.severity, say(ctx, f"{label}（第{where}页）有 {len(cells)} 个单元格留有模板痕迹（{name}），如「{cells[0][:30]}」", f"{label} (pages {where}): {len(cells)} cells with template remnants ({name}), e.g. {cells[0][:30]}"),
                          expected=say(ctx, "删除或填写", "removed or filled in"), actual=cells[0][:60], locations=[Location(p, label, text=cells[0][:60]) for p in pages[:5]],
                          key=f"remnant-cells|{key}|{spec.get('id')}")


# --- draft_mark -------------------------------------------------------------

def mark_pages(ctx: Context, mark: str) -> list[int]:
    """Pages whose text or table cells carry the mark (a quick look at the whole text first)."""
    cells = table_cells(ctx)
    if mark not in view(ctx).full_text and not any(mark in c for _, texts in cells for c in texts):
        return []
    lines = {ln.page for ln in ctx.doc.lines if stands_as_mark(squash(ln.text), mark)}
    return sorted(lines | {t.pages[0] for t, texts in cells if any(stands_as_mark(c, mark) for c in texts)})


MARK_LINE = 40  # a title or stamp line; a longer text names a draft of something else in prose


def stands_as_mark(text: str, mark: str) -> bool:
    """The mark labels this document (a line of its own, a bracketed 「（送审稿）」, a short title
    line), not a word of running prose (…年报送审稿成果) or a form's indicator text."""
    if mark not in text:
        return False
    return len(text) <= MARK_LINE or any(f"{a}{mark}{b}" in text for a, b in ("（）", "()", "【】", "[]"))


def run_draft_mark(ctx: Context, rule):
    marks = sorted((str(m) for m in phrases(ctx).get("draft_marks", [])), key=len, reverse=True)
    doc, reported = ctx.doc, []
    for mark in marks:
        if any(mark in r for r in reported):
            continue
        watermarked = [w for w in doc.watermarks if mark in squash(w)]
        pages = mark_pages(ctx, mark)
        if watermarked or pages:
            reported.append(mark)
        if watermarked:
            pages = doc.watermark_pages
            yield Finding(rule.id, rule.severity, say(ctx, f"文件带有水印「{watermarked[0]}」（{len(pages)} 页），不能作为公开文本", f"the file carries the watermark {watermarked[0]} on {len(pages)} pages: not a publishable version"),
                          expected=say(ctx, "无内部标记", "no internal mark"), actual=watermarked[0], locations=[Location(p, text=watermarked[0]) for p in pages[:5]], key=f"draft-watermark|{mark}")
        if pages and not (watermarked and mark in "".join(doc.watermarks)):
            yield Finding(rule.id, rule.severity, say(ctx, f"正文有内部标记「{mark}」（第{'、'.join(map(str, pages[:8]))}页），不能作为公开文本", f"internal mark {mark} in the text (pages {', '.join(map(str, pages[:8]))})"),
                          expected=say(ctx, "无内部标记", "no internal mark"), actual=mark, locations=[Location(p, text=mark) for p in pages[:5]], key=f"draft-text|{mark}")


# --- identity ---------------------------------------------------------------

ID_PROBLEMS = ("unit_name", "year", "money_unit")
_ORG_CODE = re.compile(r"^\d+|-\d+$")


def cover_lines(ctx: Context) -> list[Line]:
    first = min((ln.page for ln in ctx.doc.lines), default=1)
    return sorted([ln for ln in ctx.doc.lines if ln.page == first], key=lambda ln: -ln.size)


def cover_name(ctx: Context) -> tuple[str, int] | None:
    """The unit's name on the cover: the largest line that names a unit (ends like 局, 中心, 办公室…),
    or the part of the title before the year (重庆市气象局2026年部门预算)."""
    org = re.compile(str(phrases(ctx).get("org_name", "$")))
    for line in cover_lines(ctx):
        text = re.sub(r"^附件\d*[:：]?", "", squash(line.text))
        text = strip_label(ctx, text)
        text = re.split(r"(?:19|20)\d{2}年|部门预算|单位预算|预算", text)[0]
        if 4 <= len(text) <= 30 and org.search(strip_suffix(ctx, text)):
            return text, line.page
    return None


def strip_label(ctx: Context, text: str) -> str:
    """部门名称：某某局 → 某某局 (`org_labels` in phrases.yaml)."""
    for label in phrases(ctx).get("org_labels", []) or []:
        if text.startswith(str(label)) and text[len(str(label)):len(str(label)) + 1] in (":", "："):
            return text[len(str(label)) + 1:]
    return text


def strip_suffix(ctx: Context, name: str) -> str:
    for suffix in sorted((str(s) for s in phrases(ctx).get("org_suffixes", [])), key=len, reverse=True):
        if name.endswith(suffix) and len(name) > len(suffix) + 2:
            return name[: -len(suffix)]
    return name


def doc_year(ctx: Context) -> tuple[int, int] | None:
    for line in cover_lines(ctx):
        if m := YEAR.search(squash(line.text)):
            return int(m.group(1)), line.page
    return None


def table_orgs(ctx: Context) -> list[tuple[str, Location]]:
    labels = [squash(str(l)) for l in phrases(ctx).get("org_labels", [])]
    found = []
    for table in ctx.doc.tables:
        if table.org:
            found.append((clean_org(table.org), Location(table.pages[0], table.label, column="单位名称")))
        for row in table.grid:
            cells = [squash(c) for c in row]
            for i, cell in enumerate(cells[:-1]):
                if cell in labels:
                    value = next((c for c in cells[i + 1:] if c), "")
                    if value and re.search(str(phrases(ctx).get("org_name", "$")), clean_org(value)) and not any(value.startswith(l) for l in labels):
                        found.append((clean_org(value), Location(table.pages[0], table.label, column=cell)))
    for line in ctx.doc.lines:
        text = squash(line.text)
        if m := re.match(r"^(单位名称|部门名称|部门（单位）名称|部门\(单位\)名称)[:：](.+?)(单位[:：].*)?$", text):
            found.append((clean_org(m.group(2)), Location(line.page, column=m.group(1))))
    return [(name, loc) for name, loc in found if len(name) >= 4]


def clean_org(text: str) -> str:
    return _ORG_CODE.sub("", squash(text))


def run_identity(ctx: Context, rule):
    problem = rule.get("problem")
    if problem == "unit_name":
        yield from unit_names(ctx, rule)
    elif problem == "year":
        yield from years(ctx, rule)
    else:
        yield from money_units(ctx, rule)


def unit_names(ctx: Context, rule):
    orgs = table_orgs(ctx)
    cover = cover_name(ctx)
    if not orgs or cover is None:
        yield Skip(rule.id, "找不到封面或表格中的单位名称 / no unit name found")
        return
    counts: dict[str, int] = {}
    for name, _ in orgs:
        counts[name] = counts.get(name, 0) + 1
    reference = max(counts, key=counts.get)
    narrative = "".join(text for _, _, text in narrative_items(ctx))
    deviations: dict[str, list[Location]] = {}
    if strip_suffix(ctx, cover[0]) != strip_suffix(ctx, reference) and cover[0] not in reference:
        deviations.setdefault(cover[0], []).append(Location(cover[1], say(ctx, "封面", "cover"), text=cover[0]))
    for name, location in orgs:
        if strip_suffix(ctx, name) != strip_suffix(ctx, reference):
            deviations.setdefault(name, []).append(location)
    for name, locations in deviations.items():
        where = "、".join(dict.fromkeys(l.table or f"第{l.page}页" for l in locations))
        yield Finding(rule.id, rule.severity, say(ctx, f"单位名称不一致：{where}写作「{name}」，表格单位名称为「{reference}」（{counts[reference]} 处）；叙述中「{reference}」出现 {narrative.count(reference)} 次，「{name}」出现 {narrative.count(name)} 次",
                                                  f"unit name differs: {where} says {name}, the tables say {reference} ({counts[reference]} times); narrative: {narrative.count(reference)} vs {narrative.count(name)}"),
                      expected=reference, actual=name, locations=locations, key=f"unit-name|{name}")


def years(ctx: Context, rule):
    found = doc_year(ctx)
    if found is None:
        yield Skip(rule.id, "封面没有年度 / no year on the cover", "not_applicable")
        return
    year, _ = found
    for heading in view(ctx).headings:
        m = YEAR.search(heading.title)
        if m and int(m.group(1)) != year:
            yield year_finding(ctx, rule, year, int(m.group(1)), Location(heading.page, heading.title), f"title|{norm(heading.title)}")
    subjects = phrases(ctx).get("year_subjects")
    not_after = tuple(phrases(ctx).get("year_not_after", []))
    if not subjects:
        return
    pattern = re.compile(r"((?:19|20)\d{2})" + subjects)
    for page, section, text in narrative_items(ctx):
        for m in pattern.finditer(text):
            if int(m.group(1)) != year and not text[:m.start()].endswith(not_after):
                yield year_finding(ctx, rule, year, int(m.group(1)), Location(page, row=section, text=text), f"text|{m.group(0)}")


def year_finding(ctx: Context, rule, year: int, found: int, location: Location, key: str) -> Finding:
    return Finding(rule.id, rule.severity, say(ctx, f"预算年度不一致：封面为 {year} 年，此处写作 {found} 年", f"budget year differs: the cover says {year}, this says {found}"),
                   expected=str(year), actual=str(found), locations=[location], key=f"year|{key}")


def money_units(ctx: Context, rule):
    """A 万元 table whose figures are ~10,000 times the document's scale (really 元), or the reverse."""
    scale = max((q.in_unit("万元") for s in ctx.doc.sentences for q in s.figures if q.unit in ("万元", "元")), default=None)
    if not scale:
        yield Skip(rule.id, "叙述中没有金额 / no amounts in the narrative", "not_applicable")
        return
    for table in ctx.doc.tables:
        if table.unit not in ("万元", "元") or table.kind in set(phrases(ctx).get("form_kinds", [])):
            continue
        values = [c.quantity for r in table.rows for c in r.values.values() if c.quantity is not None]
        if not values:
            continue
        largest = max(abs(q.in_unit("万元")) for q in values)
        if largest > scale * 1000:
            yield Finding(rule.id, rule.severity, say(ctx, f"{table.label} 标注单位「{table.unit}」，但最大数 {format_decimal(largest)}万元 是全文最大金额 {format_decimal(scale)}万元 的 {int(largest / scale)} 倍，像是以元填列",
                                                      f"{table.label} says {table.unit} but its largest figure is {int(largest / scale)}× the document's largest amount: probably 元"),
                          expected=f"≤ {format_decimal(scale)}万元", actual=f"{format_decimal(largest)}万元", locations=[Location(table.pages[0], table.label)], key=f"unit|{table.kind}|{norm(table.title)}")


# --- project_names ----------------------------------------------------------

def project_names(ctx: Context) -> dict[str, list[tuple[str, Location]]]:
    p = phrases(ctx)
    labels = {squash(str(l)) for l in p.get("project_labels", [])}
    columns = {squash(str(c)) for c in p.get("project_columns", [])}
    orgs = {name for name, _ in table_orgs(ctx)}
    found: dict[str, list] = {"project": [], "performance": [], "narrative": []}
    for table in ctx.doc.tables:
        if table.kind == "project_expenditure":
            found["project"] += project_rows(table, columns, orgs)
        elif table.kind in ("performance_targets", "performance_overall"):
            found["performance"] += [(value, Location(table.pages[0], table.label, column=label)) for label, value in label_values(table, labels)]
    patterns = [re.compile(str(s)) for s in p.get("project_sentences", [])]
    for page, section, text in narrative_items(ctx):
        for pattern in patterns:
            for m in pattern.finditer(text):
                found["narrative"].append((m.group(1), Location(page, row=section, text=text)))
    return found


def label_values(table: Table, labels: set[str]) -> list[tuple[str, str]]:
    """(label, value) for every cell of a form whose text is one of `labels` (项目名称 | 政务大厅运行费)."""
    found = []
    for row in table.grid:
        cells = [squash(c) for c in row]
        for i, cell in enumerate(cells[:-1]):
            value = next((c for c in cells[i + 1:] if c), "")
            if cell in labels and value:
                found.append((cell, value))
    return found


def project_rows(table: Table, columns: set[str], orgs: set[str]) -> list:
    index = next((i for row in table.header for i, c in enumerate(row) if squash(c) in columns), 0)
    rows = []
    for _r, row in enumerate(table.grid[len(table.header):]):
        name = squash(row[index]) if index < len(row) and row[index] else ""
        if name and not INDEX_CELL.match(name) and name not in orgs and "合计" not in name and "总计" not in name:
            rows.append((name, Location(table.pages[0], table.label, row=name)))
    return rows


def name_core(name: str) -> str:
    return re.sub(r"[（）()【】\[\]“”\"、，,·\s-]", "", name)


def compare_names(ctx: Context, a: str, b: str) -> tuple[str, str]:
    """('same'|'variant'|'different'|'unrelated', explanation)."""
    x, y = name_core(a), name_core(b)
    if x == y:
        return "same", ""
    ops = [op for op in SequenceMatcher(None, x, y).get_opcodes() if op[0] != "equal"]
    groups = [set(g) for g in phrases(ctx).get("contrast_groups", [])]
    for tag, i1, i2, j1, j2 in ops:
        left, right = x[i1:i2], y[j1:j2]
        if tag == "replace" and (any(set(left) <= g and set(right) <= g for g in groups) or (left.isdigit() and right.isdigit())):
            return "different", say(ctx, f"「{left}」≠「{right}」，规格或数量不同，不是同一个项目", f"{left} ≠ {right}: a different specification, not the same project")
    changed = sum(max(i2 - i1, j2 - j1) for _, i1, i2, j1, j2 in ops)
    if all(tag != "replace" for tag, *_ in ops) and min(len(x), len(y)) >= 4 and (changed <= 2 or x in y or y in x):
        parts = "、".join(f"「{x[i1:i2] or y[j1:j2]}」" for _, i1, i2, j1, j2 in ops)
        return "variant", say(ctx, f"只差{parts}，应为同一项目但名称写法不同", f"differs only by {parts}: the same project named differently")
    if similar(x, y) >= 0.8:
        parts = "、".join(f"「{x[i1:i2]}」/「{y[j1:j2]}」" for _, i1, i2, j1, j2 in ops)
        return "variant", say(ctx, f"差异为{parts}，很可能是同一项目但名称写法不同", f"differs by {parts}: probably the same project named differently")
    return "unrelated", ""


def run_project_names(ctx: Context, rule):
    merged: dict[str, Finding] = {}
    for item in project_findings(ctx, rule):
        if isinstance(item, Skip):
            yield item
        elif item.key in merged:
            merged[item.key].locations += [l for l in item.locations if l not in merged[item.key].locations]
        else:
            merged[item.key] = item
    yield from merged.values()


def project_findings(ctx: Context, rule):
    names = project_names(ctx)
    reference = names["project"] or names["performance"]
    source = "project" if names["project"] else "performance"
    others = [(k, n) for k in ("performance", "narrative") if k != source for n in names[k]]
    if not reference or not others:
        yield Skip(rule.id, "只有一处列出项目名称 / project names listed in one place only", "not_applicable")
        return
    label = {"project": say(ctx, "项目支出表", "project table"), "performance": say(ctx, "绩效目标表", "performance table"), "narrative": say(ctx, "情况说明", "narrative")}
    exact = {name_core(n) for n, _ in reference}
    for kind, (name, location) in others:
        if name_core(name) in exact:
            continue
        verdicts = [(compare_names(ctx, ref, name), ref, loc) for ref, loc in reference]
        variant = next(((v, ref, loc) for v, ref, loc in verdicts if v[0] == "variant"), None)
        different = next(((v, ref, loc) for v, ref, loc in verdicts if v[0] == "different"), None)
        if variant:
            (_, why), ref, loc = variant
            yield Finding(rule.id, "warning", say(ctx, f"项目名称不一致：{label[kind]}「{name}」与{label[source]}「{ref}」{why}", f"project name differs: {label[kind]} {name} vs {label[source]} {ref}: {why}"),
                          expected=ref, actual=name, locations=[loc, location], key=f"project|{name_core(ref)}|{name_core(name)}")
        elif different:
            (_, why), ref, loc = different
            yield Finding(rule.id, rule.severity, say(ctx, f"{label[kind]}的「{name}」在{label[source]}中没有对应项目；最接近的「{ref}」{why}", f"{label[kind]} {name} has no match in the {label[source]}; the nearest, {ref}: {why}"),
                          expected=ref, actual=name, locations=[loc, location], key=f"project|{name_core(ref)}|{name_core(name)}")


GATE_KINDS = {
    "required_tables": CheckKind("required_tables", "必须公开的表格（按公开模板）", validate_none, run_required_tables),
    "required_sections": CheckKind("required_sections", "必须说明的事项（按公开模板）", validate_none, run_required_sections),
    "toc": CheckKind("toc", "目录与正文：缺失、未列入、编号不同、重复印刷", validate_problem(TOC_PROBLEMS, frozenset({"section_severity"})), run_toc),
    "empty_table": CheckKind("empty_table", "空表：须有说明、说明须相符、别处不能有金额", validate_problem(EMPTY_PROBLEMS), run_empty_table),
    "phrase": CheckKind("phrase", "模板痕迹：填写说明、占位符、无效链接", validate_phrase, run_phrase),
    "draft_mark": CheckKind("draft_mark", "草稿与内部标记（文字或水印）", validate_none, run_draft_mark),
    "identity": CheckKind("identity", "身份一致：单位名称、预算年度、金额单位", validate_problem(ID_PROBLEMS), run_identity),
    "project_names": CheckKind("project_names", "同一项目在各表和叙述中的名称", validate_none, run_project_names),
}
