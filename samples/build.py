"""Build realistic budget-disclosure PDFs from the seed texts.

The seeds (shared/seeds/NNN_*.txt) are text extracted from real Chinese
government budget PDFs: narrative lines, and tables as tab-separated lines.
This script lays them out again as PDFs that look and parse like the
originals: a cover, a 目录 page, narrative in Song with headings in Hei, and
ruled tables with merged header cells, repeated headers on continuation
pages, page numbers, and (for drafts) a diagonal watermark drawn on top.

    python samples/build.py                      # all seeds -> samples/
    python samples/build.py --seeds DIR --out DIR
    python samples/build.py --layout b5 --out /tmp/x   # a layout variant (LAYOUTS), files named *-b5.pdf

Tests build variants with `build_pdf(seed_text, out_path, watermark=...,
replacements=[("1,289.27", "1,289.28")])` (every occurrence is replaced;
a target missing from the seed raises ValueError) and read the expected
cells with `table_blocks(seed_text, watermark)`.

Layout rules, all inferred from the seed text:
- cover: the lines before 目录; contents: from 目录 until its first entry
  comes back (or 前言); each seed line is one paragraph (continuation lines
  of a sentence get no first-line indent).
- every run of tab-separated lines is a table. The short lines right above
  it (a title containing 表, 表N / 附件N / 预算公开表N, 单位名称：, 单位：,
  (2025年度)) are its title block, drawn above it on a new page and again
  on every continuation page; 备注/注/此表 lines right after it are notes.
  An untitled table right after one with as many columns is the rest of
  that table cut by a page break in the original: new page, same columns,
  no header. Tables too wide for portrait go on landscape pages.
- header rows: the leading rows before the first data row (a row with an
  amount, a code or 合计 first, an enumerated item, or only a label), at
  most four. In them a cell spans right over the empty cells after it (not
  past the edge of the cell above) and down over empty cells below it.
  Data rows never merge: their empty cells stay empty ruled cells.

Every character of the seed is kept, except extraction markup that a real
PDF never shows: line-start markers ("# ", "## ", "- "), inline bold
("**x**", "<b>x</b>", drawn in Hei instead) and cell paragraphs
("<p>x</p>", drawn as line breaks inside the cell). When a watermark is
given, seed lines that are just the watermark text (the original PDF's
watermark, extracted as text) are dropped: the watermark is drawn instead.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

# seed file -> output name and watermark
SAMPLES: dict[str, dict] = {
    "000_78137dfeb4d058b9.txt": {"name": "anshan-zwfwzx-2025.pdf", "watermark": None},
    "001_747706cdbd23d2a2.txt": {"name": "dashuju-2024.pdf", "watermark": None},
    "002_34e44ed35e487193.txt": {"name": "yongdeng-zwfw-2024.pdf", "watermark": None},
    "003_2d14f0e28e5e627a.txt": {"name": "hanzhong-zwfw-2023.pdf", "watermark": None},
    "004_dd2c9fa6441a52f3.txt": {"name": "yangcheng-zwfw-2025.pdf", "watermark": "仅供内部审核"},
}

FONT_FILES = {
    "Song": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    "Kai": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
    "Hei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
}
FALLBACK_FONT = "STSong-Light"

# page geometry (points)
MARGIN_TOP = 72
MARGIN_BOTTOM = 64
MARGIN_SIDE = 68
FOOTER_Y = 34

BODY_SIZE = 11.5
BODY_LEADING = 21
CELL_SIZE = 8
CELL_PAD_X = 3
CELL_PAD_Y = 3
RULE_WIDTH = 0.6
MAX_HEADER_ROWS = 4

# layout variants (see LAYOUTS); the defaults draw the shipped samples
TABLE_WIDTH = 1.0            # share of the text width a table may use (< 1: cells wrap)
REPEAT_TITLES = True         # table titles again on continuation pages (the header rows always are)
NOTES_ON_NEW_PAGE = False    # a table's 备注 on the page after the table
BREAK_BEFORE_CATEGORY = False  # a page break right before the second and the last 类 row of a table
BREAK_IN_FORMS = False       # a page break in the middle of every 绩效目标表
SAME_FONT = ""               # draw every text in this font role ("Hei": embedded TrueType)

CN_NUM = "一二三四五六七八九十"
PART = re.compile(rf"^第[{CN_NUM}]+部分")
CHAPTER = re.compile(rf"^第[{CN_NUM}]+章")
SECTION1 = re.compile(rf"^[{CN_NUM}]+、")
SECTION2 = re.compile(rf"^[（(][{CN_NUM}]+[)）]")
ENUMERATOR = re.compile(rf"^([{CN_NUM}]+、|[（(][{CN_NUM}\d]+[)）]|\d+[、.．]|[①-⑳])")
AMOUNT = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
CODE = re.compile(r"^\d{3,}")
TOTAL_WORDS = {"合计", "总计", "小计", "部门合计", "金额合计"}
TABLE_NUMBER = re.compile(rf"^(附件\s*\d+|表\s*[\d{CN_NUM}]+|预算公开表\s*\d+)$")
UNIT_NAME = re.compile(r"^(单位名称|部门名称|部门（单位）名称|部门\(单位\)名称)\s*[:：]")
UNIT = re.compile(r"^单位\s*[:：]")
YEAR_NOTE = re.compile(r"^[（(]\s*\d{4}\s*年度?\s*[)）]$")
NOTE = re.compile(r"^((备注|注)\s*[:：]|此表)")
SENTENCE_END = "。；;！？!?"
CLOSING_PUNCT = set("，。、；：？！）》」』】〕”’,.;:?!)]%")


# --------------------------------------------------------------------------
# fonts

def register_fonts() -> dict[str, str]:
    """Register Song/Kai/Hei; fall back to the built-in STSong-Light."""
    fonts = {}
    for role, (path, index) in FONT_FILES.items():
        if Path(path).exists():
            if role not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(role, path, subfontIndex=index))
            fonts[role] = role
    if len(fonts) < len(FONT_FILES):
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
        for role in FONT_FILES:
            fonts.setdefault(role, FALLBACK_FONT)
    return fonts


def text_width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


# --------------------------------------------------------------------------
# markup

def strip_line_marker(line: str) -> str:
    """Drop markdown line markers ('# ', '## ', '- ') the extraction added."""
    stripped = line.lstrip()
    if stripped.startswith("#"):
        return stripped.lstrip("#").strip()
    if stripped.startswith("- "):
        return stripped[2:]
    return line.rstrip()


def bold_segments(text: str) -> list[tuple[str, bool]]:
    """Split '**x**' / '<b>x</b>' into (text, bold) segments."""
    parts = re.split(r"(\*\*.+?\*\*|<b>.*?</b>)", text)
    segments = []
    for part in parts:
        if not part:
            continue
        if part.startswith("**") and part.endswith("**") and len(part) > 4:
            segments.append((part[2:-2], True))
        elif part.startswith("<b>"):
            segments.append((part[3:-4], True))
        else:
            segments.append((part, False))
    return segments


def clean_cell(text: str) -> str:
    """Cell text as drawn: no <b>, and <p> paragraphs as line breaks."""
    text = re.sub(r"</?b>", "", text)
    text = re.sub(r"</p>\s*<p>", "\n", text)
    text = re.sub(r"</?p>", "", text)
    return text.strip()


def is_amount(text: str) -> bool:
    return bool(AMOUNT.match(text.strip()))


# --------------------------------------------------------------------------
# document model

@dataclass
class TableGroup:
    titles: list[str]                    # lines above the table, seed order
    rows: list[list[str]] | None         # None: title block without a table
    notes: list[str] = field(default_factory=list)
    continues: bool = False              # untitled rest of the previous table


@dataclass
class Heading:
    text: str
    level: str  # part, chapter, title, section1, section2, doc_title


@dataclass
class Paragraph:
    segments: list[tuple[str, bool]]
    indent: bool


@dataclass
class Document:
    cover: list[str]
    toc_title: str                       # the 目录 line as written ('目 录')
    toc: list[list[str]]                 # each entry: cells (1 for plain lines)
    body: list                           # Heading | Paragraph | TableGroup


@dataclass
class _Text:
    raw: str
    used: bool = False


@dataclass
class _Rows:
    rows: list[list[str]]


class _Blank:
    pass


def _norm(line: str) -> str:
    return re.sub(r"\s+", "", strip_line_marker(line.split("\t")[0]).replace("*", ""))


def split_sections(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Cover lines (before 目录), 目录 lines (from the 目录 line), body lines.

    The contents end where their first entry comes back as a heading, or
    at 前言.
    """
    toc_at = next((i for i, l in enumerate(lines) if _norm(l) == "目录"), None)
    if toc_at is None:
        return [], [], lines
    entries = [i for i in range(toc_at + 1, len(lines)) if lines[i].strip()]
    first = _norm(lines[entries[0]]) if entries else ""
    body_at = len(lines)
    for i in entries[1:]:
        key = _norm(lines[i])
        if key == first or key == "前言":
            body_at = i
            break
    else:
        long_lines = [i for i in entries if len(lines[i]) > 60 and "\t" not in lines[i]]
        body_at = long_lines[0] if long_lines else body_at
    return lines[:toc_at], lines[toc_at:body_at], lines[body_at:]


