"""PDF → pages of text lines and raw ruled tables (pdfplumber).

One job: get characters off the page faithfully. Watermarks (rotated or huge
light text) and fake-bold duplicates are removed before anything reads the
page; tables come back as grids with merged cells resolved to the cell that
covers them. Interpretation (titles, kinds, columns) happens in `assemble`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber

from ..model.document import Line
from ..safe.errors import BudgetAuditError
from . import pdfguard

MAX_BYTES = 200 * 1024 * 1024
MAX_PAGES = 5000
CJK = r"\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{CJK}])[ \t]+|[ \t]+(?=[{CJK}])")
_PAGE_NUMBER = re.compile(r"^[-—–·\s]*(第\s*)?\d{1,4}(\s*页)?(\s*/\s*共?\s*\d+\s*页?)?[-—–·\s]*$")

LINE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3, "join_tolerance": 3, "intersection_tolerance": 3}


@dataclass
class RawTable:
    page: int
    bbox: tuple[float, float, float, float]
    grid: list[list[str | None]]  # None: covered by a merged cell
    cover: list[list[tuple[int, int]]]  # (row, col) of the cell whose text covers each position
    boxes: list[list[tuple[float, float, float, float] | None]] = field(default_factory=list)  # the covering cell's box per position
    single_row: bool = False  # a one-row grid: a table's continuation (a page holding its last row) or stray rows, never a table of its own


@dataclass
class RawPage:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[RawTable] = field(default_factory=list)
    has_text: bool = True
    watermark: str = ""


def clean_text(text: str) -> str:
    """Drop spaces next to CJK characters and line breaks inside a cell."""
    text = text.replace("\n", "")
    return _SPACE_NEAR_CJK.sub("", text).strip()


def check_file(path: Path) -> None:
    if not path.exists():
        raise BudgetAuditError("missing", path=path)
    if path.is_dir():
        raise BudgetAuditError("directory", path=path)
    if not pdfguard.is_regular(path):
        raise BudgetAuditError("not_regular", path=path)
    size = path.stat().st_size
    if size == 0:
        raise BudgetAuditError("empty_file", path=path)
    if size > MAX_BYTES:
        raise BudgetAuditError("too_large", path=path, size=size // 2**20, limit=MAX_BYTES // 2**20)
    with path.open("rb") as handle:
        if b"%PDF" not in handle.read(1024):
            raise BudgetAuditError("not_pdf", path=path)


def open_pdf(path: Path):
    check_file(path)
    try:
        pdf = pdfplumber.open(path)
        count = len(pdf.pages)
    except Exception as exc:  # pdfminer raises many types for broken files
        if pdfguard.caused_by(exc, pdfguard.StreamTooLarge):
            raise BudgetAuditError("stream_size", path=path, page="—", limit=pdfguard.stream_limit() // 2**20) from None
        text = f"{type(exc).__name__} {exc!r}".lower()
        if "password" in text or "encrypt" in text:
            raise BudgetAuditError("encrypted", path=path) from exc
        raise BudgetAuditError("corrupt", path=path, detail=type(exc).__name__) from exc
    if count == 0:
        pdf.close()
        raise BudgetAuditError("no_pages", path=path)
    if count > MAX_PAGES:
        pdf.close()
        raise BudgetAuditError("too_many_pages", path=path, pages=count, limit=MAX_PAGES)
    return pdf


TILT = 0.17  # sin 10°: text set askew by a degree or two is text (a cell typed at a slight tilt); watermarks turn 30°–45° or stand vertical


def is_watermark_char(char: dict, body_size: float) -> bool:
    a, b, c, d, _, _ = char.get("matrix") or (1, 0, 0, 1, 0, 0)
    rotated = abs(b) > TILT or abs(c) > TILT or a < 0
    huge_light = char.get("size", 0) > 2.5 * body_size and is_light(char.get("non_stroking_color"))
    return rotated or huge_light


def is_light(colour) -> bool:
    if colour is None or isinstance(colour, str):
        return False
    values = list(colour) if isinstance(colour, (list, tuple)) else [colour]
    if len(values) == 4:  # CMYK: light when little ink
        return all(isinstance(v, (int, float)) and v < 0.4 for v in values)
    return bool(values) and all(isinstance(v, (int, float)) and v > 0.55 for v in values)


def body_size(chars: list[dict]) -> float:
    sizes = sorted(round(ch.get("size", 0), 1) for ch in chars)
    return sizes[len(sizes) // 2] if sizes else 10.0


def strip_watermark(page):
    """The page without watermark characters, and the watermark text removed."""
    size = body_size(page.chars)
    marks = [ch for ch in page.chars if is_watermark_char(ch, size)]
    if not marks:
        return page, ""
    ids = {id(ch) for ch in marks}
    text = "".join(dict.fromkeys(ch["text"] for ch in marks))
    return page.filter(lambda obj: id(obj) not in ids), text


_READABLE = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")
_NEUTRAL = set(".。…·-—_,，、:：;；()（）%％/ ")  # leaders and punctuation of any page (目录 dots)


def is_garbled(chars: list[dict]) -> bool:
    """Text that extracts as codes rather than characters: a font without a ToUnicode map
    gives (cid:123) or stray punctuation. A page of it cannot be read, like a scan."""
    texts = [ch.get("text", "") for ch in chars if ch.get("text", "").strip() and ch.get("text") not in _NEUTRAL]
    if len(texts) < 20:
        return False
    cids = sum(1 for t in texts if t.startswith("(cid:"))
    readable = sum(1 for t in texts if _READABLE.match(t))
    return cids > len(texts) * 0.3 or readable < len(texts) * 0.3


def read_page(page, number: int) -> RawPage:
    raw = RawPage(number, float(page.width), float(page.height))
    pdfguard.check_page(page, number)
    if not page.chars or is_garbled(page.chars):
        raw.has_text = False
        return raw
    fix_char_boxes(page.chars)
    page, raw.watermark = strip_watermark(page)
    tables = find_real_tables(page)
    for table in tables:
        keep_runs_in_cells(table)  # before deduping: text spilling over a ruling may overlap the same character
    if has_doubled_chars(page.chars):
        page = page.dedupe_chars()
        tables = find_real_tables(page)
    raw.tables = [to_raw_table(t, number) for t in tables]
    boxes = [t.bbox for t in raw.tables if not t.single_row]  # a one-row grid's text stays a line until assembly places the row
    rest = page.filter(lambda obj: obj.get("object_type") != "char" or not inside_any(obj, boxes))
    raw.lines = text_lines(rest, number)
    return raw


def find_real_tables(page) -> list:
    return [t for t in page.filter(is_not_invisible_box).find_tables(LINE_SETTINGS) if is_real_table(t)]


def keep_runs_in_cells(table) -> None:
    """Text that runs over a ruling (a label wider than its cell, clipped on screen:
    「3、机关资本性支出（一」 | 「）104.31」; a centred header spilling into the cell
    beside it: 「部门预预算算数支」) goes back whole into the cell that holds most of it,
    or into the cell it starts in when it starts at that cell's left edge.

    A run is a stretch of characters drawn one after another on one line, each
    touching the previous one; it is laid out again inside its cell, in order."""
    cells = [box for box in table.cells if box]
    x0, top, x1, bottom = table.bbox
    chars = [ch for ch in table.page.chars if x0 <= (ch["x0"] + ch["x1"]) / 2 <= x1 and top <= (ch["top"] + ch["bottom"]) / 2 <= bottom]
    for run in char_runs(chars):
        if cell_of(run[0], cells) == cell_of(run[-1], cells):
            continue  # a run is a line of text: it crosses no ruling when it ends in the cell it starts in
        homes = [cell_of(ch, cells) for ch in run]
        if None in homes or len(set(homes)) < 2:
            continue
        owner = run_owner(run, homes)
        moved = "".join(ch.get("text", "") for ch, home in zip(run, homes) if home != owner)
        if re.search(r"\d\D?\d", moved):  # a figure is never taken from its cell
            continue
        squeeze(run, max(run[0]["x0"], owner[0] + 0.5), min(run[-1]["x1"], owner[2] - 0.5))


_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


def char_runs(chars: list[dict]) -> list[list[dict]]:
    """Runs of words: characters in drawing order, cut wherever the next one does not touch
    the previous one on the same line. Only runs with Chinese characters are returned:
    figures stay where they are (a font whose boxes are wider than its advance makes two
    neighbouring amounts touch)."""
    runs: list[list[dict]] = []
    for ch in chars:
        last = runs[-1][-1] if runs and runs[-1] else None
        text = ch.get("text", "")
        if not text.strip():
            runs.append([])
            continue
        touching = last is not None and abs(ch["top"] - last["top"]) < 0.5 and abs(ch["x0"] - last["x1"]) <= 0.6 \
            and abs(ch.get("size", 0) - last.get("size", 0)) < 0.3
        if touching:
            runs[-1].append(ch)
        else:
            runs.append([ch])
    return [run for run in runs if len(run) > 1 and any(_CJK_CHAR.match(ch.get("text", "")) for ch in run)]


def cell_of(ch: dict, cells) -> tuple | None:
    x, y = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
    found = [box for box in cells if box[0] <= x <= box[2] and box[1] <= y <= box[3]]
    return min(found, key=lambda b: (b[2] - b[0]) * (b[3] - b[1])) if found else None


def run_owner(run: list[dict], homes: list[tuple]) -> tuple:
    """The cell the run starts in when it starts at that cell's left edge (a left-aligned
    label running over); else the cell holding most of it (ties: the first)."""
    first = homes[0]
    if run[0]["x0"] - first[0] <= max(3.0, 0.4 * (run[0].get("size") or 0)):
        return first
    counts = {home: homes.count(home) for home in homes}
    return max(dict.fromkeys(homes), key=lambda home: counts[home])


def squeeze(chars: list[dict], start: float, end: float) -> None:
    """Lay `chars` side by side, in order, between x = start and x = end."""
    if not chars or end <= start:
        return
    width = (end - start) / len(chars)
    for index, ch in enumerate(chars):
        ch["x0"], ch["x1"], ch["width"] = start + index * width, start + (index + 1) * width, width


def has_doubled_chars(chars: list[dict]) -> bool:
    """Fake bold draws a character twice at (almost) the same place; dedupe only then (it is costly)."""
    seen = set()
    for ch in chars:
        key = (ch["text"], round(ch["x0"]), round(ch["top"]))
        if key in seen:
            return True
        seen.add(key)
    return False


def fix_char_boxes(chars: list[dict]) -> None:
    """Put each upright char's box around its baseline when the font's metrics
    place it beside the baseline (a broken descriptor shifts digits half a row
    down, so cells receive the figures of the row below)."""
    for ch in chars:
        a, b, c, d, _, base = ch.get("matrix") or (1, 0, 0, 1, 0, 0)
        size = ch.get("size") or 0
        if b or c or a <= 0 or d <= 0 or not size:
            continue
        if ch["y0"] - 0.1 * size <= base <= ch["y1"] - 0.5 * size:
            continue
        y0, y1 = base - 0.2 * size, base + 0.8 * size
        shift = ch["y1"] - y1
        ch["top"] += shift
        ch["bottom"] = ch["top"] + (y1 - y0)
        ch["doctop"] += shift
        ch["y0"], ch["y1"] = y0, y1


def is_not_invisible_box(obj: dict) -> bool:
    """White filled boxes without a stroke (WPS field shading) are no rulings."""
    if obj.get("object_type") != "rect" or obj.get("stroke") or not obj.get("fill"):
        return True
    return not is_white(obj.get("non_stroking_color"))


def is_white(colour) -> bool:
    values = list(colour) if isinstance(colour, (list, tuple)) else [colour]
    if len(values) == 4:
        return all(isinstance(v, (int, float)) and v == 0 for v in values)
    return bool(values) and all(isinstance(v, (int, float)) and v >= 0.99 for v in values)


def inside_any(obj: dict, boxes) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)


def text_lines(page, number: int) -> list[Line]:
    lines = []
    for item in page.extract_text_lines(strip=True, return_chars=True):
        text = clean_text(item["text"])
        if text:
            size = body_size(item["chars"])
            lines.append(Line(number, text, float(item["top"]), float(item["x0"]), size))
    return lines


def is_real_table(table) -> bool:
    """A grid needs two columns; a one-row grid is kept too (marked `single_row`): a page that
    holds the last row of a table continued from the previous page prints just one ruled row.
    Assembly joins it to that table or reports it; it never becomes a table of its own."""
    return len(table.rows) >= 1 and len(table.columns) >= 2


def to_raw_table(table, number: int) -> RawTable:
    grid = [[None if cell is None else clean_text(cell) for cell in row] for row in table.extract()]
    width = max((len(r) for r in grid), default=0)
    grid = [row + [""] * (width - len(row)) for row in grid]
    cover = covering_cells(table, len(grid), width)
    return RawTable(number, tuple(float(v) for v in table.bbox), grid, cover, cell_boxes(table, cover), single_row=len(grid) == 1)


def cell_boxes(table, cover: list[list[tuple[int, int]]]) -> list[list[tuple[float, float, float, float] | None]]:
    """Per grid position, the box (x0, top, x1, bottom) of the cell covering it: a merged cell's own box."""
    origins = {(r, c): box for r, row in enumerate(table.rows) for c, box in enumerate(row.cells) if box is not None}
    return [[box_of(origins.get(origin)) for origin in line] for line in cover]


