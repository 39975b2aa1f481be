"""Reports read from returns: prison provision by pathway and quarter, prison spend by pathway,
and how complete each round is. Registered once; every format and the CLI come from the registry.

Only approved returns reach these figures (an approved return counts until a correction of it is
approved). Each report says how many of the returns it asked for it is still missing.

``prison-spend`` reads two sources on purpose. Its ``spend`` column is the annual value of the
prison-commissioned contracts live on the date, under the same conventions as the probation share
(live on the day, annual value in full, one count per pathway): that is what the 2006-07 report's
baseline (paras 5.45-5.46) measured, and the demo's prison contracts add up to it. Beside it,
``returned_spend`` is the quarter's spend as the establishments reported it in approved returns,
with the count of returns still missing, so the two can be compared.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from stepchange.contracts.models import Contract
from stepchange.contracts.selectors import live_on_q
from stepchange.core.models import FinancialYear, Pathway
from stepchange.core.periods import quarters_of, year_containing
from stepchange.organisations.models import CommissionerKind, EstablishmentType
from stepchange.reports.registry import Chart, Column, ReportParams, ReportResult, Table, register
from stepchange.returns.checks import expected_running
from stepchange.returns.models import (
    CoordinatorPost,
    PrisonReturn,
    PrisonReturnLine,
    ProbationReturn,
    ReturnKind,
    ReturnRound,
    Status,
)
from stepchange.returns.selectors import approved_prison_returns

ZERO = Decimal("0.00")
QUARTERS = (1, 2, 3, 4)


def _year_of(params: ReportParams) -> FinancialYear:
    if params.year is not None:
        return params.year
    assert params.at is not None
    return year_containing(params.at)


def _rounds(params: ReportParams, year: FinancialYear, quarters: tuple[int, ...]) -> list[ReturnRound]:
    return list(
        ReturnRound.objects.filter(region=params.region, kind=ReturnKind.PRISON, year=year, quarter__in=quarters)
        .prefetch_related("commissioners")
        .order_by("quarter")
    )


def missing_returns(rounds: list[ReturnRound]) -> tuple[int, int, list[str]]:
    """(asked for, approved, who is missing as "HULL Q2") across the rounds."""
    approved = set(approved_prison_returns().filter(round__in=rounds).values_list("round_id", "commissioner_id"))
    asked = 0
    missing = []
    for the_round in rounds:
        for commissioner in the_round.commissioners.all():
            asked += 1
            if (the_round.pk, commissioner.pk) not in approved:
                missing.append(f"{commissioner.code} Q{the_round.quarter}")
    return asked, asked - len(missing), missing


def _missing_note(asked: int, missing: list[str]) -> str:
    if not asked:
        return "No prison returns were asked for in this period."
    if not missing:
        return f"All {asked} returns asked for are approved."
    return (
        f"Missing {len(missing)} of {asked} returns (not yet approved): {', '.join(missing)}. "
        "Their figures are not in this report."
    )


def _establishments_of(params: ReportParams) -> dict[str, Any]:
    """The filter on a return's (or round membership's) commissioner for the report's establishment type."""
    return {"commissioner__establishment_type": params.establishment_type} if params.establishment_type else {}


def _type_note(params: ReportParams) -> list[str]:
    if not params.establishment_type:
        return []
    return [f"Only establishments of type {EstablishmentType(params.establishment_type).label}."]


def _quarter_state(asked: dict[int, int], approved: dict[int, int], quarter: int) -> str:
    """ "complete" when every return asked for in the quarter is approved, "incomplete" when some are
    missing, "not asked" when there was no round."""
    if not asked.get(quarter):
        return "not asked"
    return "complete" if approved.get(quarter, 0) == asked[quarter] else "incomplete"


