"""Narrative check kinds: the figures of 情况说明 against the tables and against
themselves. Facts come from budgetaudit.facts; concepts and their table
references from concepts.yaml.

Coverage is reported as findings (the JSON contract has no other place a
rule can write to): `coverage` with `report: unchecked` gives one info
finding per unchecked figure, `report: summary` one info finding whose key is
`coverage` and whose expected/actual fields hold the counts
(expected = figures naming a known concept, actual = figures checked).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import RuleFileError
from ..facts import Fact, Passage, read_narrative
from ..findings import Finding, Location, cell_location, compare, page_label, sentence_location, tolerance_note
from ..model import Document, Row, Table
from ..numbers import Quantity, format_decimal
from ..rules import require
from .base import CheckKind, Context, check_sum, describe_row, find_row, fmt, quantity_of, summed_top_rows

EMPTY_NOTE = re.compile(r"如此表为空表|本表为空|空表|本表无数据|无数据")
STUB_WINDOW = 6
HUNDRED = Decimal(100)


# --- what the narrative says, read once per document ------------------------

@dataclass
class Resolved:
    """A concept's table value: a cell, or an empty table (value 0)."""

    concept: str
    quantity: Quantity
    table_label: str
    kind: str
    location: Location
    empty: bool = False
    table: Table | None = None
    row: Row | None = None
    column: str = ""


@dataclass
class Narrative:
    passages: list[Passage]
    facts: list[Fact]
    passage_of: dict[int, Passage]
    resolved: dict[str, Resolved | None] = field(default_factory=dict)


def narrative_of(ctx: Context) -> Narrative:
    cached = getattr(ctx, "_narrative", None)
    if cached is None:
        passages = read_narrative(ctx.doc.sentences, ctx.ruleset.concepts)
        facts = [f for p in passages for f in p.facts]
        cached = Narrative(passages, facts, {id(f): p for p in passages for f in p.facts})
        ctx._narrative = cached
    return cached


def concept_name(ctx: Context, concept: str) -> str:
    spec = ctx.ruleset.concepts.get(concept, {})
    return str(spec.get("en" if ctx.lang == "en" else "zh") or spec.get("zh") or concept)


def amounts(ctx: Context) -> list[Fact]:
    """Money amounts that name a known concept."""
    return [f for f in narrative_of(ctx).facts if f.role == "amount" and f.is_money and f.concept]


# --- table values of concepts ------------------------------------------------

def resolve(ctx: Context, concept: str) -> Resolved | None:
    narrative = narrative_of(ctx)
    if concept not in narrative.resolved:
        refs = [r for r in ctx.ruleset.concepts.get(concept, {}).get("references") or [] if not r.get("confirm_only")]
        narrative.resolved[concept] = next((r for r in (resolve_ref(ctx, concept, ref) for ref in refs) if r), None)
    return narrative.resolved[concept]


def readings(ctx: Context, concept: str) -> list[Resolved]:
    """Every table value the concept's references resolve to in this document (each a
    plausible reading: another table, column or fund scope), the preferred one first."""
    narrative = narrative_of(ctx)
    key = ("all", concept)
    if key not in narrative.resolved:
        refs = ctx.ruleset.concepts.get(concept, {}).get("references") or []
        narrative.resolved[key] = [r for r in (resolve_ref(ctx, concept, ref) for ref in refs) if r is not None and not r.empty]
    return narrative.resolved[key]


def fits_a_reading(ctx: Context, fact: Fact) -> bool:
    """The stated amount equals the concept's value in some table the document prints."""
    return any(compare([r.quantity], fact.value).consistent for r in readings(ctx, fact.concept))


def resolve_ref(ctx: Context, concept: str, ref) -> Resolved | None:
    tables = ctx.doc.tables_of(ref["table"])
    if not tables:
        return stub_for(ctx, concept, ref["table"])
    table = tables[0]
    if table.is_empty:
        return Resolved(concept, Quantity(Decimal(0), table.unit or "万元", 2), table.label, table.kind,
                        Location(table.pages[0], table.label, text=table.empty_note), empty=True, table=table)
    column = ref.get("column", "total")
    if ref.get("row") == "categories":
        return category_sum(concept, table, column, ref.get("side", ""))
    row = resolve_row(table, ref.get("row", "total"), ref.get("side", ""))
    if row is None or table.column(column) is None:
        return None
    cell = row.values.get(column)
    return Resolved(concept, quantity_of(cell, table.unit), table.label, table.kind,
                    cell_location(table, row, column, cell), table=table, row=row, column=column)


