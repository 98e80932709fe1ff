"""Exact parsing of printed figures into Decimal quantities, and the
rounding tolerance each printed figure carries.

A printed figure such as ``2,317.04`` stands for an interval: the true value
lies within half of its last shown digit (±0.005). Sums compare intervals,
never floats.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MONEY_UNITS = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}
OTHER_UNITS = ("%", "个", "辆", "人", "台", "项", "次", "批次", "人次", "家", "套", "台（套）", "名")
BLANKS = {"", "-", "—", "–", "－", "--", "——", "/", "无"}

NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"  # a printed figure: 1,234.5 or 1234.5 (no sign, no unit)
# A figure standing alone (a table cell, a figure with its unit) may group its digits irregularly:
# some spreadsheets print only the last thousands separator (120258,600). Every group after a comma
# still has three digits, so a list such as 1,2 or a code list is never read as one figure.
LOOSE_NUM = r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER = re.compile(
    rf"^(?P<neg>[-−])?\(?(?P<num>{LOOSE_NUM}|\.\d+)\)?"
    r"(?P<unit>万元|亿元|千元|元|%|个|辆|人次|人|台（套）|台|项|批次|次|家|套|名)?$"
)


@dataclass(frozen=True)
class Quantity:
    """A printed figure: its exact value, unit and the number of decimals shown."""

    value: Decimal
    unit: str = ""
    places: int = 0
    exact: bool = False  # a blank cell: exactly zero, no rounding

    @property
    def half_ulp(self) -> Decimal:
        """Half of the last shown digit: the rounding a printed figure may carry."""
        return Decimal(0) if self.exact else Decimal(5).scaleb(-self.places - 1)

    def in_unit(self, unit: str) -> Decimal:
        """Exact value converted to another money unit (元 ↔ 万元)."""
        if unit == self.unit or not (unit in MONEY_UNITS and self.unit in MONEY_UNITS):
            return self.value
        return self.value * MONEY_UNITS[self.unit] / MONEY_UNITS[unit]

    def tolerance_in(self, unit: str) -> Decimal:
        if unit == self.unit or not (unit in MONEY_UNITS and self.unit in MONEY_UNITS):
            return self.half_ulp
        return self.half_ulp * MONEY_UNITS[self.unit] / MONEY_UNITS[unit]

    def __str__(self) -> str:
        return f"{format_decimal(self.value)}{self.unit}"


def normalize(text: str) -> str:
    """Full-width forms to half-width, whitespace removed."""
    text = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"\s+", "", text)


def parse_quantity(text: str | None, default_unit: str = "") -> Quantity | None:
    """Parse a printed figure; None when the text is not a single figure.

    Blank forms ('', '-', '—') are not figures: callers decide what blank means.
    """
    if text is None:
        return None
    raw = normalize(text)
    if raw in BLANKS:
        return None
    negative = raw.startswith("(") and raw.endswith(")") or raw.startswith("（") and raw.endswith("）")
    match = _NUMBER.match(raw.replace("（", "(").replace("）", ")"))
    if not match:
        return None
    number = match.group("num").replace(",", "")
    try:
        value = Decimal(number)
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        return None
    if match.group("neg") or negative:
        value = -value
    places = len(number.split(".")[1]) if "." in number else 0
    return Quantity(value, match.group("unit") or default_unit, places)


def is_blank(text: str | None) -> bool:
    return text is None or normalize(text) in BLANKS


def format_decimal(value: Decimal) -> str:
    """Plain form without exponent: 20.2587, 1800, 0.01."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".") if len(text.split(".")[1]) > 2 else text
    return text


def sum_tolerance(quantities: list[Quantity], unit: str) -> Decimal:
    """Interval half-width of a sum of printed figures, in ``unit``."""
    return sum((q.tolerance_in(unit) for q in quantities), Decimal(0))
