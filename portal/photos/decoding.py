"""Plan the decoding of an uploaded image from its header alone: at what scale, and at what memory cost.

Pixels are what a decoder allocates, not bytes uploaded: a 131 KB PNG can declare 40 million of them.
So before anything is decoded, the header gives the size, the decoder's mode and (for JPEG) the kind
of coding, and from them the peak memory of the whole processing is estimated (``DecodePlan.cost``).
A JPEG is decoded at 1/2, 1/4 or 1/8 scale by libjpeg (DCT scaling, ``Image.draft``) down to the
size that is stored, so a 50 MP phone photo costs little; PNG and WebP decoders have no such
scaling, so what would cost more than the budget is refused before a pixel is decoded. The factors
below are measured (``bench/photo_memory.py``; a test checks them against the resident memory).

Pure: Pillow and the standard library only.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PIL import Image

MIB = 1 << 20
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")

# Bytes per pixel of Pillow's image memory, by mode: 1, 2 or 4 (three bands are stored in four).
_ONE_BYTE = frozenset({"1", "L", "P"})
_TWO_BYTES = frozenset({"I;16", "I;16L", "I;16B", "I;16N"})
# Pillow's WebP reader decodes the whole canvas through libwebp's animation decoder (two RGBA
# canvases), copies it into a bytes object, then into the image: about 16 bytes per pixel, measured.
_WEBP_BYTES_PER_PIXEL = 17
# libjpeg keeps a progressive JPEG's coefficients for the whole image, at full size whatever the
# scale: 64 coefficients of 2 bytes per 8x8 block and component.
_BLOCK_BYTES = 128
# Decoder state, allocator rounding, what the phases above leave unfreed.
_SLACK = 6 * MIB
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
class PhotoLimits:
    """What decoding may spend: declared pixels (time), and estimated peak memory per image and per request."""

    max_pixels: int = 80_000_000
    image_bytes: int = 128 * MIB
    request_bytes: int = 256 * MIB

    def __post_init__(self) -> None:
        if min(self.max_pixels, self.image_bytes, self.request_bytes) < 1:
            raise ValueError("photo limits must be positive")

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> PhotoLimits:
        """The limits in an application's configuration (PHOTO_MAX_PIXELS, PHOTO_*_BUDGET_BYTES)."""
        return cls(
            max_pixels=int(config["PHOTO_MAX_PIXELS"]),
            image_bytes=int(config["PHOTO_DECODE_BUDGET_BYTES"]),
            request_bytes=int(config["PHOTO_REQUEST_BUDGET_BYTES"]),
        )


DEFAULT_LIMITS = PhotoLimits()


@dataclass(frozen=True)
class DecodePlan:
    """How an image will be decoded: its declared size, the JPEG scale (1, 2, 4 or 8) and the estimated peak bytes."""

    source_format: str
    width: int
    height: int
    mode: str
    scale: int
    cost: int


@dataclass(frozen=True)
class _Header:
    width: int
    height: int
    coefficient_bytes: int = 0  # progressive JPEG only


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


def plan_decode(data: bytes, *, max_side: int = 1600, limits: PhotoLimits = DEFAULT_LIMITS) -> DecodePlan:
    """Plan the decoding of ``data`` down to ``max_side`` from its header; ImageRejected if over ``limits``."""
    plan, image = open_planned(data, max_side=max_side, limits=limits)
    image.close()
    return plan


def open_planned(data: bytes, *, max_side: int, limits: PhotoLimits) -> tuple[DecodePlan, Image.Image]:
    """Open ``data`` lazily, set the JPEG scale, and return the plan with the image, nothing decoded yet."""
    if max_side < 1:
        raise ValueError("max_side must be positive")
    source_format = sniff_format(data)
    header = _read_header(data, source_format)
    if header.width * header.height > limits.max_pixels:
        raise ImageRejected("too_many_pixels")
    if source_format == "WEBP":
        # Pillow's WebP reader allocates its canvases when it opens the file: refuse first.
        _check(header.width * header.height * _WEBP_BYTES_PER_PIXEL + _SLACK, limits)
    image = _open(data, source_format)
    if image.size != (header.width, header.height):
        raise ImageRejected("corrupt")  # two parsers disagree: a crafted file
    target = fitted(image.size, max_side)
    if source_format == "JPEG":
        # libjpeg picks the smallest of 1/1, 1/2, 1/4, 1/8 that still covers the stored size.
        image.draft(None, target)
    scale = max(1, round(header.width / image.width))
    keyed = _keyed(image.mode, image.info)
    cost = _cost(source_format, image.mode, keyed, image.size, target, header)
    _check(cost, limits)
    return DecodePlan(source_format, header.width, header.height, image.mode, scale, cost), image


def _check(cost: int, limits: PhotoLimits) -> None:
    if cost > limits.image_bytes:
        raise ImageRejected("too_costly")


