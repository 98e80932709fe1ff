"""The document model: what ingest hands to rules. Plain data, no behaviour
beyond lookups, so every intermediate can be printed by `inspect`."""
from __future__ import annotations

from dataclasses import dataclass, field

from .quantity import Quantity


@dataclass
class Line:
    page: int
    text: str
    top: float = 0.0
    x0: float = 0.0
    size: float = 0.0


@dataclass
class Cell:
    text: str
    quantity: Quantity | None
    page: int
    column: str
    bbox: tuple[float, float, float, float] | None = None  # the printed cell's box on its page: x0, top, x1, bottom in PDF points


@dataclass
class Column:
    index: int
    path: tuple[str, ...]
    key: str  # canonical role (total, basic, personnel …) or the joined path
    side: str = ""  # income / expense for two-sided tables

    @property
    def label(self) -> str:
        return "›".join(self.path) or f"#{self.index + 1}"


@dataclass
class Row:
    index: int
    page: int
    name: str
    code: str = ""
    side: str = ""
    values: dict[str, Cell] = field(default_factory=dict)
    gov_code: str = ""  # 政府经济科目编码 printed beside a 部门经济 code (cross-classified tables)

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}".strip()

    @property
    def is_total(self) -> bool:
        return is_total_name(self.name)


def is_total_name(name: str) -> bool:
    bare = name.replace(" ", "")
    return bare in {"合计", "总计", "小计"} or bare.endswith("总计") or bare.endswith("合计")


@dataclass
class Table:
    id: int
    number: str
    title: str
    kind: str
    unit: str
    org: str
    pages: list[int]
    columns: list[Column]
    rows: list[Row]
    header: list[list[str]] = field(default_factory=list)
    grid: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    empty_note: str = ""
    merged_from: int = 1
    boxes: list[list[tuple[float, float, float, float] | None]] = field(default_factory=list)  # cell box per grid position (continuation rows take theirs)

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def is_empty(self) -> bool:
        return not any(c.quantity is not None and c.quantity.value != 0 for r in self.rows for c in r.values.values())

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def rows_on(self, side: str = "") -> list[Row]:
        return [r for r in self.rows if r.side == side] if side else self.rows


@dataclass
class Sentence:
    page: int
    section: str
    text: str
    figures: list[Quantity] = field(default_factory=list)


@dataclass
class Section:
    title: str
    page: int
    level: int


@dataclass
class TocEntry:
    """One 目录 line (or row of a 目录 printed as a table)."""
    page: int  # the page of the 目录 line itself
    text: str  # as printed, spaces removed (with its leaders and page number)
    title: str  # without ordinal and page number
    level: int  # 1 第一部分, 2 一、 or a table, 3 （一） / 1.
    ordinal: int | None
    number: int | None  # the table number (表3), for table entries
    kind: str  # the table kind its title names (unknown if none)
    is_table: bool
    empty_reason: str = ""  # 公开空表理由, where the 目录 is a table that gives one
    printed_page: int | None = None  # the page number the 目录 line gives


@dataclass
class TableHeading:
    """A table's title as printed in the body: with a ruled grid (`table`), or a title alone."""
    page: int
    title: str
    number: int | None
    number_text: str
    kind: str
    notes: list[str] = field(default_factory=list)
    table: Table | None = None
    pages: list[int] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # the same table's title printed twice (一、收支预算总表 / 2026年度收支预算总表)


@dataclass
class Heading:
    """A heading in the body (a 目录 line is not one)."""
    page: int
    text: str  # as printed
    title: str  # without its ordinal
    level: int
    ordinal: int | None  # 第二部分 → 2, 三、 → 3, （四） → 4


@dataclass
class Printed:
    """A short line outside the 目录 (a title, a heading, a label) or a table's title."""
    page: int
    text: str
    bare: str  # spaces and ordinal removed


@dataclass
class Outline:
    """The document's outline as ingest reads it: the 目录, the body's headings and the
    tables' titles. Lines are referred to by their index in `Document.lines`."""
    toc: list[TocEntry] = field(default_factory=list)
    toc_lines: set[int] = field(default_factory=set)
    toc_pages: set[int] = field(default_factory=set)
    toc_texts: set[str] = field(default_factory=set)
    headings: list[Heading] = field(default_factory=list)
    tables: list[TableHeading] = field(default_factory=list)
    printed: list[Printed] = field(default_factory=list)  # heading-like lines outside the 目录
    notes: list[tuple[int, str]] = field(default_factory=list)  # note lines (注：…) outside the 目录
    org_lines: list[tuple[str, str, int]] = field(default_factory=list)  # (label, unit name, page) of 单位名称：… lines
    cover_year: tuple[int, int] | None = None  # (year, page) printed on the cover
    full_text: str = ""  # every line, spaces removed

    @property
    def title_only(self) -> list[TableHeading]:
        return [h for h in self.tables if h.table is None]


@dataclass
class Document:
    path: str
    pages: int
    lines: list[Line]
    tables: list[Table]
    sections: list[Section] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    textless_pages: list[int] = field(default_factory=list)
    watermarks: list[str] = field(default_factory=list)
    watermark_pages: list[int] = field(default_factory=list)
    notices: list[dict] = field(default_factory=list)  # reading problems, reported as findings
    stray_rows: list[tuple[int, str]] = field(default_factory=list)  # (page, text) of one-row grids of figures that joined no table
    outline: Outline | None = None  # set by outline.read_outline when the document is built

    def tables_of(self, kind: str) -> list[Table]:
        return [t for t in self.tables if t.kind == kind]
