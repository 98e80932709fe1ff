"""Findings, their locations, and the interval comparison that decides them."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from .document import Cell, Row, Sentence, Table
from .quantity import MONEY_UNITS, Quantity, format_decimal

SEVERITIES = ("error", "warning", "info")
RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass
class Location:
    page: int | None = None
    table: str = ""
    row: str = ""
    column: str = ""
    text: str = ""
    bbox: tuple[float, float, float, float] | None = None  # the cell's box on the page (x0, top, x1, bottom, in points), when the location is one cell

    def describe(self, lang: str = "zh", short: bool = True) -> str:
        """Page, table, row, column and quoted text; `short` cuts long labels for a terminal."""
        cut = shorten if short else (lambda text, width: text)
        parts = []
        if self.page:
            parts.append(page_label(self.page, lang))
        parts += [cut(p, 30) for p in (self.table, self.row, self.column) if p]
        if self.text:
            parts.append(f"「{cut(self.text, 60)}」")
        return " · ".join(parts)


def location_lines(locations: list[Location], lang: str = "zh", short: bool = True) -> list[str]:
    """Every location, described once: the cells of one row (same page, table and row) on one line, columns joined."""
    columns: dict[tuple, list[str]] = {}
    for loc in locations:
        names = columns.setdefault((loc.page, loc.table, loc.row, loc.text), [])
        if loc.column and loc.column not in names:
            names.append(loc.column)
    joiner = ", " if lang == "en" else "、"
    return [Location(page, table, row, joiner.join(names), text).describe(lang, short) for (page, table, row, text), names in columns.items()]


def page_label(page: int, lang: str = "zh") -> str:
    return f"p.{page}" if lang == "en" else f"第{page}页"


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
    merged: list[dict] = field(default_factory=list)  # findings of the same cause folded into this one (run/merge.py): rule, key, severity, message

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
    cause: str = ""  # "missing_table": a table kind it needs is absent; "not_applicable": nothing of the kind to check; "": could not run


def cell_location(table: Table, row: Row, column: str, cell: Cell | None = None) -> Location:
    """The cell's page, table, row and column; its box when the cell is known, so a report marks that very cell."""
    page = cell.page if cell else row.page
    bbox = getattr(cell, "bbox", None) if cell else None  # getattr: a model pickled before cells had boxes
    return Location(page, table.label, row.label, cell.column if cell else column, bbox=tuple(bbox) if bbox else None)


def sentence_location(sentence: Sentence) -> Location:
    return Location(sentence.page, text=sentence.text, row=sentence.section)


@dataclass
class Comparison:
    expected: Decimal
    actual: Decimal
    unit: str
    tolerance: Decimal
    places: int | None = None  # decimals of the figures printed in `unit`: the precision values are shown at
    expected_printed: str = ""  # the parts' sum in their own unit, when they were printed in another unit
    actual_printed: str = ""  # the whole as printed, when it was printed in another unit

    @property
    def difference(self) -> Decimal:
        return self.actual - self.expected

    @property
    def consistent(self) -> bool:
        return abs(self.difference) <= self.tolerance

    def text(self, value: Decimal) -> str:
        """A value in the common unit at the precision its figures were printed (exact if that would show 0)."""
        if self.places is not None:
            try:
                rounded = value.quantize(Decimal(1).scaleb(-self.places))
            except InvalidOperation:  # more digits than the context holds (a hostile cell): shown exact
                rounded = value
            if rounded or not value:
                value = rounded
        return f"{format_decimal(value)}{self.unit}"

    def expected_text(self) -> str:
        return self.expected_printed or self.text(self.expected)

    def actual_text(self) -> str:
        return self.actual_printed or self.text(self.actual)


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
    places = max((q.places for q in parts + [whole] if q.unit in (unit, "") and not q.exact), default=None)
    return Comparison(expected, whole.in_unit(unit), unit, tolerance, places, printed_sum(parts, unit), printed(whole, unit))


def printed(quantity: Quantity, unit: str) -> str:
    """The figure as printed, when its unit is not the comparison's."""
    return str(quantity) if quantity.unit and quantity.unit != unit else ""


def printed_sum(parts: list[Quantity], unit: str) -> str:
    """The parts' sum in their own unit, when they all share a unit other than the comparison's."""
    units = {q.unit for q in parts}
    if len(units) != 1 or not parts or not parts[0].unit or parts[0].unit == unit:
        return ""
    return f"{format_decimal(sum((q.value for q in parts), Decimal(0)))}{parts[0].unit}"


def readable(value: Decimal, digits: int = 3) -> str:
    """A tolerance to a few significant digits: ±0.0050005 → ±0.005, 0.015 stays 0.015."""
    if not value:
        return "0"
    exponent = value.adjusted() - digits + 1
    text = format(value.quantize(Decimal(1).scaleb(exponent)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def tolerance_note(comparison: Comparison, count: int, lang: str = "zh") -> str:
    tol = readable(comparison.tolerance)
    if lang == "en":
        return f"rounding tolerance ±{tol}{comparison.unit} ({count} printed figures, each ± half its last digit)"
    return f"舍入容差 ±{tol}{comparison.unit}（{count} 个显示数字，每个 ± 末位的一半）"
