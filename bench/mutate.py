"""Mutation benchmark: single injected errors in the parsed document model, and
whether the rules find them.

    python bench/mutate.py                         # ../shared/real and samples/, 4 mutations per class and document
    python bench/mutate.py --per-class 2 --docs 5  # a quick run: the first 5 documents of each folder
    python bench/mutate.py --only dashuju --only 部门决算 --seed 7
    python bench/mutate.py samples/x.pdf other/    # any PDFs or folders
    python bench/mutate.py --layouts               # layout invariance: every seed in every layout of samples/build.py

Each document is parsed once (cached under $BUDGETAUDIT_CACHE/mutate or
~/.cache/budgetaudit/mutate, keyed by file hash and parser version), checked
once unmutated (the baseline), and then, for every mutation, deep-copied,
changed in one place and checked again. Mutations are drawn with
random.Random(f"{seed}:{file name}"), so a document gets the same mutations
whatever other documents or options are given.

What is changed (the printed text always stays consistent with the value:
a cell's text, its Decimal quantity and the table grid change together; a
narrative line changes and the sentences are split again from the narrative
lines, exactly as ingest splits them):

  table.detail     a detail cell (a 项 row or an uncoded row), one digit changed
  table.total      a cell of a 合计/小计/总计 row, one digit changed
  table.category   a cell of a 类 or 款 row (3- or 5-digit code), one digit changed
  table.swap       any amount cell, two adjacent different digits swapped
  table.shift      any amount cell, the decimal point shifted one place
  table.sign       any amount cell, the sign flipped
  table.project    a project's amount in the 项目支出表, one digit changed
  form.project     a project's amount in its 绩效目标表 (年度资金总额 …), one digit changed
  narr.amount      a narrative money amount naming a known concept, one digit changed
  narr.rate        a growth rate (增长/减少 x%), one digit changed
  narr.share       a share (占 x%), one digit changed
  narr.count       a count (x个, x辆 …), one digit changed
  narr.part        one part of a 其中 list, one digit changed
  narr.unit        a 元/万元 slip: 万元 printed as 元 (or 元 as 万元) after an amount
  text.remnant     a template instruction inserted after a sentence (请根据实际情况填写 …)
  text.placeholder a narrative amount replaced by XX / ×× (XX万元)
  text.draft       a draft mark (征求意见稿, 送审稿 …) added to a line
  text.year        the budget year in a body sentence (not on the cover) replaced by the year before
  text.category    a 类 row renamed (another 类's name, code unchanged) in one table

Definitions:

- detected: the mutated document has a finding at warning or above that the
  unmutated one does not have (by fingerprint: rule, key, expected, actual)
  and one of whose locations names the mutated cell (page, table, row and
  column of the cell; for a form amount, its label) or sentence (the
  location's text is, contains or is contained in a sentence or line the
  mutation changed, or contains the inserted text).
- false: every other new finding at warning or above (it names some other
  place); reported as the number of findings and of mutations that caused any.
- detectable, table and form cells: some rule compared the cell in the
  unmutated document (every comparison goes through checks.base.check_sum
  with the locations of all cells it adds up; this script records them), and
  the change is larger than the rounding tolerance of the tightest such
  comparison (an error within ± n half-digits is indistinguishable from
  rounding by construction).
- detectable, narrative figures ("tied"): an amount that N-COV counts as
  checked (its concept resolves to a table value) or that is the whole or a
  part of a 其中 list with a stated whole, or stated twice; a rate with its
  change and amount (N-RATE) and a share whose whole is found (N-SHARE), changed to a value outside
  the interval the printed amounts allow; a count
  in a counted list of two or more parts, none left unnamed (共5辆，其中：…2辆、…3辆; not …等); a part
  of a 其中 list whose whole is stated and whose parts are all named. As for cells, the change must
  exceed the rounding tolerance of the comparison (a list with 0万元 among its parts is good to ±0.5万元).
- detectable, text: every placed text mutation, except text.year (only a
  year in a phrase the rules read as the budget year: P-ID-002's 2025年部门预算,
  2025年一般公共预算支出…, or a year N-YEAR-001 reads as naming this budget,
  not 比2024年…, a date or a cited document) and text.category (only when the
  same code is printed in another table with the original name).

A file read as not a budget disclosure (R-READ-005: a notice or a regulation filed
under 部门预算) gets no mutations: only the reading rules run on it.

Targets (issue 13): table and form classes ≥ 95 % of detectable, narrative
classes ≥ 90 % of detectable, text classes ≥ 95 % of all mutations made.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import os
import pickle
import random
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "samples"))

import docx_route  # noqa: E402  (samples/docx_route.py: the second producer route)

from budgetaudit.checks import base as checks_base  # noqa: E402
from budgetaudit.checks import load_rules  # noqa: E402
from budgetaudit.checks.base import Context  # noqa: E402
from budgetaudit.checks.common import phrases  # noqa: E402
from budgetaudit.checks.narrative.shared import checked, narrative_of, whole_of_share  # noqa: E402
from budgetaudit.ingest import assemble  # noqa: E402
from budgetaudit.ingest.doctype import is_disclosure, signature_list  # noqa: E402
from budgetaudit.ingest.facts import clean  # noqa: E402
from budgetaudit.model.findings import RANK, compare  # noqa: E402
from budgetaudit.model.quantity import MONEY_UNITS, parse_quantity  # noqa: E402
from budgetaudit.model.text import squash  # noqa: E402
from budgetaudit.run.cache import catalog_hash, parser_version  # noqa: E402
from budgetaudit.run.engine import run_rules  # noqa: E402
from budgetaudit.safe.errors import BudgetAuditError  # noqa: E402

TABLE_CLASSES = ("table.detail", "table.total", "table.category", "table.swap", "table.shift", "table.sign", "table.project", "form.project")
NARRATIVE_CLASSES = ("narr.amount", "narr.rate", "narr.share", "narr.count", "narr.part", "narr.unit")
TEXT_CLASSES = ("text.remnant", "text.placeholder", "text.draft", "text.year", "text.category")
CLASSES = TABLE_CLASSES + NARRATIVE_CLASSES + TEXT_CLASSES
TARGET = {**{c: 95 for c in TABLE_CLASSES}, **{c: 90 for c in NARRATIVE_CLASSES}, **{c: 95 for c in TEXT_CLASSES}}

REMNANTS = ["请根据实际情况填写。", "此处填写项目绩效目标。", "以下内容各部门根据实际情况说明。", "（可选择填写）", "请注意保留两位小数。"]
PLACEHOLDERS = ["XX", "××", "XXX", "xx"]
DRAFT_MARKS = ["（征求意见稿）", "（送审稿）", "（草稿）", "内部资料", "（讨论稿）"]
CATEGORY_NAMES = {
    "201": "一般公共服务支出", "204": "公共安全支出", "205": "教育支出", "206": "科学技术支出", "207": "文化旅游体育与传媒支出",
    "208": "社会保障和就业支出", "210": "卫生健康支出", "211": "节能环保支出", "212": "城乡社区支出", "213": "农林水支出",
    "214": "交通运输支出", "215": "资源勘探工业信息等支出", "216": "商业服务业等支出", "220": "自然资源海洋气象等支出",
    "221": "住房保障支出", "224": "灾害防治及应急管理支出", "229": "其他支出",
}
YEAR_CONTEXT = re.compile(r"(预算|部门|单位|收入|支出|收支|财政拨款|一般公共|政府性基金|“三公”|三公|机关运行|政府采购)")


# --- parsing, with the narrative lines ------------------------------------------------------

@dataclass
class Parsed:
    doc: object
    narrative: list[int]  # indexes into doc.lines of the lines ingest left to the narrative


def parse(path: Path, ruleset, cache: Path | None) -> Parsed:
    entry = None
    if cache is not None:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:24]
        entry = cache / f"{digest}-{parser_version()}-{catalog_hash(ruleset.catalog)}.pickle"
        if entry.is_file():
            try:
                with entry.open("rb") as handle:
                    return pickle.load(handle)
            except Exception:
                pass
    captured = {}
    original = assemble.read_outline

    def spy(doc, catalog, lines):
        captured["lines"] = lines
        return original(doc, catalog, lines)

    assemble.read_outline = spy
    try:
        doc = assemble.build_document(path, ruleset.catalog)
    finally:
        assemble.read_outline = original
    ids = {id(ln) for ln in captured.get("lines", [])}
    parsed = Parsed(doc, [i for i, ln in enumerate(doc.lines) if id(ln) in ids])
    if entry is not None:
        entry.parent.mkdir(parents=True, exist_ok=True)
        temp = entry.with_suffix(f".tmp{os.getpid()}")
        with temp.open("wb") as handle:
            pickle.dump(parsed, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, entry)
    return parsed


CATALOG: list = []  # the loaded rule set's table catalog (set in main), for reading a changed outline again


def resplit(doc, narrative: list[int]) -> None:
    """Read the outline, sections and sentences again from the changed lines, as ingest does."""
    doc.outline = assemble.read_outline(doc, CATALOG[0], [doc.lines[i] for i in narrative])


# --- what the rules compare: every check_sum call, recorded --------------------------------

class Recorder:
    """Wraps check_sum in every check module: the cells (locations) each comparison adds up,
    with the comparison's tolerance."""

    def __init__(self) -> None:
        self.tolerance: dict[tuple, Decimal] = {}  # location key -> tightest tolerance it was compared with (in 万元)
        self.active = False
        self.original = checks_base.check_sum
        self.modules = [m for name, m in sys.modules.items() if name.startswith("budgetaudit.checks") and getattr(m, "check_sum", None) is self.original]

    def __enter__(self):
        recorder = self

        def spy(ctx, rule, parts, whole, where, locations, key):
            tolerance = rule.get("tolerance")
            comparison = compare(parts, whole, Decimal(str(tolerance)) if tolerance is not None else None)
            tol = comparison.tolerance * (MONEY_UNITS.get(comparison.unit, Decimal(10000)) / Decimal(10000))
            for location in locations:
                k = loc_key(location)
                if k not in recorder.tolerance or tol < recorder.tolerance[k]:
                    recorder.tolerance[k] = tol
            return recorder.original(ctx, rule, parts, whole, where, locations, key)

        for module in self.modules:
            module.check_sum = spy
        return self

    def __exit__(self, *exc) -> None:
        for module in self.modules:
            module.check_sum = self.original


