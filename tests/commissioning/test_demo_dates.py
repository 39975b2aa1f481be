"""The demo's commissioning dates hang together: the Together Women tender sits wholly in 2006-07,
the seed report's year, and every opportunity's dates come in the order a real one's do:
published, questions closed and answered, each stage's bids formed and submitted, each stage closed,
the award, its standstill, the contract's start. The open Unpaid Work pilot must close after today
(its bid is sealed until then), so its dates follow its deadline instead: published ten weeks
before it, never a 2007 publication with a deadline years later."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from stepchange.commissioning.models import Bid, BiddingPartnership, Opportunity, PartnershipMember
from stepchange.demo.commissioning import TWP, UPW

pytestmark = pytest.mark.usefixtures("db")

YEAR_STARTS, YEAR_ENDS = datetime.date(2006, 4, 1), datetime.date(2007, 3, 31)


def day(value: datetime.datetime | datetime.date) -> datetime.date:
    return timezone.localdate(value) if isinstance(value, datetime.datetime) else value


def dates_of(opportunity: Opportunity) -> dict[str, datetime.datetime | datetime.date]:
    """Every date the demo wrote for one opportunity, named."""
    assert opportunity.published_at is not None
    found: dict[str, datetime.datetime | datetime.date] = {
        "published": opportunity.published_at,
        "contract start": opportunity.contract_start,
    }
    for name in ("clarification_deadline", "answers_published_by", "feedback_published_at"):
        if getattr(opportunity, name):
            found[name] = getattr(opportunity, name)
    for stage in opportunity.stages.all():
        found[f"stage {stage.number} deadline"] = stage.deadline
    for partnership in BiddingPartnership.objects.filter(opportunity=opportunity):
        found[f"{partnership} formed"] = partnership.created_at
        for member in PartnershipMember.objects.filter(partnership=partnership):
            found[f"{member} invited"] = member.invited_at
            for name in ("confirmed_at", "left_at"):
                if getattr(member, name):
                    found[f"{member} {name}"] = getattr(member, name)
    for bid in Bid.objects.filter(stage__opportunity=opportunity):
        for name in ("created_at", "submitted_at", "outcome_at"):
            if getattr(bid, name):
                found[f"bid {bid.pk} {name}"] = getattr(bid, name)
    for award in opportunity.awards.all():
        found["award"] = award.awarded_at
        found["standstill ends"] = award.standstill_ends
    return found


def test_the_together_women_tender_sits_in_2006_07(demo: str) -> None:
    outside = {
        name: day(value)
        for name, value in dates_of(Opportunity.objects.get(reference=TWP)).items()
        if not YEAR_STARTS <= day(value) <= YEAR_ENDS
    }
    assert outside == {}


@pytest.mark.parametrize("reference", [TWP, UPW])
def test_every_opportunitys_dates_come_in_order(demo: str, reference: str) -> None:
    opportunity = Opportunity.objects.get(reference=reference)
    stages = list(opportunity.stages.order_by("number"))
    published = opportunity.published_at
    assert published is not None
    deadlines = [stage.deadline for stage in stages]
    assert [published, *deadlines] == sorted([published, *deadlines])
    assert len(set(deadlines)) == len(deadlines)
    if opportunity.clarification_deadline:
        assert opportunity.answers_published_by is not None
        assert published < opportunity.clarification_deadline <= opportunity.answers_published_by < deadlines[0]
    for partnership in BiddingPartnership.objects.filter(opportunity=opportunity):
        assert published < partnership.created_at < deadlines[0]
    for bid in Bid.objects.filter(stage__opportunity=opportunity).select_related("stage"):
        assert bid.submitted_at is not None, bid
        assert published < bid.created_at <= bid.submitted_at < bid.stage.deadline, bid
        if bid.outcome_at:
            assert bid.stage.deadline < bid.outcome_at
    award = opportunity.awards.first()
    if award is not None:
        assert deadlines[-1] < award.awarded_at
        assert day(award.awarded_at) < award.standstill_ends < opportunity.contract_start
    assert day(deadlines[-1]) < opportunity.contract_start


def test_the_open_pilot_is_published_weeks_not_years_before_it_closes(demo: str) -> None:
    opportunity = Opportunity.objects.get(reference=UPW)
    deadline = opportunity.stages.get(number=1).deadline
    assert opportunity.published_at is not None
    assert opportunity.published_at < timezone.now() < deadline
    assert deadline - opportunity.published_at == datetime.timedelta(weeks=10)
    # Its sealed bid is already in.
    bid = Bid.objects.get(stage__opportunity=opportunity)
    assert bid.submitted_at is not None
    assert opportunity.published_at < bid.submitted_at < timezone.now()
