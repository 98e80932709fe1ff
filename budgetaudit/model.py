"""The document model: what ingest hands to rules. Plain data, no behaviour
beyond lookups, so every intermediate can be printed by `inspect`."""
from __future__ import annotations

from dataclasses import dataclass, field

from .numbers import Quantity


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

    def tables_of(self, kind: str) -> list[Table]:
        return [t for t in self.tables if t.kind == kind]
