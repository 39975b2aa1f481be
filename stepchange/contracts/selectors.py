"""Reads of contracts and grants that reports and pages share.

``counted_contracts`` is the one definition of what counts toward a probation area's share
(docs/figures.md, "What counts toward an area's target").
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Q, QuerySet

from stepchange.contracts.models import Contract, FundingSource, MainGrant, Target
from stepchange.core.models import FinancialYear, Region
from stepchange.organisations.models import Commissioner, CommissionerKind, Sector

COUNTED_SECTORS = (Sector.VCS, Sector.PRIVATE)


def live_on(contracts: QuerySet[Contract], day: datetime.date) -> QuerySet[Contract]:
    """Live when start <= day <= end, both days included; no end date is open-ended."""
    return contracts.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))


def live_during(contracts: QuerySet[Contract], first: datetime.date, last: datetime.date) -> QuerySet[Contract]:
    """Live on at least one day from first to last."""
    return contracts.filter(start__lte=last).filter(Q(end__isnull=True) | Q(end__gte=first))


def probation_contracts(region: Region | list[Region]) -> QuerySet[Contract]:
    """The contracts of a region's probation areas, or of several regions'."""
    regions = region if isinstance(region, list) else [region]
    return Contract.objects.filter(commissioner__region__in=regions, commissioner__kind=CommissionerKind.PROBATION)


def counted(contracts: QuerySet[Contract]) -> QuerySet[Contract]:
    """Main-grant money with a VCS or private prime: what counts toward the target."""
    return contracts.filter(funding_source=FundingSource.MAIN_GRANT, prime__sector__in=COUNTED_SECTORS)


def counted_contracts(region: Region | list[Region], day: datetime.date) -> QuerySet[Contract]:
    return live_on(counted(probation_contracts(region)), day)


def probation_areas(region: Region) -> QuerySet[Commissioner]:
    return (
        Commissioner.objects.filter(region=region, kind=CommissionerKind.PROBATION)
        .select_related("organisation")
        .order_by("code")
    )


def main_grants(commissioners: QuerySet[Commissioner], year: FinancialYear) -> dict[int, Decimal]:
    """Each commissioner's grant for the year: final where recorded, else indicative."""
    grants = MainGrant.objects.filter(commissioner__in=commissioners, year=year)
    return {g.commissioner_id: g.amount for g in grants if g.amount is not None}


def target_pct(kind: str, year: FinancialYear) -> Decimal | None:
    target = Target.objects.filter(commissioner_kind=kind, year=year).first()
    return target.percentage if target else None
