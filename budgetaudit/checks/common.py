"""Helpers the publication check kinds share (not a check kind): the document's
outline, the chosen profile, titles compared by meaning, the narrative outside
the 目录, empty-table notes, unit names printed in the tables, and project
names. Everything here reads the document model and rules data; no layout
pattern is written here (they are in vocabulary/layout_patterns.py and rules/phrases.yaml)."""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from ..ingest.outline import is_toc_table, outline_of, similar
from ..model.document import Outline, Printed, Table, TableHeading
from ..model.findings import RANK, Finding, Location
from ..model.quantity import parse_quantity
from ..model.text import squash
from ..ruleset.loading import require
from ..safe.errors import RuleFileError
from ..safe.yamlfile import Mapping
from ..vocabulary.layout_patterns import is_index_cell, name_core, norm_title, org_without_code, strip_ordinal
from ..vocabulary.profiles import load_profiles
from ..vocabulary.table_catalog import UNKNOWN, normalize_title
from .base import Context, say

__all__ = ["name_core", "similar"]


def phrases(ctx: Context) -> dict:
    return ctx.ruleset.phrases or {}


def outline(ctx: Context) -> Outline:
    return outline_of(ctx.doc, ctx.ruleset.catalog)


def norm(title: str) -> str:
    return norm_title(title)


@lru_cache(maxsize=1024)
def compiled(pattern: str) -> re.Pattern:
    """A pattern read from rules data, compiled once."""
    return re.compile(pattern)


# --- validation -------------------------------------------------------------

def validate_none(rule, ruleset) -> None:
    require(rule, set(), set())
    load_profiles(ruleset)


def validate_problem(allowed, optional: frozenset = frozenset()):
    def validate(rule, ruleset) -> None:
        require(rule, {"problem"} | set(optional), {"problem"})
        if "section_severity" in rule.spec and rule.get("section_severity") not in ("error", "warning", "info"):
            raise RuleFileError(str(rule.path), rule.line("section_severity"), "section_severity 必须是 error/warning/info")
        if rule.get("problem") not in allowed:
            raise RuleFileError(str(rule.path), rule.line("problem"), f"problem 应为 {', '.join(allowed)} 之一 / problem must be one of {', '.join(allowed)}")
    return validate


def milder(a: str, b: str) -> str:
    """The less severe of two severities: a user's `severity: info` also lowers a rule's section findings."""
    return min(a, b, key=lambda s: RANK.get(s, 0))


# --- profiles ---------------------------------------------------------------

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
        text = outline(ctx).full_text
        scored = sorted(((sum(1 for s in p.get("signatures", []) if squash(str(s)) in text), name) for name, p in profiles.items()), reverse=True)
        best = next(((score, name) for score, name in scored if score >= int(profiles[name].get("min_signatures", 1)) and profiles[name].get("signatures")), None)
        default = next((p for p in profiles.values() if p.get("default")), None)
        profile, how = (profiles[best[1]], "detected") if best else (default, "default")
    ctx._gate_profile = (profile, how)
    return profile, how


def profile_name(ctx: Context, profile: Mapping) -> str:
    return str(profile.get("en" if ctx.lang == "en" else "zh") or profile.get("profile"))


def required_kinds(ctx: Context) -> set[str]:
    """Every kind the chosen profile requires, with the kinds that may stand in for one."""
    profile, _ = chosen_profile(ctx)
    entries = profile.get("tables", []) if profile else []
    return {e["kind"] for e in entries} | {k for e in entries for k in e.get("or", []) or []}


# --- tables present, titles printed ----------------------------------------

def present_kinds(ctx: Context) -> set[str]:
    return {h.kind for h in outline(ctx).tables} | {t.kind for t in ctx.doc.tables}


def printed_titles(ctx: Context) -> list[Printed]:
    """Heading-like lines outside the 目录 and the titles of every table, recognised or not."""
    return outline(ctx).printed + [Printed(t.pages[0], t.title, strip_ordinal(t.title)) for t in ctx.doc.tables if t.title]


@lru_cache(maxsize=16384)
def meaning(title: str, varying: str) -> str:
    """The title without the words that vary between a 目录 line and the body title of the same
    table (`title_varying_words` in phrases.yaml: 按支出功能分类科目 / 按功能科目分, (不含上年结转))."""
    return compiled(varying).sub("", norm(title)) if varying else norm(title)


def varying_words(ctx: Context) -> str:
    return str(phrases(ctx).get("title_varying_words") or "")


def printed_by_meaning(title: str, lines: list[Printed], varying: str) -> bool:
    """A table title (a 目录 entry, a template's table) printed in the body in other words: the
    same title once the wording that varies is dropped (or the body line contains it)."""
    want = meaning(title, varying)
    if len(want) < 4:
        return False
    for line in lines:
        got = meaning(line.bare, varying)
        if len(got) >= 4 and same_meaning(want, got):
            return True
    return False


