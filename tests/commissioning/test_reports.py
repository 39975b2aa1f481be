"""The funnel and feedback reports against numbers worked out by hand."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from stepchange.commissioning.models import Award, Bid, BiddingPartnership, SurveyInvitation, SurveyResponse
from stepchange.commissioning.reports import funnel_figures
from stepchange.reports.registry import ReportParams
from tests.commissioning.world import DAY, HOUR, build_tender
from tests.factories import OrganisationFactory


@pytest.fixture
def tender(cast):
    """Acorn's bid plus two more at stage 1; two taken forward, one awarded at stage 2."""
    tender = build_tender(cast)
    opportunity = tender.opportunity
    bids = [tender.bid]
    for name in ("Hope", "Ivy"):
        lead = OrganisationFactory.create(name=f"{name} Trust")
        partnership = BiddingPartnership.objects.create(
            opportunity=opportunity, name=name, lead=lead, created_at=tender.start
        )
        bids.append(
            Bid.objects.create(
                partnership=partnership,
                stage=tender.stage1,
                submitted_at=tender.start + HOUR,
                created_at=tender.start,
            )
        )
    # A fourth partnership withdrew before the deadline: never counted.
    gone = BiddingPartnership.objects.create(
        opportunity=opportunity,
        name="Gone",
        lead=OrganisationFactory.create(name="Gone Trust"),
        created_at=tender.start,
    )
    Bid.objects.create(
        partnership=gone,
        stage=tender.stage1,
        submitted_at=tender.start + HOUR,
        withdrawn_at=tender.start + 2 * HOUR,
        created_at=tender.start,
    )
    decided = tender.after_stage1
    Bid.objects.filter(pk__in=[bids[0].pk, bids[1].pk]).update(outcome="shortlisted", outcome_at=decided)
    Bid.objects.filter(pk=bids[2].pk).update(outcome="rejected", outcome_at=decided)
    winner = Bid.objects.create(
        partnership=tender.partnership,
        stage=tender.stage2,
        submitted_at=decided,
        outcome="awarded",
        outcome_at=decided,
        created_at=decided,
    )
    Bid.objects.create(
        partnership=bids[1].partnership,
        stage=tender.stage2,
        submitted_at=decided,
        outcome="rejected",
        outcome_at=decided,
        created_at=decided,
    )
    Award.objects.create(
        opportunity=opportunity,
        bid=winner,
        value=1,
        awarded_at=tender.start + 30 * DAY,
        standstill_ends=(tender.start + 40 * DAY).date(),
    )
    return tender


def params(cast):
    return ReportParams(region=cast.region, at=datetime.date(2006, 10, 1))


def test_the_funnel_counts_only_unsealed_bids(cast, tender):
    # Between the deadlines: stage 1 has 3 bids (Acorn, Hope, Ivy; Gone withdrew), 2 taken forward;
    # stage 2 is still sealed, so its two bids are not counted, not even as a number.
    rows, totals = funnel_figures(params(cast), now=tender.after_stage1)
    assert [(r["stage"], r["bids"], r["taken_forward"], r["awarded"]) for r in rows] == [
        (1, 3, 2, 0),
        (2, None, None, None),
    ]
    # Partnerships that bid to a closed stage: Acorn, Hope and Ivy = 3. Gone submitted, then withdrew
    # before the deadline: its bid stays sealed for ever, so not even its partnership is counted.
    assert rows[0]["partnerships"] == 3
    assert totals["bids"] == 3 and totals["awarded"] == 0


def test_the_funnel_after_the_award(cast, tender):
    after = tender.stage2.deadline + HOUR
    rows, totals = funnel_figures(params(cast), now=after)
    assert [(r["opportunity"], r["stage"], r["bids"], r["taken_forward"], r["awarded"]) for r in rows] == [
        ("Women's services", 1, 3, 2, 0),
        ("Women's services", 2, 2, 0, 1),
    ]
    # Published at the start, awarded 30 days later: 30 days from publication to award.
    assert rows[0]["days_to_award"] == 30
    assert totals == {
        "opportunities": 1,
        "partnerships": 3,
        "bids": 5,  # 3 + 2
        "taken_forward": 2,
        "awarded": 1,
        "mean_days_to_award": Decimal("30.00"),
    }


def test_the_funnel_is_a_registered_report_in_every_format(cast, tender, client_for):
    body = client_for(None).get("/reports/commissioning-funnel.json", {"region": "YH"}).content
    data = json.loads(body)
    rows = data["rows"]
    assert {"opportunity", "stage", "bids", "taken_forward", "awarded"} <= set(rows[0])
    assert client_for(None).get("/reports/commissioning-funnel.csv", {"region": "YH"}).status_code == 200


def test_the_feedback_report_means_by_hand(cast, tender, client_for, monkeypatch):
    # After every deadline: while a stage is sealed the counts are not told.
    monkeypatch.setattr(timezone, "now", lambda: tender.stage2.deadline + HOUR)
    opportunity = tender.opportunity
    for partnership in BiddingPartnership.objects.filter(opportunity=opportunity)[:3]:
        SurveyInvitation.objects.create(
            opportunity=opportunity, partnership=partnership, invited_at=timezone.now(), answered=True
        )
    for clarity, time, transparency, hours, people in [(4, 1, 3, 80, 3), (3, 2, 4, 120, 4)]:
        SurveyResponse.objects.create(
            opportunity=opportunity,
            received_on=datetime.date(2006, 11, 1),
            clarity=clarity,
            time_to_form_partnership=time,
            transparency=transparency,
            effort_hours=hours,
            effort_people=people,
        )
    # Not yet published: the report lists nothing.
    assert (
        json.loads(client_for(None).get("/reports/commissioning-feedback.json", {"region": "YH"}).content)["rows"] == []
    )
    type(opportunity).objects.filter(pk=opportunity.pk).update(feedback_published_at=timezone.now())
    data = json.loads(client_for(None).get("/reports/commissioning-feedback.json", {"region": "YH"}).content)
    row = data["rows"][0]
    # 3 asked, 2 answered; clarity (4 + 3) / 2 = 3.5; time (1 + 2) / 2 = 1.5; transparency (3 + 4) / 2 = 3.5;
    # hours (80 + 120) / 2 = 100; people (3 + 4) / 2 = 3.5.
    assert (row["invited"], row["responses"]) == (3, 2)
    assert [
        Decimal(str(row[k]))
        for k in ("clarity", "time_to_form_partnership", "transparency", "effort_hours", "effort_people")
    ] == [Decimal("3.5"), Decimal("1.5"), Decimal("3.5"), Decimal("100"), Decimal("3.5")]
