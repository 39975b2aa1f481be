"""The access world's sub-contracting plans: South Yorkshire's for 2007-08 a draft (Bob changes it),
its 2006-07 plan approved (Bob may revise it), West Yorkshire's for 2007-08 submitted (Alice
decides it), and the North East's for 2007-08 a draft of Olga's area."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from stepchange.contracts.models import FundingSource
from stepchange.core.models import FinancialYear, Pathway
from stepchange.organisations.models import Commissioner, Sector
from stepchange.plans.models import OtherKind, OtherMoney, Plan, PlannedContract, PlanVersion
from tests.personas import Cast


@dataclass
class Plans:
    draft: Plan  # SYPA 2007-08, version 1 a draft: line 1 a planned contract, line 2 a secondment
    approved: Plan  # SYPA 2006-07, version 1 approved
    submitted: Plan  # WYPA 2007-08, version 1 submitted
    north_east: Plan  # NEPA 2007-08, a draft


def _plan(area: Commissioner, year: str, **stamps: object) -> Plan:
    now = timezone.now()
    plan = Plan.objects.create(area=area, year=FinancialYear.objects.get(name=year), created_at=now, next_line=3)
    version = PlanVersion.objects.create(plan=plan, number=1, created_at=now, **stamps)
    PlannedContract.objects.create(
        plan_version=version,
        line=1,
        pathway=Pathway.objects.get(code="ete"),
        description="Mentoring",
        sector=Sector.VCS,
        annual_value=Decimal("50000"),
        planned_start=datetime.date(2007, 6, 1),
        funding_source=FundingSource.MAIN_GRANT,
    )
    OtherMoney.objects.create(
        plan_version=version,
        line=2,
        kind=OtherKind.SECONDMENT,
        party="Acorn",
        description="An officer",
        annual_value=Decimal("30000"),
    )
    return plan


def build_plans(cast: Cast, north_east: Commissioner) -> Plans:
    now = timezone.now()
    return Plans(
        draft=_plan(cast.sypa, "2007-08"),
        approved=_plan(cast.sypa, "2006-07", submitted_at=now, approved_at=now, approved_by=cast.alice),
        submitted=_plan(cast.wypa, "2007-08", submitted_at=now),
        north_east=_plan(north_east, "2007-08"),
    )