def same_meaning(a: str, b: str) -> bool:
    """Equal, nearly equal, or one containing the other with little to spare (a body title
    with a year or unit prefix): a short phrase inside a long title is not the title."""
    shorter, longer = sorted((a, b), key=len)
    return a == b or similar(a, b) >= 0.9 or (shorter in longer and len(shorter) >= 0.8 * len(longer))


def tables_published_elsewhere(ctx: Context) -> Location | None:
    """A file without any standard table: its tables are not missing, they are not in this
    file (the 情况说明 and the 报表 published as two PDFs; a 绩效 attachment that carries
    forms only). Where the text says so (附件：…部门预算报表), the location is that line."""
    if present_kinds(ctx) & required_kinds(ctx):
        return None
    patterns = [compiled(str(p)) for p in phrases(ctx).get("tables_elsewhere", [])]
    toc_lines = outline(ctx).toc_lines
    for index, line in enumerate(ctx.doc.lines):
        text = squash(line.text)
        if index not in toc_lines and any(p.search(text) for p in patterns):
            return Location(line.page, text=text)
    return Location(None)


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


# --- the narrative outside the 目录 -----------------------------------------

def narrative_items(ctx: Context):
    """(page, section, text) of section titles and sentences outside the 目录."""
    o = outline(ctx)
    for section in ctx.doc.sections:
        text = squash(section.title)
        if not (section.page in o.toc_pages and text in o.toc_texts):
            yield section.page, text, text
    for sentence in ctx.doc.sentences:
        text = squash(sentence.text)
        if sentence.page in o.toc_pages and any(t and t in text for t in o.toc_texts if len(t) > 4):
            continue
        yield sentence.page, squash(sentence.section), text


# --- empty tables -----------------------------------------------------------

def has_figures(table: Table) -> bool:
    for row in table.grid[len(table.header):]:
        cells = [squash(c) for c in row if c and squash(c)]
        if not cells or all(is_index_cell(c) for c in cells):
            continue
        for cell in cells:
            quantity = parse_quantity(cell)
            if quantity is not None and quantity.value != 0 and not is_index_cell(cell):
                return True
    return False


def says_empty(ctx: Context, text: str) -> bool:
    """`empty_notes` are regular expressions (本表无数据, 没有使用…安排的支出, 无发生额)."""
    return any(compiled(str(w)).search(text) for w in phrases(ctx).get("empty_notes", []))


def empty_note(ctx: Context, heading: TableHeading) -> str:
    instructions = phrases(ctx).get("empty_note_instructions", [])
    for note in heading.notes:
        if says_empty(ctx, note) and not any(i in note for i in instructions):
            return note
    return ""


def remnant_text(ctx: Context, text: str) -> bool:
    return any(compiled(p["pattern"]).search(text) for p in phrases(ctx).get("remnants", []))


def kind_subjects(ctx: Context, kind: str) -> list[str]:
    return [subject for subject, kinds in (phrases(ctx).get("note_subjects") or {}).items() if kind in kinds]


def states_nothing(ctx: Context, subject: str, text: str) -> bool:
    """The narrative says the table's subject is nil: 政府性基金拨款支出预算0万元, 本单位无机关运行经费."""
    subject = re.escape(squash(subject))
    zero = str(phrases(ctx).get("zero_amount", "(?!)"))
    nothing = str(phrases(ctx).get("nothing_before", "(?!)"))
    gap = str(phrases(ctx).get("subject_gap") or r"[^，。；,;\d]{0,16}?")
    return bool(re.search(subject + gap + zero, text) or re.search(nothing + gap + subject, text))


def narrative_explanation(ctx: Context, heading: TableHeading) -> str:
    kind = ctx.ruleset.catalog.kinds.get(heading.kind)  # a numbered table of no known kind has only its own title
    names = {norm(heading.title)} | {normalize_title(a) for a in (kind.titles if kind else [])}
    names = {n for n in names if len(n) >= 4}
    subjects = kind_subjects(ctx, heading.kind)
    # a 0 stated for the subject explains the empty table even where the template's instruction
    # (如果未安排…，请写成…) was left in: that instruction is reported once, as a remnant
    for _, _, text in narrative_items(ctx):
        plain = normalize_title(text)
        if remnant_text(ctx, text):
            continue
        if (any(n in plain for n in names) and says_empty(ctx, text)) or any(states_nothing(ctx, s, text) for s in subjects):
            return text
    for entry in outline(ctx).toc:
        if entry.empty_reason and (entry.number == heading.number or norm(entry.title) == norm(heading.title)):
            return entry.empty_reason
    return ""


