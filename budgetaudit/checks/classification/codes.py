"""The `classification` check kind: printed 科目编码 and names against the 政府收支分类科目
data of rules/classification/.

problem:
- `other_name`: a known code printed with the name of another code (30217 printed 培训费,
  31002 printed 资本性支出 — the name of its 类 310);
- `outdated_name`: a 类/款 printed with a name the classification dropped before the
  document's year (210 医疗卫生与计划生育支出 in a 2025 budget);
- `narrative_name`: the narrative gives a code with a name ("司法（06款）") that is not
  the code's name;
- `narrative_outdated`: the narrative marks a 类/款 with its level (…（款）) under a name the
  classification dropped before the document's year.
A code the data does not list, or a name it does not know, is never a finding: the data
is not the whole 科目.
"""
from __future__ import annotations

from ...model.findings import Finding, Location, Skip, sentence_location
from ...safe.errors import RuleFileError
from ...vocabulary.classification_codes import Classification, Entry, classification_of, name_suffix, narrative_codes, normalize, printed_pairs
from ..base import CheckKind, Context, say
from ..common import doc_year, validate_problem

PROBLEMS = ("other_name", "outdated_name", "narrative_name", "narrative_outdated")
MAX_LOCATIONS = 5


def validate_classification(rule, ruleset) -> None:
    validate_problem(PROBLEMS, frozenset({"levels"}))(rule, ruleset)
    levels = rule.get("levels", [3, 5, 7])
    if not isinstance(levels, list) or not all(level in (3, 5, 7) for level in levels):
        raise RuleFileError(str(rule.path), rule.line("levels"), "levels 应为 [3, 5, 7] 的子集（类 3 位、款 5 位、项 7 位）/ levels must be a subset of [3, 5, 7]")



def run_classification(ctx: Context, rule):
    data = classification_of(ctx.ruleset)
    if not data.entries:
        yield Skip(rule.id, "没有 rules/classification/ 数据 / no classification data")
        return
    problem = rule.get("problem")
    if problem == "other_name":
        yield from other_names(ctx, rule, data)
    elif problem == "outdated_name":
        yield from outdated_names(ctx, rule, data)
    elif problem == "narrative_outdated":
        yield from narrative_outdated(ctx, rule, data)
    else:
        yield from narrative_names(ctx, rule, data)


def printed(ctx: Context, rule):
    """Printed (code, name) pairs of the document's tables, grouped by (code, normalised name)."""
    levels = set(rule.get("levels", [3, 5, 7]))
    groups: dict[tuple[str, str], list] = {}
    for table in ctx.doc.tables:
        for pair in printed_pairs(table):
            if len(pair.code) in levels:
                groups.setdefault((pair.code, normalize(pair.name)), []).append((table, pair))
    return groups


def locations(items) -> list[Location]:
    out = []
    for table, pair in items[:MAX_LOCATIONS]:
        out.append(Location(pair.page, table.label, pair.row.label, pair.column, text=f"{pair.code} {pair.name}"))
    return out


# --- other_name ----------------------------------------------------------------

def other_code(data: Classification, entry: Entry, name: str) -> Entry | None:
    """The code whose name `name` is: a sibling, an ancestor or a descendant of `entry`
    when several codes carry that name (行政运行 is the name of dozens of 项), else the
    only code that carries it."""
    owners = [e for length in (3, 5, 7) for e in data.named(entry.system, length, name) if e.code != entry.code]
    if not owners:
        return None
    related = [e for e in owners if e.parent == entry.parent or entry.code.startswith(e.code) or e.code.startswith(entry.code)]
    if related:
        return related[0]
    return owners[0] if len(owners) == 1 else None


def other_names(ctx: Context, rule, data: Classification):
    for (code, name), items in printed(ctx, rule).items():
        entry = data.get(code)
        if entry is None or not name or name in entry.names():
            continue
        other = other_code(data, entry, name)
        if other is None:
            continue
        printed_name = items[0][1].name.strip()
        yield Finding(
            rule.id, rule.severity,
            say(ctx, f"{rule.title('zh')}：{items[0][0].label}「{code} {printed_name}」——{code} 是「{entry.name}」，「{printed_name}」是 {other.code} 的名称"
                     + (f"（共 {len(items)} 处）" if len(items) > 1 else ""),
                f"{rule.title('en')}: {items[0][0].label} prints {code} as 「{printed_name}」 — {code} is 「{entry.name}」, 「{printed_name}」 is the name of {other.code}"
                + (f" ({len(items)} places)" if len(items) > 1 else "")),
            expected=f"{code} {entry.name}", actual=f"{code} {printed_name}", difference=f"{printed_name} = {other.code}",
            locations=locations(items), key=f"other_name|{code}|{name}")


# --- outdated_name -------------------------------------------------------------

def document_year(ctx: Context) -> int | None:
    found = doc_year(ctx)  # the cover's year, as ingest reads it
    return found[0] if found else None


