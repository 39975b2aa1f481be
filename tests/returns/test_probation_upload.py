"""Bob fills South Yorkshire's probation return in its spreadsheet: he downloads the template,
corrects one contract's value, ends another, adds one the service does not hold, and uploads it.
A file with anything wrong in it is refused whole, each problem named, and no line changes."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from stepchange.contracts.models import FundingSource
from stepchange.core.audit import history_of
from stepchange.returns import probation_sheet, services
from stepchange.returns.models import ProbationReturn, ReturnKind
from stepchange.returns.upload import UploadRefused
from stepchange.returns.upload_content import ContentProblems
from tests.factories import ContractFactory, year_0607

pytestmark = pytest.mark.django_db
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def sypa(cast, clock) -> ProbationReturn:
    ContractFactory.create(
        reference="SY-001",
        title="Housing advice",
        commissioner=cast.sypa,
        prime=cast.charity,
        annual_value=Decimal("10000.00"),
        start=datetime.date(2006, 5, 1),
        pathways=["accommodation"],
    )
    ContractFactory.create(
        reference="SY-002",
        title="Employment support",
        commissioner=cast.sypa,
        prime=cast.company,
        annual_value=Decimal("20000.00"),
        start=datetime.date(2006, 4, 1),
        funding_source=FundingSource.NEW_INVESTMENT,
        pathways=["ete", "fbd"],
    )
    ContractFactory.create(
        reference="=SY-003",
        title="Bail hostel",
        commissioner=cast.sypa,
        prime=cast.charity,
        annual_value=Decimal("5000.00"),
        start=datetime.date(2006, 4, 1),
    )
    the_round = services.round_open(
        actor=cast.alice,
        region=cast.region,
        kind=ReturnKind.PROBATION,
        year=year_0607(),
        quarter=1,
        commissioners=[cast.sypa],
        opens_on=datetime.date(2006, 7, 1),
        deadline=datetime.date(2006, 7, 31),
    )
    return ProbationReturn.objects.get(round=the_round)


def download(client: Any, the_return: ProbationReturn) -> Any:
    response = client.get(f"/returns/probation/{the_return.pk}/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    return openpyxl.load_workbook(io.BytesIO(response.content))


def row_of(sheet: Any, title: str) -> int:
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=2).value == title:
            return row
    raise AssertionError(f"no row for {title}")


def first_empty(sheet: Any) -> int:
    """The first row below the return's lines (the template leaves rows below them for new contracts)."""
    row = 2
    while sheet.cell(row=row, column=1).value is not None or sheet.cell(row=row, column=2).value is not None:
        row += 1
    return row


def as_file(workbook: Any, name: str = "sypa.xlsx") -> SimpleUploadedFile:
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=XLSX_TYPE)


def fill(workbook: Any) -> None:
    """Bob's changes: A corrected, B ended, C confirmed, and a contract added."""
    sheet = workbook["Contracts"]
    sheet.cell(row=row_of(sheet, "SY-001 Housing advice"), column=6, value=12500.5)
    sheet.cell(row=row_of(sheet, "SY-002 Employment support"), column=7, value="Yes")
    new = first_empty(sheet)
    for column, value in enumerate(
        (
            None,
            "Women's centre (Hope Trust)",
            "Voluntary and community",
            "New investment",
            "Accommodation; Health",
            7500,
        ),
        start=1,
    ):
        sheet.cell(row=new, column=column, value=value)


def lines_of(the_return: ProbationReturn) -> list[tuple[Any, ...]]:
    return [
        (
            line.title,
            line.annual_value,
            line.change,
            line.sector,
            line.funding_source,
            sorted(p.code for p in line.pathways.all()),
        )
        for line in the_return.lines.order_by("title")
    ]


