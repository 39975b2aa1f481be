"""Money and shares as people read them: rounded half up, once, on the unrounded value.

Figures are computed in ``Decimal`` and rounded only for display; the page filters of the same
names (``core/templatetags/govuk.py``), the downloads and the services all format with these.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Half-up rounding, once, on the unrounded value, for display only."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def pounds(value: Any, places: int = 0) -> str:
    """£1,234 (or £1,234.56 with places=2); a dash where there is no value."""
    number = _decimal(value)
    if number is None:
        return "–"
    rounded = round_half_up(number, int(places))
    sign = "−" if rounded < 0 else ""
    return f"{sign}£{abs(rounded):,.{int(places)}f}"


def percent(value: Any, places: int = 1) -> str:
    number = _decimal(value)
    if number is None:
        return "–"
    return f"{round_half_up(number, int(places)):.{int(places)}f}%"


def points(value: Any, places: int = 2) -> str:
    number = _decimal(value)
    if number is None:
        return "–"
    rounded = round_half_up(number, int(places))
    if rounded == 0:
        return f"{abs(rounded):.{int(places)}f}"  # no change has no sign
    return f"{'+' if rounded > 0 else '−'}{abs(rounded):.{int(places)}f}"
