"""A change in points reads with its sign, and no change reads without one."""

from decimal import Decimal

from stepchange.reports.columns import Column, ColumnKind, page_text

CHANGE = Column("change", "Change", ColumnKind.POINTS)


def test_no_change_prints_without_a_sign():
    assert page_text(Decimal("0"), CHANGE) == "0.00"
    # Rounds to nothing either way: still no change, not "+0.00" or "−0.00".
    assert page_text(Decimal("0.004"), CHANGE) == "0.00"
    assert page_text(Decimal("-0.004"), CHANGE) == "0.00"


def test_a_rise_and_a_fall_keep_their_signs():
    assert page_text(Decimal("1.235"), CHANGE) == "+1.24"
    assert page_text(Decimal("-0.005"), CHANGE) == "−0.01"