def loc_key(location) -> tuple:
    return (location.page, squash(location.table), squash(location.row), squash(location.column))


# --- mutations ------------------------------------------------------------------------------

@dataclass
class Mutation:
    cls: str
    what: str  # a human description: where and old → new
    apply: object  # callable(doc, narrative) -> Target
    detectable: bool


@dataclass
class Target:
    cells: set = field(default_factory=set)  # location keys
    texts: list = field(default_factory=list)  # squashed texts naming the mutation
    tokens: list = field(default_factory=list)  # inserted text
    page: int | None = None


def money_cell(cell) -> bool:
    q = cell.quantity
    return q is not None and q.unit in MONEY_UNITS and q.value != 0 and "%" not in cell.text and re.search(r"\d", cell.text) is not None


def column_index(table, row, key) -> int | None:
    column = next((c for c in table.columns if c.key == key and c.side == row.side), None) or table.column(key)
    return column.index if column else None


def format_like(original: str, value: Decimal, places: int) -> str:
    """value printed the way `original` is printed: separators, places, a minus or brackets."""
    text = f"{abs(value):,.{places}f}" if "," in original else f"{abs(value):.{places}f}"
    if value < 0:
        text = f"({text})" if original.strip().startswith(("(", "（")) else f"-{text}"
    return text


