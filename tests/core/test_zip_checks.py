"""Every honest zip passes ``core.zip_checks``, however it was written; one changed byte in a
header or a part's data does not.

Honest zips are written by Python's zipfile with random names and contents, stored or deflated,
to a file it can seek in (sizes in the local headers) and to a stream (sizes after each part's
data, as Excel and LibreOffice write them).
"""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stepchange.core.zip_checks import ZipLies, check_zip, inflated_parts

NAMES = st.lists(
    st.from_regex(r"[a-z]{1,8}(/[a-z]{1,8}){0,2}\.(xml|rels|png)", fullmatch=True),
    min_size=1,
    max_size=6,
    unique_by=str.casefold,
)


class Stream(io.RawIOBase):
    """A file zipfile cannot seek in."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        self.data += b
        return len(b)


def written(parts: list[tuple[str, bytes]], *, method: int, streamed: bool) -> bytes:
    target: io.BytesIO | Stream = Stream() if streamed else io.BytesIO()
    with zipfile.ZipFile(target, "w", compression=method) as archive:
        for name, content in parts:
            with archive.open(name, "w") as part:
                part.write(content)
    return bytes(target.data) if isinstance(target, Stream) else target.getvalue()


def check(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        check_zip(data, archive)
        for _, pieces in inflated_parts(data, archive.infolist(), lambda name: True):
            for _ in pieces:
                pass


@settings(max_examples=40, derandomize=True, database=None, deadline=None)
@given(
    names=NAMES,
    contents=st.lists(st.binary(max_size=3000), min_size=6, max_size=6),
    method=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
    streamed=st.booleans(),
)
def test_a_zip_written_honestly_passes(names: list[str], contents: list[bytes], method: int, streamed: bool) -> None:
    check(written(list(zip(names, contents, strict=False)), method=method, streamed=streamed))


@settings(max_examples=40, derandomize=True, database=None, deadline=None)
@given(
    content=st.binary(min_size=1, max_size=2000),
    method=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
    streamed=st.booleans(),
    where=st.integers(min_value=0),
    flip=st.integers(min_value=1, max_value=255),
)
def test_a_changed_byte_in_a_part_or_its_local_header_is_caught(
    content: bytes, method: int, streamed: bool, where: int, flip: int
) -> None:
    data = written([("xl/part.xml", content)], method=method, streamed=streamed)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        start = archive.start_dir
    # Any byte of the local header or the data, but its version, its flags (the ones that matter are
    # checked below) and its time and date, which change nothing a reader reads.
    at = [i for i in range(start) if i not in range(4, 8) and i not in range(10, 14)][where % (start - 8)]
    changed = data[:at] + bytes([data[at] ^ flip]) + data[at + 1 :]
    with pytest.raises((ZipLies, zipfile.BadZipFile)):
        check(changed)


@pytest.mark.parametrize("bit", [0x1, 0x8, 0x800])
def test_a_local_header_whose_flags_change_how_the_part_is_read_is_caught(bit: int) -> None:
    data = written([("xl/part.xml", b"<x/>")], method=zipfile.ZIP_DEFLATED, streamed=False)
    flags = int.from_bytes(data[6:8], "little") ^ bit
    with pytest.raises(ZipLies, match="is stored differently inside the file"):
        check(data[:6] + flags.to_bytes(2, "little") + data[8:])