def _entries(lines: list[str]) -> list:
    entries: list = []
    for line in lines:
        if "\t" in line:
            cells = line.split("\t")
            if entries and isinstance(entries[-1], _Rows):
                entries[-1].rows.append(cells)
            else:
                entries.append(_Rows([cells]))
        elif not line.strip():
            entries.append(_Blank())
        else:
            entries.append(_Text(line))
    return entries


def title_kind(line: str) -> str | None:
    """Kind of a line that may sit above a table, or None."""
    text = re.sub(r"</?b>|\*\*", "", strip_line_marker(line)).strip()
    if not text or PART.match(text) or CHAPTER.match(text):
        return None
    if TABLE_NUMBER.match(text):
        return "number"
    if UNIT_NAME.match(text):
        return "unitname"
    if UNIT.match(text):
        return "unit"
    if YEAR_NOTE.match(text):
        return "year"
    if re.match(rf"^表[\d{CN_NUM}]+、", text):
        return "title"
    if "表" in text and len(text) <= 60 and text[-1] not in SENTENCE_END + "，,：:" \
            and "：" not in text and ":" not in text:
        return "title"
    if len(text) <= 8 and not re.search(r"[，。；：:、]", text):
        return "short"
    return None


def collect_titles(entries: list, end: int) -> list[int]:
    """Indexes of the title lines right above entries[end] (exclusive)."""
    found: list[tuple[int, str]] = []
    k = end - 1
    while k >= 0 and len(found) < 8:
        entry = entries[k]
        if isinstance(entry, _Blank):
            k -= 1
            continue
        if not isinstance(entry, _Text) or entry.used:
            break
        kind = title_kind(entry.raw)
        if kind is None:
            break
        if kind == "title" and any(f[1] == "title" for f in found):
            break
        if any(f[1] == "title" for f in found) and kind != "number":
            break
        found.append((k, kind))
        k -= 1
    found.reverse()
    if any(kind == "title" for _, kind in found):
        return [k for k, _ in found]
    keep: list[int] = []
    for k, kind in reversed(found):
        if kind == "short":
            break
        keep.append(k)
    return sorted(keep)


