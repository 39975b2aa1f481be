"""The funding services: streams kept by the regional team, helped bids and their summary, and the
small grants round from a draft application to an award within the budget, with the applicant told."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stepchange.core.models import AuditEvent
from stepchange.funding import access, services
from stepchange.funding.models import ApplicationStatus, BidOutcome, GrantApplication
from stepchange.funding.selectors import bid_summary, grants_made
from stepchange.notifications.models import Notification
from tests.factories import (
    FundingStreamFactory,
    GrantApplicationFactory,
    GrantsRoundFactory,
    HelpedBidFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

STREAM = {
    "funder": "The Lankelly Foundation",
    "programme": "Offenders and their families",
    "opens_on": datetime.date(2006, 6, 1),
    "deadline": datetime.date(2006, 9, 29),
    "amount_min": Decimal("5000.00"),
    "amount_max": Decimal("30000.00"),
    "eligibility": "Voluntary organisations in England.",
    "url": "",
}


def test_the_regional_team_keeps_its_own_regions_streams_only(cast):
    stream = services.stream_save(actor=cast.alice, data={**STREAM, "region": cast.region})
    assert stream.region == cast.region
    assert AuditEvent.objects.filter(action="funding_stream.create", object_id=str(stream.pk)).count() == 1
    with pytest.raises(PermissionDenied):
        services.stream_save(actor=cast.alice, data={**STREAM, "region": cast.other_region})
    for refused in (cast.dave, cast.bob, cast.heidi, cast.nadia):
        with pytest.raises(PermissionDenied):
            services.stream_save(actor=refused, data={**STREAM, "region": cast.region})
    changed = services.stream_save(
        actor=cast.alice, stream=stream, data={**STREAM, "programme": "Families"}, expected_version=stream.version
    )
    assert changed.programme == "Families"
    with pytest.raises(services.StaleEdit):
        services.stream_save(actor=cast.alice, stream=stream, data=STREAM, expected_version=1)


def test_a_stream_whose_smallest_amount_is_above_its_largest_is_refused(cast):
    with pytest.raises(ValidationError) as refused:
        services.stream_save(
            actor=cast.alice, data={**STREAM, "region": cast.region, "amount_min": Decimal("40000.00")}
        )
    assert "amount_max" in refused.value.message_dict


def test_bids_are_recorded_by_the_organisation_or_the_regional_team_and_an_award_only_when_won(cast):
    stream = FundingStreamFactory.create(region=cast.region)
    data = {
        "organisation": cast.charity,
        "stream": stream,
        "submitted_on": datetime.date(2006, 9, 1),
        "amount_asked": Decimal("12000.00"),
        "helped_by": "CRISP development worker",
        "help_given": "Read the draft bid",
        "outcome": BidOutcome.WAITING,
        "amount_awarded": None,
    }
    bid = services.helped_bid_save(actor=cast.dave, data=data)
    assert bid.recorded_by == cast.dave
    with pytest.raises(PermissionDenied):
        services.helped_bid_save(actor=cast.erin, data=data)  # not Erin's organisation
    with pytest.raises(ValidationError):
        services.helped_bid_save(
            actor=cast.alice, bid=bid, data={**data, "outcome": BidOutcome.WON}, expected_version=bid.version
        )
    won = services.helped_bid_save(
        actor=cast.alice,
        bid=bid,
        data={**data, "outcome": BidOutcome.WON, "amount_awarded": Decimal("9500.00")},
        expected_version=bid.version,
    )
    assert won.amount_awarded == Decimal("9500.00")
    assert set(access.helped_bids_visible_to(cast.dave)) == {bid}
    assert not access.helped_bids_visible_to(cast.erin).exists()
    assert not access.helped_bids_visible_to(cast.bob).exists()


def test_the_summary_adds_up_asked_won_and_the_success_rate_worked_by_hand(cast):
    stream = FundingStreamFactory.create(region=cast.region)
    for asked, outcome, awarded in [
        ("10000.00", BidOutcome.WON, "8000.00"),
        ("4500.50", BidOutcome.WON, "4500.50"),
        ("20000.00", BidOutcome.NOT_WON, None),
        ("7000.00", BidOutcome.NOT_WON, None),
        ("3000.00", BidOutcome.WAITING, None),
        ("1000.00", BidOutcome.WITHDRAWN, None),
    ]:
        HelpedBidFactory.create(
            organisation=cast.charity,
            stream=stream,
            amount_asked=Decimal(asked),
            outcome=outcome,
            amount_awarded=Decimal(awarded) if awarded else None,
        )
    summary = bid_summary(access.helped_bids_visible_to(cast.alice))
    # Asked: 10,000 + 4,500.50 + 20,000 + 7,000 + 3,000 + 1,000 = 45,500.50.
    assert summary.asked == Decimal("45500.50")
    # Won: 8,000 + 4,500.50 = 12,500.50.
    assert summary.won == Decimal("12500.50")
    # Two won of four decided (the waiting and the withdrawn bids have no result): 50%.
    assert (summary.bids, summary.won_count, summary.decided) == (6, 2, 4)
    assert summary.success_rate == Decimal("50")
    assert bid_summary(access.helped_bids_visible_to(cast.erin)).success_rate is None


def _application(cast, grants_round, **extra):
    data = {
        "project_title": "Through the gate mentoring",
        "summary": "Volunteer mentors meet women at the gate.",
        "amount_requested": Decimal("4000.00"),
        "start_on": datetime.date(2006, 9, 1),
        "end_on": datetime.date(2007, 3, 31),
    }
    data.update(extra)
    return services.application_save(
        actor=cast.dave, grants_round=grants_round, data=data, today=datetime.date(2006, 7, 10)
    )


def test_one_application_per_organisation_per_round_only_while_it_is_open(cast):
    grants_round = GrantsRoundFactory.create(region=cast.region)
    application = _application(cast, grants_round)
    assert application.organisation == cast.charity and application.is_draft
    with pytest.raises(Exception, match="started your organisation's application"):
        _application(cast, grants_round)
    with pytest.raises(ValidationError, match="largest grant"):
        services.application_save(
            actor=cast.erin,
            grants_round=grants_round,
            data={
                "project_title": "x",
                "summary": "y",
                "amount_requested": Decimal("5000.01"),
                "start_on": datetime.date(2006, 9, 1),
                "end_on": datetime.date(2006, 9, 2),
            },
            today=datetime.date(2006, 7, 10),
        )
    with pytest.raises(ValidationError, match="not taking applications"):
        services.application_save(
            actor=cast.erin,
            grants_round=grants_round,
            data={
                "project_title": "x",
                "summary": "y",
                "amount_requested": Decimal("10"),
                "start_on": datetime.date(2006, 9, 1),
                "end_on": datetime.date(2006, 9, 2),
            },
            today=datetime.date(2006, 8, 1),
        )
    for refused in (cast.alice, cast.bob, cast.heidi):
        with pytest.raises(PermissionDenied):
            services.application_save(
                actor=refused, grants_round=grants_round, data={}, today=datetime.date(2006, 7, 10)
            )
    # The regional team does not see a draft.
    assert not access.applications_visible_to(cast.alice).exists()
    late = datetime.datetime(2006, 8, 1, 9, tzinfo=datetime.UTC)
    with pytest.raises(ValidationError, match="closed on 31 July 2006"):
        services.application_submit(actor=cast.dave, application=application, now=late)
    on_time = datetime.datetime(2006, 7, 31, 16, tzinfo=datetime.UTC)
    submitted = services.application_submit(actor=cast.dave, application=application, now=on_time)
    assert submitted.status == ApplicationStatus.SUBMITTED
    assert set(access.applications_visible_to(cast.alice)) == {submitted}
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.application_save(
            actor=cast.dave,
            application=submitted,
            data={**{f: getattr(submitted, f) for f in services.APPLICATION_FIELDS}},
            expected_version=submitted.version,
        )


def _submitted(cast, grants_round, organisation, asked):
    return GrantApplicationFactory.create(
        round=grants_round,
        organisation=organisation,
        amount_requested=Decimal(asked),
        status=ApplicationStatus.SUBMITTED,
    )


def test_an_assessor_with_a_conflict_scores_nothing_and_decides_nothing(cast):
    grants_round = GrantsRoundFactory.create(region=cast.region)
    application = _submitted(cast, grants_round, cast.charity, "4000.00")
    with pytest.raises(ValidationError):
        services.assess(actor=cast.alice, application=application, data={"conflict": True, "conflict_details": ""})
    services.assess(
        actor=cast.alice, application=application, data={"conflict": True, "conflict_details": "I am a trustee."}
    )
    assert not access.may_assess(cast.alice, application)
    assert not access.may_decide(cast.alice, application)
    with pytest.raises(PermissionDenied):
        services.decide(actor=cast.alice, application=application, award=True, reasons="Good", amount=Decimal("1"))
    # Another of the team, without a conflict, assesses and decides.
    services.assess(
        actor=cast.root,
        application=application,
        data={"conflict": False, "score": 8, "recommendation": "award", "comments": "Strong plan"},
    )
    decided = services.decide(
        actor=cast.root, application=application, award=False, reasons="The round was oversubscribed."
    )
    assert decided.status == ApplicationStatus.DECLINED
    # The North East's commissioner cannot assess Yorkshire and Humberside's applications.
    assert not access.applications_assessable_by(cast.bob).exists()


def test_awards_never_exceed_the_budget_and_the_applicant_is_told(cast):
    # Budget 10,000: awards of 4,000 and 3,500.50 leave 2,499.50.
    grants_round = GrantsRoundFactory.create(region=cast.region, budget=Decimal("10000.00"))
    first = _submitted(cast, grants_round, cast.charity, "4000.00")
    second = _submitted(cast, grants_round, cast.company, "5000.00")
    third = _submitted(cast, grants_round, OrganisationFactory.create(name="Calder Mentoring"), "3000.00")
    for application in (first, second, third):
        services.assess(
            actor=cast.alice, application=application, data={"conflict": False, "score": 7, "recommendation": "award"}
        )
    services.decide(
        actor=cast.alice, application=first, award=True, reasons="Meets every criterion.", amount=Decimal("4000.00")
    )
    services.decide(actor=cast.alice, application=second, award=True, reasons="Part funded.", amount=Decimal("3500.50"))
    assert grants_round.awarded_total() == Decimal("7500.50")
    with pytest.raises(ValidationError, match=re.escape("Only £2,499.50 of this round's budget is left")):
        services.decide(actor=cast.alice, application=third, award=True, reasons="Good.", amount=Decimal("2499.51"))
    with pytest.raises(ValidationError, match=re.escape("more than the £3,000.00 asked for")):
        services.decide(actor=cast.alice, application=third, award=True, reasons="Good.", amount=Decimal("3000.01"))
    services.decide(actor=cast.alice, application=third, award=True, reasons="Good.", amount=Decimal("2499.50"))
    assert grants_round.awarded_total() == grants_round.budget
    assert [g.pk for g in grants_made()] == [first.pk, second.pk, third.pk]
    told = Notification.objects.get(recipient=cast.dave, kind="grant_decision")
    assert "awarded £4,000.00" in told.body and "Meets every criterion." in told.body
    assert Notification.objects.filter(recipient=cast.erin, kind="grant_decision").count() == 1
    # The budget cannot then be cut below what was awarded.
    with pytest.raises(ValidationError, match=re.escape("£10,000.00 already awarded")):
        services.round_save(
            actor=cast.alice,
            grants_round=grants_round,
            data={f: getattr(grants_round, f) for f in services.ROUND_FIELDS} | {"budget": Decimal("9999.99")},
            expected_version=grants_round.version,
        )
    assert GrantApplication.objects.filter(status=ApplicationStatus.AWARDED).count() == 3


def test_a_round_renamed_to_another_of_its_regions_names_is_refused(cast):
    first = GrantsRoundFactory.create(region=cast.region, name="Round 1")
    second = GrantsRoundFactory.create(region=cast.region, name="Round 2")
    with pytest.raises(ValidationError) as refused:
        services.round_save(
            actor=cast.alice,
            grants_round=second,
            data={f: getattr(second, f) for f in services.ROUND_FIELDS} | {"name": first.name},
            expected_version=second.version,
        )
    assert "name" in refused.value.message_dict
