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

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from stepchange.contracts.models import Contract
from stepchange.core.models import FinancialYear, Pathway
from stepchange.core.periods import quarters_of, year_containing
from stepchange.organisations.models import CommissionerKind
from stepchange.reports.registry import Chart, Column, ReportParams, ReportResult, register
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


@register(
    name="prison-provision",
    title="VCS provision in prisons",
    description="Services running per establishment per pathway per quarter from approved prison returns, the regional trend, new services started and co-ordinator posts.",
    takes=("at", "year", "quarter"),
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
    asked_for = ReturnRound.commissioners.through.objects.filter(
        **{f"returnround__{key}": value for key, value in in_period.items()}
    ).order_by("returnround__quarter", "commissioner__kind", "commissioner__code")
    approved_returns = list(
        approved_prison_returns()
        .filter(**{f"round__{key}": value for key, value in in_period.items()})
        .order_by("round__quarter")
        .values_list(
            "id",
            "round__quarter",
            "commissioner__code",
            "commissioner__organisation__name",
            "coordinator_post",
            "coordinator_fte",
        )
    )
    approved = {(quarter, code) for _, quarter, code, _, _, _ in approved_returns}
    asked = 0
    missing = []
    for quarter, code in asked_for.values_list("returnround__quarter", "commissioner__code"):
        asked += 1
        if (quarter, code) not in approved:
            missing.append(f"{code} Q{quarter}")
    approved_count = asked - len(missing)
    returns = {pk: (quarter, code, name) for pk, quarter, code, name, _, _ in approved_returns}
    # The approved returns again as a subquery, not as a list of their ids: the statement is the same
    # whatever the number of returns (none, or thousands of ids as parameters).
    lines = (
        PrisonReturnLine.objects.filter(
            prison_return__in=approved_prison_returns().filter(
                **{f"round__{key}": value for key, value in in_period.items()}
            )
        )
        .order_by()
        .values_list("prison_return_id", "pathway__name", "pathway__order", "services_running", "services_started")
    )
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    names: dict[str, str] = {}
    started_by: dict[str, int] = defaultdict(int)
    # None for a quarter with no approved return: nothing is known, which is not zero.
    trend: dict[int, int | None] = dict.fromkeys(quarters)
    for return_id, pathway, order, running, started in lines:
        quarter, code, name = returns[return_id]
        names[code] = name
        row = cells.setdefault(
            (code, pathway),
            {
                "establishment": code,
                "name": name,
                "pathway": pathway,
                **{f"q{q}": None for q in quarters},
                "started": 0,
                "_order": order,
            },
        )
        row[f"q{quarter}"] = running
        row["started"] += started
        started_by[code] += started
        trend[quarter] = (trend[quarter] or 0) + running
    rows = sorted(cells.values(), key=lambda r: (r["name"], r["_order"]))
    for row in rows:
        del row["_order"]

    # Co-ordinator posts: each establishment's latest approved return in the period.
    post_labels = dict(CoordinatorPost.choices)
    posts: dict[str, dict[str, Any]] = {}
    for _, _, code, name, post, fte in approved_returns:
        names[code] = name
        posts[code] = {
            "coordinator_post": post_labels[post] if post else "",
            "coordinator_fte": Decimal(1) if post == CoordinatorPost.FULL_TIME else fte,
        }
    establishments = [
        {
            "establishment": code,
            "name": names[code],
            "started": started_by.get(code, 0),
            **posts.get(code, {"coordinator_post": "", "coordinator_fte": None}),
        }
        for code in sorted(names, key=lambda c: names[c])
    ]
    full_time = sum(1 for e in establishments if e["coordinator_post"] == "Full time")
    totals: dict[str, Any] = {
        **{f"q{q}": trend[q] for q in quarters},
        "started": sum(started_by.values()),
        "returns_asked": asked,
        "returns_approved": approved_count,
        "returns_missing": len(missing),
        "full_time_posts": full_time,
        "coordinator_fte": sum((e["coordinator_fte"] or ZERO for e in establishments), ZERO),
        "establishments": establishments,
    }
    labels = {q: quarters_of(year)[q - 1].label for q in quarters}
    return ReportResult(
        name="prison-provision",
        title="VCS provision in prisons",
        params=params,
        columns=[
            Column("name", "Establishment"),
            Column("pathway", "Pathway"),
            *[Column(f"q{q}", f"Services running {labels[q]}", "int", "no approved return") for q in quarters],
            Column("started", "New services started in the year", "int"),
        ],
        rows=rows,
        totals=totals,
        total_columns=[
            *[Column(f"q{q}", f"Services running in the region, {labels[q]}", "int") for q in quarters],
            Column("started", "New services started", "int"),
            Column("full_time_posts", "Establishments with a full-time co-ordinator", "int"),
            Column("coordinator_fte", "Co-ordinator posts (FTE)", "text"),
            Column("returns_asked", "Returns asked for", "int"),
            Column("returns_approved", "Returns approved", "int"),
            Column("returns_missing", "Returns missing", "int"),
        ],
        chart=Chart(
            kind="line",
            title=f"Services running in the region's prisons, {year.name}",
            categories=[f"Q{q}" for q in quarters],
            series=[("Services running", [None if trend[q] is None else Decimal(trend[q] or 0) for q in quarters])],
            unit="",
        ),
        notes=[
            _missing_note(asked, missing),
            "New services started and co-ordinator posts by establishment: "
            + (
                "; ".join(
                    f"{e['name']} {e['started']} started, {e['coordinator_post'] or 'post not reported'}"
                    + (f" ({e['coordinator_fte']} FTE)" if e["coordinator_post"] == "Part time" else "")
                    for e in establishments
                )
                or "none reported"
            )
            + ".",
        ],
    )


@register(
    name="prison-spend",
    title="Prison spend with voluntary, community and private providers by pathway",
    description="The annual value of prison contracts live on the date by pathway, beside the quarter's spend reported in approved prison returns.",
    takes=("at", "quarter"),
)
def prison_spend(params: ReportParams) -> ReportResult:
    assert params.at is not None
    year = year_containing(params.at)
    quarter = params.quarter or next(q.number for q in quarters_of(year) if q.start <= params.at <= q.end)
    live = (
        Contract.objects.filter(
            commissioner__region=params.region, commissioner__kind=CommissionerKind.PRISON, start__lte=params.at
        )
        .exclude(end__lt=params.at)
        .exclude(prime__sector="public")
    )
    by_pathway = {
        row["pathways"]: row
        for row in live.values("pathways").annotate(spend=Sum("annual_value"), n=Count("id")).order_by()
    }
    rounds = _rounds(params, year, (quarter,))
    asked, _approved, missing = missing_returns(rounds)
    returned = {
        row["pathway_id"]: row["spend"]
        for row in PrisonReturnLine.objects.filter(
            prison_return__in=approved_prison_returns().filter(round__in=rounds), spend__isnull=False
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
        "returned_spend": sum(returned.values(), ZERO),
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
            Column("returned_spend", f"Spend reported in approved returns, {label}", "money", "none reported"),
        ],
        rows=rows,
        totals=totals,
        total_columns=[
            Column("spend", "Annual value of live contracts", "money"),
            Column("contracts", "Contracts", "int"),
            Column("returned_spend", f"Spend reported, {label}", "money"),
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
