"""The share over the year, one point per date that has a return.

The region of test_probation_share.py: South Yorkshire's grant is £2,000,000; its counted contracts
are £30,000 (from January 2006), £7,000 (to 30 September) and £20,000 (from 1 June).
West Yorkshire: £60,000 on £4,000,000 = 1.5% throughout.
Returns: South Yorkshire on 1 April, 1 July and 1 October 2006; West Yorkshire on 1 July.
  1 April:   SY 37,000 → 1.85%; region (37,000 + 60,000) / 6,000,000 = 1.6166…%; mean 1.675%
  1 July:    SY 57,000 → 2.85%; region 117,000 / 6,000,000 = 1.95%;           mean 2.175%
  1 October: SY 50,000 → 2.5%;  region 110,000 / 6,000,000 = 1.8333…%;        mean 2.0%
"""

import datetime
from decimal import Decimal

import pytest

from tests.factories import ProbationReturnFactory
from tests.reports.formats import as_csv, as_json, as_xlsx, cli_json, cli_xlsx, csv_rows, page, xlsx_rows


@pytest.fixture
def region(share_region, cast):
    for day in (datetime.date(2006, 4, 1), datetime.date(2006, 7, 1), datetime.date(2006, 10, 1)):
        ProbationReturnFactory.create(commissioner=cast.sypa, as_at=day)
    ProbationReturnFactory.create(commissioner=cast.wypa, as_at=datetime.date(2006, 7, 1))
    return share_region


def _points(data):
    return [(r["date"], Decimal(r["SYPA"]), Decimal(r["WYPA"]), Decimal(r["mean_share_pct"])) for r in data["rows"]]


def test_one_point_per_return_date_in_the_year(region):
    data = cli_json("share-trend", region="YH", year="2006-07")
    assert _points(data) == [
        ("2006-04-01", Decimal("1.85"), Decimal("1.5"), Decimal("1.675")),
        ("2006-07-01", Decimal("2.85"), Decimal("1.5"), Decimal("2.175")),
        ("2006-10-01", Decimal("2.5"), Decimal("1.5"), Decimal("2")),
    ]
    assert Decimal(data["rows"][1]["weighted_share_pct"]) == Decimal("1.95")
    assert data["totals"] == {"year": "2006-07", "dates": 3}


def test_on_a_date_the_trend_stops_there(region, client):
    data = as_json(client, "share-trend", region="YH", at="2006-08-15")
    assert [r["date"] for r in data["rows"]] == ["2006-04-01", "2006-07-01"]


def test_without_returns_the_trend_runs_from_the_start_of_the_year(share_region):
    data = cli_json("share-trend", region="YH", at="2006-10-01")
    assert [(r["date"], r["SYPA"]) for r in data["rows"]] == [("2006-04-01", "1.85"), ("2006-10-01", "2.5")]


def test_every_format_carries_the_trend_and_the_page_draws_a_line_per_area(region, client, tmp_path):
    html = page(client, "share-trend", region="YH", year="2006-07")
    assert "Line chart." in html and html.count('<polyline class="app-chart__line app-chart__series--') == 2
    assert "2.85%" in html and "1 July 2006" in html
    rows = csv_rows(as_csv(client, "share-trend", region="YH", year="2006-07"))
    assert [(r["Date"], r["South Yorkshire Probation Area"]) for r in rows][1] == ("2006-07-01", "2.85")
    for book in (
        as_xlsx(client, "share-trend", region="YH", year="2006-07"),
        cli_xlsx(tmp_path, "share-trend", region="YH", year="2006-07"),
    ):
        first = xlsx_rows(book)[0]
        assert first["Date"] == datetime.datetime(2006, 4, 1) and first["South Yorkshire Probation Area"] == 1.85