def collect_notes(entries: list, start: int) -> list[int]:
    """Indexes of the note lines (备注/注) right after a table."""
    k = start
    while k < len(entries) and isinstance(entries[k], _Blank):
        k += 1
    if k >= len(entries) or not isinstance(entries[k], _Text) or entries[k].used:
        return []
    if not NOTE.match(strip_line_marker(entries[k].raw).strip()):
        return []
    notes = [k]
    k += 1
    while k < len(entries) and isinstance(entries[k], _Text) and not entries[k].used \
            and not isinstance(classify_text(entries[k].raw, True), Heading):
        notes.append(k)
        k += 1
    return notes


def classify_text(raw: str, starts_paragraph: bool):
    """Heading or Paragraph for one body line."""
    is_markdown = raw.lstrip().startswith("#")
    text = strip_line_marker(raw)
    plain = re.sub(r"\*\*|</?b>", "", text).strip()
    if not plain:
        return Paragraph([(text, False)], starts_paragraph)
    short = len(plain) <= 40 and plain[-1] not in SENTENCE_END
    if PART.match(plain) and short:
        return Heading(plain, "part")
    if CHAPTER.match(plain) and len(plain) <= 20:
        return Heading(plain, "chapter")
    if (is_markdown and raw.lstrip().startswith("# ")) or plain in ("前言", "目录"):
        return Heading(plain, "title")
    if SECTION1.match(plain) and short:
        return Heading(plain, "section1")
    if SECTION2.match(plain) and short:
        return Heading(plain, "section2")
    if is_markdown:
        return Heading(plain, "section2")
    if starts_paragraph and plain.endswith("表") and len(plain) <= 40 and "：" not in plain:
        return Heading(plain, "doc_title")
    return Paragraph(bold_segments(text), starts_paragraph or bool(ENUMERATOR.match(plain)))


def parse_seed(text: str, watermark: str | None = None) -> Document:
    lines = text.replace("\r\n", "\n").split("\n")
    if watermark:
        lines = [l for l in lines if l.strip() != watermark]
    cover_lines, toc_lines, body_lines = split_sections(lines)
    cover = [strip_line_marker(l).strip() for l in cover_lines if l.strip()]
    toc_title = strip_line_marker(toc_lines[0]).strip() if toc_lines else ""
    toc = [[strip_line_marker(c) for c in l.split("\t")] for l in toc_lines[1:] if l.strip()]
    return Document(cover, toc_title, toc, parse_body(body_lines))


def parse_body(lines: list[str]) -> list:
    entries = _entries(lines)
    groups: dict[int, TableGroup] = {}   # entry index where the group is placed
    for i, entry in enumerate(entries):
        if isinstance(entry, _Rows):
            groups[i] = TableGroup(_take(entries, collect_titles(entries, i)), entry.rows)
    for i, entry in enumerate(entries):
        if isinstance(entry, _Text) and not entry.used \
                and UNIT.match(strip_line_marker(entry.raw).strip()):
            groups[i] = TableGroup(_take(entries, collect_titles(entries, i + 1)), None)
    for i, group in groups.items():
        group.notes = _take(entries, collect_notes(entries, i + 1))
    body: list = []
    previous_ends = True
    for i, entry in enumerate(entries):
        if i in groups:
            body.append(groups[i])
            previous_ends = True
        elif isinstance(entry, _Blank):
            previous_ends = True
        elif isinstance(entry, _Text) and not entry.used:
            item = classify_text(entry.raw, previous_ends)
            body.append(item)
            last = strip_line_marker(entry.raw).rstrip()
            previous_ends = isinstance(item, Heading) or last[-1:] in SENTENCE_END + "：:"
    mark_continuations(body)
    return body


def mark_continuations(body: list) -> None:
    """An untitled table right after a table with as many columns is the
    rest of that table: the seed shows a page break inside it."""
    for previous, item in zip(body, body[1:]):
        if isinstance(item, TableGroup) and item.rows and not item.titles \
                and isinstance(previous, TableGroup) and previous.rows and not previous.notes:
            item.continues = max(map(len, item.rows)) == max(map(len, previous.rows))


def _take(entries: list, indexes: list[int]) -> list[str]:
    """Mark entries as used and return their lines."""
    for k in indexes:
        entries[k].used = True
    return [entries[k].raw for k in indexes]


# --------------------------------------------------------------------------
# tables: header rows and merged cells

def is_data_row(cells: list[str]) -> bool:
    """A row with an amount, a code or 合计 first, an enumerated item
    (一、 （一） 1、) first, or only a label in its first cell."""
    filled = [c.strip() for c in cells if c.strip()]
    if not filled:
        return False
    first = re.sub(r"\s+", "", clean_cell(filled[0]))
    if any(is_amount(c) for c in filled):
        return True
    label = re.sub(r"\s+", "", clean_cell(cells[0]))
    if CODE.match(first) or label in TOTAL_WORDS or ENUMERATOR.match(first):
        return True
    only_label = len(filled) == 1 and cells[0].strip() and len(cells) >= 3
    return bool(only_label)


def header_row_count(rows: list[list[str]]) -> int:
    """Leading rows before the first data row (at most MAX_HEADER_ROWS)."""
    for i, row in enumerate(rows[:MAX_HEADER_ROWS + 1]):
        if is_data_row(row):
            return i
    if len(rows) > 1 and all(c.strip() for c in rows[0]):
        return 1
    return 0


@dataclass
class Cell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    bold: bool = False
    align: str = "left"


