"""The share by region: a region on the service is compared by its live share, any other by its
published one, each row saying which; Yorkshire and Humberside's published share stays beside its
live one.

Published at 1 October 2006: London 5.20%, North East 4.10%, Yorkshire and Humberside 3.33%, and
England and Wales 3.80% (a national total, no region). Ranked by published share: London 1,
North East 2, Yorkshire and Humberside 3.
Computed from the contracts of test_probation_share.py's region: weighted (50,000 + 60,000) /
6,000,000 = 1.83%, mean (2.5 + 1.5) / 2 = 2.00%. Against the published 3.33: a difference of −1.50.
Compared by: London 5.20 (published), North East 4.10 (published), Yorkshire and Humberside 1.83
(live, weighted): the same ranks. With the North East on the service and no grant recorded there,
it has no live share: it is listed last, unranked, and its published 4.10 is not used.
"""

import datetime
from decimal import Decimal

import pytest

from stepchange.reports.models import Measure, PublishedFigure
from tests.factories import RegionFactory
from tests.reports.formats import as_csv, as_json, as_xlsx, cli_json, cli_xlsx, csv_rows, page, xlsx_rows

OCT = datetime.date(2006, 10, 1)
PARAMS = {"region": "YH", "at": "2006-10-01"}


@pytest.fixture
def region(share_region, cast):
    cast.other_region.holds_contracts = False
    cast.other_region.save()
    london = RegionFactory.create(code="LON", name="London", holds_contracts=False)
    for where, label, printed in (
        (london, "", "5.20"),
        (cast.other_region, "", "4.10"),
        (cast.region, "", "3.33"),
        (None, "England and Wales", "3.80"),
    ):
        PublishedFigure.objects.create(
            measure=Measure.SHARE_PCT,
            as_at=OCT,
            region=where,
            label=label,
            value=Decimal(printed),
            printed=printed,
            source="Step Change final report, table 5",
        )
    return share_region


def test_regions_ranked_by_published_share_with_our_own_computed(region):
    data = cli_json("national-comparison", **PARAMS)
    ranked = [(r["rank"], r["region"], r["published_pct"]) for r in data["rows"]]
    assert ranked == [(1, "LON", "5.2000"), (2, "NE", "4.1000"), (3, "YH", "3.3300")]
    yh = data["rows"][2]
    assert Decimal(yh["computed_weighted_pct"]).quantize(Decimal("0.01")) == Decimal("1.83")
    assert Decimal(yh["computed_mean_pct"]) == 2
    assert data["rows"][0]["computed_weighted_pct"] is None  # London's contracts are not held here
    assert data["totals"]["aggregates"][0]["label"] == "England and Wales"
    (row,) = data["reconciliation"]
    assert row["published"] == "3.33" and row["difference"] == "-1.50"


def test_every_format_carries_the_comparison(region, client, tmp_path):
    html = page(client, "national-comparison", **PARAMS)
    assert "5.20%" in html and "1.83%" in html and "England and Wales" in html and "3.80" in html
    assert "Step Change final report, table 5, 1 October 2006" in html
    assert as_json(client, "national-comparison", **PARAMS)["rows"][1]["name"] == "North East"
    assert [r["Region"] for r in csv_rows(as_csv(client, "national-comparison", **PARAMS))] == [
        "London",
        "North East",
        "Yorkshire and Humberside",
    ]
    for book in (
        as_xlsx(client, "national-comparison", **PARAMS),
        cli_xlsx(tmp_path, "national-comparison", **PARAMS),
    ):
        assert [r["Rank"] for r in xlsx_rows(book)] == [1, 2, 3]


def test_each_row_says_whether_its_share_is_live_or_published(region):
    data = cli_json("national-comparison", **PARAMS)
    compared = [(r["region"], r["figure_from"], r["share_pct"]) for r in data["rows"]]
    assert [(code, source) for code, source, _ in compared] == [
        ("LON", "Published"),
        ("NE", "Published"),
        ("YH", "Live, from the service"),
    ]
    assert Decimal(compared[0][2]) == Decimal("5.2")
    assert Decimal(compared[2][2]).quantize(Decimal("0.01")) == Decimal("1.83")


def test_a_region_on_the_service_is_read_live_not_as_published(region, cast):
    cast.other_region.holds_contracts = True
    cast.other_region.save()

    data = cli_json("national-comparison", **PARAMS)

    ranked = [(r.get("rank"), r["region"], r["figure_from"]) for r in data["rows"]]
    assert ranked == [
        (1, "LON", "Published"),
        (2, "YH", "Live, from the service"),
        (None, "NE", "Live, from the service"),
    ]
    ne = data["rows"][2]
    assert ne["share_pct"] is None and ne["published_pct"] == "4.1000"