def _last_quarter_lines(
    params: ReportParams, year: FinancialYear, quarters: tuple[int, ...]
) -> dict[tuple[int, str], dict[str, int]]:
    """Services running by (quarter, establishment code) → pathway name, for the quarters before
    those in the report: the report's own quarters, and Q4 of the year before for Q1."""
    out: dict[tuple[int, str], dict[str, int]] = {}
    before = (
        ReturnRound.objects.filter(region=params.region, kind=ReturnKind.PRISON, year__end__lt=year.start, quarter=4)
        .order_by("-year__start")
        .first()
    )
    rounds = list(
        ReturnRound.objects.filter(region=params.region, kind=ReturnKind.PRISON, year=year, quarter__in=quarters)
    )
    if before is not None:
        rounds.append(before)
    lines = PrisonReturnLine.objects.filter(
        prison_return__in=approved_prison_returns().filter(round__in=rounds, **_establishments_of(params))
    ).values_list(
        "prison_return__round__year_id",
        "prison_return__round__quarter",
        "prison_return__commissioner__code",
        "pathway__name",
        "services_running",
    )
    for year_id, quarter, code, pathway, running in lines:
        # Keyed by the quarter that follows: Q4 of the year before is what Q1 follows.
        following = 1 if year_id != year.pk else quarter + 1
        out.setdefault((following, code), {})[pathway] = running
    return out


@register(
    name="prison-provision",
    title="VCS provision in prisons",
    description="Services running, started and ended per establishment per pathway per quarter from approved prison returns, totals by establishment and by pathway, the regional trend, co-ordinator posts and running counts that do not reconcile.",
    takes=("at", "year", "quarter", "establishment_type"),
)
def prison_provision(params: ReportParams) -> ReportResult:
    year = _year_of(params)
    quarters = QUARTERS[: params.quarter] if params.quarter else QUARTERS
    # Read as plain values in three statements (who was asked, the approved returns, their lines):
    # at national scale a region's year has thousands of lines, and a model instance for each line,
    # its pathway, return, round and establishment cost more than the figures.
    in_period = {
        "region": params.region,
        "kind": ReturnKind.PRISON,
        "year": year,
        "quarter__in": quarters,
    }
    asked_for = (
        ReturnRound.commissioners.through.objects.filter(
            **{f"returnround__{key}": value for key, value in in_period.items()}
        )
        .filter(**{f"commissioner__{k.split('__', 1)[1]}": v for k, v in _establishments_of(params).items()})
        .order_by("returnround__quarter", "commissioner__kind", "commissioner__code")
    )
    approved_returns = list(
        approved_prison_returns()
        .filter(**{f"round__{key}": value for key, value in in_period.items()}, **_establishments_of(params))
        .order_by("round__quarter")
        .values_list(
            "id",
            "round__quarter",
            "commissioner__code",
            "commissioner__organisation__name",
            "coordinator_post",
            "coordinator_fte",
            "commissioner__establishment_type",
        )
    )
    type_labels = dict(EstablishmentType.choices)
    approved = {(quarter, code) for _, quarter, code, *_ in approved_returns}
    asked = 0
    missing = []
    asked_in: dict[int, int] = defaultdict(int)
    approved_in: dict[int, int] = defaultdict(int)
    for quarter, code in asked_for.values_list("returnround__quarter", "commissioner__code"):
        asked += 1
        asked_in[quarter] += 1
        if (quarter, code) in approved:
            approved_in[quarter] += 1
        else:
            missing.append(f"{code} Q{quarter}")
    approved_count = asked - len(missing)
    returns = {pk: (quarter, code, name) for pk, quarter, code, name, *_ in approved_returns}
    types = {code: type_labels.get(kind, "") for _, _, code, _, _, _, kind in approved_returns}
    # The approved returns again as a subquery, not as a list of their ids: the statement is the same
    # whatever the number of returns (none, or thousands of ids as parameters).
    lines = (
        PrisonReturnLine.objects.filter(
            prison_return__in=approved_prison_returns().filter(
                **{f"round__{key}": value for key, value in in_period.items()}, **_establishments_of(params)
            )
        )
        .order_by()
        .values_list(
            "prison_return_id",
            "pathway__name",
            "pathway__order",
            "services_running",
            "services_started",
            "services_ended",
        )
    )
    last_quarter = _last_quarter_lines(params, year, quarters)
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

    quarter_columns = [Column(f"q{q}", f"Running {labels[q]}", "int", "no approved return") for q in quarters]
    flow_columns = [Column("started", "Started in the period", "int"), Column("ended", "Ended in the period", "int")]
    return ReportResult(
        name="prison-provision",
        title="VCS provision in prisons",
        params=params,
        columns=[
            Column("name", "Establishment"),
            Column("establishment_type", "Type", missing="not recorded"),
            Column("pathway", "Pathway"),
            *[Column(f"q{q}", f"Services running {labels[q]}", "int", "no approved return") for q in quarters],
            Column("started", "New services started in the period", "int"),
            Column("ended", "Services ended in the period", "int"),
        ],
        rows=rows,
        totals=totals,
        total_columns=[
            *[Column(f"q{q}", running_label(q), "int", "no approved return") for q in quarters],
            Column("started", "New services started", "int"),
            Column("ended", "Services ended", "int"),
            Column("full_time_posts", "Full-time co-ordinator posts", "int"),
            Column("part_time_posts", "Part-time co-ordinator posts", "int"),
            Column("coordinator_fte", "Co-ordinator posts (FTE)", "text"),
            Column("not_reconciled", "Running counts that do not reconcile", "int"),
            Column("returns_asked", "Returns asked for", "int"),
            Column("returns_approved", "Returns approved", "int"),
            Column("returns_missing", "Returns missing", "int"),
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
                    Column("last_running", "Running last quarter", "int"),
                    Column("started", "Started", "int"),
                    Column("ended", "Ended", "int"),
                    Column("expected", "Expected running", "int"),
                    Column("running", "Running reported", "int"),
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
            _missing_note(asked, missing),
            *(
                [
                    "Incomplete quarters (returns missing, so their totals are not comparable and the chart leaves "
                    "them out): " + ", ".join(totals["incomplete_quarters"]) + "."
                ]
                if totals["incomplete_quarters"]
                else []
            ),
            *_type_note(params),
        ],
    )


