"""What the plans pages read: a plan's versions, the plan set against the contracts actually
live, what changed between two versions, and the regional roll-up (also the pack's section)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from stepchange.contracts import selectors as contracts
from stepchange.contracts.models import Contract
from stepchange.core.models import FinancialYear, Pathway, Region
from stepchange.organisations.models import CommissionerKind
from stepchange.plans.models import OtherMoney, Plan, PlannedContract, PlanVersion
from stepchange.plans.projection import Projection, project_year_end
from stepchange.reports.charts import render_svg
from stepchange.reports.registry import Chart
from stepchange.reports.spend.shares import ZERO, regional_share, share_pct


def latest_version(plan: Plan) -> PlanVersion:
    return plan.versions.order_by("-number").first()  # type: ignore[return-value]


def version_projected(plan: Plan) -> PlanVersion:
    """The version a roll-up projects from: the latest approved one, else the latest of any status."""
    approved = plan.versions.filter(approved_at__isnull=False).order_by("-number").first()
    return approved or latest_version(plan)


def not_started(line: PlannedContract, today: datetime.date) -> bool:
    """A planned contract whose planned start has passed with no contract started for it."""
    if line.planned_start >= today:
        return False
    return line.contract is None or line.contract.start > today


@dataclass(frozen=True)
class PathwayRow:
    pathway: Pathway
    plan: Decimal  # counted at the year's end by the projection: commitments and planned lines
    actual: Decimal  # counted contracts of the area live today

    @property
    def gap(self) -> Decimal:
        return self.plan - self.actual


def plan_against_actual(
    version: PlanVersion, projection: Projection, today: datetime.date
) -> tuple[list[PathwayRow], Decimal]:
    """Per pathway, the projection's counted value at the year's end against the area's counted
    contracts live today (computed now, from the contracts as they stand); and today's counted
    spend in total. A contract on two pathways counts once in each, so the rows may add up to more
    than the total; a contract with no pathway is in the total only."""
    plan: dict[int, Decimal] = {}
    for contract in projection.commitments:
        for pathway in contract.pathways.all():
            plan[pathway.pk] = plan.get(pathway.pk, ZERO) + contract.annual_value
    for counted in projection.lines:
        if counted.counts:
            pathway_id = counted.line.pathway_id
            plan[pathway_id] = plan.get(pathway_id, ZERO) + counted.value
    live_today = contracts.live_on(
        contracts.counted(Contract.objects.filter(commissioner=version.plan.area)), today
    ).prefetch_related("pathways")
    actual: dict[int, Decimal] = {}
    total = ZERO
    for contract in live_today:
        total += contract.annual_value
        for pathway in contract.pathways.all():
            actual[pathway.pk] = actual.get(pathway.pk, ZERO) + contract.annual_value
    rows = [
        PathwayRow(pathway, plan.get(pathway.pk, ZERO), actual.get(pathway.pk, ZERO))
        for pathway in Pathway.objects.order_by("order")
        if pathway.pk in plan or pathway.pk in actual
    ]
    return rows, total


@dataclass(frozen=True)
class Change:
    what: str  # "Added", "Removed", "Changed"
    line: str  # the line as it reads in the later version (or the earlier, when removed)
    details: list[tuple[str, Any, Any]]  # (field, before, after) for a changed line


PLANNED_FIELDS = (
    ("pathway", "Pathway"),
    ("description", "Description"),
    ("sector", "Sector"),
    ("annual_value", "Annual value"),
    ("planned_start", "Planned start"),
    ("funding_source", "Funding source"),
    ("funder", "Funder"),
    ("contract", "Contract"),
)
OTHER_FIELDS = (
    ("kind", "Kind"),
    ("party", "Partner or funder"),
    ("description", "Description"),
    ("annual_value", "Value"),
)


def _shown(obj: Any, name: str) -> Any:
    display = getattr(obj, f"get_{name}_display", None)
    value = display() if display is not None else getattr(obj, name)
    return "" if value is None else value


def _compare(before: list[Any], after: list[Any], fields: tuple[tuple[str, str], ...]) -> list[Change]:
    old = {line.line: line for line in before}
    new = {line.line: line for line in after}
    changes = []
    for number, line in new.items():
        if number not in old:
            changes.append(Change("Added", str(line), []))
            continue
        details = [
            (label, _shown(old[number], name), _shown(line, name))
            for name, label in fields
            if _shown(old[number], name) != _shown(line, name)
        ]
        if details:
            changes.append(Change("Changed", str(line), details))
    changes += [Change("Removed", str(line), []) for number, line in old.items() if number not in new]
    return changes


def changes_since_previous(version: PlanVersion) -> list[Change] | None:
    """What changed from the version before this one, line by line (None for the first)."""
    previous = version.plan.versions.filter(number__lt=version.number).order_by("-number").first()
    if previous is None:
        return None
    related = ("pathway", "contract")
    changes = _compare(
        list(previous.planned.select_related(*related)), list(version.planned.select_related(*related)), PLANNED_FIELDS
    )
    changes += _compare(list(previous.other_money.all()), list(version.other_money.all()), OTHER_FIELDS)
    if previous.notes != version.notes:
        changes.append(Change("Changed", "Notes", [("Notes", previous.notes, version.notes)]))
    return changes


def other_money(version: PlanVersion) -> QuerySet[OtherMoney]:
    return version.other_money.all()


@dataclass(frozen=True)
class RollupRow:
    plan: Plan
    version: PlanVersion
    projection: Projection
    contribution_pts: Decimal | None  # its counted spend as points of the region's weighted share


@dataclass(frozen=True)
class Rollup:
    region: Region
    year: FinancialYear
    rows: list[RollupRow]
    areas_without_plan: list[str]
    grant_total: Decimal
    counted_total: Decimal
    weighted_share_pct: Decimal | None
    mean_share_pct: Decimal | None
    target_pct: Decimal | None

    @property
    def meets_target(self) -> bool | None:
        if self.weighted_share_pct is None or self.target_pct is None:
            return None
        return self.weighted_share_pct >= self.target_pct

    @property
    def gap_pts(self) -> Decimal | None:
        if self.weighted_share_pct is None or self.target_pct is None:
            return None
        return self.target_pct - self.weighted_share_pct


def rollup(region: Region, year: FinancialYear) -> Rollup:
    """Each probation area's projected share at the year's end, from its plan (the latest approved
    version, else the latest), and the region's: weighted by grant, and the plain mean of the
    areas' shares (``reports``' rule of a region's share, the same as the live figures'). An area
    without a plan, or without a grant, is in neither. Each plan's contribution is its counted
    spend as points of the weighted share: the contributions add up to it."""
    plans = {plan.area_id: plan for plan in Plan.objects.filter(area__region=region, year=year).select_related("area")}
    areas = list(contracts.probation_areas(region))
    rows = []
    for area in areas:
        if area.pk in plans:
            version = version_projected(plans[area.pk])
            rows.append((plans[area.pk], version, project_year_end(version)))
    spend = {plan.area_id: projection.counted for plan, _, projection in rows}
    grants = {plan.area_id: projection.main_grant for plan, _, projection in rows if projection.main_grant}
    area_ids = [plan.area_id for plan, _, _ in rows]
    weighted, mean_share = regional_share(spend, grants, area_ids)  # type: ignore[arg-type]
    grant_total = sum(grants.values(), ZERO)
    counted_total = sum((spend[a] for a in grants), ZERO)
    out = [
        RollupRow(
            plan, version, projection, share_pct(projection.counted, grant_total) if projection.main_grant else None
        )
        for plan, version, projection in rows
    ]
    target = contracts.target_pct(CommissionerKind.PROBATION, year)
    return Rollup(
        region=region,
        year=year,
        rows=out,
        areas_without_plan=[area.code for area in areas if area.pk not in plans],
        grant_total=grant_total,
        counted_total=counted_total,
        weighted_share_pct=weighted,
        mean_share_pct=mean_share,
        target_pct=target,
    )


def years_with_plans(region: Region) -> QuerySet[FinancialYear]:
    return FinancialYear.objects.filter(pk__in=Plan.objects.filter(area__region=region).values("year")).order_by(
        "-start"
    )


def plan_year_at(region: Region, day: datetime.date) -> FinancialYear | None:
    """The year a pack at ``day`` projects: the first with plans in the region not ended by then."""
    return (
        FinancialYear.objects.filter(end__gte=day, pk__in=Plan.objects.filter(area__region=region).values("year"))
        .order_by("start")
        .first()
    )


def rollup_chart(result: Rollup, *, id_prefix: str) -> Any:
    """The roll-up's projected shares as a bar chart (SVG) against the target, beside its table."""
    chart = Chart(
        kind="bar",
        title=f"Projected share of main grant at {result.year.end:%-d %B %Y}, {result.region.name}",
        categories=[row.plan.area.name for row in result.rows] + ["Region, weighted", "Region, plain mean"],
        series=[
            (
                "Projected share",
                [row.projection.share_pct for row in result.rows] + [result.weighted_share_pct, result.mean_share_pct],
            )
        ],
        reference=("Target", result.target_pct) if result.target_pct is not None else None,
    )
    return render_svg(chart, id_prefix=id_prefix)
