"""Table check kinds: row_identity, hierarchy, row_sum, tie."""
from __future__ import annotations

from ...model.document import Row, Table
from ...model.findings import Skip, cell_location
from ...ruleset.loading import require, require_columns, require_table_kinds, require_type
from ...safe.errors import RuleFileError
from ...vocabulary.layout_patterns import ROW_LEVELS
from ..base import CheckKind, Context, Value, bare_name, check_sum, department_categories, describe_row, find_row, fund_scope, group_value, quantity_of, ref_value


def tables_for(ctx: Context, rule, kinds):
    kinds = kinds if isinstance(kinds, list) else [kinds]
    found = [t for t in ctx.doc.tables if t.kind in kinds]
    if not found:
        names = "、".join(ctx.ruleset.catalog.zh(k) for k in kinds)
        return [], Skip(rule.id, f"文档中没有{names} / no table of kind {', '.join(kinds)}", "missing_table")
    return found, None


# --- row_identity: on every row, total column = sum of part columns ---------

def validate_row_identity(rule, ruleset) -> None:
    require(rule, {"total", "parts"}, {"tables", "total", "parts"})
    require_type(rule, "parts", list, "a list of column keys")
    require_table_kinds(rule, ruleset, rule.get("tables"))
    require_columns(rule, ruleset, "total", rule.get("total"))
    require_columns(rule, ruleset, "parts", rule.get("parts"))


def run_row_identity(ctx: Context, rule):
    tables, skip = tables_for(ctx, rule, rule.get("tables"))
    if skip:
        yield skip
    for table in tables:
        keys = [rule.get("total")] + list(rule.get("parts"))
        missing = [k for k in keys if table.column(k) is None]
        if missing:
            yield Skip(rule.id, f"{table.label} 没有列 {', '.join(missing)} / lacks columns")
            continue
        for row in table.rows:
            yield from identity_on_row(ctx, rule, table, row)


def identity_on_row(ctx: Context, rule, table: Table, row: Row):
    total_key, part_keys = rule.get("total"), list(rule.get("parts"))
    if not any(k in row.values for k in [total_key] + part_keys):
        return
    cells = [row.values.get(k) for k in part_keys]
    if all(c is None or c.quantity is None for c in cells + [row.values.get(total_key)]):
        return
    parts = [quantity_of(c, table.unit) for c in cells]
    whole = quantity_of(row.values.get(total_key), table.unit)
    where = f"{table.label}「{describe_row(row)}」行 "
    locations = [cell_location(table, row, total_key, row.values.get(total_key))]
    locations += [cell_location(table, row, k, c) for k, c in zip(part_keys, cells)]
    finding = check_sum(ctx, rule, parts, whole, where, locations, f"{table.kind}|{row.code or bare_name(row.name)}|{total_key}")
    if finding:
        yield finding


# --- hierarchy: 类 = Σ款, 款 = Σ项, 合计 = Σ类 ----------------------------------

def validate_hierarchy(rule, ruleset) -> None:
    require(rule, {"columns"}, {"tables"})
    require_table_kinds(rule, ruleset, rule.get("tables"))
    if "columns" in rule.spec:
        require_columns(rule, ruleset, "columns", rule.get("columns"))


def amount_keys(table: Table, rule) -> list[str]:
    wanted = rule.get("columns")
    keys = [c.key for c in table.columns if c.key not in ("name", "code", "gov_code", "gov_name")]
    keys = [k for k in dict.fromkeys(keys) if is_money_column(table, k)]
    return [k for k in keys if k in wanted] if wanted else keys


def is_money_column(table: Table, key: str) -> bool:
    """A column of amounts: it holds figures and none of them is a rate (增减%)."""
    cells = [r.values[key] for r in table.rows if key in r.values and r.values[key].quantity is not None]
    column = table.column(key)
    is_rate = any(c.quantity.unit == "%" or "%" in c.text for c in cells) or bool(column and "%" in column.label)
    return bool(cells) and not is_rate


def run_hierarchy(ctx: Context, rule):
    tables, skip = tables_for(ctx, rule, rule.get("tables"))
    if skip:
        yield skip
    for table in tables:
        coded = [r for r in table.rows if r.code]
        if not coded:
            yield Skip(rule.id, f"{table.label} 没有科目编码 / has no codes")
            continue
        for key in amount_keys(table, rule):
            for block in code_blocks(coded):
                yield from hierarchy_in_column(ctx, rule, table, block, key)
            yield from total_of_categories(ctx, rule, table, coded, key)


