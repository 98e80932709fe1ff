"""Property-based tests of the number parser and the rounding tolerance."""
from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from budgetaudit.model.findings import compare
from budgetaudit.model.quantity import format_decimal, parse_quantity

PLACES = st.integers(min_value=0, max_value=4)
AMOUNTS = st.decimals(min_value=Decimal("-999999999.9999"), max_value=Decimal("999999999.9999"), places=4, allow_nan=False, allow_infinity=False)


def printed(value: Decimal, places: int, separators: bool = True) -> str:
    """How a disclosure prints an amount: thousands separators, fixed decimals."""
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{rounded:,.{places}f}" if separators else f"{rounded:.{places}f}"


@given(AMOUNTS, PLACES, st.booleans())
def test_printed_amount_parses_back(value, places, separators):
    text = printed(value, places, separators)
    quantity = parse_quantity(text, "万元")
    assert quantity is not None, text
    assert quantity.value == Decimal(text.replace(",", "")) and quantity.places == places and quantity.unit == "万元"


@given(AMOUNTS.filter(lambda v: v > 0), PLACES)
def test_accounting_negative_and_full_width_forms(value, places):
    text = printed(value, places)
    assert parse_quantity(f"({text})").value == -Decimal(text.replace(",", ""))
    full_width = text.translate(str.maketrans("0123456789,.", "０１２３４５６７８９，．"))
    assert parse_quantity(full_width).value == Decimal(text.replace(",", ""))


@given(AMOUNTS, PLACES)
def test_format_decimal_round_trips(value, places):
    rounded = value.quantize(Decimal(1).scaleb(-places))
    assert parse_quantity(format_decimal(rounded)).value == rounded


TRUE_PARTS = st.lists(st.decimals(min_value=0, max_value=Decimal("99999.9999"), places=4), min_size=1, max_size=12)


@settings(max_examples=300)
@given(TRUE_PARTS, PLACES)
def test_a_sum_within_the_rounding_tolerance_never_fires(parts, places):
    """Parts and total printed from exact values, each rounded: always consistent."""
    shown = [parse_quantity(printed(p, places), "万元") for p in parts]
    whole = parse_quantity(printed(sum(parts), places), "万元")
    assert compare(shown, whole).consistent


@settings(max_examples=300)
@given(TRUE_PARTS, PLACES, st.data())
def test_a_change_larger_than_the_tolerance_always_fires(parts, places, data):
    """Change one printed part by more than the room the tolerance leaves: the sum fires."""
    shown = [parse_quantity(printed(p, places), "万元") for p in parts]
    whole = parse_quantity(printed(sum(parts), places), "万元")
    before = compare(shown, whole)
    step = Decimal(1).scaleb(-places)
    room = before.tolerance + abs(before.difference)
    delta = (room / step).to_integral_value(rounding=ROUND_CEILING) * step + data.draw(st.integers(min_value=1, max_value=1000)) * step
    index = data.draw(st.integers(min_value=0, max_value=len(shown) - 1))
    sign = data.draw(st.sampled_from([1, -1]))
    changed = list(shown)
    changed[index] = parse_quantity(printed(shown[index].value + sign * delta, places), "万元")
    assert abs(changed[index].value - shown[index].value) > before.tolerance
    assert not compare(changed, whole).consistent
