"""The rules of action plans, at their boundaries: overdue, the quarter of a day, a target met."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from stepchange.core.periods import quarter_containing
from stepchange.governance.models import Status
from stepchange.governance.rules import is_overdue, quarter_key, target_met

DUE = datetime.date(2006, 12, 31)


@pytest.mark.parametrize(
    ("status", "today", "overdue"),
    [
        # Due on 31 December: on the day it is not overdue yet; the day after it is.
        (Status.IN_PROGRESS, datetime.date(2006, 12, 30), False),
        (Status.IN_PROGRESS, DUE, False),
        (Status.IN_PROGRESS, datetime.date(2007, 1, 1), True),
        (Status.NOT_STARTED, datetime.date(2007, 1, 1), True),
        # Done or dropped, it is never overdue.
        (Status.DONE, datetime.date(2007, 1, 1), False),
        (Status.DROPPED, datetime.date(2007, 1, 1), False),
    ],
)
def test_an_action_is_overdue_from_the_day_after_its_due_date_until_it_is_done(status, today, overdue) -> None:
    assert is_overdue(due_on=DUE, status=status, today=today) is overdue


@pytest.mark.parametrize(
    ("day", "label", "start", "end"),
    [
        (datetime.date(2006, 4, 1), "2006-07 Q1", datetime.date(2006, 4, 1), datetime.date(2006, 6, 30)),
        (datetime.date(2006, 6, 30), "2006-07 Q1", datetime.date(2006, 4, 1), datetime.date(2006, 6, 30)),
        (datetime.date(2006, 7, 1), "2006-07 Q2", datetime.date(2006, 7, 1), datetime.date(2006, 9, 30)),
        (datetime.date(2006, 12, 31), "2006-07 Q3", datetime.date(2006, 10, 1), datetime.date(2006, 12, 31)),
        (datetime.date(2007, 1, 1), "2006-07 Q4", datetime.date(2007, 1, 1), datetime.date(2007, 3, 31)),
        (datetime.date(2007, 3, 31), "2006-07 Q4", datetime.date(2007, 1, 1), datetime.date(2007, 3, 31)),
        (datetime.date(2007, 4, 1), "2007-08 Q1", datetime.date(2007, 4, 1), datetime.date(2007, 6, 30)),
    ],
)
def test_the_quarter_of_a_day(day, label, start, end) -> None:
    quarter = quarter_containing(day)
    assert (quarter.label, quarter.start, quarter.end) == (label, start, end)


def test_quarters_order_across_the_turn_of_the_year() -> None:
    assert quarter_key("2006-07", 4) > quarter_key("2006-07", 3)
    assert quarter_key("2007-08", 1) > quarter_key("2006-07", 4)


def test_a_figure_meets_its_target_at_or_above_it_unrounded() -> None:
    assert target_met(Decimal("5"), Decimal("5")) is True
    # 4.96% shows as 5.0% but is not yet 5%.
    assert target_met(Decimal("4.96"), Decimal("5")) is False
    assert target_met(Decimal("5.01"), Decimal("5")) is True
    assert target_met(None, Decimal("5")) is None