def test_the_template_has_every_line_dropdowns_notes_and_safe_cells(cast, sypa, client_for):
    workbook = download(client_for(cast.bob), sypa)
    assert workbook.sheetnames == ["Instructions", "Contracts", "Notes", "Lists", "Identity"]
    sheet = workbook["Contracts"]
    assert [c.value for c in sheet[1]] == list(probation_sheet.HEADINGS)
    employment = [c.value for c in sheet[row_of(sheet, "SY-002 Employment support")]]
    assert employment[2:] == [
        "Private",
        "New investment",
        "Education, Training & Employment; Finance, Benefit & Debt",
        20000,
        None,
    ]
    # A title that looks like a formula is written as text, never as a formula.
    assert sheet.cell(row=row_of(sheet, "'=SY-003 Bail hostel"), column=2).data_type == "s"
    dropdowns = {str(v.sqref).split(":")[0][0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert dropdowns == {
        "C": "=Lists!$A$2:$A$4",
        "D": "=Lists!$B$2:$B$5",
        "E": "=Lists!$C$2:$C$10",
        "G": "=Lists!$D$2:$D$2",
    }
    notes = workbook["Notes"]
    assert [notes.cell(row=r, column=2).value for r in range(2, 9)] == list(probation_sheet.HEADINGS)
    assert all(notes.cell(row=r, column=3).value for r in range(2, 9))


def test_bob_uploads_the_filled_template_and_the_lines_are_what_he_filled(cast, sypa, client_for):
    bob = client_for(cast.bob)
    workbook = download(bob, sypa)
    fill(workbook)
    response = bob.post(f"/returns/probation/{sypa.pk}/upload/", {"file": as_file(workbook)})
    assert response.status_code == 302
    assert response["Location"] == f"/returns/probation/{sypa.pk}/check/"
    sypa.refresh_from_db()
    assert lines_of(sypa) == [
        ("=SY-003 Bail hostel", Decimal("5000.00"), "confirmed", "", "", []),
        ("SY-001 Housing advice", Decimal("12500.50"), "corrected", "", "", []),
        ("SY-002 Employment support", Decimal("20000.00"), "ended", "", "", []),
        (
            "Women's centre (Hope Trust)",
            Decimal("7500.00"),
            "new",
            "vcs",
            "new_investment",
            ["accommodation", "health"],
        ),
    ]
    # Worked by hand: live at 1 July, 12,500.50 + 5,000.00 + 7,500.00 = 25,000.50 (B has ended).
    assert sum(line.annual_value for line in sypa.lines.exclude(change="ended")) == Decimal("25000.50")
    events = [e for e in history_of(sypa) if e.action == "return_upload"]
    assert len(events) == 1 and events[0].actor == cast.bob
    # The same file again is refused: the return has changed since it was downloaded.
    version = sypa.version
    again = bob.post(f"/returns/probation/{sypa.pk}/upload/", {"file": as_file(workbook)})
    assert again.status_code == 200
    assert "The return has been changed since the template sypa.xlsx was downloaded" in again.content.decode()
    # A fresh download of the saved return, uploaded as it is, changes nothing: no version, no event.
    fresh = download(bob, sypa)
    unchanged = bob.post(f"/returns/probation/{sypa.pk}/upload/", {"file": as_file(fresh)})
    assert unchanged.status_code == 302
    sypa.refresh_from_db()
    assert sypa.version == version
    assert len([e for e in history_of(sypa) if e.action == "return_upload"]) == 1
    assert len(lines_of(sypa)) == 4


def test_the_csv_round_trips_too(cast, sypa, client_for):
    bob = client_for(cast.bob)
    response = bob.get(f"/returns/probation/{sypa.pk}/contracts.csv")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.startswith("StepChange probation return,")
    assert "Line,Contract,Sector,Funding source,Pathways,Annual value (£),Ended\r\n" in text
    # The formula-like title is written quoted, as text.
    assert "'=SY-003 Bail hostel" in text
    text = text.replace(",Voluntary and community,Main grant,Accommodation,10000.00,", ",,,,9000,")
    text += ',Probation hostel,Public,Main grant,Accommodation,"1,250.00",\r\n'
    posted = bob.post(
        f"/returns/probation/{sypa.pk}/upload/",
        {"file": SimpleUploadedFile("sypa.csv", text.encode(), content_type="text/csv")},
    )
    assert posted.status_code == 302
    assert [(t, v, c) for t, v, c, *_ in lines_of(sypa)] == [
        ("=SY-003 Bail hostel", Decimal("5000.00"), "confirmed"),
        ("Probation hostel", Decimal("1250.00"), "new"),
        ("SY-001 Housing advice", Decimal("9000.00"), "corrected"),
        ("SY-002 Employment support", Decimal("20000.00"), "confirmed"),
    ]


def _new_row(sheet: Any, *values: Any) -> None:
    row = first_empty(sheet)
    for column, value in enumerate(values, start=1):
        sheet.cell(row=row, column=column, value=value)


def _untitled_and_a_bad_value(sheet: Any) -> None:
    _new_row(sheet, None, None, "Public", None, None, 100)
    _set("SY-001 Housing advice", 6, "lots")(sheet)


def _set(title: str, column: int, value: Any) -> Any:
    def change(sheet: Any) -> None:
        sheet.cell(row=row_of(sheet, title), column=column).value = value  # (value=None would leave the cell)

    return change


def _duplicate(sheet: Any) -> None:
    row = row_of(sheet, "SY-001 Housing advice")
    _new_row(sheet, *[c.value for c in sheet[row]])


# Each bad file: what is done to the Contracts sheet, and every problem the check names.
BAD_FILES = {
    "an unknown line number": (
        _set("SY-001 Housing advice", 1, 999999),
        [
            "Sheet “Contracts”, row 3, column A (Line): found “999999”; expected the number of a line of this return "
            "as the template gave it, or blank for a contract to add"
        ],
    ),
    "a value that is not an amount": (
        _set("SY-001 Housing advice", 6, "ten thousand"),
        [
            "Sheet “Contracts”, row 3, column F (Annual value (£)): found “ten thousand”; expected an amount in "
            "pounds, like 1900000 or 1900000.50"
        ],
    ),
    "a value left blank": (
        _set("SY-002 Employment support", 6, None),
        [
            "Sheet “Contracts”, row 4, column F (Annual value (£)): found nothing; expected the annual value in "
            "pounds, like 1900000 or 1900000.50"
        ],
    ),
    "ended neither yes nor no": (
        _set("SY-002 Employment support", 7, "Maybe"),
        [
            "Sheet “Contracts”, row 4, column G (Ended): found “Maybe”; expected Yes, or blank (or No) for a "
            "contract still live"
        ],
    ),
    "a line given twice": (
        _duplicate,
        ["Sheet “Contracts”, row 5, column A (Line): found “{line}”; expected each line once (it is also on row 3)"],
    ),
    "a sector not in the list": (
        lambda sheet: _new_row(sheet, None, "Hostel", "Charity", None, None, 100),
        [
            "Sheet “Contracts”, row 5, column C (Sector): found “Charity”; expected one of: Voluntary and community, "
            "Private, Public"
        ],
    ),
    "a new contract without its sector": (
        lambda sheet: _new_row(sheet, None, "Hostel", None, None, None, 100),
        [
            "Sheet “Contracts”, row 5, column C (Sector): found nothing; expected the prime provider's sector: "
            "Voluntary and community, Private, Public"
        ],
    ),
    "a funding source not in the list": (
        lambda sheet: _new_row(sheet, None, "Hostel", "Public", "Lottery", None, 100),
        [
            "Sheet “Contracts”, row 5, column D (Funding source): found “Lottery”; expected one of: Main grant, "
            "New investment, Co-commissioned, In-kind secondment"
        ],
    ),
    "an unknown pathway": (
        lambda sheet: _new_row(sheet, None, "Hostel", "Public", None, "Health; Gardening", 100),
        [
            "Sheet “Contracts”, row 5, column E (Pathways): found “Gardening”; expected pathways from the list, "
            "separated by semicolons: Accommodation, Education, Training & Employment, Health, Drugs & Alcohol, "
            "Finance, Benefit & Debt, Children & Families, Attitudes, Thinking & Behaviour, Offender Management, "
            "Unpaid Work"
        ],
    ),
    "a new contract marked ended": (
        lambda sheet: _new_row(sheet, None, "Hostel", "Public", None, None, 100, "Yes"),
        [
            "Sheet “Contracts”, row 5, column G (Ended): found “Yes”; expected blank: a contract the area added is "
            "not marked ended (remove it on the return's page instead)"
        ],
    ),
    "a title too long": (
        lambda sheet: _new_row(sheet, None, "H" * 201, "Public", None, None, 100),
        [
            f"Sheet “Contracts”, row 5, column B (Contract): found “{'H' * 201}”; expected a title of at most 200 "
            "characters"
        ],
    ),
    "a new contract without a title, and a bad value elsewhere": (
        _untitled_and_a_bad_value,
        [
            "Sheet “Contracts”, row 3, column F (Annual value (£)): found “lots”; expected an amount in pounds, "
            "like 1900000 or 1900000.50",
            "Sheet “Contracts”, row 5, column B (Contract): found nothing; expected the contract's title and provider",
        ],
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_is_refused_whole_with_each_problem_named(cast, sypa, client_for, case):
    change, expected = BAD_FILES[case]
    bob = client_for(cast.bob)
    workbook = download(bob, sypa)
    # A good change too, which must not be saved either.
    workbook["Contracts"].cell(row=row_of(workbook["Contracts"], "SY-002 Employment support"), column=6, value=1)
    change(workbook["Contracts"])
    before, version = lines_of(sypa), sypa.version
    line = sypa.lines.get(title="SY-001 Housing advice").pk
    with pytest.raises(ContentProblems) as raised:
        probation_sheet.check_file(as_file(workbook), probation_return=sypa, uploader_area="SYPA")
    assert [str(p) for p in raised.value.problems] == [e.format(line=line) for e in expected]
    response = bob.post(f"/returns/probation/{sypa.pk}/upload/", {"file": as_file(workbook)})
    assert response.status_code == 200
    count = len(expected)
    assert f"has {count} problem{'s' if count != 1 else ''}, so nothing from it was saved" in response.content.decode()
    sypa.refresh_from_db()
    assert (lines_of(sypa), sypa.version) == (before, version)


def test_a_file_whose_heading_or_identity_was_changed_is_refused(cast, sypa, client_for):
    bob = client_for(cast.bob)
    workbook = download(bob, sypa)
    workbook["Contracts"]["F1"] = "Spend"
    with pytest.raises(UploadRefused) as raised:
        probation_sheet.check_file(as_file(workbook), probation_return=sypa, uploader_area="SYPA")
    assert str(raised.value) == (
        "Sheet “Contracts”, cell F1 of sypa.xlsx holds “Spend” where the template has the heading “Annual value "
        "(£)”. The sheets and headings of the template cannot be changed: download it again and copy your figures "
        "into it."
    )
    workbook = download(bob, sypa)
    workbook["Identity"]["B1"] = sypa.pk + 1
    with pytest.raises(UploadRefused) as raised:
        probation_sheet.check_file(as_file(workbook), probation_return=sypa, uploader_area="SYPA")
    assert "has been changed, so it cannot be trusted" in str(raised.value)
    # Another area's manager's file is not this area's.
    with pytest.raises(UploadRefused) as raised:
        probation_sheet.check_file(as_file(download(bob, sypa)), probation_return=sypa, uploader_area="WYPA")
    assert "which is not your establishment's (WYPA)" in str(raised.value)


def test_a_file_made_before_the_return_changed_is_refused(cast, sypa, client_for):
    bob = client_for(cast.bob)
    workbook = download(bob, sypa)
    line = sypa.lines.get(title="SY-001 Housing advice")
    services.probation_line_save(
        actor=cast.bob,
        probation_return=sypa,
        expected_version=sypa.version,
        line=line,
        annual_value=Decimal("11000"),
        ended=False,
    )
    sypa.refresh_from_db()
    fill(workbook)
    with pytest.raises(UploadRefused) as raised:
        probation_sheet.check_file(as_file(workbook), probation_return=sypa, uploader_area="SYPA")
    assert str(raised.value).startswith("The return has been changed since the template sypa.xlsx was downloaded")
    assert sypa.lines.get(pk=line.pk).annual_value == Decimal("11000.00")


def test_import_return_saves_a_probation_file(cast, sypa, client_for, tmp_path):
    workbook = download(client_for(cast.bob), sypa)
    fill(workbook)
    path = tmp_path / "sypa.xlsx"
    path.write_bytes(as_file(workbook).read())
    out = io.StringIO()
    call_command(
        "import_return", "--kind", "probation", "--return", str(sypa.pk), "--user", "alice", str(path), stdout=out
    )
    assert f"Saved 3 contracts from sypa.xlsx into {sypa}." in out.getvalue()
    assert sypa.lines.get(title="SY-001 Housing advice").annual_value == Decimal("12500.50")
    # Carol fills West Yorkshire's returns, not South Yorkshire's.
    with pytest.raises(CommandError, match=f"Carol may not fill in or sign off a probation return {sypa.pk}"):
        call_command("import_return", "--kind", "probation", "--return", str(sypa.pk), "--user", "carol", str(path))


def test_import_return_names_every_problem_and_saves_nothing(cast, sypa, client_for, tmp_path):
    workbook = download(client_for(cast.bob), sypa)
    fill(workbook)
    workbook["Contracts"].cell(row=row_of(workbook["Contracts"], "SY-001 Housing advice"), column=6, value="lots")
    path = tmp_path / "sypa.xlsx"
    path.write_bytes(as_file(workbook).read())
    before = lines_of(sypa)
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"The file has 1 problem\. \(1 spend that is not an amount in pounds\)"):
        call_command(
            "import_return", "--kind", "probation", "--return", str(sypa.pk), "--user", "bob", str(path), stderr=err
        )
    assert "row 3, column F (Annual value (£)): found “lots”" in err.getvalue()
    assert lines_of(sypa) == before
