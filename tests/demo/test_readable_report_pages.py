"""Every report page of the demo reads answer first, and names what it is about.

Each page puts its headline figures and chart first, then its table, then its workings (the notes,
the published totals and the reconciliation with the published report). No cell of any of its
tables shows a bare code (SYPA, HULL, YH, fbd) where the thing has a name: probation areas,
prisons, regions and pathways are written by name.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from stepchange.accounts.models import User
from stepchange.core.models import Pathway, Region
from stepchange.organisations.models import Commissioner
from stepchange.reports.registry import REPORTS

pytestmark = pytest.mark.usefixtures("demo", "db")

# Each report at the demo's return date and over its year (those that take a year).
PAGES = [
    (name, params)
    for name, report in REPORTS.items()
    for params in ({"region": "YH", "at": "2006-10-01"}, {"region": "YH", "year": "2006-07"})
    if "year" in report.takes or "year" not in params
]
SECTIONS = ("app-report-answer", "app-report-figures", "app-report-workings")


class _Cells(HTMLParser):
    """The text of every table cell (th and td) of a page, visually hidden words included."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("td", "th"):
            self._open = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._open is not None:
            self.cells.append(" ".join("".join(self._open).split()))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)


def cells_of(html: str) -> list[str]:
    parser = _Cells()
    parser.feed(html)
    return parser.cells


def codes_with_names() -> dict[str, str]:
    """Every code the demo's reports could show, and the name to show instead."""
    codes = {c.code: c.name for c in Commissioner.objects.select_related("organisation")}
    codes |= {r.code: r.name for r in Region.objects.all()}
    codes |= {p.code: p.name for p in Pathway.objects.all()}
    codes |= {p.short_name: p.name for p in Pathway.objects.all()}
    return {code: name for code, name in codes.items() if code != name}


def cells_with_codes(html: str, codes: dict[str, str]) -> list[tuple[str, str]]:
    """Each table cell that shows a code as a word of its own (in the case it is stored in: "ETE",
    "fbd", "SYPA"), with the name it should have shown."""
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(c) for c in sorted(codes, key=len, reverse=True)) + r")(?![\w-])"
    )
    return [(cell, codes[found.group(1)]) for cell in cells_of(html) if (found := pattern.search(cell))]


@pytest.fixture
def reader(client: Client) -> Client:
    """A probation contracts manager of the demo, who may read every report (one is for people
    signed in) and signs in with a password alone."""
    client.force_login(User.objects.get(username="sypa.manager"))
    return client


@pytest.mark.parametrize(("name", "params"), PAGES, ids=[f"{n}-{'year' if 'year' in p else 'date'}" for n, p in PAGES])
def test_the_answer_comes_first_then_the_table_then_the_workings(reader: Client, name: str, params: dict) -> None:
    html = reader.get(f"/reports/{name}/", params).content.decode()
    found = {section: html.find(f'class="{section}"') for section in SECTIONS}
    assert found["app-report-figures"] > 0, "every report has its table"
    present = [found[s] for s in SECTIONS if found[s] >= 0]
    assert present == sorted(present), found
    if "<figure" in html:
        assert found["app-report-answer"] < html.find("<figure") < found["app-report-figures"]
    workings = found["app-report-workings"]
    for part in ("How these figures compare with the published report", "About these figures", "Published totals"):
        if part in html:
            assert html.find(part) > workings > 0, part


def test_the_probation_share_page_is_in_that_order_with_its_parts() -> None:
    """The page the issue was raised on: totals, chart, table, then the reconciliation."""
    html = Client().get("/reports/probation-share/", {"region": "YH", "at": "2006-10-01"}).content.decode()
    order = [
        html.find(text)
        for text in (
            ">Totals</h2>",
            "<figure",
            "Show all 13 columns",
            '<table class="govuk-table app-report-table',
            ">Workings</h2>",
            "About these figures",
            "How these figures compare with the published report",
        )
    ]
    assert -1 not in order and order == sorted(order), order


@pytest.mark.parametrize(("name", "params"), PAGES, ids=[f"{n}-{'year' if 'year' in p else 'date'}" for n, p in PAGES])
def test_no_table_cell_shows_a_code_where_a_name_exists(reader: Client, name: str, params: dict) -> None:
    html = reader.get(f"/reports/{name}/", params).content.decode()
    assert cells_with_codes(html, codes_with_names()) == []


def test_the_test_finds_a_code_in_a_cell() -> None:
    """The check above can fail: a cell with an area's code is caught, one with its name is not."""
    html = (
        "<table><tr><th>SYPA: Share</th><td>South Yorkshire Probation Area</td><td>FBD</td>"
        "<td>Finance, Benefit &amp; Debt</td><td>HMP Hull</td></tr></table>"
    )
    assert cells_with_codes(html, codes_with_names()) == [
        ("SYPA: Share", "South Yorkshire Probation Area"),
        ("FBD", "Finance, Benefit & Debt"),
    ]