def pad_rows(rows: list[list[str]]) -> list[list[str]]:
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def header_cells(rows: list[list[str]], n_header: int) -> list[Cell]:
    """Cells of the header rows with spans.

    A non-empty header cell spans right over the empty cells that follow it
    (not past the edge of the cell above it), then down over the rows below
    whose cells under it are all empty. Empty cells nobody covers stay cells.
    """
    ncols = len(rows[0])
    owner: dict[tuple[int, int], Cell] = {}
    cells: list[Cell] = []
    for r in range(n_header):
        for c in range(ncols):
            if (r, c) in owner or not rows[r][c].strip():
                continue
            cell = Cell(rows[r][c], r, c, header=True)
            end = c + 1
            while end < ncols and not rows[r][end].strip() and (r, end) not in owner \
                    and _same_owner_above(owner, r, c, end):
                end += 1
            cell.colspan = end - c
            bottom = r + 1
            while bottom < n_header and all(
                    not rows[bottom][k].strip() and (bottom, k) not in owner for k in range(c, end)):
                bottom += 1
            cell.rowspan = bottom - r
            for rr in range(r, bottom):
                for cc in range(c, end):
                    owner[(rr, cc)] = cell
            cells.append(cell)
    for r in range(n_header):
        for c in range(ncols):
            if (r, c) not in owner:
                cell = Cell("", r, c, header=True)
                owner[(r, c)] = cell
                cells.append(cell)
    return cells


def _same_owner_above(owner: dict, r: int, c: int, end: int) -> bool:
    if r == 0:
        return True
    return owner.get((r - 1, c)) is owner.get((r - 1, end))


CODE_HEADER = re.compile(r"编码|代码|序号|编号")


def table_cells(rows: list[list[str]], continues: bool = False) -> tuple[list[list[str]], int, list[Cell]]:
    """Padded rows, number of header rows and the cells to draw.

    The rest of a table cut by a page break in the seed has no header.
    """
    rows = pad_rows(rows)
    n_header = 0 if continues else header_row_count(rows)
    cells = header_cells(rows, n_header)
    code_cols = {c for cell in cells if CODE_HEADER.search(cell.text)
                 for c in range(cell.col, cell.col + cell.colspan)}
    for r in range(n_header, len(rows)):
        numbers_row = is_column_number_row(rows[r])
        for c, text in enumerate(rows[r]):
            cell = Cell(text, r, c)
            cell.align = data_align(text, c, code_cols, numbers_row)
            cells.append(cell)
    for cell in cells:
        cell.bold = cell.header or "<b>" in cell.text
        cell.text = clean_cell(cell.text)
        if cell.header:
            cell.align = "center"
    return rows, n_header, cells


def is_column_number_row(cells: list[str]) -> bool:
    """A row such as '**  1  2  3' or '1  2  3  4' numbering the columns."""
    filled = [c.strip() for c in cells if c.strip()]
    return len(filled) >= 3 and all(re.fullmatch(r"\d{1,2}|\*\*", c) for c in filled)


def data_align(text: str, col: int, code_cols: set[int], numbers_row: bool) -> str:
    text = text.strip()
    if numbers_row:
        return "center"
    if col in code_cols or (col == 0 and re.fullmatch(r"\d+", text)):
        return "left"
    return "right" if is_amount(text) else "left"


def table_blocks(seed_text: str, watermark: str | None = None) -> list[dict]:
    """Tables as drawn: {'titles', 'rows' (clean cells, padded), 'header_rows',
    'continues' (an untitled, headerless rest of the previous table)}.

    For tests: the expected cell values of every table in the PDF (table
    blocks inside the 目录 are drawn as a contents list, not a table).
    """
    doc = parse_seed(seed_text, watermark)
    blocks = []
    for item in doc.body:
        if isinstance(item, TableGroup) and item.rows:
            rows, n_header, _ = table_cells(item.rows, item.continues)
            blocks.append({
                "titles": [strip_line_marker(t).strip() for t in item.titles],
                "rows": [[clean_cell(c) for c in row] for row in rows],
                "header_rows": n_header,
                "continues": item.continues,
            })
    return blocks


# --------------------------------------------------------------------------
# line wrapping

LATIN = r"[A-Za-z0-9.,%\-+/:=@_<>\\]+"
UNIT_RE = re.compile(rf"(?:{LATIN}|\S)(?:\s+(?:{LATIN}|\S))*|\s+")


def _tokens(text: str) -> list[str]:
    """Unbreakable pieces: Latin/digit runs and single characters, glued
    to their neighbours across spaces so that no line starts or ends with
    a space (a space at a line end is lost by text extraction)."""
    return UNIT_RE.findall(text)


def wrap(segments: list[tuple[str, str]], size: float, width: float,
         first_indent: float = 0) -> list[list[tuple[str, str]]]:
    """Wrap (text, font) segments into lines of at most `width` points.

    A closing punctuation mark never starts a line: the character before it
    moves down with it.
    """
    lines: list[list[tuple[str, str, float]]] = [[]]
    limit = width - first_indent
    used = 0.0
    for text, font in segments:
        for token in _tokens(text):
            pieces = [token]
            w = text_width(token, font, size)
            if w > limit:   # longer than a whole line: split into characters
                pieces = list(token)
            for piece in pieces:
                pw = text_width(piece, font, size)
                if used + pw > limit + 0.01 and lines[-1]:
                    carry = []
                    if piece[0] in CLOSING_PUNCT and len(lines[-1]) > 1:
                        carry = [lines[-1].pop()]
                    lines.append(carry)
                    limit = width
                    used = sum(item[2] for item in carry)
                lines[-1].append((piece, font, pw))
                used += pw
    return [_merge(line) for line in lines if line] or [[]]


def _merge(line: list[tuple[str, str, float]]) -> list[tuple[str, str]]:
    merged: list[tuple[str, str]] = []
    for text, font, _ in line:
        if merged and merged[-1][1] == font:
            merged[-1] = (merged[-1][0] + text, font)
        else:
            merged.append((text, font))
    return merged


def line_width(line: list[tuple[str, str]], size: float) -> float:
    return sum(text_width(t, f, size) for t, f in line)


# --------------------------------------------------------------------------
# PDF writer

