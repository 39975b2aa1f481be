"""Every uploaded spreadsheet passes ``check_upload`` before anything else reads it.

An upload is hostile until checked. In this order, each step cheap before the next costly one:

1. its size, from what the upload says and then by reading at most one byte past the limit;
2. its type, from its first bytes, never from its name: an XLSX is a zip holding
   ``[Content_Types].xml`` and ``xl/workbook.xml``; a CSV is UTF-8 text without NUL bytes;
3. for an XLSX, the zip's central directory only (``ZipFile.infolist()``, nothing extracted): too
   many parts, too many sheets, a total expanded size or a compression ratio past its limit (a zip
   bomb) are refused before a single part is inflated. Python's zipfile never inflates a part past
   the size its directory declares, so the declared sizes checked here are a real bound;
4. only then its rows and cells, streamed (openpyxl read-only, which parses XML through
   defusedxml): too many rows, and formulas where the caller does not take them.

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

MEGABYTE = 1024 * 1024

# A legitimate quarterly return is a few hundred kilobytes; these leave generous room.
MAX_BYTES = 5 * MEGABYTE
MAX_ROWS = 20_000
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
        expanded = 0
        for part in parts:
            if part.flag_bits & 0x1:
                raise UploadRefused(f"The workbook {name} is password-protected. Remove the password and upload it.")
            if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise UploadRefused(not_a_workbook)
            expanded += part.file_size
            ratio = part.file_size / max(part.compress_size, 1)
            if expanded > max_expanded_bytes or (part.file_size >= RATIO_APPLIES_FROM and ratio > max_ratio):
                raise UploadRefused(
                    f"The workbook {name} would expand to far more than its size on disk ({_megabytes(size)}), "
                    "which a real spreadsheet does not. Save it again from Excel and upload that copy."
                )
        rows = _scan_workbook(uploaded_file, name=name, max_rows=max_rows, formulas_allowed=formulas_allowed)
    return size, sheets, rows


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
    """What a spreadsheet would run: ``=…``, ``@…``, and ``+…``/``-…`` unless it is just a number."""
    if cell.startswith(("=", "@")):
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
