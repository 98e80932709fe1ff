"""Project names: the same project named alike in the 项目支出表, its 绩效目标表
and the narrative."""
from __future__ import annotations

from ...model.document import Table
from ...model.findings import Finding, Location, Skip
from ...model.text import squash
from ...vocabulary.layout_patterns import is_index_cell, name_core
from ..base import CheckKind, Context, say
from ..common import compare_names, compiled, label_values, narrative_items, phrases, table_orgs, validate_none


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
    patterns = [compiled(str(s)) for s in p.get("project_sentences", [])]
    for page, section, text in narrative_items(ctx):
        for pattern in patterns:
            for m in pattern.finditer(text):
                found["narrative"].append((m.group(1), Location(page, row=section, text=text)))
    return found


def project_rows(table: Table, columns: set[str], orgs: set[str]) -> list:
    index = next((i for row in table.header for i, c in enumerate(row) if squash(c) in columns), 0)
    rows = []
    for row in table.grid[len(table.header):]:
        name = squash(row[index]) if index < len(row) and row[index] else ""
        if name and not is_index_cell(name) and name not in orgs and "合计" not in name and "总计" not in name:
            rows.append((name, Location(table.pages[0], table.label, row=name)))
    return rows


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


PROJECT_KINDS = {
    "project_names": CheckKind("project_names", "同一项目在各表和叙述中的名称", validate_none, run_project_names),
}