def change_digit(text: str, rng: random.Random) -> str | None:
    """One digit of a printed number replaced by another (a leading digit never by 0)."""
    positions = [i for i, ch in enumerate(text) if ch.isdigit()]
    if not positions:
        return None
    i = rng.choice(positions)
    first = i == positions[0]
    choices = [d for d in "0123456789" if d != text[i] and not (first and d == "0" and len(positions) > 1 and "." not in text[i:i + 2])]
    return text[:i] + rng.choice(choices) + text[i + 1:]


def swap_digits(text: str, rng: random.Random) -> str | None:
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    pairs = [(a, b) for a, b in zip(digits, digits[1:]) if text[a] != text[b] and not (a == digits[0] and text[b] == "0")]
    if not pairs:
        return None
    a, b = rng.choice(pairs)
    chars = list(text)
    chars[a], chars[b] = chars[b], chars[a]
    return "".join(chars)


def shift_point(cell, rng: random.Random) -> str | None:
    q = cell.quantity
    factor = Decimal(10) if rng.random() < 0.5 else Decimal("0.1")
    value = (q.value * factor).quantize(Decimal(1).scaleb(-q.places))
    if value == q.value or value == 0:
        value = (q.value * (Decimal(10) if factor < 1 else Decimal("0.1"))).quantize(Decimal(1).scaleb(-q.places))
    return format_like(cell.text, value, q.places) if value not in (q.value, 0) else None


def set_cell(table, row, key, new_text: str) -> bool:
    cell = row.values[key]
    quantity = parse_quantity(new_text, table.unit)
    if quantity is None:
        return False
    index = column_index(table, row, key)
    if index is not None and row.index < len(table.grid) and table.grid[row.index][index] == cell.text:
        table.grid[row.index][index] = new_text
    cell.text, cell.quantity = new_text, quantity
    return True


def cell_mutation(cls: str, doc, ti: int, ri: int, key: str, rng: random.Random, recorder: Recorder) -> Mutation | None:
    table = doc.tables[ti]
    row = table.rows[ri]
    cell = row.values[key]
    text = cell.text.strip()
    if cls == "table.swap":
        new = swap_digits(text, rng)
    elif cls == "table.shift":
        new = shift_point(cell, rng)
    elif cls == "table.sign":
        new = format_like("(" if text.startswith(("(", "（")) else text, -cell.quantity.value, cell.quantity.places)
    else:
        new = change_digit(text, rng)
    quantity = parse_quantity(new, table.unit) if new else None
    if quantity is None or quantity.value == cell.quantity.value:
        return None
    key_of = loc_key(checks_base.cell_location(table, row, key, cell))
    delta = abs(quantity.in_unit("万元") - cell.quantity.in_unit("万元"))
    detectable = key_of in recorder.tolerance and delta > recorder.tolerance[key_of]

    def apply(mdoc, narrative):
        t = mdoc.tables[ti]
        set_cell(t, t.rows[ri], key, new)
        return Target(cells={key_of})

    return Mutation(cls, f"{table.label}「{row.label}」{cell.column}: {text} → {new}", apply, detectable)


def table_candidates(doc) -> dict[str, list]:
    found = defaultdict(list)
    for ti, table in enumerate(doc.tables):
        if table.kind in ("performance_targets", "performance_overall", "performance_self_evaluation"):
            continue
        for ri, row in enumerate(table.rows):
            for key, cell in row.values.items():
                if not money_cell(cell):
                    continue
                item = (ti, ri, key)
                found["any"].append(item)
                if table.kind == "project_expenditure" and not row.is_total and key == "total":
                    found["table.project"].append(item)
                if row.is_total:
                    found["table.total"].append(item)
                elif len(row.code) in (3, 5):
                    found["table.category"].append(item)
                else:
                    found["table.detail"].append(item)
    return found


def form_candidates(doc, ruleset) -> list:
    """(table, grid row, column) of every amount printed right of a project-amount label in a 绩效目标表."""
    labels = [squash(str(l)) for l in (ruleset.phrases or {}).get("project_amount_labels", [])]
    found = set()
    for ti, table in enumerate(doc.tables):
        if table.kind != "performance_targets":
            continue
        for r, row in enumerate(table.grid):
            for c, text in enumerate(row):
                label = squash(text)
                if label and any(label.startswith(l) for l in labels):
                    c2 = first_figure(row, c)
                    if c2 is not None and parse_quantity(squash(row[c2]), "元").value != 0:
                        found.add((ti, r, c2))
    return sorted(found)