def category_sum(concept: str, table: Table, column: str, side: str) -> Resolved | None:
    """A table without a 合计 row: the sum of its top-level coded rows in the column."""
    summed = summed_top_rows(table, column, side)
    if summed is None:
        return None
    return Resolved(concept, summed.quantity, summed.label, table.kind, summed.location, table=table, column=column)


def resolve_row(table: Table, selector, side: str) -> Row | None:
    """find_row, with a list allowed to mix names and {code: …} selectors."""
    if isinstance(selector, list):
        return next((r for r in (find_row(table, s, side) for s in selector) if r is not None), None)
    return find_row(table, selector, side)


def stub_for(ctx: Context, concept: str, kind: str) -> Resolved | None:
    """A table printed as a title and an empty-table note only (no grid)."""
    stub = empty_stubs(ctx).get(kind)
    if stub is None:
        return None
    title, page, note = stub
    return Resolved(concept, Quantity(Decimal(0), "万元", 2), title, kind, Location(page, title, text=note), empty=True)


def empty_stubs(ctx: Context) -> dict[str, tuple[str, int, str]]:
    cached = getattr(ctx, "_stubs", None)
    if cached is None:
        cached = find_stubs(ctx.doc, ctx.ruleset.catalog)
        ctx._stubs = cached
    return cached


def find_stubs(doc: Document, catalog) -> dict[str, tuple[str, int, str]]:
    stubs: dict[str, tuple[str, int, str]] = {}
    lines = doc.lines
    for index, line in enumerate(lines):
        text = line.text.replace(" ", "")
        if len(text) > 40 or not text.endswith("表"):
            continue
        kind = catalog.classify(text)
        if kind == "unknown" or kind in stubs or doc.tables_of(kind):
            continue
        note = next((ln.text for ln in lines[index + 1:index + 1 + STUB_WINDOW] if EMPTY_NOTE.search(ln.text)), "")
        if note:
            stubs[kind] = (text, line.page, note)
    return stubs


# --- shared helpers ----------------------------------------------------------

def loc(fact: Fact) -> Location:
    return sentence_location(fact.sentence)


def quote(fact: Fact, lang: str = "zh", limit: int = 40) -> str:
    text = fact.sentence.text.replace(" ", "")
    gap = " " if lang == "en" else ""
    return f"{page_label(fact.sentence.page, lang)}{gap}「{text[:limit]}{'…' if len(text) > limit else ''}」"


def is_zero(q: Quantity) -> bool:
    return q.value == 0


def plain(value: Decimal, places: int = 2) -> str:
    return format_decimal(value.quantize(Decimal(1).scaleb(-places)))


def group_by(facts: list[Fact], key) -> dict:
    groups: dict = {}
    for fact in facts:
        groups.setdefault(key(fact), []).append(fact)
    return groups


def concepts_filter(rule, facts: list[Fact]) -> list[Fact]:
    wanted = rule.get("concepts")
    return [f for f in facts if f.concept in wanted] if wanted else facts


def has_definition(ctx: Context, fact: Fact) -> bool:
    parts = ctx.ruleset.concepts.get(fact.concept, {}).get("definition") or []
    return bool(parts) and all(p in fact.definition for p in parts)


# --- narrative_match: a stated amount equals its table value -----------------

def run_narrative_match(ctx: Context, rule):
    groups = group_by(concepts_filter(rule, amounts(ctx)), lambda f: (f.concept, f.value.value, f.value.unit))
    for (concept, _, _), facts in groups.items():
        facts = [f for f in facts if not has_definition(ctx, f)]  # the definition check reports those
        resolved = resolve(ctx, concept)
        if not facts or resolved is None or resolved.empty:
            continue
        if is_zero(facts[0].value) != is_zero(resolved.quantity):
            continue  # one side is nil: narrative_empty_table says it
        if fits_a_reading(ctx, facts[0]):
            continue  # another table, column or fund scope the words can mean agrees
        where = f"{'、'.join(quote(f) for f in facts[:2])}中「{concept_name(ctx, concept)}」与 {resolved.table_label}{cell_words(resolved)} "
        finding = check_sum(ctx, rule, [resolved.quantity], facts[0].value, where, [loc(f) for f in facts] + [resolved.location],
                            f"{concept}|{format_decimal(facts[0].value.value)}")
        if finding:
            finding.message += readings_tried(ctx, concept, resolved)
            yield finding


