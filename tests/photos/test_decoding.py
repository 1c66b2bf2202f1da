"""photos/decoding.py: decoding planned from the header, within a memory budget per photo and per request."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageFile

from portal.errors import PayloadTooLarge
from portal.photos import decoding
from portal.photos.decoding import MIB, ImageRejected, PhotoLimits, plan_decode
from portal.photos.processing import process_image
from portal.photos.storage import PhotoBudget

ROOT = Path(__file__).resolve().parents[2]


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def with_size(data: bytes, width: int, height: int) -> bytes:
    """``data`` (a JPEG, PNG or lossy WebP) with its header patched to declare ``width`` x ``height``."""
    patched = bytearray(data)
    if data[:2] == b"\xff\xd8":
        sof = next(i for i in range(2, len(data) - 1) if data[i] == 0xFF and data[i + 1] in (0xC0, 0xC2))
        struct.pack_into(">HH", patched, sof + 5, height, width)
    elif data[:4] == b"\x89PNG":
        struct.pack_into(">II", patched, 16, width, height)
        struct.pack_into(">I", patched, 29, zlib.crc32(bytes(patched[12:29])))
    else:
        struct.pack_into("<HH", patched, 26, width, height)
    return bytes(patched)


def no_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: object) -> None:
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


SMALL_JPEG = encode(Image.new("RGB", (64, 48), (90, 120, 150)), "JPEG")
SMALL_PROGRESSIVE = encode(Image.new("RGB", (64, 48), (90, 120, 150)), "JPEG", progressive=True)
SMALL_PNG = encode(Image.new("RGB", (64, 48), (90, 120, 150)), "PNG")


# --- the plan, from the header alone ---


def test_a_48_mp_phone_jpeg_is_planned_at_a_quarter_scale_within_64_mib(monkeypatch: pytest.MonkeyPatch) -> None:
    no_decoding(monkeypatch)
    plan = plan_decode(with_size(SMALL_JPEG, 8000, 6000))
    # 2000 x 1500 covers the stored 1600 x 1200: libjpeg never makes the 8000 x 6000 pixels.
    assert (plan.source_format, plan.width, plan.height, plan.scale) == ("JPEG", 8000, 6000, 4)
    assert plan.cost < 64 * MIB


def test_the_scale_is_chosen_for_the_stored_size_not_a_square(monkeypatch: pytest.MonkeyPatch) -> None:
    no_decoding(monkeypatch)
    # A square box would give 1/2 here (6000 // 1600 = 3); the 1600 x 1200 target allows 1/4.
    assert plan_decode(with_size(SMALL_JPEG, 8160, 6120)).scale == 4  # a 50 MP phone
    assert plan_decode(with_size(SMALL_JPEG, 4000, 3000)).scale == 2
    assert plan_decode(with_size(SMALL_JPEG, 1_600, 1_200)).scale == 1
    assert plan_decode(with_size(SMALL_JPEG, 8000, 6000), max_side=256).scale == 8  # the perceptual hash


def test_a_progressive_jpeg_counts_its_whole_coefficient_buffer(monkeypatch: pytest.MonkeyPatch) -> None:
    no_decoding(monkeypatch)
    baseline = plan_decode(with_size(SMALL_JPEG, 6000, 4000))
    progressive = plan_decode(with_size(SMALL_PROGRESSIVE, 6000, 4000))
    # 4:2:0: 1.5 blocks of 64 two-byte coefficients per 64 pixels, at full size whatever the scale.
    assert progressive.scale == baseline.scale == 2
    assert progressive.cost >= 6000 * 4000 * 3 > baseline.cost
    with pytest.raises(ImageRejected, match="too_costly"):
        plan_decode(with_size(SMALL_PROGRESSIVE, 8000, 6000))  # 137 MiB of coefficients
    assert plan_decode(with_size(SMALL_JPEG, 8000, 6000)).cost < 64 * MIB


@pytest.mark.parametrize(
    ("size", "mode", "accepted"),
    [
        ((6300, 6300), "RGB", False),  # the 40 MP PNG: 151 MiB decoded, no reduced scale
        ((6300, 6300), "L", True),  # 40 MP of greyscale: 38 MiB
        ((5000, 4000), "RGB", True),  # 20 MP: 76 MiB
        ((4000, 3000), "RGBA", True),  # 12 MP with alpha, flattened at full size: 92 MiB
        ((5000, 4000), "RGBA", False),  # 20 MP with alpha: 153 MiB
    ],
)
def test_png_is_planned_at_full_size_and_refused_over_the_budget(
    monkeypatch: pytest.MonkeyPatch, size: tuple[int, int], mode: str, accepted: bool
) -> None:
    source = with_size(encode(Image.new(mode, (8, 8)), "PNG"), *size)
    no_decoding(monkeypatch)
    if accepted:
        assert plan_decode(source).cost <= 128 * MIB
    else:
        with pytest.raises(ImageRejected, match="too_costly"):
            plan_decode(source)


def test_a_webp_is_refused_before_pillow_opens_it(monkeypatch: pytest.MonkeyPatch) -> None:
    source = with_size(encode(Image.new("RGB", (16, 16), (1, 2, 3)), "WEBP", quality=50), 4000, 3000)

    def no_opening(*args: object, **kwargs: object) -> None:
        raise AssertionError("the WebP reader allocates its canvases when it opens")

    monkeypatch.setattr(Image, "open", no_opening)
    with pytest.raises(ImageRejected, match="too_costly"):
        plan_decode(source)  # 12 MP: about 17 bytes a pixel in Pillow's reader


@pytest.mark.parametrize("marker", [0xC3, 0xC5, 0xC7, 0xCB, 0xCF])
def test_lossless_and_hierarchical_jpegs_are_refused(marker: int) -> None:
    source = bytearray(SMALL_JPEG)
    source[source.index(b"\xff\xc0") + 1] = marker
    with pytest.raises(ImageRejected, match="unsupported_format"):
        plan_decode(bytes(source))


def test_a_jpeg_with_hundreds_of_scans_is_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    data = SMALL_PROGRESSIVE
    last_scan = data.rindex(b"\xff\xda")
    scan = data[last_scan : data.rindex(b"\xff\xd9")]
    no_decoding(monkeypatch)
    repeated = data[:last_scan] + scan * decoding.MAX_JPEG_SCANS + b"\xff\xd9"
    with pytest.raises(ImageRejected, match="too_costly"):
        plan_decode(repeated)
    plan_decode(data[:last_scan] + scan * 3 + b"\xff\xd9")  # a few more scans are fine
    # What follows the image (a phone's motion-photo video, say) is not counted.
    plan_decode(data + (b"\xff\xda\x00\x02" * decoding.MAX_JPEG_SCANS))


def test_padding_between_jpeg_segments_is_skipped_as_libjpeg_does() -> None:
    soi, rest = SMALL_JPEG[:2], SMALL_JPEG[2:]
    app0_end = 2 + int.from_bytes(rest[2:4], "big")
    padded = soi + rest[:app0_end] + b"\x00\x00\x00" + rest[app0_end:]
    assert process_image(padded).width == 64


@pytest.mark.parametrize(
    "source",
    [
        SMALL_PNG[:8] + SMALL_PNG[33:],  # no IHDR first
        with_size(SMALL_PNG, 0, 10),
        with_size(SMALL_JPEG, 10, 0),  # a height given later (DNL): not for photos
        b"RIFF\x00\x00\x00\x00WEBPALPH" + b"\x00" * 20,  # a WebP that starts with no image chunk
        SMALL_JPEG[: SMALL_JPEG.index(b"\xff\xda")] + b"\xff\xd9",  # ends before its first scan
    ],
    ids=["png-ihdr", "png-zero", "jpeg-zero", "webp-no-frame", "jpeg-no-scan"],
)
def test_malformed_headers_are_corrupt(source: bytes) -> None:
    with pytest.raises(ImageRejected, match="corrupt"):
        plan_decode(source)


def test_limits_are_positive_and_come_from_the_configuration() -> None:
    with pytest.raises(ValueError):
        PhotoLimits(image_bytes=0)
    limits = PhotoLimits.from_config(
        {"PHOTO_MAX_PIXELS": 5, "PHOTO_DECODE_BUDGET_BYTES": 6, "PHOTO_REQUEST_BUDGET_BYTES": 7}
    )
    assert limits == PhotoLimits(max_pixels=5, image_bytes=6, request_bytes=7)


# --- per request ---


def test_photos_of_one_request_share_its_budget() -> None:
    one = plan_decode(SMALL_JPEG).cost
    budget = PhotoBudget(PhotoLimits(image_bytes=one, request_bytes=2 * one))
    budget.charge(SMALL_JPEG)
    budget.charge(SMALL_JPEG)
    with pytest.raises(PayloadTooLarge) as caught:
        budget.charge(SMALL_JPEG)
    assert "together" in str(caught.value.message) and budget.spent == 2 * one
    # Each photo alone still gets the per-photo check, whatever the request has left.
    with pytest.raises(PayloadTooLarge) as alone:
        PhotoBudget(PhotoLimits(image_bytes=one - 1)).charge(SMALL_JPEG)
    assert "too large to process" in str(alone.value.message)


def test_five_phone_photos_fit_one_request(monkeypatch: pytest.MonkeyPatch) -> None:
    no_decoding(monkeypatch)
    budget = PhotoBudget(PhotoLimits.from_config(_config()))
    for _ in range(5):
        budget.charge(with_size(SMALL_JPEG, 8160, 6120))
    assert budget.spent <= _config()["PHOTO_REQUEST_BUDGET_BYTES"]


def _config() -> dict[str, int]:
    from config import Config

    return {name: getattr(Config, name) for name in dir(Config) if name.startswith("PHOTO_") and name != "PHOTO_DIR"}


# --- the estimate against the resident memory of a real process ---

_MEASURE = """
import gc, io, json, sys
from PIL import Image, ImageDraw
from portal.photos.decoding import plan_decode
from portal.photos.processing import process_image

