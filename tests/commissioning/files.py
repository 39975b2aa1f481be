"""Files to upload as documents, real and disguised, built in memory."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from stepchange.demo.documents import simple_pdf

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def pdf(title: str = "Specification") -> bytes:
    return simple_pdf(title, ["Holistic, woman-centred services.", "Stage 1: an outline proposal."])


def zipped(parts: dict[str, bytes], *, stored_first: tuple[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first is not None:
            archive.writestr(zipfile.ZipInfo(stored_first[0]), stored_first[1], compress_type=zipfile.ZIP_STORED)
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx(text: str = "Method statement", *, macros: bool = False) -> bytes:
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
        "word/document.xml": f"<w:document><w:body><w:p>{text}</w:p></w:body></w:document>".encode(),
    }
    if macros:
        parts["word/vbaProject.bin"] = b"\x00" * 64
    return zipped(parts)


def odt() -> bytes:
    return zipped(
        {"content.xml": b"<office:document-content/>"},
        stored_first=("mimetype", b"application/vnd.oasis.opendocument.text"),
    )


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
