"""South Yorkshire's and West Yorkshire's plans for 2007-08, worked by hand in test_projection.py."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from stepchange.contracts.models import Contract, FundingSource
from stepchange.core.models import FinancialYear, Pathway
from stepchange.organisations.models import Commissioner, CommissionerKind, Sector
from stepchange.plans.models import OtherKind, OtherMoney, Plan, PlannedContract, PlanVersion
from tests.factories import ContractFactory, MainGrantFactory, OrganisationFactory, TargetFactory
from tests.personas import Cast

D = Decimal


def y0708() -> FinancialYear:
    return FinancialYear.objects.get(name="2007-08")


def plan_for(area: Commissioner) -> tuple[Plan, PlanVersion]:
    plan = Plan.objects.create(area=area, year=y0708(), created_at=timezone.now(), next_line=100)
    return plan, PlanVersion.objects.create(plan=plan, number=1, created_at=timezone.now())


def line(version: PlanVersion, number: int, value: str, start: datetime.date, **kw: object) -> PlannedContract:
    fields: dict[str, object] = {
        "pathway": Pathway.objects.get(code=kw.pop("pathway", "ete")),
        "description": f"Line {number}",
        "sector": Sector.VCS,
        "funding_source": FundingSource.MAIN_GRANT,
    } | kw
    return PlannedContract.objects.create(
        plan_version=version, line=number, annual_value=D(value), planned_start=start, **fields
    )


@dataclass
class Worked:
    plan: Plan
    version: PlanVersion
    linked: Contract
    wy_plan: Plan
    wy_version: PlanVersion


def worked_plans(cast: Cast) -> Worked:
    year = y0708()
    TargetFactory.create(commissioner_kind=CommissionerKind.PROBATION, year=year, percentage=D("10"))
    MainGrantFactory.create(commissioner=cast.sypa, year=year, indicative=D("2000000"), final=None)
    MainGrantFactory.create(commissioner=cast.wypa, year=year, indicative=D("3900000"), final=D("4000000"))
    vcs = OrganisationFactory.create(name="Acorn", sector=Sector.VCS)
    private = OrganisationFactory.create(name="Beacon", sector=Sector.PRIVATE)
    public = OrganisationFactory.create(name="Council", sector=Sector.PUBLIC)
    sy = cast.sypa
    # Commitments: A and B are live on 31 March 2008 and count; C ends the day before; D is public;
    # E is new investment.
    ContractFactory.create(
        commissioner=sy, prime=vcs, annual_value=D("30000"), start=datetime.date(2006, 4, 1), pathways=["ete"]
    )
    ContractFactory.create(
        commissioner=sy,
        prime=private,
        annual_value=D("20000"),
        start=datetime.date(2006, 6, 1),
        end=datetime.date(2008, 3, 31),
        pathways=["accommodation"],
    )
    ContractFactory.create(commissioner=sy, prime=vcs, annual_value=D("7000"), end=datetime.date(2008, 3, 30))
    ContractFactory.create(commissioner=sy, prime=public, annual_value=D("40000"))
    ContractFactory.create(
        commissioner=sy, prime=vcs, annual_value=D("50000"), funding_source=FundingSource.NEW_INVESTMENT, funder="TWP"
    )
    linked = ContractFactory.create(
        commissioner=sy, prime=vcs, annual_value=D("35000"), start=datetime.date(2007, 8, 1), pathways=["health"]
    )
    plan, version = plan_for(sy)
    line(version, 1, "100000", datetime.date(2008, 3, 31))
    line(version, 2, "25000", datetime.date(2008, 4, 1), sector=Sector.PRIVATE)
    line(version, 3, "60000", datetime.date(2007, 6, 1), funding_source=FundingSource.CO_COMMISSIONED, funder="DAT")
    line(
        version,
        4,
        "10000",
        datetime.date(2007, 6, 1),
        sector=Sector.PRIVATE,
        funding_source=FundingSource.NEW_INVESTMENT,
    )
    line(version, 5, "40000", datetime.date(2007, 7, 1), pathway="health", contract=linked)
    OtherMoney.objects.create(
        plan_version=version,
        line=6,
        kind=OtherKind.SECONDMENT,
        party="Acorn",
        description="Two officers",
        annual_value=D("45000"),
    )
    OtherMoney.objects.create(
        plan_version=version,
        line=7,
        kind=OtherKind.CO_COMMISSIONED,
        party="Supporting People",
        description="Floating support",
        annual_value=D("12000"),
    )
    wy_plan, wy_version = plan_for(cast.wypa)
    line(wy_version, 1, "100000", datetime.date(2007, 4, 1))
    return Worked(plan, version, linked, wy_plan, wy_version)
