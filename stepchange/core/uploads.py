"""Every uploaded spreadsheet passes ``check_upload`` before anything else reads it.

An upload is hostile until checked. In this order, each step cheap before the next costly one:

1. its size, from what the upload says and then by reading at most one byte past the limit;
2. its type, from its first bytes, never from its name: an XLSX is a zip holding
   ``[Content_Types].xml`` and ``xl/workbook.xml``; a CSV is UTF-8 text without NUL bytes;
3. for an XLSX, the zip's central directory only (``ZipFile.infolist()``, nothing extracted): too
   many parts, too many sheets, a total expanded size or a compression ratio past its limit (a zip
   bomb) are refused before a single part is inflated. Python's zipfile never inflates a part past
   the size its directory declares, so the declared sizes checked here are a real bound;
4. then the zip proved honest (``core.zip_checks``: the same names, sizes and checksums for every
   reader, no paths out of it) and free of what could act on its reader (``core.active_content``:
   links to other workbooks, macros, embedded objects, links that are not web addresses);
5. only then its rows and cells: the rows counted with python-calamine (compiled; every cell found
   decides, never the sheet's own ``<dimension>``, which may lie), too many refused; and where the
   caller does not take formulas, the worksheets' XML searched for a formula element, and only if
   one is there the sheets read with openpyxl (read-only, through defusedxml) to name the sheet
   and cell of the first formula.

A refusal raises ``UploadRefused`` with a message a person can act on, naming what was expected.
Nothing is stored here. The file's name is never used to build a path; ``display_name`` keeps a
cleaned copy for messages only.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from stepchange.core.active_content import ActiveContent, check_active_content
from stepchange.core.zip_checks import ZipLies, check_zip

MEGABYTE = 1024 * 1024

# A legitimate quarterly return is a few hundred kilobytes; these leave generous room.
MAX_BYTES = 5 * MEGABYTE
MAX_ROWS = 20_000
# A CSV cell may be as long as the file holding it: the file is capped and read whole before the
# csv module sees it, so its own per-cell limit (131,072 characters) guards nothing, and it refused
# the download of a national return, whose cells list thousands of names, when uploaded again.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
MAX_SHEETS = 50
MAX_EXPANDED_BYTES = 100 * MEGABYTE
# Worksheet XML of repetitive rows compresses well, but not a thousand to one as a run of zeros does.
MAX_RATIO = 200
# Parts smaller than this may compress absurdly well (an empty sheet) without being a bomb.
RATIO_APPLIES_FROM = MEGABYTE
MAX_PARTS = 2_000

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the older .xls format
XLSX_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
SHEET_PART = re.compile(r"^xl/(worksheets|chartsheets|dialogsheets|macrosheets)/[^/]+\.xml$")

KIND_NAMES = {"xlsx": "an Excel workbook (.xlsx)", "csv": "a CSV file (.csv)"}


class UploadRefused(ValueError):
    """The upload cannot be taken; ``str()`` is the message to show its sender."""


@dataclass(frozen=True)
class CheckedUpload:
    kind: str  # "xlsx" or "csv"
    size: int
    display_name: str
    sheets: int
    rows: int


def display_name(name: Any) -> str:
    """The file's own name cut down to something safe to show: no folders, no control
    characters, no leading dots, at most 100 characters. Never to be used as a path."""
    text = unicodedata.normalize("NFKC", str(name or ""))
    text = re.split(r"[\\/]", text)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] not in {"C", "Z"} or ch == " ")
    text = re.sub(r"[^\w .()\-]", "_", text).strip(" .")
    return text[:100] or "upload"


def _expected(allowed: Iterable[str]) -> str:
    names = [KIND_NAMES[kind] for kind in allowed]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _megabytes(size: int) -> str:
    return f"{size / MEGABYTE:.0f} MB" if size >= MEGABYTE else f"{size // 1024} KB"


def _declared_size(uploaded_file: Any) -> int | None:
    size = getattr(uploaded_file, "size", None)
    return size if isinstance(size, int) else None


def _read_capped(uploaded_file: IO[bytes], max_bytes: int) -> bytes:
    """The whole file, reading never more than one byte past the limit, whatever its size claims."""
    uploaded_file.seek(0)
    data = uploaded_file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRefused(f"The file is larger than {_megabytes(max_bytes)}. Upload a file of at most that size.")
    return data


def check_upload(
    uploaded_file: Any,
    *,
    allowed: tuple[str, ...] = ("xlsx", "csv"),
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    max_sheets: int = MAX_SHEETS,
    max_expanded_bytes: int = MAX_EXPANDED_BYTES,
    max_ratio: int = MAX_RATIO,
    formulas_allowed: bool = True,
) -> CheckedUpload:
    """Check an uploaded file (Django's ``UploadedFile`` or any seekable binary file) and say
    what it is; raise ``UploadRefused`` if it cannot be taken. The file is left at its start."""
    unknown = set(allowed) - set(KIND_NAMES)
    if unknown or not allowed:
        raise ValueError(f"allowed must name some of {sorted(KIND_NAMES)}, not {sorted(unknown)}")
    expected = _expected(allowed)
    name = display_name(getattr(uploaded_file, "name", ""))

    declared = _declared_size(uploaded_file)
    if declared is not None and declared > max_bytes:
        raise UploadRefused(
            f"The file {name} is {_megabytes(declared)}; the limit is {_megabytes(max_bytes)}. "
            f"Upload {expected} of at most that size."
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(8)
    if not head:
        raise UploadRefused(f"The file {name} is empty. Upload {expected}.")

    try:
        if head.startswith(ZIP_MAGIC):
            if "xlsx" not in allowed:
                raise UploadRefused(f"The file {name} is an Excel workbook or another zip file. Upload {expected}.")
            size, sheets, rows = _check_xlsx(
                uploaded_file,
                name=name,
                max_bytes=max_bytes,
                max_rows=max_rows,
                max_sheets=max_sheets,
                max_expanded_bytes=max_expanded_bytes,
                max_ratio=max_ratio,
                formulas_allowed=formulas_allowed,
            )
            return CheckedUpload(kind="xlsx", size=size, display_name=name, sheets=sheets, rows=rows)
        if head.startswith(OLE2_MAGIC):
            raise UploadRefused(
                f"The file {name} is in the older Excel format (.xls). Save it as {expected} and upload that."
            )
        if "csv" not in allowed:
            raise UploadRefused(f"The file {name} is not {expected}. Save it in that format and upload it again.")
        data = _read_capped(uploaded_file, max_bytes)
        rows = _check_csv(data, name=name, expected=expected, max_rows=max_rows, formulas_allowed=formulas_allowed)
        return CheckedUpload(kind="csv", size=len(data), display_name=name, sheets=1, rows=rows)
    finally:
        uploaded_file.seek(0)


# XLSX ---------------------------------------------------------------------------------------------


def _check_xlsx(
    uploaded_file: Any,
    *,
    name: str,
    max_bytes: int,
    max_rows: int,
    max_sheets: int,
    max_expanded_bytes: int,
    max_ratio: int,
    formulas_allowed: bool,
) -> tuple[int, int, int]:
    not_a_workbook = f"The file {name} is not an Excel workbook (.xlsx): it may be damaged. Save it again as .xlsx."
    uploaded_file.seek(0, io.SEEK_END)
    size = uploaded_file.tell()
    if size > max_bytes:
        raise UploadRefused(f"The file {name} is larger than {_megabytes(max_bytes)}. Upload a smaller workbook.")
    uploaded_file.seek(0)
    try:
        # Reads the end record and the central directory only; no part is inflated here.
        archive = zipfile.ZipFile(uploaded_file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise UploadRefused(not_a_workbook) from None
    with archive:
        parts = archive.infolist()
        names = {part.filename for part in parts}
        if not all(required in names for required in XLSX_REQUIRED_PARTS):
            raise UploadRefused(f"The file {name} is a zip file, not an Excel workbook (.xlsx). Upload the workbook.")
        sheets = sum(1 for part in parts if SHEET_PART.match(part.filename))
        if sheets > max_sheets:
            raise UploadRefused(
                f"The workbook {name} has {sheets:,} sheets; at most {max_sheets} are expected. "
                "Remove the sheets you do not need and upload it again."
            )
        if len(parts) > MAX_PARTS:
            raise UploadRefused(
                f"The workbook {name} holds {len(parts):,} parts, far more than a spreadsheet has. "
                "Upload the workbook as Excel saved it."
            )
        _check_zip_directory(
            parts,
            what=f"The workbook {name}",
            damaged=not_a_workbook,
            real="a real spreadsheet",
            save_again="Save it again from Excel and upload that copy.",
            size=size,
            max_expanded_bytes=max_expanded_bytes,
            max_ratio=max_ratio,
        )
        uploaded_file.seek(0)
        _check_zip_content(
            uploaded_file.read(size),
            archive,
            kind="xlsx",
            what=f"The workbook {name}",
            save_again="Save it again from Excel and upload that copy.",
            worksheets=False,
        )
        rows = _count_rows(uploaded_file, name=name, max_rows=max_rows)
        if not formulas_allowed and _may_hold_formula(archive, parts):
            # Rare, and refused: openpyxl finds the first formula's sheet and cell for the message.
            _scan_workbook(uploaded_file, name=name, max_rows=max_rows, formulas_allowed=False)
    return size, sheets, rows


def _check_zip_directory(
    parts: list[zipfile.ZipInfo],
    *,
    what: str,
    damaged: str,
    real: str,
    save_again: str,
    size: int,
    max_expanded_bytes: int,
    max_ratio: int,
) -> None:
    """Refuse a zip bomb, an encrypted part or an unknown compression from the central directory
    alone: nothing is inflated. ``what`` names the file in the messages ("The workbook x.xlsx")."""
    expanded = 0
    for part in parts:
        if part.flag_bits & 0x1:
            raise UploadRefused(f"{what} is password-protected. Remove the password and upload it.")
        if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UploadRefused(damaged)
        expanded += part.file_size
        ratio = part.file_size / max(part.compress_size, 1)
        if expanded > max_expanded_bytes or (part.file_size >= RATIO_APPLIES_FROM and ratio > max_ratio):
            raise UploadRefused(
                f"{what} would expand to far more than its size on disk ({_megabytes(size)}), "
                f"which {real} does not. {save_again}"
            )


def _check_zip_content(
    data: bytes, archive: zipfile.ZipFile, *, kind: str, what: str, save_again: str, worksheets: bool = True
) -> None:
    """Refuse a zip that reads differently to different programs, or that holds what could act on
    the person who opens it (macros, links out, formulas); ``what`` names the file in the messages."""
    try:
        check_zip(data, archive)
        check_active_content(data, archive, kind, worksheets=worksheets)
    except ZipLies as lie:
        raise UploadRefused(f"{what} is damaged or has been altered: {lie}. {save_again}") from None
    except ActiveContent as found:
        raise UploadRefused(f"{what} holds {found}. Then upload it again.") from None


# A cell's formula element in a worksheet's XML (``<f>``, ``<f t="shared" …/>``, with or without a
# namespace prefix). Cell text is escaped in the XML (``&lt;f>``), so text can never look like one.
FORMULA_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


def _may_hold_formula(archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo]) -> bool:
    """Whether any worksheet's XML holds a formula element: one pass over the bytes, no parsing."""
    return any(SHEET_PART.match(part.filename) and FORMULA_ELEMENT.search(archive.read(part)) for part in parts)


def _count_rows(uploaded_file: Any, *, name: str, max_rows: int) -> int:
    """The rows of every worksheet, each counted from its first row to its last holding a cell, read
    with python-calamine (compiled, several times faster than openpyxl's pure-Python reading). The
    cells found decide, never the sheet's own ``<dimension>``, which may lie."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    uploaded_file.seek(0)
    unreadable = f"The file {name} could not be read as an Excel workbook (.xlsx). Save it again as .xlsx."
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(uploaded_file.read()))
    except Exception:  # calamine's errors are many kinds; all mean the same to the sender
        raise UploadRefused(unreadable) from None
    rows = 0
    try:
        for sheet in workbook.sheets_metadata:
            if sheet.typ != SheetTypeEnum.WorkSheet:
                continue
            end = workbook.get_sheet_by_name(sheet.name).end
            rows += 0 if end is None else end[0] + 1
            if rows > max_rows:
                raise UploadRefused(
                    f"The workbook {name} has more than {max_rows:,} rows. Split it, or remove empty rows."
                )
    except UploadRefused:
        raise
    except Exception:
        raise UploadRefused(unreadable) from None
    finally:
        workbook.close()
    return rows


def _scan_workbook(uploaded_file: Any, *, name: str, max_rows: int, formulas_allowed: bool) -> int:
    """Stream every cell once: count the rows, and find the first formula if formulas are refused."""
    from openpyxl import load_workbook

    uploaded_file.seek(0)
    try:
        workbook = load_workbook(uploaded_file, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged file; all mean the same to the sender
        raise UploadRefused(
            f"The file {name} could not be read as an Excel workbook (.xlsx). Save it again as .xlsx."
        ) from None
    rows = 0
    try:
        for sheet in workbook.worksheets:
            # Read-only openpyxl trusts the sheet's own <dimension>: a sheet that claims "A1:A1" would
            # show one row of one cell however many it holds. Forget it, so every row and every cell
            # the sheet really has is counted and looked at; the count stops one row past the limit.
            sheet.reset_dimensions()
            for row in sheet.iter_rows():
                rows += 1
                if rows > max_rows:
                    raise UploadRefused(
                        f"The workbook {name} has more than {max_rows:,} rows. Split it, or remove empty rows."
                    )
                if formulas_allowed:
                    continue
                for cell in row:
                    if getattr(cell, "data_type", None) == "f":
                        raise UploadRefused(
                            f"Sheet “{sheet.title}”, cell {cell.coordinate} holds a formula. "
                            "Enter the value itself (copy the cells and paste them as values), then upload again."
                        )
    except UploadRefused:
        raise
    except Exception:
        raise UploadRefused(
            f"The file {name} could not be read as an Excel workbook (.xlsx). Save it again as .xlsx."
        ) from None
    finally:
        workbook.close()
    return rows


# CSV ----------------------------------------------------------------------------------------------

NUMBER = re.compile(r"^[+-]?(\d[\d,]*)?(\.\d+)?$")


def _is_formula(cell: str) -> bool:
    """What a spreadsheet would run: ``=…``, ``@…``, ``+…``/``-…`` unless it is just a number, and
    anything after a leading tab or carriage return (which some spreadsheets skip)."""
    if cell.startswith(("=", "@", "\t", "\r")):
        return True
    return cell.startswith(("+", "-")) and not NUMBER.match(cell.strip())


def _check_csv(data: bytes, *, name: str, expected: str, max_rows: int, formulas_allowed: bool) -> int:
    if b"\x00" in data:
        raise UploadRefused(f"The file {name} is not {expected}: it holds binary data. Save it as CSV and upload it.")
    try:
        text = codecs.decode(data, "utf-8-sig")
    except UnicodeDecodeError as bad:
        raise UploadRefused(
            f"The file {name} is not {expected}: it is not UTF-8 text (byte {bad.start + 1:,}). "
            "In Excel, save it as “CSV UTF-8” and upload that."
        ) from None
    rows = 0
    try:
        for line_number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            rows += 1
            if rows > max_rows:
                raise UploadRefused(f"The file {name} has more than {max_rows:,} rows. Split it into smaller files.")
            if formulas_allowed:
                continue
            for column, cell in enumerate(row, start=1):
                if _is_formula(cell):
                    raise UploadRefused(
                        f"Row {line_number}, column {column} of {name} holds a formula ({cell[:40]!r}). "
                        "Enter the value itself, then upload again."
                    )
    except csv.Error as bad:
        raise UploadRefused(f"The file {name} is not a valid CSV file: {bad}. Save it as CSV and upload it.") from None
    return rows


# Documents ----------------------------------------------------------------------------------------
#
# The documents of a tender (specification, terms, a bid's method statement, ...) are kept as sent,
# so what is checked is what they are and whether they could act on their reader, never what they
# say: a PDF starts ``%PDF-``; a Word, Excel or OpenDocument file is a zip whose central directory
# names that format's own parts, which reads the same to every program (``core.zip_checks``) and
# holds no formulas, macros, embedded objects or links out (``core.active_content``); plain text and
# CSV are UTF-8 without a NUL byte, and a .csv has no cell a spreadsheet would run. The same size cap
# and zip-bomb checks as above.

DOCUMENT_TYPES = {
    "pdf": ("application/pdf", "pdf", "PDF"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word document"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel workbook"),
    "odt": ("application/vnd.oasis.opendocument.text", "odt", "OpenDocument text"),
    "text": ("text/plain; charset=utf-8", "txt", "Text"),
}
DOCUMENTS_EXPECTED = (
    "a PDF, a Word document (.docx), an Excel workbook (.xlsx), an OpenDocument text (.odt), "
    "or plain text or CSV saved as UTF-8"
)
PDF_MAGIC = b"%PDF-"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
DOCX_REQUIRED_PARTS = ("[Content_Types].xml", "word/document.xml")
ODT_REQUIRED_PARTS = ("mimetype", "content.xml")


@dataclass(frozen=True)
class CheckedDocument:
    kind: str  # a key of DOCUMENT_TYPES
    content_type: str
    size: int
    display_name: str
    content: bytes
    sha256: str

    @property
    def kind_label(self) -> str:
        return DOCUMENT_TYPES[self.kind][2]


def document_kind_label(kind: str) -> str:
    return DOCUMENT_TYPES[kind][2] if kind in DOCUMENT_TYPES else kind


def download_name(stored_name: str, kind: str) -> str:
    """The name a stored document is downloaded under: the cleaned name sent, its extension
    replaced by the one its content proved (a text file keeps .csv or .txt)."""
    name = display_name(stored_name)
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        stem, extension = name, ""
    wanted = DOCUMENT_TYPES[kind][1] if kind in DOCUMENT_TYPES else "bin"
    if kind == "text" and extension.lower() in ("csv", "txt"):
        wanted = extension.lower()
    return f"{stem}.{wanted}"


def check_document(uploaded_file: Any, *, max_bytes: int = MAX_BYTES) -> CheckedDocument:
    """Check a document (Django's ``UploadedFile`` or any seekable binary file) and return its
    bytes with what it is; raise ``UploadRefused`` saying what was expected if it cannot be taken."""
    import hashlib

    name = display_name(getattr(uploaded_file, "name", ""))
    declared = _declared_size(uploaded_file)
    if declared is not None and declared > max_bytes:
        raise UploadRefused(
            f"The file {name} is {_megabytes(declared)}; the limit is {_megabytes(max_bytes)}. "
            f"Upload {DOCUMENTS_EXPECTED}, of at most that size."
        )
    try:
        data = _read_capped(uploaded_file, max_bytes)
    finally:
        uploaded_file.seek(0)
    if not data:
        raise UploadRefused(f"The file {name} is empty. Upload {DOCUMENTS_EXPECTED}.")
    if data.startswith(PDF_MAGIC):
        kind = "pdf"
    elif data.startswith(ZIP_MAGIC):
        kind = _zip_document_kind(data, name=name)
    elif data.startswith(OLE2_MAGIC):
        raise UploadRefused(
            f"The file {name} is in an older Office format (.doc or .xls). Save it as a PDF, "
            ".docx or .xlsx and upload that."
        )
    else:
        _check_text(data, name=name)
        kind = "text"
    return CheckedDocument(
        kind=kind,
        content_type=DOCUMENT_TYPES[kind][0],
        size=len(data),
        display_name=name,
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _zip_document_kind(data: bytes, *, name: str) -> str:
    damaged = (
        f"The file {name} is a damaged or unknown zip file, not {DOCUMENTS_EXPECTED}. Save it again and upload it."
    )
    try:
        # Reads the end record and the central directory only; no part is inflated.
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise UploadRefused(damaged) from None
    with archive:
        kind = _document_kind_of_zip(data, archive, name=name, damaged=damaged)
    return kind


def _document_kind_of_zip(data: bytes, archive: zipfile.ZipFile, *, name: str, damaged: str) -> str:
    parts = archive.infolist()
    names = {part.filename for part in parts}
    # An OpenDocument file starts with its stored ``mimetype`` part: the type is in the first bytes.
    if data[30:38] == b"mimetype" and data[38 : 38 + len(ODT_MIMETYPE)] == ODT_MIMETYPE:
        kind, required = "odt", ODT_REQUIRED_PARTS
    elif all(part in names for part in DOCX_REQUIRED_PARTS):
        kind, required = "docx", DOCX_REQUIRED_PARTS
    elif all(part in names for part in XLSX_REQUIRED_PARTS):
        kind, required = "xlsx", XLSX_REQUIRED_PARTS
    else:
        raise UploadRefused(f"The file {name} is a zip file, not {DOCUMENTS_EXPECTED}. Upload the document itself.")
    if not all(part in names for part in required):
        raise UploadRefused(damaged)
    what = f"The {DOCUMENT_TYPES[kind][2].lower()} {name}" if kind != "odt" else f"The OpenDocument text {name}"
    if len(parts) > MAX_PARTS:
        raise UploadRefused(f"{what} holds {len(parts):,} parts, far more than a document has. Save it again.")
    _check_zip_directory(
        parts,
        what=what,
        damaged=damaged,
        real="a real document",
        save_again="Save it again and upload that copy.",
        size=len(data),
        max_expanded_bytes=MAX_EXPANDED_BYTES,
        max_ratio=MAX_RATIO,
    )
    # Macros, links out, formulas: a document here is read, never run.
    _check_zip_content(data, archive, kind=kind, what=what, save_again="Save it again and upload that copy.")
    return kind


def _check_text(data: bytes, *, name: str) -> None:
    if b"\x00" in data:
        raise UploadRefused(
            f"The file {name} is not {DOCUMENTS_EXPECTED}: it holds binary data of another kind. "
            "Save it as a PDF and upload that."
        )
    try:
        text = codecs.decode(data, "utf-8-sig")
    except UnicodeDecodeError as bad:
        raise UploadRefused(
            f"The file {name} is not {DOCUMENTS_EXPECTED}: as text, it is not UTF-8 (byte {bad.start + 1:,}). "
            "Save it as a PDF, or as text in UTF-8, and upload that."
        ) from None
    if download_name(name, "text").endswith(".csv"):
        _check_csv_document(text, name=name)


_STARTS_NAMED = {"\t": "a tab", "\r": "a carriage return"}


def _check_csv_document(text: str, *, name: str) -> None:
    """A CSV document is downloaded as .csv and opened in a spreadsheet: refuse a cell it would run.

    Refused rather than changed: the document is kept exactly as sent (a bid's is sealed with its
    checksum), and the sender can put an apostrophe before the cell to keep it as text."""
    try:
        for line_number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            for column, cell in enumerate(row, start=1):
                if _is_formula(cell):
                    start = _STARTS_NAMED.get(cell[0], f"“{cell[0]}”")
                    raise UploadRefused(
                        f"Row {line_number}, column {column} of {name} starts with {start}, so a spreadsheet "
                        f"would run it as a formula ({cell[:40]!r}). Put an apostrophe (') before it, or remove "
                        "it, then upload again."
                    )
    except csv.Error as bad:
        raise UploadRefused(f"The file {name} is not a valid CSV file: {bad}. Save it as CSV and upload it.") from None
