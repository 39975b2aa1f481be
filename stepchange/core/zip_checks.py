"""A zip upload (a workbook, a Word or OpenDocument file) proved to say the same thing to every reader.

A zip names each part twice: in its central directory at the end (what Python's zipfile, and so
these checks, read) and in a local header before the part's data (what a program reading the file
from the front reads). A file whose two lists disagree, whose parts overlap or hide bytes between
them, or whose part inflates to more or less than its directory declares, can show one content to
the checks and another to the person who opens it. So, before anything reads a part:

* every name is a plain relative path, listed once (ignoring case, as Office does), without ``..``,
  a leading ``/``, a backslash, a drive letter or a control character;
* every local header agrees with the directory on the name, the compression, the flags that change
  how a part is read, and the CRC and sizes (left 0 by a part that puts them after its data); the parts follow one another from the first byte to
  the directory with nothing between them but a part's data descriptor;
* every part inflates to exactly its declared size with its declared CRC, its compressed data
  ending exactly where the directory says. Inflating stops one byte past the declared size, and
  the declared sizes were already held to the zip-bomb limits, so this reads a bounded amount.

``inflated_parts`` hands the checked parts' bytes on, piece by piece, to whoever looks inside them.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator

LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
LOCAL_SIGNATURE = b"PK\x03\x04"
DESCRIPTOR_SIGNATURE = b"PK\x07\x08"
# A data descriptor: CRC and two sizes (4 or 8 bytes each), with or without its signature.
DESCRIPTOR_SIZES = (12, 16, 20, 24)
ZIP64_MARK = 0xFFFFFFFF
# Encrypted, sizes after the data, UTF-8 name: what changes how a reader reads the part.
COMPARED_FLAGS = 0x1 | 0x8 | 0x800
PIECE = 1 << 16
_DRIVE = re.compile(r"^[A-Za-z]:")


class ZipLies(ValueError):
    """What is wrong, in words for the sender (``str()``), naming the part."""


def _raw_name(info: zipfile.ZipInfo) -> bytes:
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    return info.orig_filename.encode(encoding)


def check_names(parts: list[zipfile.ZipInfo]) -> None:
    """Each part's name is a plain relative path, and no two parts share one."""
    seen: set[str] = set()
    for info in parts:
        name = info.orig_filename
        segments = name.split("/")
        if (
            not name
            or name.startswith("/")
            or "\\" in name
            or _DRIVE.match(name)
            or ".." in segments
            or any(ord(ch) < 32 for ch in name)
        ):
            raise ZipLies(f"it holds a part named “{name[:80]}”, a path outside the file")
        folded = name.casefold()
        if folded in seen:
            raise ZipLies(f"the part “{name[:80]}” is listed twice")
        seen.add(folded)


def check_layout(data: bytes, parts: list[zipfile.ZipInfo], directory_start: int) -> None:
    """Every local header agrees with the central directory, and the parts tile the file from its
    first byte to the directory, with nothing hidden between them."""
    position = 0
    for info in sorted(parts, key=lambda part: part.header_offset):
        name = info.orig_filename[:80]
        if info.header_offset != position:
            raise ZipLies(f"there are bytes that belong to no part before “{name}”")
        header = data[position : position + LOCAL_HEADER.size]
        if len(header) < LOCAL_HEADER.size:
            raise ZipLies(f"the part “{name}” is cut short")
        signature, _, flags, method, _, _, crc, compressed, size, name_length, extra_length = LOCAL_HEADER.unpack(
            header
        )
        start = position + LOCAL_HEADER.size
        if signature != LOCAL_SIGNATURE or data[start : start + name_length] != _raw_name(info):
            raise ZipLies(f"the part “{name}” is named differently inside the file than in its directory")
        if method != info.compress_type or (flags & COMPARED_FLAGS) != (info.flag_bits & COMPARED_FLAGS):
            raise ZipLies(f"the part “{name}” is stored differently inside the file than its directory says")
        # A part whose sizes follow its data leaves them 0 here; any other value must be the directory's.
        unknown = 0 if flags & 0x8 else None
        for local, central in ((crc, info.CRC), (compressed, info.compress_size), (size, info.file_size)):
            if local not in (central, ZIP64_MARK, unknown):
                raise ZipLies(f"the sizes recorded for the part “{name}” disagree")
        position = start + name_length + extra_length + info.compress_size
        if position > directory_start:
            raise ZipLies(f"the part “{name}” runs into the next one")
        if flags & 0x8:
            position += _descriptor_size(data, position, info, directory_start)
    if position != directory_start:
        raise ZipLies("there are bytes that belong to no part before its directory")


