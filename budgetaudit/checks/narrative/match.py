"""Narrative check kinds that tie stated amounts: to their table value
(narrative_match), to an empty table (narrative_empty_table), to their own
definition (definition), to each other (contradiction), and the coverage of
those ties (coverage)."""
from __future__ import annotations

from ...ingest.facts import Fact
from ...model.findings import Finding, Location, compare, tolerance_note
from ...model.quantity import Quantity, format_decimal
from ..base import CheckKind, Context, check_sum
from .shared import Resolved, amounts, cell_words, concept_name, concepts_filter, coverage, department_amounts, fits_a_reading, group_by, has_definition, is_zero, loc, narrative_of, quote, readings, resolve, validator

# --- narrative_match: a stated amount equals its table value -----------------

def run_narrative_match(ctx: Context, rule):
    groups = group_by(concepts_filter(rule, department_amounts(ctx)), lambda f: (f.concept, f.value.value, f.value.unit))
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



# --- contradiction: one concept, two different amounts -----------------------

def run_contradiction(ctx: Context, rule):
    """One concept, two different amounts: anywhere in the narrative unless each is the concept's
    value in some table (two scopes); with `per: passage`, within one paragraph, scopes or not: a
    paragraph giving one concept two amounts must say which is which."""
    in_passage = rule.get("per") == "passage"
    passage_of = narrative_of(ctx).passage_of

    def key(fact: Fact) -> tuple:
        """Like with like: one unit (entity), one concept, one of sibling lines sharing its name (variant)."""
        return id(passage_of.get(id(fact))) if in_passage else 0, fact.entity, fact.concept, fact.variant

    for (_, _, concept, _), facts in group_by(concepts_filter(rule, amounts(ctx)), key).items():
        first = facts[0]
        other = next((f for f in facts[1:] if not compare([first.value], f.value).consistent), None)
        if other is None or (not in_passage and fits_a_reading(ctx, first) and fits_a_reading(ctx, other)):
            continue  # each figure is the concept's value in some table: two scopes, not one figure twice
        comparison = compare([first.value], other.value)
        name = concept_name(ctx, concept)
        where_zh, where_en = ("同一段中", " in one paragraph") if in_passage else ("", "")
        if ctx.lang == "en":
            text = f"{rule.title('en')}: {name} is {first.value} in {quote(first, 'en')} but {other.value} in {quote(other, 'en')}{where_en}"
        else:
            text = f"{rule.title('zh')}：{where_zh}「{name}」在{quote(first)}中为 {first.value}，在{quote(other)}中为 {other.value}"
        yield Finding(rule.id, rule.severity, text, str(first.value), str(other.value), comparison.text(comparison.difference),
                      [loc(first), loc(other)], tolerance_note(comparison, 2, ctx.lang),
                      f"{concept}|{format_decimal(first.value.value)}|{format_decimal(other.value.value)}")


# --- coverage -----------------------------------------------------------------

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



NARRATIVE_MATCH_KINDS = {
    "narrative_match": CheckKind("narrative_match", "叙述中的金额 = 表格中对应的数字", validator({"concepts"}), run_narrative_match),
    "narrative_empty_table": CheckKind("narrative_empty_table", "空表与叙述中的非零金额（或反之）", validator(set()), run_empty_table),
    "definition": CheckKind("definition", "文中定义（人员经费 = 工资福利支出 + 对个人和家庭的补助）成立，并与表列口径一致", validator({"concepts"}), run_definition),
    "contradiction": CheckKind("contradiction", "同一概念在叙述中（或同一段中）两处金额不同", validator({"concepts", "per"}, {"per": ["passage"]}), run_contradiction),
    "coverage": CheckKind("coverage", "叙述数字的核对覆盖率；未核对的数字逐一列出", validator({"report"}, {"report": ["unchecked", "summary"]}), run_coverage),
}
