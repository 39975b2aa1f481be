"""Alice works through the region's contract list: filters, sorting, pages and the CSV."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from stepchange.contracts.models import FundingSource
from stepchange.organisations.models import Sector
from tests.factories import ContractFactory, OrganisationFactory


def references(response):
    assert response.status_code == 200
    return [c.reference for c in response.context["page"]]


def csv_rows(response):
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.getvalue().decode())))


@pytest.fixture
def region(cast):
    """Five contracts; the comment beside each says which filters it meets."""
    private = OrganisationFactory.create(name="Zenith Ltd", sector=Sector.PRIVATE)
    ContractFactory.create(
        reference="A-1",  # SYPA, VCS, main grant, accommodation, live all 2006-07
        commissioner=cast.sypa,
        prime=cast.charity,
        annual_value=Decimal("30000"),
        start=datetime.date(2006, 4, 1),
        end=datetime.date(2007, 3, 31),
        pathways=["accommodation"],
    )
    ContractFactory.create(
        reference="B-2",  # SYPA, private, main grant, ETE, ended before October
        commissioner=cast.sypa,
        prime=private,
        annual_value=Decimal("5000"),
        start=datetime.date(2006, 4, 1),
        end=datetime.date(2006, 9, 30),
        pathways=["ete"],
    )
    ContractFactory.create(
        reference="C-3",  # WYPA, VCS, new investment, accommodation and FBD, open-ended
        commissioner=cast.wypa,
        prime=cast.charity,
        annual_value=Decimal("90000"),
        start=datetime.date(2006, 6, 1),
        funding_source=FundingSource.NEW_INVESTMENT,
        funder="Together Women",
        pathways=["accommodation", "fbd"],
    )
    ContractFactory.create(
        reference="D-4",  # WYPA, private, main grant, no pathway, starts in November
        commissioner=cast.wypa,
        prime=private,
        annual_value=Decimal("12000"),
        start=datetime.date(2006, 11, 1),
    )
    ContractFactory.create(
        reference="E-5",  # SYPA, VCS, co-commissioned, health
        commissioner=cast.sypa,
        prime=cast.charity,
        annual_value=Decimal("7000"),
        start=datetime.date(2005, 4, 1),
        funding_source=FundingSource.CO_COMMISSIONED,
        funder='=HYPERLINK("http://evil")',
        pathways=["health"],
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["A-1", "B-2", "E-5", "C-3", "D-4"]),
        ({"commissioner": "SYPA"}, ["A-1", "B-2", "E-5"]),
        ({"pathway": "accommodation"}, ["A-1", "C-3"]),
        ({"sector": "private"}, ["B-2", "D-4"]),
        ({"funding": "main_grant"}, ["A-1", "B-2", "D-4"]),
        # Live on 1 October 2006: started by then and not yet ended (open-ended counts).
        ({"live_on": "1/10/2006"}, ["A-1", "E-5", "C-3"]),
        # The last day of a contract is still live: both days included.
        ({"live_on": "2006-09-30", "sector": "private"}, ["B-2"]),
        ({"commissioner": "WYPA", "pathway": "fbd", "funding": "new_investment"}, ["C-3"]),
    ],
)
def test_filters_narrow_the_list_and_the_csv_alike(cast, client_for, region, params, expected):
    alice = client_for(cast.alice)
    assert references(alice.get("/contracts/", params)) == expected
    assert [row["reference"] for row in csv_rows(alice.get("/contracts.csv", params))] == expected


def test_a_bad_date_is_explained_not_a_server_error(cast, client_for, region):
    response = client_for(cast.alice).get("/contracts/", {"live_on": "31/2/2006", "commissioner": "SYPA"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter the date the contracts are live on as a real date, like 1/4/2006" in html
    # The filters that were right still apply.
    assert references(response) == ["A-1", "B-2", "E-5"]
    # A download has no page to explain it on, and leaving the filter out would give rows nobody
    # asked for: it is refused, saying what was wrong.
    for download in ("/contracts.csv", "/contracts.xlsx"):
        refused = client_for(cast.alice).get(download, {"live_on": "soon"})
        assert refused.status_code == 400
        assert "Enter the date the contracts are live on as a real date" in refused.content.decode()


def test_an_unknown_filter_value_is_explained(cast, client_for, region):
    response = client_for(cast.alice).get("/contracts/", {"pathway": "knitting", "sector": "martian"})
    html = response.content.decode()
    assert "Choose a pathway from the list" in html
    assert "Choose a sector from the list" in html
    assert len(references(response)) == 5


@pytest.mark.parametrize(
    ("sort", "expected", "aria"),
    [
        ("value", ["B-2", "E-5", "D-4", "A-1", "C-3"], "ascending"),
        ("-value", ["C-3", "A-1", "D-4", "E-5", "B-2"], "descending"),
        ("start", ["E-5", "A-1", "B-2", "C-3", "D-4"], "ascending"),
        ("-reference", ["E-5", "D-4", "C-3", "B-2", "A-1"], "descending"),
        ("prime", ["A-1", "C-3", "E-5", "B-2", "D-4"], "ascending"),
    ],
)
def test_columns_sort_both_ways_and_say_so(cast, client_for, region, sort, expected, aria):
    alice = client_for(cast.alice)
    response = alice.get("/contracts/", {"sort": sort})
    assert references(response) == expected
    column = sort.removeprefix("-")
    header = next(h for h in response.context["headers"] if h["url"].endswith(f"sort={column}") or column in h["url"])
    assert header["aria_sort"] == aria
    assert f'aria-sort="{aria}"' in response.content.decode()
    assert [row["reference"] for row in csv_rows(alice.get("/contracts.csv", {"sort": sort}))] == expected


def test_a_sorted_header_links_to_the_other_direction_and_keeps_the_filters(cast, client_for, region):
    response = client_for(cast.alice).get("/contracts/", {"sort": "value", "commissioner": "SYPA"})
    value = next(h for h in response.context["headers"] if h["label"] == "Annual value")
    assert "sort=-value" in value["url"]
    assert "commissioner=SYPA" in value["url"]


def test_an_unknown_sort_falls_back_to_the_usual_order(cast, client_for, region):
    assert references(client_for(cast.alice).get("/contracts/", {"sort": "password"})) == [
        "A-1",
        "B-2",
        "E-5",
        "C-3",
        "D-4",
    ]


def test_sixty_contracts_make_three_pages_of_twenty_five(cast, client_for):
    for n in range(60):
        ContractFactory.create(reference=f"P-{n:03d}", commissioner=cast.sypa)
    bob = client_for(cast.bob)

    first = bob.get("/contracts/", {"sort": "reference"})
    assert references(first) == [f"P-{n:03d}" for n in range(25)]
    html = first.content.decode()
    assert "60 contracts, showing 1 to 25" in html
    assert 'class="govuk-pagination"' in html
    assert 'rel="next"' in html
    assert 'rel="prev"' not in html

    last = bob.get("/contracts/", {"sort": "reference", "page": "3"})
    assert references(last) == [f"P-{n:03d}" for n in range(50, 60)]
    assert 'rel="prev"' in last.content.decode()
    # A page past the end or not a number shows a real page, not an error.
    assert references(bob.get("/contracts/", {"sort": "reference", "page": "99"})) == references(last)
    assert references(bob.get("/contracts/", {"sort": "reference", "page": "x"})) == references(first)
    # The CSV is not paged: every visible row.
    assert len(csv_rows(bob.get("/contracts.csv"))) == 60


def test_the_csv_neutralises_cells_a_spreadsheet_would_run(cast, client_for, region):
    rows = csv_rows(
        client_for(cast.alice).get("/contracts.csv", {"commissioner": "SYPA", "funding": "co_commissioned"})
    )
    assert rows[0]["funder"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["annual_value"] == "7000.00"
    assert rows[0]["pathways"] == "Health"