def box_of(box) -> tuple[float, float, float, float] | None:
    return tuple(round(float(v), 2) for v in box) if box else None


def covering_cells(table, nrows: int, ncols: int) -> list[list[tuple[int, int]]]:
    """For each grid position, the origin of the (possibly merged) cell covering it.

    Column and row bands come from the distinct left and top edges of all cells:
    a CellGroup's own bbox widens with merged cells and cannot be used.
    """
    lefts = sorted({round(box[0], 1) for box in table.cells})
    tops = sorted({round(box[1], 1) for box in table.cells})
    right, bottom = table.bbox[2], table.bbox[3]
    origins = {}
    for r, row in enumerate(table.rows):
        for c, box in enumerate(row.cells):
            if box is not None:
                origins[(r, c)] = box
    cover = []
    for r in range(nrows):
        line = []
        for c in range(ncols):
            if (r, c) in origins or r >= len(tops) or c >= len(lefts):
                line.append((r, c))
                continue
            x = (lefts[c] + (lefts[c + 1] if c + 1 < len(lefts) else right)) / 2
            y = (tops[r] + (tops[r + 1] if r + 1 < len(tops) else bottom)) / 2
            line.append(find_cover(origins, x, y, (r, c)))
        cover.append(line)
    return cover


def find_cover(origins: dict, x: float, y: float, default):
    for key, box in origins.items():
        if box[0] <= x <= box[2] and box[1] <= y <= box[3]:
            return key
    return default