class Writer:
    """A canvas with a text cursor, page breaks, footer and watermark."""

    def __init__(self, path: Path, fonts: dict[str, str], watermark: str | None, title: str):
        self.canvas = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
        self.canvas.setTitle(title)
        self.canvas.setCreator("budgetaudit samples/build.py")
        self.fonts = fonts
        self.watermark = watermark
        self.page_no = 0
        self.is_landscape = False
        self.page_open = False
        self.has_body = False
        self.y = 0.0
        self.last_table = None   # (landscape, column widths, font size)

    # pages
    @property
    def size(self) -> tuple[float, float]:
        return landscape(A4) if self.is_landscape else A4

    @property
    def left(self) -> float:
        return MARGIN_SIDE

    @property
    def width(self) -> float:
        return self.size[0] - 2 * MARGIN_SIDE

    @property
    def bottom(self) -> float:
        return MARGIN_BOTTOM

    def start_page(self, is_landscape: bool = False) -> None:
        if self.page_open:
            self.finish_page()
        self.is_landscape = is_landscape
        self.canvas.setPageSize(self.size)
        self.page_no += 1
        self.page_open = True
        self.has_body = False
        self.y = self.size[1] - MARGIN_TOP

    def finish_page(self) -> None:
        if self.page_no > 1:
            self.canvas.setFillColor(black)
            self.canvas.setFont(self.fonts["Song"], 10)
            self.canvas.drawCentredString(self.size[0] / 2, FOOTER_Y, f"- {self.page_no} -")
        if self.watermark:
            self.draw_watermark()
        self.canvas.showPage()
        self.page_open = False

    def draw_watermark(self) -> None:
        c = self.canvas
        c.saveState()
        c.setFillColor(Color(0.55, 0.55, 0.55, alpha=0.35))
        c.setFont(self.fonts["Hei"], 60)
        c.translate(self.size[0] / 2, self.size[1] / 2)
        c.rotate(45)
        c.drawCentredString(0, -20, self.watermark)
        c.restoreState()

    def new_section(self, is_landscape: bool = False) -> None:
        """Start a new page unless the current one holds only headings."""
        if not self.page_open or self.has_body or self.is_landscape != is_landscape:
            self.start_page(is_landscape)

    def ensure(self, height: float) -> None:
        if not self.page_open:
            self.start_page(False)
        elif self.y - height < self.bottom:
            self.start_page(self.is_landscape)

    def save(self) -> None:
        if self.page_open:
            self.finish_page()
        self.canvas.save()

    # text
    def draw_line(self, line: list[tuple[str, str]], size: float, x: float, y: float) -> None:
        c = self.canvas
        c.setFillColor(black)
        for text, font in line:
            c.setFont(font, size)
            c.drawString(x, y, text)
            x += text_width(text, font, size)

    def text_line(self, text: str, font: str, size: float, align: str = "left",
                  leading: float | None = None, indent: float = 0) -> None:
        """One line or a wrapped block of plain text at the cursor."""
        leading = leading or size * 1.7
        for line in wrap([(text, font)], size, self.width - indent):
            self.ensure(leading)
            self.y -= leading
            self.place(line, size, align, indent)

    def place(self, line: list[tuple[str, str]], size: float, align: str, indent: float = 0) -> None:
        w = line_width(line, size)
        if align == "center":
            x = self.left + (self.width - w) / 2
        elif align == "right":
            x = self.left + self.width - w
        else:
            x = self.left + indent
        self.draw_line(line, size, x, self.y)


# --------------------------------------------------------------------------
# rendering: cover, contents, narrative

def render_cover(w: Writer, cover: list[str]) -> None:
    w.start_page(False)
    fonts = w.fonts
    lines = [l for l in cover if l]
    attachment = [l for l in lines if re.match(r"^附件\s*\d*$", l)]
    for line in attachment:
        w.canvas.setFont(fonts["Hei"], 14)
        w.canvas.drawString(w.left, w.size[1] - MARGIN_TOP, line)
    lines = [l for l in lines if l not in attachment]
    y = w.size[1] * 0.64
    for i, line in enumerate(lines):
        size = 26 if i == 0 else 22
        for wrapped in wrap([(line, fonts["Hei"])], size, w.width):
            w.y = y
            w.place(wrapped, size, "center")
            y -= size * 1.9
        y -= 10
    w.has_body = True


def render_toc(w: Writer, title: str, toc: list[list[str]]) -> None:
    """目录: parts in Hei, entries indented, page numbers (if any) at right."""
    w.start_page(False)
    fonts = w.fonts
    w.y -= 10
    w.text_line(title, fonts["Hei"], 20, "center", leading=30)
    w.y -= 14
    entries = []
    for cells in toc:
        label = cells[0].strip()
        page = cells[-1].strip() if len(cells) > 1 else ""
        is_part = bool(PART.match(label))
        font = fonts["Hei"] if is_part else fonts["Song"]
        indent = 0 if is_part else 24
        entries.append((wrap([(label, font)], 12, w.width - indent - 30), font, indent, page))
    n_lines = sum(len(lines) for lines, *_ in entries)
    leading = max(15.0, min(23.0, (w.y - w.bottom) / max(1, n_lines)))
    for lines, font, indent, page in entries:
        for line in lines:
            w.ensure(leading)
            w.y -= leading
            w.place(line, 12, "left", indent)
        if page:
            w.canvas.setFont(font, 12)
            w.canvas.drawRightString(w.left + w.width, w.y, page)
    w.has_body = True


HEADING_STYLE = {   # level -> font role, size, align, space before
    "part": ("Hei", 17, "center", 12),
    "doc_title": ("Hei", 17, "center", 12),
    "title": ("Hei", 17, "center", 10),
    "chapter": ("Hei", 13.5, "center", 8),
    "section1": ("Hei", 13, "left", 6),
    "section2": ("Kai", 12.5, "left", 2),
}


