"""Narrative check kind on lists: the parts of 其中 (or of a concept's `parts`)
add up to their whole (enumeration)."""
from __future__ import annotations

from decimal import Decimal

from ...ingest.facts import Fact
from ...model.findings import Finding, compare, tolerance_note
from ...model.quantity import Quantity, format_decimal
from ..base import CheckKind, Context
from .shared import amounts, concept_name, loc, narrative_of, quote, validator

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
    if whole.role == "amount" and last_years_parts(ctx, whole, parts):
        return None
    whole_name = concept_name(ctx, whole.concept) if whole.concept else ""
    part_words = " + ".join(f"{concept_name(ctx, p.concept) + ' ' if p.concept else ''}{p.value}" for p in parts)
    total = comparison.text(comparison.expected)
    if ctx.lang == "en":
        text = f"{rule.title('en')}: {quote(whole, 'en')} {whole_name} {whole.value}; its parts {part_words} = {total}" + (" (exceed the whole)" if bound else "")
    else:
        text = f"{rule.title('zh')}：{quote(whole)}「{whole_name or '合计'}」{whole.value}，其组成部分 {part_words} = {total}" + ("，超过总数" if bound else "")
    sentences = list({id(p.sentence): p for p in parts if p.sentence is not whole.sentence}.values())
    locations = [loc(whole)] + [loc(p) for p in sentences]  # every part's sentence: a changed fourth part is located too
    severity = rule.severity
    if enumeration is not None and whole.role == "count" and not enumeration.total_word and severity == "error":
        severity = "warning"  # a count whose parts name it whole, with no 共/合计: read, not certain
    key = f"{whole.concept or whole.value.unit}|{format_decimal(whole.value.value)}|{'+'.join(format_decimal(p.value.value) for p in parts)}"
    return Finding(rule.id, severity, text, total, str(whole.value), comparison.text(comparison.difference), locations,
                   tolerance_note(comparison, len(parts) + 1, ctx.lang), key)


def last_years_parts(ctx: Context, whole: Fact, parts: list[Fact]) -> bool:
    """Parts that add up to last year's whole — this year's amount ∓ the change stated for it
    (996.33万元，较上年增加212.77万元，其中：2021年度…533万元…) — are last year's composition, not a
    broken list of this year's."""
    change = next((f for f in narrative_of(ctx).facts if f.role == "change" and f.subject is whole and not f.implied), None)
    if change is None or not whole.is_money or not change.is_money:
        return False
    sign = change.direction or 1
    last = whole.value.value - sign * change.value.in_unit(whole.value.unit)
    return compare([p.value for p in parts], Quantity(last, whole.value.unit, max(whole.value.places, change.value.places))).consistent


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



NARRATIVE_LIST_KINDS = {
    "enumeration": CheckKind("enumeration", "“其中”所列各项之和 = 总数（金额与个数）", validator({"source"}, {"source": ["sentence", "concepts"]}), run_enumeration),
}
