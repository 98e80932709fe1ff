"""Raw pages → document model: table titles, units, header paths, rows keyed
by code and name, tables merged across pages, narrative lines left over."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model.document import Cell, Column, Document, Line, Row, Table
from ..model.quantity import parse_quantity
from ..vocabulary.layout_patterns import CARRIED_NOTE
from ..vocabulary.table_catalog import NUM, UNKNOWN, Catalog, normalize_header
from .outline import read_outline
from .reader import RawPage, RawTable, drop_headers_footers, read_pages

_TABLE_NO = rf"(?:预算公开|部门预算|单位预算|部门公开|公开|预算|附)?表\s*{NUM}(?:-\d+)?|(?:公开|预算)\s*\d{{1,2}}(?:-\d+)?表"
_NUMBER_LINE = re.compile(rf"^[（(]?(?:{_TABLE_NO})[)）]?$")
_NUMBER_IN_TITLE = re.compile(rf"^(?:{_TABLE_NO})[、.．:：]?|[（(](?:{_TABLE_NO})[)）]|(?:公开|预算)\d{{2}}(?:-\d+)?表")
_UNIT = re.compile(r"(金额)?单位\s*[:：]?\s*[（(]?(万元|元|千元|亿元)[)）]?")
_ORG = re.compile(r"^(?:(?:单位名称|部门名称|部门（单位）名称|部门\(单位\)名称)\s*[:：]?|(?:编制单位|编制部门|预算单位|填报单位|部门（单位）|部门\(单位\)|部门|单位)\s*[:：])\s*(?P<org>\S.*)$")
_EMPTY_NOTE = re.compile(r"空表|本表无数据|无数据|本表为空|没有数据|无相关数据|此表无|不涉及")
_CODE = re.compile(r"^(\d{3}|\d{5}|\d{7})$")
_CODE_PREFIX = re.compile(r"^(\d{3}(?:\d{2}){0,2})(?:\s*[-－—_:：]\s*|\s+|(?=[^\d\s.,]))(\S.*)$")
_ROW_LABEL = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、]|合计|总计|本年|上年|收入总计|支出总计)")
_COLUMN_INDEX = re.compile(r"^(\*+|\d{1,2}|栏次|[A-Z]|[甲乙丙丁])$")
_YEAR_IN_LABEL = re.compile(r"(19|20)\d{2}年度?")
_YEAR_LINE = re.compile(r"^[（(]?\s*(19|20)\d{2}\s*年度?\s*[)）]?$")
_YEAR_LIKE = re.compile(r"^(19|20)\d{2}$")
SPLIT_CODE_KEYS = ("code_class", "code_section", "code_item")  # 类 / 款 / 项 in separate columns
NON_VALUE = {"name", "code", "line_no", "gov_code", "gov_name", *SPLIT_CODE_KEYS}


def is_label_key(key: str) -> bool:
    """Columns that label a row (code, name, line number) rather than hold an amount."""
    base = key.split("#")[0]
    return base in NON_VALUE or base.startswith("gov_code") or base.startswith("gov_name")
MAX_CONTEXT_LINES = 6
FORM_KINDS = ("performance_targets", "performance_overall", "performance_self_evaluation", "special_funds")


@dataclass
class Placed:
    """A raw table with the page lines that frame it."""

    raw: RawTable
    above: list[Line] = field(default_factory=list)
    below: list[Line] = field(default_factory=list)


def build_document(path: Path, catalog: Catalog, on_page=None) -> Document:
    """`on_page(number)` is called after each page is read (progress on long documents)."""
    pages = []
    for page in read_pages(path):
        pages.append(page)
        if on_page:
            on_page(page.number)
    drop_headers_footers(pages)
    placed, used = place_tables(pages)
    pieces = [to_table(p, catalog) for p in placed]
    singles = {id(table): p.raw for table, p in zip(pieces, placed) if p.raw.single_row}
    tables = merge_continuations(pieces, catalog, set(singles))
    for table in tables:
        place_short_codes(table)
    stray = [t for t in tables if id(t) in singles]
    tables = [t for t in tables if id(t) not in singles]
    for number, table in enumerate(tables, start=1):
        table.id = number
    used.update(rows_placed(pages, [raw for key, raw in singles.items() if key not in {id(t) for t in stray}]))
    stray_rows = [(t.pages[0], " ".join(c for c in t.grid[0] if c)) for t in stray if is_data_row(t.grid[0])]
    used.update(rows_placed(pages, [singles[id(t)] for t in stray if is_data_row(t.grid[0])]))
    lines = [ln for page in pages for ln in page.lines if id(ln) not in used]
    doc = Document(str(path), len(pages), [ln for page in pages for ln in page.lines], tables)
    doc.stray_rows = stray_rows
    doc.textless_pages = [p.number for p in pages if not p.has_text]
    doc.watermarks = sorted({p.watermark for p in pages if p.watermark})
    doc.watermark_pages = [p.number for p in pages if p.watermark]
    doc.outline = read_outline(doc, catalog, lines)  # the 目录, headings, tables' titles; sections and sentences
    return doc


def rows_placed(pages: list[RawPage], raws: list[RawTable]) -> set[int]:
    """The text lines of one-row grids that joined a table or were reported as stray rows."""
    by_page = {p.number: p for p in pages}
    return {id(ln) for raw in raws for ln in by_page[raw.page].lines if raw.bbox[1] - 1 <= ln.top <= raw.bbox[3]}


def place_tables(pages: list[RawPage]) -> tuple[list[Placed], set[int]]:
    """Attach to every table the lines between it and its neighbours, and the notes at the top of
    the next page when the table ends its page (a 备注 pushed over the page break). A one-row grid
    gets no lines of its own: it is a continuation or stray rows (see build_document)."""
    placed, used = [], set()
    ends_page = False
    for page in pages:
        tables = sorted((t for t in page.tables if not t.single_row), key=lambda t: t.bbox[1])
        singles = sorted((t for t in page.tables if t.single_row), key=lambda t: t.bbox[1])
        if singles and (not tables or singles[0].bbox[1] < tables[0].bbox[1]):
            placed.append(Placed(singles[0]))  # the first grid of its page: may continue the previous page's table
            singles = singles[1:]
        carried = carried_notes(page, tables) if ends_page and placed else []
        if carried:
            placed[-1].below.extend(carried)
            used.update(id(ln) for ln in carried if is_table_context(ln.text))
        skip = {id(ln) for ln in carried}
        for index, raw in enumerate(tables):
            floor = tables[index - 1].bbox[3] if index else -1
            ceiling = tables[index + 1].bbox[1] if index + 1 < len(tables) else page.height + 1
            above = [ln for ln in page.lines if floor < ln.top < raw.bbox[1] and id(ln) not in skip][-MAX_CONTEXT_LINES:]
            below = [ln for ln in page.lines if raw.bbox[3] < ln.top < ceiling and is_note(ln.text)]
            used.update(id(ln) for ln in above + below if is_table_context(ln.text))
            placed.append(Placed(raw, above, below))
        placed.extend(Placed(raw) for raw in singles)  # not first on the page: never a continuation, reported when they hold figures
        if tables or page.lines:
            ends_page = bool(tables) and not any(ln.top > tables[-1].bbox[3] and not is_note(ln.text) for ln in page.lines)
    return placed, used


def carried_notes(page: RawPage, tables: list[RawTable]) -> list[Line]:
    """Note lines that open a page, above its first table: the rest of the previous page's table."""
    limit = tables[0].bbox[1] if tables else page.height + 1
    lines = sorted((ln for ln in page.lines if ln.top < limit), key=lambda ln: ln.top)
    if not lines or not CARRIED_NOTE.match(lines[0].text):
        return []
    carried = []
    for line in lines:
        if not is_note(line.text) and carried:
            break
        carried.append(line)
    return carried


