"""Check kinds over form-like tables (绩效目标表): amounts read next to a label
cell rather than from a column.

- `project_amounts`: each project of the 项目支出表 = the same project's amount
  in its 绩效目标表 (names matched tolerantly, 元 vs 万元 converted).
- `form_tie`: the amounts a form lists beside a label (整体绩效目标表:
  基本支出人员经费…) add up to a value of another table.
"""
from __future__ import annotations

from dataclasses import dataclass

from ...model.document import Table
from ...model.findings import Location, Skip, cell_location, compare
from ...model.quantity import Quantity, parse_quantity
from ...model.text import squash
from ...ruleset.loading import require, require_columns, require_table_kinds
from ...safe.errors import RuleFileError
from ...vocabulary.layout_patterns import TRAILING_QUALIFIER, UNIT_IN_LABEL
from ..base import CheckKind, Context, check_sum, describe_row, entity_blocks, quantity_of, ref_value, say, summed
from ..common import compare_names, grid_row_page, label_values, name_core, phrases

_UNIT_IN_LABEL = UNIT_IN_LABEL


@dataclass
class FormAmount:
    label: str
    quantity: Quantity
    location: Location


def form_unit(table: Table, row: list[str]) -> str:
    """The unit a label row names (项目资金(元), 预算资金情况（万元）), else the table's."""
    for cell in row:
        found = _UNIT_IN_LABEL.search(cell or "")
        if found:
            return found.group(1)
    return table.unit or "万元"


def amount_after(table: Table, row: list[str], start: int) -> Quantity | None:
    """The first figure right of column `start` in a grid row."""
    unit = form_unit(table, row)
    for cell in row[start + 1:]:
        text = squash(cell)
        if not text:
            continue
        quantity = parse_quantity(text, unit)
        if quantity is not None and quantity.unit in ("元", "万元"):
            return quantity
    return None


def labelled_amounts(table: Table, matches) -> list[FormAmount]:
    """The amount right of every label cell for which `matches(label)` holds (实施期资金总额 | 26,000 | 年度资金总额 | 26,000: both)."""
    found = []
    for r, row in enumerate(table.grid):
        for c, cell in enumerate(row):
            label = squash(cell)
            if label and matches(label):
                quantity = amount_after(table, row, c)
                if quantity is not None:
                    found.append(FormAmount(label, quantity, Location(grid_row_page(table, r), table.label, label)))
    return found


# --- project_amounts ---------------------------------------------------------

def validate_project_amounts(rule, ruleset) -> None:
    require(rule, {"projects", "forms", "column"}, {"projects", "forms"})
    require_table_kinds(rule, ruleset, rule.get("projects"))
    require_table_kinds(rule, ruleset, rule.get("forms"))
    require_columns(rule, ruleset, "column", rule.get("column", "total"))
    if not (ruleset.phrases or {}).get("project_amount_labels"):
        raise RuleFileError(str(rule.path), rule.line("forms"), "phrases.yaml 需要 project_amount_labels / phrases.yaml needs project_amount_labels")


def form_projects(ctx: Context, kinds: list[str]) -> list[tuple[str, FormAmount]]:
    """(project name, amount) of every project form, the first amount label in
    `project_amount_labels` order that the form fills (年度资金总额 before 实施期资金总额)."""
    p = phrases(ctx)
    name_labels = {squash(str(l)) for l in p.get("project_labels", [])}
    amount_labels = [squash(str(l)) for l in p.get("project_amount_labels", [])]
    found, seen = [], set()
    for table in (t for t in ctx.doc.tables if t.kind in kinds):
        names = [value for _, value in label_values(table, name_labels)]
        amounts = labelled_amounts(table, lambda label: any(label.startswith(a) for a in amount_labels))
        if not names or not amounts:
            continue
        amounts.sort(key=lambda a: next(i for i, l in enumerate(amount_labels) if a.label.startswith(l)))
        if name_core(names[0]) not in seen:  # a form continued on the next page repeats its name
            seen.add(name_core(names[0]))
            found.append((names[0], amounts[0]))
    return found


