"""The number parser: printed figures to exact Decimal quantities."""
from decimal import Decimal

import pytest

from budgetaudit.model.findings import compare
from budgetaudit.model.quantity import parse_quantity


@pytest.mark.parametrize(
    "text, value, unit, places",
    [
        ("2,317.04", "2317.04", "", 2),
        ("930.94", "930.94", "", 2),
        ("0", "0", "", 0),
        ("1.8", "1.8", "", 1),
        ("(12.00)", "-12.00", "", 2),
        ("-5.5", "-5.5", "", 1),
        ("１２３．４５", "123.45", "", 2),
        ("63.94万元", "63.94", "万元", 2),
        ("63.94 万元", "63.94", "万元", 2),
        ("6.87%", "6.87", "%", 2),
        ("3 个", "3", "个", 0),
        ("202,587", "202587", "", 0),
        ("1 辆", "1", "辆", 0),
        # irregular thousands grouping: only the last separator printed (a spreadsheet's format)
        ("120258,600", "120258600", "", 0),
        ("1851,801", "1851801", "", 0),
        ("94146,002.50", "94146002.50", "", 2),
        ("-3612,256", "-3612256", "", 0),
        ("12345,678万元", "12345678", "万元", 0),
    ],
)
def test_parses_printed_figures(text, value, unit, places):
    quantity = parse_quantity(text)
    assert (quantity.value, quantity.unit, quantity.places) == (Decimal(value), unit, places)
    assert isinstance(quantity.value, Decimal)


@pytest.mark.parametrize("text", ["", "-", "—", None, "  ", "合计", "2025年", "1.2.3", "12a",
                                  # lists and codes with commas: every group after a comma has three digits
                                  "1,2", "12,34", "2021,2022", "2080104,2080105", "1,,234", "123,"])
def test_blank_and_words_are_not_figures(text):
    assert parse_quantity(text) is None


def test_a_printed_zero_carries_its_rounding():
    # "0" may stand for anything in [-0.5, 0.5): only a blank cell is an exact zero
    assert parse_quantity("0").half_ulp == Decimal("0.5")
    assert parse_quantity("0.00").half_ulp == Decimal("0.005")


def test_default_unit_applies_to_bare_figures():
    assert parse_quantity("5000", "元").unit == "元"
    assert parse_quantity("5000万元", "元").unit == "万元"


def test_yuan_and_wan_yuan_compare_exactly():
    yuan = parse_quantity("202,587", "元")
    assert yuan.in_unit("万元") == Decimal("20.2587")
    assert compare([yuan], parse_quantity("20.26", "万元")).consistent
    assert not compare([yuan], parse_quantity("20.24", "万元")).consistent


def test_tolerance_grows_with_the_number_of_figures():
    parts = [parse_quantity("0.01")] * 3
    comparison = compare(parts, parse_quantity("0.05"))
    assert comparison.tolerance == Decimal("0.020")  # 4 figures × 0.005
    assert comparison.consistent  # 0.03 vs 0.05: a gap of 0.02 is within 4 × 0.005
    assert not compare(parts, parse_quantity("0.06")).consistent  # a gap of 0.03 is not