def first_figure(row: list[str], start: int) -> int | None:
    """The column of the first figure right of column `start` (as the form checks read a label's amount)."""
    for c in range(start + 1, len(row)):
        text = squash(row[c])
        if text and parse_quantity(text, "元") is not None:
            return c
    return None


def form_mutation(doc, item, rng: random.Random, recorder: Recorder) -> Mutation | None:
    from budgetaudit.checks.cross.forms import page_of_grid_row
    from budgetaudit.model.findings import Location

    ti, r, c2 = item
    table = doc.tables[ti]
    old = table.grid[r][c2]
    new = change_digit(old, rng)
    if new is None or parse_quantity(squash(new)) is None or parse_quantity(squash(new)).value == parse_quantity(squash(old)).value:
        return None
    row = table.grid[r]
    # every label whose amount this cell is (资金金额(万元) | 实施期资金总额: | 23.00: both labels read 23.00)
    keys = {loc_key(Location(page_of_grid_row(table, r), table.label, squash(row[c]))) for c in range(c2)
            if squash(row[c]) and parse_quantity(squash(row[c]), "元") is None and first_figure(row, c) == c2}
    detectable = bool(keys & set(recorder.tolerance))

    def apply(mdoc, narrative):
        mdoc.tables[ti].grid[r][c2] = new
        return Target(cells=keys)

    return Mutation("form.project", f"{table.label}「{squash(row[c2 - 1]) if c2 else ''}」: {old} → {new}", apply, detectable)


# --- narrative ------------------------------------------------------------------------------

def cleaned_map(text: str) -> tuple[str, list[int]]:
    """clean(text) and, for each of its characters, the index in text it comes from."""
    out, where = [], []
    for i, ch in enumerate(text):
        c = clean(ch)
        if c:
            out.append(c)
            where.append(i)
    return "".join(out), where


def locate(doc, narrative: list[int], passage_text: str, start: int, end: int):
    """(line index, raw start, raw end) of passage_text[start:end] in a narrative line, found by
    the figure with up to 8 characters before it; None when it is split over two lines."""
    token = passage_text[start:end]
    for before in (8, 4, 2, 0):
        key = passage_text[max(0, start - before):end]
        hits = []
        for li in narrative:
            cleaned, where = cleaned_map(doc.lines[li].text)
            at = cleaned.find(key)
            while at >= 0:
                begin = at + len(key) - len(token)  # the token in the cleaned line
                lead = cleaned[max(0, begin - 6):begin]  # what the line prints before it must be what the passage has
                if passage_text[start - len(lead):start] == lead:
                    hits.append((li, where[begin], where[begin + len(token) - 1] + 1))
                at = cleaned.find(key, at + 1)
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            return None
    return None


def sentence_texts(doc, li: int, fragment: str) -> list[str]:
    """Squashed texts of the sentences that hold a changed line: every sentence with the fragment."""
    frag = squash(fragment)
    texts = [squash(s.text) for s in doc.sentences if frag and frag in squash(s.text)]
    texts += [squash(s.title) for s in doc.sections if frag and frag in squash(s.title)]
    return texts + [squash(doc.lines[li].text)]


def text_change(li: int, start: int, end: int, new: str, context: int = 6):
    """apply() for a change of line li's text[start:end] to new."""
    def apply(mdoc, narrative):
        line = mdoc.lines[li]
        line.text = line.text[:start] + new + line.text[end:]
        resplit(mdoc, narrative)
        fragment = line.text[max(0, start - context):start + len(new) + context]
        return Target(texts=sentence_texts(mdoc, li, fragment), tokens=[squash(new)] if len(squash(new)) >= 2 else [], page=line.page)
    return apply


def narrative_candidates(doc, ruleset):
    """Facts by class, the ids of the tied ones, and for each tied fact the tightest rounding tolerance
    (in its own unit) of a comparison it takes part in."""
    from budgetaudit.checks.narrative.shared import resolve

    ctx = Context(doc, ruleset)
    narrative = narrative_of(ctx)
    tied: set[int] = set()
    tolerance: dict[int, Decimal] = {}
    interval: dict[int, tuple] = {}  # rates and shares: the values the printed figures allow

    def bound(fact, tol: Decimal) -> None:
        tolerance[id(fact)] = min(tolerance.get(id(fact), tol), tol)
    parts, counted, listed_whole = [], set(), set()
    concept_count = defaultdict(int)
    for fact in narrative.facts:
        if fact.role == "amount" and fact.is_money and fact.concept:
            concept_count[fact.concept] += 1
    for passage in narrative.passages:
        for e in passage.enumerations:
            stated = e.stated_whole and not e.partial and len(e.parts) >= 2
            if stated and e.whole.role != "count":
                listed_whole.add(id(e.whole))
                unit = e.whole.value.unit
                tol = sum((f.value.tolerance_in(unit) for f in [e.whole, *e.parts]), Decimal(0))
                for f in [e.whole, *e.parts]:
                    bound(f, tol * (MONEY_UNITS.get(unit, 1) / MONEY_UNITS.get(f.value.unit, 1)) if f.value.unit in MONEY_UNITS else tol)
                for p in e.parts:
                    parts.append((passage, p))
                    tied.add(id(p))
            if e.whole.role == "count" and e.counted and stated:
                counted.update({id(e.whole), *(id(p) for p in e.parts)})
    found = defaultdict(list)
    for passage in narrative.passages:
        for fact in passage.facts:
            item = (passage, fact)
            if fact.role == "amount" and fact.is_money:
                if fact.concept:
                    found["narr.amount"].append(item)
                    found["narr.unit"].append(item)
                    found["text.placeholder"].append(item)
                if (fact.concept and checked(ctx, fact)) or id(fact) in listed_whole or concept_count.get(fact.concept, 0) > 1:
                    tied.add(id(fact))
                    resolved = resolve(ctx, fact.concept) if fact.concept else None
                    if resolved is not None:
                        bound(fact, fact.value.half_ulp + resolved.quantity.tolerance_in(fact.value.unit))
            elif fact.role == "rate":
                found["narr.rate"].append(item)
                if fact.change is not None and fact.subject is not None and not fact.change.implied:
                    tied.add(id(fact))
                    interval[id(fact)] = rate_interval(fact)
            elif fact.role == "share":
                found["narr.share"].append(item)
                whole = whole_of_share(ctx, narrative, fact) if fact.subject is not None else None
                if whole is not None and whole.value.value != 0:
                    tied.add(id(fact))
                    interval[id(fact)] = share_interval(fact, whole)
            elif fact.role == "count":
                found["narr.count"].append(item)
                if id(fact) in counted:
                    tied.add(id(fact))
    found["narr.part"] = parts
    return found, (tied, tolerance, interval)