def readings_tried(ctx: Context, concept: str, compared: Resolved) -> str:
    """The other tables the words could mean, each tried and found different: a reader sees
    why the figure was not placed elsewhere."""
    others = [r for r in readings(ctx, concept) if r.location != compared.location][:3]
    if not others:
        return ""
    listed = "；".join(f"{r.table_label}{cell_words(r)} {r.quantity}" for r in others)
    return f"（另核对过：{listed}，均不相符）" if ctx.lang != "en" else f" (also tried: {listed}; none agrees)"


def cell_words(resolved: Resolved) -> str:
    if resolved.row is None:
        return ""
    column = resolved.table.column(resolved.column) if resolved.table else None
    label = column.label if column else resolved.column
    return f"「{describe_row(resolved.row)}」行「{label}」列"


# --- narrative_empty_table: empty table vs non-zero text, or the reverse -------

def run_empty_table(ctx: Context, rule):
    stated, denied = {}, {}
    for fact in amounts(ctx):
        resolved = resolve(ctx, fact.concept)
        if resolved is None:
            continue
        if resolved.empty and not is_zero(fact.value):
            stated.setdefault(resolved.kind, (resolved, []))[1].append(fact)
        elif not resolved.empty and is_zero(fact.value) and not is_zero(resolved.quantity):
            denied.setdefault((resolved.kind, fact.concept), (resolved, []))[1].append(fact)
    for kind, (resolved, facts) in stated.items():
        yield empty_but_stated(ctx, rule, kind, resolved, facts)
    for (_kind, concept), (resolved, facts) in denied.items():
        yield stated_nil(ctx, rule, concept, resolved, facts)


def empty_but_stated(ctx: Context, rule, kind: str, resolved: Resolved, facts: list[Fact]) -> Finding:
    figures = "、".join(dict.fromkeys(f"{concept_name(ctx, f.concept)} {f.value}" for f in facts))
    note = resolved.location.text or ("no amounts" if ctx.lang == "en" else "无数据")
    if ctx.lang == "en":
        text = f"{rule.title('en')}: {resolved.table_label} is empty ({note}) but the narrative states {figures} ({quote(facts[0], 'en')})"
    else:
        text = f"{rule.title('zh')}：{resolved.table_label} 为空表（{note}），但情况说明写明 {figures}（{quote(facts[0])}）"
    actual = str(facts[0].value)
    severity = rule.severity
    if resolved.table is None and not resolved.location.text and rule.severity == "error":
        severity = "warning"  # only a title is printed, no grid and no 空表 note: empty, or not readable
        text += ("; only the title is printed (no grid, no empty-table note): the table may be empty or unreadable" if ctx.lang == "en"
                 else "；该表只印了标题，既无表格也无空表说明：可能是空表，也可能是表格内容未能读取，请人工核对")
    return Finding(rule.id, severity, text, "0", actual, actual, [loc(f) for f in facts] + [resolved.location],
                   key=f"{kind}|{'+'.join(sorted({f.concept for f in facts}))}")


def stated_nil(ctx: Context, rule, concept: str, resolved: Resolved, facts: list[Fact]) -> Finding:
    name, table_value = concept_name(ctx, concept), str(resolved.quantity)
    if ctx.lang == "en":
        text = f"{rule.title('en')}: the narrative states {name} 0 ({quote(facts[0], 'en')}) but {resolved.table_label} shows {table_value}"
    else:
        text = f"{rule.title('zh')}：情况说明写「{name}」为 0（{quote(facts[0])}），但 {resolved.table_label}{cell_words(resolved)} 为 {table_value}"
    return Finding(rule.id, rule.severity, text, table_value, str(facts[0].value), table_value,
                   [loc(f) for f in facts] + [resolved.location], key=f"{concept}|0|{format_decimal(resolved.quantity.value)}")


# --- definition: 人员经费（即工资福利支出与对个人和家庭补助支出之和） -------------------

def run_definition(ctx: Context, rule):
    facts = [f for f in concepts_filter(rule, amounts(ctx)) if has_definition(ctx, f)]
    for (concept, _), group in group_by(facts, lambda f: (f.concept, f.value.value)).items():
        finding = definition_finding(ctx, rule, concept, group)
        if finding:
            yield finding


