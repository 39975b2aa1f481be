"""The national administrator's dashboard: every region on the service side by side, from live data.

Each region's share of main grant (weighted by grant and the mean of its areas' shares, by the same
functions as the region's own reports), how complete its returns of the quarter are, and what it
commissioned in the quarter. Regions not on the service have no live data; the national comparison
report shows their published shares.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from stepchange.commissioning.awards import current_award_q
from stepchange.commissioning.models import Award, Opportunity
from stepchange.core.models import Region
from stepchange.core.periods import Quarter, quarter_containing
from stepchange.reports.spend.shares import HUNDRED, national_share, regional_shares
from stepchange.returns.models import PrisonReturn, ProbationReturn, ReturnRound


@dataclass(frozen=True)
class RegionFigures:
    region: Region
    weighted_share_pct: Decimal | None
    mean_share_pct: Decimal | None
    returns_asked: int
    returns_approved: int
    opportunities_published: int
    opportunities_awarded: int

    @property
    def returns_complete_pct(self) -> Decimal | None:
        """Approved returns as a share of those asked for in the quarter's rounds; None when none were asked."""
        if not self.returns_asked:
            return None
        return Decimal(self.returns_approved) * HUNDRED / Decimal(self.returns_asked)


@dataclass(frozen=True)
class NationalFigures:
    at: datetime.date
    quarter: Quarter
    regions: list[RegionFigures]
    weighted_share_pct: Decimal | None
    mean_share_pct: Decimal | None

    @property
    def returns_asked(self) -> int:
        return sum(r.returns_asked for r in self.regions)

    @property
    def returns_approved(self) -> int:
        return sum(r.returns_approved for r in self.regions)

    @property
    def returns_complete_pct(self) -> Decimal | None:
        if not self.returns_asked:
            return None
        return Decimal(self.returns_approved) * HUNDRED / Decimal(self.returns_asked)

    @property
    def opportunities_published(self) -> int:
        return sum(r.opportunities_published for r in self.regions)

    @property
    def opportunities_awarded(self) -> int:
        return sum(r.opportunities_awarded for r in self.regions)


def _returns_by_region(regions: list[Region], quarter: Quarter) -> dict[int, tuple[int, int]]:
    """Per region: returns asked for by the quarter's rounds (prison and probation) and those approved.
    A return counts once, its latest revision, and only from a commissioner its round asked."""
    rounds = ReturnRound.objects.filter(region__in=regions, year__name=quarter.year, quarter=quarter.number)
    asked: dict[int, int] = {}
    wanted: set[tuple[int, int]] = set()
    for region_id, round_id, commissioner_id in rounds.values_list("region_id", "pk", "commissioners"):
        if commissioner_id is not None:
            asked[region_id] = asked.get(region_id, 0) + 1
            wanted.add((round_id, commissioner_id))
    approved: dict[int, int] = {}
    for model in (PrisonReturn, ProbationReturn):
        done = model.objects.filter(  # type: ignore[attr-defined]
            round__in=rounds, approved_at__isnull=False, superseded_at__isnull=True
        ).values_list("round__region_id", "round_id", "commissioner_id")
        for region_id, round_id, commissioner_id in done.distinct():
            if (round_id, commissioner_id) in wanted:
                approved[region_id] = approved.get(region_id, 0) + 1
    return {region.pk: (asked.get(region.pk, 0), approved.get(region.pk, 0)) for region in regions}


def _counts(rows: object) -> dict[int, int]:
    return {region_id: n for region_id, n in rows}  # type: ignore[attr-defined]


def national_figures(*, at: datetime.date) -> NationalFigures:
    """Every region on the service at ``at``: shares on that day, returns and commissioning in its quarter."""
    regions = list(Region.objects.filter(holds_contracts=True).order_by("name"))
    quarter = quarter_containing(at)
    shares = regional_shares(regions, at)
    returns = _returns_by_region(regions, quarter)
    published = _counts(
        Opportunity.objects.filter(
            commissioner__region__in=regions,
            published_at__date__gte=quarter.start,
            published_at__date__lte=quarter.end,
        )
        .values_list("commissioner__region_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # An opportunity counts as awarded in the quarter when its standing award was made in it.
    awarded = _counts(
        Award.objects.filter(
            current_award_q(),
            opportunity__commissioner__region__in=regions,
            awarded_at__date__gte=quarter.start,
            awarded_at__date__lte=quarter.end,
        )
        .values_list("opportunity__commissioner__region_id")
        .annotate(n=Count("opportunity", distinct=True))
        .order_by()
    )
    rows = [
        RegionFigures(
            region=region,
            weighted_share_pct=shares[region.pk][0],
            mean_share_pct=shares[region.pk][1],
            returns_asked=returns[region.pk][0],
            returns_approved=returns[region.pk][1],
            opportunities_published=published.get(region.pk, 0),
            opportunities_awarded=awarded.get(region.pk, 0),
        )
        for region in regions
    ]
    weighted, mean = national_share(regions, at)
    return NationalFigures(at=at, quarter=quarter, regions=rows, weighted_share_pct=weighted, mean_share_pct=mean)