def is_note(text: str) -> bool:
    return text.startswith(("注", "备注", "说明", "如此表", "此表", "本表")) or bool(_EMPTY_NOTE.search(text) and len(text) < 80)


def is_table_context(text: str) -> bool:
    return len(text) <= 60 and ("表" in text or _UNIT.search(text) or _ORG.match(text) or _YEAR_LINE.match(text) or is_note(text))


def to_table(placed: Placed, catalog: Catalog) -> Table:
    raw = placed.raw
    grid, cover = [list(r) for r in raw.grid], [list(r) for r in raw.cover]
    boxes = [list(r) for r in raw.boxes]
    title, number, unit, org = read_context(placed.above)
    skip, inner = preamble_rows(grid)
    if skip:
        grid, cover = grid[skip:], [[(r - skip, c) for r, c in line] for line in cover[skip:]]
        boxes = boxes[skip:]
        inner_title, inner_number, inner_unit, inner_org = inner
        title = inner_title or title  # a title printed inside the frame is the table's own
        number = inner_number or number or number_of(title)
        unit, org = unit or inner_unit, org or inner_org
    unit = unit or unit_in_grid(grid)
    kind = catalog.classify(title) if title else UNKNOWN
    header_count = count_header_rows(grid)
    columns = build_columns(grid, cover, header_count, catalog, kind)
    rows = build_rows(grid[header_count:], columns, raw.page, unit, header_count, boxes=boxes[header_count:])
    notes = [ln.text for ln in placed.below]
    table = Table(0, number, title, kind, unit, org, [raw.page], columns, rows,
                  header=[[c or "" for c in r] for r in grid[:header_count]], grid=[[c or "" for c in r] for r in grid], notes=notes, boxes=boxes)
    table.empty_note = next((n for n in notes if _EMPTY_NOTE.search(n)), "")
    return table


