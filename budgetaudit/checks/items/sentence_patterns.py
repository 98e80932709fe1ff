"""Narrative patterns read straight off the sentence text (issue 14, part 2).

- `item_amount`: a per-item paragraph names its 科目 by 类/款/项 (一般公共服务支出（类）信访事务
  （款）行政运行（项）2026年预算数为737.29万元…, or 公共安全支出（204类）司法（06款）…, or
  事业运行（2010350）136.87万元): the amount after the path is the table row of that code.
- `stated_base`: a change stated against a base the sentence also prints — 本年B万元，比上年A万元
  增加C万元: B − A = C; 上年执行数为A万元，本年预算安排B万元，比上年增加r%: r = (B − A) ÷ A, and a
  rate from a zero base is not a number.
- `part_exceeds_whole`: 其中 a part larger than its whole (设备8台，其中…15台; 支出100万元，其中…120万元).
- `text_pattern`: patterns of published text that are never right (某某, 。。), from the rule file.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ...model.findings import Finding, Location, cell_location, compare, sentence_location, tolerance_note
from ...model.quantity import NUM, Quantity, format_decimal, parse_quantity
from ...model.text import squash
from ...ruleset.loading import require
from ...safe.errors import RuleFileError
from ...vocabulary.classification_codes import Classification, classification_of, narrative_codes, normalize
from ..base import CheckKind, Context, rounding_only, say

UP = ("增加", "增长", "上升", "增幅")
DOWN = ("减少", "下降", "降低", "减幅", "下降幅度")




def quote(sentence, limit: int = 50, lang: str = "zh") -> str:
    text = squash(sentence.text)
    page = f"p.{sentence.page} " if lang == "en" else f"第{sentence.page}页"
    return f"{page}「{text[:limit]}{'…' if len(text) > limit else ''}」"


def sign_of(word: str) -> int:
    return -1 if any(word.startswith(w) for w in DOWN) else 1


# --- item_amount ---------------------------------------------------------------

_AMOUNT_AFTER = re.compile(r"^[^，。；;（(]{0,24}?(?:为|支出|安排|预算|数)?[:：]?(" + NUM + r")(万元|元)")


def resolve_path(data: Classification, found) -> list[tuple[str, int]]:
    """(code, offset after the 项/款 mention) for each 科目 path of a sentence: digits when given,
    else the names resolved level by level (类 by name, 款 among the 类's children …)."""
    out, current = [], {"类": None, "款": None}
    for code, level, printed_name, end in found:
        entry = data.get(code) if code else None
        if entry is None and not code:
            name = normalize(printed_name)
            if level == "类":
                entry = class_named(data, name)
                current = {"类": entry, "款": None}
            else:
                parent = current["类"] if level == "款" else current["款"]
                entry = child_named(data, parent, name) if parent else None
                if level == "款":
                    current["款"] = entry
        elif entry is not None and level in current:
            current[level] = entry
            if level == "类":
                current["款"] = None
        if entry is not None and len(entry.code) in (5, 7):
            out.append((entry.code, end))
    return out


def class_named(data: Classification, name: str):
    for entry in data.entries.values():
        if entry.system == "function" and len(entry.code) == 3:
            if any(name.endswith(n) or name.endswith(n.removesuffix("支出")) for n in entry.names()):
                return entry
    return None


def child_named(data: Classification, parent, name: str):
    children = [e for e in data.children(parent.code)]
    for child in children:
        if any(name.endswith(n) for n in child.names()):
            return child
    return None


def run_item_amount(ctx: Context, rule):
    data = classification_of(ctx.ruleset)
    rows = coded_rows(ctx)
    seen = set()
    for sentence in ctx.doc.sentences:
        text = squash(sentence.text)
        found = narrative_codes(text)
        if not found:
            continue
        for code, end in resolve_path(data, found):
            match = _AMOUNT_AFTER.match(text[end:])
            if not match or code not in rows:
                continue
            stated = parse_quantity(match.group(1) + match.group(2))
            if stated is None or (code, stated.value) in seen:
                continue
            seen.add((code, stated.value))
            cells = [c for c in rows[code] if c[2].quantity is not None]
            if not cells or any(compare([cell.quantity], stated).consistent for _, _, cell in cells):
                continue
            if stated.value == 0 and any(c[2].quantity is None for c in rows[code]):
                continue  # a blank cell is a zero
            table, row, cell = next(((t, r, c) for t, r, c in cells if c.column and "total" in c.column), cells[0])
            comparison = compare([cell.quantity], stated)
            entry = data.get(code)
            yield Finding(
                rule.id, "info" if rounding_only(comparison, [cell.quantity], stated) else rule.severity,
                say(ctx, f"{rule.title('zh')}：{quote(sentence)}中 {code} {entry.name if entry else ''} 为 {stated}，{table.label}「{row.label}」各列为 "
                         f"{'、'.join(str(c.quantity) for t, r, c in cells if t is table and r is row)}，没有一列相符",
                    f"{rule.title('en')}: {quote(sentence, lang='en')} states {stated} for {code}; {table.label} row {row.label} prints "
                    f"{', '.join(str(c.quantity) for t, r, c in cells if t is table and r is row)}, none of which agrees"),
                expected=str(cell.quantity), actual=str(stated), difference=comparison.text(comparison.difference),
                locations=[sentence_location(sentence), cell_location(table, row, cell.column, cell)],
                tolerance=tolerance_note(comparison, 2, ctx.lang), key=f"item|{code}|{format_decimal(stated.value)}")


def coded_rows(ctx: Context) -> dict[str, list]:
    """code → [(table, row, cell)] for every money cell of every row keyed by a 功能分类 code."""
    out: dict[str, list] = {}
    for table in ctx.doc.tables:
        for row in table.rows:
            if len(row.code) in (5, 7) and row.code.startswith("2"):
                for key, cell in row.values.items():
                    if cell.quantity is None:
                        if not cell.text.strip():
                            out.setdefault(row.code, []).append((table, row, type(cell)(cell.text, None, cell.page, key)))
                    elif cell.quantity.unit in ("", "元", "万元") and not cell.text.strip().endswith("%"):
                        quantity = cell.quantity if cell.quantity.unit else Quantity(cell.quantity.value, table.unit or "万元", cell.quantity.places)
                        out.setdefault(row.code, []).append((table, row, type(cell)(cell.text, quantity, cell.page, key)))
    return out


# --- stated_base ---------------------------------------------------------------

def amount(name: str) -> str:
    return rf"(?P<{name}>{NUM})(?P<{name}_unit>万元|元)"


_THIS_BASE_CHANGE = re.compile(
    amount("b") + r"[，,]?(?:比|较)(?P<ctx>[^，。；;]{0,30}?)(?:的|为)?" + amount("a")
    + r"[，,]?(?P<dir>增加|减少|增长|下降)(?:了)?" + amount("c"))
_BASE_THIS_RATE = re.compile(
    r"执行数?为?" + amount("a") + r"[，,][^，。；;]{0,16}?(?:安排|预算数为|预算为|预算)" + amount("b")
    + r"[，,]?(?:比|较)[^，。；;\d%]{0,24}?(?:\d{4}年[^，。；;\d%]{0,16})?(?P<dir>增加|减少|增长|下降)(?:了)?(?P<r>" + NUM + r")%")
_RATE_AFTER = re.compile(r"^[，,](?:同比)?(?P<dir>增长|下降|增幅|减幅|增加|减少)(?:为|了)?(?P<r>" + NUM + r")%")


def run_stated_base(ctx: Context, rule):
    for sentence in ctx.doc.sentences:
        text = squash(sentence.text)
        for match in _THIS_BASE_CHANGE.finditer(text):
            finding = change_finding(ctx, rule, sentence, match)
            if finding:
                yield finding
        for match in _BASE_THIS_RATE.finditer(text):
            finding = rate_from_amounts(ctx, rule, sentence, match)
            if finding:
                yield finding


def change_finding(ctx: Context, rule, sentence, match) -> Finding | None:
    this = parse_quantity(match.group("b") + match.group("b_unit"))
    base = parse_quantity(match.group("a") + match.group("a_unit"))
    change = parse_quantity(match.group("c") + match.group("c_unit"))
    if None in (this, base, change) or re.search(r"\d", re.sub(r"\d{4}年", "", match.group("ctx"))):
        return None  # 比 … A: only a year may stand between 比 and the base
    sign = sign_of(match.group("dir"))
    signed = Quantity(sign * change.value, change.unit, change.places, change.exact)
    comparison = compare([base, signed], this)
    if comparison.consistent:
        return None
    unit = comparison.unit
    expected = this.in_unit(unit) - base.in_unit(unit)
    word = match.group("dir")
    return Finding(
        rule.id, rule.severity,
        say(ctx, f"{rule.title('zh')}：{quote(sentence)}本年 {this}，上年 {base}，{word}额应为 {format_decimal(abs(expected))}{unit}，文中为 {change}",
            f"{rule.title('en')}: {quote(sentence, lang='en')} this year {this}, base {base}: the change is {format_decimal(abs(expected))}{unit}, the text says {change}"),
        expected=f"{format_decimal(abs(expected))}{unit}", actual=str(change), difference=comparison.text(comparison.difference),
        locations=[sentence_location(sentence)], tolerance=tolerance_note(comparison, 3, ctx.lang),
        key=f"base|{format_decimal(this.value)}|{format_decimal(base.value)}|{format_decimal(change.value)}")


def rate_from_amounts(ctx: Context, rule, sentence, match) -> Finding | None:
    this = parse_quantity(match.group("b") + match.group("b_unit"))
    base = parse_quantity(match.group("a") + match.group("a_unit"))
    rate = parse_quantity(match.group("r") + "%")
    if None in (this, base, rate):
        return None
    unit = "万元" if "万元" in (this.unit, base.unit) else this.unit
    b, hb = this.in_unit(unit), this.tolerance_in(unit)
    a, ha = base.in_unit(unit), base.tolerance_in(unit)
    stated = sign_of(match.group("dir")) * rate.value
    key = f"rate|{format_decimal(this.value)}|{format_decimal(base.value)}|{format_decimal(rate.value)}"
    if a - ha <= 0:
        if rate.value == 0 and b == 0:
            return None
        return Finding(
            rule.id, rule.severity,
            say(ctx, f"{rule.title('zh')}：{quote(sentence)}上年数为 {base}，以零为基数的增减率没有意义，文中为 {rate}",
                f"{rule.title('en')}: {quote(sentence, lang='en')} the base is {base}; a rate from a zero base is not a number, the text says {rate}"),
            expected="—", actual=str(rate), difference="", locations=[sentence_location(sentence)], key=key)
    low = ((b - hb) / (a + ha) - 1) * 100
    high = ((b + hb) / (a - ha) - 1) * 100
    if stated + rate.half_ulp >= low and stated - rate.half_ulp <= high:
        return None
    expected = (b / a - 1) * 100
    places = max(rate.places, 2)
    shown = format_decimal(expected.quantize(Decimal(1).scaleb(-places)))
    return Finding(
        rule.id, rule.severity,
        say(ctx, f"{rule.title('zh')}：{quote(sentence)}上年 {base}，本年 {this}，增减率应为 {shown}%，文中为 {'-' if stated < 0 else ''}{rate}",
            f"{rule.title('en')}: {quote(sentence, lang='en')} base {base}, this year {this}: the rate is {shown}%, the text says {'-' if stated < 0 else ''}{rate}"),
        expected=f"{shown}%", actual=f"{format_decimal(stated)}%", difference=f"{format_decimal((stated - expected).quantize(Decimal(1).scaleb(-places)))}%",
        locations=[sentence_location(sentence)], key=key)


# --- part_exceeds_whole ----------------------------------------------------------

COUNT_UNITS = "个|辆|台|套|人|名|项|家|次|批|处|所|张"
_WHOLE_PART = re.compile(
    r"(?P<whole>" + NUM + r")(?P<unit>万元|元|" + COUNT_UNITS + r")(?!以上|以下|以内)[^。；;\d]{0,6}?[，,：:]?其中[：:，,]?(?P<rest>[^。；;]*)")


def run_part_exceeds_whole(ctx: Context, rule):
    for sentence in ctx.doc.sentences:
        text = squash(sentence.text)
        for match in _WHOLE_PART.finditer(text):
            whole = parse_quantity(match.group("whole") + match.group("unit"))
            if whole is None:
                continue
            unit = match.group("unit")
            rest = re.split(r"[（(]", match.group("rest"))[0] if unit not in ("万元", "元") else match.group("rest")
            for part_match in re.finditer(r"(?P<n>" + NUM + r")(?P<u>万元|元|" + COUNT_UNITS + r")", rest):
                part = parse_quantity(part_match.group("n") + part_match.group("u"))
                if part is None:
                    continue
                if (unit in ("万元", "元")) != (part.unit in ("万元", "元")) or (unit not in ("万元", "元") and part.unit != unit):
                    continue
                if re.match(r"以上|以下|以内|及以上", rest[part_match.end():]):
                    continue  # a threshold (单位价值100万元以上设备), not a part
                before = rest[:part_match.start()]
                if re.search(r"比|较|增加|减少|增长|下降|上年|同比|占", before[-12:]):
                    continue  # a change or a comparison, not a part
                if part.in_unit(unit) - part.tolerance_in(unit) > whole.value + whole.half_ulp:
                    yield Finding(
                        rule.id, rule.severity,
                        say(ctx, f"{rule.title('zh')}：{quote(sentence)}总数 {whole}，其中一项为 {part}，部分大于整体",
                            f"{rule.title('en')}: {quote(sentence, lang='en')} the whole is {whole}, a part of it is {part}"),
                        expected=f"≤ {whole}", actual=str(part), difference=format_decimal(part.in_unit(unit) - whole.value) + unit,
                        locations=[sentence_location(sentence)], key=f"part|{format_decimal(whole.value)}{unit}|{format_decimal(part.value)}{part.unit}")
                    break


# --- text_pattern ----------------------------------------------------------------

def run_text_pattern(ctx: Context, rule):
    specs = [(re.compile(str(p["pattern"])), str(p.get("zh") or p["pattern"]), str(p.get("en") or p["pattern"]), [re.compile(str(n)) for n in p.get("not_if", []) or []])
             for p in rule.get("patterns", [])]
    seen = set()
    for page, where, text in texts(ctx):
        for pattern, zh, en, not_if in specs:
            match = pattern.search(text)
            if not match or any(n.search(text) for n in not_if) or (pattern.pattern, text) in seen:
                continue
            seen.add((pattern.pattern, text))
            around = text[max(0, match.start() - 15): match.end() + 15]
            yield Finding(rule.id, rule.severity,
                          say(ctx, f"{rule.title('zh')}：第{page}页{zh}「{around}」", f"{rule.title('en')}: p.{page} {en}: 「{around}」"),
                          actual=match.group(0), locations=[Location(page, row=where, text=text)], key=f"text|{zh}|{around}")


def texts(ctx: Context):
    """Printed lines as read (sentences are split at 。, so 。。 is seen only in lines), and table cells."""
    for line in ctx.doc.lines:
        yield line.page, "", squash(line.text)
    for table in ctx.doc.tables:
        for row in table.rows:
            for cell in [row.name, *(c.text for c in row.values.values())]:
                if cell and len(cell) > 1:
                    yield row.page, table.label, squash(cell)


def validate_text_pattern(rule, ruleset) -> None:
    require(rule, {"patterns"}, {"patterns"})
    patterns = rule.get("patterns")
    if not isinstance(patterns, list) or not patterns:
        raise RuleFileError(str(rule.path), rule.line("patterns"), "patterns 应为 {pattern, zh, en} 的列表 / patterns must be a list of {pattern, zh, en}")
    for spec in patterns:
        if not isinstance(spec, dict) or "pattern" not in spec:
            raise RuleFileError(str(rule.path), rule.line("patterns"), "每个 pattern 需要 `pattern:` / every entry needs a `pattern:`")
        try:
            re.compile(str(spec["pattern"]))
            for n in spec.get("not_if", []) or []:
                re.compile(str(n))
        except re.error as exc:
            raise RuleFileError(str(rule.path), getattr(spec, "line", rule.line("patterns")), f"正则表达式错误 / bad regular expression: {exc}") from exc


def no_keys(rule, ruleset) -> None:
    require(rule, set(), set())


ITEM_KINDS = {
    "item_amount": CheckKind("item_amount", "说明中按类/款/项列示的金额 = 表中该科目编码的行", no_keys, run_item_amount),
    "stated_base": CheckKind("stated_base", "本年数 − 文中的上年数 = 增减额；增减率 = (本年 − 上年) ÷ 上年，上年为 0 时无增减率", no_keys, run_stated_base),
    "part_exceeds_whole": CheckKind("part_exceeds_whole", "其中的一部分不大于整体（金额与数量）", no_keys, run_part_exceeds_whole),
    "text_pattern": CheckKind("text_pattern", "发布文本中不应出现的写法（占位符、重复标点），模式写在规则文件里", validate_text_pattern, run_text_pattern),
}