def rate_interval(rate) -> tuple | None:
    """The rates (in %) the printed amount and change allow, as N-RATE computes them; None: any other rate is wrong."""
    from budgetaudit.checks.narrative.shared import rate_bounds

    change, amount = rate.change, rate.subject
    sign = change.direction or rate.direction or 1
    this = amount.value.in_unit(change.value.unit)
    if change.value.value == 0 or this - sign * change.value.value <= 0:
        return None
    return rate_bounds(this, amount.value.tolerance_in(change.value.unit), change.value.value, change.value.half_ulp, sign)


def share_interval(share, whole) -> tuple | None:
    unit = whole.value.unit
    p, w = share.subject.value.in_unit(unit), whole.value.value
    pt, wt = share.subject.value.tolerance_in(unit), whole.value.half_ulp
    if w <= wt:
        return None
    return (p - pt) / (w + wt) * 100, (p + pt) / (w - wt) * 100


def figure_mutation(cls: str, doc, parsed: Parsed, item, tied: set, rng: random.Random) -> Mutation | None:
    passage, fact = item
    hit = locate(doc, parsed.narrative, passage.text, fact.start, fact.end)
    if hit is None:
        return None
    li, start, end = hit
    raw = doc.lines[li].text[start:end]
    number = re.match(r"[-−]?\d[\d,]*(?:\.\d+)?", raw)
    if number is None:
        return None
    digits, rest = number.group(0), raw[number.end():]
    if cls == "narr.unit":
        unit = rest.strip()
        if unit not in ("万元", "元") or parse_quantity(digits).value == 0:
            return None
        new = digits + rest.replace(unit, "元" if unit == "万元" else "万元")
    elif cls == "text.placeholder":
        new = rng.choice(PLACEHOLDERS) + rest
    else:
        changed = change_digit(digits, rng)
        if changed is None or parse_quantity(changed) is None or parse_quantity(changed).value == parse_quantity(digits).value:
            return None
        new = changed + rest
    tied_ids, tolerance, interval = tied
    delta = abs(parse_quantity(new.strip(), fact.value.unit).value - fact.value.value) if parse_quantity(new.strip(), fact.value.unit) else Decimal(1)
    if cls == "narr.unit":
        delta = abs(fact.value.value) * Decimal(9999)  # 万元 ↔ 元: off by a factor of 10,000
    detectable = True if cls.startswith("text.") else id(fact) in tied_ids and delta > tolerance.get(id(fact), Decimal(0))
    if detectable and interval.get(id(fact)) is not None:  # a rate or share still within what the rounding allows
        low, high = interval[id(fact)]
        value = parse_quantity(new.strip(), fact.value.unit)
        detectable = value is not None and not (value.value + value.half_ulp >= low and value.value - value.half_ulp <= high)
    return Mutation(cls, f"p.{doc.lines[li].page}「{doc.lines[li].text[max(0, start - 12):end + 4]}」: {raw} → {new}",
                    text_change(li, start, end, new), detectable)


def insertion(cls: str, doc, parsed: Parsed, rng: random.Random) -> Mutation | None:
    lines = parsed.narrative
    if cls == "text.remnant":
        pool = [li for li in lines if doc.lines[li].text.rstrip().endswith("。")]
        insert = rng.choice(REMNANTS)
    else:
        body = [li for li in lines if len(doc.lines[li].text.strip()) >= 6]
        pool = body
        full = "".join(squash(ln.text) for ln in doc.lines) + "".join(doc.watermarks)
        marks = [m for m in DRAFT_MARKS if squash(m).strip("（）") not in full]
        if not marks:
            return None
        insert = rng.choice(marks)
    if not pool:
        return None
    li = rng.choice(pool)
    end = len(doc.lines[li].text.rstrip())
    return Mutation(cls, f"p.{doc.lines[li].page} after「{doc.lines[li].text[-20:]}」: + {insert}", text_change(li, end, end, insert), True)