def _spend_or_unknown(total: Decimal, known: int) -> Decimal | None:
    """Spend summed over the returns that gave it; None (not known) when none did. Never £0.00 for unknown."""
    return total.quantize(Decimal("0.01")) if known else None


def _prison_spend_year(params: ReportParams, year: FinancialYear) -> ReportResult:
    """The year's spend as approved returns reported it, by pathway and by establishment, with how
    many returns gave it and how many left it blank (blank is unknown; 0 is nil)."""
    rounds = _rounds(params, year, QUARTERS)
    asked, _approved, missing = _missing_of_type(rounds, params)
    lines = PrisonReturnLine.objects.filter(
        prison_return__in=approved_prison_returns().filter(round__in=rounds, **_establishments_of(params))
    ).values_list(
        "prison_return_id",
        "prison_return__commissioner__code",
        "prison_return__commissioner__organisation__name",
        "prison_return__commissioner__establishment_type",
        "pathway_id",
        "spend",
    )
    by_pathway: dict[int, dict[str, Any]] = {}
    by_return: dict[int, dict[str, Any]] = {}
    for return_id, code, name, kind, pathway_id, spend in lines:
        path = by_pathway.setdefault(pathway_id, {"sum": ZERO, "known": 0, "unknown": 0})
        one = by_return.setdefault(return_id, {"code": code, "name": name, "kind": kind, "sum": ZERO, "known": 0})
        if spend is None:
            path["unknown"] += 1
        else:
            path["known"] += 1
            path["sum"] += spend
            one["sum"] += spend
            one["known"] += 1
    type_labels = dict(EstablishmentType.choices)
    establishments: dict[str, dict[str, Any]] = {}
    for one in by_return.values():
        row = establishments.setdefault(
            one["code"],
            {
                "establishment": one["code"],
                "name": one["name"],
                "establishment_type": type_labels.get(one["kind"], ""),
                "_sum": ZERO,
                "returns_spend_known": 0,
                "returns_spend_not_known": 0,
            },
        )
        row["_sum"] += one["sum"]
        # A return gave spend if it gave it on any pathway; one that left every pathway blank did not.
        row["returns_spend_known" if one["known"] else "returns_spend_not_known"] += 1
    establishment_rows = []
    for row in sorted(establishments.values(), key=lambda r: r["name"]):
        row["spend"] = _spend_or_unknown(row.pop("_sum"), row["returns_spend_known"])
        establishment_rows.append(row)
    rows = []
    for pathway in Pathway.objects.filter(applies_to_prisons=True).order_by("order"):
        figures = by_pathway.get(pathway.pk, {"sum": ZERO, "known": 0, "unknown": 0})
        rows.append(
            {
                "pathway": pathway.name,
                "spend": _spend_or_unknown(figures["sum"], figures["known"]),
                "returns_spend_known": figures["known"],
                "returns_spend_not_known": figures["unknown"],
            }
        )
    known = sum(r["returns_spend_known"] for r in establishment_rows)
    totals: dict[str, Any] = {
        "year": year.name,
        "spend": _spend_or_unknown(sum((p["sum"] for p in by_pathway.values()), ZERO), known),
        "returns_spend_known": known,
        "returns_spend_not_known": sum(r["returns_spend_not_known"] for r in establishment_rows),
        "returns_asked": asked,
        "returns_missing": len(missing),
    }
    spend_columns = [
        Column("spend", f"Spend reported in approved returns, {year.name}", "money", "not known"),
        Column("returns_spend_known", "Returns giving spend", "int"),
        Column("returns_spend_not_known", "Returns leaving spend blank (not known)", "int"),
    ]
    return ReportResult(
        name="prison-spend",
        title="Prison spend with voluntary, community and private providers by pathway",
        params=params,
        columns=[Column("pathway", "Pathway"), *spend_columns],
        rows=rows,
        totals=totals,
        total_columns=[
            Column("spend", f"Spend reported, {year.name}", "money", "not known"),
            Column("returns_spend_known", "Returns giving spend", "int"),
            Column("returns_spend_not_known", "Returns leaving spend blank (not known)", "int"),
            Column("returns_missing", "Returns missing", "int"),
        ],
        tables=[
            Table(
                "by_establishment",
                f"Spend reported by establishment, {year.name}",
                [
                    Column("name", "Establishment"),
                    Column("establishment_type", "Type", missing="not recorded"),
                    *spend_columns,
                ],
                establishment_rows,
            )
        ],
        chart=Chart(
            kind="bar",
            title=f"Spend reported in approved prison returns by pathway, {year.name}",
            categories=[r["pathway"] for r in rows],
            series=[("Spend reported", [r["spend"] for r in rows])],
            unit="£",
        ),
        notes=[
            "The year's spend as the establishments reported it in approved returns, summing the quarters in which "
            "it was given. A spend left blank is not known and is not counted as £0; a spend of 0 is nil and is "
            "counted. Where no return gave a spend, it is shown as not known.",
            _missing_note(asked, missing),
            *_type_note(params),
        ],
    )


