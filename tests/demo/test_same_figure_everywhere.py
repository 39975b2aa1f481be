"""The same figure on the same date is equal wherever it appears: the probation share, the share
trend, the national comparison, the home page, the contract profile's counts, the CSV, JSON and
XLSX downloads and the ``report`` command. On the demo, at 1 October 2006 (a return date) and at
the home page's own date."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from stepchange.core.money import percent
from stepchange.reports.dashboard import dashboard_for
from stepchange.reports.registry import run_report
from tests.reports.formats import (
    as_csv,
    as_json,
    as_xlsx,
    cli_csv,
    cli_json,
    cli_xlsx,
    csv_rows,
    csv_totals,
    xlsx_rows,
    xlsx_totals,
)

pytestmark = pytest.mark.usefixtures("demo", "db")

AT = {"region": "YH", "at": "2006-10-01"}
AREAS = ("HYPA", "NYPA", "SYPA", "WYPA")


def test_shares_and_counts_agree_across_reports() -> None:
    share = run_report("probation-share", AT)
    by_area = {r["commissioner"]: r for r in share.rows}
    assert set(by_area) == set(AREAS)
    weighted, mean = share.totals["weighted_share_pct"], share.totals["mean_share_pct"]

    trend = run_report("share-trend", AT)
    on_the_day = next(r for r in trend.rows if r["date"].isoformat() == AT["at"])
    assert {code: on_the_day[code] for code in AREAS} == {code: by_area[code]["share_pct"] for code in AREAS}
    assert (on_the_day["weighted_share_pct"], on_the_day["mean_share_pct"]) == (weighted, mean)

    national = run_report("national-comparison", AT)
    yh = next(r for r in national.rows if r.get("region") == "YH")
    assert (yh["computed_weighted_pct"], yh["computed_mean_pct"]) == (weighted, mean)

    profile = run_report("contract-profile", AT)
    assert {r["commissioner"]: r["contracts"] for r in profile.rows} == {
        code: by_area[code]["contracts"] for code in AREAS
    }
    sectors = run_report("sector-split", AT)
    assert [r["contracts"] for r in sectors.rows] == [share.totals["vcs_contracts"], share.totals["private_contracts"]]
    assert sum((r["value"] for r in sectors.rows), Decimal(0)) == share.totals["counted_spend"]


def test_the_home_page_shows_the_probation_share_of_its_date(client: Client) -> None:
    board = dashboard_for(None)
    assert board is not None
    at = board.result.params.at
    assert at is not None
    share = run_report("probation-share", {"region": "YH", "at": at.isoformat()})
    assert board.result.totals == share.totals and board.result.rows == share.rows
    html = client.get("/").content.decode()
    assert percent(share.totals["weighted_share_pct"], 2) in html
    assert percent(share.totals["mean_share_pct"], 2) in html


def test_every_download_and_the_command_carry_the_same_exact_figures(client: Client, tmp_path: Path) -> None:
    share = run_report("probation-share", AT)
    exact = {r["name"]: r["counted_spend"] for r in share.rows}
    weighted = share.totals["weighted_share_pct"]
    for data in (as_json(client, "probation-share", **AT), cli_json("probation-share", **AT)):
        assert {r["name"]: Decimal(r["counted_spend"]) for r in data["rows"]} == exact
        assert Decimal(data["totals"]["weighted_share_pct"]) == weighted
    for rows in (as_csv(client, "probation-share", **AT), cli_csv("probation-share", **AT)):
        assert {r["Probation area"]: Decimal(r["Counted spend"]) for r in csv_rows(rows)} == exact
        assert Decimal(csv_totals(rows)["Regional share, weighted by grant"]) == weighted
    for book in (as_xlsx(client, "probation-share", **AT), cli_xlsx(tmp_path, "probation-share", **AT)):
        assert {r["Probation area"]: Decimal(str(r["Counted spend"])) for r in xlsx_rows(book)} == exact
        assert abs(Decimal(str(xlsx_totals(book)["Regional share, weighted by grant"])) - weighted) < Decimal("1e-12")
