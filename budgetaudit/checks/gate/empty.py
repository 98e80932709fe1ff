"""Empty tables: each needs an explanation, the explanation must speak of the
table, and no other table or sentence may show an amount for it."""
from __future__ import annotations

import re
from decimal import Decimal

from ...model.findings import Finding, Location
from ...model.quantity import format_decimal, parse_quantity
from ...model.text import squash
from ...vocabulary.table_catalog import UNKNOWN
from ..base import CheckKind, Context, find_row, say, summed_top_rows
from ..common import compiled, empty_note, has_figures, narrative_explanation, norm, outline, phrases, validate_problem

EMPTY_PROBLEMS = ("unexplained", "note_mismatch", "amount_elsewhere")
AMOUNT_AFTER = r"(?:预算数|预算|合计|为|共计|总额|是)?[:：]?([-\d,]+(?:\.\d+)?)(万元|元)"  # default of `amount_after` in phrases.yaml


def empty_headings(ctx: Context):
    forms = set(phrases(ctx).get("form_kinds", []))
    return [h for h in outline(ctx).tables if h.kind not in forms and h.kind != UNKNOWN and (h.table is None or not has_figures(h.table))]


def amount_elsewhere(ctx: Context, heading):
    """A non-zero amount for what the empty table should show, from another table or the narrative."""
    for source in phrases(ctx).get("amount_elsewhere", {}).get(heading.kind, []):
        if "table" in source:
            found = table_amount(ctx, source)
        else:
            found = sentence_amount(ctx, str(source["sentence"]))
        if found:
            return found
    return None


def zero_elsewhere(ctx: Context, heading) -> Location | None:
    """Another table prints the empty table's amount as 0 (a unit funded by projects only: no
    基本支出 in any table): the emptiness is explained by the tables, if not in words."""
    for source in phrases(ctx).get("amount_elsewhere", {}).get(heading.kind, []):
        for table in ctx.doc.tables_of(str(source.get("table", ""))):
            key = str(source.get("column", "total"))
            if table.column(key) is None or not has_figures(table):
                continue
            side = str(source.get("side", ""))
            row = find_row(table, "total", side)
            if row is not None:
                cell = row.values.get(key)
                if cell is None or cell.quantity is None or cell.quantity.value == 0:
                    return Location(row.page, table.label, row.label, table.column(key).label)
            elif (summed := summed_top_rows(table, key, side)) is not None and summed.quantity.value == 0:
                return summed.location
    return None


def table_amount(ctx: Context, source):
    for table in ctx.doc.tables_of(str(source["table"])):
        key, side = str(source.get("column", "total")), str(source.get("side", ""))
        if table.column(key) is None:
            continue
        row = find_row(table, "total", side)
        rows = [row] if row is not None and row.values.get(key) and row.values[key].quantity else [r for r in table.rows_on(side) if len(r.code) == 3]
        values = [r.values[key].quantity for r in rows if r.values.get(key) and r.values[key].quantity is not None]
        total = sum((q.value for q in values), Decimal(0))
        if total != 0:
            where = rows[0]
            return f"{format_decimal(total)}{table.unit}", Location(where.page, table.label, where.label if len(rows) == 1 else "", table.column(key).label)
    return None


def sentence_amount(ctx: Context, phrase: str):
    pattern = compiled(re.escape(squash(phrase)) + str(phrases(ctx).get("amount_after") or AMOUNT_AFTER))
    for sentence in ctx.doc.sentences:
        match = pattern.search(squash(sentence.text))
        if match and (q := parse_quantity(match.group(1), match.group(2))) is not None and q.value != 0:
            return f"{match.group(1)}{match.group(2)}", Location(sentence.page, text=sentence.text, row=sentence.section)
    return None


def note_mismatch(ctx: Context, heading, note: str) -> str:
    subjects = phrases(ctx).get("note_subjects", {})
    if any(s in note and s in squash(t) for s in subjects for t in [heading.title] + heading.aliases):
        return ""  # the note speaks of what the table's own title names
    mentioned = [s for s in subjects if s in note]
    if mentioned and not any(heading.kind in subjects[s] for s in mentioned):
        return "、".join(mentioned)
    return ""


def heading_location(heading) -> Location:
    return Location(heading.page, f"{heading.number_text} {heading.title}".strip())


def run_empty_table(ctx: Context, rule):
    problem = rule.get("problem")
    if problem == "note_mismatch":
        yield from mismatched_notes(ctx, rule)
        return
    for heading in empty_headings(ctx):
        label = f"{heading.number_text} {heading.title}".strip()
        sibling = any(t.kind == heading.kind and t is not heading.table and has_figures(t) for t in ctx.doc.tables)
        elsewhere = None if sibling else amount_elsewhere(ctx, heading)
        note = empty_note(ctx, heading)
        if problem == "amount_elsewhere" and elsewhere:
            amount, where = elsewhere
            bare = heading.table is None and not note  # a title alone: an empty table, or one the reader could not see
            severity = "warning" if bare and rule.severity == "error" else rule.severity
            why = say(ctx, "；该表只印了标题，既无表格也无空表说明：可能是空表，也可能是表格内容未能读取，请人工核对",
                      "; only the title is printed (no grid, no empty-table note): empty, or unreadable") if bare else ""
            yield Finding(rule.id, severity, say(ctx, f"{label}（第{heading.page}页）是空表，但别处列有金额 {amount}", f"{label} (page {heading.page}) is empty, but {amount} is shown elsewhere") + why,
                          expected=amount, actual=say(ctx, "空表", "empty"), difference=amount, locations=[heading_location(heading), where], key=f"empty-elsewhere|{heading.kind}|{norm(heading.title)}")
        if problem == "unexplained" and not elsewhere and not note and not narrative_explanation(ctx, heading):
            zero = zero_elsewhere(ctx, heading)
            severity = "warning" if zero and rule.severity == "error" else rule.severity
            why = say(ctx, f"；{zero.table} 的「{zero.column}」也为 0，空表与其他表一致，只是没有文字说明", f"; {zero.table} shows 0 in {zero.column} too: the table is consistently empty, only the note is missing") if zero else ""
            yield Finding(rule.id, severity, say(ctx, f"{label}（第{heading.page}页）是空表，表下和情况说明中都没有说明原因", f"{label} (page {heading.page}) is empty and nothing explains why") + why,
                          expected=say(ctx, "空表说明", "an empty-table note"), actual=say(ctx, "无说明", "none"), locations=[heading_location(heading)], key=f"empty-unexplained|{heading.kind}|{norm(heading.title)}")


def mismatched_notes(ctx: Context, rule):
    for heading in outline(ctx).tables:
        note = empty_note(ctx, heading)
        subject = note_mismatch(ctx, heading, note) if note and heading.kind != UNKNOWN else ""
        if subject:
            label = f"{heading.number_text} {heading.title}".strip()
            yield Finding(rule.id, rule.severity, say(ctx, f"{label}的空表说明讲的是「{subject}」，与本表不符（疑为复制粘贴）", f"the empty-table note of {label} speaks of {subject}, not of this table (copy-paste?)"),
                          expected=ctx.ruleset.catalog.zh(heading.kind), actual=note, locations=[Location(heading.page, label, text=note)], key=f"empty-note|{heading.kind}|{norm(heading.title)}")


EMPTY_KINDS = {
    "empty_table": CheckKind("empty_table", "空表：须有说明、说明须相符、别处不能有金额", validate_problem(EMPTY_PROBLEMS), run_empty_table),
}
