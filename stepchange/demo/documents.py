"""Small real documents for the demo, written here rather than fetched: a one-page PDF of plain text.

The PDF is built by hand (PDF 1.4, one page, the standard Helvetica font, a cross-reference table
with each object's true byte offset), so any reader opens it and ``core.uploads.check_document``
takes it as the PDF it is.
"""

from __future__ import annotations

from collections.abc import Iterable


def _escaped(text: str) -> str:
    # Helvetica's standard encoding covers Latin-1; anything else is shown as a question mark.
    plain = text.encode("latin-1", errors="replace").decode("latin-1")
    return plain.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def simple_pdf(title: str, lines: Iterable[str]) -> bytes:
    """A one-page A4 PDF: ``title`` in 16-point bold, then each line in 11-point text."""
    text = ["BT", "/F2 16 Tf", "56 780 Td", f"({_escaped(title)}) Tj", "/F1 11 Tf", "0 -28 Td", "14 TL"]
    text += [f"({_escaped(line)}) Tj T*" for line in lines]
    text.append("ET")
    stream = "\n".join(text).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
