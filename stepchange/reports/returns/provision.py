"""The prison-provision report: services running, started and ended per establishment, pathway and
quarter from approved prison returns, with totals, the regional trend, co-ordinator posts and the
running counts that do not reconcile."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from stepchange.core.models import FinancialYear, Region
from stepchange.core.periods import quarters_of
from stepchange.organisations.models import EstablishmentType
from stepchange.reports.columns import Column, ColumnKind
from stepchange.reports.registry import Chart, ReportParams, ReportResult, Table, national_form, register
from stepchange.reports.returns.common import QUARTERS, ZERO, establishments_of, missing_note, type_note, year_of
from stepchange.returns.checks import expected_running
from stepchange.returns.models import CoordinatorPost, PrisonReturnLine, ReturnKind, ReturnRound
from stepchange.returns.selectors import approved_prison_returns


def _quarter_state(asked: dict[int, int], approved: dict[int, int], quarter: int) -> str:
    """ "complete" when every return asked for in the quarter is approved, "incomplete" when some are
    missing, "not asked" when there was no round."""
    if not asked.get(quarter):
        return "not asked"
    return "complete" if approved.get(quarter, 0) == asked[quarter] else "incomplete"


def _last_quarter_lines(
    params: ReportParams, regions: list[Region], year: FinancialYear, quarters: tuple[int, ...]
) -> dict[int, dict[tuple[int, str], dict[str, int]]]:
    """Per region: services running by (quarter, establishment code) → pathway name, for the
    quarters before those in the report: the report's own quarters, and Q4 of the year before for
    Q1. Three statements whatever the number of regions."""
    out: dict[int, dict[tuple[int, str], dict[str, int]]] = {region.id: {} for region in regions}
    rounds = list(
        ReturnRound.objects.filter(region__in=regions, kind=ReturnKind.PRISON, year=year, quarter__in=quarters)
    )
    # Each region's latest Q4 round before the year: the first of its own, newest first.
    before: dict[int, ReturnRound] = {}
    for the_round in ReturnRound.objects.filter(
        region__in=regions, kind=ReturnKind.PRISON, year__end__lt=year.start, quarter=4
    ).order_by("-year__start"):
        before.setdefault(the_round.region_id, the_round)
    rounds += before.values()
    lines = PrisonReturnLine.objects.filter(
        prison_return__in=approved_prison_returns().filter(round__in=rounds, **establishments_of(params))
    ).values_list(
        "prison_return__round__region_id",
        "prison_return__round__year_id",
        "prison_return__round__quarter",
        "prison_return__commissioner__code",
        "pathway__name",
        "services_running",
    )
    for region_id, year_id, quarter, code, pathway, running in lines:
        # Keyed by the quarter that follows: Q4 of the year before is what Q1 follows.
        following = 1 if year_id != year.pk else quarter + 1
        out[region_id].setdefault((following, code), {})[pathway] = running
    return out


@dataclass
class ProvisionReads:
    """What the report reads for one region: who was asked for a return in the period (quarter,
    code, name), the approved returns, their lines, and the running counts of the quarters before."""

    asked_for: list[tuple[int, str, str]] = field(default_factory=list)
    approved_returns: list[tuple[Any, ...]] = field(default_factory=list)
    lines: list[tuple[Any, ...]] = field(default_factory=list)
    last_quarter: dict[tuple[int, str], dict[str, int]] = field(default_factory=dict)


def provision_reads(
    params: ReportParams, regions: list[Region], year: FinancialYear, quarters: tuple[int, ...]
) -> dict[int, ProvisionReads]:
    """The report's reads for every one of the regions, by region id, in a fixed number of
    statements whatever the number of regions, returns or lines: each is read once for all the
    regions, with its region, and shared out. The report's page asks for its one region through here.

    Read as plain values (who was asked, the approved returns, their lines): at national scale a
    region's year has thousands of lines, and a model instance for each line, its pathway, return,
    round and establishment cost more than the figures."""
    of_type = establishments_of(params)
    in_period = {"region__in": regions, "kind": ReturnKind.PRISON, "year": year, "quarter__in": quarters}
    out = {region.id: ProvisionReads() for region in regions}
    asked_for = (
        ReturnRound.commissioners.through.objects.filter(
            **{f"returnround__{key}": value for key, value in in_period.items()}
        )
        .filter(**of_type)
        .order_by("returnround__quarter", "commissioner__kind", "commissioner__code")
        .values_list(
            "returnround__region_id", "returnround__quarter", "commissioner__code", "commissioner__organisation__name"
        )
    )
    for region_id, *asked in asked_for:
        out[region_id].asked_for.append(tuple(asked))  # type: ignore[arg-type]
    approved = approved_prison_returns().filter(
        **{f"round__{key}": value for key, value in in_period.items()}, **of_type
    )
    for *returned, region_id in approved.order_by("round__quarter").values_list(
        "id",
        "round__quarter",
        "commissioner__code",
        "commissioner__organisation__name",
        "coordinator_post",
        "coordinator_fte",
        "commissioner__establishment_type",
        "round__region_id",
    ):
        out[region_id].approved_returns.append(tuple(returned))
    # The approved returns again as a subquery, not as a list of their ids: the statement is the same
    # whatever the number of returns (none, or thousands of ids as parameters).
    lines = (
        PrisonReturnLine.objects.filter(prison_return__in=approved)
        .order_by()
        .values_list(
            "prison_return_id",
            "pathway__name",
            "pathway__order",
            "services_running",
            "services_started",
            "services_ended",
            "prison_return__round__region_id",
        )
    )
    for *line, region_id in lines:
        out[region_id].lines.append(tuple(line))
    for region_id, last in _last_quarter_lines(params, regions, year, quarters).items():
        out[region_id].last_quarter = last
    return out


@register(
    name="prison-provision",
    title="VCS provision in prisons",
    description="Services running, started and ended per establishment per pathway per quarter from approved prison returns, totals by establishment and by pathway, the regional trend, co-ordinator posts and running counts that do not reconcile.",
    takes=("at", "year", "quarter", "establishment_type"),
)
def prison_provision(params: ReportParams) -> ReportResult:
    year = year_of(params)
    quarters = QUARTERS[: params.quarter] if params.quarter else QUARTERS
    reads = provision_reads(params, [params.region], year, quarters)[params.region.id]
    return _provision_result(params, year, quarters, reads)


def _provision_result(
    params: ReportParams, year: FinancialYear, quarters: tuple[int, ...], reads: ProvisionReads
) -> ReportResult:
    """One region's report from what ``provision_reads`` read for it."""
    approved_returns = reads.approved_returns
    type_labels = dict(EstablishmentType.choices)
    approved = {(quarter, code) for _, quarter, code, *_ in approved_returns}
    asked = 0
    missing = []
    asked_in: dict[int, int] = defaultdict(int)
    approved_in: dict[int, int] = defaultdict(int)
    for quarter, code, name in reads.asked_for:
        asked += 1
        asked_in[quarter] += 1
        if (quarter, code) in approved:
            approved_in[quarter] += 1
        else:
            missing.append(f"{name} Q{quarter}")
    approved_count = asked - len(missing)
    returns = {pk: (quarter, code, name) for pk, quarter, code, name, *_ in approved_returns}
    types = {code: type_labels.get(kind, "") for _, _, code, _, _, _, kind in approved_returns}
    lines = reads.lines
    last_quarter = reads.last_quarter
    labels = {q: quarters_of(year)[q - 1].label for q in quarters}
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    names: dict[str, str] = {}
    by_establishment: dict[str, dict[str, Any]] = {}
    by_pathway: dict[str, dict[str, Any]] = {}
    # None for a quarter with no approved return: nothing is known, which is not zero.
    trend: dict[int, int | None] = dict.fromkeys(quarters)
    exceptions: list[dict[str, Any]] = []

    def figures(**keys: Any) -> dict[str, Any]:
        return {**keys, **{f"q{q}": None for q in quarters}, "started": 0, "ended": 0}

    for return_id, pathway, order, running, started, ended in lines:
        quarter, code, name = returns[return_id]
        names[code] = name
        row = cells.setdefault(
            (code, pathway),
            {
                **figures(establishment=code, name=name, establishment_type=types[code], pathway=pathway),
                "_order": order,
            },
        )
        establishment = by_establishment.setdefault(
            code, figures(establishment=code, name=name, establishment_type=types[code])
        )
        path = by_pathway.setdefault(pathway, {**figures(pathway=pathway), "_order": order})
        for total in (row, establishment, path):
            total[f"q{quarter}"] = (total[f"q{quarter}"] or 0) + running
            total["started"] += started
            total["ended"] += ended
        trend[quarter] = (trend[quarter] or 0) + running
        before = last_quarter.get((quarter, code))
        last_running = None if before is None else before.get(pathway, 0)
        expected = expected_running(last_running=last_running, started=started, ended=ended)
        if expected is not None and expected != running:
            exceptions.append(
                {
                    "name": name,
                    "pathway": pathway,
                    "quarter": labels[quarter],
                    "last_running": last_running,
                    "started": started,
                    "ended": ended,
                    "expected": expected,
                    "running": running,
                    "_order": (name, quarter, order),
                }
            )
    rows = sorted(cells.values(), key=lambda r: (r["name"], r["_order"]))
    pathway_totals = sorted(by_pathway.values(), key=lambda r: r["_order"])
    exceptions.sort(key=lambda r: r["_order"])
    for row in (*rows, *pathway_totals, *exceptions):
        del row["_order"]
    establishment_totals = sorted(by_establishment.values(), key=lambda r: r["name"])

    # Co-ordinator posts: each establishment's post in each quarter, and the region's count of
    # full-time and part-time posts at each establishment's latest approved return in the period.
    post_labels = dict(CoordinatorPost.choices)
    posts_by_quarter: dict[str, dict[str, Any]] = {}
    latest: dict[str, tuple[str, Decimal | None]] = {}
    for _, quarter, code, name, post, fte, _kind in approved_returns:
        names[code] = name
        entry = posts_by_quarter.setdefault(
            code,
            {
                "establishment": code,
                "name": name,
                "establishment_type": types[code],
                **{f"q{q}": None for q in quarters},
            },
        )
        entry[f"q{quarter}"] = (
            post_labels[post] + (f" ({fte.normalize()} FTE)" if post == CoordinatorPost.PART_TIME and fte else "")
            if post
            else "Not answered"
        )
        latest[code] = (post, fte)
    post_rows = sorted(posts_by_quarter.values(), key=lambda r: r["name"])
    establishments = [
        {
            "establishment": code,
            "name": names[code],
            "establishment_type": types.get(code, ""),
            "started": by_establishment.get(code, {}).get("started", 0),
            "ended": by_establishment.get(code, {}).get("ended", 0),
            "coordinator_post": post_labels[latest[code][0]] if latest.get(code, ("", None))[0] else "",
            "coordinator_fte": latest[code][1] if code in latest else None,
        }
        for code in sorted(names, key=lambda c: names[c])
    ]
    full_time = sum(1 for post, _ in latest.values() if post == CoordinatorPost.FULL_TIME)
    part_time = sum(1 for post, _ in latest.values() if post == CoordinatorPost.PART_TIME)
    state = {q: _quarter_state(asked_in, approved_in, q) for q in quarters}
    totals: dict[str, Any] = {
        **{f"q{q}": trend[q] for q in quarters},
        **{f"q{q}_state": state[q] for q in quarters},
        "incomplete_quarters": [labels[q] for q in quarters if state[q] == "incomplete"],
        "started": sum(e["started"] for e in establishment_totals),
        "ended": sum(e["ended"] for e in establishment_totals),
        "returns_asked": asked,
        "returns_approved": approved_count,
        "returns_missing": len(missing),
        "full_time_posts": full_time,
        "part_time_posts": part_time,
        "coordinator_fte": sum((fte or ZERO for _, fte in latest.values()), ZERO),
        "not_reconciled": len(exceptions),
        "establishments": establishments,
    }

    def running_label(q: int) -> str:
        if state[q] == "incomplete":
            return f"Services running in the region, {labels[q]} (incomplete: {asked_in[q] - approved_in[q]} of {asked_in[q]} returns missing)"
        return f"Services running in the region, {labels[q]}"

    quarter_columns = [
        Column(f"q{q}", f"Running {labels[q]}", ColumnKind.COUNT, "no approved return") for q in quarters
    ]
    flow_columns = [
        Column("started", "Started in the period", ColumnKind.COUNT),
        Column("ended", "Ended in the period", ColumnKind.COUNT),
    ]
    return ReportResult(
        params=params,
        columns=[
            Column("name", "Establishment"),
            Column("establishment_type", "Type", missing="not recorded"),
            Column("pathway", "Pathway"),
            *[
                Column(f"q{q}", f"Services running {labels[q]}", ColumnKind.COUNT, "no approved return")
                for q in quarters
            ],
            Column("started", "New services started in the period", ColumnKind.COUNT),
            Column("ended", "Services ended in the period", ColumnKind.COUNT),
        ],
        rows=rows,
        totals=totals,
        total_columns=[
            *[Column(f"q{q}", running_label(q), ColumnKind.COUNT, "no approved return") for q in quarters],
            Column("started", "New services started", ColumnKind.COUNT),
            Column("ended", "Services ended", ColumnKind.COUNT),
            Column("full_time_posts", "Full-time co-ordinator posts", ColumnKind.COUNT),
            Column("part_time_posts", "Part-time co-ordinator posts", ColumnKind.COUNT),
            Column("coordinator_fte", "Co-ordinator posts (FTE)", ColumnKind.TEXT),
            Column("not_reconciled", "Running counts that do not reconcile", ColumnKind.COUNT),
            Column("returns_asked", "Returns asked for", ColumnKind.COUNT),
            Column("returns_approved", "Returns approved", ColumnKind.COUNT),
            Column("returns_missing", "Returns missing", ColumnKind.COUNT),
        ],
        tables=[
            Table(
                "by_establishment",
                "Totals by establishment",
                [
                    Column("name", "Establishment"),
                    Column("establishment_type", "Type", missing="not recorded"),
                    *quarter_columns,
                    *flow_columns,
                ],
                establishment_totals,
            ),
            Table(
                "by_pathway",
                "Totals by pathway",
                [Column("pathway", "Pathway"), *quarter_columns, *flow_columns],
                pathway_totals,
            ),
            Table(
                "posts",
                "Co-ordinator posts by establishment and quarter",
                [
                    Column("name", "Establishment"),
                    Column("establishment_type", "Type", missing="not recorded"),
                    *[Column(f"q{q}", labels[q], missing="no approved return") for q in quarters],
                ],
                post_rows,
            ),
            Table(
                "not_reconciled",
                "Running counts that do not reconcile (last quarter's running + started − ended)",
                [
                    Column("name", "Establishment"),
                    Column("pathway", "Pathway"),
                    Column("quarter", "Quarter"),
                    Column("last_running", "Running last quarter", ColumnKind.COUNT),
                    Column("started", "Started", ColumnKind.COUNT),
                    Column("ended", "Ended", ColumnKind.COUNT),
                    Column("expected", "Expected running", ColumnKind.COUNT),
                    Column("running", "Running reported", ColumnKind.COUNT),
                ],
                exceptions,
            ),
        ],
        chart=Chart(
            kind="line",
            title=f"Services running in the region's prisons, {year.name} (quarters with every return approved)",
            categories=[f"Q{q}" for q in quarters],
            # A quarter with returns missing is left out of the line, never drawn as a fall.
            series=[
                (
                    "Services running",
                    [Decimal(trend[q] or 0) if state[q] == "complete" else None for q in quarters],
                )
            ],
            unit="",
        ),
        notes=[
            missing_note(asked, missing),
            *(
                [
                    "Incomplete quarters (returns missing, so their totals are not comparable and the chart leaves "
                    "them out): " + ", ".join(totals["incomplete_quarters"]) + "."
                ]
                if totals["incomplete_quarters"]
                else []
            ),
            *type_note(params),
        ],
    )


@national_form("prison-provision")
def prison_provision_national(params: ReportParams, regions: list[Region]) -> dict[str, list[dict[str, Any]]]:
    """Every one of the regions' rows for the period, from one read of each thing for all of them."""
    year = year_of(params)
    quarters = QUARTERS[: params.quarter] if params.quarter else QUARTERS
    reads = provision_reads(params, regions, year, quarters)
    return {
        region.code: _provision_result(
            dataclasses.replace(params, region=region), year, quarters, reads[region.id]
        ).rows
        for region in regions
    }