def names_this_budget(ctx, text: str, start: int, year: int) -> bool:
    """N-YEAR-001's reading (checks/years.py): the year at `start` names this budget (not a date, a
    comparison base or another year's figure) and no other mention in the line writes the budget year
    right, which would show the sentence is not about this budget only."""
    from budgetaudit.checks.narrative.years import YEAR as YEAR_MENTION
    from budgetaudit.checks.narrative.years import role_of

    mentions = [(m, role_of(ctx, text, m)) for m in YEAR_MENTION.finditer(text)]
    here = [role for m, role in mentions if m.start() == start]
    others = [m for m, role in mentions if m.start() != start and role == "subject" and int(m.group(1)) == year]
    return here == ["subject"] and not others


def year_mutation(doc, parsed: Parsed, ruleset, rng: random.Random) -> Mutation | None:
    ctx = Context(doc, ruleset)
    from budgetaudit.checks.common import doc_year

    found = doc_year(ctx)
    if found is None:
        return None
    year = found[0]
    p = phrases(ctx)
    subjects = re.compile(r"((?:19|20)\d{2})" + str(p.get("year_subjects", "$")))
    not_after = tuple(p.get("year_not_after", []))
    spots = []
    cover = min((ln.page for ln in doc.lines), default=1)  # the cover's year is the reference P-ID-002 compares with
    for li in parsed.narrative:
        if doc.lines[li].page == cover:
            continue
        text = doc.lines[li].text
        for m in re.finditer(rf"{year}(?=\s*年)", text):
            if YEAR_CONTEXT.search(text[m.end():m.end() + 12]) and not text[:m.start()].rstrip().endswith(not_after):
                spots.append((li, m.start(), m.end()))
    if not spots:
        return None
    li, start, end = rng.choice(spots)
    text = doc.lines[li].text
    readable = bool(subjects.match(squash(text[start:start + 40]))) and not squash(text[:start]).endswith(not_after)
    readable = readable or names_this_budget(ctx, text, start, year)
    new = str(year - 1)
    return Mutation("text.year", f"p.{doc.lines[li].page}「{text[max(0, start - 8):end + 12]}」: {year} → {new}", text_change(li, start, end, new, context=10), readable)


def category_mutation(doc, rng: random.Random) -> Mutation | None:
    spots = []
    for ti, table in enumerate(doc.tables):
        for ri, row in enumerate(table.rows):
            if len(row.code) == 3 and row.name and row.code in CATEGORY_NAMES:
                spots.append((ti, ri))
    if not spots:
        return None
    ti, ri = rng.choice(spots)
    table, row = doc.tables[ti], doc.tables[ti].rows[ri]
    others = [n for c, n in CATEGORY_NAMES.items() if c != row.code and n != row.name]
    new = rng.choice(others)
    elsewhere = any(r.code == row.code and squash(r.name) == squash(row.name) for t in doc.tables if t is not table for r in t.rows)
    old = row.name

    def apply(mdoc, narrative):
        t = mdoc.tables[ti]
        r = t.rows[ri]
        for line in t.grid[r.index:r.index + 1]:
            for c, text in enumerate(line):
                if old in squash(text):
                    line[c] = squash(text).replace(old, new)
        r.name = new
        return Target(cells={k for k in ((r.page, squash(t.label), squash(f"{r.code} {new}"), ""),)}, tokens=[new], page=r.page)

    return Mutation("text.category", f"{table.label}「{row.code} {old}」→「{new}」", apply, elsewhere)


def draw(doc, parsed: Parsed, ruleset, recorder: Recorder, per_class: int, rng: random.Random, classes) -> list[Mutation]:
    tables = table_candidates(doc)
    forms = form_candidates(doc, ruleset)
    facts, tied = narrative_candidates(doc, ruleset)
    out = []
    for cls in classes:
        made, attempts = [], 0
        while len(made) < per_class and attempts < per_class * 6:
            attempts += 1
            m = None
            if cls in ("table.detail", "table.total", "table.category", "table.project"):
                if tables.get(cls):
                    m = cell_mutation(cls, doc, *rng.choice(tables[cls]), rng, recorder)
            elif cls in ("table.swap", "table.shift", "table.sign"):
                if tables.get("any"):
                    m = cell_mutation(cls, doc, *rng.choice(tables["any"]), rng, recorder)
            elif cls == "form.project":
                if forms:
                    m = form_mutation(doc, rng.choice(forms), rng, recorder)
            elif cls in NARRATIVE_CLASSES or cls == "text.placeholder":
                if facts.get(cls):
                    m = figure_mutation(cls, doc, parsed, rng.choice(facts[cls]), tied, rng)
            elif cls in ("text.remnant", "text.draft"):
                m = insertion(cls, doc, parsed, rng)
            elif cls == "text.year":
                m = year_mutation(doc, parsed, ruleset, rng)
            elif cls == "text.category":
                m = category_mutation(doc, rng)
            if m is None:
                continue
            if any(m.what == x.what for x in made):
                continue
            made.append(m)
        out += made
    return out


# --- running --------------------------------------------------------------------------------

def fingerprints(findings) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for f in findings:
        counts[f.fingerprint()] += 1
    return counts


def names(finding, target: Target) -> bool:
    for location in finding.locations:
        if target.cells and loc_key(location) in target.cells:
            return True
        text = squash(location.text)
        if text and target.texts and any(text in t or t in text for t in target.texts if t):
            return True
        if text and any(tok in text for tok in target.tokens):
            return True
        row = squash(location.row)
        if row and any(tok in row for tok in target.tokens):
            return True
    return False


