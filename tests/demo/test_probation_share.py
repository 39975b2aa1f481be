"""The demo reproduces the share tables of section 5 of the report (paras 5.15-5.18).

Main grants (solved, not printed): SYPA £19,430,000, HYPA £13,550,000, NYPA £7,920,000,
WYPA £30,760,000; together £71,660,000.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from stepchange.core.money import round_half_up
from stepchange.reports.registry import run_report

pytestmark = pytest.mark.usefixtures("demo", "db")

OCTOBER = {"at": "2006-10-01", "region": "YH"}


def rows_by_area(result):
    return {row["commissioner"]: row for row in result.rows}


def test_the_october_table_para_5_17() -> None:
    result = run_report("probation-share", OCTOBER)
    rows = rows_by_area(result)
    # 633,470 / 19,430,000 × 100 = 3.2603% → 3.3
    # 486,747 / 13,550,000 × 100 = 3.5922% → 3.6
    # 168,640 /  7,920,000 × 100 = 2.1293% → 2.1
    # 957,830 / 30,760,000 × 100 = 3.1139% → 3.1
    expected = {
        "SYPA": ("633470", "3.3", 20, 3, 23),
        "HYPA": ("486747", "3.6", 6, 9, 15),
        "NYPA": ("168640", "2.1", 8, 5, 13),
        "WYPA": ("957830", "3.1", 21, 17, 38),
    }
    for code, (spend, share, vcs, private, total) in expected.items():
        row = rows[code]
        assert row["counted_spend"] == Decimal(spend), code
        assert round_half_up(row["share_pct"], 1) == Decimal(share), code
        assert (row["vcs_contracts"], row["private_contracts"], row["contracts"]) == (vcs, private, total), code
    # 633,470 + 486,747 + 168,640 + 957,830 = 2,246,687; 20 + 6 + 8 + 21 = 55; 3 + 9 + 5 + 17 = 34; 89.
    assert result.totals["counted_spend"] == Decimal("2246687")
    assert (result.totals["vcs_contracts"], result.totals["private_contracts"], result.totals["contracts"]) == (
        55,
        34,
        89,
    )


def test_the_baseline_of_1_april_2006_paras_5_15_and_5_16() -> None:
    result = run_report("probation-share", OCTOBER)
    rows = rows_by_area(result)
    # 566,364 / 19,430,000 × 100 = 2.91487% → 2.91
    # 411,242 / 13,550,000 × 100 = 3.03500% → 3.03 (3.034996, just under the half)
    #  75,635 /  7,920,000 × 100 = 0.95499% → 0.95
    # 619,812 / 30,760,000 × 100 = 2.01499% → 2.01
    expected = {
        "SYPA": ("566364", "2.91"),
        "HYPA": ("411242", "3.03"),
        "NYPA": ("75635", "0.95"),
        "WYPA": ("619812", "2.01"),
    }
    for code, (spend, share) in expected.items():
        assert rows[code]["baseline_date"] == datetime.date(2006, 4, 1)
        assert rows[code]["baseline_spend"] == Decimal(spend), code
        assert round_half_up(rows[code]["baseline_share_pct"], 2) == Decimal(share), code
    # 1,673,053 / 71,660,000 × 100 = 2.3347% → 2.33, "an average area spend of 2.33%": the weighted share.
    assert result.totals["baseline_spend"] == Decimal("1673053")
    assert round_half_up(result.totals["baseline_weighted_share_pct"], 2) == Decimal("2.33")
    # The plain mean of the four baseline shares is (2.9149 + 3.0350 + 0.9550 + 2.0150) / 4 = 2.23, not 2.33.
    assert round_half_up(result.totals["baseline_mean_share_pct"], 2) == Decimal("2.23")


def test_the_change_column_is_reconciled_not_hidden() -> None:
    """The report's "compared to 1 4 2006" column subtracted rounded shares; the exact change
    differs by a few hundredths for three areas, and the reconciliation shows it."""
    result = run_report("probation-share", OCTOBER)
    change = {
        row.figure.split(":")[0]: row
        for row in result.reconciliation
        if "Change since baseline" in row.figure and "1 October 2006" in row.figure
    }
    # SYPA 3.26027 − 2.91489 = 0.34537 → +0.35, printed +0.40
    # HYPA 3.59223 − 3.03500 = 0.55723 → +0.56, printed +0.57
    # NYPA 2.12929 − 0.95499 = 1.17431 → +1.17, printed +1.15
    # WYPA 3.11388 − 2.01499 = 1.09889 → +1.1 (printed to one decimal), printed +1.1
    expected = {
        "South Yorkshire Probation Area": ("0.40", "0.35", "-0.05"),
        "Humberside Probation Area": ("0.57", "0.56", "-0.01"),
        "North Yorkshire Probation Area": ("1.15", "1.17", "0.02"),
        "West Yorkshire Probation Area": ("1.1", "1.1", "0.0"),
    }
    for code, (printed, computed, difference) in expected.items():
        row = change[code]
        assert row.published == printed, code
        assert row.computed_rounded == Decimal(computed), code
        assert row.difference == Decimal(difference), code
        assert row.matches is (difference in {"0.0", "0.00"}), code
        assert row.note, "the reconciliation says why the column differs"


def test_every_other_printed_share_figure_reconciles_exactly() -> None:
    result = run_report("probation-share", OCTOBER)
    others = [row for row in result.reconciliation if "Change since baseline" not in row.figure]
    # 4 areas × (share, spend, VCS, private, total at October; share at April) = 24,
    # region: spend, VCS, private, total, mean share at October; spend and weighted share at April = 7.
    assert len(others) == 31
    assert [row.figure for row in others if not row.matches] == []


def test_weighted_share_against_mean_against_the_national_table() -> None:
    """Three regional figures that the report treats as one."""
    result = run_report("probation-share", OCTOBER)
    # Weighted: 2,246,687 / 71,660,000 × 100 = 3.1352% → 3.14
    assert round_half_up(result.totals["weighted_share_pct"], 2) == Decimal("3.14")
    # Mean of areas: (3.26027 + 3.59223 + 2.12929 + 3.11388) / 4 = 3.0239% → 3.02,
    # which rounds to the printed "an average area spend of 3%".
    assert round_half_up(result.totals["mean_share_pct"], 2) == Decimal("3.02")
    assert round_half_up(result.totals["mean_share_pct"], 0) == Decimal("3")
    # The national table prints Yorkshire & Humberside at 3.33%, matching neither.
    national = run_report("national-comparison", OCTOBER)
    own = next(row for row in national.rows if row["is_own_region"])
    assert own["published_as_printed"] == "3.33"
    assert round_half_up(own["computed_weighted_pct"], 2) == Decimal("3.14")
    assert round_half_up(own["computed_mean_pct"], 2) == Decimal("3.02")
    [rec] = national.reconciliation
    # 3.14 − 3.33 = −0.19
    assert (rec.published, rec.computed_rounded, rec.difference) == ("3.33", Decimal("3.14"), Decimal("-0.19"))


def test_the_share_rises_through_the_year() -> None:
    """1 July lies between the baseline and 1 October in every area ("the trend ... was upwards")."""
    trend = run_report("share-trend", {"year": "2006-07", "region": "YH"})
    assert [row["date"] for row in trend.rows] == [
        datetime.date(2006, 4, 1),
        datetime.date(2006, 7, 1),
        datetime.date(2006, 10, 1),
    ]
    april, july, october = trend.rows
    for code in ("SYPA", "HYPA", "NYPA", "WYPA"):
        assert april[code] < july[code] < october[code], code


def test_the_sector_split_para_5_18() -> None:
    result = run_report("sector-split", OCTOBER)
    vcs, private = result.rows
    # 55 / 89 × 100 = 61.80% → 62 ("62% of these contracts are with the voluntary sector")
    # 34 / 89 × 100 = 38.20% → 38
    assert (vcs["contracts"], private["contracts"]) == (55, 34)
    assert round_half_up(vcs["contracts_pct"], 0) == Decimal("62")
    assert round_half_up(private["contracts_pct"], 0) == Decimal("38")
    assert vcs["value"] + private["value"] == Decimal("2246687")
    [rec] = result.reconciliation
    assert (rec.published, rec.matches) == ("62", True)


def test_the_average_contract_value_this_year_para_5_21() -> None:
    result = run_report("contract-values", {"year": "2006-07", "region": "YH"})
    # The 89 contracts live on 1 October (£2,246,687) and 4 that ended between 1 April and
    # 30 September (£31,813): 2,278,500 / 93 = £24,500.00 exactly.
    assert result.totals["contracts"] == 93
    assert result.totals["total_value"] == Decimal("2278500")
    assert result.totals["mean_value"] == Decimal("24500.00")
    # "a significant number of contracts below £24,500": most, as the values are skewed.
    assert result.totals["below_mean"] > 93 // 2
    [rec] = result.reconciliation
    assert (rec.published, rec.matches) == ("24500", True)


def test_the_year_average_is_not_set_beside_the_contracts_live_on_one_day() -> None:
    # On 31 March 2007 the 89 live contracts average 2,246,687 / 89 = £25,243.67; the report's
    # £24,500 is the year's average, so no reconciliation row may compare the two.
    result = run_report("contract-values", {"at": "2007-03-31", "region": "YH"})
    assert result.totals["mean_value"].quantize(Decimal("0.01")) == Decimal("25243.67")
    assert result.reconciliation == []
