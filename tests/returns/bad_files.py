"""A corpus of bad uploads of HMP Leeds's 2006-07 Q1 return, generated afresh for each test from the
template Frank downloads (so that each is exactly one mistake away from a good file).

Each case says what the person must be told. Tier 1 cases (the file itself) are refused with one
message; tier 2 cases (the content) list each problem as "Sheet “…”, row …, column … (…): found
“…”; expected …", which is what ``expected`` is matched against. ``{leeds}``, ``{doncaster}`` and
``{leeds_q2}`` stand for the ids of the returns.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import openpyxl

from stepchange.returns import spreadsheet
from stepchange.returns.models import PrisonReturn
from tests.returns.workbooks import fill_every_pathway


@dataclass
class Setting:
    leeds: PrisonReturn  # the return the files are uploaded to
    doncaster: PrisonReturn  # another establishment's, in the same round
    leeds_q2: PrisonReturn  # Leeds's return of the next quarter
    template: bytes  # the Leeds Q1 template as Frank downloaded it
    lines_csv: str  # and its CSV form
    change_the_return: Callable[[], None]  # a change made on the pathway pages after the download

    def ids(self) -> dict[str, int]:
        return {"leeds": self.leeds.pk, "doncaster": self.doncaster.pk, "leeds_q2": self.leeds_q2.pk}


@dataclass
class BadFile:
    name: str
    build: Callable[[Setting], tuple[str, bytes]]
    expected: tuple[str, ...]
    tier: int


CASES: list[BadFile] = []


def bad(tier: int, *expected: str) -> Callable[[Callable[[Setting], tuple[str, bytes]]], Any]:
    def register(build: Callable[[Setting], tuple[str, bytes]]) -> Any:
        CASES.append(BadFile(build.__name__.removeprefix("case_"), build, expected, tier))
        return build

    return register


# Ways to make a file -------------------------------------------------------------------------------


def workbook_of(s: Setting, *, fill: bool = True) -> Any:
    workbook = openpyxl.load_workbook(io.BytesIO(s.template))
    if fill:
        fill_every_pathway(workbook)
    return workbook


def saved(workbook: Any) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def edited(s: Setting, change: Callable[[Any], None]) -> tuple[str, bytes]:
    workbook = workbook_of(s)
    change(workbook)
    return "leeds-return.xlsx", saved(workbook)


def csv_rows(s: Setting) -> tuple[list[list[str]], int]:
    """The CSV's rows with every pathway filled with zeros, and the row index of its heading."""
    rows = list(csv.reader(io.StringIO(s.lines_csv)))
    heading = next(n for n, row in enumerate(rows) if row and row[0] == "Pathway")
    for row in rows[heading + 1 : heading + 8]:
        row[1:4] = ["0", "0", "0"]
    return rows, heading


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def with_identity(s: Setting, identity: spreadsheet.Identity) -> tuple[str, bytes]:
    workbook = workbook_of(s)
    sheet = workbook["Identity"]
    for row, (key, value) in enumerate(identity.rows(), start=1):
        sheet.cell(row=row, column=1, value=key)
        sheet.cell(row=row, column=2, value=value)
    return "leeds-return.xlsx", saved(workbook)


def set_cells(**cells: Any) -> Callable[[Any], None]:
    """``Lines__B3=2.5`` sets cell B3 of the Lines sheet (sheet names with spaces use one underscore)."""

    def change(workbook: Any) -> None:
        for key, value in cells.items():
            sheet, cell = key.split("__")
            workbook[sheet.replace("_", " ")][cell] = value

    return change


# Tier 1: the file itself ---------------------------------------------------------------------------


@bad(1, "The file report.xlsx is empty. Upload an Excel workbook (.xlsx) or a CSV file (.csv).")
def case_empty(s: Setting) -> tuple[str, bytes]:
    return "report.xlsx", b""


@bad(1, "The file photo.png is not an Excel workbook (.xlsx) or a CSV file (.csv): it holds binary data.")
def case_a_picture(s: Setting) -> tuple[str, bytes]:
    return "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


@bad(1, "The file return.xls is in the older Excel format (.xls).")
def case_old_excel_format(s: Setting) -> tuple[str, bytes]:
    return "return.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048


