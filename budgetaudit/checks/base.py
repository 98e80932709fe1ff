"""What every check kind shares: the run context, cell lookup, and the
finding it builds from a comparison."""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterator

from ..model.document import Cell, Document, Row, Table, is_total_name
from ..model.findings import Comparison, Finding, Location, Skip, cell_location, compare, tolerance_note
from ..model.quantity import Quantity, format_decimal
from ..ruleset.rule import Rule, RuleSet
from ..vocabulary.layout_patterns import CHANGE_LABEL, FUND_SCOPE, QUOTES, ROW_LEAD, ROW_ORDINAL, UNIT_COLUMN, YEAR_LABEL


@dataclass
class Context:
    """What a check reads: the document model, the loaded rules and data, the report's language."""

    doc: Document
    ruleset: RuleSet
    lang: str = "zh"


@dataclass
class CheckKind:
    """The Python behind `extends: <name>`: `validate(rule, ruleset)` raises RuleFileError on a bad key,
    `run(ctx, rule)` yields findings and skips."""

    name: str
    summary: str
    validate: Callable[[Rule, RuleSet], None]
    run: Callable[[Context, Rule], Iterator[Finding | Skip]]


def say(ctx: Context, zh: str, en: str) -> str:
    """The message in the report's language."""
    return en if ctx.lang == "en" else zh


def bare_name(name: str) -> str:
    """Row name without ordinal prefix, spaces and brackets style."""
    name = ROW_ORDINAL.sub("", ROW_LEAD.sub("", name.replace(" ", "")))
    return QUOTES.sub("", name.replace("(", "（").replace(")", "）"))


def quantity_of(cell: Cell | None, unit: str) -> Quantity:
    """A blank cell is an exact zero."""
    if cell is None or cell.quantity is None:
        return Quantity(Decimal(0), unit, 2, exact=True)
    return cell.quantity


def has_amount(row: Row) -> bool:
    return any(c.quantity is not None for c in row.values.values())


def find_row(table: Table, selector, side: str = "") -> Row | None:
    """`total`, `first`, a name, a list of names, or {code: …}."""
    rows = table.rows_on(side)
    if selector == "first":
        current = current_rows(rows)
        return next((r for r in current if has_amount(r)), current[0] if current else None)
    if selector == "total":
        return total_row(table, rows)
    if isinstance(selector, dict) and "code" in selector:
        return next((r for r in rows if r.code == str(selector["code"])), None)
    names = [bare_name(str(n)) for n in (selector if isinstance(selector, list) else [selector])]
    return next((r for r in rows if bare_name(r.name) in names), None)


def current_rows(rows: list[Row]) -> list[Row]:
    """Rows of the table's latest year: a table that prints one row per year (a 三公表 in that form:
    2025年 / 2026年 / 增减变化金额) keeps only the latest year's row."""
    years = {id(r): year_label(r) for r in rows}
    latest = max((y for y in years.values() if y), default=0)
    if not latest or len({y for y in years.values() if y}) < 2:
        return rows
    return [r for r in rows if years[id(r)] == latest or (not years[id(r)] and not any(CHANGE_LABEL.search(c.text) for c in r.values.values()))]


def year_label(row: Row) -> int:
    for cell in row.values.values():
        match = YEAR_LABEL.match(cell.text.replace(" ", ""))
        if match:
            return int(match.group(1))
    return 0


def total_row(table: Table, rows: list[Row]) -> Row | None:
    """合计/总计; else the only row ending in 合计 (several such rows, as in
    side-by-side blocks 人员经费合计 | 公用经费合计, are ambiguous); else the unit's row."""
    exact = next((r for r in rows if bare_name(r.name) in ("合计", "总计") and not r.code), None)
    suffixed = [r for r in rows if r.is_total and not r.code]
    return exact or (suffixed[0] if len(suffixed) == 1 else None) or org_row(table, rows)


def org_row(table: Table, rows: list[Row]) -> Row | None:
    """Tables that total per unit put the unit's name (单位名称) on the total row."""
    first = next((r for r in rows if has_amount(r)), None)
    if first is not None and table.org and bare_name(first.name) == bare_name(table.org):
        return first
    return None


@dataclass
class Value:
    """One side of a comparison: a cell, or the sum of a table's top-level rows."""
    quantity: Quantity
    label: str  # table and row, for the message
    location: Location
    key: str  # the row part of a finding's key


