"""Commissioning reports in the registry: the funnel of every opportunity and what bidders said.

Both are public, so both count only what is public: published opportunities, and bids of stages
whose deadline has passed (a sealed bid is not counted, so a count cannot reveal it). Bids
withdrawn before the deadline are not counted either: they were never opened.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from stepchange.commissioning import sealed
from stepchange.commissioning.awards import current_award
from stepchange.commissioning.models import Bid, Opportunity, SurveyResponse
from stepchange.commissioning.selectors import feedback_summary, stage_statistics, survey_summary
from stepchange.core.money import round_half_up
from stepchange.reports.columns import Column, ColumnKind
from stepchange.reports.registry import Chart, ReportParams, ReportResult, register

RATINGS = ("clarity", "time_to_form_partnership", "transparency")


def _two_places(value: Decimal | None) -> Decimal | None:
    """Means are reported to two places, rounded half up once, from the unrounded mean."""
    return None if value is None else round_half_up(value, 2)


def _means(summary: Any) -> dict[str, Any]:
    return {
        "invited": summary.invited,
        "responses": summary.responses,
        **{name: _two_places(getattr(summary, name)) for name in (*RATINGS, "effort_hours", "effort_people")},
    }


def as_at(params: ReportParams, now: datetime.datetime) -> datetime.datetime:
    """The moment the funnel is drawn at: the end of the day asked for (``at=``, UK time), or now if
    that is later or no day was asked for (the region's default report date, its latest probation
    return, says nothing of tenders). A report cannot look past now: a bid sealed now stays sealed."""
    if params.at is None or not params.at_asked:
        return now
    day_after = timezone.make_aware(datetime.datetime.combine(params.at + datetime.timedelta(days=1), datetime.time()))
    return min(now, day_after - datetime.timedelta(microseconds=1))


def _published(params: ReportParams, *, until: datetime.datetime) -> list[Opportunity]:
    """The region's opportunities published by ``until``."""
    return list(
        Opportunity.objects.filter(published_at__lte=until, commissioner__region=params.region)
        .prefetch_related("stages", "awards")
        .order_by("published_at", "reference")
    )


def days_to_award(opportunity: Opportunity, *, until: datetime.datetime | None = None) -> int | None:
    """Days from publication to the current award, if it was made by ``until`` (by default, ever)."""
    award = current_award(opportunity)
    if award is None or opportunity.published_at is None or (until is not None and award.awarded_at > until):
        return None
    return (timezone.localdate(award.awarded_at) - timezone.localdate(opportunity.published_at)).days