def read_context(lines: list[Line]) -> tuple[str, str, str, str]:
    title = number = unit = org = tail = ""
    for line in reversed(lines):
        text = line.text
        if match := _UNIT.search(text):
            unit = unit or match.group(2)
            text = _UNIT.sub("", text).strip(" :：")
        if match := _ORG.match(text):
            org = org or match.group("org").strip(" :：")
            continue
        if not text or _YEAR_LINE.match(text) or set(text) <= set(":：“”\"' "):
            continue
        if _NUMBER_LINE.match(text):
            number = number or text
            continue
        if not title and "表" in text:
            title = text + tail
        elif not title and not tail and is_title_tail(text):
            tail = text  # the title's bracketed qualifier wrapped onto the next line: （按支出功能分类科目-不含上年结转）
        elif title and (len(title) <= 3 or _YEAR_LINE.match(text + "年") or opens_title(text, title)) and len(text) <= 50:
            title = text + title  # a title wrapped onto two lines
    return title, number or number_of(title), unit, org


def is_title_tail(text: str) -> bool:
    """A line that is only a bracketed qualifier (（按支出功能分类科目）), printed under a title."""
    return text[:1] in "（(" and text[-1:] in "）)" and len(text) <= 40 and bool(text.strip("（）() "))


def opens_title(text: str, title: str) -> bool:
    """The first line of a title wrapped before its last words (2021年…“三公”经费及 / 会议费…预算表):
    it starts with the year, the line read as the title does not. A line that ends a clause (…13,237万元，)
    is prose above the table, not the title's first line."""
    return (bool(_YEAR_LINE.match(text[:5])) and not _YEAR_LINE.match(title[:5]) and "表" not in text
            and not text.endswith(("，", "。", "；", "：", ",", ";", ":")))


def number_of(title: str) -> str:
    match = _NUMBER_IN_TITLE.search(title)
    return match.group(0).strip("（()）、.．:：") if match else ""


def preamble_rows(grid: list[list[str | None]]) -> tuple[int, tuple[str, str, str, str]]:
    """Rows at the top of the frame that carry the title, table number, unit or
    unit name rather than column headers: how many, and what they say."""
    title = number = unit = org = ""
    count = 0
    for row in grid[:5]:
        texts = list(dict.fromkeys(c for c in row if c))
        if len(grid) - count < 2:
            break
        found = context_of(texts)
        if found is None:
            break
        count += 1
        t, n, u, o = found
        title, number, unit, org = title or t, number or n, unit or u, org or o
    return count, (title, number, unit, org)


def context_of(texts: list[str]) -> tuple[str, str, str, str] | None:
    """Title / number / unit / org found in one row, or None for a header row."""
    title = number = unit = org = ""
    for text in texts:
        if match := _UNIT.search(text):
            unit = match.group(2)
            text = _UNIT.sub("", text).strip(" :：")
        if match := _ORG.match(text):
            org = match.group("org").strip(" :：")
            continue
        if not text or _YEAR_LINE.match(text):
            continue
        if _NUMBER_LINE.match(text):
            number = text
        elif "表" in text and not title and len(text) <= 60 and not is_amount(text):
            title, number = text, number or number_of(text)
        elif text.strip("（）() ") == "" or (title and _YEAR_LINE.match(text.strip("（）()") + "年")):
            continue
        else:
            return None
    return title, number, unit, org


