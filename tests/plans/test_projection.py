"""The projected share at the year's end (``project_year_end``), worked by hand.

South Yorkshire, 2007-08 (tests/plans/world.py), on its indicative grant of £2,000,000 (no final):
  commitments live on 31 March 2008 that count: A £30,000 (open-ended) + B £20,000 (ends 31 March,
  both days count) = £50,000; C ends 30 March, D has a public prime, E is new investment: none.
  planned: line 1 £100,000 starting 31 March 2008 counts; line 2 starts 1 April 2008: no; line 3 is
  co-commissioned: no; line 4 is new investment: no; line 5 is linked to contract F, which counts
  at its own £35,000 (not the £40,000 planned), and F is not counted again as a commitment.
  counted = 50,000 + 100,000 + 35,000 = £185,000; share = 185,000 × 100 ÷ 2,000,000 = 9.25%.
  target 10% of £2,000,000 = £200,000; gap £15,000 and 10 − 9.25 = 0.75 points.
  secondment £45,000 and co-commissioned £12,000 are shown, never counted.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from stepchange.contracts.models import FundingSource, MainGrant
from stepchange.organisations.models import Sector
from stepchange.plans.projection import FINAL, INDICATIVE, project_year_end
from tests.personas import Cast
from tests.plans.world import line, worked_plans

pytestmark = pytest.mark.django_db
D = Decimal


def test_the_hand_worked_projection(cast: Cast) -> None:
    worked = worked_plans(cast)
    p = project_year_end(worked.version)
    assert p.year_end == datetime.date(2008, 3, 31)
    assert (p.main_grant, p.grant_basis) == (D("2000000"), INDICATIVE)
    assert p.commitments_value == D("50000")
    assert worked.linked not in p.commitments
    assert p.planned_value == D("135000")
    assert p.counted == D("185000")
    assert p.share_pct == D("9.25")
    assert p.target_amount == D("200000")
    assert p.gap_amount == D("15000")
    assert p.gap_pts == D("0.75")
    assert p.meets_target is False
    assert p.secondments_value == D("45000")
    assert p.co_commissioned_by_funder == {"Supporting People": D("12000")}
    counts = {c.line.line: (c.counts, c.value) for c in p.lines}
    assert counts == {
        1: (True, D("100000")),
        2: (False, D("0")),
        3: (False, D("0")),
        4: (False, D("0")),
        5: (True, D("35000")),
    }


def test_the_final_grant_is_used_once_there_is_one(cast: Cast) -> None:
    """185,000 × 100 ÷ 2,100,000 = 8.8095…%; target £210,000, gap £25,000."""
    worked = worked_plans(cast)
    MainGrant.objects.filter(commissioner=cast.sypa, year=worked.plan.year).update(final=D("2100000"))
    p = project_year_end(worked.version)
    assert (p.main_grant, p.grant_basis) == (D("2100000"), FINAL)
    assert p.indicative_grant == D("2000000")
    assert f"{p.share_pct:.4f}" == "8.8095"
    assert p.gap_amount == D("25000")


@pytest.mark.parametrize(
    ("start", "counts"),
    [
        (datetime.date(2008, 3, 31), True),  # the year's last day
        (datetime.date(2008, 4, 1), False),  # the next year's first
        (datetime.date(2006, 1, 1), True),  # already started before the year: still planned, counts
    ],
)
def test_a_planned_start_counts_up_to_the_year_end(cast: Cast, start: datetime.date, counts: bool) -> None:
    worked = worked_plans(cast)
    version = worked.wy_version
    version.planned.all().delete()
    line(version, 9, "1000", start)
    assert project_year_end(version).planned_value == (D("1000") if counts else D("0"))


@pytest.mark.parametrize(
    ("sector", "source", "counts"),
    [
        (Sector.VCS, FundingSource.MAIN_GRANT, True),
        (Sector.PRIVATE, FundingSource.MAIN_GRANT, True),
        (Sector.PUBLIC, FundingSource.MAIN_GRANT, False),
        (Sector.VCS, FundingSource.NEW_INVESTMENT, False),
        (Sector.VCS, FundingSource.CO_COMMISSIONED, False),
        (Sector.VCS, FundingSource.IN_KIND, False),
    ],
)
def test_only_main_grant_money_for_vcs_or_private_providers_counts(
    cast: Cast, sector: str, source: str, counts: bool
) -> None:
    worked = worked_plans(cast)
    version = worked.wy_version
    version.planned.all().delete()
    line(version, 9, "1000", datetime.date(2007, 4, 1), sector=sector, funding_source=source, funder="X")
    assert project_year_end(version).planned_value == (D("1000") if counts else D("0"))


def test_a_linked_contract_that_ends_before_the_year_end_counts_nothing(cast: Cast) -> None:
    worked = worked_plans(cast)
    worked.linked.end = datetime.date(2008, 3, 30)
    worked.linked.save()
    p = project_year_end(worked.version)
    assert p.counted == D("150000")  # 50,000 + 100,000: neither the contract nor the line


def test_no_grant_gives_no_share(cast: Cast) -> None:
    worked = worked_plans(cast)
    MainGrant.objects.filter(commissioner=cast.sypa).delete()
    p = project_year_end(worked.version)
    assert (p.main_grant, p.share_pct, p.gap_amount, p.meets_target) == (None, None, None, None)
