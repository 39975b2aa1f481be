"""The rule "live on a date" at its edges: first day, last day, the days either side, open-ended.

The queryset (``live_on``, ``live_during``) and the one contract's ``is_live`` must agree.
"""

import datetime

import pytest

from stepchange.contracts import selectors
from stepchange.contracts.models import Contract
from tests.factories import ContractFactory

FIRST = datetime.date(2006, 6, 1)
LAST = datetime.date(2006, 9, 30)
ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture
def fixed(cast):
    return ContractFactory.create(commissioner=cast.sypa, start=FIRST, end=LAST)


@pytest.fixture
def open_ended(cast):
    return ContractFactory.create(commissioner=cast.sypa, start=FIRST, end=None)


def _live(contract: Contract, day: datetime.date) -> bool:
    in_query = selectors.live_on(Contract.objects.filter(pk=contract.pk), day).exists()
    assert in_query == contract.is_live(day), "the queryset and the instance disagree"
    return in_query


@pytest.mark.parametrize(
    ("day", "live"),
    [
        (FIRST - ONE_DAY, False),
        (FIRST, True),
        (FIRST + ONE_DAY, True),
        (LAST - ONE_DAY, True),
        (LAST, True),
        (LAST + ONE_DAY, False),
    ],
)
def test_live_from_the_first_day_to_the_last_both_included(fixed, day, live):
    assert _live(fixed, day) is live


@pytest.mark.parametrize(("day", "live"), [(FIRST - ONE_DAY, False), (FIRST, True), (datetime.date(2030, 1, 1), True)])
def test_no_end_date_is_open_ended(open_ended, day, live):
    assert _live(open_ended, day) is live


def test_a_one_day_contract_is_live_on_that_day_only(cast):
    one = ContractFactory.create(commissioner=cast.sypa, start=FIRST, end=FIRST)
    assert [_live(one, d) for d in (FIRST - ONE_DAY, FIRST, FIRST + ONE_DAY)] == [False, True, False]


@pytest.mark.parametrize(
    ("first", "last", "live"),
    [
        (LAST + ONE_DAY, LAST + 10 * ONE_DAY, False),  # starts the day after its end
        (LAST, LAST + 10 * ONE_DAY, True),  # its last day is the period's first
        (FIRST - 10 * ONE_DAY, FIRST, True),  # its first day is the period's last
        (FIRST - 10 * ONE_DAY, FIRST - ONE_DAY, False),  # ends the day before it starts
    ],
)
def test_live_during_a_period_means_on_at_least_one_of_its_days(fixed, first, last, live):
    assert selectors.live_during(Contract.objects.filter(pk=fixed.pk), first, last).exists() is live


def test_the_rule_reaches_a_contract_through_a_relation(fixed):
    # The Q form, as a report uses it in a conditional aggregate or through another model.
    assert Contract.objects.filter(selectors.live_on_q(LAST), pk=fixed.pk).exists()
    assert not Contract.objects.filter(selectors.live_on_q(LAST + ONE_DAY), pk=fixed.pk).exists()
