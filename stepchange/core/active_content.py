"""What in an uploaded office document could act on the person who opens it, found and refused.

A tender's documents are kept exactly as sent (a bid's are sealed, with their checksum), so one
that could attack its reader is refused with the reason, never altered: the sender removes it and
uploads again. Refused, in a workbook (.xlsx), a Word document (.docx) or an OpenDocument text (.odt):

* formulas: any ``<f>`` in a worksheet (a formula can fetch a web address or start a program);
  any ``formula`` attribute (``table:formula``) in an OpenDocument file but a shape's geometry;
* links out of the file: links to other workbooks (``xl/externalLinks/``), data connections,
  any external relationship but a hyperlink, and hyperlinks to anything but an http(s) or mailto
  address (``file:``, a network share, a macro URL); in OpenDocument, ``xlink:href`` likewise;
* macros and embedded programs: VBA (``vbaProject.bin``), Excel 4 macro sheets, ActiveX, OLE
  objects, anything under ``embeddings/`` and other ``.bin`` parts (printer settings apart),
  macro-enabled content types, OpenDocument ``Basic/`` and ``Scripts/`` and event listeners;
* DDE and other fields that run or fetch something (``DDE``, ``DDEAUTO``, ``LINK``,
  ``INCLUDETEXT``, ``IMPORT``) in a Word document's field codes, even split across runs;
* XML that declares a DOCTYPE (and so entities), or that is not well-formed, in any part read here.

Each part is read by expat, as an office program's parser reads it (entities, character
references, whitespace and encodings all resolved), a piece at a time as ``zip_checks`` inflates
it, so a large part never sits whole in memory. Element and attribute names are compared by their
local name (after any prefix), which is what identifies them in these formats.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from typing import Any
from xml.parsers import expat

from stepchange.core.zip_checks import inflated_parts

UNSAFE_PART = re.compile(
    r"(^|/)(vbaProject|vbaData)\.bin$|(^|/)embeddings/|oleObject|activeX|(^|/)(macrosheets|dialogsheets)/"
    r"|(^|/)(Basic|Scripts)/|^Object \d+$",
    re.IGNORECASE,
)
LINKS_OUT_PART = re.compile(r"(^|/)externalLinks/|^xl/connections\.xml$", re.IGNORECASE)
PRINTER_SETTINGS = re.compile(r"(^|/)printerSettings/printerSettings\d*\.bin$", re.IGNORECASE)
MACRO_CONTENT_TYPE = re.compile(r"macroEnabled|vbaProject|ms-office\.activeX", re.IGNORECASE)
WORKSHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")
WORD_PART = re.compile(r"^word/.+\.xml$")
ODF_PART = re.compile(r"^(?!META-INF/).+\.xml$")
RUNNING_FIELD = re.compile(r"^\s*(DDE|DDEAUTO|LINK|INCLUDETEXT|IMPORT)\b", re.IGNORECASE)
SAFE_SCHEMES = ("http://", "https://", "mailto:")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class ActiveContent(ValueError):
    """What was found, in words for the sender (``str()``): what follows "The file x holds"."""


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _attribute(attributes: dict[str, str], local_name: str) -> str:
    return next((value for key, value in attributes.items() if _local(key) == local_name), "")


def _web_or_mail(target: str) -> bool:
    return target.lower().startswith(SAFE_SCHEMES)


def _inside_package(target: str) -> bool:
    """A path to another part of the same package ("../media/image1.png", "#bookmark")."""
    return not (SCHEME.match(target) or target.startswith("\\") or "\\\\" in target)


def _parse(name: str, pieces: Iterator[bytes], on_start: Callable[[str, dict[str, str]], None], **more: Any) -> None:
    """Feed a part to expat, calling ``on_start(element, attributes)`` for every element (and any
    other handler given, e.g. ``CharacterDataHandler``). A DOCTYPE or badly formed XML is refused."""
    parser = expat.ParserCreate()
    parser.buffer_text = True

    def no_doctype(*_: Any) -> None:
        raise ActiveContent(f"a part (“{name}”) that declares its own XML entities, which office files never do")

    parser.StartDoctypeDeclHandler = no_doctype
    parser.EntityDeclHandler = no_doctype
    parser.StartElementHandler = on_start
    for handler, function in more.items():
        setattr(parser, handler, function)
    try:
        for piece in pieces:
            parser.Parse(piece, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise ActiveContent(
            f"a part (“{name}”) that is not well-formed XML ({expat.ErrorString(error.code)}), so it cannot be checked"
        ) from None


def _check_part_names(parts: list[zipfile.ZipInfo]) -> None:
    for info in parts:
        name = info.filename
        if LINKS_OUT_PART.search(name):
            raise ActiveContent(
                f"links to other files or data sources (“{name[:80]}”). Break the links (in Excel: Data, "
                "Edit Links, Break Link) and remove any data connections"
            )
        if (UNSAFE_PART.search(name) or name.lower().endswith(".bin")) and not PRINTER_SETTINGS.search(name):
            raise ActiveContent(
                f"macros, ActiveX controls or embedded objects (“{name[:80]}”). Save it without them "
                "(as .xlsx, .docx or .odt), or as a PDF"
            )


def _content_types(element: str, attributes: dict[str, str]) -> None:
    content_type = _attribute(attributes, "ContentType")
    if MACRO_CONTENT_TYPE.search(content_type):
        raise ActiveContent(f"content marked as macros or controls (“{content_type[:80]}”). Save it as a plain file")


def _relationship(element: str, attributes: dict[str, str]) -> None:
    if _local(element) != "Relationship":
        return
    target = _attribute(attributes, "Target").strip()
    if _attribute(attributes, "TargetMode").lower() != "external":
        if not _inside_package(target):
            raise ActiveContent(f"a reference to “{target[:80]}”, outside the file. Remove it")
        return
    if not _attribute(attributes, "Type").endswith("/hyperlink"):
        raise ActiveContent(
            f"a link that loads something from outside the file when it opens (“{target[:80]}”). Remove it"
        )
    if not _web_or_mail(target):
        raise ActiveContent(f"a link to “{target[:80]}”, which is not a web or e-mail address. Remove the link")


class _Worksheet:
    """The first formula's cell, if a worksheet has one."""

    def __init__(self) -> None:
        self.cell = "?"
        self.formula_in: str | None = None

    def start(self, element: str, attributes: dict[str, str]) -> None:
        local = _local(element)
        if local == "c":
            self.cell = _attribute(attributes, "r")[:12] or "?"
        elif local == "f" and self.formula_in is None:
            self.formula_in = self.cell