def cell_value(table: Table, row: Row, column: str) -> Value:
    cell = row.values.get(column)
    return Value(quantity_of(cell, table.unit), f"{table.label}「{describe_row(row)}」", cell_location(table, row, column, cell),
                 row.code or bare_name(row.name))


def top_level_rows(rows: list[Row]) -> list[Row]:
    """Coded rows whose code extends no other row's code (301 but not 30101); none when the
    top level is ambiguous — a code printed twice, or codes of different lengths (a table
    cross-classified 501 › 301 › 30101, or two classifications side by side)."""
    codes = {r.code for r in rows if r.code}
    top = [r for r in rows if r.code and not any(r.code != c and r.code.startswith(c) for c in codes)]
    if len({r.code for r in top}) < len(top) or len({len(r.code) for r in top}) > 1:
        return []
    return top


def summed(quantities: list[Quantity], unit: str) -> Quantity:
    """The sum of printed figures, shown coarse enough that its half-digit covers the n
    half-digits of its parts (10 figures shown to 0.01: the sum is good to ±0.05)."""
    total = sum((q.in_unit(unit) for q in quantities), Decimal(0))
    if len(quantities) == 1:
        return Quantity(total, unit, quantities[0].places + places_shift(quantities[0].unit, unit), quantities[0].exact)
    shown = min((q.places + places_shift(q.unit, unit) for q in quantities if not q.exact), default=2)
    return Quantity(total, unit, shown - math.ceil(math.log10(len(quantities))))


def places_shift(source: str, target: str) -> int:
    """Decimals gained converting 元 to 万元 (and lost the other way)."""
    return {("元", "万元"): 4, ("万元", "元"): -4}.get((source, target), 0)


def summed_top_rows(table: Table, column: str, side: str = "") -> Value | None:
    """A table printed without a 合计 row: the sum of its top-level coded rows — the 类
    (3-digit) rows, or, where only 项 rows are printed (汉中), all of them."""
    rows = top_level_rows(table.rows_on(side))
    if not rows or table.column(column) is None:
        return None
    total = summed([quantity_of(r.values.get(column), table.unit) for r in rows], table.unit)
    first = rows[0]
    return Value(total, f"{table.label}「{'+'.join(r.code for r in rows)}」", cell_location(table, first, column, first.values.get(column)), "categories")


def ref_value(table: Table, ref) -> Value | None:
    """The cell a reference names; `row: total` in a table printed without a 合计 row is the sum of its top-level rows."""
    column, side = ref.get("column", "total"), ref.get("side", "")
    row = find_row(table, ref.get("row", "total"), side)
    if row is not None:
        return cell_value(table, row, column)
    return summed_top_rows(table, column, side) if ref.get("row", "total") == "total" else None


def fund_scope(table: Table) -> str:
    """The fund scope the table's title names (一般公共预算… → general_budget); "" where it names
    none, which says nothing narrower than the table's kind."""
    match = FUND_SCOPE.search(table.title.replace(" ", ""))
    return match.lastgroup if match else ""


def entity_blocks(table: Table) -> list[tuple[str, list[Row]]]:
    """A table grouped by unit: (unit name, rows) per block, each opened by a row without a code that
    names its unit in a unit column (预算单位). The first block is the department's (its opening row
    carries the department's totals). [] when the table names fewer than two units."""
    unit_keys = [c.key for c in table.columns if UNIT_COLUMN.match(c.key)]
    blocks: list[tuple[str, list[Row]]] = []
    for row in table.rows:
        name = unit_named(row, unit_keys)
        if name and not row.code:
            blocks.append((name, [row]))
        elif blocks:
            blocks[-1][1].append(row)
    return blocks if len(blocks) >= 2 else []


def unit_named(row: Row, unit_keys: list[str]) -> str:
    """The unit name (or unit code: 153001) a row prints in a unit column; a 合计 there names no unit."""
    texts = [row.values[k].text.strip() for k in unit_keys if k in row.values]
    return next((t for t in texts if t and not is_total_name(t)), "")


def department_categories(table: Table, side: str) -> list[list[Row]]:
    """The rows that make each 类 figure of the department. A table grouped by unit (entity_blocks)
    prints the department's own 类 rows in its first block, or else only one block per unit: the
    department's 类 is then the sum of that 类 over the units' blocks, never one unit's row."""
    blocks = entity_blocks(table)
    if not blocks or category_rows_of(blocks[0][1][1:]):
        return [[r] for r in category_rows(table, side)]
    groups: dict[str, list[Row]] = {}
    for _, rows in blocks[1:]:
        for row in category_rows_of([r for r in rows if not side or r.side == side]):
            groups.setdefault(row.code or bare_name(row.name), []).append(row)
    return list(groups.values())