def render_heading(w: Writer, heading: Heading) -> None:
    role, size, align, space = HEADING_STYLE[heading.level]
    if heading.level in ("part", "doc_title"):
        w.new_section(False)
    elif not w.page_open or w.is_landscape:
        w.start_page(False)
    w.ensure(space + size * 1.8 + BODY_LEADING * 2)   # keep with next lines
    if w.has_body or heading.level not in ("part", "doc_title"):
        w.y -= space
    indent = 2 * BODY_SIZE if align == "left" else 0
    w.text_line(heading.text, w.fonts[role], size, align, leading=size * 1.8, indent=indent)
    if heading.level in ("part", "doc_title", "title"):
        w.y -= 8


def render_paragraph(w: Writer, para: Paragraph) -> None:
    if not w.page_open or w.is_landscape:
        w.start_page(False)
    fonts = w.fonts
    segments = [(text, fonts["Hei"] if bold else fonts["Song"]) for text, bold in para.segments]
    indent = 2 * BODY_SIZE if para.indent else 0
    for i, line in enumerate(wrap(segments, BODY_SIZE, w.width, indent)):
        w.ensure(BODY_LEADING)
        w.y -= BODY_LEADING
        w.draw_line(line, BODY_SIZE, w.left + (indent if i == 0 else 0), w.y)
    w.has_body = True


# --------------------------------------------------------------------------
# rendering: tables

@dataclass
class TableLayout:
    widths: list[float]
    heights: list[float]
    cells: list[Cell]
    lines: dict[int, list[list[tuple[str, str]]]]   # id(cell) -> wrapped lines
    n_header: int
    size: float

    @property
    def header_height(self) -> float:
        return sum(self.heights[:self.n_header])


def cell_font(cell: Cell, fonts: dict[str, str]) -> str:
    return fonts["Hei"] if cell.bold else fonts["Song"]


def column_widths(rows: list[list[str]], cells: list[Cell], fonts, size) -> tuple[list[float], list[float]]:
    """Preferred (one line per cell) and minimum width of each column.

    The minimum keeps amounts and Latin runs whole and short labels (up to
    six characters) on one line; longer text may wrap.
    """
    ncols = len(rows[0])
    preferred = [16.0] * ncols
    minimum = [16.0] * ncols
    pad = 2 * CELL_PAD_X + 1
    for cell in cells:
        if cell.colspan != 1 or not cell.text:
            continue
        font = cell_font(cell, fonts)
        natural = max(text_width(part, font, size) for part in cell.text.split("\n"))
        widest_token = max(text_width(t, font, size) for t in _tokens(cell.text) or [""])
        preferred[cell.col] = max(preferred[cell.col], natural + pad)
        minimum[cell.col] = max(minimum[cell.col], min(natural, 6 * size), widest_token + pad)
    return preferred, minimum


def fit_widths(preferred: list[float], minimum: list[float], avail: float) -> list[float]:
    """Fill the available width: scale the preferred widths when they fit,
    else give each column its minimum plus a share of the rest that grows
    with (the square root of) how much more it would like."""
    if sum(preferred) <= avail:
        return [w * avail / sum(preferred) for w in preferred]
    if sum(minimum) >= avail:
        return [w * avail / sum(minimum) for w in minimum]
    spare = avail - sum(minimum)
    wants = [max(0.0, p - m) ** 0.5 for p, m in zip(preferred, minimum)]
    return [m + spare * want / sum(wants) for m, want in zip(minimum, wants)]


def layout_table(rows, n_header, cells, fonts, avail, size, widths=None) -> TableLayout:
    if widths is None:
        widths = fit_widths(*column_widths(rows, cells, fonts, size), avail)
    leading = size * 1.3
    heights = [size + 2 * CELL_PAD_Y + 4] * len(rows)
    lines = {}
    for cell in cells:
        inner = sum(widths[cell.col:cell.col + cell.colspan]) - 2 * CELL_PAD_X
        font = cell_font(cell, fonts)
        wrapped = []
        for part in cell.text.split("\n"):
            wrapped += wrap([(part, font)], size, inner)
        lines[id(cell)] = wrapped
        need = len(wrapped) * leading + 2 * CELL_PAD_Y + 2
        span = range(cell.row, cell.row + cell.rowspan)
        have = sum(heights[r] for r in span)
        if need > have:
            heights[span[-1]] += need - have
    return TableLayout(widths, heights, cells, lines, n_header, size)


def choose_landscape(rows, cells, fonts) -> bool:
    portrait = A4[0] - 2 * MARGIN_SIDE
    ncols = len(rows[0])
    natural = sum(min(w, 220) for w in column_widths(rows, cells, fonts, CELL_SIZE)[0])
    return ncols >= 9 or natural > portrait * 1.25


def draw_cell(w: Writer, layout: TableLayout, cell: Cell, x: float, top: float,
              height: float) -> None:
    c = w.canvas
    width = sum(layout.widths[cell.col:cell.col + cell.colspan])
    c.setLineWidth(RULE_WIDTH)
    c.setStrokeColor(black)
    c.rect(x, top - height, width, height, stroke=1, fill=0)
    lines = layout.lines[id(cell)]
    if not cell.text:
        return
    size = layout.size
    leading = size * 1.3
    block = len(lines) * leading
    baseline = top - (height - block) / 2 - leading + (leading - size) / 2 + size * 0.12
    for line in lines:
        lw = line_width(line, size)
        if cell.align == "center":
            lx = x + (width - lw) / 2
        elif cell.align == "right":
            lx = x + width - CELL_PAD_X - lw
        else:
            lx = x + CELL_PAD_X
        w.draw_line(line, size, lx, baseline)
        baseline -= leading