def definition_finding(ctx: Context, rule, concept: str, facts: list[Fact]) -> Finding | None:
    parts = list(ctx.ruleset.concepts[concept]["definition"])
    values = [part_value(ctx, p, facts[0]) for p in parts]
    if any(v is None for v in values):
        return None
    stated, column = facts[0].value, resolve(ctx, concept)
    by_text = compare([v for v, _ in values], stated)
    column_q = column.quantity if column and not column.empty else None
    by_table = compare([v for v, _ in values], column_q) if column_q is not None else None
    if by_text.consistent and (by_table is None or by_table.consistent):
        return None
    sum_words = " + ".join(f"{concept_name(ctx, p)} {v}" for p, (v, _) in zip(parts, values))
    defined = by_text.text(by_text.expected)
    column_words = f"{column.table_label}{cell_words(column)} {column_q}" if column_q is not None else ""
    extra = outside_rows(ctx, column, parts) if column_q is not None and by_table and not by_table.consistent else ""
    name = concept_name(ctx, concept)
    if ctx.lang == "en":
        text = (f"{rule.title('en')}: {quote(facts[0], 'en')} defines {name} as {sum_words} = {defined}; the text states {stated}"
                + (f", the table column {column_words}" if column_words else "") + (f" (column also holds {extra})" if extra else ""))
    else:
        text = (f"{rule.title('zh')}：{quote(facts[0])}将「{name}」定义为 {sum_words} = {defined}，文中数为 {stated}"
                + (f"，{column_words}" if column_words else "") + (f"（表列另含 {extra}）" if extra else ""))
    comparison = by_text if not by_text.consistent else by_table
    locations = [loc(f) for f in facts] + [l for _, l in values if l] + ([column.location] if column_q is not None else [])
    return Finding(rule.id, rule.severity, text, defined, comparison.actual_text(), comparison.text(comparison.difference),
                   locations, tolerance_note(comparison, len(parts) + 1, ctx.lang), f"{concept}|{format_decimal(stated.value)}")


def part_value(ctx: Context, part: str, fact: Fact) -> tuple[Quantity, Location | None] | None:
    """A definition part: its table value, or the amount the same section states."""
    resolved = resolve(ctx, part)
    if resolved is not None and not resolved.empty:
        return resolved.quantity, resolved.location
    stated = next((f for f in amounts(ctx) if f.concept == part and f.sentence.section == fact.sentence.section), None)
    return (stated.value, loc(stated)) if stated else None


def outside_rows(ctx: Context, column: Resolved, parts: list[str]) -> str:
    """Rows with an amount in the concept's column whose codes lie outside the defined parts (30239 …)."""
    codes = [str(s["code"]) for p in parts for ref in ctx.ruleset.concepts[p].get("references") or []
             for s in (ref.get("row") if isinstance(ref.get("row"), list) else [ref.get("row")]) if isinstance(s, dict)]
    if not codes or column.table is None:
        return ""
    rows = [r for r in column.table.rows if len(r.code) == 5 and not r.code.startswith(tuple(codes))
            and (c := r.values.get(column.column)) is not None and c.quantity is not None and c.quantity.value != 0]
    return "、".join(f"{r.code} {r.name} {r.values[column.column].quantity}" for r in rows)


# --- rate: rate = change ÷ last year, last year = this year ∓ change -----------

def run_rate(ctx: Context, rule):
    for fact in narrative_of(ctx).facts:
        if fact.role != "rate" or fact.change is None or fact.subject is None or fact.change.implied:
            continue
        finding = rate_finding(ctx, rule, fact)
        if finding:
            yield finding


def rate_finding(ctx: Context, rule, rate: Fact) -> Finding | None:
    """An error only when no reading fits: the rate is tried against every amount its
    sentence states before the change (the item's own amount in 「1.X 3,013.00万元，较上年增加
    609.33万元，增长25.35%」, not the paragraph's total before 其中), and against a stated base."""
    change, amount = rate.change, rate.subject
    if change.value.value == 0:
        return None if rate.value.value == 0 else rate_message(ctx, rule, rate, amount.value.in_unit(change.value.unit), None)
    if any(rate_fits(rate, candidate) for candidate in subject_readings(ctx, rate)):
        return None
    base = stated_base(ctx, rate)
    if base is not None and rate_fits_base(rate, amount, base):
        return change_mismatch(ctx, rule, rate, base)
    sign = change.direction or rate.direction or 1
    last = amount.value.in_unit(change.value.unit) - sign * change.value.value
    return rate_message(ctx, rule, rate, last, change.value.value / last * HUNDRED if last > 0 else None)


def subject_readings(ctx: Context, rate: Fact) -> list[Fact]:
    """The linked amount first, then every other money amount of the change's sentence that
    precedes it, nearest first: each is a plausible 'this year' of the rate."""
    passage = narrative_of(ctx).passage_of.get(id(rate))
    others = [] if passage is None else [f for f in passage.facts if f.role == "amount" and f.is_money and not f.base
                                          and f.sentence is rate.change.sentence and f.start < rate.change.start]
    return [rate.subject] + [f for f in reversed(others) if f is not rate.subject]