def read_pages(path: Path):
    """Yield RawPage objects one by one, closing each pdfplumber page after use."""
    pdf = open_pdf(path)
    try:
        for index, page in enumerate(pdf.pages, start=1):
            try:
                with pdfguard.page_errors(path, index):
                    raw = read_page(page, index)
                yield raw
            finally:
                page.close()
    finally:
        pdf.close()


def page_count(path: Path) -> int:
    pdf = open_pdf(path)
    try:
        return len(pdf.pages)
    finally:
        pdf.close()


def drop_headers_footers(pages: list[RawPage]) -> None:
    """Remove page numbers in the margins and lines repeated at the top of many pages."""
    tops: dict[str, int] = {}
    for page in pages:
        for line in page.lines:
            if line.top < page.height * 0.08:
                tops[line.text] = tops.get(line.text, 0) + 1
    repeated = {text for text, count in tops.items() if count >= 3 and count >= len(pages) // 2}
    for page in pages:
        page.lines = [ln for ln in page.lines if not is_margin_noise(ln, page, repeated)]


def is_margin_noise(line: Line, page: RawPage, repeated: set[str]) -> bool:
    in_margin = line.top > page.height * 0.88 or line.top < page.height * 0.08
    if in_margin and _PAGE_NUMBER.match(line.text):
        return True
    return line.top < page.height * 0.08 and line.text in repeated
