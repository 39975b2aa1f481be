"""The report benchmarks' floors (bench/reports.py) where an approved round return's lines, not the
contracts, give an area's spend: the floor's SQL reads the lines as the selector does.

Apart from test_reports_floor.py because that module loads the demo for all its tests.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from bench.reports import check_floor, floor_rows, regions
from stepchange.returns import services
from stepchange.returns.models import ProbationReturn, ReturnKind
from tests.factories import ContractFactory, MainGrantFactory, year_0607
from tests.personas import Cast

JULY = datetime.date(2006, 7, 1)
OCTOBER = datetime.date(2006, 10, 1)


@pytest.mark.django_db
@pytest.mark.usefixtures("clock")
def test_an_approved_round_returns_lines_are_the_floors_spend_as_the_selectors(cast: Cast) -> None:
    """Bob's Q1 return at 1 July corrects contract A to £12,000, adds a new VCS line of £4,000 and
    a public one of £50,000 (which never counts): £16,000 of £1,000,000 at 1 July, the baseline of
    1 October, when the contracts count again (A £10,000 + B £20,000 = £30,000)."""
    MainGrantFactory.create(commissioner=cast.sypa, final=Decimal("1000000.00"))
    ContractFactory.create(
        commissioner=cast.sypa, prime=cast.charity, annual_value=Decimal("10000.00"), start=datetime.date(2006, 5, 1)
    )
    ContractFactory.create(
        commissioner=cast.sypa, prime=cast.company, annual_value=Decimal("20000.00"), start=datetime.date(2006, 8, 1)
    )
    services.round_open(
        actor=cast.alice,
        region=cast.region,
        kind=ReturnKind.PROBATION,
        year=year_0607(),
        quarter=1,
        commissioners=[cast.sypa],
        opens_on=JULY,
        deadline=datetime.date(2006, 7, 31),
    )
    the_return = ProbationReturn.objects.get(commissioner=cast.sypa, as_at=JULY)
    services.probation_line_save(
        actor=cast.bob,
        probation_return=the_return,
        expected_version=the_return.version,
        line=the_return.lines.get(),
        annual_value=Decimal("12000.00"),
        ended=False,
    )
    for title, value, sector in (("Outreach", "4000.00", "vcs"), ("Day centre", "50000.00", "public")):
        services.probation_line_add(
            actor=cast.bob,
            probation_return=the_return,
            expected_version=the_return.version,
            title=title,
            annual_value=Decimal(value),
            sector=sector,
        )
    services.return_submit(actor=cast.bob, the_return=the_return, expected_version=the_return.version)
    services.return_approve(actor=cast.alice, the_return=the_return, expected_version=the_return.version)

    codes = regions()
    for at in (JULY, OCTOBER):
        for name in ("probation-share", "national-comparison"):
            check_floor(name, codes, at, "2006-07")
    sypa = next(
        r for r in floor_rows("probation-share", codes, OCTOBER)[cast.region.code] if r["commissioner"] == "SYPA"
    )
    assert (sypa["counted_spend"], sypa["baseline_date"], sypa["baseline_spend"]) == (
        Decimal("30000.00"),
        JULY,
        Decimal("16000.00"),
    )
    # 3.00% now less 1.60% at the baseline = 1.40 points.
    assert sypa["change_pts"] == Decimal("1.4")