def rate_fits(rate: Fact, amount: Fact) -> bool:
    change = rate.change
    sign = change.direction or rate.direction or 1
    this = amount.value.in_unit(change.value.unit)
    if this - sign * change.value.value <= 0:
        return False
    low, high = rate_bounds(this, amount.value.tolerance_in(change.value.unit), change.value.value, change.value.half_ulp, sign)
    return rate.value.value + rate.value.half_ulp >= low and rate.value.value - rate.value.half_ulp <= high


def stated_base(ctx: Context, rate: Fact) -> Fact | None:
    """The comparison base the change's sentence states (比2025年年初预算数28479.84万元)."""
    passage = narrative_of(ctx).passage_of.get(id(rate))
    bases = [] if passage is None else [f for f in passage.facts if f.role == "amount" and f.base and f.is_money
                                         and f.sentence is rate.change.sentence and f.start < rate.change.start]
    return bases[-1] if bases else None


def rate_fits_base(rate: Fact, amount: Fact, base: Fact) -> bool:
    """The rate is (this year − base) ÷ base, within the rounding of the printed figures."""
    unit = rate.change.value.unit
    this, last = amount.value.in_unit(unit), base.value.in_unit(unit)
    if last <= 0:
        return False
    slack = amount.value.tolerance_in(unit) + base.value.tolerance_in(unit)
    corners = [(this + a - last - b) / (last + b) * HUNDRED for a in (-slack, slack) for b in (-base.value.tolerance_in(unit), base.value.tolerance_in(unit))]
    stated = abs(rate.value.value)
    return stated + rate.value.half_ulp >= min(abs(c) for c in corners) and stated - rate.value.half_ulp <= max(abs(c) for c in corners)


def change_mismatch(ctx: Context, rule, rate: Fact, base: Fact) -> Finding | None:
    """The rate fits this year and the stated base; the stated change does not: the change is the wrong figure."""
    change, amount, unit = rate.change, rate.subject, rate.change.value.unit
    expected = abs(amount.value.in_unit(unit) - base.value.in_unit(unit))
    tolerance = amount.value.tolerance_in(unit) + base.value.tolerance_in(unit) + change.value.half_ulp
    if abs(expected - change.value.value) <= tolerance:
        return None
    places = max(change.value.places, 2)
    zh = (f"{rule.title('zh')}：{quote(rate)}本年 {amount.value} 与上年 {base.value} 相差 {fmt(expected, unit)}，文中增减额为 {change.value}"
          f"（增减率 {rate.value} 与两年金额相符，错的是增减额）")
    en = (f"{rule.title('en')}: {quote(rate, 'en')} this year {amount.value} and the base {base.value} differ by {fmt(expected, unit)}; the text states a change of "
          f"{change.value} (the rate {rate.value} fits the two amounts: the change is the wrong figure)")
    return Finding(rule.id, rule.severity, en if ctx.lang == "en" else zh, fmt(expected, unit), str(change.value),
                   fmt(change.value.value - expected, unit), [loc(rate)],
                   key=f"{amount.concept or format_decimal(amount.value.value)}|change|{format_decimal(change.value.value)}|{plain(expected, places)}")


def rate_bounds(this: Decimal, this_tol: Decimal, change: Decimal, change_tol: Decimal, sign: int) -> tuple[Decimal, Decimal]:
    """Interval of change ÷ (this ∓ change) over the rounding of both printed figures, in %."""
    def ratio(c: Decimal, t: Decimal) -> Decimal:
        base = t - sign * c
        return c / base * HUNDRED if base > 0 else Decimal("Infinity")
    corners = [ratio(change + dc, this + dt) for dc in (-change_tol, change_tol) for dt in (-this_tol, this_tol)]
    return min(corners), max(corners)