def grid_row_page(table: Table, index: int) -> int:
    """The page a row of a table's grid is printed on (a table merged across pages)."""
    return next((row.page for row in table.rows if row.index == index), table.pages[0])


def table_cells(ctx: Context) -> list[tuple[object, list[str]]]:
    """Every table with its non-empty cells, spaces removed (computed once per run)."""
    cached = getattr(ctx, "_gate_cells", None)
    if cached is None:
        cached = [(t, [squash(c) for row in t.grid for c in row if c]) for t in ctx.doc.tables]
        ctx._gate_cells = cached
    return cached


# --- unit names in the tables -----------------------------------------------

def clean_org(text: str) -> str:
    return org_without_code(text)


def table_orgs(ctx: Context) -> list[tuple[str, Location]]:
    labels = [squash(str(l)) for l in phrases(ctx).get("org_labels", [])]
    org_name = compiled(str(phrases(ctx).get("org_name", "$")))
    found = []
    for table in ctx.doc.tables:
        if table.org:
            found.append((clean_org(table.org), Location(table.pages[0], table.label, column="单位名称")))
        for row in table.grid:
            cells = [squash(c) for c in row]
            for i, cell in enumerate(cells[:-1]):
                if cell in labels:
                    value = next((c for c in cells[i + 1:] if c), "")
                    if value and org_name.search(clean_org(value)) and not any(value.startswith(l) for l in labels):
                        found.append((clean_org(value), Location(table.pages[0], table.label, column=cell)))
    for label, name, page in outline(ctx).org_lines:
        found.append((clean_org(name), Location(page, column=label)))
    return [(name, loc) for name, loc in found if len(name) >= 4]


def doc_year(ctx: Context) -> tuple[int, int] | None:
    """(year, page) printed on the cover."""
    return outline(ctx).cover_year


# --- project names ----------------------------------------------------------

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


def unrecognised_titles(ctx: Context) -> list[str]:
    titles = [t.label for t in ctx.doc.tables if t.kind == UNKNOWN and t.title and not is_toc_table(t)]
    titles += [h.title for h in outline(ctx).tables if h.kind == UNKNOWN]
    return list(dict.fromkeys(titles))


# --- a year's role in a sentence ----------------------------------------------
# One reading for every check that judges a written year (N-YEAR-001, P-ID-002); the
# vocabulary is phrases.yaml `year_*`.

def phrase(ctx: Context, key: str, default: str = "$^") -> re.Pattern:
    return compiled(str(phrases(ctx).get(key) or default))


def words(ctx: Context, key: str) -> tuple[str, ...]:
    return tuple(str(w) for w in phrases(ctx).get(key) or [])


def cited(text: str, position: int) -> bool:
    """Inside 《…》 or （…）: a cited document or an aside (（2017年6月16日印发）)."""
    head = text[:position]
    return head.count("《") > head.count("》") or head.count("（") + head.count("(") > head.count("）") + head.count(")")


def year_role(ctx: Context, text: str, match: re.Match, year: int | None = None) -> str:
    """date | base | subject | other for one year mention (`match` of layout's `year`).
    With the document's year known, the year before it in the explanation of a change
    (增加的主要原因是2025年预算中…) is the comparison base named on purpose."""
    before, after = text[:match.start()], text[match.end():]
    if cited(text, match.start()) or phrase(ctx, "year_range_after").match(after) or before.endswith(words(ctx, "year_date_before")):
        return "date"
    if phrase(ctx, "year_period_before").search(before):
        return "date"  # 2025—2027年, 2021年和2022年: a period or a pair
    if before.endswith(words(ctx, "year_base_before")):
        return "base"
    if before.endswith(("与", "同")) and phrase(ctx, "year_base_with").match(after):
        return "base"
    if year is not None and int(match.group(1)) == year - 1 and phrase(ctx, "year_reason_before").search(before):
        return "base"
    if phrase(ctx, "year_other_words").match(after):
        return "other"
    budget_words = phrase(ctx, "year_budget_words")
    if budget_words.match(after) or budget_words.match(after[len(org_before(ctx, after)):]):
        return "subject"
    return "other"


def org_before(ctx: Context, after: str) -> str:
    """A unit's name right after the year (2026年某市某某局政府采购预算): the shortest
    lead of 2 to 20 characters that ends like a unit's name (phrases.yaml `org_name`)."""
    org, stop = phrase(ctx, "org_name"), phrase(ctx, "year_org_stop")
    lead = phrase(ctx, "year_org_lead", "^").match(after).group(0)
    for end in range(len(lead) + 2, min(len(after), len(lead) + 20) + 1):
        piece = after[len(lead):end]
        if stop.search(piece):
            break
        if org.search(piece):
            return after[:end]
    return ""
