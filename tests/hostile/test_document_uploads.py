"""Tender documents under hostile files: whatever bytes and names arrive, ``check_document`` takes or
refuses them and never crashes; a zip bomb dressed as a Word document is refused from its directory
alone; and through the bid's upload page a hostile name is cleaned, escaped and never a path.
"""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from stepchange.commissioning.models import BidDocument
from stepchange.core.uploads import DOCUMENT_TYPES, UploadRefused, check_document, download_name
from tests.commissioning.files import docx, pdf, upload
from tests.commissioning.world import build_tender
from tests.hostile.strategies import NASTY_TEXT
from tests.hostile.tally import Tally
from tests.hostile.test_uploads import MB, CountingFile


def word_bomb(expanded: int) -> bytes:
    """A docx-shaped zip whose document part inflates ``expanded`` bytes of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as part:
            for _ in range(expanded // MB):
                part.write(bytes(MB))
    return out.getvalue()


def test_a_word_document_that_would_inflate_to_a_gigabyte_is_refused_without_inflating_it() -> None:
    bomb = word_bomb(1024 * MB)
    assert len(bomb) < 2 * MB  # about a thousand to one
    tracemalloc.start()
    try:
        with pytest.raises(UploadRefused, match="would expand to far more than its size on disk"):
            check_document(CountingFile(bomb, "minutes.docx"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The file itself is read once; nothing near the inflated size is ever held.
    assert peak < 20 * MB


def test_a_file_over_the_size_cap_is_refused_before_more_than_a_byte_past_it_is_read() -> None:
    big = CountingFile(b"%PDF-1.4\n" + bytes(6 * MB), "big.pdf")
    big.size = None  # type: ignore[assignment]  # a file that hides its size
    with pytest.raises(UploadRefused, match="larger than 5 MB"):
        check_document(big)
    assert big.bytes_read == 5 * MB + 1


@given(
    data=st.one_of(
        st.binary(max_size=2048),
        st.binary(max_size=512).map(lambda tail: b"PK\x03\x04" + tail),
        st.binary(max_size=512).map(lambda tail: b"%PDF-" + tail),
        st.text(max_size=512).map(str.encode),
    ),
    name=st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=120)),
)
def test_whatever_bytes_and_name_arrive_a_document_is_taken_or_refused_never_a_crash(
    tally: Tally, data: bytes, name: str
) -> None:
    tally.add()
    try:
        checked = check_document(upload(name or "x", data))
    except UploadRefused as refusal:
        assert "a PDF, a Word document (.docx)" in str(refusal) or "Save it" in str(refusal)
    else:
        assert checked.kind in DOCUMENT_TYPES
        served = download_name(checked.display_name, checked.kind)
        assert not set(served) & set('/\\"\x00\r\n;')
        extension = served.rpartition(".")[2]
        assert extension in ({"txt", "csv"} if checked.kind == "text" else {DOCUMENT_TYPES[checked.kind][1]})


@pytest.mark.parametrize(
    "name", ["a" * 5000 + ".pdf", "../../../etc/passwd", "<script>alert(1)</script>.pdf", "\u202efdp.exe"]
)
def test_a_hostile_file_name_through_the_bid_page_is_cleaned_and_escaped(cast, client_for, name: str) -> None:
    tender = build_tender(cast)
    url = reverse("commissioning:bid-document-add", args=[tender.bid.pk])
    response = client_for(cast.dave).post(url, {"title": name[:200], "kind": "budget", "file": upload(name, pdf())})
    assert response.status_code == 302
    stored = BidDocument.objects.get()
    assert len(stored.display_name) <= 100 and "/" not in stored.display_name and "<" not in stored.display_name
    page = client_for(cast.dave).get(reverse("commissioning:bid", args=[tender.bid.pk])).content.decode()
    assert "<script>alert(1)" not in page
    served = client_for(cast.dave).get(reverse("commissioning:bid-document", args=[tender.bid.pk, stored.pk]))
    assert served["Content-Disposition"].startswith("attachment; filename=")
    assert served["Content-Disposition"].endswith('.pdf"') and "/" not in served["Content-Disposition"]


def test_a_refused_file_under_a_hostile_name_leaves_nothing_and_escapes_the_name(cast, client_for) -> None:
    tender = build_tender(cast)
    url = reverse("commissioning:bid-document-add", args=[tender.bid.pk])
    body = (
        client_for(cast.dave)
        .post(
            url,
            {
                "title": "Budget",
                "kind": "budget",
                "file": upload("<img src=x onerror=alert(1)>.docx", docx(macros=True)),
            },
        )
        .content.decode()
    )
    assert "holds macros" in body and "<img src=x" not in body
    assert not BidDocument.objects.exists()