def rate_message(ctx: Context, rule, rate: Fact, last: Decimal, expected: Decimal | None) -> Finding:
    change, amount, unit = rate.change, rate.subject, rate.change.value.unit
    name = concept_name(ctx, amount.concept) if amount.concept else ""
    on_this = change.value.value / amount.value.in_unit(unit) * HUNDRED if amount.value.value else None
    this_base = on_this is not None and abs(on_this - rate.value.value) <= rate.value.half_ulp
    places = max(rate.value.places, 2)
    if expected is None:
        expected_text = "无法计算" if ctx.lang != "en" else "undefined"
        reason = ("growth from a zero base" if ctx.lang == "en" else "上年数为 0，增减率无意义") if change.value.value else (
            "no change, so the rate is 0" if ctx.lang == "en" else "增减额为 0，增减率应为 0%")
        if not change.value.value:
            expected_text = "0%"
    else:
        expected_text = f"{plain(expected, places)}%"
        reason = ""
    sign = "+" if (change.direction or rate.direction) < 0 else "−"
    if ctx.lang == "en":
        text = (f"{rule.title('en')}: {quote(rate, 'en')} {name + ' ' if name else ''}{amount.value}, change {change.value}: last year = {amount.value} {sign} {change.value} = "
                f"{fmt(last, unit)}, so the rate is {expected_text}, not {rate.value}" + (f" ({reason})" if reason else "")
                + (f"; {rate.value} is the change divided by this year's amount (wrong base)" if this_base else ""))
    else:
        text = (f"{rule.title('zh')}：{quote(rate)}{'「' + name + '」' if name else ''}{amount.value}，增减额 {change.value}：上年数 = {amount.value} {sign} {change.value} = "
                f"{fmt(last, unit)}，增减率应为 {expected_text}，文中为 {rate.value}" + (f"（{reason}）" if reason else "")
                + (f"；文中的 {rate.value} 是用本年数作分母算出的（基数错误）" if this_base else ""))
    difference = f"{plain(rate.value.value - expected, places)}%" if expected is not None else ""
    return Finding(rule.id, rule.severity, text, expected_text, str(rate.value), difference, [loc(rate)],
                   key=f"{amount.concept or format_decimal(amount.value.value)}|{format_decimal(change.value.value)}|{format_decimal(rate.value.value)}")


# --- share: 占X% = part ÷ whole ------------------------------------------------

def run_share(ctx: Context, rule):
    narrative = narrative_of(ctx)
    for fact in narrative.facts:
        if fact.role != "share" or fact.subject is None:
            continue
        whole = whole_of_share(ctx, narrative, fact)
        if whole is None or whole.value.value == 0:
            continue
        finding = share_finding(ctx, rule, fact, whole)
        if finding:
            yield finding


def whole_of_share(ctx: Context, narrative: Narrative, share: Fact) -> Fact | None:
    """The whole of a share: its list's whole, the concept named after 占, or (for a bare
    占X%) the previous passage's amount. A candidate smaller than the part is not its whole."""
    passage = narrative.passage_of[id(share)]
    part = share.subject.value
    listed = next((e.whole for e in passage.enumerations if share.subject in e.parts), None)
    if listed is not None:
        candidates = [listed]
    elif share.whole_concept:
        candidates = [f for f in amounts(ctx) if f.concept == share.whole_concept]
    elif share.names_whole or passage.context is None:
        return None  # 占部门预算总支出的: a whole the concepts do not know
    else:
        candidates = [next((f for f in passage.context.facts if f.role == "amount" and f.is_money), None)]
    return next((f for f in candidates if f is not None and f.value.in_unit(part.unit) >= part.value), None)


def share_finding(ctx: Context, rule, share: Fact, whole: Fact) -> Finding | None:
    part = share.subject
    unit = whole.value.unit
    p, w = part.value.in_unit(unit), whole.value.value
    pt, wt = part.value.tolerance_in(unit), whole.value.half_ulp
    low, high = (p - pt) / (w + wt) * HUNDRED, (p + pt) / (w - wt) * HUNDRED if w > wt else Decimal("Infinity")
    stated = share.value.value
    if stated + share.value.half_ulp >= low and stated - share.value.half_ulp <= high:
        return None
    expected = p / w * HUNDRED
    places = max(share.value.places, 2)
    part_name = concept_name(ctx, part.concept) if part.concept else str(part.value)
    whole_name = concept_name(ctx, whole.concept) if whole.concept else str(whole.value)
    # One unit of the last digit beyond the rounding: shares nudged so that they add to
    # 100% (尾差调整) are a habit, not a certain error — a person decides.
    last_digit = share.value.half_ulp * 2
    nudged = stated + share.value.half_ulp + last_digit >= low and stated - share.value.half_ulp - last_digit <= high
    severity = "warning" if nudged and rule.severity == "error" else rule.severity
    if ctx.lang == "en":
        text = (f"{rule.title('en')}: {quote(share, 'en')} {part_name} {part.value} ÷ {whole_name} {whole.value} = {plain(expected, places)}%, the text says {share.value}"
                + ("; one unit of the last digit: possibly adjusted so that the shares add to 100%" if nudged else ""))
    else:
        text = (f"{rule.title('zh')}：{quote(share)}「{part_name}」{part.value} ÷「{whole_name}」{whole.value} = {plain(expected, places)}%，文中为 {share.value}"
                + ("；只差末位 1 个单位，可能是为使各项占比合计 100% 所作的尾差调整，请人工确认" if nudged else ""))
    return Finding(rule.id, severity, text, f"{plain(expected, places)}%", str(share.value), f"{plain(stated - expected, places)}%",
                   [loc(share), loc(whole)], key=f"{part.concept or format_decimal(part.value.value)}|{format_decimal(stated)}")


