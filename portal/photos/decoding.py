"""Plan the decoding of an uploaded image from its header alone: at what scale, and at what memory cost.

Pixels are what a decoder allocates, not bytes uploaded: a 131 KB PNG can declare 40 million of them.
So before anything is decoded, the header gives the size, the decoder's mode and (for JPEG) the kind
of coding, and from them the peak memory of the whole processing is estimated (``DecodePlan.cost``).
A JPEG is decoded at 1/2, 1/4 or 1/8 scale by libjpeg (DCT scaling, ``Image.draft``) down to the
size that is stored, so a 50 MP phone photo costs little; PNG and WebP decoders have no such
scaling, so what would cost more than the budget is refused before a pixel is decoded. The factors
below are measured (``bench/photo_memory.py``; a test checks them against the resident memory).

Pure: Pillow, the standard library and headers.py.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PIL import Image

from portal.photos.headers import ACCEPTED_FORMATS, MAX_JPEG_SCANS, Header, ImageRejected, read_header, sniff_format

__all__ = [
    "ACCEPTED_FORMATS",
    "MAX_JPEG_SCANS",
    "MIB",
    "STORED_SIDE",
    "DecodePlan",
    "ImageRejected",
    "PhotoLimits",
    "fitted",
    "has_colour_key",
    "open_planned",
    "plan_decode",
    "sniff_format",
]

MIB = 1 << 20
STORED_SIDE = 1600  # the longest side a photo is stored at (processing.process_image)

# Bytes per pixel of Pillow's image memory, by mode: 1, 2 or 4 (three bands are stored in four).
_ONE_BYTE = frozenset({"1", "L", "P"})
_TWO_BYTES = frozenset({"I;16", "I;16L", "I;16B", "I;16N"})
# Pillow's WebP reader decodes the whole canvas through libwebp's animation decoder (two RGBA
# canvases), copies it into a bytes object, then into the image: about 16 bytes per pixel, measured.
_WEBP_BYTES_PER_PIXEL = 17
# Decoder state, allocator rounding, what a phase leaves unfreed.
_SLACK = 6 * MIB


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


def plan_decode(data: bytes, *, max_side: int = STORED_SIDE, limits: PhotoLimits = DEFAULT_LIMITS) -> DecodePlan:
    """Plan the decoding of ``data`` down to ``max_side`` from its header; ImageRejected if over ``limits``."""
    plan, image = open_planned(data, max_side=max_side, limits=limits)
    image.close()
    return plan


def open_planned(data: bytes, *, max_side: int, limits: PhotoLimits) -> tuple[DecodePlan, Image.Image]:
    """Open ``data`` lazily, set the JPEG scale, and return the plan with the image, nothing decoded yet."""
    if max_side < 1:
        raise ValueError("max_side must be positive")
    source_format = sniff_format(data)
    header = read_header(data, source_format)
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
    keyed = has_colour_key(image.mode, image.info)
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


def has_colour_key(mode: str, info: Mapping[Any, Any]) -> bool:
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
    source_format: str, mode: str, keyed: bool, decoded: tuple[int, int], target: tuple[int, int], header: Header
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