def funnel_figures(
    params: ReportParams, *, now: datetime.datetime | None = None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    # Everything below is as it stood at the report's date: what was published, which stages had
    # closed (a stage still open then counts no bid), which awards were made.
    now = as_at(params, now or timezone.now())
    # Awards made after the day asked for are left out; drawn now, every award counts.
    award_until = now if params.at_asked else None
    rows: list[dict[str, Any]] = []
    opportunities = _published(params, until=now)
    for opportunity in opportunities:
        partnerships = (
            Bid.objects.filter(sealed.unsealed_submitted_q(now), stage__opportunity=opportunity)
            .values("partnership_id")
            .distinct()
            .count()
        )
        for stage in opportunity.stages.all():
            statistics = stage_statistics(stage, now=now)
            rows.append(
                {
                    "opportunity": opportunity.title,
                    "reference": opportunity.reference,
                    "stage": stage.number,
                    "stage_name": stage.name,
                    "published": timezone.localdate(opportunity.published_at) if opportunity.published_at else None,
                    "deadline": timezone.localdate(stage.deadline),
                    "partnerships": partnerships,
                    "bids": statistics.bids if statistics else None,
                    "taken_forward": statistics.taken_forward if statistics else None,
                    "awarded": statistics.awarded if statistics else None,
                    "days_to_award": days_to_award(opportunity, until=award_until),
                }
            )
    awarded = [o for o in opportunities if days_to_award(o, until=award_until) is not None]
    days = [days_to_award(o, until=award_until) or 0 for o in awarded]
    totals = {
        "opportunities": len(opportunities),
        "partnerships": sum(
            Bid.objects.filter(sealed.unsealed_submitted_q(now), stage__opportunity=o)
            .values("partnership_id")
            .distinct()
            .count()
            for o in opportunities
        ),
        "bids": sum(r["bids"] or 0 for r in rows),
        "taken_forward": sum(r["taken_forward"] or 0 for r in rows),
        "awarded": sum(r["awarded"] or 0 for r in rows),
        "mean_days_to_award": _two_places(Decimal(sum(days)) / len(days)) if days else None,
    }
    return rows, totals


@register(
    name="commissioning-funnel",
    title="Commissioning funnel",
    description="Each opportunity published by the date, stage by stage: partnerships formed, bids, taken forward, awarded, and days from publication to award, as they stood on that date.",
)
def commissioning_funnel(params: ReportParams) -> ReportResult:
    rows, totals = funnel_figures(params)
    return ReportResult(
        params=params,
        columns=[
            Column("opportunity", "Opportunity"),
            Column("stage", "Stage", ColumnKind.COUNT),
            Column("published", "Published", ColumnKind.DATE),
            Column("deadline", "Stage deadline", ColumnKind.DATE),
            Column("partnerships", "Partnerships that bid", ColumnKind.COUNT),
            Column("bids", "Bids", ColumnKind.COUNT, missing="sealed until the deadline"),
            Column("taken_forward", "Taken forward", ColumnKind.COUNT, missing="sealed until the deadline"),
            Column("awarded", "Awarded", ColumnKind.COUNT, missing="sealed until the deadline"),
            Column("days_to_award", "Days from publication to award", ColumnKind.COUNT, missing="not awarded"),
        ],
        rows=rows,
        totals=totals,
        total_columns=[
            Column("opportunities", "Opportunities published", ColumnKind.COUNT),
            Column("partnerships", "Partnerships that bid", ColumnKind.COUNT),
            Column("bids", "Bids", ColumnKind.COUNT),
            Column("taken_forward", "Taken forward", ColumnKind.COUNT),
            Column("awarded", "Awarded", ColumnKind.COUNT),
            Column("mean_days_to_award", "Mean days from publication to award", missing="none awarded"),
        ],
        chart=Chart(
            kind="bar",
            title="Bids and bids taken forward, by opportunity and stage",
            categories=[f"{r['reference']} stage {r['stage']}" for r in rows],
            series=[
                ("Bids", [None if r["bids"] is None else Decimal(r["bids"]) for r in rows]),
                (
                    "Taken forward or awarded",
                    [
                        None if r["bids"] is None else Decimal((r["taken_forward"] or 0) + (r["awarded"] or 0))
                        for r in rows
                    ],
                ),
            ],
            unit="",
        ),
        notes=[
            "Bids are counted only once their stage's deadline has passed; until then they are sealed.",
            "Partnerships that bid: those with a submitted bid to a closed stage of the opportunity.",
        ],
    )


@register(
    name="commissioning-feedback",
    title="What bidders said about commissioning",
    description="The anonymous bidder survey of each opportunity whose feedback is published: ratings from 1 (very poor) to 5 (very good), effort to bid, and across all opportunities.",
)
def commissioning_feedback(params: ReportParams) -> ReportResult:
    opportunities = Opportunity.objects.filter(
        feedback_published_at__isnull=False, commissioner__region=params.region
    ).order_by("published_at", "reference")
    rows = []
    for opportunity in opportunities:
        rows.append({"opportunity": opportunity.title, **_means(survey_summary(opportunity))})
    # Across opportunities: every response weighs the same (pooled, not a mean of means). The
    # counts add up only those that may be told, so a total cannot give a hidden one away.
    pooled = feedback_summary(SurveyResponse.objects.filter(opportunity__in=opportunities), 0)
    totals = _means(pooled)
    told = [r for r in rows if r["invited"] is not None]
    totals["invited"] = sum(r["invited"] for r in told)
    totals["responses"] = sum(r["responses"] for r in told)
    rating_columns = [
        Column("clarity", "Clarity of the specification"),
        Column("time_to_form_partnership", "Time to form a partnership"),
        Column("transparency", "Transparency"),
        Column("effort_hours", "Hours per bid"),
        Column("effort_people", "People per bid"),
    ]
    return ReportResult(
        params=params,
        columns=[
            Column("opportunity", "Opportunity"),
            Column("invited", "Bidders asked", ColumnKind.COUNT),
            Column("responses", "Answers", ColumnKind.COUNT),
            *rating_columns,
        ],
        rows=rows,
        totals=totals,
        total_columns=[
            Column("invited", "Bidders asked", ColumnKind.COUNT),
            Column("responses", "Answers", ColumnKind.COUNT),
            *rating_columns,
        ],
        chart=Chart(
            kind="bar",
            title="Mean ratings by opportunity (1 very poor to 5 very good)",
            categories=[r["opportunity"] for r in rows],
            series=[
                ("Clarity", [r["clarity"] for r in rows]),
                ("Time to form a partnership", [r["time_to_form_partnership"] for r in rows]),
                ("Transparency", [r["transparency"] for r in rows]),
            ],
            unit="",
        ),
        notes=[
            "Answers are anonymous: no answer is linked to a bidder, and comments are not reported here.",
            "How many were asked and answered is not told while a stage of the opportunity is sealed "
            "(one cancelled before its deadline): everyone who bid is asked, so it would tell how many bid.",
            "Means to two places; across opportunities every answer weighs the same.",
        ],
    )