def unit_in_grid(grid: list[list[str | None]]) -> str:
    for row in grid[:2]:
        for cell in row:
            if cell and (match := _UNIT.search(cell)):
                return match.group(2)
    return ""


def is_amount(text: str) -> bool:
    """A figure that can only be money: decimals, thousands separators, or a
    whole number too long to be a column number or a year."""
    q = parse_quantity(text)
    if q is None:
        return False
    digits = text.strip().lstrip("-")
    return q.places > 0 or "," in text or (digits.isdigit() and len(digits) >= 4 and not _YEAR_LIKE.match(digits) and not _CODE.match(digits))


def is_code_cell(text: str) -> bool:
    match = _CODE_PREFIX.match(text)
    return bool(_CODE.match(text) or match and len(text) > 3 and not is_amount(text))


def is_data_row(row: list[str | None]) -> bool:
    cells = [c for c in row if c]
    if not cells:
        return False
    if any(is_amount(c) for c in cells):
        return True
    if row[0] is None:  # a first cell merged from above belongs to the header
        return False
    if is_code_cell(cells[0]):
        return True
    return all(_ROW_LABEL.match(c) or is_amount(c) or c in ("-", "—", "0") for c in cells)


def count_header_rows(grid: list[list[str | None]]) -> int:
    for index, row in enumerate(grid[:6]):
        if is_data_row(row) or index and row[0] and all(c == "" for c in row[1:]):  # a labelled row left blank
            return index
    merged = [i for i, row in enumerate(grid[:4]) if None in row]
    return min(len(grid), (merged[-1] + 2) if merged else 1)


def build_columns(grid, cover, header_count: int, catalog: Catalog, kind: str) -> list[Column]:
    width = len(grid[0]) if grid else 0
    latest = latest_header_year(grid[:header_count])
    columns = []
    for c in range(width):
        path: list[str] = []
        for r in range(header_count):
            rr, cc = cover[r][c] if r < len(cover) and c < len(cover[r]) else (r, c)
            if not (0 <= rr < header_count):
                rr, cc = r, c
            text = header_label(grid[rr][cc] or "", latest)
            if text and not _COLUMN_INDEX.match(text) and text not in path:
                path.append(text)
        columns.append(Column(c, tuple(path), catalog.column_key(tuple(path)) or "›".join(path) or f"#{c + 1}"))
    if catalog.is_two_sided(kind):
        assign_sides(columns)
    else:
        assign_blocks(columns)
    keep_first_key(columns)
    return columns


_HEADER_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def latest_header_year(rows) -> int:
    """The current year of a header comparing two consecutive years (2025年预算数 | 2026年预算数);
    0 for any other header (one year, or a medium-term plan 2026 | 2027 | 2028)."""
    years = {int(y) for row in rows for cell in row for y in _HEADER_YEAR.findall(cell or "")}
    return max(years) if len(years) == 2 and max(years) - min(years) == 1 else 0


def header_label(text: str, latest: int) -> str:
    """A header cell's label; a column of an earlier year than the table's
    latest (2025年预算数 beside 2026年预算数) is the previous year's: 上年预算数."""
    label = normalize_header(text)
    years = [int(y) for y in _HEADER_YEAR.findall(text)]
    if label and years and max(years) < latest:
        return "上年" + label
    return label


def assign_blocks(columns: list[Column]) -> None:
    """A list printed in side-by-side blocks (code | name | amount, repeated:
    central 决算 公开06表) gives each block its own side so rows stay whole."""
    starts = [c.index for c in columns if c.key == "code"]
    if len(starts) < 2:
        return
    for column in columns:
        block = sum(1 for start in starts if column.index >= start)
        column.side = f"block{block}" if block else ""
    for column in columns[starts[1]:]:
        if column.key not in NON_VALUE and column.path and column.path[-1] in ("决算数", "预算数", "金额", "合计"):
            column.key = "total"


