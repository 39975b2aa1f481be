"""The returns-status report: every return of the year's rounds with its status today, for people
signed in (it names who is late)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import timezone

from stepchange.reports.columns import Column, ColumnKind
from stepchange.reports.registry import Chart, ReportParams, ReportResult, register
from stepchange.reports.returns.common import year_of
from stepchange.returns.models import PrisonReturn, ProbationReturn, ReturnRound, Status


@register(
    name="returns-status",
    title="Returns: who has not started, drafting, submitted, overdue, approved, returned",
    description="Every return of the year's rounds (or one quarter's) with its status today, and the rounds' completeness.",
    takes=("at", "year", "quarter"),
    signed_in_only=True,
)
def returns_status(params: ReportParams) -> ReportResult:
    year = year_of(params)
    rounds = ReturnRound.objects.filter(region=params.region, year=year)
    if params.quarter:
        rounds = rounds.filter(quarter=params.quarter)
    today = timezone.localdate()
    rows = []
    returns: list[Any] = [
        *PrisonReturn.objects.filter(round__in=rounds, superseded_at__isnull=True).select_related(
            "round__year", "commissioner__organisation"
        ),
        *ProbationReturn.objects.filter(round__in=rounds, superseded_at__isnull=True).select_related(
            "round__year", "commissioner__organisation"
        ),
    ]
    returns.sort(key=lambda r: (r.round.quarter, r.round.kind, r.commissioner.name, r.revision))
    for the_return in returns:
        label, _colour = the_return.status_tag(today)
        rows.append(
            {
                "round": str(the_return.round),
                "commissioner": the_return.commissioner.code,
                "name": the_return.commissioner.name,
                "revision": the_return.revision,
                "status": label,
                "late": "yes" if the_return.is_late else "",
                "deadline": the_return.round.deadline,
                "submitted_at": the_return.submitted_on,
            }
        )
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row["status"]] += 1
    order = [
        "Not started",
        "Draft",
        "Overdue",
        "Returned for correction",
        "Submitted",
        "Nil return submitted",
        "Approved",
    ]
    keys = {label: label.lower().replace(" ", "_") for label in order}
    totals: dict[str, Any] = {keys[label]: counts.get(label, 0) for label in order}
    totals["returns"] = len(rows)
    totals["rounds"] = rounds.count()
    approved = counts.get(str(Status.APPROVED.label), 0)
    totals["approved_pct"] = Decimal(approved) * 100 / len(rows) if rows else None
    return ReportResult(
        params=params,
        columns=[
            Column("round", "Round"),
            Column("name", "Commissioner"),
            Column("status", "Status today"),
            Column("late", "Late"),
            Column("deadline", "Deadline", ColumnKind.DATE),
            Column("submitted_at", "Submitted", ColumnKind.DATE),
        ],
        rows=rows,
        totals=totals,
        total_columns=[
            Column("rounds", "Rounds", ColumnKind.COUNT),
            Column("returns", "Returns", ColumnKind.COUNT),
            *[Column(keys[label], label, ColumnKind.COUNT) for label in order],
            Column("approved_pct", "Approved", ColumnKind.PERCENT),
        ],
        chart=Chart(
            kind="bar",
            title="Returns by status",
            categories=order,
            series=[("Returns", [Decimal(counts.get(label, 0)) for label in order])],
            unit="",
        ),
        notes=[
            f"Status as of {today:%-d %B %Y}: a return not submitted after its deadline is overdue; one returned "
            "for correction is shown as returned until it is submitted again."
        ],
    )