@bad(1, "The file huge.csv is 6 MB; the limit is 5 MB.")
def case_over_the_size_limit(s: Setting) -> tuple[str, bytes]:
    return "huge.csv", b"Accommodation,1,0,0\r\n" * (6 * 1024 * 1024 // 21 + 1)


@bad(1, "The file letter.csv is not a prison return template from this service: its first cell is not")
def case_a_letter_not_a_template(s: Setting) -> tuple[str, bytes]:
    return "letter.csv", b"Dear Grace,\nplease find our figures below.\n"


@bad(1, "The file latin1.csv is not an Excel workbook (.xlsx) or a CSV file (.csv): it is not UTF-8 text")
def case_csv_not_utf8(s: Setting) -> tuple[str, bytes]:
    return "latin1.csv", s.lines_csv.encode("utf-8").replace("£".encode(), "£".encode("latin-1"))


@bad(1, "The file archive.xlsx is a zip file, not an Excel workbook (.xlsx).")
def case_a_zip_that_is_not_a_workbook(s: Setting) -> tuple[str, bytes]:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("figures.txt", "Accommodation 3")
    return "archive.xlsx", out.getvalue()


@bad(1, "The file cut-short.xlsx is not an Excel workbook (.xlsx): it may be damaged.")
def case_a_damaged_workbook(s: Setting) -> tuple[str, bytes]:
    return "cut-short.xlsx", s.template[: len(s.template) // 2]


@bad(1, "The workbook bomb.xlsx would expand to far more than its size on disk")
def case_a_zip_bomb(s: Setting) -> tuple[str, bytes]:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (4 * 1024 * 1024))
    return "bomb.xlsx", out.getvalue()


@bad(1, "The workbook many.xlsx has 60 sheets; at most 50 are expected.")
def case_too_many_sheets(s: Setting) -> tuple[str, bytes]:
    workbook = openpyxl.Workbook()
    for n in range(59):
        workbook.create_sheet(f"Sheet {n}")
    return "many.xlsx", saved(workbook)


@bad(1, "The file long.csv has more than 250,000 rows. Split it into smaller files.")
def case_too_many_rows(s: Setting) -> tuple[str, bytes]:
    # Rows of one empty cell, so that the file passes its size limit and reaches the row count.
    return "long.csv", s.lines_csv.encode() + b",\r\n" * 250_001


@bad(1, "Sheet “Lines”, cell B3 holds a formula. Enter the value itself")
def case_a_formula(s: Setting) -> tuple[str, bytes]:
    return edited(s, set_cells(Lines__B3="=1+2"))


@bad(1, "holds a formula ('=SUM(B9:B17)'). Enter the value itself, then upload again.")
def case_a_formula_in_the_csv(s: Setting) -> tuple[str, bytes]:
    rows, heading = csv_rows(s)
    rows[heading + 10][1] = "=SUM(B9:B17)"
    return "leeds.csv", csv_bytes(rows)


@bad(1, "The file plain.xlsx is not a prison return template from this service: it has no identity sheet.")
def case_a_workbook_that_is_not_the_template(s: Setting) -> tuple[str, bytes]:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Pathway"
    return "plain.xlsx", saved(workbook)


@bad(1, "The identity of the file leeds-return.xlsx (which return it is for) has been changed")
def case_identity_edited(s: Setting) -> tuple[str, bytes]:
    return edited(s, set_cells(Identity__B1=s.doncaster.pk))


@bad(1, "The identity of the file leeds.csv (which return it is for) has been changed")
def case_csv_identity_edited(s: Setting) -> tuple[str, bytes]:
    rows, _heading = csv_rows(s)
    rows[2][1] = "DONC"
    return "leeds.csv", csv_bytes(rows)


@bad(
    1,
    "The file doncaster.xlsx is the template of the DONC return for 2006-07 Q1 (return {doncaster}), "
    "which is not your establishment's (LEEDS).",
)
def case_another_establishments_template(s: Setting) -> tuple[str, bytes]:
    return "doncaster.xlsx", spreadsheet.build_workbook(s.doncaster)


@bad(
    1,
    "The file q2.xlsx is the template of the LEEDS return for 2006-07 Q2 (return {leeds_q2}), not of this "
    "return (the LEEDS return for 2006-07 Q1 (return {leeds})).",
)
def case_another_quarters_template(s: Setting) -> tuple[str, bytes]:
    return "q2.xlsx", spreadsheet.build_workbook(s.leeds_q2)


@bad(1, "is version 0 of the template, an older version than this service takes (version 1).")
def case_an_older_template_version(s: Setting) -> tuple[str, bytes]:
    identity = spreadsheet.identity_of(s.leeds)
    return with_identity(s, spreadsheet.Identity(**{**identity.__dict__, "template_version": 0}))


@bad(1, "The return has been changed since the template leeds-return.xlsx was downloaded (last on 3 July 2006")
def case_made_before_a_change_on_the_pages(s: Setting) -> tuple[str, bytes]:
    s.change_the_return()
    return edited(s, set_cells(Lines__B2=5))


@bad(1, "The workbook leeds-return.xlsx has no sheet “Delivery”.")
def case_a_sheet_removed(s: Setting) -> tuple[str, bytes]:
    def change(workbook: Any) -> None:
        del workbook["Delivery"]

    return edited(s, change)


@bad(1, "Sheet “Lines”, cell C1 of leeds-return.xlsx holds “Started” where the template has the heading")
def case_a_heading_changed(s: Setting) -> tuple[str, bytes]:
    return edited(s, set_cells(Lines__C1="Started"))


# Tier 2: the content -------------------------------------------------------------------------------


@bad(
    2,
    "Sheet “Lines”, row 2, column A (Pathway): found “Housing”; expected one of the pathways in the list: "
    "Accommodation, Education",
)
def case_unknown_pathway(s: Setting) -> tuple[str, bytes]:
    return edited(s, set_cells(Lines__A2="Housing"))


@bad(2, "Sheet “Lines”, row 3, column B (Services running): found “2.5”; expected a whole number, like 0 or 3")
def case_not_a_whole_number(s: Setting) -> tuple[str, bytes]:
    return edited(s, set_cells(Lines__B3=2.5))


@bad(2, "Sheet “Lines”, row 4, column B (Services running): found “three”; expected a whole number, like 0 or 3")
def case_a_number_in_words(s: Setting) -> tuple[str, bytes]:
    return edited(s, set_cells(Lines__B4="three"))


@bad(2, "Sheet “Lines”, row 5, column D (Services ended): found “-1”; expected 0 or more")
def case_a_negative_figure(s: Setting) -> tuple[str, bytes]:
    return edited(s, set_cells(Lines__D5=-1))


@bad(2, "Sheet “Lines”, row 6, column B (Services running): found “10000”; expected a whole number no more than 9999")
def case_a_figure_too_big(s: Setting) -> tuple[str, bytes]:
    return edited(s, set_cells(Lines__B6=10_000))


@bad(
    2, "Sheet “Lines”, row 3, column B (Services running): found nothing; expected a whole number (0 if there are none)"
)
def case_a_missing_figure(s: Setting) -> tuple[str, bytes]:
    return edited(s, set_cells(Lines__B3=None, Lines__C3=0))


@bad(2, "Sheet “Lines”, row 2, column C (Services started): found “3”; expected at most the services running (2)")
def case_started_above_running(s: Setting) -> tuple[str, bytes]:
    return edited(s, set_cells(Lines__B2=2, Lines__C2=3))


@bad(2, "Sheet “Lines”, row 2, column E (Spend (£)): found “about £300”; expected an amount in pounds")
def case_spend_not_an_amount(s: Setting) -> tuple[str, bytes]:
    return edited(s, set_cells(Lines__E2="about £300"))


@bad(
    2,
    "Sheet “Lines”, row 3, column A (Pathway): found “accommodation”; expected each pathway once: Accommodation is already on row 2",
)
def case_a_pathway_twice(s: Setting) -> tuple[str, bytes]:
    return edited(s, set_cells(Lines__A3="accommodation"))


@bad(
    2,
    "Sheet “Lines”, row 9, column B (Total services running): found “8”; expected the sum of the pathways "
    "above (7), or nothing",
)
def case_a_total_that_does_not_add_up(s: Setting) -> tuple[str, bytes]:
    # Every pathway has 1 running (fill_every_pathway gives 0; these seven 1s give 7).
    cells = {f"Lines__B{row}": 1 for row in range(2, 9)}
    return edited(s, set_cells(**cells, Lines__B9=8))


@bad(
    2,
    "Sheet “Lines”, row 9, column E (Total spend (£)): found “1500”; expected the sum of the pathways above "
    "(1250.50), or nothing",
)
def case_a_spend_total_that_does_not_add_up(s: Setting) -> tuple[str, bytes]:
    return edited(s, set_cells(Lines__E2=1000, Lines__E3=250.5, Lines__E9=1500))


@bad(
    2,
    "Sheet “Delivery”, row 2, column B (Organisation): found “Leeds Tenants Forum”; expected an organisation "
    "listed on the Organisations sheet",
)
def case_an_organisation_missing_from_the_organisations_sheet(s: Setting) -> tuple[str, bytes]:
    return edited(s, set_cells(Delivery__A2="Accommodation", Delivery__B2="Leeds Tenants Forum"))


@bad(2, "Sheet “Delivery”, row 2, column A (Pathway): found “Housing”; expected one of the pathways in the list")
def case_an_unknown_pathway_on_delivery(s: Setting) -> tuple[str, bytes]:
    return edited(
        s,
        set_cells(Delivery__A2="Housing", Delivery__B2="Acorn Housing Trust", Organisations__A2="Acorn Housing Trust"),
    )


@bad(2, "Sheet “Delivery”, row 2, column B (Organisation): found nothing; expected both a pathway and an organisation")
def case_a_delivery_row_half_filled(s: Setting) -> tuple[str, bytes]:
    return edited(s, set_cells(Delivery__A2="Health"))


@bad(
    2,
    "Sheet “Delivery”, row 2, column A (Pathway): found “Health”; expected a pathway with its figures on the "
    "Lines sheet (Health has none there)",
)
def case_delivery_on_a_pathway_left_blank(s: Setting) -> tuple[str, bytes]:
    return edited(
        s,
        set_cells(
            Lines__B4=None,
            Lines__C4=None,
            Lines__D4=None,
            Delivery__A2="Health",
            Delivery__B2="Acorn Housing Trust",
            Organisations__A2="Acorn Housing Trust",
        ),
    )


@bad(
    2,
    "Sheet “Organisations”, row 2, column B (Sector): found nothing; expected the sector of Leeds Tenants Forum, "
    "which is not in the directory: Voluntary and community or Private",
)
def case_a_new_organisation_without_its_sector(s: Setting) -> tuple[str, bytes]:
    return edited(
        s,
        set_cells(
            Delivery__A2="Accommodation", Delivery__B2="Leeds Tenants Forum", Organisations__A2="Leeds Tenants Forum"
        ),
    )


@bad(2, "Sheet “Organisations”, row 2, column B (Sector): found “Charity”; expected Voluntary and community or Private")
def case_a_sector_not_in_the_list(s: Setting) -> tuple[str, bytes]:
    return edited(s, set_cells(Organisations__A2="Leeds Tenants Forum", Organisations__B2="Charity"))


@bad(2, "Sheet “Organisations”, row 2, column A (Organisation): found “")
def case_an_organisation_name_too_long(s: Setting) -> tuple[str, bytes]:
    return edited(s, set_cells(Organisations__A2="Leeds " * 40, Organisations__B2="Private"))


@bad(
    2,
    "Sheet “Establishment”, row 2, column B (VCS co-ordinator post): found “Half time”; expected one of: "
    "No co-ordinator post, Part time, Full time",
)
def case_a_post_not_in_the_list(s: Setting) -> tuple[str, bytes]:
    return edited(s, set_cells(Establishment__B2="Half time"))


@bad(
    2,
    "Sheet “Establishment”, row 3, column B (FTE of a part-time post): found “1.5”; expected the FTE of "
    "the part-time post as a number between 0 and 1, like 0.5",
)
def case_a_part_time_fte_above_one(s: Setting) -> tuple[str, bytes]:
    return edited(s, set_cells(Establishment__B2="Part time", Establishment__B3=1.5))


@bad(
    2,
    "Sheet “Area contracts”, row 2, column A (Area-wide contract): found “ROM-9999 Visitors centre”; expected an "
    "area-wide contract of the region",
)
def case_an_unknown_area_contract(s: Setting) -> tuple[str, bytes]:
    return edited(s, set_cells(Area_contracts__A2="ROM-9999 Visitors centre"))


@bad(
    2,
    "Row 12, column G (Organisations): found “Leeds Tenants Forum”; expected an organisation in the directory, "
    "one already proposed on this pathway, or a new one listed with its sector",
)
def case_csv_organisation_not_in_the_directory(s: Setting) -> tuple[str, bytes]:
    rows, heading = csv_rows(s)
    rows[heading + 1][6] = "Acorn Housing Trust; Leeds Tenants Forum"
    return "leeds.csv", csv_bytes(rows)


@bad(2, "Row 13, column C (Services started): found “1.5”; expected a whole number, like 0 or 3")
def case_csv_not_a_whole_number(s: Setting) -> tuple[str, bytes]:
    rows, heading = csv_rows(s)
    rows[heading + 2][1:4] = ["3", "1.5", "0"]
    return "leeds.csv", csv_bytes(rows)


@bad(2, "Row 19, column B (Total services running): found “4”; expected the sum of the pathways above (3), or nothing")
def case_csv_total_that_does_not_add_up(s: Setting) -> tuple[str, bytes]:
    rows, heading = csv_rows(s)
    rows[heading + 1][1] = "3"
    rows[heading + 8][1] = "4"
    return "leeds.csv", csv_bytes(rows)


@bad(
    2,
    "3 figures that are not whole numbers",
    "1 unknown pathway",
    "1 pathway with more services started than running",
)
def case_several_problems_counted_by_kind(s: Setting) -> tuple[str, bytes]:
    return edited(
        s,
        set_cells(Lines__B3=1.5, Lines__B4="two", Lines__D5=-3, Lines__A6="Housing", Lines__B7=0, Lines__C7=2),
    )