@dataclass
class Outcome:
    doc: str
    cls: str
    what: str
    detectable: bool
    detected: bool
    false: int
    rules: str = ""


def run_document(path: Path, ruleset, cache, per_class: int, seed: int, classes, verbose: bool) -> tuple[list[Outcome], str | None]:
    try:
        parsed = parse(path, ruleset, cache)
    except BudgetAuditError as exc:
        return [], exc.key
    doc = parsed.doc
    if len(doc.textless_pages) == doc.pages:
        return [], "unreadable"
    if not is_disclosure(doc, signature_list(ruleset.phrases or {})):
        return [], "not a budget disclosure (R-READ-005): only the reading rules run, so no mutation is drawn"
    with Recorder() as recorder:
        baseline, _ = run_rules(doc, ruleset)
    before = fingerprints(baseline)
    rng = random.Random(f"{seed}:{path.name}")
    outcomes = []
    for mutation in draw(doc, parsed, ruleset, recorder, per_class, rng, classes):
        mdoc = copy.deepcopy(doc)
        target = mutation.apply(mdoc, parsed.narrative)
        findings, _ = run_rules(mdoc, ruleset)
        seen = dict(before)
        new = []
        for f in findings:
            fp = f.fingerprint()
            if seen.get(fp, 0) > 0:
                seen[fp] -= 1
            elif RANK[f.severity] >= RANK["warning"]:
                new.append(f)
        hits = [f for f in new if names(f, target)]
        outcome = Outcome(path.stem, mutation.cls, mutation.what, mutation.detectable, bool(hits), len(new) - len(hits),
                          ",".join(sorted({f.rule for f in hits})))
        outcomes.append(outcome)
        if verbose:
            flag = "HIT " if outcome.detected else ("MISS" if outcome.detectable else "----")
            extra = f"  +{outcome.false} false: " + "; ".join(f"{f.rule} {f.message[:80]}" for f in new if f not in hits)[:300] if outcome.false else ""
            print(f"  {flag} {mutation.cls:16} {mutation.what[:110]} {outcome.rules}{extra}", flush=True)
    return outcomes, None


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}" if b else "    –"


def class_table(outcomes: list[Outcome], title: str) -> list[str]:
    lines = [f"\n{title}", f"{'class':17}| made | detectable | detected | of detectable % | of made % | target | false findings (mutations)", "-" * 104]
    for cls in CLASSES:
        group = [o for o in outcomes if o.cls == cls]
        if not group:
            lines.append(f"{cls:17}|    0 |            |          |                 |           |  {TARGET[cls]} % |")
            continue
        det = [o for o in group if o.detectable]
        hit_det = sum(1 for o in det if o.detected)
        hit = sum(1 for o in group if o.detected)
        false = sum(o.false for o in group)
        causing = sum(1 for o in group if o.false)
        basis = pct(hit, len(group)) if cls.startswith("text.") else pct(hit_det, len(det))
        value = float(basis) if basis.strip() != "–" else None
        mark = "" if value is None or value >= TARGET[cls] else "  below"
        lines.append(f"{cls:17}| {len(group):4} | {len(det):10} | {hit:8} | {pct(hit_det, len(det)):>15} | {pct(hit, len(group)):>9} | {TARGET[cls]:4} % | {false:5} ({causing}){mark}")
    return lines


def document_table(outcomes: list[Outcome], failures: dict[str, str]) -> list[str]:
    lines = [f"\n{'document':60}| made | detectable | detected (of detectable) | false (mutations)", "-" * 112]
    by_doc = defaultdict(list)
    for o in outcomes:
        by_doc[o.doc].append(o)
    for name, group in by_doc.items():
        det = [o for o in group if o.detectable]
        hit = sum(1 for o in det if o.detected)
        lines.append(f"{name[:60]:60}| {len(group):4} | {len(det):10} | {sum(1 for o in group if o.detected):4} ({hit}/{len(det)}, {pct(hit, len(det)).strip()} %) | {sum(o.false for o in group)} ({sum(1 for o in group if o.false)})")
    for name, reason in failures.items():
        lines.append(f"{name[:60]:60}| not checked: {reason}")
    return lines


def collect(args) -> list[tuple[str, list[Path]]]:
    if args.paths:
        groups = []
        for p in args.paths:
            p = Path(p)
            groups.append((str(p), sorted(p.glob("*.pdf")) if p.is_dir() else [p]))
    else:
        groups = [("../shared/real", sorted((ROOT.parent / "shared" / "real").glob("*.pdf"))), ("samples", sorted((ROOT / "samples").glob("*.pdf")))]
    out = []
    for name, paths in groups:
        if args.only:
            paths = [p for p in paths if any(o in p.name for o in args.only)]
        if args.docs:
            paths = paths[: args.docs]
        out.append((name, paths))
    return out


# --- layout invariance ---------------------------------------------------------------------

LAYOUT_ONLY_RULES = {"R-READ-004"}  # tables joined across pages: which ones is the layout itself


DOCX_ROUTE = "docx-libreoffice"


def build_layout(builder, text: str, out: Path, watermark, layout: str) -> Path:
    """One seed in one layout of samples/build.py, or through the second producer route."""
    if layout == DOCX_ROUTE:
        return docx_route.build_pdf_via_docx(builder, text, out, watermark)
    return builder.build_pdf(text, out, watermark, layout=layout)