def outdated_names(ctx: Context, rule, data: Classification):
    year = document_year(ctx)
    if year is None:
        yield Skip(rule.id, "封面没有年度 / no year on the cover", "not_applicable")
        return
    for (code, name), items in printed(ctx, rule).items():
        entry = data.get(code)
        if entry is None or name == normalize(entry.name):
            continue
        former = next((f for f in entry.former if normalize(f["name"]) == name and f.get("until") and int(f["until"]) < year), None)
        if former is None:
            continue
        printed_name = items[0][1].name.strip()
        since = entry.since or int(former["until"]) + 1
        yield Finding(
            rule.id, rule.severity,
            say(ctx, f"{rule.title('zh')}：{items[0][0].label}「{code} {printed_name}」是 {former['until']} 年及以前的科目名称，自 {since} 年起为「{entry.name}」（本文档为 {year} 年）",
                f"{rule.title('en')}: {items[0][0].label} prints {code} as 「{printed_name}」, its name until {former['until']}; since {since} it is 「{entry.name}」 (this document: {year})"),
            expected=f"{code} {entry.name}", actual=f"{code} {printed_name}", difference=f"{former['until']} → {since}",
            locations=locations(items), key=f"outdated_name|{code}|{name}")


# --- narrative_name ------------------------------------------------------------

def narrative_names(ctx: Context, rule, data: Classification):
    """A code the narrative gives (204类 06款, or 事业运行（2010350）) with another code's name."""
    levels = set(rule.get("levels", [3, 5, 7]))
    seen = set()
    for sentence in ctx.doc.sentences:
        for code, level, printed_name, _ in narrative_codes(sentence.text):
            entry = data.get(code) if code else None
            if entry is None or len(code) not in levels:
                continue
            name = name_suffix(data, entry.system, printed_name)
            if not name or name in entry.names() or name + "支出" in entry.names() or (code, name) in seen:
                continue
            other = other_code(data, entry, name) or other_code(data, entry, name + "支出")
            if other is None:
                continue
            seen.add((code, name))
            shown = f"{name}（{code[-2:]}{level}）" if f"{code[-2:]}{level}" in sentence.text.replace(" ", "") else f"{name}（{code}）"
            yield Finding(
                rule.id, rule.severity,
                say(ctx, f"{rule.title('zh')}：第{sentence.page}页「{shown}」——{code} 是「{entry.name}」，「{name}」是 {other.code} 的名称",
                    f"{rule.title('en')}: p.{sentence.page} 「{shown}」 — {code} is 「{entry.name}」, 「{name}」 is the name of {other.code}"),
                expected=f"{code} {entry.name}", actual=f"{code} {name}", difference=f"{name} = {other.code}",
                locations=[sentence_location(sentence)], key=f"narrative_name|{code}|{name}")


# --- narrative_outdated --------------------------------------------------------

LEVEL_LENGTH = {"类": 3, "款": 5, "项": 7}


def narrative_outdated(ctx: Context, rule, data: Classification):
    """A 类/款 the narrative marks with its level (行政事业单位离退休（款）) under a name the
    classification dropped before the document's year."""
    year = document_year(ctx)
    if year is None:
        yield Skip(rule.id, "封面没有年度 / no year on the cover", "not_applicable")
        return
    levels = set(rule.get("levels", [3, 5]))
    current = {n for e in data.entries.values() for n in e.names() if not any(normalize(f["name"]) == n for f in e.former)}
    dropped = [(e, f) for e in data.entries.values() if len(e.code) in levels for f in e.former
               if f.get("until") and int(f["until"]) < year and normalize(f["name"]) not in current]
    seen = set()
    for sentence in ctx.doc.sentences:
        for _, level, printed_name, _ in narrative_codes(sentence.text):
            text = normalize(printed_name)
            for entry, former in dropped:
                old = normalize(former["name"])
                if LEVEL_LENGTH[level] != len(entry.code) or not (text.endswith(old) or (level == "类" and text.endswith(old.removesuffix("支出")))):
                    continue
                if any(text.endswith(n) for n in current if len(n) > len(old)) or (entry.code, old) in seen:
                    continue
                seen.add((entry.code, old))
                since = entry.since or int(former["until"]) + 1
                yield Finding(
                    rule.id, rule.severity,
                    say(ctx, f"{rule.title('zh')}：第{sentence.page}页「{former['name']}（{level}）」是 {former['until']} 年及以前的科目名称，自 {since} 年起 {entry.code} 为「{entry.name}」（本文档为 {year} 年）",
                        f"{rule.title('en')}: p.{sentence.page} names 「{former['name']}（{level}）」, the name of {entry.code} until {former['until']}; since {since} it is 「{entry.name}」 (this document: {year})"),
                    expected=f"{entry.code} {entry.name}", actual=former["name"], difference=f"{former['until']} → {since}",
                    locations=[sentence_location(sentence)], key=f"narrative_outdated|{entry.code}|{old}")


CLASSIFICATION_KINDS = {
    "classification": CheckKind("classification", "科目编码与政府收支分类科目：编码配了别的科目的名称、过时的类/款名称、说明中的编码与名称不符",
                                validate_classification, run_classification),
}
