"""Findings, their locations, and the interval comparison that decides them."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from .model import Cell, Row, Sentence, Table
from .numbers import MONEY_UNITS, Quantity, format_decimal

SEVERITIES = ("error", "warning", "info")
RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass
class Location:
    page: int | None = None
    table: str = ""
    row: str = ""
    column: str = ""
    text: str = ""

    def describe(self, lang: str = "zh") -> str:
        parts = []
        if self.page:
            parts.append(f"第{self.page}页" if lang == "zh" else f"p.{self.page}")
        parts += [shorten(p, 30) for p in (self.table, self.row, self.column) if p]
        if self.text:
            parts.append(f"「{shorten(self.text, 60)}」")
        return " · ".join(parts)


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class Finding:
    rule: str
    severity: str
    message: str
    expected: str = ""
    actual: str = ""
    difference: str = ""
    locations: list[Location] = field(default_factory=list)
    tolerance: str = ""
    key: str = ""  # stable identity for baselines: survives re-pagination
    waived: str = ""

    def to_json(self) -> dict:
        data = asdict(self)
        if not data["waived"]:
            data.pop("waived")
        return data

    def fingerprint(self) -> str:
        basis = "|".join([self.rule, self.key or self.message, self.expected, self.actual])
        return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]


@dataclass
class Skip:
    rule: str
    reason: str


def cell_location(table: Table, row: Row, column: str, cell: Cell | None = None) -> Location:
    page = cell.page if cell else row.page
    return Location(page, table.label, row.label, cell.column if cell else column)


def sentence_location(sentence: Sentence) -> Location:
    return Location(sentence.page, text=sentence.text, row=sentence.section)


@dataclass
class Comparison:
    expected: Decimal
    actual: Decimal
    unit: str
    tolerance: Decimal

    @property
    def difference(self) -> Decimal:
        return self.actual - self.expected

    @property
    def consistent(self) -> bool:
        return abs(self.difference) <= self.tolerance

    def text(self, value: Decimal) -> str:
        return f"{format_decimal(value)}{self.unit}"


def common_unit(quantities: list[Quantity]) -> str:
    units = {q.unit for q in quantities if q.unit}
    if "万元" in units or (units & set(MONEY_UNITS) and len(units) > 1):
        return "万元"
    return next(iter(units), "")


def compare(parts: list[Quantity], whole: Quantity, tolerance: Decimal | None = None) -> Comparison:
    """Sum of printed parts against a printed whole, each an interval ± half its last digit."""
    unit = common_unit(parts + [whole])
    expected = sum((q.in_unit(unit) for q in parts), Decimal(0))
    if tolerance is None:
        tolerance = sum((q.tolerance_in(unit) for q in parts), whole.tolerance_in(unit))
    return Comparison(expected, whole.in_unit(unit), unit, tolerance)


def tolerance_note(comparison: Comparison, count: int, lang: str = "zh") -> str:
    tol = format_decimal(comparison.tolerance)
    if lang == "en":
        return f"rounding tolerance ±{tol}{comparison.unit} ({count} printed figures, each ± half its last digit)"
    return f"舍入容差 ±{tol}{comparison.unit}（{count} 个显示数字，每个 ± 末位的一半）"