def run_project_amounts(ctx: Context, rule):
    project_tables = [t for t in ctx.doc.tables if t.kind in as_list(rule.get("projects"))]
    forms = form_projects(ctx, as_list(rule.get("forms")))
    if not project_tables or not forms:
        yield Skip(rule.id, "需要项目支出表和填有金额的绩效目标表 / needs a project table and project forms with amounts", "missing_table")
        return
    key = rule.get("column", "total")
    grouped = project_rows_by_name(project_tables, key)
    combined = {id(form): listed_projects(ctx, form[0], grouped) for form in forms}
    combined = {k: names for k, names in combined.items() if len(names) > 1}
    for form in forms:
        if id(form) in combined:
            finding = combined_finding(ctx, rule, grouped, form, combined[id(form)], key)
            if finding:
                yield finding
    single_forms = [f for f in forms if id(f) not in combined]
    for name, rows in grouped.items():  # a project's own form, when it has one besides a combined form
        form = matching_form(ctx, rows[0][1].name, [f for f in single_forms if name_core(f[0]) == name or name_core(f[0]) not in grouped])
        if form is None:
            continue
        finding = project_finding(ctx, rule, rows, form, key)
        if finding:
            yield finding


def listed_projects(ctx: Context, text: str, grouped: dict, separators: tuple[str, ...] | None = None) -> list[str | None]:
    """The listed projects a form's name is made of: one name when it names one project; for a form
    filled once for several projects (社科普及专项经费、供暖锅炉运行专项经费…; 运行保障费及转制经费项目)
    each part's project, None for a part that names no listed project."""
    if separators is None:
        separators = tuple(str(s) for s in phrases(ctx).get("project_list_separators", []))
    if name_core(text) in grouped:
        return [name_core(text)]
    for index, separator in enumerate(separators):
        pieces = [p for p in text.split(separator) if name_core(p)]
        if len(pieces) > 1:
            found = [n for p in pieces for n in listed_projects(ctx, p, grouped, separators[index + 1:])]
            return list(dict.fromkeys(found)) if any(found) else [None]
    return [None]


def combined_finding(ctx: Context, rule, grouped: dict, form, names: list[str | None], key: str):
    """A form filled once for several projects states their sum. Where a part of its name names no
    listed project, the sum is not known: a warning naming that part, unless the projects found
    already make the form's amount."""
    label, amount = form
    found = [name for name in grouped if name in names]  # in the project table's order
    rows = [pair for name in found for pair in grouped[name]]
    quantities = [quantity_of(row.values[key], table.unit) for table, row in rows]
    table, first = rows[0]
    where = (f"{table.label}「{'、'.join(grouped[n][0][1].name for n in found)}」（共 {len(rows)} 行）"
             f"与绩效目标表「{label}」{amount.label} ")
    locations = [cell_location(t, r, key, r.values[key]) for t, r in rows] + [amount.location]
    finding = check_sum(ctx, rule, [amount.quantity], summed(quantities, quantities[0].unit), where, locations,
                        f"project-amount|{name_core(first.name)}")
    if finding is None or None not in names:
        return finding
    missing = "、".join(p for p in unmatched_parts(ctx, label, grouped))
    finding.severity = "warning"
    finding.message += say(ctx, f"（绩效目标表合并填报多个项目，其中「{missing}」在项目支出表中找不到对应项目，合计未能确定）",
                           f" (the form covers several projects; {missing} matches no project of the project table, so their sum is uncertain)")
    return finding


def unmatched_parts(ctx: Context, text: str, grouped: dict, separators: tuple[str, ...] | None = None) -> list[str]:
    """The parts of a combined form's name that name no listed project."""
    if separators is None:
        separators = tuple(str(s) for s in phrases(ctx).get("project_list_separators", []))
    if name_core(text) in grouped:
        return []
    for index, separator in enumerate(separators):
        pieces = [p for p in text.split(separator) if name_core(p)]
        if len(pieces) > 1 and any(listed_projects(ctx, p, grouped, separators[index + 1:]) != [None] for p in pieces):
            return [m for p in pieces for m in unmatched_parts(ctx, p, grouped, separators[index + 1:])]
    return [text]