def _open(data: bytes, source_format: str) -> Image.Image:
    try:
        # Pillow's own bomb check warns inside open(); turning that warning into an error aborts
        # before any pixel is decoded. catch_warnings is process-global; if threads interleave, the
        # filter that could leak is this stricter "error" one, which is safe.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data), formats=[source_format])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected("too_many_pixels") from None
    except MemoryError:
        raise
    except Exception:
        # Any parser failure on untrusted bytes means the same thing to the uploader.
        raise ImageRejected("corrupt") from None


def fitted(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """The size of ``size`` shrunk to fit a ``max_side`` square, keeping its proportions (never enlarged)."""
    width, height = size
    if width <= max_side and height <= max_side:
        return width, height
    if width >= height:
        return max_side, max(1, round(height * max_side / width))
    return max(1, round(width * max_side / height)), max_side


def pixel_bytes(mode: str) -> int:
    """Bytes per pixel of a Pillow image in ``mode``."""
    return 1 if mode in _ONE_BYTE else 2 if mode in _TWO_BYTES else 4


def _keyed(mode: str, info: Mapping[Any, Any]) -> bool:
    """A colour key (PNG tRNS) that processing honours: 16-bit greyscale ones are ignored."""
    return "transparency" in info and not mode.startswith("I")


def prepared_mode(mode: str, keyed: bool) -> str:
    """The mode processing.prepare gives an image of ``mode`` before resampling it."""
    if mode == "1" or mode in ("LA", "La"):
        return "L"
    if mode in ("P", "PA", "RGBA", "RGBa") or keyed:
        return "RGB"
    return mode


def prepare_bytes(mode: str, keyed: bool) -> int:
    """Bytes per pixel that processing.prepare adds at full size, beside the decoded image."""
    if mode == "1" or (mode == "P" and not keyed):
        return pixel_bytes(prepared_mode(mode, keyed))  # one converted copy
    if mode in ("P", "PA") or keyed:
        return 4 + 4  # to RGBA, then flattened onto RGB
    if mode in ("RGBA", "RGBa"):
        return 4  # flattened onto RGB
    if mode in ("LA", "La"):
        return 1 + 1  # flattened onto L, from an L copy
    return 0


def _cost(
    source_format: str, mode: str, keyed: bool, decoded: tuple[int, int], target: tuple[int, int], header: _Header
) -> int:
    """Estimated peak bytes of process_image: the largest of its three phases, plus some slack.

    1. decoding and preparing: the decoded image, a converted copy, a progressive JPEG's coefficients
       (Pillow's WebP reader: about 17 bytes per pixel, measured);
    2. resampling (Image.thumbnail, reducing_gap 2): the prepared image, the image reduced by a whole
       factor when the ratio allows, a strip as wide as the target and as tall as the (reduced)
       source, and the result;
    3. finishing at the stored size: colour, orientation, the rebuild and two JPEG encodings (about
       five images of the stored size, measured).
    """
    width, height = decoded
    pixels = width * height
    if source_format == "WEBP":
        decoding = pixels * (_WEBP_BYTES_PER_PIXEL + prepare_bytes(mode, keyed))
    else:
        decoding = pixels * (pixel_bytes(mode) + prepare_bytes(mode, keyed)) + header.coefficient_bytes
    resampled = pixel_bytes(prepared_mode(mode, keyed))
    # The WebP reader keeps its canvases until the file is closed, after resampling.
    held = decoding if source_format == "WEBP" else pixels * resampled
    factor_x = max(1, int(width / target[0] / 2))
    factor_y = max(1, int(height / target[1] / 2))
    reduced = (width // factor_x) * (height // factor_y) if factor_x > 1 or factor_y > 1 else 0
    strip = target[0] * (height // factor_y)
    resampling = held + (reduced + strip + target[0] * target[1]) * resampled
    return max(decoding, resampling, _finish_cost(target)) + _SLACK


def _finish_cost(target: tuple[int, int]) -> int:
    """Colour conversion, orienting, the rebuild and the two encodings, at the stored size (measured)."""
    return target[0] * target[1] * 4 * 5


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


# --- headers -------------------------------------------------------------------------------------


def _read_header(data: bytes, source_format: str) -> _Header:
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


def _png_header(data: bytes) -> _Header:
    # IHDR must be the first chunk, 13 bytes long.
    if data[8:16] != b"\x00\x00\x00\x0dIHDR" or len(data) < 33:
        raise ImageRejected("corrupt")
    width, height = struct.unpack(">II", data[16:24])
    return _Header(width, height)


def _webp_header(data: bytes) -> _Header:
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return _Header(width & 0x3FFF, height & 0x3FFF)
    if chunk == b"VP8X" and len(data) >= 30:
        # The canvas, which the decoder allocates whatever the frames hold.
        return _Header(int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1)
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return _Header((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    raise ImageRejected("corrupt")


def _jpeg_header(data: bytes) -> _Header:
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
    return _Header(width, height, _coefficient_bytes(width, height, frame) if whole else 0)


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