def _descriptor_size(data: bytes, position: int, info: zipfile.ZipInfo, limit: int) -> int:
    """The length of the data descriptor after a part: one that repeats the directory's CRC and
    sizes and ends where the next part (or the directory) begins."""
    for size in DESCRIPTOR_SIZES:
        end = position + size
        body = data[position:end]
        signed = size in (16, 24)
        if end > limit or len(body) != size or body.startswith(DESCRIPTOR_SIGNATURE) != signed:
            continue
        layout = "<III" if size in (12, 16) else "<IQQ"
        recorded = struct.unpack(layout, body[4:] if signed else body)
        follows = end == limit or data[end : end + 4] == LOCAL_SIGNATURE
        if recorded == (info.CRC, info.compress_size, info.file_size) and follows:
            return size
    raise ZipLies(f"the part “{info.orig_filename[:80]}” has no valid record of its sizes after its data")


def inflated_parts(
    data: bytes, parts: list[zipfile.ZipInfo], wanted: Callable[[str], bool]
) -> Iterator[tuple[str, Iterator[bytes]]]:
    """Every part inflated and proved to match its declared size and CRC; for the parts ``wanted``
    says yes to, their bytes are handed on a piece at a time (the others are checked all the same).
    A caller must read each part's pieces to the end before asking for the next part."""
    for info in parts:
        pieces = _inflate(data, info)
        if wanted(info.filename):
            yield info.filename, pieces
        else:
            for _ in pieces:
                pass


def _inflate(data: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    name = info.orig_filename[:80]
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + LOCAL_HEADER.size + name_length + extra_length
    compressed = memoryview(data)[start : start + info.compress_size]
    crc = 0
    produced = 0
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise ZipLies(f"the sizes recorded for the part “{name}” disagree")
        for offset in range(0, len(compressed), PIECE):
            piece = bytes(compressed[offset : offset + PIECE])
            crc = zlib.crc32(piece, crc)
            yield piece
        produced = len(compressed)
    else:
        inflater = zlib.decompressobj(-15)
        try:
            for offset in range(0, len(compressed), PIECE):
                pending = bytes(compressed[offset : offset + PIECE])
                while pending:
                    piece = inflater.decompress(pending, info.file_size - produced + 1)
                    pending = inflater.unconsumed_tail
                    produced += len(piece)
                    if produced > info.file_size:
                        raise ZipLies(f"the part “{name}” holds more than its directory declares")
                    crc = zlib.crc32(piece, crc)
                    if piece:
                        yield piece
                    if inflater.eof:
                        break
                if inflater.eof:
                    if inflater.unused_data or offset + PIECE < len(compressed):
                        raise ZipLies(f"the part “{name}” has data after its end")
                    break
        except zlib.error:
            raise ZipLies(f"the part “{name}” is damaged") from None
        if not inflater.eof:
            raise ZipLies(f"the part “{name}” is cut short")
    if produced != info.file_size or crc != info.CRC:
        raise ZipLies(f"the part “{name}” does not match the size or checksum its directory declares")


def check_zip(data: bytes, archive: zipfile.ZipFile) -> None:
    """The names and the layout of an opened zip (``archive`` read from ``data``): raise ``ZipLies``."""
    parts = archive.infolist()
    check_names(parts)
    check_layout(data, parts, archive.start_dir)  # type: ignore[attr-defined]