def project_rows_by_name(tables: list[Table], key: str) -> dict[str, list]:
    """(table, row) of every project with an amount, grouped by name: a project may be listed
    once per unit (two rows 实施公车统管费用 5.00 and 1.00). A row printed right under a project
    with the project's name and a qualifier (X（结转）, X（省级）) is a part of it as well: the
    project's form may state the amount of every part."""
    grouped: dict[str, list] = {}
    for table in tables:
        above = ""
        for row in table.rows:
            cell = row.values.get(key)
            if not (row.name and cell is not None and cell.quantity is not None and not row.is_total):
                continue
            name, base = name_core(row.name), name_core(TRAILING_QUALIFIER.sub("", row.name.strip()))
            grouped.setdefault(name, []).append((table, row))
            if base != name and base == above:
                grouped[base].append((table, row))
            else:
                above = name
    return grouped


def project_finding(ctx: Context, rule, rows: list, form, key: str):
    """A finding when the form's amount equals neither one of the project's rows nor their sum."""
    name, amount = form
    candidates = [[quantity_of(row.values[key], table.unit)] for table, row in rows]
    if len(rows) > 1:
        candidates.append([q for qs in candidates for q in qs])
    outer = outermost(rows, key)
    if 1 < len(outer) < len(rows):
        candidates.append([quantity_of(row.values[key], table.unit) for table, row in outer])
    findings = []
    for quantities in candidates:
        table, row = rows[0]
        where = f"{table.label}「{describe_row(row)}」{'（共 ' + str(len(quantities)) + ' 行）' if len(quantities) > 1 else ''}与绩效目标表「{name}」{amount.label} "
        locations = [cell_location(t, r, key, r.values[key]) for t, r in rows] + [amount.location]
        finding = check_sum(ctx, rule, [amount.quantity], summed(quantities, quantities[0].unit), where, locations, f"project-amount|{name_core(row.name)}")
        if finding is None:
            return None
        findings.append(finding)
    return across_units(ctx, rows, findings, amount.quantity, key)


def across_units(ctx: Context, rows: list, findings: list, amount: Quantity, key: str):
    """A project listed under several units of a table grouped by unit is compared as the sum over
    the units. Its form may be the department's and cover units' rows the name does not reveal, so
    an unexplained gap is a reading question (warning) — unless the form's amount is another listed
    project's amount: then the form is that project's, printed under this name (an error)."""
    units = {unit for table, row in rows if (unit := unit_of(table, row))}
    if len(units) < 2:
        return findings[0]
    finding = findings[len(rows)]
    finding.message += say(ctx, f"（该项目在 {len(units)} 个单位下列示，已与各单位之和比较）", f" (listed under {len(units)} units: compared with their sum)")
    if finding.severity != "error":
        return finding
    other = project_of_amount(rows, amount, key)
    if other is not None:
        finding.message += say(ctx, f"；该金额正是另一项目「{describe_row(other)}」的金额，目标表可能误用了项目名称",
                               f"; the amount is project 「{describe_row(other)}」's: the form may carry the wrong name")
        return finding
    finding.severity = "warning"
    finding.message += say(ctx, "；绩效目标表覆盖哪些单位的哪些行无法确定", "; which units' rows the form covers is uncertain")
    return finding


def project_of_amount(rows: list, amount: Quantity, key: str):
    """Another project row of the table whose amount is the form's amount."""
    table = rows[0][0]
    listed = {id(row) for _, row in rows}
    for row in table.rows:
        cell = row.values.get(key)
        if id(row) in listed or row.is_total or cell is None or cell.quantity is None:
            continue
        if compare([cell.quantity], amount).consistent:
            return row
    return None


def unit_of(table: Table, row) -> str:
    """The unit block (entity_blocks) a row sits in; "" in a table not grouped by unit or in the department's own block."""
    blocks = entity_blocks(table)
    return next((name for i, (name, rows) in enumerate(blocks) if i and any(r is row for r in rows)), "")