def draw_rows(w: Writer, layout: TableLayout, row_ids: list[int]) -> None:
    """Draw the given rows (header rows drawn with their spans) at w.y."""
    top_of = {}
    y = w.y
    for r in row_ids:
        top_of[r] = y
        y -= layout.heights[r]
    xs = [w.left]
    for width in layout.widths:
        xs.append(xs[-1] + width)
    for cell in layout.cells:
        if cell.row not in top_of:
            continue
        height = sum(layout.heights[r] for r in range(cell.row, cell.row + cell.rowspan))
        draw_cell(w, layout, cell, xs[cell.col], top_of[cell.row], height)
    w.y = y


def title_lines(titles: list[str]) -> list[tuple[str, str]]:
    """(kind, text) for the title block; 单位名称 + 单位 share one line."""
    items = []
    for raw in titles:
        text = re.sub(r"</?b>|\*\*", "", strip_line_marker(raw)).strip()
        items.append([title_kind(raw) or "short", text])
    merged: list[tuple[str, str]] = []
    for kind, text in items:
        if kind == "unit" and merged and merged[-1][0] == "unitname":
            merged[-1] = ("unitname+unit", merged[-1][1] + "\t" + text)
        else:
            merged.append((kind, text))
    return merged


def draw_titles(w: Writer, titles: list[tuple[str, str]]) -> None:
    fonts = w.fonts
    for kind, text in titles:
        if kind == "title":
            size = 15.0
            while size > 10 and text_width(text, fonts["Hei"], size) > w.width:
                size -= 0.5
            w.text_line(text, fonts["Hei"], size, "center", leading=26)
            w.y -= 4
        elif kind == "number":
            align = "left" if text.startswith("附件") else "right"
            w.text_line(text, fonts["Hei"] if align == "left" else fonts["Song"], 10.5, align, leading=18)
        elif kind == "year":
            w.text_line(text, fonts["Kai"], 11, "center", leading=18)
        elif kind == "unitname+unit":
            name, unit = text.split("\t")
            w.ensure(18)
            w.y -= 18
            w.place([(name, fonts["Song"])], 9.5, "left")
            w.place([(unit, fonts["Song"])], 9.5, "right")
        elif kind == "unit":
            w.text_line(text, fonts["Song"], 9.5, "right", leading=18)
        else:
            w.text_line(text, fonts["Song"], 9.5, "left", leading=18)
    w.y -= 4


def render_table(w: Writer, group: TableGroup) -> None:
    titles = title_lines(group.titles)
    if group.rows is None:
        w.new_section(False)
        draw_titles(w, titles)
        render_notes(w, group.notes)
        w.has_body = True
        return
    rows, n_header, cells = table_cells(group.rows, group.continues)
    previous = w.last_table
    if group.continues and previous:
        is_landscape, widths, size = previous
        w.start_page(is_landscape)
    else:
        is_landscape = choose_landscape(rows, cells, w.fonts)
        size = CELL_SIZE if len(rows[0]) < 12 else CELL_SIZE - 0.5
        widths = None
        if titles:
            w.new_section(is_landscape)
        elif not w.page_open or w.is_landscape != is_landscape:
            w.start_page(is_landscape)
        else:
            w.y -= 12
    avail = w.width * TABLE_WIDTH if TABLE_WIDTH != 1.0 else w.width
    layout = layout_table(rows, n_header, cells, w.fonts, avail, size, widths)
    if not titles and not group.continues:
        w.ensure(layout.header_height + sum(layout.heights[n_header:n_header + 2]))
    w.last_table = (is_landscape, layout.widths, size)
    draw_titles(w, titles)
    draw_table_body(w, layout, titles, is_landscape)
    w.has_body = True
    render_notes(w, group.notes)


def draw_table_body(w: Writer, layout: TableLayout, titles, is_landscape: bool) -> None:
    """Header and data rows; continue on new pages with titles and header."""
    header = list(range(layout.n_header))
    data = list(range(layout.n_header, len(layout.heights)))
    draw_rows(w, layout, header)
    page_is_fresh = True
    breaks = forced_breaks(layout, titles, data)
    while data:
        room = w.y - w.bottom
        fit = 0
        while fit < len(data) and sum(layout.heights[r] for r in data[:fit + 1]) <= room \
                and not (fit and data[fit] in breaks):
            fit += 1
        if fit == 0 and page_is_fresh:
            fit = 1   # a row taller than a page: draw it anyway
        draw_rows(w, layout, data[:fit])
        data = data[fit:]
        page_is_fresh = False
        if data:
            w.start_page(is_landscape)
            if REPEAT_TITLES:
                draw_titles(w, titles)
            draw_rows(w, layout, header)
            page_is_fresh = True


CATEGORY_ROW = re.compile(r"^\d{3}(?!\d)")