# --- enumeration: the parts of 其中 (or of a concept) add up -------------------

def run_enumeration(ctx: Context, rule):
    if rule.get("source", "sentence") == "concepts":
        yield from concept_lists(ctx, rule)
        return
    for passage in narrative_of(ctx).passages:
        for enumeration in passage.enumerations:
            finding = list_finding(ctx, rule, enumeration.whole, enumeration.parts, enumeration)
            if finding:
                yield finding


def list_finding(ctx: Context, rule, whole: Fact, parts: list[Fact], enumeration=None) -> Finding | None:
    if whole.role == "count" and not (enumeration and enumeration.counted and enumeration.stated_whole):
        return None
    if whole.role == "count" and {p.value.unit for p in parts} != {whole.value.unit}:
        return None
    exact = Decimal(0) if whole.role == "count" else None  # counts carry no rounding
    comparison = compare([p.value for p in parts], whole.value, exact)
    bound = enumeration is not None and (len(parts) < 2 or not enumeration.stated_whole or enumeration.partial)
    if comparison.consistent or (bound and comparison.expected <= comparison.actual):
        return None
    whole_name = concept_name(ctx, whole.concept) if whole.concept else ""
    part_words = " + ".join(f"{concept_name(ctx, p.concept) + ' ' if p.concept else ''}{p.value}" for p in parts)
    total = comparison.text(comparison.expected)
    if ctx.lang == "en":
        text = f"{rule.title('en')}: {quote(whole, 'en')} {whole_name} {whole.value}; its parts {part_words} = {total}" + (" (exceed the whole)" if bound else "")
    else:
        text = f"{rule.title('zh')}：{quote(whole)}「{whole_name or '合计'}」{whole.value}，其组成部分 {part_words} = {total}" + ("，超过总数" if bound else "")
    locations = [loc(whole)] + [loc(p) for p in parts if p.sentence is not whole.sentence][:3]
    key = f"{whole.concept or whole.value.unit}|{format_decimal(whole.value.value)}|{'+'.join(format_decimal(p.value.value) for p in parts)}"
    return Finding(rule.id, rule.severity, text, total, str(whole.value), comparison.text(comparison.difference), locations,
                   tolerance_note(comparison, len(parts) + 1, ctx.lang), key)


def concept_lists(ctx: Context, rule):
    """A concept with `parts` stated in a section together with every part (三公 = 出国 + 接待 + 公务用车)."""
    facts = amounts(ctx)
    for concept, spec in ctx.ruleset.concepts.items():
        parts = spec.get("parts") or []
        if not parts:
            continue
        for whole in [f for f in facts if f.concept == concept]:
            found = [next((f for f in facts if f.concept == p and f.sentence.section == whole.sentence.section), None) for p in parts]
            if all(found) and whole not in found:
                finding = list_finding(ctx, rule, whole, found)
                if finding:
                    yield finding


# --- contradiction: one concept, two different amounts -----------------------

def run_contradiction(ctx: Context, rule):
    for concept, facts in group_by(concepts_filter(rule, amounts(ctx)), lambda f: f.concept).items():
        first = facts[0]
        other = next((f for f in facts[1:] if not compare([first.value], f.value).consistent), None)
        if other is None or (fits_a_reading(ctx, first) and fits_a_reading(ctx, other)):
            continue  # each figure is the concept's value in some table: two scopes, not one figure twice
        comparison = compare([first.value], other.value)
        name = concept_name(ctx, concept)
        if ctx.lang == "en":
            text = f"{rule.title('en')}: {name} is {first.value} in {quote(first, 'en')} but {other.value} in {quote(other, 'en')}"
        else:
            text = f"{rule.title('zh')}：「{name}」在{quote(first)}中为 {first.value}，在{quote(other)}中为 {other.value}"
        yield Finding(rule.id, rule.severity, text, str(first.value), str(other.value), comparison.text(comparison.difference),
                      [loc(first), loc(other)], tolerance_note(comparison, 2, ctx.lang),
                      f"{concept}|{format_decimal(first.value.value)}|{format_decimal(other.value.value)}")


# --- coverage: what could not be tied to a table -------------------------------

def checked(ctx: Context, fact: Fact) -> bool:
    return resolve(ctx, fact.concept) is not None or fits_a_reading(ctx, fact) or has_definition(ctx, fact)


