"""Uploads are checked before anything reads them: real files, built here, refused or taken.

Quarterly returns will be uploaded as XLSX or CSV; every upload page calls ``check_upload`` first.
The hostile files are made for real: a zip bomb of zeros, a workbook of 5,000 sheets written part
by part, a PNG named .xlsx. The bombs must be refused from the zip's directory alone: the tests
count the bytes read and the memory used, which a slow or greedy check could not hide.
"""

from __future__ import annotations

import io
import re
import struct
import tracemalloc
import zipfile
import zlib
from collections.abc import Sequence
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from stepchange.core.uploads import CheckedUpload, UploadRefused, check_upload, display_name
from tests.hostile.tally import Tally

MB = 1024 * 1024


class CountingFile(io.BytesIO):
    """A file that remembers how many bytes were read from it."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name
        self.size = len(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def workbook_bytes(rows: Sequence[Sequence[object]], *, title: str = "Q1 2006-07") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


A_RETURN: list[list[object]] = [
    ["Pathway", "Organisation", "Services running", "Spend"],
    ["Accommodation", "Acorn Housing Trust", 3, 12500.50],
    ["ETE", "Beacon Services Ltd", 1, 8000],
]

MINIMAL_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/></Types>'
    ),
    "xl/workbook.xml": '<?xml version="1.0"?><workbook/>',
}


def zip_bomb(expanded: int) -> bytes:
    """A workbook-shaped zip whose one sheet inflates ``expanded`` bytes of zeros (about 1,000 to 1)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in MINIMAL_PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            zeros = bytes(MB)
            for _ in range(expanded // MB):
                part.write(zeros)
    return out.getvalue()


def workbook_of_many_sheets(count: int) -> bytes:
    """A workbook of ``count`` sheets, written part by part (openpyxl would take minutes)."""
    sheets = "".join(f'<sheet name="S{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, count + 1))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", MINIMAL_PARTS["[Content_Types].xml"])
        archive.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"<sheets>{sheets}</sheets></workbook>",
        )
        empty = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
        for n in range(1, count + 1):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", empty)
    return out.getvalue()


def png_bytes() -> bytes:
    """A real 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def refused(upload: object, **limits: Any) -> str:
    with pytest.raises(UploadRefused) as caught:
        check_upload(upload, **limits)
    return str(caught.value)


# What is taken ------------------------------------------------------------------------------------


def test_franks_quarterly_return_as_a_workbook_is_taken_and_left_ready_to_read() -> None:
    content = workbook_bytes(A_RETURN)
    upload = SimpleUploadedFile("HMP Leeds Q1.xlsx", content)

    checked = check_upload(upload)

    assert checked == CheckedUpload(kind="xlsx", size=len(content), display_name="HMP Leeds Q1.xlsx", sheets=1, rows=3)
    assert upload.tell() == 0


def test_the_same_return_as_utf8_csv_with_a_bom_and_pound_signs_is_taken() -> None:
    text = "\ufeffPathway,Organisation,Spend\r\nAccommodation,Acorn Housing Trust,£12500\r\nETE,Beacon,-250\r\n"
    checked = check_upload(SimpleUploadedFile("return.csv", text.encode()), formulas_allowed=False)

    assert (checked.kind, checked.rows) == ("csv", 3)


def test_the_type_comes_from_the_content_so_a_csv_named_xlsx_is_a_csv() -> None:
    checked = check_upload(SimpleUploadedFile("return.xlsx", b"Pathway,Spend\nHealth,100\n"))

    assert checked.kind == "csv"


# Refused: size, type, emptiness --------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_a_byte_is_read() -> None:
    upload = CountingFile(b"a,b\n" * 300_000, "huge.csv")

    message = refused(upload, max_bytes=1 * MB)

    assert "the limit is 1 MB" in message
    assert upload.bytes_read == 0


def test_a_file_that_hides_its_size_is_read_only_to_one_byte_past_the_limit() -> None:
    upload = CountingFile(b"a,b\n" * 300_000, "huge.csv")
    del upload.size

    message = refused(upload, max_bytes=1 * MB)

    assert "larger than 1 MB" in message
    assert upload.bytes_read <= 1 * MB + 1 + 8


def test_an_empty_file_is_refused_saying_what_was_expected() -> None:
    message = refused(SimpleUploadedFile("return.xlsx", b""))

    assert message == "The file return.xlsx is empty. Upload an Excel workbook (.xlsx) or a CSV file (.csv)."


def test_a_png_named_xlsx_is_refused_as_not_a_spreadsheet() -> None:
    message = refused(SimpleUploadedFile("return.xlsx", png_bytes()), allowed=("xlsx",))

    assert "is not an Excel workbook (.xlsx)" in message


def test_a_png_is_not_taken_for_a_csv_either() -> None:
    message = refused(SimpleUploadedFile("return.csv", png_bytes()))

    assert "not an Excel workbook (.xlsx) or a CSV file (.csv)" in message


def test_a_csv_with_nul_bytes_is_refused_as_binary() -> None:
    message = refused(SimpleUploadedFile("return.csv", b"Pathway,Spend\nHealth,1\x0000\n"))

    assert "holds binary data" in message


def test_a_csv_saved_in_an_old_windows_encoding_is_refused_with_the_way_to_fix_it() -> None:
    message = refused(SimpleUploadedFile("return.csv", "Spend\n£100\n".encode("cp1252")))

    assert "not UTF-8 text (byte 7)" in message
    assert "CSV UTF-8" in message


def test_a_csv_when_only_a_workbook_is_expected_is_refused() -> None:
    message = refused(SimpleUploadedFile("return.csv", b"a,b\n"), allowed=("xlsx",))

    assert message == (
        "The file return.csv is not an Excel workbook (.xlsx). Save it in that format and upload it again."
    )


def test_an_old_xls_workbook_is_refused_with_the_format_to_save_it_in() -> None:
    old_excel = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)

    assert "older Excel format (.xls)" in refused(SimpleUploadedFile("return.xls", old_excel))


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")

    assert "a zip file, not an Excel workbook" in refused(SimpleUploadedFile("return.xlsx", out.getvalue()))


def test_a_truncated_workbook_is_refused_as_damaged() -> None:
    whole = workbook_bytes(A_RETURN)

    assert "damaged" in refused(SimpleUploadedFile("return.xlsx", whole[: len(whole) // 2]))


# Refused: bombs, from the directory alone -----------------------------------------------------


def test_a_zip_bomb_is_refused_from_its_directory_without_inflating_it() -> None:
    bomb = zip_bomb(64 * MB)
    upload = CountingFile(bomb, "bomb.xlsx")
    assert len(bomb) < MB  # 64 MB of zeros squeezed a thousand to one

    tracemalloc.start()
    try:
        message = refused(upload)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert "would expand to far more than its size on disk" in message
    # The end record and the central directory, a few hundred bytes; never the compressed sheet.
    assert upload.bytes_read < 4096
    assert peak < 2 * MB  # against 64 MB had it been inflated


def test_a_workbook_expanding_past_the_total_limit_is_refused_even_at_an_innocent_ratio() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, text in MINIMAL_PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/media/image1.bin", bytes(3 * MB))

    message = refused(SimpleUploadedFile("big.xlsx", out.getvalue()), max_expanded_bytes=2 * MB)

    assert "would expand to far more" in message


def test_a_workbook_of_five_thousand_sheets_is_refused_from_its_directory_alone() -> None:
    """What it reads and holds is measured, not how long it takes (a loaded machine says nothing)."""
    upload = CountingFile(workbook_of_many_sheets(5000), "sheets.xlsx")

    tracemalloc.start()
    try:
        message = refused(upload)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert message == (
        "The workbook sheets.xlsx has 5,000 sheets; at most 50 are expected. "
        "Remove the sheets you do not need and upload it again."
    )
    # Only the directory (about 70 bytes an entry) was read, not the sheets themselves.
    directory = sum(46 + len(info.filename) for info in zipfile.ZipFile(io.BytesIO(upload.getvalue())).infolist())
    assert upload.bytes_read < directory + 4096
    assert peak < 8 * MB


def test_too_many_rows_are_refused() -> None:
    rows: list[list[object]] = [["Pathway", "Spend"], *(["Health", n] for n in range(30))]

    message = refused(SimpleUploadedFile("long.xlsx", workbook_bytes(rows)), max_rows=20)

    assert message == "The workbook long.xlsx has more than 20 rows. Split it, or remove empty rows."


def with_dimension(content: bytes, ref: str) -> bytes:
    """The same workbook with its sheet's ``<dimension>`` claiming ``ref``, whatever the sheet holds."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, found = re.subn(rb'<dimension ref="[^"]*" ?/>', f'<dimension ref="{ref}"/>'.encode(), data)
                assert found == 1
            target.writestr(item, data)
    return out.getvalue()


def test_a_sheet_whose_dimension_claims_fewer_rows_than_it_holds_is_still_refused_past_the_limit() -> None:
    rows: list[list[object]] = [["Pathway", "Spend"], *(["Health", n] for n in range(30))]
    lying = with_dimension(workbook_bytes(rows), "A1:B2")

    message = refused(SimpleUploadedFile("long.xlsx", lying), max_rows=20)

    assert message == "The workbook long.xlsx has more than 20 rows. Split it, or remove empty rows."
    assert check_upload(SimpleUploadedFile("long.xlsx", lying), max_rows=31).rows == 31


def test_a_sheet_whose_dimension_claims_fewer_columns_cannot_hide_a_formula_past_them() -> None:
    rows: list[list[object]] = [*A_RETURN, ["Total", "", "", "=SUM(D2:D3)"]]
    lying = with_dimension(workbook_bytes(rows), "A1:A1")

    message = refused(SimpleUploadedFile("return.xlsx", lying), formulas_allowed=False)

    assert message.startswith("Sheet “Q1 2006-07”, cell D4 holds a formula.")


# Formulas, where the caller takes none -----------------------------------------------------------


def test_a_workbook_with_a_formula_is_refused_naming_the_sheet_and_cell_when_formulas_are_not_taken() -> None:
    rows: list[list[object]] = [*A_RETURN, ["Total", "", "", "=SUM(D2:D3)"]]
    upload = SimpleUploadedFile("return.xlsx", workbook_bytes(rows))

    message = refused(upload, formulas_allowed=False)

    assert message.startswith("Sheet “Q1 2006-07”, cell D4 holds a formula.")
    assert check_upload(upload).rows == 4  # the same file is taken where formulas are


@pytest.mark.parametrize(
    ("cell", "is_formula"),
    [
        ('=HYPERLINK("http://example.com","x")', True),
        ("@SUM(A1)", True),
        ("+cmd|' /C calc'!A0", True),
        ("-2+3", True),
        ("-250", False),
        ("+1,000.50", False),
    ],
)
def test_a_csv_cell_a_spreadsheet_would_run_is_refused_but_a_signed_number_is_not(cell: str, is_formula: bool) -> None:
    upload = SimpleUploadedFile("return.csv", f'Organisation,Spend\nAcorn,"{cell}"\n'.encode())

    if is_formula:
        assert refused(upload, formulas_allowed=False).startswith("Row 2, column 2 of return.csv holds a formula")
    else:
        assert check_upload(upload, formulas_allowed=False).rows == 2


# Names never reach a path -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\frank\\Q1 return.xlsx", "Q1 return.xlsx"),
        ("re\x00turn.csv", "return.csv"),
        ("<img src=x onerror=alert(1)>.csv", "_img src_x onerror_alert(1)_.csv"),
        ("<script>alert(1)</script>.csv", "script_.csv"),
        ("\u202egpj.xlsx", "gpj.xlsx"),
        ("...", "upload"),
        ("", "upload"),
        ("a" * 300 + ".csv", "a" * 100),
    ],
)
def test_the_name_shown_is_a_bare_cleaned_file_name(name: str, shown: str) -> None:
    assert display_name(name) == shown


def test_a_refusal_shows_the_cleaned_name_never_the_path_sent() -> None:
    message = refused(SimpleUploadedFile("../../../var/www/<b>x</b>.csv", b""))

    assert "../" not in message and "<b>" not in message
    assert message.startswith("The file b_.csv is empty.")


# Any bytes at all ---------------------------------------------------------------------------------


@given(
    data=st.one_of(
        st.binary(max_size=2048),
        st.binary(max_size=512).map(lambda tail: b"PK\x03\x04" + tail),
        st.text(max_size=512).map(str.encode),
    ),
    name=st.text(max_size=80),
)
def test_whatever_bytes_arrive_the_answer_is_taken_or_refused_never_a_crash(
    tally: Tally, data: bytes, name: str
) -> None:
    tally.add()
    try:
        checked = check_upload(io.BytesIO(data), formulas_allowed=False)
    except UploadRefused as refusal:
        assert str(refusal)
    else:
        assert checked.kind in {"csv", "xlsx"}
    assert "/" not in display_name(name) and "\\" not in display_name(name) and "\x00" not in display_name(name)