def forced_breaks(layout: TableLayout, titles, data: list[int]) -> set[int]:
    """Rows a layout variant starts a new page with (BREAK_BEFORE_CATEGORY, BREAK_IN_FORMS)."""
    breaks: set[int] = set()
    if BREAK_BEFORE_CATEGORY:
        first = {cell.row: cell.text for cell in layout.cells if cell.col == 0 and not cell.header}
        categories = [r for r in data[1:] if CATEGORY_ROW.match(first.get(r, "").strip())]
        breaks.update(categories[:1] + categories[-1:])
    if BREAK_IN_FORMS and any("绩效目标" in text for _, text in titles) and len(data) >= 4:
        breaks.add(data[len(data) // 2])
    return breaks


def render_notes(w: Writer, notes: list[str]) -> None:
    if not notes:
        return
    if NOTES_ON_NEW_PAGE and w.page_open and w.has_body:
        w.start_page(w.is_landscape)
    w.y -= 4
    lines = [strip_line_marker(raw).rstrip() for raw in notes]
    w.ensure(16 * sum(len(wrap([(l, w.fonts["Song"])], 9.5, w.width)) for l in lines))
    for text in lines:
        w.text_line(text, w.fonts["Song"], 9.5, "left", leading=16)


# --------------------------------------------------------------------------
# entry points

def apply_replacements(text: str, replacements) -> str:
    """Apply (old, new) or (old, new, count) replacements in order."""
    for item in replacements:
        old, new = item[0], item[1]
        count = item[2] if len(item) > 2 else -1
        if old not in text:
            raise ValueError(f"replacement text not found in seed: {old!r}")
        text = text.replace(old, new, count)
    return text


def build_pdf(seed_text: str, out_path, watermark: str | None = None,
              replacements: list[tuple[str, str]] = (), layout: Layout | str | None = None) -> Path:
    """Lay out one seed text as a PDF at out_path; returns the path. `layout`: a name in
    LAYOUTS or a Layout (None: the reference layout of the shipped samples)."""
    if layout is not None:
        with use_layout(layout):
            return build_pdf(seed_text, out_path, watermark, replacements)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    text = apply_replacements(seed_text, replacements)
    doc = parse_seed(text, watermark)
    fonts = register_fonts()
    if SAME_FONT:
        fonts = {role: fonts[SAME_FONT] for role in fonts}
    title = " ".join(doc.cover[:2]) if doc.cover else out_path.stem
    w = Writer(out_path, fonts, watermark, title)
    render_cover(w, doc.cover)
    if doc.toc_title:
        render_toc(w, doc.toc_title, doc.toc)
    w.start_page(False)
    for item in doc.body:
        if isinstance(item, TableGroup):
            render_table(w, item)
        elif isinstance(item, Heading):
            render_heading(w, item)
        else:
            render_paragraph(w, item)
    w.save()
    return out_path


@dataclass
class Layout:
    """Page geometry, type sizes and page-break choices: the same content drawn otherwise."""
    page: tuple[float, float] = A4
    margin_top: float = 72
    margin_bottom: float = 64
    margin_side: float = 68
    body_size: float = 11.5
    body_leading: float = 21
    cell_size: float = 8
    cell_pad_y: float = 3
    table_width: float = 1.0
    repeat_titles: bool = True
    notes_on_new_page: bool = False
    break_before_category: bool = False
    break_in_forms: bool = False
    same_font: str = ""
    note: str = ""

    def settings(self) -> dict:
        return {"A4": tuple(self.page), "MARGIN_TOP": self.margin_top, "MARGIN_BOTTOM": self.margin_bottom,
                "MARGIN_SIDE": self.margin_side, "BODY_SIZE": self.body_size, "BODY_LEADING": self.body_leading,
                "CELL_SIZE": self.cell_size, "CELL_PAD_Y": self.cell_pad_y, "TABLE_WIDTH": self.table_width,
                "REPEAT_TITLES": self.repeat_titles, "NOTES_ON_NEW_PAGE": self.notes_on_new_page,
                "BREAK_BEFORE_CATEGORY": self.break_before_category, "BREAK_IN_FORMS": self.break_in_forms,
                "SAME_FONT": self.same_font}


B5 = (498.9, 708.7)
LETTER = (612.0, 792.0)
LAYOUTS: dict[str, Layout] = {
    "reference": Layout(note="A4, the shipped samples"),
    "b5": Layout(page=B5, margin_top=56, margin_bottom=50, margin_side=50, note="B5 paper, narrower margins: other page breaks"),
    "letter-tall-rows": Layout(page=LETTER, margin_top=90, margin_bottom=80, cell_size=9, cell_pad_y=6, body_size=12,
                               body_leading=23, note="US Letter, wide margins, larger type and taller rows"),
    "small-type": Layout(cell_size=7, cell_pad_y=2, body_size=10.5, body_leading=18, same_font="Hei",
                         note="smaller type and rows, every text in the embedded TrueType Hei font"),
    "wrapped": Layout(table_width=0.72, note="tables at 72 % of the text width: long names wrap inside their cells"),
    "breaks": Layout(break_before_category=True, break_in_forms=True, notes_on_new_page=True, repeat_titles=False,
                     note="page breaks right before 类 rows, inside 绩效目标表, between a table and its 备注; "
                          "continuation pages without the title"),
}


class use_layout:
    """Draw with a layout variant: sets the module's geometry for the duration of a build."""

    def __init__(self, layout: Layout | str | None):
        self.layout = LAYOUTS[layout] if isinstance(layout, str) else layout
        self.saved: dict = {}

    def __enter__(self):
        if self.layout is not None:
            module = globals()
            for name, value in self.layout.settings().items():
                self.saved[name] = module[name]
                module[name] = value
        return self

    def __exit__(self, *exc) -> None:
        globals().update(self.saved)


def default_seeds_dir() -> Path:
    env = os.environ.get("BUDGETAUDIT_SEEDS")
    if env:
        return Path(env)
    repo_root = Path(__file__).resolve().parent.parent
    return repo_root.parent / "shared" / "seeds"


def build_all(seeds_dir: Path, out_dir: Path, layout: str | None = None) -> list[Path]:
    built = []
    for seed_name, spec in SAMPLES.items():
        seed_path = seeds_dir / seed_name
        if not seed_path.exists():
            print(f"missing seed: {seed_path}", file=sys.stderr)
            continue
        text = seed_path.read_text(encoding="utf-8")
        name = spec["name"] if layout is None else spec["name"].replace(".pdf", f"-{layout}.pdf")
        built.append(build_pdf(text, out_dir / name, spec["watermark"], layout=layout))
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=default_seeds_dir())
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument("--layout", choices=sorted(LAYOUTS), help="a layout variant (file names get -LAYOUT)")
    args = parser.parse_args(argv)
    built = build_all(args.seeds, args.out, args.layout)
    for path in built:
        print(f"{path}  {path.stat().st_size // 1024} KB")
    return 0 if len(built) == len(SAMPLES) else 1


if __name__ == "__main__":
    sys.exit(main())
