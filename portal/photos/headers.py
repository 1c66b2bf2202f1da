"""Read what an uploaded image declares, before any decoder sees it: its format, its size and, for a
JPEG, the memory libjpeg will need whatever the scale.

These readers are deliberately small and strict, and they run before Pillow's: what they refuse
never reaches a decoder, and where they and Pillow disagree the file is refused (decoding.py).
Pure: the standard library only.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")

# libjpeg keeps a progressive JPEG's coefficients for the whole image, at full size whatever the
# scale: 64 coefficients of 2 bytes per 8x8 block and component.
_BLOCK_BYTES = 128
# A progressive JPEG is decoded once per scan; encoders write about 10. Many more is an attack on time.
MAX_JPEG_SCANS = 100
# Baseline, extended sequential and progressive, Huffman or arithmetic coded. Lossless and
# hierarchical JPEGs are not photos from a camera; libjpeg cannot scale them down.
_JPEG_SOF = {0xC0: False, 0xC1: False, 0xC2: True, 0xC9: False, 0xCA: True}
_JPEG_OTHER_SOF = frozenset({0xC3, 0xC5, 0xC6, 0xC7, 0xCB, 0xCD, 0xCE, 0xCF})
# A marker in entropy-coded data: 0xFF then anything but a stuffed 0x00, a restart marker or fill.
_JPEG_MARKER = re.compile(rb"\xff[\xc0-\xcf\xd8-\xfe]")


class ImageRejected(Exception):
    """The bytes are not an acceptable photo; ``reason`` is a stable code for the caller."""

    REASONS = frozenset({"not_an_image", "unsupported_format", "too_many_pixels", "too_costly", "corrupt"})

    def __init__(self, reason: str) -> None:
        if reason not in self.REASONS:
            raise ValueError(f"unknown rejection reason {reason!r}")
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Header:
    """The declared size, and the bytes of a JPEG's whole-image coefficient buffer (0 when libjpeg
    decodes it row by row)."""

    width: int
    height: int
    coefficient_bytes: int = 0


def sniff_format(data: bytes) -> str:
    """Return "JPEG", "PNG" or "WEBP" from the magic bytes, or raise ImageRejected."""
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    head = data[:1024].lstrip().lower()
    if (
        data.startswith(_OTHER_SIGNATURES)
        or (data[4:8] == b"ftyp" and data[8:12] in _ISO_MEDIA_BRANDS)
        or (head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) and b"<svg" in head)
    ):
        raise ImageRejected("unsupported_format")
    raise ImageRejected("not_an_image")


# Formats we recognise but refuse: they get "unsupported_format" (a clearer message for the
# uploader) rather than "not_an_image".
_OTHER_SIGNATURES = (
    b"GIF87a",
    b"GIF89a",
    b"BM",
    b"II*\x00",
    b"MM\x00*",
    b"\x00\x00\x01\x00",
    b"8BPS",
    b"\x00\x00\x00\x0cjP  ",
    b"\xff\x4f\xff\x51",
    b"\xff\x0a",
    b"\x00\x00\x00\x0cJXL ",
    b"%PDF",
)
_ISO_MEDIA_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis")


def read_header(data: bytes, source_format: str) -> Header:
    """The declared size (and a progressive JPEG's coefficient memory); ImageRejected if malformed."""
    try:
        if source_format == "JPEG":
            header = _jpeg_header(data)
        elif source_format == "PNG":
            header = _png_header(data)
        else:
            header = _webp_header(data)
    except (struct.error, IndexError):
        raise ImageRejected("corrupt") from None
    if header.width < 1 or header.height < 1:
        raise ImageRejected("corrupt")
    return header


def _png_header(data: bytes) -> Header:
    # IHDR must be the first chunk, 13 bytes long.
    if data[8:16] != b"\x00\x00\x00\x0dIHDR" or len(data) < 33:
        raise ImageRejected("corrupt")
    width, height = struct.unpack(">II", data[16:24])
    return Header(width, height)


def _webp_header(data: bytes) -> Header:
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return Header(width & 0x3FFF, height & 0x3FFF)
    if chunk == b"VP8X" and len(data) >= 30:
        # The canvas, which the decoder allocates whatever the frames hold.
        return Header(int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1)
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return Header((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    raise ImageRejected("corrupt")


def _jpeg_header(data: bytes) -> Header:
    """Walk the markers to the first scan (the frame), then count the scans up to the end of the image."""
    position, frame, progressive = 2, b"", False
    while True:
        marker, position = _next_segment_marker(data, position)
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        if length < 2 or position + 2 + length > len(data):
            raise ImageRejected("corrupt")
        if marker in _JPEG_OTHER_SOF:
            raise ImageRejected("unsupported_format")
        if marker in _JPEG_SOF:
            frame, progressive = data[position + 4 : position + 2 + length], _JPEG_SOF[marker]
        if marker == 0xDA:
            first_scan_components = data[position + 4] if length > 2 else 0
            position += 2 + length
            break
        position += 2 + length
    if len(frame) < 6 or frame[5] == 0 or len(frame) < 6 + 3 * frame[5]:
        raise ImageRejected("corrupt")
    height, width = struct.unpack(">HH", frame[1:5])
    _count_scans(data, position)
    # A progressive JPEG, or a sequential one whose first scan holds only some components, is
    # buffered whole by libjpeg before the first row comes out.
    whole = progressive or first_scan_components < frame[5]
    return Header(width, height, _coefficient_bytes(width, height, frame) if whole else 0)


def _next_segment_marker(data: bytes, position: int) -> tuple[int, int]:
    """The segment marker at or after ``position`` and where it starts; fill and standalone markers skipped.

    Like libjpeg, stray bytes between segments are skipped (some cameras pad with zeros).
    """
    while True:
        if data[position] != 0xFF:
            position = data.find(b"\xff", position)
            if position < 0:
                raise ImageRejected("corrupt")
        marker = data[position + 1]
        if marker == 0xFF:
            position += 1
        elif marker in (0x00, 0x01) or 0xD0 <= marker <= 0xD8:
            position += 2
        elif marker == 0xD9:
            raise ImageRejected("corrupt")  # the image ends before its first scan
        else:
            return marker, position


def _count_scans(data: bytes, position: int) -> None:
    """Refuse more than MAX_JPEG_SCANS scans before the end of the first image (bytes after it are ignored)."""
    scans = 1
    while (found := _JPEG_MARKER.search(data, position)) is not None:
        marker = data[found.start() + 1]
        if marker == 0xD9:
            return
        if found.start() + 4 > len(data):
            return  # truncated: the decoder will say so
        if marker == 0xDA:
            scans += 1
            if scans > MAX_JPEG_SCANS:
                raise ImageRejected("too_costly")
        # Skip the segment's parameters, which may hold any bytes.
        position = found.start() + 2 + struct.unpack(">H", data[found.start() + 2 : found.start() + 4])[0]


def _coefficient_bytes(width: int, height: int, frame: bytes) -> int:
    """libjpeg's whole-image coefficient arrays: per component, its 8x8 blocks (rounded up to its
    sampling factors) of 64 two-byte coefficients."""
    sampling = [(max(1, frame[7 + 3 * i] >> 4), max(1, frame[7 + 3 * i] & 0x0F)) for i in range(frame[5])]
    h_max = max(h for h, _v in sampling)
    v_max = max(v for _h, v in sampling)
    total = 0
    for h, v in sampling:
        blocks_wide = _ceil_div(width * h, h_max * 8)
        blocks_high = _ceil_div(height * v, v_max * 8)
        total += _ceil_div(blocks_wide, h) * h * _ceil_div(blocks_high, v) * v * _BLOCK_BYTES
    return total


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)
