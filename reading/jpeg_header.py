"""A JPEG's frame header read from its bytes (no decoding), and whether the file holds data
enough for the frame it declares: every 8 x 8 block of a Huffman-coded JPEG costs at least a
bit or two, so a header that declares 64 megapixels over 2 KB of data lies, and a decoder
would fill a 64-megapixel image from nothing (4.4 s and 570 MB for such a 1 KB file)."""

from __future__ import annotations

from dataclasses import dataclass

# Start-of-frame markers; from 0xC9 on they are arithmetic-coded (which can go below a bit a
# block, so the data check leaves them alone).
_HUFFMAN = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7}
_ARITHMETIC = {0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_STANDALONE = {0x01, *range(0xD0, 0xDA)}  # markers without a length
# Pixels a byte of Huffman-coded data can stand for at most: 8 blocks of 64 pixels at a bit a
# block, with a margin of four.
_MAX_PIXELS_PER_BYTE = 8 * 64 * 4
_HEADER_SEARCH = 1 << 20


@dataclass(frozen=True)
class Frame:
    width: int
    height: int
    arithmetic: bool


def frame(data: bytes) -> Frame | None:
    """The first start-of-frame header of the JPEG `data` (None if none in its first MB)."""
    if not data.startswith(b"\xff\xd8"):
        return None
    pos, end = 2, min(len(data), _HEADER_SEARCH)
    while pos + 9 <= end:
        if data[pos] != 0xFF:
            pos += 1
            continue
        marker = data[pos + 1]
        if marker in _HUFFMAN or marker in _ARITHMETIC:
            height = int.from_bytes(data[pos + 5 : pos + 7], "big")
            width = int.from_bytes(data[pos + 7 : pos + 9], "big")
            return Frame(width, height, marker in _ARITHMETIC)
        if marker == 0xFF:
            pos += 1
        elif marker in _STANDALONE:
            pos += 2
        else:
            pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    return None


def holds_too_little(data: bytes, found: Frame) -> bool:
    """Whether `data` is far too short for the pixels its frame declares."""
    if found.arithmetic:
        return False
    return len(data) * _MAX_PIXELS_PER_BYTE < found.width * found.height
