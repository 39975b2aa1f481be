"""The rules of action plans, each written once: when an action is overdue, how quarters are
ordered, and when a linked figure meets its target."""

from __future__ import annotations

import datetime
from decimal import Decimal

from stepchange.governance.models import Status

FINISHED = (Status.DONE, Status.DROPPED)


def is_overdue(*, due_on: datetime.date, status: str, today: datetime.date) -> bool:
    """An action is overdue once its due date has passed (the day after it) and it is not done.
    A dropped action is not overdue: nobody is doing it any more."""
    return status not in FINISHED and due_on < today


def quarter_key(year: str, number: int) -> tuple[int, int]:
    """Orders quarters: (first calendar year of the financial year, quarter number)."""
    return int(year[:4]), number


def target_met(value: Decimal | None, target: Decimal) -> bool | None:
    """A linked figure meets its target when it is at or above it, compared unrounded; None when
    the figure cannot be computed (no main grant recorded, say)."""
    if value is None:
        return None
    return value >= target
