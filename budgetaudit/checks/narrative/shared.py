"""What the narrative check modules share: the narrative read once per document
(facts from budgetaudit.ingest.facts), the table value of each concept (from the
`references` of concepts.yaml), quoting and validation. Not a check kind.

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

from ...ingest.entities import cover_name, sentence_entities, unit_before
from ...ingest.facts import Fact, Passage, is_final_accounts, last_clause, read_narrative, strip_parens
from ...model.document import Document, Row, Table
from ...model.findings import Location, cell_location, compare, page_label, sentence_location
from ...model.quantity import Quantity, format_decimal
from ...ruleset.loading import require
from ...safe.errors import RuleFileError
from ..base import Context, describe_row, find_row, quantity_of, summed_top_rows
from ..common import phrases, table_orgs

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
        passages = read_narrative(ctx.doc.sentences, ctx.ruleset.concepts, is_final_accounts(ctx.doc))
        facts = [f for p in passages for f in p.facts]
        departments = department_names(ctx)
        of_sentence = sentence_entities(ctx.doc, phrases(ctx), departments)
        for passage in passages:
            for fact in passage.facts:
                fact.entity = of_sentence.get(id(fact.sentence), "") or named_unit(ctx, passage, fact, departments)
        cached = Narrative(passages, facts, {id(f): p for p in passages for f in p.facts})
        ctx._narrative = cached
    return cached


def named_unit(ctx: Context, passage: Passage, fact: Fact, departments: list[str]) -> str:
    """The unit the fact's own clause names before its concept (某某院日常公用经费), or ""."""
    if not fact.concept:
        return ""
    words = strip_parens(last_clause(passage.text[:fact.start]))[0]
    at = words.rfind(fact.phrase)
    return unit_before(phrases(ctx), words[:at], departments) if at > 0 else ""


def department_names(ctx: Context) -> list[str]:
    """The department's name as the cover prints it and as most tables' 单位名称 do."""
    names = [found[0]] if (found := cover_name(ctx.doc, phrases(ctx))) else []
    counts: dict[str, int] = {}
    for name, _ in table_orgs(ctx):
        counts[name] = counts.get(name, 0) + 1
    return names + ([max(counts, key=counts.get)] if counts else [])


def concept_name(ctx: Context, concept: str) -> str:
    spec = ctx.ruleset.concepts.get(concept, {})
    return str(spec.get("en" if ctx.lang == "en" else "zh") or spec.get("zh") or concept)


def amounts(ctx: Context) -> list[Fact]:
    """Money amounts that name a known concept."""
    return [f for f in narrative_of(ctx).facts if f.role == "amount" and f.is_money and f.concept]


def department_amounts(ctx: Context) -> list[Fact]:
    """Amounts the department states of itself: a unit's section (entity) is not tied to the
    department's tables."""
    return [f for f in amounts(ctx) if not f.entity]


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


def cell_words(resolved: Resolved) -> str:
    if resolved.row is None:
        return ""
    column = resolved.table.column(resolved.column) if resolved.table else None
    label = column.label if column else resolved.column
    return f"「{describe_row(resolved.row)}」行「{label}」列"



# --- shares and rates: what the checks and the benchmark both compute ---------

def whole_of_share(ctx: Context, narrative: Narrative, share: Fact) -> Fact | None:
    """The whole of a share: its list's whole, the concept named after 占, or (for a bare
    占X%) the previous passage's amount. A candidate smaller than the part is not its whole."""
    passage = narrative.passage_of[id(share)]
    part = share.subject.value
    listed = next((e.whole for e in passage.enumerations if share.subject in e.parts), None)
    if listed is not None:
        candidates = [listed]
    elif share.whole_concept:
        candidates = [f for f in amounts(ctx) if f.concept == share.whole_concept and f.entity == share.entity]
    elif share.names_whole or passage.context is None:
        return None  # 占部门预算总支出的: a whole the concepts do not know
    else:
        candidates = [next((f for f in passage.context.facts if f.role == "amount" and f.is_money), None)]
    return next((f for f in candidates if f is not None and f.value.in_unit(part.unit) >= part.value), None)



def rate_bounds(this: Decimal, this_tol: Decimal, change: Decimal, change_tol: Decimal, sign: int) -> tuple[Decimal, Decimal]:
    """Interval of change ÷ (this ∓ change) over the rounding of both printed figures, in %."""
    def ratio(c: Decimal, t: Decimal) -> Decimal:
        base = t - sign * c
        return c / base * HUNDRED if base > 0 else Decimal("Infinity")
    corners = [ratio(change + dc, this + dt) for dc in (-change_tol, change_tol) for dt in (-this_tol, this_tol)]
    return min(corners), max(corners)



# --- coverage: what could not be tied to a table -------------------------------

def checked(ctx: Context, fact: Fact) -> bool:
    if fact.entity:
        return False  # a unit's figure: the tables are the department's
    return resolve(ctx, fact.concept) is not None or fits_a_reading(ctx, fact) or has_definition(ctx, fact)


def coverage(ctx: Context) -> tuple[list[Fact], list[Fact]]:
    """Narrative amounts naming a known concept, and those of them tied to no table value."""
    facts = amounts(ctx)
    return facts, [f for f in facts if not checked(ctx, f)]



# --- validation ----------------------------------------------------------------

def validate_concepts(rule, ruleset) -> None:
    """Every reference in concepts.yaml names a known table kind and column."""
    known_columns = {k for k, _ in ruleset.catalog.columns}
    for concept, spec in ruleset.concepts.items():
        where = getattr(spec, "line", None)
        for ref in spec.get("references") or []:
            if ref.get("table") not in ruleset.catalog.kinds:
                raise RuleFileError("concepts.yaml", where, f"{concept}: 未知表类型 / unknown table kind `{ref.get('table')}`")
            if ref.get("column", "total") not in known_columns and "›" not in str(ref.get("column")):  # or a printed header path
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


