"""Identity: the unit's name, the budget year and the money unit agree across the
cover, the tables and the narrative."""
from __future__ import annotations

import re

from ...ingest import entities
from ...model.findings import Finding, Location, Skip
from ...model.quantity import format_decimal
from ...vocabulary.layout_patterns import YEAR
from ..base import CheckKind, Context, say
from ..common import doc_year, narrative_items, norm, outline, phrases, table_orgs, validate_problem, year_role

ID_PROBLEMS = ("unit_name", "year", "money_unit")


def cover_name(ctx: Context) -> tuple[str, int] | None:
    return entities.cover_name(ctx.doc, phrases(ctx))


def strip_suffix(ctx: Context, name: str) -> str:
    return entities.strip_suffix(phrases(ctx), name)


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
    members = entities.member_units(ctx.doc, phrases(ctx))
    if strip_suffix(ctx, reference) in members:  # a department of several units: each member's name is its own
        deviations = {n: locs for n, locs in deviations.items()
                      if strip_suffix(ctx, n) not in members and not entities.listed_in_narrative(ctx.doc, phrases(ctx), n)}
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
    for heading in outline(ctx).tables:
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
            if int(m.group(1)) != year and not text[:m.start()].endswith(not_after) and not is_base(ctx, text, m, year):
                yield year_finding(ctx, rule, year, int(m.group(1)), Location(page, row=section, text=text), f"text|{m.group(0)}")


def is_base(ctx: Context, text: str, match: re.Match, year: int) -> bool:
    """The year names the base of a comparison (比2025年…, 主要原因是2025年预算中…): read as
    N-YEAR-001 reads it, a deliberate reference to last year, not this budget's year written wrong."""
    mention = YEAR.match(text, match.start())
    return mention is not None and year_role(ctx, text, mention, year) == "base"


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


IDENTITY_KINDS = {
    "identity": CheckKind("identity", "身份一致：单位名称、预算年度、金额单位", validate_problem(ID_PROBLEMS), run_identity),
}
