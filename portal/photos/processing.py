"""Pure photo processing: check, orient, strip and re-encode uploaded images (Pillow only).

Everything a photo carries besides its pixels (EXIF with GPS, ICC profile,
comments, XMP, embedded thumbnails of an uncropped original, bytes hidden
after the end marker) can identify or locate a person, so the output is
rebuilt from decoded pixels and never copies a byte of the input.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
JPEG_QUALITY = 85
WHITE = (255, 255, 255)

# Formats we recognise but refuse: they get "unsupported_format" (a clearer
# message for the uploader) rather than "not_an_image".
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


class ImageRejected(Exception):
    """The bytes are not an acceptable photo; ``reason`` is a stable code for the caller."""

    REASONS = frozenset({"not_an_image", "unsupported_format", "too_many_pixels", "corrupt"})

    def __init__(self, reason: str) -> None:
        if reason not in self.REASONS:
            raise ValueError(f"unknown rejection reason {reason!r}")
        super().__init__(reason)
        self.reason = reason


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


def process_image(
    data: bytes, *, max_pixels: int = 40_000_000, max_side: int = 1600, thumb_side: int = 320
) -> ProcessedImage:
    """Check, orient, strip and re-encode ``data`` into a full-size JPEG and a thumbnail."""
    if max_side < 1 or thumb_side < 1 or max_pixels < 1:
        raise ValueError("sizes must be positive")
    source_format = sniff_format(data)
    clean = _decode(data, source_format, max_pixels=max_pixels, max_side=max_side)
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


def perceptual_hash(data: bytes, *, max_pixels: int = 40_000_000) -> int:
    """Return the 64-bit difference hash (dHash) of the photo in ``data``; raises ImageRejected."""
    # 256 px is plenty for a 9x8 hash and lets JPEG decode at 1/8 scale.
    return _dhash(_decode(data, sniff_format(data), max_pixels=max_pixels, max_side=256))


def hash_distance(a: int, b: int) -> int:
    """Number of differing bits between two perceptual hashes (0 = same picture)."""
    return (a ^ b).bit_count()


def _decode(data: bytes, source_format: str, *, max_pixels: int, max_side: int) -> Image.Image:
    """Decode safely and return an upright RGB image no larger than ``max_side``, with no metadata."""
    try:
        # Pillow's own bomb check warns inside open(); turning that warning into
        # an error aborts before any pixel is decoded. catch_warnings is
        # process-global; if threads interleave, the filter that could leak is
        # this stricter "error" one, which is safe.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data), formats=[source_format])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected("too_many_pixels") from None
    except MemoryError:
        raise
    except Exception:
        # Any parser failure on untrusted bytes means the same thing to the uploader.
        raise ImageRejected("corrupt") from None

    # open() is lazy: the header gave the size, nothing is decoded yet.
    width, height = opened.size
    if width * height > max_pixels:
        raise ImageRejected("too_many_pixels")
    if width < 1 or height < 1:
        raise ImageRejected("corrupt")

    try:
        if source_format == "JPEG":
            # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when the result is downscaled anyway.
            opened.draft("RGB", (max_side, max_side))
        opened.load()
        image = _to_rgb(_upright(opened))
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        # The rebuild: a fresh image from raw pixels has an empty ``info``,
        # so no EXIF, ICC, XMP, comment or text chunk can reach the encoder.
        return Image.frombytes("RGB", image.size, image.tobytes())
    except MemoryError:
        raise
    except Exception:
        raise ImageRejected("corrupt") from None


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation; a damaged EXIF block only costs the rotation, not the photo."""
    try:
        return ImageOps.exif_transpose(image) or image
    except Exception:
        return image


def _to_rgb(image: Image.Image) -> Image.Image:
    """Convert any decoded mode to 8-bit RGB: colour-managed to sRGB, alpha flattened onto white."""
    if image.mode == "I" or image.mode.startswith("I;"):
        # 16-bit greyscale PNG: a plain convert clips everything above 255 to white.
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    image = _to_srgb(image)
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, WHITE)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert through the embedded ICC profile so colours survive its removal (phones embed P3)."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        target = ImageCms.createProfile("sRGB")
        converted = ImageCms.profileToProfile(
            image, source, target, outputMode="RGBA" if image.mode == "RGBA" else "RGB"
        )
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
