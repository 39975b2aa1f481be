"""The share of main grant, the same hand-worked figures on the page, in every download and from
the command line. The region is the one of test_probation_share.py:

South Yorkshire: final grant £2,000,000; counted spend at 1 October 2006 £30,000 (VCS) + £20,000
(private) = £50,000, share 2.5%; at 1 April £37,000, 1.85%; change +0.65 points; target 5% →
£100,000; gap £50,000. West Yorkshire: £60,000 on an indicative £4,000,000 = 1.5% (and 1.5% at
1 April: change 0). Region: weighted (50,000 + 60,000) / 6,000,000 = 1.8333…%, mean (2.5 + 1.5) / 2
= 2%; counted spend £110,000; at baseline £97,000.
"""

import re
from decimal import Decimal

import pytest

from tests.reports.formats import (
    as_csv,
    as_json,
    as_xlsx,
    cli_csv,
    cli_json,
    cli_xlsx,
    csv_rows,
    csv_totals,
    page,
    xlsx_rows,
    xlsx_totals,
)

ROW_KEYS = {
    "commissioner",
    "name",
    "main_grant",
    "counted_spend",
    "share_pct",
    "baseline_share_pct",
    "change_pts",
    "vcs_contracts",
    "private_contracts",
    "vcs_value",
    "private_value",
    "target_pct",
    "target_amount",
    "gap_amount",
}
PARAMS = {"region": "YH", "at": "2006-10-01"}


def test_the_page_shows_each_area_rounded_once_with_both_regional_shares(region, client):
    html = page(client, "probation-share", **PARAMS)
    assert "<h1" in html and "Share of main grant spent with voluntary, community and private providers" in html
    assert "Yorkshire and Humberside, at 1 October 2006" in html  # the table caption
    assert "£2,000,000" in html and "£50,000" in html and "2.5%" in html
    assert "1.85%" in html and "+0.65" in html
    assert "£100,000" in html
    # The weighted share 1.8333…% to two places, and the mean, each with its own label.
    assert "Regional share, weighted by grant" in html and "1.83%" in html
    assert "Mean of the areas&#x27; shares" in html and "2.00%" in html
    assert re.search(r'class="govuk-table__cell govuk-table__cell--numeric"[^>]*>(<a [^>]*>)?2.5%', html)


def test_json_has_full_precision_strings_and_the_agreed_keys(region, client):
    data = as_json(client, "probation-share", **PARAMS)
    assert set(data) == {"report", "params", "rows", "totals", "reconciliation"}
    assert data["report"] == "probation-share"
    assert data["params"] == {"region": "YH", "at": "2006-10-01"}
    sy = next(r for r in data["rows"] if r["commissioner"] == "SYPA")
    assert set(sy) >= ROW_KEYS
    assert Decimal(sy["main_grant"]) == Decimal("2000000")
    assert Decimal(sy["counted_spend"]) == Decimal("50000")
    assert sy["share_pct"] == "2.5"
    assert Decimal(sy["baseline_share_pct"]) == Decimal("1.85")
    assert Decimal(sy["change_pts"]) == Decimal("0.65")
    assert sy["vcs_contracts"] == 1 and sy["private_contracts"] == 1
    assert Decimal(sy["target_amount"]) == Decimal("100000") and Decimal(sy["gap_amount"]) == Decimal("50000")
    totals = data["totals"]
    # Full precision, not rounded: 110,000 / 6,000,000 × 100 = 1.8333…
    assert totals["weighted_share_pct"].startswith("1.83333333")
    assert Decimal(totals["mean_share_pct"]) == Decimal("2")
    assert Decimal(totals["counted_spend"]) == Decimal("110000")
    assert Decimal(totals["baseline_spend"]) == Decimal("97000")


def test_json_shows_null_where_there_is_no_grant(region, client, cast):
    from stepchange.contracts.models import MainGrant

    MainGrant.objects.filter(commissioner=cast.wypa).delete()
    data = as_json(client, "probation-share", **PARAMS)
    wy = next(r for r in data["rows"] if r["commissioner"] == "WYPA")
    assert wy["share_pct"] is None and wy["main_grant"] is None
    assert "no grant recorded" in page(client, "probation-share", **PARAMS)


def test_csv_has_labels_rows_a_blank_line_and_the_totals(region, client):
    rows = as_csv(client, "probation-share", **PARAMS)
    assert rows[0][:4] == ["Probation area", "Main grant", "Counted spend", "Share of main grant"]
    sy = next(r for r in csv_rows(rows) if r["Probation area"] == "South Yorkshire Probation Area")
    assert sy["Share of main grant"] == "2.5"
    assert Decimal(sy["Change (points)"]) == Decimal("0.65")
    totals = csv_totals(rows)
    assert totals["Regional share, weighted by grant"].startswith("1.83333333")
    assert Decimal(totals["Mean of the areas' shares"]) == Decimal("2")
    assert Decimal(totals["Counted spend"]) == Decimal("110000")


def test_xlsx_keeps_money_as_numbers_in_pounds(region, client):
    book = as_xlsx(client, "probation-share", **PARAMS)
    assert {"Rows", "Totals", "Reconciliation"} <= set(book)
    sy = next(r for r in xlsx_rows(book) if r["Probation area"] == "South Yorkshire Probation Area")
    assert sy["Counted spend"] == 50000 and sy["Share of main grant"] == 2.5
    assert xlsx_totals(book)["Counted spend"] == 110000

    from io import BytesIO

    from openpyxl import load_workbook

    content = client.get("/reports/probation-share.xlsx", PARAMS).content
    sheet = load_workbook(BytesIO(content))["Rows"]
    assert "£" in sheet["B2"].number_format  # the main grant


def test_the_command_line_gives_the_same_figures(region, tmp_path):
    data = cli_json("probation-share", **PARAMS)
    sy = next(r for r in data["rows"] if r["commissioner"] == "SYPA")
    assert sy["share_pct"] == "2.5"
    assert Decimal(data["totals"]["mean_share_pct"]) == Decimal("2")
    assert Decimal(csv_totals(cli_csv("probation-share", **PARAMS))["Counted spend"]) == Decimal("110000")
    book = cli_xlsx(tmp_path, "probation-share", **PARAMS)
    assert xlsx_totals(book)["Counted spend"] == 110000


@pytest.mark.parametrize("extension", ["csv", "json", "xlsx"])
def test_downloads_are_attachments_named_by_report_region_and_date(region, client, extension):
    response = client.get(f"/reports/probation-share.{extension}", PARAMS)
    assert response["Content-Disposition"] == f'attachment; filename="probation-share-YH-2006-10-01.{extension}"'


def test_the_page_links_to_each_download_with_the_same_parameters(region, client):
    html = page(client, "probation-share", **PARAMS)
    for extension in ("csv", "json", "xlsx"):
        assert f'href="/reports/probation-share.{extension}?region=YH&amp;at=2006-10-01"' in html
