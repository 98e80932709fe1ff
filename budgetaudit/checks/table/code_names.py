"""Check kinds over the names tables print beside codes.

- `code_names`: a 科目编码 printed in several tables carries the same name in each
  (表3「201 一般公共服务支出」but 表5「201 社会保障和就业支出」: one of them was renamed
  or the row was pasted under the wrong code).
"""
from __future__ import annotations

from ...model.findings import Finding, cell_location
from ...ruleset.loading import require, require_table_kinds
from ...vocabulary.layout_patterns import COST_SUFFIX
from ..base import CheckKind, Context, bare_name

_SUFFIX = COST_SUFFIX


def validate_code_names(rule, ruleset) -> None:
    require(rule, {"tables", "code_lengths"}, set())
    if rule.get("tables"):
        require_table_kinds(rule, ruleset, rule.get("tables"))


def name_key(name: str) -> str:
    """A name as compared: no ordinal, spaces, brackets style or trailing 支出."""
    return _SUFFIX.sub("", bare_name(name).replace("、", ""))


def run_code_names(ctx: Context, rule):
    kinds = rule.get("tables")
    lengths = set(rule.get("code_lengths") or [3])
    seen: dict[str, dict[str, list]] = {}
    for table in ctx.doc.tables:
        if kinds and table.kind not in kinds:
            continue
        for row in table.rows:
            if len(row.code) in lengths and row.name and len(name_key(row.name)) >= 2:
                names = seen.setdefault(row.code, {})
                names.setdefault(name_key(row.name), []).append((table, row))
    for code, names in seen.items():
        if len(names) < 2:
            continue
        # the name most tables print is the reference (a tie: the earlier table's); the others are reported
        ranked = sorted(names.items(), key=lambda item: (-len({id(t) for t, _ in item[1]}), item[1][0][0].id))
        reference, (ref_table, ref_row) = ranked[0][0], ranked[0][1][0]
        for key, rows in ranked[1:]:
            if key in reference or reference in key:
                continue  # one name shortened (公共安全 / 公共安全支出 / 公共安全支出合计)
            table, row = rows[0]
            where = "、".join(dict.fromkeys(t.label for t, _ in rows))
            text = (f"{rule.title('en')}: code {code} is {row.name} in {where} but {ref_row.name} in {ref_table.label}" if ctx.lang == "en"
                    else f"{rule.title('zh')}：科目编码 {code} 在{where}中为「{row.name}」，在{ref_table.label}中为「{ref_row.name}」")
            locations = [cell_location(t, r, "name") for t, r in rows] + [cell_location(ref_table, ref_row, "name")]
            difference = "names differ" if ctx.lang == "en" else "名称不同"
            basis = ("names compared without spaces, ordinals and a trailing 支出; a shortened name is the same" if ctx.lang == "en"
                     else "名称比较时去掉空格、序号和末尾的“支出”，简写不算不同")
            yield Finding(rule.id, rule.severity, text, ref_row.name, row.name, difference, locations, basis, key=f"code-name|{code}|{key}")


NAME_KINDS = {
    "code_names": CheckKind("code_names", "同一科目编码在各表中的名称相同", validate_code_names, run_code_names),
}
