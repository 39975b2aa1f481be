"""The rule of an opportunity's current award: the one not withdrawn. No award, a standing one, a
withdrawn one, and a withdrawn one followed by a new award; the queryset form, the instance form
and the opportunity's status all agree, and the funnel's days to award follow the current one."""

from __future__ import annotations

import datetime

import pytest

from stepchange.commissioning.awards import (
    current_award,
    current_award_q,
    current_awards,
    has_current_award,
    is_current,
)
from stepchange.commissioning.models import Award, OpportunityStatus
from stepchange.commissioning.reports import days_to_award
from tests.commissioning.world import DAY, build_tender


@pytest.fixture
def tender(cast):
    return build_tender(cast)


def _award(tender, *, days: int, withdrawn: bool) -> Award:
    at = tender.start + days * DAY
    return Award.objects.create(
        opportunity=tender.opportunity,
        bid=tender.bid,
        value=1,
        awarded_at=at,
        standstill_ends=(at + 10 * DAY).date(),
        withdrawn_at=at + DAY if withdrawn else None,
        withdrawn_reason="Scored wrongly" if withdrawn else "",
    )


def _agree(opportunity) -> Award | None:
    found = current_award(opportunity)
    assert list(current_awards(opportunity.awards.all())) == ([found] if found else [])
    assert list(Award.objects.filter(current_award_q(), opportunity=opportunity)) == ([found] if found else [])
    assert has_current_award(opportunity) is (found is not None)
    return found


def test_no_award(tender):
    assert _agree(tender.opportunity) is None
    assert days_to_award(tender.opportunity) is None


def test_a_standing_award_is_current(tender):
    award = _award(tender, days=30, withdrawn=False)
    assert _agree(tender.opportunity) == award and is_current(award)
    assert tender.opportunity.status() == OpportunityStatus.AWARDED
    assert days_to_award(tender.opportunity) == 30


def test_a_withdrawn_award_is_not(tender):
    award = _award(tender, days=30, withdrawn=True)
    assert _agree(tender.opportunity) is None and not is_current(award)
    assert tender.opportunity.status() != OpportunityStatus.AWARDED
    assert days_to_award(tender.opportunity) is None
    assert not award.may_start(datetime.date(2100, 1, 1))


def test_after_a_withdrawal_the_new_award_is_current(tender):
    _award(tender, days=30, withdrawn=True)
    again = _award(tender, days=45, withdrawn=False)
    assert _agree(tender.opportunity) == again
    assert days_to_award(tender.opportunity) == 45
    # The award through a relation: a challenge reaches it as ``award__``.
    assert Award.objects.filter(current_award_q("")).count() == 1
