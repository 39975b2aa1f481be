"""The report benchmarks' floors (bench/reports.py) return exactly the selectors' rows on the demo.
A floor with other numbers would make the benchmark's ratio compare different work.
test_reports_floor_round_returns.py covers spend read from an approved round return's lines.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from bench.reports import REPORTS, FloorMismatch, check_floor, floor_rows, regions

OCTOBER = datetime.date(2006, 10, 1)


@pytest.mark.usefixtures("demo", "db")
@pytest.mark.parametrize("name", REPORTS)
def test_on_the_demo_each_floor_returns_the_selectors_rows(name: str) -> None:
    # The demo holds one region's contracts (YH): the whole country is its rows.
    assert regions() == ["YH"]
    check_floor(name, ["YH"], OCTOBER, "2006-07")


@pytest.mark.usefixtures("demo", "db")
def test_the_probation_share_floor_reads_the_demo_october_table() -> None:
    rows = {row["commissioner"]: row for row in floor_rows("probation-share", ["YH"], OCTOBER)["YH"]}
    # The 2006-07 report, para 5.17 (docs/figures.md): WYPA £957,830 of a £30,760,000 grant, 21 VCS and
    # 17 private contracts; 957,830 × 100 / 30,760,000 = 3.1139...%; baseline 1 April 2006.
    wypa = rows["WYPA"]
    assert wypa["counted_spend"] == Decimal("957830.00")
    assert (wypa["vcs_contracts"], wypa["private_contracts"]) == (21, 17)
    assert wypa["share_pct"].quantize(Decimal("0.0001")) == Decimal("3.1139")
    assert wypa["baseline_date"] == datetime.date(2006, 4, 1)


@pytest.mark.usefixtures("demo", "db")
def test_a_floor_with_other_numbers_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    real = floor_rows("contract-profile", ["YH"], OCTOBER)
    real["YH"][0]["contracts"] += 1
    monkeypatch.setattr("bench.reports.floor_rows", lambda *args: real)
    with pytest.raises(FloorMismatch, match="contract-profile YH"):
        check_floor("contract-profile", ["YH"], OCTOBER, "2006-07")