def code_blocks(coded: list[Row]) -> list[list[Row]]:
    """Cross-classified tables repeat codes (301 under 501 and again under 505):
    a code seen before starts a new block, and each block balances on its own."""
    blocks, seen = [[]], set()
    for row in coded:
        identity = (row.side, row.code, gov_code_of(row))
        if identity in seen:
            blocks.append([])
            seen = set()
        seen.add(identity)
        blocks[-1].append(row)
    return blocks


def gov_code_of(row: Row) -> str:
    """The 政府经济科目编码 printed beside a 部门经济 code: 30101 | 50101 and 30101 | 50501 are two
    lines of one cross-classified table, not the start of a second block."""
    return row.gov_code


def children_of(parent: Row, coded: list[Row]) -> list[Row]:
    """The rows whose nearest printed ancestor is `parent`: 30101 under 301, and a 7-digit
    3010201 under 301 as well when its 款 30102 is not printed (a regional 7-digit detail: 3010201 津贴补贴, 3010202 改革性补贴)."""
    if not is_class_code(parent.code):
        return []
    present = {(r.side, r.code) for r in coded if is_class_code(r.code)}
    found = []
    for row in coded:
        if row.side != parent.side or not is_class_code(row.code) or len(row.code) <= len(parent.code) or not row.code.startswith(parent.code):
            continue
        between = range(len(parent.code) + 2, len(row.code), 2)
        if not any((row.side, row.code[:size]) in present for size in between):
            found.append(row)
    return found


def is_class_code(code: str) -> bool:
    """A 类 / 款 / 项 code (3, 5 or 7 digits), not a unit's code (125001) printed in the same column."""
    return len(code) in (3, 5, 7) and code.isdigit()


def hierarchy_in_column(ctx: Context, rule, table: Table, coded: list[Row], key: str):
    for parent in coded:
        children = children_of(parent, coded)
        if children:
            yield from sum_of_rows(ctx, rule, table, parent, children, key)


def total_of_categories(ctx: Context, rule, table: Table, coded: list[Row], key: str):
    """The 合计 row is the sum of every 3-digit 类 row (across blocks)."""
    top = [r for r in coded if len(r.code) == 3]
    total = find_row(table, "total") if top else None
    if total is not None and not total.code and top:
        yield from sum_of_rows(ctx, rule, table, total, [r for r in top if r.side == total.side], key)


def sum_of_rows(ctx: Context, rule, table: Table, whole: Row, parts: list[Row], key: str):
    cells = [p.values.get(key) for p in parts]
    target = whole.values.get(key)
    if target is None and all(c is None for c in cells):
        return
    quantities = [quantity_of(c, table.unit) for c in cells]
    label = target.column if target is not None else key
    where = f"{table.label}「{describe_row(whole)}」行「{label}」列 "
    locations = [cell_location(table, whole, key, target)] + [cell_location(table, p, key, c) for p, c in zip(parts, cells)]
    finding = check_sum(ctx, rule, quantities, quantity_of(target, table.unit), where, locations,
                        f"{table.kind}|{whole.code or bare_name(whole.name)}|{key}" + (f"|{whole.side}" if whole.side.startswith("expense") and whole.side != "expense" else ""))
    if finding:
        yield finding


# --- row_sum: a named row = the sum of other rows ---------------------------

def validate_row_sum(rule, ruleset) -> None:
    require(rule, {"side", "total", "parts", "column"}, {"tables", "total", "parts"})
    require_table_kinds(rule, ruleset, rule.get("tables"))
    if rule.get("parts") != "numbered" and not isinstance(rule.get("parts"), list):
        raise RuleFileError(str(rule.path), rule.line("parts"), "`parts` 应为行名列表或 numbered / must be a list of row names or `numbered`")
    require_columns(rule, ruleset, "column", rule.get("column", "total"))


def run_row_sum(ctx: Context, rule):
    tables, skip = tables_for(ctx, rule, rule.get("tables"))
    if skip:
        yield skip
    key, sides = rule.get("column", "total"), rule.get("side", "")
    for table, side in [(t, side) for t in tables for side in (sides if isinstance(sides, list) else [sides])]:
        if isinstance(sides, list) and not table.rows_on(side):
            continue  # one of several blocks this table does not print (expense2: a second classification)
        whole = find_row(table, rule.get("total"), side)
        parts = numbered_rows(table, side, whole, key) if rule.get("parts") == "numbered" else [find_row(table, p, side) for p in rule.get("parts")]
        if whole is None or not parts or any(p is None for p in parts):
            yield Skip(rule.id, f"{table.label} 找不到所需的行 / rows not found: {rule.get('total')}")
            continue
        if not any(p.values.get(key) is not None and p.values[key].quantity is not None for p in parts):
            yield Skip(rule.id, f"{table.label} 各组成行都没有数字，表式不同 / the part rows carry no figures")
            continue
        yield from sum_of_rows(ctx, rule, table, whole, parts, key)