def keep_first_key(columns: list[Column]) -> None:
    """Two columns cannot share a role on one side: the first keeps it, the
    later one is known by its header path (支出总计 … 政府采购›小计)."""
    seen = set()
    for column in columns:
        if (column.side, column.key) in seen and column.key in NON_VALUE:
            column.key = f"gov_{column.key}" if column.key in SPLIT_CODE_KEYS else f"{column.key}#{column.index + 1}"
        elif (column.side, column.key) in seen:
            column.key = "›".join(column.path) or f"#{column.index + 1}"
            if (column.side, column.key) in seen:
                column.key = f"{column.key}#{column.index + 1}"
        seen.add((column.side, column.key))


def assign_sides(columns: list[Column]) -> None:
    """Left half is income, right half expenditure: split at the second name column.
    An expenditure side printed in several classifications side by side (汉中: 功能 |
    部门经济 | 政府经济, each a name column and 预算数) gives each further name column's
    block its own side, expense2, expense3…, so every block keeps its rows."""
    names = [c.index for c in columns if c.key == "name" or (c.path and c.path[-1] in ("项目", "收入", "支出"))]
    split = names[1] if len(names) > 1 else len(columns) // 2
    blocks = names[2:]
    for column in columns:
        block = sum(1 for start in blocks if column.index >= start)
        column.side = "income" if column.index < split else "expense" + (str(block + 1) if block else "")
        if column.path and column.path[-1] in ("收入", "支出"):
            column.key = "name"
        elif column.key not in ("name", "code", "line_no") and column.index in (0, split, *blocks):
            column.key = "name"


def build_rows(grid, columns: list[Column], page: int, unit: str, offset: int, carry: dict[str, dict[str, str]] | None = None,
               boxes: list | None = None) -> list[Row]:
    """Rows of a grid; `carry` holds, per side, the 类 / 款 printed last (a continuation page starts with it);
    `boxes`, aligned with the grid, gives each cell its box on the page."""
    sides = sorted({c.side for c in columns})
    carry = {side: dict((carry or {}).get(side, {})) for side in sides}
    rows = []
    for index, cells in enumerate(grid):
        for side in sides:
            row = make_row(cells, [c for c in columns if c.side == side], page, unit, offset + index, carry[side],
                           boxes[index] if boxes and index < len(boxes) else None)
            if row is not None:
                rows.append(row)
    return rows


def split_code(texts: dict[str, str], carry: dict[str, str]) -> str:
    """类 / 款 / 项 printed in three columns → one code; a blank 类 or 款 is the one above."""
    parts = [texts.get(key, "").strip() for key in SPLIT_CODE_KEYS]
    if not any(parts):
        return ""
    depth = max(i for i, part in enumerate(parts) if part)
    code = ""
    for level, key in enumerate(SPLIT_CODE_KEYS[:depth + 1]):
        part = parts[level] or carry.get(key, "")
        code += part
        carry[key] = part
    for key in SPLIT_CODE_KEYS[depth + 1:]:
        carry.pop(key, None)
    return code if _CODE.match(code) else ""


def make_row(cells, columns: list[Column], page: int, unit: str, index: int, carry: dict | None = None, boxes: list | None = None) -> Row | None:
    texts = {c.key: (cells[c.index] or "") for c in columns if c.index < len(cells)}
    name = texts.get("name", "")
    code = texts.get("code", "")
    if code and not _CODE.match(code) and (match := _CODE_PREFIX.match(code)):
        code, name = match.group(1), name or match.group(2)
    elif code and not code[:3].isdigit():  # 合计 written in the code column
        code, name = "", name or code
    if not code and any(texts.get(k) for k in SPLIT_CODE_KEYS):
        code = split_code(texts, carry if carry is not None else {})
    if not code and (match := _CODE_PREFIX.match(name)) and not is_amount(name):
        code, name = match.group(1), match.group(2)
    if not code and _CODE.match(name):
        code, name = name, ""
    name = name.lstrip("-－—_ ")
    if not name and not code and not any(v for k, v in texts.items() if not is_label_key(k)):
        return None
    if all(_COLUMN_INDEX.match(v) for v in texts.values() if v):  # the column-number row (** 1 2 3)
        return None
    row = Row(index, page, name.replace(" ", ""), code, columns[0].side if columns else "", gov_code=texts.get("gov_code", "").strip())
    for column in columns:
        if is_label_key(column.key) or column.index >= len(cells):
            continue
        text = cells[column.index] or ""
        box = boxes[column.index] if boxes and column.index < len(boxes) else None
        row.values[column.key] = Cell(text, parse_quantity(text, unit), page, column.label, box)
    return row


