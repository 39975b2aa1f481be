"""Bad import files, each refused whole: every problem in it named by row, column and kind, and no
record of the region changed.

Alice imports into Yorkshire and Humberside, which already has Acorn Housing Trust (a VCS charity,
number 1099999), Beacon Services Ltd (private), and SY-EXIST, South Yorkshire's £10,000 contract with
Acorn as prime and a £4,000 sub-contract to Beacon. The North East has NE-ELSEWHERE.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from stepchange.contracts.models import Contract, MainGrant, SubContract
from stepchange.core.uploads import UploadRefused
from stepchange.imports import services
from stepchange.imports.checking import sheet_name
from stepchange.imports.models import Import, ImportStatus
from stepchange.organisations.models import Commissioner, Organisation
from tests.factories import CommissionerFactory, ContractFactory, OrganisationFactory, SubContractFactory
from tests.imports.files import Row, csv_file, xlsx_file
from tests.personas import Cast


@pytest.fixture
def region(cast: Cast) -> Cast:
    cast.charity.charity_number = "1099999"
    cast.charity.save()
    existing = ContractFactory.create(
        reference="SY-EXIST", commissioner=cast.sypa, prime=cast.charity, annual_value=Decimal("10000")
    )
    SubContractFactory.create(contract=existing, partner=cast.company, value=Decimal("4000"))
    OrganisationFactory.create(name="Dales Mentoring", region=cast.region)
    elsewhere = CommissionerFactory.create(code="NEPA", region=cast.other_region)
    ContractFactory.create(reference="NE-ELSEWHERE", commissioner=elsewhere, prime=cast.company)
    return cast


def state() -> tuple[Any, ...]:
    """Every record an import could touch, as it is."""
    return tuple(
        tuple(model.objects.order_by("pk").values_list())
        for model in (Organisation, Commissioner, Contract, SubContract, MainGrant)
    )


CONTRACT: Row = {
    "ID": "C1",
    "Reference": "SY-NEW-1",
    "Title": "Housing advice",
    "Commissioner": "SYPA",
    "Prime": "Acorn Housing Trust",
    "Pathways": "accommodation",
    "Annual value": "12000",
    "Start": "1/4/2006",
    "End": "31/3/2007",
    "Funding source": "main_grant",
}
ORGANISATION: Row = {"ID": "O1", "Name": "Calder Mentoring", "Sector": "vcs", "Charity number": "1123456"}
SUB: Row = {"ID": "S1", "Contract": "SY-EXIST", "Partner": "Dales Mentoring", "Value": "1000"}
GRANT: Row = {"ID": "G1", "Commissioner": "SYPA", "Financial year": "2006-07", "Indicative": "1900000"}
PRISON: Row = {"ID": "P1", "Code": "HMPWAKE", "Name": "HMP Wakefield", "Operator": "public"}


def with_(row: Row, **changes: object) -> Row:
    return {**row, **{key.replace("_", " "): value for key, value in changes.items()}}


def contract(**changes: object) -> Row:
    return {**CONTRACT, **changes}


# (label, kind, rows, columns (None: the template's), expected problems as (row, heading, kind))
BAD_FILES: list[tuple[str, str, list[Row], list[str] | None, set[tuple[int, str, str]]]] = [
    (
        "a column missing",
        "contracts",
        [CONTRACT],
        [h for h in CONTRACT if h != "Funding source"] + ["Funder", "Kind"],
        {(1, "Funding source", "missing-column")},
    ),
    (
        "an unknown column",
        "grants",
        [GRANT],
        ["ID", "Commissioner", "Financial year", "Indicative", "Final", "Colour"],
        {(1, "", "unknown-column")},
    ),
    (
        "a column twice",
        "grants",
        [GRANT],
        ["ID", "Commissioner", "Financial year", "Indicative", "Final", "Final"],
        {(1, "Final", "duplicate-column")},
    ),
    (
        "an unknown commissioner",
        "contracts",
        [contract(Commissioner="NEPA")],
        None,
        {(2, "Commissioner", "unknown-code")},
    ),
    (
        "an unknown pathway among several",
        "contracts",
        [contract(Pathways="accommodation; knitting")],
        None,
        {(2, "Pathways", "unknown-code")},
    ),
    (
        "an unknown sector",
        "organisations",
        [{**ORGANISATION, "Sector": "charity"}],
        None,
        {(2, "Sector", "unknown-code")},
    ),
    (
        "an unknown funding source",
        "contracts",
        [contract(**{"Funding source": "lottery"})],
        None,
        {(2, "Funding source", "unknown-code")},
    ),
    (
        "an ID twice",
        "contracts",
        [CONTRACT, contract(Reference="SY-NEW-2")],
        None,
        {(3, "ID", "duplicate-id")},
    ),
    (
        "negative money",
        "contracts",
        [contract(**{"Annual value": "-500"})],
        None,
        {(2, "Annual value", "negative-money")},
    ),
    (
        "money that is not a number",
        "contracts",
        [contract(**{"Annual value": "twelve thousand"})],
        None,
        {(2, "Annual value", "not-money")},
    ),
    ("an end before its start", "contracts", [contract(End="31/3/2006")], None, {(2, "End", "end-before-start")}),
    (
        "a sub-contract worth more than its prime",
        "sub-contracts",
        [with_(SUB, Value="12000")],
        None,
        {(2, "Value", "more-than-prime")},
    ),
    (
        "sub-contracts worth more than the prime with the one already on it",
        "sub-contracts",
        [with_(SUB, Value="3000"), {"ID": "S2", "Contract": "SY-EXIST", "Partner": "Tyne Outreach", "Value": "3500"}],
        None,
        # £4,000 already to Beacon + £3,000 + £3,500 = £10,500 > £10,000, named on both rows; and Tyne
        # Outreach is not in the directory.
        {(2, "Value", "more-than-prime"), (3, "Value", "more-than-prime"), (3, "Partner", "unknown-organisation")},
    ),
    (
        "one organisation in two sectors in the file",
        "organisations",
        [ORGANISATION, {"ID": "O2", "Name": "Calder Mentoring CIC", "Sector": "private", "Charity number": "1123456"}],
        None,
        {(3, "Sector", "two-sectors")},
    ),
    (
        "an organisation in another sector than the directory's",
        "organisations",
        [{"ID": "O1", "Name": "Acorn Housing Trust", "Sector": "private", "Charity number": "1099999"}],
        None,
        {(2, "Sector", "two-sectors")},
    ),
    (
        "registration numbers of the wrong shape",
        "organisations",
        [{**ORGANISATION, "Charity number": "12-34", "Company number": "ABC"}],
        None,
        {(2, "Charity number", "number-shape"), (2, "Company number", "number-shape")},
    ),
    ("an unknown prime", "contracts", [contract(Prime="Nobody Ltd")], None, {(2, "Prime", "unknown-organisation")}),
    (
        "a sub-contract on another region's contract",
        "sub-contracts",
        [with_(SUB, Contract="NE-ELSEWHERE")],
        None,
        {(2, "Contract", "unknown-contract")},
    ),
    (
        "a grant of nothing, and one of £0",
        "grants",
        [with_(GRANT, Indicative=""), {**GRANT, "ID": "G2", "Commissioner": "WYPA", "Indicative": "0"}],
        None,
        {(2, "Indicative", "missing-value"), (3, "Indicative", "not-positive")},
    ),
    (
        "an unknown financial year",
        "grants",
        [{**GRANT, "Financial year": "1999-00"}],
        None,
        {(2, "Financial year", "unknown-code")},
    ),
    (
        "a prison code another region has, and an unknown operator",
        "establishments",
        [{**PRISON, "Code": "NEPA"}, {**PRISON, "ID": "P2", "Code": "HMPX", "Name": "HMP X", "Operator": "charity"}],
        None,
        {(2, "Code", "code-taken"), (3, "Operator", "unknown-code")},
    ),
    (
        "another region's contract reference",
        "contracts",
        [contract(Reference="NE-ELSEWHERE")],
        None,
        {(2, "Reference", "reference-taken")},
    ),
    (
        "values missing and a date that is not one",
        "contracts",
        [contract(Title="", Start="", End="30 Febtember 2007")],
        None,
        {(2, "Title", "missing-value"), (2, "Start", "missing-value"), (2, "End", "not-a-date")},
    ),
    ("headings only", "grants", [], None, {(2, "ID", "empty-file")}),
    (
        "co-commissioned money without its funder",
        "contracts",
        [contract(**{"Funding source": "co_commissioned"})],
        None,
        {(2, "Funder", "missing-funder")},
    ),
    (
        "a contract cut below its sub-contracts",
        "contracts",
        [contract(Reference="SY-EXIST", **{"Annual value": "3000"})],
        None,
        {(2, "Annual value", "below-sub-contracts")},
    ),
    (
        "many problems in one file, every one named",
        "contracts",
        [
            contract(Commissioner="XX", **{"Annual value": "-1"}),
            contract(ID="C2", Reference="SY-NEW-1", Pathways="nope", End="1/1/2006"),
            contract(ID="C1", Reference="SY-NEW-3", **{"Funding source": ""}),
        ],
        None,
        {
            (2, "Commissioner", "unknown-code"),
            (2, "Annual value", "negative-money"),
            (3, "Reference", "duplicate-reference"),
            (3, "Pathways", "unknown-code"),
            (3, "End", "end-before-start"),
            (4, "ID", "duplicate-id"),
            (4, "Funding source", "missing-value"),
        },
    ),
]


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
@pytest.mark.parametrize(("label", "kind", "rows", "columns", "expected"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_is_refused_with_every_problem_named_and_nothing_changed(
    region: Cast,
    label: str,
    kind: str,
    rows: list[Row],
    columns: list[str] | None,
    expected: set[tuple[int, str, str]],
    file_format: str,
) -> None:
    before = state()
    build = xlsx_file if file_format == "xlsx" else csv_file
    uploaded = build(kind, rows, columns=columns)
    record = services.import_receive(actor=region.alice, region=region.region, kind=kind, uploaded_file=uploaded)
    record = services.import_check(import_id=record.pk)
    assert record.status == ImportStatus.REFUSED
    found = {(p["row"], p["heading"], p["kind"]) for p in record.problems}
    assert found == expected
    for problem in record.problems:
        assert problem["column"] and problem["expected"]
        assert problem["sheet"] == ("" if file_format == "csv" else sheet_name(kind))
    # Refused, so it cannot be confirmed, and nothing of the region changed.
    with pytest.raises(services.ImportNotAllowed):
        services.import_confirm(actor=region.alice, record=record, expected_version=record.version)
    assert state() == before


def test_the_problems_name_the_sheet_row_column_value_and_what_was_expected(region: Cast) -> None:
    uploaded = xlsx_file("contracts", [contract(**{"Annual value": "-500"})], region=region.region)
    record = services.import_check(
        import_id=services.import_receive(
            actor=region.alice, region=region.region, kind="contracts", uploaded_file=uploaded
        ).pk
    )
    assert record.problems == [
        {
            "kind": "negative-money",
            "sheet": "Contracts",
            "row": 2,
            "column": "G",
            "heading": "Annual value",
            "value": "-500",
            "expected": "the annual value as 0 or more pounds",
        }
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'ID,Name\n=HYPERLINK("x"),Acorn\n', "holds a formula"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "older Excel format"),
        (b"", "is empty"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_and_not_kept(region: Cast, content: bytes, message: str) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(UploadRefused, match=message):
        services.import_receive(
            actor=region.alice,
            region=region.region,
            kind="organisations",
            uploaded_file=SimpleUploadedFile("x.csv", content),
        )
    assert not Import.objects.exists()


def test_a_workbook_without_the_kinds_sheet_is_refused(region: Cast) -> None:
    uploaded = xlsx_file("grants", [GRANT])
    with pytest.raises(UploadRefused, match="no sheet “Contracts”"):
        services.import_receive(actor=region.alice, region=region.region, kind="contracts", uploaded_file=uploaded)


def test_dates_in_the_past_of_the_file_are_read_as_dates(region: Cast) -> None:
    """A date cell of the workbook (not text) is read as that date."""
    uploaded = xlsx_file("contracts", [contract(Start=datetime.date(2006, 4, 1), End=datetime.date(2007, 3, 31))])
    record = services.import_check(
        import_id=services.import_receive(
            actor=region.alice, region=region.region, kind="contracts", uploaded_file=uploaded
        ).pk
    )
    assert record.problems == [] and record.status == ImportStatus.READY
