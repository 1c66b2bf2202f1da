"""Fuzzing photo processing with crafted and damaged images: a clean stored photo or the portal's clear error.

Truncated files, one format's signature on another's body, declared sizes up to the formats' maxima,
damaged frame headers, repeated scans and polyglots (an image that is also a ZIP, an HTML page, a
PDF, another image). Whatever the bytes, processing returns a valid JPEG within the stored sizes,
or ImageRejected with a known reason; storing returns a Photo whose files decode, or a 413 or 415
PortalError with no file and no row left. Any other exception (MemoryError, ValueError, an OSError
from a decoder, a SyntaxError) fails.
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, PngImagePlugin
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import portal.models  # noqa: F401  (complete metadata)
from portal.accounts.models import Country
from portal.cases.models import Claim
from portal.db import Base, make_engine
from portal.errors import PortalError
from portal.photos.decoding import MIB, ImageRejected, PhotoLimits
from portal.photos.models import Photo
from portal.photos.processing import ProcessedImage, process_image
from portal.photos.storage import PhotoBudget, PhotoStore, save_photo


def _encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def _scene(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    rng = random.Random(size[0] * 7 + size[1])
    image = Image.new("RGB", size, (rng.randrange(256), 90, 40))
    draw = ImageDraw.Draw(image)
    for _ in range(5):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        draw.ellipse((x, y, x + 20, y + 15), fill=(rng.randrange(256), rng.randrange(256), 200))
    return image.convert(mode) if mode != "RGB" else image


def _seeds() -> dict[str, bytes]:
    exif = Image.Exif()
    exif[0x0112] = 6
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "Calle Secreta 123")
    keyed = _scene((40, 30)).convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    return {
        "jpeg": _encode(_scene((48, 32)), "JPEG", exif=exif, comment=b"hidden"),
        "jpeg-progressive": _encode(_scene((48, 32)), "JPEG", progressive=True, quality=90),
        "jpeg-444": _encode(_scene((40, 24)), "JPEG", subsampling=0),
        "jpeg-grey": _encode(_scene((40, 24), "L"), "JPEG"),
        "jpeg-cmyk": _encode(_scene((24, 16), "CMYK"), "JPEG"),
        "png": _encode(_scene((40, 30)), "PNG", pnginfo=text),
        "png-interlaced": _encode(_scene((40, 30)), "PNG", interlace=1),
        "png-keyed-palette": _encode(keyed, "PNG", transparency=0),
        "png-rgba": _encode(_scene((40, 30), "RGBA"), "PNG"),
        "png-16-bit": _encode(Image.linear_gradient("L").resize((32, 16)).convert("I;16"), "PNG"),
        "png-1-bit": _encode(_scene((33, 17), "1"), "PNG"),
        "webp": _encode(_scene((48, 32)), "WEBP", quality=60),
        "webp-lossless": _encode(_scene((48, 32)), "WEBP", lossless=True),
        "webp-alpha": _encode(_scene((48, 32), "RGBA"), "WEBP", quality=60),
    }


SEEDS = _seeds()
SEED_NAMES = sorted(SEEDS)
MAGICS = [
    b"\xff\xd8\xff",
    b"\x89PNG\r\n\x1a\n",
    b"RIFF\x00\x10\x00\x00WEBPVP8 ",
    b"GIF89a",
    b"%PDF-1.7\n",
    b"PK\x03\x04",
]
TRAILERS = [
    b"PK\x03\x04" + bytes(26) + b"secret.txt" + b"x" * 40 + b"PK\x05\x06" + bytes(18),  # a ZIP
    b"<html><script>alert(1)</script></html>",
    b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
    b"\xff\xd8\xff\xe0" + b"\x00" * 32,  # the start of another JPEG
]


def _with_size(data: bytes, width: int, height: int) -> bytes:
    """``data`` with its header patched to declare ``width`` x ``height`` (masked to the field's size)."""
    patched = bytearray(data)
    if data[:2] == b"\xff\xd8":
        sof = next(i for i in range(2, len(data) - 1) if data[i] == 0xFF and data[i + 1] in (0xC0, 0xC2))
        struct.pack_into(">HH", patched, sof + 5, height & 0xFFFF, width & 0xFFFF)
    elif data[:4] == b"\x89PNG":
        struct.pack_into(">II", patched, 16, width, height)
        struct.pack_into(">I", patched, 29, zlib.crc32(bytes(patched[12:29])))
    elif data[12:16] == b"VP8 ":
        struct.pack_into("<HH", patched, 26, width & 0x3FFF, height & 0x3FFF)
    elif data[12:16] == b"VP8L":
        bits = ((width - 1) & 0x3FFF) | (((height - 1) & 0x3FFF) << 14) | (data[24] >> 4 << 28)
        struct.pack_into("<I", patched, 21, bits)
    elif data[12:16] == b"VP8X":
        patched[24:27] = ((width - 1) & 0xFFFFFF).to_bytes(3, "little")
        patched[27:30] = ((height - 1) & 0xFFFFFF).to_bytes(3, "little")
    return bytes(patched)


seeds = st.sampled_from(SEED_NAMES).map(SEEDS.__getitem__)


@st.composite
def truncated(draw: st.DrawFn) -> bytes:
    data = draw(seeds)
    return data[: draw(st.integers(0, len(data) - 1))]


@st.composite
def wrong_header(draw: st.DrawFn) -> bytes:
    """One format's signature on another's body (or its own, shifted)."""
    return draw(st.sampled_from(MAGICS)) + draw(seeds)[draw(st.integers(0, 16)) :]


@st.composite
def huge_dimensions(draw: st.DrawFn) -> bytes:
    sides = st.one_of(st.integers(0, 70_000), st.sampled_from([0, 1, 8000, 8160, 16_383, 65_535, 2**24, 2**31 - 1]))
    return _with_size(draw(seeds), draw(sides), draw(sides))


@st.composite
def damaged_frame(draw: st.DrawFn) -> bytes:
    """A JPEG whose frame header (precision, components, sampling factors, tables) is overwritten."""
    data = bytearray(draw(st.sampled_from([SEEDS["jpeg"], SEEDS["jpeg-progressive"], SEEDS["jpeg-444"]])))
    sof = next(i for i in range(2, len(data) - 1) if data[i] == 0xFF and data[i + 1] in (0xC0, 0xC2))
    if draw(st.booleans()):
        data[sof + 1] = draw(st.integers(0xC0, 0xCF))  # another kind of frame
    for _ in range(draw(st.integers(1, 4))):
        data[sof + 4 + draw(st.integers(0, 13))] = draw(st.integers(0, 255))
    return bytes(data)


@st.composite
def repeated_scans(draw: st.DrawFn) -> bytes:
    data = SEEDS["jpeg-progressive"]
    start = draw(st.sampled_from([i for i in range(len(data) - 1) if data[i : i + 2] == b"\xff\xda"]))
    end = data.index(b"\xff", start + 2)
    while data[end + 1] in (0x00, *range(0xD0, 0xD8)):  # stuffed bytes and restart markers are in the scan
        end = data.index(b"\xff", end + 2)
    scan = data[start:end]
    return data[:end] + scan * draw(st.integers(0, 150)) + data[end:]


@st.composite
def polyglot(draw: st.DrawFn) -> bytes:
    image = draw(seeds)
    other = draw(st.sampled_from([*TRAILERS, draw(seeds)]))
    kind = draw(st.sampled_from(["trailing", "inside-jpeg", "inside-png", "prefix"]))
    if kind == "trailing":
        return image + other
    if kind == "inside-jpeg":
        jpeg = SEEDS["jpeg"]
        segment = b"\xff" + bytes([draw(st.sampled_from([0xE1, 0xE2, 0xEF, 0xFE]))])
        body = other[:65_000]
        return jpeg[:2] + segment + struct.pack(">H", len(body) + 2) + body + jpeg[2:]
    if kind == "inside-png":
        png = SEEDS["png"]
        chunk_type = draw(st.sampled_from([b"tEXt", b"zTXt", b"iCCP", b"eXIf", b"abcd"]))
        chunk = struct.pack(">I", len(other)) + chunk_type + other
        chunk += struct.pack(">I", zlib.crc32(chunk_type + other))
        return png[:33] + chunk + png[33:]
    return other[: draw(st.integers(0, len(other)))] + image


@st.composite
def flipped_bytes(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(seeds))
    for _ in range(draw(st.integers(1, 12))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data[: draw(st.integers(1, len(data)))])


crafted = st.one_of(
    truncated(),
    wrong_header(),
    huge_dimensions(),
    damaged_frame(),
    repeated_scans(),
    polyglot(),
    flipped_bytes(),
    st.binary(max_size=256),
)


def _assert_valid(result: ProcessedImage) -> None:
    for blob, side, size in ((result.full, 1600, (result.width, result.height)), (result.thumb, 320, None)):
        assert blob[:3] == b"\xff\xd8\xff" and blob.endswith(b"\xff\xd9")
        image = Image.open(io.BytesIO(blob))
        image.load()
        assert image.format == "JPEG" and image.mode == "RGB" and max(image.size) <= side
        assert not {"exif", "icc_profile", "comment"} & set(image.info)
        if size is not None:
            assert image.size == size


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(crafted)
def test_crafted_images_give_a_clean_photo_or_a_clear_rejection(data: bytes) -> None:
    try:
        result = process_image(data)
    except ImageRejected as rejected:
        assert rejected.reason in ImageRejected.REASONS
        event(rejected.reason)
    else:
        _assert_valid(result)
        event("accepted")


@pytest.mark.parametrize("name", SEED_NAMES)
def test_every_seed_is_itself_accepted(name: str) -> None:
    _assert_valid(process_image(SEEDS[name]))


# --- through storage: a stored photo, or a 413/415 and nothing left behind ---


@pytest.fixture(scope="module")
def database() -> Iterator[Session]:
    engine = make_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all(
            [Country(code="BO", name="Bolivia"), Claim(id=1, reference="BO-2026-000001", owner_country="BO")]
        )
        session.commit()
        yield session
    engine.dispose()


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(crafted)
def test_storing_crafted_images_keeps_a_valid_photo_or_nothing(
    database: Session, tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    store = PhotoStore(tmp_path_factory.mktemp("fuzz") / "photos")
    budget = PhotoBudget(PhotoLimits(request_bytes=1024 * MIB))
    try:
        photo = save_photo(database, store, data, claim_id=1, budget=budget)
    except PortalError as error:
        assert error.status in (413, 415) and str(error.message)
        assert not _files(store.root)
    else:
        _assert_valid(
            ProcessedImage(
                full=store.path_for(photo.content_hash, "full").read_bytes(),
                thumb=store.path_for(photo.content_hash, "thumb").read_bytes(),
                width=photo.width,
                height=photo.height,
                thumb_width=photo.thumb_width,
                thumb_height=photo.thumb_height,
                content_hash=photo.content_hash,
                source_format="",
                perceptual_hash=0,
            )
        )
    finally:
        database.rollback()
    assert database.scalar(select(func.count()).select_from(Photo)) == 0 and not _files(store.root)


def _files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []
