"""The share of main grant, worked by hand on a small region.

South Yorkshire has a final grant of £2,000,000 (and an indicative one of £1,900,000 that the
final one replaces). On 1 October 2006 it has live:
  a VCS main-grant contract of £30,000,
  a private main-grant contract of £20,000 with a £5,000 sub-contract (never added on top),
and, not counted: a public-sector prime (£40,000), new investment (£50,000), a contract that
ended on 30 September (£7,000), and a prison's contract (£9,000).
Counted spend is £50,000; share = 50,000 / 2,000,000 × 100 = 2.5%.
At the baseline (1 April) only the £30,000 contract was live: 1.5%; change = +1.0 points.
Target 5% of £2,000,000 = £100,000; gap = £100,000 − £50,000 = £50,000.
"""

import datetime
from decimal import Decimal

import pytest

from stepchange.reports.registry import ParamError, run_report

OCT = datetime.date(2006, 10, 1)


def test_share_counts_only_live_main_grant_contracts_with_vcs_or_private_primes(region):
    result = run_report("probation-share", {"region": "YH", "at": "2006-10-01"})
    sy = next(r for r in result.rows if r["commissioner"] == "SYPA")
    assert sy["main_grant"] == Decimal("2000000")
    assert sy["counted_spend"] == Decimal("50000")
    assert sy["share_pct"] == Decimal("2.5")
    assert sy["vcs_contracts"] == 1 and sy["private_contracts"] == 1
    assert sy["vcs_value"] == Decimal("30000") and sy["private_value"] == Decimal("20000")


def test_baseline_is_1_april_without_returns_and_change_is_in_points(region):
    sy = next(r for r in run_report("probation-share", {"at": "2006-10-01"}).rows if r["commissioner"] == "SYPA")
    # 30,000 + 7,000 (the contract that ended in September was live on 1 April) = 37,000 → 1.85%
    assert sy["baseline_date"] == datetime.date(2006, 4, 1)
    assert sy["baseline_spend"] == Decimal("37000")
    assert sy["baseline_share_pct"] == Decimal("1.85")
    assert sy["change_pts"] == Decimal("0.65")


def test_target_and_gap(region):
    sy = next(r for r in run_report("probation-share", {"at": "2006-10-01"}).rows if r["commissioner"] == "SYPA")
    assert sy["target_amount"] == Decimal("100000")
    assert sy["gap_amount"] == Decimal("50000")


def test_regional_share_weighted_and_mean(region):
    totals = run_report("probation-share", {"at": "2006-10-01"}).totals
    # weighted: (50,000 + 60,000) / (2,000,000 + 4,000,000) = 1.8333...%; mean: (2.5 + 1.5) / 2 = 2.0%
    assert totals["weighted_share_pct"].quantize(Decimal("0.0001")) == Decimal("1.8333")
    assert totals["mean_share_pct"] == Decimal("2")
    assert totals["counted_spend"] == Decimal("110000")


def test_area_without_grant_shows_no_share_not_an_error(region, cast):
    from stepchange.contracts.models import MainGrant

    MainGrant.objects.filter(commissioner=cast.wypa).delete()
    result = run_report("probation-share", {"at": "2006-10-01"})
    wy = next(r for r in result.rows if r["commissioner"] == "WYPA")
    assert wy["share_pct"] is None and wy["counted_spend"] == Decimal("60000")
    assert result.totals["areas_without_grant"] == ["WYPA"]
    assert result.totals["weighted_share_pct"] == Decimal("2.5")


def test_a_date_outside_any_year_is_refused_with_a_message(region):
    with pytest.raises(ParamError, match="not in any financial year"):
        run_report("probation-share", {"at": "1890-01-01"})
    with pytest.raises(ParamError, match="YYYY-MM-DD"):
        run_report("probation-share", {"at": "1 October"})


def test_sums_of_money_read_the_same_on_every_database(region):
    # SQLite returns an aggregate of 30000.00 + 20000.00 as 50000; PostgreSQL as 50000.00. The JSON
    # download prints these as strings, so both must print pounds and pence.
    sy = next(r for r in run_report("probation-share", {"at": "2006-10-01"}).rows if r["commissioner"] == "SYPA")
    assert str(sy["counted_spend"]) == "50000.00"
    assert str(sy["vcs_value"]) == "30000.00"
