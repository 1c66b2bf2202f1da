"""Pure photo processing: check, orient, strip and re-encode uploaded images (Pillow only).

Everything a photo carries besides its pixels (EXIF with GPS, ICC profile,
comments, XMP, embedded thumbnails of an uncropped original, bytes hidden
after the end marker) can identify or locate a person, so the output is
rebuilt from decoded pixels and never copies a byte of the input.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageCms

from portal.photos.decoding import (
    ACCEPTED_FORMATS,
    DEFAULT_LIMITS,
    STORED_SIDE,
    ImageRejected,
    PhotoLimits,
    fitted,
    has_colour_key,
    open_planned,
    sniff_format,
)

__all__ = [
    "ACCEPTED_FORMATS",
    "ImageRejected",
    "PhotoLimits",
    "ProcessedImage",
    "hash_distance",
    "perceptual_hash",
    "process_image",
    "sniff_format",
]

JPEG_QUALITY = 85
WHITE = (255, 255, 255)
# EXIF orientation -> the transposition that makes the picture upright.
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_ORIENTATION = 0x0112


@dataclass(frozen=True)
class ProcessedImage:
    """A cleaned photo and its thumbnail (progressive JPEG bytes) with their sizes and hashes."""

    full: bytes
    thumb: bytes
    width: int
    height: int
    thumb_width: int
    thumb_height: int
    content_hash: str
    source_format: str
    perceptual_hash: int


def process_image(
    data: bytes, *, limits: PhotoLimits = DEFAULT_LIMITS, max_side: int = STORED_SIDE, thumb_side: int = 320
) -> ProcessedImage:
    """Check, orient, strip and re-encode ``data`` into a full-size JPEG and a thumbnail, within ``limits``."""
    if max_side < 1 or thumb_side < 1:
        raise ValueError("sizes must be positive")
    clean, source_format = _decode(data, limits=limits, max_side=max_side)
    full = _encode(clean)
    thumb_image = clean.copy()
    thumb_image.thumbnail((thumb_side, thumb_side), Image.Resampling.LANCZOS)
    thumb = _encode(thumb_image)
    return ProcessedImage(
        full=full,
        thumb=thumb,
        width=clean.width,
        height=clean.height,
        thumb_width=thumb_image.width,
        thumb_height=thumb_image.height,
        content_hash=hashlib.sha256(full).hexdigest(),
        source_format=source_format,
        perceptual_hash=_dhash(clean),
    )


def perceptual_hash(data: bytes, *, limits: PhotoLimits = DEFAULT_LIMITS) -> int:
    """Return the 64-bit difference hash (dHash) of the photo in ``data``; raises ImageRejected."""
    # 256 px is plenty for a 9x8 hash and lets JPEG decode at 1/8 scale.
    return _dhash(_decode(data, limits=limits, max_side=256)[0])


def hash_distance(a: int, b: int) -> int:
    """Number of differing bits between two perceptual hashes (0 = same picture)."""
    return (a ^ b).bit_count()


def _decode(data: bytes, *, limits: PhotoLimits, max_side: int) -> tuple[Image.Image, str]:
    """Decode within ``limits`` and return an upright RGB image no larger than ``max_side``, with no metadata.

    The order keeps memory low: only the decoded image (and, for alpha or a palette, its flattened
    copy) is ever at full size; orienting and colour conversion work at the stored size.
    """
    plan, opened = open_planned(data, max_side=max_side, limits=limits)
    try:
        # Read before decoding: what later steps need from the metadata, since none of it is kept.
        orientation = _orientation(opened)
        icc = opened.info.get("icc_profile")
        opened.load()
        image = prepare(opened)
        if image is not opened:
            opened.close()  # frees the decoded pixels now, not when the function returns
        target = fitted(image.size, max_side)
        if image.size != target:
            # reducing_gap: first a whole-factor reduce when the ratio allows, as Image.thumbnail does.
            resized = image.resize(target, Image.Resampling.LANCZOS, reducing_gap=2.0)
            image.close()  # with the decoder's own buffers (WebP keeps its canvases until closed)
            image = resized
        image = _to_rgb(_to_srgb(image, icc))
        if orientation in _UPRIGHT:
            image = image.transpose(_UPRIGHT[orientation])
        # The rebuild: a fresh image from raw pixels has an empty ``info``,
        # so no EXIF, ICC, XMP, comment or text chunk can reach the encoder.
        return Image.frombytes("RGB", image.size, image.tobytes()), plan.source_format
    except MemoryError:
        raise
    except Exception:
        raise ImageRejected("corrupt") from None
    finally:
        opened.close()


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation (1 to 8); a damaged EXIF block only costs the rotation, not the photo."""
    try:
        value = image.getexif().get(_ORIENTATION, 1)
    except Exception:
        return 1
    return value if isinstance(value, int) else 1


def prepare(image: Image.Image) -> Image.Image:
    """A mode that resamples well and has no transparency: alpha and colour keys flattened onto white.

    Returns ``image`` itself when it is ready (L, RGB, CMYK, 16-bit greyscale, whose colour key is
    ignored); what this adds at full size is decoding.prepare_bytes.
    """
    mode, keyed = image.mode, has_colour_key(image.mode, image.info)
    if mode == "1":
        return image.convert("L")
    if mode == "P" and not keyed:
        return image.convert("RGB")
    if mode in ("P", "PA") or keyed:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "RGBa", "LA", "La"):
        grey = image.mode in ("LA", "La")
        flat = Image.new("L" if grey else "RGB", image.size, 255 if grey else WHITE)
        # The alpha band is the mask; an RGBA source is pasted onto RGB without a converted copy.
        flat.paste(image, mask=image)
        return flat
    return image


def _to_rgb(image: Image.Image) -> Image.Image:
    """Convert a prepared image (L, RGB, CMYK, 16-bit greyscale) to 8-bit RGB."""
    if image.mode == "I" or image.mode.startswith("I;"):
        # 16-bit greyscale PNG: a plain convert clips everything above 255 to white.
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    return image.convert("RGB")


def _to_srgb(image: Image.Image, icc: object) -> Image.Image:
    """Convert through the embedded ICC profile so colours survive its removal (phones embed P3)."""
    if not isinstance(icc, bytes) or not icc or image.mode not in ("RGB", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        target = ImageCms.createProfile("sRGB")
        converted = ImageCms.profileToProfile(image, source, target, outputMode="RGB")
    except Exception:
        # A broken or mismatched profile: keep the pixels as they are.
        return image
    return converted if converted is not None else image


def _encode(image: Image.Image) -> bytes:
    """Encode as JPEG; only the explicit arguments below reach the file."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def _dhash(image: Image.Image) -> int:
    """Difference hash: 64 bits, one per horizontally adjacent pair of a 9x8 greyscale thumbnail."""
    pixels = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS).tobytes()
    bits = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            bits = (bits << 1) | (left > right)
    return bits
