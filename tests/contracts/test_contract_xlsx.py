"""Alice downloads the contract list as a workbook: the CSV's rows, cell for cell, as numbers and dates."""

import csv
import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from stepchange.contracts.models import FundingSource
from stepchange.organisations.models import Sector
from tests.factories import ContractFactory, OrganisationFactory, SubContractFactory


def sheet_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.getvalue()))["Contracts"]
    return [[cell for cell in row] for row in sheet.iter_rows()]


def test_the_workbook_holds_the_lists_rows_as_numbers_and_dates(cast, client_for):
    private = OrganisationFactory.create(name="Zenith Ltd", sector=Sector.PRIVATE)
    held = ContractFactory.create(
        reference="SY-1",
        title="Housing advice",
        commissioner=cast.sypa,
        prime=cast.charity,
        annual_value=Decimal("30000.50"),
        start=datetime.date(2006, 4, 1),
        end=datetime.date(2007, 3, 31),
        pathways=["ete", "accommodation"],
    )
    SubContractFactory.create(contract=held, partner=private, value=Decimal("1250.25"))
    SubContractFactory.create(contract=held, partner=cast.company, value=Decimal("749.75"))
    ContractFactory.create(
        reference="SY-2",
        title="Mentoring",
        commissioner=cast.sypa,
        prime=private,
        annual_value=Decimal("7000"),
        start=datetime.date(2006, 6, 1),
        funding_source=FundingSource.CO_COMMISSIONED,
        funder='=HYPERLINK("http://evil")',
    )
    alice = client_for(cast.alice)

    rows = sheet_rows(alice.get("/contracts.xlsx", {"commissioner": "SYPA"}))

    headings, first, second = ([cell.value for cell in row] for row in rows)
    assert headings[:3] == ["Reference", "Title", "Commissioner"]
    assert all(cell.font.b for cell in rows[0])
    assert first == [
        "SY-1",
        "Housing advice",
        "SYPA",
        cast.sypa.name,
        cast.charity.name,
        "Voluntary and community",
        "Accommodation; Education, Training & Employment",
        30000.5,
        datetime.datetime(2006, 4, 1),
        datetime.datetime(2007, 3, 31),
        "Main grant",
        None,  # no funder: an empty cell
        "Contract",
        "no",
        2000,  # 1,250.25 + 749.75
    ]
    assert second[9] is None  # open-ended
    assert second[11] == '\'=HYPERLINK("http://evil")'
    assert second[14] == 0
    money, start = rows[1][7], rows[1][8]
    assert money.number_format == '"£"#,##0.00'
    assert start.number_format == "yyyy-mm-dd"


def test_the_workbook_and_the_csv_hold_the_same_rows_in_the_same_order(cast, client_for):
    for n in range(7):
        ContractFactory.create(
            reference=f"P-{n}", commissioner=cast.sypa, prime=cast.charity, annual_value=Decimal(1000 * (7 - n))
        )
    alice = client_for(cast.alice)
    query = {"sort": "-value"}

    csv_text = alice.get("/contracts.csv", query).getvalue().decode()
    from_csv = [(row[0], Decimal(row[7])) for row in list(csv.reader(io.StringIO(csv_text)))[1:]]
    from_xlsx = [
        (row[0].value, Decimal(str(row[7].value))) for row in sheet_rows(alice.get("/contracts.xlsx", query))[1:]
    ]

    assert from_xlsx == from_csv
    assert [reference for reference, _ in from_xlsx][:2] == ["P-0", "P-1"]