def merge_continuations(tables: list[Table], catalog: Catalog, singles: set[int] = frozenset()) -> list[Table]:
    """Join each piece to the table it continues; a one-row piece (`singles`, by id) joins only as
    a continuation and is never continued itself."""
    merged: list[Table] = []
    for table in tables:
        previous = next((t for t in reversed(merged) if id(t) not in singles), None)
        if previous and (id(table) not in singles or previous is merged[-1]) and is_continuation(previous, table):
            append_rows(previous, table)
        else:
            merged.append(table)
    return merged


def is_continuation(first: Table, second: Table) -> bool:
    if second.pages[0] != first.pages[-1] + 1 or len(second.columns) != len(first.columns):
        return False
    if not second.title:
        return True
    # a continuation page may repeat the title without the table's number (表5 … / … on the next page)
    if second.title != first.title or second.number not in ("", first.number) or not first.header:
        return False
    # a part whose first rows carry no amount reads them as header rows too, and a column-number row (** 1 2)
    # is printed once: the second part's header starts with the first part's, column numbers aside
    if first.kind in FORM_KINDS:  # label | value forms: their rows look like header rows; joined only on the same header
        return second.header == first.header
    core, other = header_core(first.header), header_core(second.header)
    return other[:len(core)] == core


def place_short_codes(table: Table) -> None:
    """A table that prints its 类 with 3 digits and its 项 with 7 may print the 款 between them with
    only its own 2 digits (「99 其他卫生健康支出」 under 「210 卫生健康支出」): such a 款 belongs under the
    last 类 row above it, and takes its full code (21099). Elsewhere a 2-digit code is left as printed."""
    for side in {row.side for row in table.rows}:
        rows = [row for row in table.rows if row.side == side and row.code]
        lengths = {len(row.code) for row in rows}
        if not {2, 3, 7} <= lengths or not all(row.code.isdigit() for row in rows):
            continue
        category = ""
        for row in rows:
            if len(row.code) == 2 and category:
                row.code = category + row.code
            elif len(row.code) in (3, 5, 7):
                category = row.code[:3]


def header_core(header: list[list[str]]) -> list[list[str]]:
    return [row for row in header if not all(not c or _COLUMN_INDEX.match(c) for c in row)]


def headless(table: Table) -> bool:
    """A fragment whose 'header' is really data rows (labels, no header words)."""
    return all(all(not c or _ROW_LABEL.match(c) or is_amount(c) or is_code_cell(c) for c in row) for row in table.header)


def open_codes(table: Table) -> dict[str, dict[str, str]]:
    """Per side, the 类 / 款 / 项 of the last coded row of a table whose codes are printed in
    split 类 | 款 | 项 columns: a page that continues the table prints only 款 or 项 for the rest
    of the group it broke in (the next page opens with 「10 社会福利」 or 「02 事业单位医疗」, no 类)."""
    if not any(c.key in SPLIT_CODE_KEYS for c in table.columns):
        return {}
    carry: dict[str, dict[str, str]] = {}
    for row in table.rows:
        if row.code:
            parts = (row.code[:3], row.code[3:5], row.code[5:7])
            carry[row.side] = {key: part for key, part in zip(SPLIT_CODE_KEYS, parts) if part}
    return carry


def append_rows(first: Table, second: Table) -> None:
    """Join a continuation, reading its rows with the first part's columns."""
    body, boxes = second.grid, second.boxes
    while body and body[0] in first.header:
        body, boxes = body[1:], boxes[1:]
    first.rows.extend(build_rows(body, first.columns, second.pages[0], first.unit, len(first.grid), open_codes(first), boxes))
    first.pages.append(second.pages[0])
    first.grid.extend(body)
    first.boxes.extend(boxes)
    first.notes.extend(second.notes)
    first.empty_note = first.empty_note or second.empty_note
    first.merged_from += 1