class _WordFields:
    """Every field's code, joined from the runs Word splits it over, as Word joins it."""

    def __init__(self) -> None:
        self.codes: list[list[str]] = []
        self.in_code = False

    def start(self, element: str, attributes: dict[str, str]) -> None:
        local = _local(element)
        if local == "fldChar" and _attribute(attributes, "fldCharType") == "begin":
            self.codes.append([])
        elif local == "fldSimple":
            self.codes.append([_attribute(attributes, "instr")])
        self.in_code = local == "instrText"

    def end(self, element: str) -> None:
        self.in_code = False

    def text(self, data: str) -> None:
        if self.in_code:
            if not self.codes:
                self.codes.append([])
            self.codes[-1].append(data)

    def check(self) -> None:
        for pieces in self.codes:
            found = RUNNING_FIELD.match("".join(pieces))
            if found:
                raise ActiveContent(
                    f"a {found.group(1).upper()} field, which runs a program or fetches a file when the document "
                    "opens. Remove the field"
                )


def _open_document(element: str, attributes: dict[str, str]) -> None:
    local = _local(element)
    if local in ("event-listener", "event-listeners"):
        raise ActiveContent("macros run by events. Save it without macros")
    for key, value in attributes.items():
        # A drawn shape's geometry (draw:equation) is written as formulas too, and computes nothing else.
        if _local(key) == "formula" and local != "equation":
            raise ActiveContent("a table with a formula. Replace the formula with the figure it gives")
        target = value.strip()
        leaves = not _inside_package(target) or target.startswith(("/", "../"))
        if _local(key) == "href" and not _web_or_mail(target) and leaves:
            raise ActiveContent(f"a link to “{target[:80]}”, which is not a web or e-mail address. Remove the link")


def sheet_title(archive: zipfile.ZipFile, part: str) -> str:
    """The name a person sees for a worksheet part, from the workbook (for a message only)."""
    targets: dict[str, str] = {}
    titles: dict[str, str] = {}

    def relationship(element: str, attributes: dict[str, str]) -> None:
        if _local(element) == "Relationship":
            target = _attribute(attributes, "Target")
            targets[_attribute(attributes, "Id")] = target[1:] if target.startswith("/") else "xl/" + target

    def sheet(element: str, attributes: dict[str, str]) -> None:
        if _local(element) == "sheet":
            titles[_attribute(attributes, "id")] = _attribute(attributes, "name")

    try:
        _parse("rels", iter([archive.read("xl/_rels/workbook.xml.rels")]), relationship)
        _parse("workbook", iter([archive.read("xl/workbook.xml")]), sheet)
    except (KeyError, ActiveContent, zipfile.BadZipFile, OSError):
        return part
    return next((titles[key] for key, target in targets.items() if target == part and key in titles), part)


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

    for name, pieces in inflated_parts(data, parts, wanted):
        if kind == "odt":
            _parse(name, pieces, _open_document)
        elif name == "[Content_Types].xml":
            _parse(name, pieces, _content_types)
        elif name.endswith(".rels"):
            _parse(name, pieces, _relationship)
        elif kind == "xlsx":
            sheet = _Worksheet()
            _parse(name, pieces, sheet.start)
            if sheet.formula_in is not None:
                raise ActiveContent(
                    f"a formula: sheet “{sheet_title(archive, name)}”, cell {sheet.formula_in}. Copy the cells "
                    "and paste them back as plain numbers and text"
                )
        else:
            fields = _WordFields()
            _parse(name, pieces, fields.start, EndElementHandler=fields.end, CharacterDataHandler=fields.text)
            fields.check()
