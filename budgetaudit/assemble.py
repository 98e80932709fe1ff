"""Raw pages → document model: table titles, units, header paths, rows keyed
by code and name, tables merged across pages, narrative lines left over."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .model import Cell, Column, Document, Line, Row, Table
from .narrative import split_narrative
from .numbers import parse_quantity
from .reader import RawPage, RawTable, drop_headers_footers, read_pages
from .recognize import UNKNOWN, Catalog, normalize_header

_TABLE_NO = r"(?:预算公开|部门预算|单位预算|部门公开|公开|预算|附)?表\s*[0-9一二三四五六七八九十]+(?:-\d+)?|(?:公开|预算)\s*\d{1,2}(?:-\d+)?表"
_NUMBER_LINE = re.compile(rf"^[（(]?(?:{_TABLE_NO})[)）]?$")
_NUMBER_IN_TITLE = re.compile(rf"^(?:{_TABLE_NO})[、.．:：]?|[（(](?:{_TABLE_NO})[)）]|(?:公开|预算)\d{{2}}(?:-\d+)?表")
_UNIT = re.compile(r"(金额)?单位\s*[:：]?\s*[（(]?(万元|元|千元|亿元)[)）]?")
_ORG = re.compile(r"^(单位名称|部门名称|编制单位|编制部门|预算单位|填报单位|部门（单位）名称|部门\(单位\)名称|部门（单位）|部门\(单位\)|部门|单位)\s*[:：]?\s*(\S.*)$")
_EMPTY_NOTE = re.compile(r"空表|本表无数据|无数据|本表为空|没有数据|无相关数据|此表无|不涉及")
_CODE = re.compile(r"^(\d{3}|\d{5}|\d{7})$")
_CODE_PREFIX = re.compile(r"^(\d{3}(?:\d{2}){0,2})(?:\s*[-－—_:：]\s*|\s+|(?=[^\d\s.,]))(\S.*)$")
_ROW_LABEL = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、]|合计|总计|本年|上年|收入总计|支出总计)")
_COLUMN_INDEX = re.compile(r"^(\*+|\d{1,2}|栏次|[A-Z]|[甲乙丙丁])$")
_YEAR_LINE = re.compile(r"^[（(]?\s*(19|20)\d{2}\s*年度?\s*[)）]?$")
SPLIT_CODE_KEYS = ("code_class", "code_section", "code_item")  # 类 / 款 / 项 in separate columns
MAX_CONTEXT_LINES = 6


@dataclass
class Placed:
    """A raw table with the page lines that frame it."""

    raw: RawTable
    above: list[Line] = field(default_factory=list)
    below: list[Line] = field(default_factory=list)


def build_document(path: Path, catalog: Catalog) -> Document:
    pages = list(read_pages(path))
    drop_headers_footers(pages)
    placed, used = place_tables(pages)
    tables = merge_continuations([to_table(p, catalog) for p in placed], catalog)
    for number, table in enumerate(tables, start=1):
        table.id = number
    lines = [ln for page in pages for ln in page.lines if id(ln) not in used]
    doc = Document(str(path), len(pages), [ln for page in pages for ln in page.lines], tables)
    doc.textless_pages = [p.number for p in pages if not p.has_text]
    doc.watermarks = sorted({p.watermark for p in pages if p.watermark})
    doc.watermark_pages = [p.number for p in pages if p.watermark]
    doc.sections, doc.sentences = split_narrative(lines)
    return doc


def place_tables(pages: list[RawPage]) -> tuple[list[Placed], set[int]]:
    """Attach to every table the lines between it and its neighbours."""
    placed, used = [], set()
    for page in pages:
        tables = sorted(page.tables, key=lambda t: t.bbox[1])
        for index, raw in enumerate(tables):
            floor = tables[index - 1].bbox[3] if index else -1
            ceiling = tables[index + 1].bbox[1] if index + 1 < len(tables) else page.height + 1
            above = [ln for ln in page.lines if floor < ln.top < raw.bbox[1]][-MAX_CONTEXT_LINES:]
            below = [ln for ln in page.lines if raw.bbox[3] < ln.top < ceiling and is_note(ln.text)]
            used.update(id(ln) for ln in above + below if is_table_context(ln.text))
            placed.append(Placed(raw, above, below))
    return placed, used


def is_note(text: str) -> bool:
    return text.startswith(("注", "备注", "说明", "如此表", "此表", "本表")) or bool(_EMPTY_NOTE.search(text) and len(text) < 80)


def is_table_context(text: str) -> bool:
    return len(text) <= 60 and ("表" in text or _UNIT.search(text) or _ORG.match(text) or _YEAR_LINE.match(text) or is_note(text))


def to_table(placed: Placed, catalog: Catalog) -> Table:
    raw = placed.raw
    grid = [list(r) for r in raw.grid]
    title, number, unit, org = read_context(placed.above)
    inner_title = title_row(grid)
    if inner_title:
        grid, raw_cover = grid[1:], raw.cover[1:]
        title = title or inner_title
        number = number or number_of(inner_title)
    else:
        raw_cover = raw.cover
    unit = unit or unit_in_grid(grid)
    kind = catalog.classify(title) if title else UNKNOWN
    header_count = count_header_rows(grid)
    columns = build_columns(grid, raw_cover, header_count, catalog, kind)
    rows = build_rows(grid[header_count:], columns, raw.page, unit, header_count)
    notes = [ln.text for ln in placed.below]
    table = Table(0, number, title, kind, unit, org, [raw.page], columns, rows,
                  header=[[c or "" for c in r] for r in grid[:header_count]], grid=[[c or "" for c in r] for r in grid], notes=notes)
    table.empty_note = next((n for n in notes if _EMPTY_NOTE.search(n)), "")
    return table


def read_context(lines: list[Line]) -> tuple[str, str, str, str]:
    title = number = unit = org = ""
    for line in reversed(lines):
        text = line.text
        if match := _UNIT.search(text):
            unit = unit or match.group(2)
            text = _UNIT.sub("", text).strip()
        if match := _ORG.match(text):
            org = org or match.group(2).strip()
            continue
        if not text or _YEAR_LINE.match(text):
            continue
        if _NUMBER_LINE.match(text):
            number = number or text
            continue
        if not title and "表" in text:
            title = text
        elif title and len(title) <= 3 and len(text) <= 50:  # a title wrapped onto two lines
            title = text + title
    return title, number or number_of(title), unit, org


def number_of(title: str) -> str:
    match = _NUMBER_IN_TITLE.search(title)
    return next((g for g in match.groups()[1:] if g), "") if match else ""


def title_row(grid: list[list[str | None]]) -> str:
    """A first row that is one merged cell naming the table is its title."""
    if len(grid) < 2:
        return ""
    texts = [c for c in grid[0] if c]
    if len(texts) == 1 and "表" in texts[0] and len(texts[0]) <= 60:
        return texts[0]
    return ""


def unit_in_grid(grid: list[list[str | None]]) -> str:
    for row in grid[:2]:
        for cell in row:
            if cell and (match := _UNIT.search(cell)):
                return match.group(2)
    return ""


def is_data_row(row: list[str | None]) -> bool:
    cells = [c for c in row if c]
    if not cells or row[0] is None:  # a first cell merged from above belongs to the header
        return False
    first = cells[0]
    if _CODE.match(first) or _CODE_PREFIX.match(first) and len(first) > 3 and first[:3].isdigit():
        return True
    position = next(i for i, c in enumerate(row) if c)
    if _ROW_LABEL.match(first) and (position <= 1 or not is_total_word(first)):
        return True
    return any(q is not None and (q.places > 0 or "," in c) for c in cells for q in [parse_quantity(c)])


def is_total_word(text: str) -> bool:
    return text.replace(" ", "") in ("合计", "总计", "小计")


def count_header_rows(grid: list[list[str | None]]) -> int:
    """Leading rows that label columns. The first column gets one label; a
    second text in it starts the data (an empty table has only labels)."""
    labelled = False
    for index, row in enumerate(grid[:5]):
        if is_column_index_row(row):
            continue
        if is_data_row(row) or (row[0] and labelled and not is_label_row(row)):
            return index
        labelled = labelled or bool(row[0])
    merged = [i for i, row in enumerate(grid[:4]) if None in row]
    return min(len(grid), (merged[-1] + 2) if merged else 1)


def is_label_row(row: list[str | None]) -> bool:
    """Most cells filled with words: column labels, not a data row with blanks."""
    filled = [_YEAR_IN_LABEL.sub("", c) for c in row if c]
    return len(filled) * 2 >= len(row) and not any(any(ch.isdigit() for ch in c) for c in filled)


def is_column_index_row(row: list[str | None]) -> bool:
    """A row of column numbers (1 2 3 …, or ** 1 2) printed under the header."""
    cells = [c for c in row if c]
    return len(cells) >= 2 and all(_COLUMN_INDEX.match(c) for c in cells)


def build_columns(grid, cover, header_count: int, catalog: Catalog, kind: str) -> list[Column]:
    width = len(grid[0]) if grid else 0
    columns = []
    for c in range(width):
        path: list[str] = []
        for r in range(header_count):
            rr, cc = cover[r][c] if r < len(cover) and c < len(cover[r]) else (r, c)
            text = normalize_header(grid[rr][cc] if rr < len(grid) else "") if grid[rr][cc] else ""
            if text and not _COLUMN_INDEX.match(text) and (not path or path[-1] != text):
                path.append(text)
        columns.append(Column(c, tuple(path), catalog.column_key(tuple(path)) or "›".join(path) or f"#{c + 1}"))
    if catalog.is_two_sided(kind):
        assign_sides(columns)
    return columns


def assign_sides(columns: list[Column]) -> None:
    """Left half is income, right half expenditure: split at the second name column."""
    names = [c.index for c in columns if c.key == "name" or (c.path and c.path[-1] in ("项目", "收入", "支出"))]
    split = names[1] if len(names) > 1 else len(columns) // 2
    for column in columns:
        column.side = "income" if column.index < split else "expense"
        if column.path and column.path[-1] in ("收入", "支出"):
            column.key = "name"
        elif column.key not in ("name", "code") and column.index in (0, split):
            column.key = "name"


def build_rows(grid, columns: list[Column], page: int, unit: str, offset: int) -> list[Row]:
    sides = sorted({c.side for c in columns})
    rows = []
    for index, cells in enumerate(grid):
        for side in sides:
            row = make_row(cells, [c for c in columns if c.side == side], page, unit, offset + index)
            if row is not None:
                rows.append(row)
    return rows


def make_row(cells, columns: list[Column], page: int, unit: str, index: int) -> Row | None:
    texts = {c.key: (cells[c.index] or "") for c in columns if c.index < len(cells)}
    name = texts.get("name", "")
    code = texts.get("code", "")
    if code and not code.isdigit():  # a label such as 合计 written in the code column
        name, code = name or code, ""
    if not code and (match := _CODE_PREFIX.match(name)) and match.group(1).isdigit():
        code, name = match.group(1), match.group(2)
    if not code and _CODE.match(name):
        code, name = name, ""
    if not name and not code and not any(v for k, v in texts.items() if k not in ("name", "code")):
        return None
    row = Row(index, page, name.replace(" ", ""), code, columns[0].side if columns else "")
    for column in columns:
        if column.key in ("name", "code") or column.index >= len(cells):
            continue
        text = cells[column.index] or ""
        row.values[column.key] = Cell(text, parse_quantity(text, unit), page, column.label)
    return row


def merge_continuations(tables: list[Table], catalog: Catalog) -> list[Table]:
    merged: list[Table] = []
    for table in tables:
        previous = merged[-1] if merged else None
        if previous and is_continuation(previous, table):
            append_rows(previous, table)
        else:
            merged.append(table)
    return merged


def is_continuation(first: Table, second: Table) -> bool:
    if second.pages[0] != first.pages[-1] + 1 or len(second.columns) != len(first.columns):
        return False
    if not second.title:
        return True
    return second.title == first.title and second.number == first.number and second.header == first.header and bool(first.header)


def append_rows(first: Table, second: Table) -> None:
    """Join a continuation, reading its rows with the first part's columns."""
    body = second.grid
    while body and body[0] in first.header:
        body = body[1:]
    first.rows.extend(build_rows(body, first.columns, second.pages[0], first.unit, len(first.grid)))
    first.pages.append(second.pages[0])
    first.grid.extend(body)
    first.notes.extend(second.notes)
    first.empty_note = first.empty_note or second.empty_note
    first.merged_from += 1