def _missing_of_type(rounds: list[ReturnRound], params: ReportParams) -> tuple[int, int, list[str]]:
    """``missing_returns`` for the establishments of the report's type only."""
    if not params.establishment_type:
        return missing_returns(rounds)
    approved = set(approved_prison_returns().filter(round__in=rounds).values_list("round_id", "commissioner_id"))
    asked = 0
    missing = []
    for the_round in rounds:
        for commissioner in the_round.commissioners.all():
            if commissioner.establishment_type != params.establishment_type:
                continue
            asked += 1
            if (the_round.pk, commissioner.pk) not in approved:
                missing.append(f"{commissioner.code} Q{the_round.quarter}")
    return asked, asked - len(missing), missing


@register(
    name="prison-spend",
    title="Prison spend with voluntary, community and private providers by pathway",
    description="The annual value of prison contracts live on the date by pathway, beside the quarter's spend reported in approved prison returns; or, for a financial year, the year's reported spend by pathway and by establishment.",
    takes=("at", "year", "quarter", "establishment_type"),
)
def prison_spend(params: ReportParams) -> ReportResult:
    if params.year is not None and not params.quarter:
        return _prison_spend_year(params, params.year)
    at = params.at if params.at is not None else min(params.year.end, datetime.date.today()) if params.year else None
    assert at is not None
    year = year_containing(at)
    quarter = params.quarter or next(q.number for q in quarters_of(year) if q.start <= at <= q.end)
    live = Contract.objects.filter(
        live_on_q(at),
        commissioner__region=params.region,
        commissioner__kind=CommissionerKind.PRISON,
        **_establishments_of(params),
    ).exclude(prime__sector="public")
    by_pathway = {
        row["pathways"]: row
        for row in live.values("pathways").annotate(spend=Sum("annual_value"), n=Count("id")).order_by()
    }
    rounds = _rounds(params, year, (quarter,))
    asked, _approved, missing = _missing_of_type(rounds, params)
    returned = {
        row["pathway_id"]: row["spend"]
        for row in PrisonReturnLine.objects.filter(
            prison_return__in=approved_prison_returns().filter(round__in=rounds, **_establishments_of(params)),
            spend__isnull=False,
        )
        .values("pathway_id")
        .annotate(spend=Sum("spend"))
        .order_by()
    }
    rows = []
    for pathway in Pathway.objects.order_by("order"):
        contracts = by_pathway.get(pathway.pk, {"spend": ZERO, "n": 0})
        rows.append(
            {
                "pathway": pathway.name,
                "spend": (contracts["spend"] or ZERO).quantize(Decimal("0.01")),
                "contracts": contracts["n"],
                "returned_spend": returned[pathway.pk].quantize(Decimal("0.01")) if pathway.pk in returned else None,
            }
        )
    label = quarters_of(year)[quarter - 1].label
    totals = {
        # Each contract once, however many pathways it is on.
        "spend": (live.aggregate(total=Sum("annual_value"))["total"] or ZERO).quantize(Decimal("0.01")),
        "contracts": live.count(),
        # Not known (None) when no approved return gave a spend: never £0.00 for unknown.
        "returned_spend": sum(returned.values(), ZERO).quantize(Decimal("0.01")) if returned else None,
        "quarter": label,
        "returns_asked": asked,
        "returns_missing": len(missing),
    }
    return ReportResult(
        name="prison-spend",
        title="Prison spend with voluntary, community and private providers by pathway",
        params=params,
        columns=[
            Column("pathway", "Pathway"),
            Column("spend", "Annual value of live contracts", "money"),
            Column("contracts", "Contracts", "int"),
            Column("returned_spend", f"Spend reported in approved returns, {label}", "money", "not known"),
        ],
        rows=rows,
        totals=totals,
        total_columns=[
            Column("spend", "Annual value of live contracts", "money"),
            Column("contracts", "Contracts", "int"),
            Column("returned_spend", f"Spend reported, {label}", "money", "not known"),
            Column("returns_missing", "Returns missing", "int"),
        ],
        chart=Chart(
            kind="bar",
            title="Annual value of live prison contracts by pathway",
            categories=[r["pathway"] for r in rows],
            series=[("Annual value", [r["spend"] for r in rows])],
            unit="£",
        ),
        notes=[
            "Annual value of contracts commissioned by the region's prisons, live on the date, with voluntary, "
            "community or private primes; a contract on two pathways counts in each. Visitors' centres count as "
            "Children & Families.",
            _missing_note(asked, missing),
            *_type_note(params),
        ],
    )


@register(
    name="returns-status",
    title="Returns: who has not started, drafting, submitted, overdue, approved, returned",
    description="Every return of the year's rounds (or one quarter's) with its status today, and the rounds' completeness.",
    takes=("at", "year", "quarter"),
    signed_in_only=True,
)
def returns_status(params: ReportParams) -> ReportResult:
    year = _year_of(params)
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
        name="returns-status",
        title="Returns: who has not started, drafting, submitted, overdue, approved, returned",
        params=params,
        columns=[
            Column("round", "Round"),
            Column("name", "Commissioner"),
            Column("status", "Status today"),
            Column("late", "Late"),
            Column("deadline", "Deadline", "date"),
            Column("submitted_at", "Submitted", "date"),
        ],
        rows=rows,
        totals=totals,
        total_columns=[
            Column("rounds", "Rounds", "int"),
            Column("returns", "Returns", "int"),
            *[Column(keys[label], label, "int") for label in order],
            Column("approved_pct", "Approved", "pct"),
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