_LEVELS = ROW_LEVELS  # outline levels of numbered lines, outermost first (vocabulary/layout_patterns.py)


def level_of(row: Row) -> int | None:
    name = row.name.replace(" ", "")
    return next((i for i, pattern in enumerate(_LEVELS) if pattern.match(name)), None)


def numbered_rows(table: Table, side: str, whole: Row | None, key: str = "total") -> list[Row]:
    """The numbered lines a total is made of: the outermost numbered lines before 本年收入合计
    (一、二、…), or, when the total is itself a numbered line (一、本年收入), the lines under it.
    A line printed without an amount stands for the lines under it (汉中: 一、部门预算 blank,
    1、… 5、 below it; 2、专项业务经费支出 blank, (1)…(10) below it)."""
    rows = table.rows_on(side)
    if whole is not None and level_of(whole) is not None:
        return expand(children(rows, rows.index(whole), len(rows)), rows, key, len(rows))
    stop = next((i for i, r in enumerate(rows) if r is whole), len(rows))
    lines = [i for i in range(stop) if level_of(rows[i]) is not None]
    top = min((level_of(rows[i]) for i in lines), default=None)
    return expand([i for i in lines if level_of(rows[i]) == top], rows, key, stop)


def children(rows: list[Row], index: int, stop: int) -> list[int]:
    """Indexes of the numbered lines one level under rows[index], up to its next sibling (never past `stop`)."""
    level = level_of(rows[index])
    found, child_level = [], None
    for i in range(index + 1, stop):
        current = level_of(rows[i])
        if current is None:
            if rows[i].is_total:
                break
            continue
        if current <= level:
            break
        child_level = current if child_level is None else child_level
        if current == child_level:
            found.append(i)
    return found


def expand(indexes: list[int], rows: list[Row], key: str, stop: int) -> list[Row]:
    out = []
    for i in indexes:
        cell = rows[i].values.get(key)
        below = children(rows, i, stop) if cell is None or cell.quantity is None else []
        out += expand(below, rows, key, stop) if below else [rows[i]]
    return out


# --- tie: a value in one table against another (equal or bounded) -----------

REF_KEYS = {"table", "side", "row", "column"}


def validate_tie(rule, ruleset) -> None:
    require(rule, {"left", "right", "compare", "per", "when_less", "scope", "scoped"}, {"left", "right"})
    if rule.get("scope") not in (None, "same"):
        raise RuleFileError(str(rule.path), rule.line("scope"), "`scope` 只能是 same / must be `same`")
    scoped = rule.get("scoped") or {}
    if not isinstance(scoped, dict):
        raise RuleFileError(str(rule.path), rule.line("scoped"), "`scoped` 应为 资金口径 → 引用 / must map a fund scope to a reference")
    for name in ("left", "right", *(f"scoped.{k}" for k in scoped)):
        ref = rule.get(name) if "." not in name else scoped[name.split(".", 1)[1]]
        if not isinstance(ref, dict) or "table" not in ref:
            raise RuleFileError(str(rule.path), rule.line(name), f"`{name}` 需要 table / needs `table`, `row`, `column`")
        for key in ref:
            if key not in REF_KEYS:
                raise RuleFileError(str(rule.path), ref.line_of(key), f"unknown key `{key}` (allowed: {', '.join(sorted(REF_KEYS))})")
        require_table_kinds(rule, ruleset, ref["table"])
        require_columns(rule, ruleset, name, ref.get("column", "total"))
    if rule.get("compare", "equal") not in ("equal", "at_most"):
        raise RuleFileError(str(rule.path), rule.line("compare"), "`compare` 应为 equal 或 at_most")
    if rule.get("per") not in (None, "category"):
        raise RuleFileError(str(rule.path), rule.line("per"), "`per` 只能是 category")