def coverage(ctx: Context) -> tuple[list[Fact], list[Fact]]:
    """Narrative amounts naming a known concept, and those of them tied to no table value."""
    facts = amounts(ctx)
    return facts, [f for f in facts if not checked(ctx, f)]


def run_coverage(ctx: Context, rule):
    facts, unchecked = coverage(ctx)
    if rule.get("report", "unchecked") == "summary":
        if not facts:
            return  # no narrative amount naming a known concept: nothing to cover
        yield coverage_summary(ctx, rule, len(facts) - len(unchecked), len(facts))
        return
    for (concept, _), group in group_by(unchecked, lambda f: (f.concept, f.value.value)).items():
        name = concept_name(ctx, concept)
        if ctx.lang == "en":
            text = f"{rule.title('en')}: {name} {group[0].value} in {quote(group[0], 'en')} is tied to no table value"
        else:
            text = f"{rule.title('zh')}：{quote(group[0])}中「{name}」{group[0].value} 找不到对应的表格数字"
        yield Finding(rule.id, rule.severity, text, "", str(group[0].value), "", [loc(f) for f in group],
                      key=f"{concept}|{format_decimal(group[0].value.value)}")


def coverage_summary(ctx: Context, rule, done: int, total: int) -> Finding:
    if ctx.lang == "en":
        text = f"{rule.title('en')}: checked {done}/{total} narrative figures against the tables ({total - done} unchecked)"
    else:
        text = f"{rule.title('zh')}：核对了 {done}/{total} 个叙述数字（{total - done} 个未核对）"
    return Finding(rule.id, rule.severity, text, str(total), str(done), str(total - done), [], key="coverage")


# --- validation ----------------------------------------------------------------

def validate_concepts(rule, ruleset) -> None:
    """Every reference in concepts.yaml names a known table kind and column."""
    known_columns = {k for k, _ in ruleset.catalog.columns}
    for concept, spec in ruleset.concepts.items():
        where = getattr(spec, "line", None)
        for ref in spec.get("references") or []:
            if ref.get("table") not in ruleset.catalog.kinds:
                raise RuleFileError("concepts.yaml", where, f"{concept}: 未知表类型 / unknown table kind `{ref.get('table')}`")
            if ref.get("column", "total") not in known_columns:
                raise RuleFileError("concepts.yaml", where, f"{concept}: 未知列 / unknown column `{ref.get('column')}`")
        for part in list(spec.get("definition") or []) + list(spec.get("parts") or []):
            if part not in ruleset.concepts:
                raise RuleFileError("concepts.yaml", where, f"{concept}: 未知概念 / unknown concept `{part}`")
    for concept in rule.get("concepts") or []:
        if concept not in ruleset.concepts:
            raise RuleFileError(str(rule.path), rule.line("concepts"), f"未知概念 / unknown concept `{concept}`")


def validator(allowed: set[str], choices: dict | None = None):
    def validate(rule, ruleset) -> None:
        require(rule, allowed, set())
        for key, values in (choices or {}).items():
            if rule.get(key) is not None and rule.get(key) not in values:
                raise RuleFileError(str(rule.path), rule.line(key), f"`{key}` 应为 {' / '.join(values)}")
        validate_concepts(rule, ruleset)
    return validate


NARRATIVE_KINDS = {
    "narrative_match": CheckKind("narrative_match", "叙述中的金额 = 表格中对应的数字", validator({"concepts"}), run_narrative_match),
    "narrative_empty_table": CheckKind("narrative_empty_table", "空表与叙述中的非零金额（或反之）", validator(set()), run_empty_table),
    "definition": CheckKind("definition", "文中定义（人员经费 = 工资福利支出 + 对个人和家庭的补助）成立，并与表列口径一致", validator({"concepts"}), run_definition),
    "rate": CheckKind("rate", "增减率 = 增减额 ÷ 上年数（上年数 = 本年数 ∓ 增减额）", validator(set()), run_rate),
    "share": CheckKind("share", "占比 = 部分 ÷ 总数", validator(set()), run_share),
    "enumeration": CheckKind("enumeration", "“其中”所列各项之和 = 总数（金额与个数）", validator({"source"}, {"source": ["sentence", "concepts"]}), run_enumeration),
    "contradiction": CheckKind("contradiction", "同一概念在叙述中两处金额不同", validator({"concepts"}), run_contradiction),
    "coverage": CheckKind("coverage", "叙述数字的核对覆盖率；未核对的数字逐一列出", validator({"report"}, {"report": ["unchecked", "summary"]}), run_coverage),
}
