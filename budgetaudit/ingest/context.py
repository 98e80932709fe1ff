"""Stated figures with their context (model/fact.py): every money cell of a recognised table and
every narrative figure, with the entity, scenario, fund scope, classification and level the
document gives it. A dimension the document does not give stays `unknown` — never a default.

Where each dimension comes from:
- entity: the 单位名称 line over the table (Table.org), else the document's own 单位名称 line;
- scenario: the column's header words (上年, 决算, 调整预算, 增减) or a year in it before the
  document's year; else this document's own: budget (预算) or final (决算), from its cover;
- fund scope: an uncoded row's own words (一般公共预算拨款收入), else the column's header words, else the table title's, else the table kind's scope
  (rules/phrases.yaml fact_context.kind_scope); a narrative figure: its concept's words;
- classification and level: the row's printed code (3/5/7 digits) in a functional or economic
  table (fact_context.economic_kinds); a total row is level `total`.
"""
from __future__ import annotations

from ..model.document import Document, Row, Table
from ..model.fact import UNKNOWN, FactContext, StatedFact
from ..model.quantity import MONEY_UNITS
from ..vocabulary.layout_patterns import YEAR
from .facts import LEVEL_OF_CODE, cover_year, facts_of, is_final_accounts, read_narrative

ECONOMIC_LEVELS = {k: v for k, v in LEVEL_OF_CODE.items() if k <= 5}  # economic codes stop at the 款


def stated_facts(doc: Document, ruleset) -> list[StatedFact]:
    """Every figure of the document as a fact with its context, tables first, in page order."""
    words = (ruleset.phrases or {}).get("fact_context") or {}
    own = document_scenario(doc)
    entity = document_entity(doc)
    facts = [fact for table in doc.tables if table.kind != "unknown" for fact in table_facts(table, words, own, entity, doc)]
    return facts + narrative_facts(doc, ruleset, words, own, entity)


def document_scenario(doc: Document) -> str:
    return "final" if is_final_accounts(doc) else "budget"


def document_entity(doc: Document) -> str:
    names = [name for _, name, _ in (doc.outline.org_lines if doc.outline else [])]
    return names[0] if names else UNKNOWN


def first_named(text: str, names: dict) -> str:
    bare = text.replace(" ", "")
    return next((name for name, wordlist in names.items() if any(w in bare for w in wordlist)), "")


def column_scenario(path: str, words: dict, own: str, year: int | None) -> str:
    named = first_named(path, words.get("scenario") or {})
    if named:
        return "previous_budget" if named == "previous" and own == "budget" else named
    years = [int(y) for y in YEAR.findall(path)]
    if year and years and max(years) < year:
        return "previous_budget" if own == "budget" else "previous"
    return own


def table_facts(table: Table, words: dict, own: str, entity: str, doc: Document) -> list[StatedFact]:
    year = cover_year(doc)
    economic = table.kind in (words.get("economic_kinds") or [])
    kind_scope = (words.get("kind_scope") or {}).get(table.kind, UNKNOWN)
    title_scope = first_named(table.title, words.get("fund_scope") or {})
    facts = []
    for row in table.rows:
        classification, level = row_level(row, economic)
        row_scope = "" if row.code else first_named(row.name, words.get("fund_scope") or {})  # 一般公共预算拨款收入: a source row
        for key, cell in row.values.items():
            if cell.quantity is None or cell.quantity.unit not in MONEY_UNITS:
                continue
            column = column_of(table, key, row.side)
            path = "›".join(column.path) if column else key
            scope = row_scope or first_named(path, words.get("fund_scope") or {}) or title_scope or kind_scope
            context = FactContext(table.org or entity, column_scenario(path, words, own, year), scope, classification, row.code, level)
            where = f"{table.label} › {row.label or row.name} › {path}"
            facts.append(StatedFact("table", cell.page, where, "amount", key.split("#")[0], cell.quantity.value, cell.quantity.unit,
                                    cell.text, context))
    return facts


def column_of(table: Table, key: str, side: str):
    """The row's own column for a key: a two-sided table has a `total` on each side."""
    return next((c for c in table.columns if c.key == key and (not side or c.side == side)), None) or table.column(key)


def row_level(row: Row, economic: bool) -> tuple[str, str]:
    if row.is_total:
        return ("economic" if economic else "function"), "total"
    if not row.code:
        return "none", ""
    levels = ECONOMIC_LEVELS if economic else LEVEL_OF_CODE
    return ("economic" if economic else "function"), levels.get(len(row.code), "")


def narrative_facts(doc: Document, ruleset, words: dict, own: str, entity: str) -> list[StatedFact]:
    passages = read_narrative(doc.sentences, ruleset.concepts, own == "final")
    facts = []
    for fact in facts_of(passages):
        sentence = fact.sentence
        clause = fact.phrase or ""
        scope = first_named(clause, words.get("fund_scope") or {}) or UNKNOWN
        scenario = "previous" if fact.base else ("change" if fact.role in ("change", "rate") else own)
        context = FactContext(entity, scenario, scope, "none", "", "")
        facts.append(StatedFact("narrative", sentence.page, sentence.text, fact.role, fact.concept, fact.value.value, fact.value.unit,
                                fact.text, context))
    return facts
