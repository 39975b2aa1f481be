"""The commissioning funnel drawn at a date (``at=``): only the opportunities published by the end
of that day, each stage's bids counted only if it had closed by then, as the funnel stood that
day. Without a date asked for, it is drawn now."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from stepchange.commissioning.models import Award, Opportunity
from stepchange.commissioning.reports import funnel_figures
from stepchange.reports.registry import REPORTS, ReportParams, parse_params
from tests.commissioning.world import DAY, build_tender


def funnel(cast, at: datetime.date | None, *, now: datetime.datetime) -> list[tuple[str, int, int | None]]:
    rows, _totals = funnel_figures(ReportParams(region=cast.region, at=at, at_asked=at is not None), now=now)
    return [(row["reference"], row["stage"], row["bids"]) for row in rows]


def test_the_date_chooses_what_was_published_and_what_had_closed(cast):
    tender = build_tender(cast)
    start = tender.start
    later = Opportunity.objects.create(
        reference="housing",
        commissioner=cast.regional_team,
        title="Housing advice",
        description="Housing advice on release.",
        estimated_value=Decimal("30000"),
        duration_months=12,
        contract_start=(start + 90 * DAY).date(),
        funding_source="main_grant",
        published_at=start + 15 * DAY,
    )
    later.stages.create(number=1, name="Bid", deadline=start + 50 * DAY)
    now = start + 60 * DAY  # both stages of the women's services tender have closed by now

    # The day before publication: nothing.
    assert funnel(cast, timezone.localdate(start - DAY), now=now) == []
    # Publication day: the women's services tender, its stages still open, so no bid is counted.
    assert funnel(cast, timezone.localdate(start), now=now) == [
        ("womens-services", 1, None),
        ("womens-services", 2, None),
    ]
    # After stage 1 closed (start + 10 days) and the housing tender was published (start + 15 days).
    assert funnel(cast, timezone.localdate(start + 16 * DAY), now=now) == [
        ("womens-services", 1, 1),
        ("womens-services", 2, None),
        ("housing", 1, None),
    ]
    # No date: drawn now, when every stage has closed (housing's at start + 50 days).
    assert funnel(cast, None, now=now) == [
        ("womens-services", 1, 1),
        ("womens-services", 2, 0),  # no bid was made at stage 2
        ("housing", 1, 0),
    ]


def test_a_date_after_today_is_drawn_today(cast):
    tender = build_tender(cast)
    now = tender.start + DAY  # stage 1 closes at start + 10 days: sealed today
    assert funnel(cast, timezone.localdate(tender.start + 30 * DAY), now=now) == [
        ("womens-services", 1, None),
        ("womens-services", 2, None),
    ]


def test_the_date_is_asked_for_only_when_given(cast):
    report = REPORTS["commissioning-funnel"]
    assert parse_params(report, {"region": "YH", "at": "2006-10-01"}).at_asked is True
    assert parse_params(report, {"region": "YH", "year": "2006-07"}).at_asked is True
    assert parse_params(report, {"region": "YH"}).at_asked is False


def test_an_award_made_after_the_date_gives_no_days_to_award(cast):
    tender = build_tender(cast)
    Award.objects.create(
        opportunity=tender.opportunity,
        bid=tender.bid,
        value=1,
        awarded_at=tender.start + 30 * DAY,
        standstill_ends=(tender.start + 40 * DAY).date(),
    )
    now = tender.start + 60 * DAY

    def days(at: datetime.date | None) -> tuple[int | None, Decimal | None]:
        rows, totals = funnel_figures(ReportParams(region=cast.region, at=at, at_asked=at is not None), now=now)
        return rows[0]["days_to_award"], totals["mean_days_to_award"]

    assert days(timezone.localdate(tender.start + 29 * DAY)) == (None, None)
    # Published at the start, awarded 30 days later.
    assert days(timezone.localdate(tender.start + 30 * DAY)) == (30, Decimal("30.00"))
    assert days(None) == (30, Decimal("30.00"))
