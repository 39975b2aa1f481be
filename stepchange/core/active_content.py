"""What in an uploaded office document could act on the person who opens it, found and refused.

A tender's documents are kept exactly as sent (a bid's are sealed, with their checksum), so one
that could attack its reader is refused with the reason, never altered: the sender removes it and
uploads again. Refused, in a workbook (.xlsx), a Word document (.docx) or an OpenDocument text (.odt):

* formulas: any ``<f>`` in a worksheet (a formula can fetch a web address or start a program);
  ``table:formula`` in an OpenDocument file;
* links out of the file: links to other workbooks (``xl/externalLinks/``), data connections,
  any external relationship but a hyperlink, and hyperlinks to anything but an http(s) or mailto
  address (``file:``, a network share, a macro URL); in OpenDocument, ``xlink:href`` likewise;
* macros and embedded programs: VBA (``vbaProject.bin``), Excel 4 macro sheets, ActiveX, OLE
  objects, anything under ``embeddings/`` and other ``.bin`` parts (printer settings apart),
  macro-enabled content types, OpenDocument ``Basic/`` and ``Scripts/`` and event listeners;
* DDE and other fields that run or fetch something (``DDE``, ``DDEAUTO``, ``LINK``,
  ``INCLUDETEXT``, ``IMPORT``) in a Word document's field codes, even split across runs;
* XML that is not UTF-8, or that declares a DOCTYPE or entities, in any part read here, so that
  what these byte patterns see is what an office program parses.

The XML is read as bytes by patterns, never parsed: it is streamed from ``zip_checks`` a piece at
a time, so a large part never sits whole in memory.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator

from stepchange.core.zip_checks import PIECE, inflated_parts

# Larger than any match looked for below, which are bounded to stay shorter than this.
OVERLAP = 4096

UNSAFE_PART = re.compile(
    r"(^|/)(vbaProject|vbaData)\.bin$|(^|/)embeddings/|oleObject|activeX|(^|/)(macrosheets|dialogsheets)/"
    r"|(^|/)(Basic|Scripts)/|^Object \d+$|(^|/)externalLinks/|^xl/connections\.xml$",
    re.IGNORECASE,
)
PRINTER_SETTINGS = re.compile(r"(^|/)printerSettings/printerSettings\d*\.bin$", re.IGNORECASE)
MACRO_CONTENT_TYPE = re.compile(rb"macroEnabled|vbaProject|ms-office\.activeX", re.IGNORECASE)
WORKSHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")
WORD_PART = re.compile(r"^word/.+\.xml$")
ODF_PART = re.compile(r"^(?!META-INF/).+\.xml$")

# A worksheet's cells and formulas, in the order they come.
CELL_OR_FORMULA = re.compile(rb"(?P<cell><(?:\w{1,20}:)?c[\s>/][^>]{0,1000})|(?P<formula><(?:\w{1,20}:)?f[\s>/])")
CELL_REF = re.compile(rb"""\br\s*=\s*["']([A-Za-z]{1,3}\d{1,7})["']""")
RELATIONSHIP = re.compile(rb"<(?:\w{1,20}:)?Relationship\b([^>]{0,3000})>")
ATTRIBUTE = re.compile(rb"""([\w:]{1,40})\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# A field's start, a piece of its code (Word splits one over runs), or a simple field's whole code.
FIELD_CODE = re.compile(
    rb"""(?P<begin><(?:\w{1,20}:)?fldChar\b[^>]{0,500}?fldCharType\s*=\s*["']begin["'])"""
    rb"""|<(?:\w{1,20}:)?instrText\b[^>]{0,500}>(?P<text>[^<]{0,2000})<"""
    rb"""|\binstr\s*=\s*(?:"(?P<double>[^"]{0,2000})"|'(?P<single>[^']{0,2000})')"""
)
RUNNING_FIELD = re.compile(r"^\s*(DDE|DDEAUTO|LINK|INCLUDETEXT|IMPORT)\b", re.IGNORECASE)
ODF_FORMULA = re.compile(rb"\btable:formula\s*=")
ODF_EVENTS = re.compile(rb"<(?:script:event-listener|office:event-listeners)\b")
ODF_LINK = re.compile(rb"""\bxlink:href\s*=\s*(?:"([^"]{0,3000})"|'([^']{0,3000})')""")
ODF_ACTIVE = re.compile(b"|".join((ODF_FORMULA.pattern, ODF_EVENTS.pattern, ODF_LINK.pattern)))
SAFE_SCHEMES = ("http://", "https://", "mailto:")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']""")


class ActiveContent(ValueError):
    """What was found, in words for the sender (``str()``): a sentence to follow "The file x holds"."""


def _matches(pieces: Iterator[bytes], pattern: re.Pattern[bytes]) -> Iterator[re.Match[bytes]]:
    """Every match of ``pattern`` in a part streamed in pieces, in order, once each, including one
    that straddles two pieces (every match is shorter than ``OVERLAP``)."""
    carry = b""
    for piece in pieces:
        buffer = carry + piece
        cut = max(len(buffer) - OVERLAP, 0)
        for match in pattern.finditer(buffer):
            if match.start() >= cut:
                break
            yield match
        carry = buffer[cut:]
    yield from pattern.finditer(carry)


def _plain_xml(name: str, pieces: Iterator[bytes]) -> Iterator[bytes]:
    """The part's pieces, after proving its start is UTF-8 XML with no DOCTYPE, and none after."""
    first = True
    tail = b""
    for piece in pieces:
        if first:
            first = False
            head = piece[:512].removeprefix(b"\xef\xbb\xbf")
            declared = DECLARED_ENCODING.match(head)
            if (
                b"\x00" in head[:4]
                or head.startswith((b"\xff\xfe", b"\xfe\xff"))
                or not head.lstrip().startswith(b"<")
                or (declared is not None and declared.group(1).lower() not in (b"utf-8", b"utf8"))
            ):
                raise ActiveContent(
                    f"a part (“{name}”) that is not UTF-8 XML, which hides what it says from these checks"
                )
        window = tail + piece
        if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
            raise ActiveContent(f"a part (“{name}”) that declares its own XML entities")
        tail = window[-16:]
        yield piece


def _attributes(text: bytes) -> dict[str, str]:
    return {
        key.decode("utf-8", "replace"): html.unescape((double or single).decode("utf-8", "replace"))
        for key, double, single in ATTRIBUTE.findall(text)
    }


def _safe_link(target: str) -> bool:
    """A web or e-mail address; for a link inside a package, a relative one that stays inside it."""
    target = target.strip()
    if target.lower().startswith(SAFE_SCHEMES):
        return True
    return not (SCHEME.match(target) or target.startswith(("/", "\\", "../", "..\\")) or "\\\\" in target)


def _check_part_names(parts: list[zipfile.ZipInfo]) -> None:
    for info in parts:
        name = info.filename
        if PRINTER_SETTINGS.search(name):
            continue
        if UNSAFE_PART.search(name) or name.lower().endswith(".bin"):
            if "externallinks/" in name.lower() or name.lower() == "xl/connections.xml":
                raise ActiveContent(
                    f"links to other files or data sources (“{name[:80]}”). Break the links (in Excel: Data, "
                    "Edit Links, Break Link) and remove any data connections"
                )
            raise ActiveContent(
                f"macros, ActiveX controls or embedded objects (“{name[:80]}”). Save it without them "
                "(as .xlsx, .docx or .odt), or as a PDF"
            )


def _check_content_types(pieces: Iterator[bytes]) -> None:
    for match in _matches(pieces, MACRO_CONTENT_TYPE):
        raise ActiveContent(
            f"content marked as macros or controls (“{match.group(0).decode()}”). Save it as a plain .xlsx or .docx"
        )


def _check_relationships(name: str, pieces: Iterator[bytes]) -> None:
    for match in _matches(pieces, RELATIONSHIP):
        attributes = _attributes(match.group(1))
        target = attributes.get("Target", "")
        if attributes.get("TargetMode", "").lower() != "external":
            # A part of the package, by a path relative to this one ("../media/image1.png") or from its root.
            if SCHEME.match(target.strip()) or "\\" in target:
                raise ActiveContent(f"a reference to “{target[:80]}”, outside the file")
            continue
        if not attributes.get("Type", "").endswith("/hyperlink"):
            raise ActiveContent(
                f"a link that loads something from outside the file when it opens (“{target[:80]}”). Remove it"
            )
        if not target.strip().lower().startswith(SAFE_SCHEMES):
            raise ActiveContent(f"a link to “{target[:80]}”, which is not a web or e-mail address. Remove the link")


def _check_worksheet(name: str, pieces: Iterator[bytes]) -> str | None:
    """The cell of the sheet's first formula, or None."""
    cell = "?"
    for match in _matches(pieces, CELL_OR_FORMULA):
        if match.group("formula"):
            return cell
        ref = CELL_REF.search(match.group("cell"))
        cell = ref.group(1).decode() if ref else "?"
    return None


def _check_word_part(pieces: Iterator[bytes]) -> None:
    # Word joins a field's code from every run it is split over: so are they here.
    codes = []
    for match in _matches(pieces, FIELD_CODE):
        if match.group("begin"):
            codes.append("\n")
        elif match.group("text") is not None:
            codes.append(html.unescape(match.group("text").decode("utf-8", "replace")))
        else:
            simple = match.group("double") or match.group("single") or b""
            codes.append("\n" + html.unescape(simple.decode("utf-8", "replace")) + "\n")
    for code in "".join(codes).split("\n"):
        found = RUNNING_FIELD.match(code)
        if found:
            raise ActiveContent(
                f"a {found.group(1).upper()} field, which runs a program or fetches a file when the document "
                "opens. Remove the field"
            )


def _check_odf_part(pieces: Iterator[bytes]) -> None:
    for match in _matches(pieces, ODF_ACTIVE):
        text = match.group(0)
        if ODF_FORMULA.match(text):
            raise ActiveContent("a table with a formula. Replace the formula with its value")
        if ODF_EVENTS.match(text):
            raise ActiveContent("macros run by events. Save it without macros")
        target = html.unescape((match.group(1) or match.group(2) or b"").decode("utf-8", "replace"))
        if not _safe_link(target):
            raise ActiveContent(f"a link to “{target[:80]}”, which is not a web or e-mail address. Remove the link")


def sheet_title(archive: zipfile.ZipFile, part: str) -> str:
    """The name a person sees for a worksheet part, from the workbook (for a message only)."""
    try:
        rels = archive.read("xl/_rels/workbook.xml.rels")
        workbook = archive.read("xl/workbook.xml")
    except (KeyError, zipfile.BadZipFile, OSError):
        return part
    targets = {}
    for match in RELATIONSHIP.finditer(rels):
        attributes = _attributes(match.group(1))
        targets[attributes.get("Id", "")] = attributes.get("Target", "").lstrip("/").removeprefix("xl/")
    for match in re.finditer(rb"<(?:\w{1,20}:)?sheet\b([^>]{0,3000})>", workbook):
        attributes = _attributes(match.group(1))
        relation = next((value for key, value in attributes.items() if key.endswith(":id")), "")
        if "xl/" + targets.get(relation, "") == part:
            return attributes.get("name", part)
    return part


def check_active_content(data: bytes, archive: zipfile.ZipFile, kind: str, *, worksheets: bool = True) -> None:
    """Refuse (``ActiveContent``) a document of ``kind`` (xlsx, docx, odt) holding anything above.
    Every part is inflated and proved honest on the way (``zip_checks.inflated_parts``).
    ``worksheets=False`` leaves a workbook's formulas to a caller that reads its cells itself."""
    parts = archive.infolist()
    _check_part_names(parts)

    def wanted(name: str) -> bool:
        if kind == "odt":
            return bool(ODF_PART.match(name))
        return (
            name == "[Content_Types].xml"
            or name.endswith(".rels")
            or (kind == "xlsx" and worksheets and bool(WORKSHEET.match(name)))
            or (kind == "docx" and bool(WORD_PART.match(name)))
        )

    for name, raw in inflated_parts(data, parts, wanted):
        pieces = _plain_xml(name, raw)
        if kind == "odt":
            _check_odf_part(pieces)
        elif name == "[Content_Types].xml":
            _check_content_types(pieces)
        elif name.endswith(".rels"):
            _check_relationships(name, pieces)
        elif kind == "xlsx":
            cell = _check_worksheet(name, pieces)
            if cell is not None:
                raise ActiveContent(
                    f"a formula: sheet “{sheet_title(archive, name)}”, cell {cell}. Copy the cells and paste "
                    "them back as plain numbers and text"
                )
        else:
            _check_word_part(pieces)
        for _ in pieces:  # a check that stopped early still has the part read to its end
            pass


__all__ = ["PIECE", "ActiveContent", "check_active_content", "sheet_title"]