def group_value(table: Table, rows: list[Row], column: str) -> Value:
    if len(rows) == 1:
        return cell_value(table, rows[0], column)
    first = rows[0]
    total = summed([quantity_of(r.values.get(column), table.unit) for r in rows], table.unit)
    label = f"{table.label}「{describe_row(first)}」（{len(rows)} 个单位之和 / sum over {len(rows)} units）"
    return Value(total, label, cell_location(table, first, column, first.values.get(column)), first.code or bare_name(first.name))


def category_rows(table: Table, side: str) -> list[Row]:
    return category_rows_of(table.rows_on(side))


def category_rows_of(rows: list[Row]) -> list[Row]:
    """The 类 rows: the 3-digit coded rows, or, in a table without codes, the rows named …支出."""
    coded = [r for r in rows if len(r.code) == 3]
    if coded:
        return coded
    return [r for r in rows if r.name.endswith("支出") and not r.is_total and not bare_name(r.name).startswith(("本年", "上年"))]


def describe_row(row: Row) -> str:
    return row.label or f"第{row.index + 1}行"


def message(ctx: Context, rule: Rule, fields: dict) -> str:
    """The kind's own text of a comparison; a rule's `message:` template replaces it later (templated)."""
    if ctx.lang == "en":
        return f"{rule.title('en')}: {fields['where']} expected {fields['expected']}, found {fields['actual']} (difference {fields['difference']})"
    return f"{rule.title('zh')}：{fields['where']}应为 {fields['expected']}，实际为 {fields['actual']}，相差 {fields['difference']}"


def message_fields(ctx: Context, rule: Rule, finding: Finding) -> dict:
    """The fields a `message:` template may name (ruleset/rule.py MESSAGE_FIELDS), filled from the finding."""
    page = next((loc.page for loc in finding.locations if loc.page), None)
    return {
        "message": finding.message,
        "expected": finding.expected,
        "actual": finding.actual,
        "difference": finding.difference,
        "diff": finding.difference,
        "where": "; ".join(loc.describe(ctx.lang, short=False) for loc in finding.locations[:3]),
        "page": page or "",
        "rule": rule.id,
        "title": rule.title(ctx.lang),
        "severity": finding.severity,
    }


def templated(ctx: Context, rule: Rule, finding: Finding) -> Finding:
    """The finding with the rule's `message:` (or `message_en:`) in place of the kind's text: one
    mechanism for every kind, applied to whatever a kind yields. A template that cannot be filled
    (a format the value does not take) leaves the kind's text."""
    template = rule.message_template(ctx.lang)
    if not template:
        return finding
    try:
        finding.message = template.format(**message_fields(ctx, rule, finding))
    except (KeyError, IndexError, ValueError):
        pass
    return finding


def finding_from(ctx: Context, rule: Rule, comparison: Comparison, where: str, locations: list[Location], count: int, key: str, severity: str | None = None) -> Finding:
    fields = {
        "where": where,
        "expected": comparison.expected_text(),
        "actual": comparison.actual_text(),
        "difference": comparison.text(comparison.difference),
    }
    return Finding(rule.id, severity or rule.severity, message(ctx, rule, fields), fields["expected"], fields["actual"],
                   fields["difference"], locations, tolerance_note(comparison, count, ctx.lang), key)


def rounding_only(comparison: Comparison, parts: list[Quantity], whole: Quantity) -> bool:
    """A gap explained only by 元/万元 conversion of one side (info, not error)."""
    units = {q.unit for q in parts + [whole] if q.unit}
    if len(units) < 2:
        return False
    widened = comparison.tolerance + Decimal("0.005") * (len(parts) + 1)
    return abs(comparison.difference) <= widened


def check_sum(ctx: Context, rule: Rule, parts: list[Quantity], whole: Quantity, where: str, locations, key: str) -> Finding | None:
    tolerance = rule.get("tolerance")
    comparison = compare(parts, whole, Decimal(str(tolerance)) if tolerance is not None else None)
    if comparison.consistent:
        return None
    severity = "info" if rounding_only(comparison, parts, whole) else None
    return finding_from(ctx, rule, comparison, where, locations, len(parts) + 1, key, severity)


def fmt(value: Decimal, unit: str) -> str:
    return f"{format_decimal(value)}{unit}"
