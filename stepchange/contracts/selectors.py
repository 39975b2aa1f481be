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


def live_during_q(first: datetime.date, last: datetime.date, prefix: str = "") -> Q:
    """The one rule of "live": a contract is live from its start to its end, both days included,
    and one with no end date is open-ended. Live during first..last means live on at least one of
    those days; live on a day is live during that one day. ``prefix`` reaches a contract through a
    relation (``"contract__"``); the result also serves as a conditional aggregate's filter."""
    return Q(**{f"{prefix}start__lte": last}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": first})
    )


def live_on_q(day: datetime.date, prefix: str = "") -> Q:
    """Live on ``day``: start <= day <= end, both days included; no end date is open-ended."""
    return live_during_q(day, day, prefix)


def live_on(contracts: QuerySet[Contract], day: datetime.date) -> QuerySet[Contract]:
    """Live when start <= day <= end, both days included; no end date is open-ended."""
    return contracts.filter(live_on_q(day))


def live_during(contracts: QuerySet[Contract], first: datetime.date, last: datetime.date) -> QuerySet[Contract]:
    """Live on at least one day from first to last."""
    return contracts.filter(live_during_q(first, last))


def probation_contracts(region: Region | list[Region]) -> QuerySet[Contract]:
    """The contracts of a region's probation areas, or of several regions'."""
    regions = region if isinstance(region, list) else [region]
    return Contract.objects.filter(commissioner__region__in=regions, commissioner__kind=CommissionerKind.PROBATION)


def counts_toward_target_q(prefix: str = "") -> Q:
    """The one rule of what counts toward a probation area's target: the area's own contract (its
    commissioner is a probation area), paid from the main grant, with a VCS or private prime."""
    return Q(
        **{
            f"{prefix}commissioner__kind": CommissionerKind.PROBATION,
            f"{prefix}funding_source": FundingSource.MAIN_GRANT,
            f"{prefix}prime__sector__in": COUNTED_SECTORS,
        }
    )


def counted(contracts: QuerySet[Contract]) -> QuerySet[Contract]:
    """Main-grant money of a probation area with a VCS or private prime: what counts toward the target."""
    return contracts.filter(counts_toward_target_q())


def counted_contracts(region: Region | list[Region], day: datetime.date) -> QuerySet[Contract]:
    return live_on(counted(probation_contracts(region)), day)


def probation_areas(region: Region | list[Region]) -> QuerySet[Commissioner]:
    """The probation areas of a region, or of several regions (one statement whatever their number)."""
    regions = region if isinstance(region, list) else [region]
    return (
        Commissioner.objects.filter(region__in=regions, kind=CommissionerKind.PROBATION)
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