def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024

kind = sys.argv[1]
width, height = {"jpeg48": (8000, 6000), "progressive": (4000, 3000), "grey40": (6300, 6300),
                 "rgba": (4000, 3000), "keyed": (3000, 3000), "webp": (2500, 2000)}[kind]
mode = {"grey40": "L", "rgba": "RGBA", "keyed": "P"}.get(kind, "RGB")
image = Image.new(mode, (width, height), 200 if mode in ("L", "P") else (90, 120, 150, 128)[: len(mode)])
ImageDraw.Draw(image).ellipse((10, 10, width // 2, height // 2), fill=7 if mode in ("L", "P") else None)
exif = Image.Exif()
exif[0x0112] = 6  # held upright
params = {"jpeg48": {"exif": exif}, "progressive": {"progressive": True}, "keyed": {"transparency": 7}}.get(kind, {})
buffer = io.BytesIO()
image.save(buffer, "WEBP" if kind == "webp" else "JPEG" if kind in ("jpeg48", "progressive") else "PNG", **params)
data = buffer.getvalue()
del image, buffer
plan = plan_decode(data)
gc.collect()
open("/proc/self/clear_refs", "w").write("5")  # the peak is now the current resident memory
before = status("VmRSS")
result = process_image(data)
print(json.dumps({"peak": status("VmHWM") - before, "cost": plan.cost, "size": [result.width, result.height]}))
"""


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="measures Linux's resident memory")
@pytest.mark.parametrize("kind", ["jpeg48", "progressive", "grey40", "rgba", "keyed", "webp"])
def test_the_estimate_bounds_the_resident_memory_of_processing(kind: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, kind], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    measured = json.loads(done.stdout)
    assert 0 < measured["cost"] <= 128 * MIB
    assert measured["peak"] <= measured["cost"], measured
    if kind == "jpeg48":
        assert measured["size"] == [1200, 1600]  # turned upright by its EXIF orientation
        assert measured["peak"] < 48 * MIB  # the stated cost of a 48 MP phone photo
