"""The provider burden report, by process and by quarter, registered with the reports app.

The report shows processes, never organisations: the registry's reports are the same for everyone
signed in, and who sees which organisation's row is this app's rule (``access``), so the rows by
organisation are on this app's own page (``views.index``)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from stepchange.burden import figures
from stepchange.core.models import FinancialYear
from stepchange.core.periods import Quarter, quarters_of, year_containing
from stepchange.core.questions import asked_twice
from stepchange.reports.columns import Column, ColumnKind
from stepchange.reports.registry import Chart, ReportParams, ReportResult, Table, register

TIME_COLUMNS = [
    Column("answered", "Said how long it took", ColumnKind.COUNT),
    Column("hours_sum", "Hours, in all", ColumnKind.HOURS, missing="nobody said"),
    Column("hours_mean", "Hours, mean", ColumnKind.HOURS, missing="nobody said"),
    Column("hours_median", "Hours, median", ColumnKind.HOURS, missing="nobody said"),
]


def period_of(year: FinancialYear, quarter: int | None) -> tuple[datetime.date, datetime.date, str]:
    """The days a year, or one of its quarters, covers, and its name."""
    if quarter:
        q: Quarter = quarters_of(year)[quarter - 1]
        return q.start, q.end, q.label
    return year.start, year.end, year.name


def year_of(params: ReportParams) -> FinancialYear:
    if params.year is not None:
        return params.year
    assert params.at is not None
    return year_containing(params.at)


@register(
    name="provider-burden",
    title="Provider burden",
    description="What answering the region costs providers: how many returns, bids, small grant applications and monitoring requests were answered, and the time people said they took (sum, mean, median, how many said), by process and by quarter, with the questions asked in more than one form.",
    takes=("year", "quarter"),
    signed_in_only=True,
)
def provider_burden(params: ReportParams) -> ReportResult:
    year = year_of(params)
    start, end, label = period_of(year, params.quarter)
    quarters = quarters_of(year)
    pieces = figures.work_in(params.region.pk, year.start, year.end)
    chosen = [p for p in pieces if start <= p.day <= end]
    rows = figures.by_process(chosen)
    trend: list[dict[str, Any]] = []
    for q in quarters:
        in_quarter = [p for p in pieces if q.start <= p.day <= q.end]
        trend += [{"quarter": q.label, **row} for row in figures.by_process(in_quarter)]
    twice = asked_twice()
    return ReportResult(
        params=params,
        columns=[Column("process", "Process"), *rows_columns()],
        rows=rows,
        totals={"period": label, **figures.counts(chosen)},
        total_columns=[
            Column("period", "Period"),
            Column("pieces", "Answered, every process", ColumnKind.COUNT),
            Column("organisations", "Organisations answering", ColumnKind.COUNT),
        ],
        tables=[
            Table(
                key="trend",
                title=f"By quarter of {year.name}",
                columns=[Column("quarter", "Quarter"), Column("process", "Process"), *rows_columns()],
                rows=trend,
            ),
            Table(
                key="asked_twice",
                title="Questions providers are asked in more than one form",
                columns=[Column("question", "Question"), Column("forms", "Forms that ask it")],
                rows=[{"question": t.question, "forms": list(t.forms)} for t in twice],
            ),
        ],
        chart=Chart(
            kind="line",
            title=f"Answered each quarter of {year.name}, by process",
            categories=[q.label for q in quarters],
            series=[
                (name, [Decimal(row["pieces"]) for row in trend if row["process"] == name])
                for _, name in figures.PROCESSES
            ],
            unit="",
        ),
        notes=[
            "The time asked in each form is optional: a form left blank is not counted as 0 hours; "
            "the sum, mean and median are over those who said.",
            "A bid's time comes from the bidders' survey, which is anonymous: it is counted on the day "
            "the answer came in. A bid is counted once its stage's deadline has passed.",
            "The organisations' own rows are on the provider burden page, for the regional team and, "
            "for its own row, each provider.",
        ],
    )


def rows_columns() -> list[Column]:
    return [
        Column("pieces", "Answered", ColumnKind.COUNT),
        Column("organisations", "Organisations answering", ColumnKind.COUNT),
        *TIME_COLUMNS,
    ]