def run_tie(ctx: Context, rule):
    left_ref, right_ref = rule.get("left"), rule.get("right")
    lefts, skip = tables_for(ctx, rule, left_ref["table"])
    rights, skip2 = tables_for(ctx, rule, right_ref["table"])
    if skip or skip2:
        yield skip or skip2
        return
    if rule.get("scope") != "same":
        yield from tie_tables(ctx, rule, (lefts[0], left_ref), (rights[0], right_ref))
        return
    for left in lefts:
        right = same_scope(ctx, rule, left, rights, right_ref)
        if right is None:
            yield Skip(rule.id, f"{left.label} 的资金口径（{fund_scope(left)}）在文档中没有同口径的对应表，不比较 / no table of the same fund scope to tie with")
            continue
        yield from tie_tables(ctx, rule, (left, left_ref), right)


def same_scope(ctx: Context, rule, left: Table, rights: list[Table], right_ref):
    """The table (and reference) of the left table's fund scope: a right-hand table whose title names
    the same scope, or the table the rule's `scoped:` names for that scope (一般公共预算项目支出表 →
    the 一般公共预算支出表's 项目支出 column); None when the document prints neither."""
    scope = fund_scope(left)
    match = next((t for t in rights if fund_scope(t) == scope), None)
    if match is not None:
        return match, right_ref
    ref = (rule.get("scoped") or {}).get(scope)
    if ref is None:
        return None
    candidates = [t for t in ctx.doc.tables if t.kind == ref["table"] and fund_scope(t) in (scope, "")]
    return (candidates[0], ref) if candidates else None


def tie_tables(ctx: Context, rule, left_side, right_side):
    (left, left_ref), (right, right_ref) = left_side, right_side
    for table, ref in ((left, left_ref), (right, right_ref)):
        if table.column(ref.get("column", "total")) is None:
            yield Skip(rule.id, f"{table.label} 没有列 {ref.get('column', 'total')} / lacks column")
            return
    if rule.get("per") == "category":
        pairs = category_pairs(left, right, left_ref, right_ref)
    else:
        pairs = [(ref_value(left, left_ref), ref_value(right, right_ref))]
    for left_value, right_value in pairs:
        if left_value is None or right_value is None:
            yield Skip(rule.id, f"{left.label} / {right.label} 找不到对应的行 / matching row not found")
            continue
        yield from tie_values(ctx, rule, (left, left_value, left_ref.get("column", "total")), (right, right_value, right_ref.get("column", "total")))


def category_pairs(left: Table, right: Table, left_ref, right_ref) -> list[tuple[Value, Value]]:
    """The 类 (3-digit) figures of two tables paired by code, or by name where one has no codes;
    each the department's figure (see department_categories)."""
    left_groups = department_categories(left, left_ref.get("side", ""))
    right_groups = department_categories(right, right_ref.get("side", ""))
    pairs = []
    for rows in left_groups:
        row = rows[0]
        match = next((g for g in right_groups if (row.code and g[0].code == row.code) or bare_name(g[0].name) == bare_name(row.name)), None)
        if match is not None:
            pairs.append((group_value(left, rows, left_ref.get("column", "total")), group_value(right, match, right_ref.get("column", "total"))))
    return pairs


def tie_values(ctx: Context, rule, left, right):
    (lt, lv, lk), (rt, rv, _) = left, right
    where = f"{lv.label}与 {rv.label}"
    key = f"{lt.kind}>{rt.kind}|{lv.key}|{lk}"
    if rule.get("compare", "equal") == "at_most":
        finding = bound(ctx, rule, lv.quantity, rv.quantity, where, [lv.location, rv.location], key)
    else:
        finding = check_sum(ctx, rule, [lv.quantity], rv.quantity, where, [lv.location, rv.location], key)
    if finding:
        yield finding


def bound(ctx: Context, rule, part, whole, where, locations, key):
    """part ≤ whole: exceeding is the rule's severity; falling short is `when_less` (or nothing)."""
    finding = check_sum(ctx, rule, [part], whole, where, locations, key)
    if finding is None:
        return None
    if part.in_unit(whole.unit) > whole.value:
        return finding
    if rule.get("when_less"):
        finding.severity = rule.get("when_less")
        return finding
    return None


TABLE_KINDS = {
    "row_identity": CheckKind("row_identity", "每一行：合计列 = 各组成列之和", validate_row_identity, run_row_identity),
    "hierarchy": CheckKind("hierarchy", "科目编码层级：类 = Σ款，款 = Σ项，合计 = Σ类", validate_hierarchy, run_hierarchy),
    "row_sum": CheckKind("row_sum", "表内某行 = 若干行之和", validate_row_sum, run_row_sum),
    "tie": CheckKind("tie", "跨表勾稽：两处数字相等或不超过", validate_tie, run_tie),
}