def outermost(rows: list, key: str) -> list:
    """The rows of a name leaving out each one printed right under a row of the same name with
    no smaller amount: a heading repeated as its own first sub-level (a table grouped by unit:
    专用项目 516,183,313 › 专用项目 87,147,143 › projects). The form of a heading listed under
    several units states the sum of its outermost rows."""
    same = {id(row) for _, row in rows}
    kept = []
    for table, row in rows:
        listed = table.rows_on(row.side)
        position = listed.index(row)
        above = listed[position - 1] if position else None
        if above is not None and id(above) in same and not larger(row.values[key], above.values[key], table.unit):
            continue
        kept.append((table, row))
    return kept


def larger(cell, other, unit: str) -> bool:
    return quantity_of(cell, unit).value > quantity_of(other, unit).value


def matching_form(ctx: Context, name: str, forms: list[tuple[str, FormAmount]]):
    """The form of the same project: the same name, or a variant (招投标 / 招标投标), never a different one
    (百兆 / 千兆). The caller leaves out forms that carry another listed project's exact name."""
    exact = next((f for f in forms if name_core(f[0]) == name_core(name)), None)
    if exact:
        return exact
    return next((f for f in forms if compare_names(ctx, name, f[0])[0] == "variant"), None)


def as_list(value) -> list[str]:
    return value if isinstance(value, list) else [value]


# --- form_tie ----------------------------------------------------------------

def validate_form_tie(rule, ruleset) -> None:
    require(rule, {"form", "right"}, {"form", "right"})
    form, right = rule.get("form"), rule.get("right")
    if not isinstance(form, dict) or not {"table", "label"} <= set(form):
        raise RuleFileError(str(rule.path), rule.line("form"), "`form` 需要 table 和 label / needs `table` and `label`")
    if not isinstance(right, dict) or "table" not in right:
        raise RuleFileError(str(rule.path), rule.line("right"), "`right` 需要 table、row、column / needs `table`, `row`, `column`")
    require_table_kinds(rule, ruleset, form["table"])
    require_table_kinds(rule, ruleset, right["table"])
    require_columns(rule, ruleset, "right", right.get("column", "total"))


def run_form_tie(ctx: Context, rule):
    form, right = rule.get("form"), rule.get("right")
    forms = [t for t in ctx.doc.tables if t.kind in as_list(form["table"])]
    targets = [t for t in ctx.doc.tables if t.kind in as_list(right["table"])]
    if not forms or not targets:
        yield Skip(rule.id, "文档中没有所需的表 / a table is missing", "missing_table")
        return
    labels = [squash(str(l)) for l in as_list(form["label"])]
    joiners = tuple(str(w) for w in phrases(ctx).get("joint_label_words", []) or [])
    amounts = [a for t in forms for a in labelled_amounts(t, lambda label: any(names_alone(label, l, joiners) for l in labels) and "合计" not in label)]
    column = right.get("column", "total")
    target = ref_value(targets[0], right) if targets[0].column(column) is not None else None
    if not amounts or target is None:
        yield Skip(rule.id, f"未找到「{'、'.join(labels)}」的金额或对应的表格数字 / amounts or target not found")
        return
    where = f"{forms[0].label}「{'、'.join(labels)}」各项之和 与 {target.label}「{target.location.column or column}」 "
    finding = check_sum(ctx, rule, [a.quantity for a in amounts], target.quantity, where, [target.location] + [a.location for a in amounts],
                        f"form>{targets[0].kind}|{'+'.join(labels)}|{right.get('column', 'total')}")
    if finding:
        yield finding


def names_alone(label: str, word: str, joiners: tuple[str, ...]) -> bool:
    """The label names the word's amount alone: 「人员经费及单位运转经费 2,080.76」 is a joint
    amount (人员 + 公用), not the 人员经费 a tie compares."""
    at = label.find(word)
    return at >= 0 and not label[at + len(word):].startswith(joiners) and not label[:at].endswith(joiners)


FORM_KINDS = {
    "project_amounts": CheckKind("project_amounts", "项目支出表各项目 = 绩效目标表中同一项目的金额", validate_project_amounts, run_project_amounts),
    "form_tie": CheckKind("form_tie", "表单（绩效目标表）中某标签的金额之和 = 另一表的数字", validate_form_tie, run_form_tie),
}