def layouts_mode(ruleset, layouts: list[str], only: list[str]) -> int:
    """Build every seed in every layout, check it, and compare its findings (rule, key) with the
    reference layout's; then the second producer route (.docx through LibreOffice) where installed."""
    import importlib.util
    import tempfile

    from budgetaudit.run.engine import check_document

    spec = importlib.util.spec_from_file_location("sample_build", ROOT / "samples" / "build.py")
    builder = importlib.util.module_from_spec(spec)
    sys.modules["sample_build"] = builder
    spec.loader.exec_module(builder)
    seeds = builder.default_seeds_dir()
    names = [n for n in builder.LAYOUTS if n != "reference" and (not layouts or n in layouts)]
    route_ok, route_why = docx_route.available()
    routes = [DOCX_ROUTE] if route_ok and (not layouts or DOCX_ROUTE in layouts) else []
    rows, failures = [], 0
    with tempfile.TemporaryDirectory(prefix="budgetaudit-layouts-") as folder:
        for seed_file, sample in builder.SAMPLES.items():
            stem = Path(sample["name"]).stem
            if only and not any(o in stem for o in only):
                continue
            text = (seeds / seed_file).read_text(encoding="utf-8")
            found = {}
            for layout in ["reference"] + names + routes:
                t0 = time.perf_counter()
                out = build_layout(builder, text, Path(folder) / f"{stem}-{layout}.pdf", sample["watermark"], layout)
                result = check_document(out, ruleset)
                left_out = LAYOUT_ONLY_RULES | (docx_route.WATERMARK_RULES if layout == DOCX_ROUTE else set())
                found[layout] = ({(f.rule, f.key): f for f in result.findings if f.rule not in left_out}, result.pages)
                print(f"  {stem} {layout}: {result.pages} pages, {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
            reference, ref_pages = found["reference"]
            for layout in names + routes:
                got, pages = found[layout]
                hidden = docx_route.WATERMARK_RULES if layout == DOCX_ROUTE else set()  # the route carries no watermark text
                ref = {k: f for k, f in reference.items() if k[0] not in hidden}
                missing, extra = set(ref) - set(got), set(got) - set(ref)
                failures += bool(missing or extra)
                rows.append((stem, layout, ref_pages, pages, len(ref), missing, extra, ref, got))
    print(f"{'sample':22}| {'layout':17}| pages (ref) | findings | missing | extra")
    print("-" * 80)
    for stem, layout, ref_pages, pages, count, missing, extra, reference, got in rows:
        print(f"{stem:22}| {layout:17}| {pages:4} ({ref_pages:3}) | {count:8} | {len(missing):7} | {len(extra):5}")
        for key in sorted(missing):
            print(f"{'':24}- {key[0]} {reference[key].message[:110]}")
        for key in sorted(extra):
            print(f"{'':24}+ {key[0]} {got[key].message[:110]}")
    for name in names:
        print(f"  {name}: {builder.LAYOUTS[name].note}")
    if routes:
        print(f"  {DOCX_ROUTE}: second producer — the seed written as .docx (python-docx) and converted by LibreOffice headless; "
              f"{', '.join(sorted(docx_route.WATERMARK_RULES))} left out (LibreOffice draws a Word watermark as outlines, not text)")
    else:
        print(f"\nsecond producer (.docx converted by LibreOffice headless): unavailable — {route_why}; not run")
    print(f"\n{len(rows) - failures} of {len(rows)} layout builds give the reference findings")
    return 1 if failures else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="PDFs or folders (default: ../shared/real and samples/)")
    parser.add_argument("--per-class", type=int, default=4, help="mutations per class and document (default 4)")
    parser.add_argument("--docs", type=int, default=0, help="only the first N documents of each folder")
    parser.add_argument("--only", action="append", default=[], help="only documents whose file name contains this (repeatable)")
    parser.add_argument("--classes", default="", help="comma-separated classes or prefixes (table., narr., text.)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per mutation")
    parser.add_argument("--layouts", nargs="*", default=None, metavar="LAYOUT",
                        help="layout-invariance mode: build the seeds in these layouts of samples/build.py (default: all) and compare findings")
    args = parser.parse_args(argv)
    classes = [c for c in CLASSES if not args.classes or any(c.startswith(w.strip()) for w in args.classes.split(","))]
    ruleset = load_rules()
    CATALOG[:] = [ruleset.catalog]
    if args.layouts is not None:
        return layouts_mode(ruleset, args.layouts, args.only)
    base = Path(os.environ.get("BUDGETAUDIT_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "budgetaudit")
    cache = None if args.no_cache else base / "mutate"
    started = time.perf_counter()
    print(f"mutation benchmark: seed {args.seed}, {args.per_class} per class and document")
    all_outcomes = []
    for name, paths in collect(args):
        outcomes, failures = [], {}
        for path in paths:
            t0 = time.perf_counter()
            if args.verbose:
                print(f"{path.name}", flush=True)
            found, failure = run_document(path, ruleset, cache, args.per_class, args.seed, classes, args.verbose)
            if failure:
                failures[path.stem] = failure
            outcomes += found
            print(f"  {path.stem[:70]}: {len(found)} mutations, {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
        all_outcomes += outcomes
        print("\n".join(class_table(outcomes, f"== {name}: {len(paths)} documents, by class ==")))
        print("\n".join(document_table(outcomes, failures)))
    if len({n for n, _ in collect(args)}) > 1:
        print("\n".join(class_table(all_outcomes, "== all documents, by class ==")))
    print(f"\n{len(all_outcomes)} mutations in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
