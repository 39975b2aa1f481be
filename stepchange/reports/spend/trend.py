"""The share-trend report: each probation area's share of main grant at each date of the year that
has data (the baseline and each approved quarterly return)."""

from __future__ import annotations

import datetime
from typing import Any

from stepchange.contracts import selectors as contracts
from stepchange.core.models import FinancialYear, Region
from stepchange.core.periods import year_containing
from stepchange.reports.columns import Column, ColumnKind
from stepchange.reports.registry import Chart, ReportParams, ReportResult, register
from stepchange.reports.spend.shares import NO_GRANT, regional_share, share_pct, spend_by_area_on
from stepchange.returns.selectors import approved_probation_returns


def trend_dates(region: Region, year: FinancialYear, until: datetime.date) -> list[datetime.date]:
    """The dates that have data: the year's start (or first approved return) and every approved return after it."""
    returns = set(
        approved_probation_returns()
        .filter(commissioner__region=region, as_at__gte=year.start, as_at__lte=until)
        .values_list("as_at", flat=True)
        .distinct()
    )
    dates = returns or {year.start}
    if not returns:
        dates.add(until)
    return sorted(dates)


@register(
    name="share-trend",
    title="Share of main grant over the year",
    description="Each probation area's share at each date with data in the year: the baseline and each quarterly return.",
    takes=("at", "year"),
)
def share_trend(params: ReportParams) -> ReportResult:
    if params.year is not None:
        year = params.year
        until = year.end
    else:
        assert params.at is not None
        year = year_containing(params.at)
        until = params.at
    areas = list(contracts.probation_areas(params.region))
    grants = contracts.main_grants(contracts.probation_areas(params.region), year)
    rows = []
    dates = trend_dates(params.region, year, until)
    spend_on = spend_by_area_on([params.region], dates)
    for day in dates:
        spend = spend_on[day]
        row: dict[str, Any] = {"date": day}
        for area in areas:
            row[area.code] = share_pct(spend[area.id]["spend"], grants.get(area.id))
        area_ids = [area.id for area in areas]
        row["weighted_share_pct"], row["mean_share_pct"] = regional_share(
            {a: spend[a]["spend"] for a in area_ids}, grants, area_ids
        )
        rows.append(row)
    columns = [Column("date", "Date", ColumnKind.DATE)] + [
        Column(a.code, a.name, ColumnKind.PERCENT_2, NO_GRANT) for a in areas
    ]
    columns += [
        Column("weighted_share_pct", "Region, weighted", ColumnKind.PERCENT_2, NO_GRANT),
        Column("mean_share_pct", "Mean of areas", ColumnKind.PERCENT_2, NO_GRANT),
    ]
    return ReportResult(
        params=params,
        columns=columns,
        rows=rows,
        totals={"year": year.name, "dates": len(rows)},
        chart=Chart(
            kind="line",
            title=f"Share of main grant by probation area, {year.name}",
            categories=[f"{r['date']:%-d %b %Y}" for r in rows],
            # Each area by name; the words every one of them shares are left out so the legend fits
            # on one line of the chart.
            series=[(a.name.removesuffix(" Probation Area"), [r[a.code] for r in rows]) for a in areas],
        ),
        notes=["One point per date that has data: the year's first return (its baseline) and each return after it."],
    )
