"""Nadia's national figures, from live data, at 30 June 2006 (the first quarter of 2006-07, 1 April
to 30 June).

Shares of main grant on 30 June 2006, worked by hand:
  Yorkshire and Humberside (tests/factories.py ``hand_worked_region``): South Yorkshire counts
    £30,000 (VCS) + £20,000 (private, from 1 June) + £7,000 (VCS, to 30 September) = £57,000 on a
    final grant of £2,000,000 = 2.85%; West Yorkshire £60,000 on an indicative £4,000,000 = 1.5%.
    Weighted (57,000 + 60,000) / 6,000,000 = 1.95%; mean (2.85 + 1.5) / 2 = 2.175%.
  North East: £30,000 (VCS) on a final £1,000,000 = 3.0%, weighted and mean alike.
  Every region on the service: (117,000 + 30,000) / 7,000,000 = 2.1% weighted; the mean of the
    three areas' shares (2.85 + 1.5 + 3.0) / 3 = 2.45%.
Returns of the quarter: Yorkshire and Humberside's Q1 prison round asked Leeds and Hull; Leeds's
  return is approved, Hull's only submitted: 1 of 2, 50%. The North East opened no round: 0 of 0,
  no percentage. Nationally 1 of 2, 50%.
Commissioning in the quarter: Yorkshire and Humberside published the women's services tender
  (1 May) and a grant round (30 June), not one published on 1 July nor a draft: 2; the tender's
  award of 20 June stands (a withdrawn one of 10 June does not count twice): 1 awarded. The North
  East published one on 1 April: 1 published, 0 awarded.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from stepchange.commissioning.models import Award, Opportunity
from stepchange.core.money import round_half_up
from stepchange.manage.national import national_figures
from stepchange.organisations.models import Sector
from tests.commissioning.world import build_tender
from tests.factories import (
    CommissionerFactory,
    ContractFactory,
    MainGrantFactory,
    OrganisationFactory,
    hand_worked_region,
    two_quarters_of_returns,
)

AT = datetime.date(2006, 6, 30)


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _opportunity(commissioner, reference: str, published: datetime.date | None) -> Opportunity:
    return Opportunity.objects.create(
        reference=reference,
        commissioner=commissioner,
        title=reference,
        description="A round",
        estimated_value=Decimal("10000"),
        duration_months=12,
        contract_start=datetime.date(2006, 10, 1),
        funding_source="main_grant",
        published_at=_moment(published) if published else None,
    )


@pytest.fixture
def regions(cast, clock):
    hand_worked_region(cast)
    nepa = CommissionerFactory.create(code="NEPA", region=cast.other_region, organisation__name="NE Probation")
    MainGrantFactory.create(commissioner=nepa, indicative=None, final=Decimal("1000000"))
    ContractFactory.create(
        commissioner=nepa, prime=OrganisationFactory.create(sector=Sector.VCS), annual_value=Decimal("30000")
    )
    two_quarters_of_returns(cast)
    tender = build_tender(cast)
    Opportunity.objects.filter(pk=tender.opportunity.pk).update(published_at=_moment(datetime.date(2006, 5, 1)))
    for day, withdrawn in ((datetime.date(2006, 6, 10), True), (datetime.date(2006, 6, 20), False)):
        Award.objects.create(
            opportunity=tender.opportunity,
            bid=tender.bid,
            value=1,
            awarded_at=_moment(day),
            standstill_ends=day + datetime.timedelta(days=10),
            withdrawn_at=_moment(day + datetime.timedelta(days=1)) if withdrawn else None,
            withdrawn_reason="Scored wrongly" if withdrawn else "",
        )
    _opportunity(cast.regional_team, "grant-round", datetime.date(2006, 6, 30))
    _opportunity(cast.regional_team, "next-quarter", datetime.date(2006, 7, 1))
    _opportunity(cast.regional_team, "draft", None)
    _opportunity(nepa, "ne-round", datetime.date(2006, 4, 1))
    return cast


def test_every_regions_shares_returns_and_commissioning(regions):
    figures = national_figures(at=AT)

    assert figures.quarter.label == "2006-07 Q1"
    by_name = {row.region.name: row for row in figures.regions}
    assert list(by_name) == ["North East", "Yorkshire and Humberside"]
    yh, ne = by_name["Yorkshire and Humberside"], by_name["North East"]
    assert yh.weighted_share_pct == Decimal("1.95")
    assert yh.mean_share_pct == Decimal("2.175")
    assert (ne.weighted_share_pct, ne.mean_share_pct) == (Decimal("3"), Decimal("3"))
    assert figures.weighted_share_pct == Decimal("2.1")
    assert figures.mean_share_pct is not None and round_half_up(figures.mean_share_pct, 4) == Decimal("2.4500")
    assert (yh.returns_asked, yh.returns_approved, yh.returns_complete_pct) == (2, 1, Decimal(50))
    assert (ne.returns_asked, ne.returns_approved, ne.returns_complete_pct) == (0, 0, None)
    assert (figures.returns_approved, figures.returns_asked, figures.returns_complete_pct) == (1, 2, Decimal(50))
    assert (yh.opportunities_published, yh.opportunities_awarded) == (2, 1)
    assert (ne.opportunities_published, ne.opportunities_awarded) == (1, 0)


def test_a_region_off_the_service_has_no_live_row(regions):
    regions.other_region.holds_contracts = False
    regions.other_region.save()

    figures = national_figures(at=AT)

    assert [row.region.name for row in figures.regions] == ["Yorkshire and Humberside"]
    assert figures.weighted_share_pct == Decimal("1.95")


def test_nadia_reads_the_figures_on_her_page(regions, client_for):
    page = client_for(regions.nadia).get("/manage/national/", {"at": "30/06/2006"}).content.decode()

    assert "2006-07 Q1" in page
    # To one place, half up: 1.95 → 2.0, 2.175 → 2.2, 2.45 → 2.5; nationally 2 + 1 published.
    for shown in ("2.0%", "2.2%", "3.0%", "2.1%", "2.5%", "1 of 2", "50.0%", "3 published, 1 awarded"):
        assert shown in page, shown
    assert client_for(regions.alice).get("/manage/national/").status_code == 404
