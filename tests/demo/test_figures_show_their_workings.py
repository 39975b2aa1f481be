"""Every figure of probation-share, sector-split, contract-profile and not-counted links to the
contract list filtered to its rows; downloading that list as CSV with the same filters and adding it
up gives the figure. Done on the demo, at the reports' date and (not-counted) over the year, as the
regional commissioner, who may see every contract of the region."""

from __future__ import annotations

import csv
import html as html_lib
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from stepchange.accounts.models import User
from stepchange.reports.formatting import TOTALS_KEY
from stepchange.reports.registry import run_report
from tests.conftest import signed_in

pytestmark = pytest.mark.usefixtures("demo", "db")

HUNDRED = Decimal(100)
LINK = re.compile(r'<a class="govuk-link" href="(/contracts/\?[^"]*)">[^<]*<span class="govuk-visually-hidden">')


@pytest.fixture
def ruth() -> Client:
    return signed_in(User.objects.get(username="rom.commissioner"))


def _rows(client: Client, query: str) -> list[dict[str, str]]:
    response = client.get(f"/contracts.csv?{query}")
    assert response.status_code == 200, response.content
    return list(csv.DictReader(io.StringIO(response.getvalue().decode())))


def _sum(rows: list[dict[str, str]]) -> Decimal:
    return sum((Decimal(r["annual_value"]) for r in rows), Decimal(0))


def _figure(result: Any, where: int | str, key: str) -> Any:
    return result.totals[key] if where == TOTALS_KEY else result.rows[where][key]


def _kind(result: Any, where: int | str, key: str) -> str | None:
    """The column's kind, or None where the page shows no such figure."""
    columns = result.total_columns if where == TOTALS_KEY else result.columns
    return next((c.kind for c in columns if c.key == key), None)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("probation-share", {"at": "2006-10-01"}),
        ("probation-share", {"at": "2006-04-01"}),
        ("sector-split", {"at": "2006-10-01"}),
        ("contract-profile", {"at": "2006-10-01"}),
        ("not-counted", {"at": "2006-10-01"}),
        ("not-counted", {"year": "2006-07"}),
    ],
)
def test_each_figure_adds_up_from_the_contracts_it_links_to(ruth, name, params):
    params = {"region": "YH", **params}
    result = run_report(name, params)
    page = ruth.get(f"/reports/{name}/", params).content.decode()
    linked = {html_lib.unescape(href) for href in LINK.findall(page)}
    figures = {
        (where, key): query
        for (where, key), query in result.workings.items()
        if _kind(result, where, key) and _figure(result, where, key) is not None
    }
    shown = {f"/contracts/?{query}" for query in figures.values()}
    assert linked == shown and linked, "every figure's link is on the page, and only those"
    # The figures that every such report must link: its counts and its money.
    kinds = {_kind(result, where, key) for where, key in figures}
    assert {"int", "money"} <= kinds or name == "contract-profile"
    checked = 0
    for (where, key), query in figures.items():
        figure = _figure(result, where, key)
        rows = _rows(ruth, query)
        kind = _kind(result, where, key)
        if kind == "money":
            assert _sum(rows) == figure, (name, where, key)
        elif kind == "int":
            assert len(rows) == figure, (name, where, key)
        elif name == "probation-share":
            grant = result.totals["main_grant"] if isinstance(where, str) else result.rows[where]["main_grant"]
            assert _sum(rows) * HUNDRED / grant == figure, (name, where, key)
        elif name == "sector-split":
            everything = _rows(ruth, result.workings[(TOTALS_KEY, "contracts")])
            if key == "contracts_pct":
                assert Decimal(len(rows)) * HUNDRED / len(everything) == figure
            else:
                assert _sum(rows) * HUNDRED / _sum(everything) == figure
        else:
            pytest.fail(f"{name} {key}: a linked figure this test cannot add up")
        checked += 1
    assert checked == len(figures)


def test_a_signed_out_reader_sees_only_published_contracts_behind_a_figure(ruth, client):
    result = run_report("sector-split", {"region": "YH", "at": "2006-10-01"})
    query = result.workings[(TOTALS_KEY, "contracts")]
    everything = _rows(ruth, query)
    public = _rows(client, query)
    assert len(public) <= len(everything)
    assert all(r["published"] in {"yes", "True", "true", "1"} for r in public)
