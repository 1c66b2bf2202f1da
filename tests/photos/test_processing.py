"""photos/processing.py: content sniffing, pixel limits, orientation, stripping, hashing."""

from __future__ import annotations

import ast
import hashlib
import io
import random
import struct
import sys
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms, ImageDraw, ImageFile, PngImagePlugin

from portal.photos import decoding, headers, processing
from portal.photos.processing import (
    ImageRejected,
    PhotoLimits,
    ProcessedImage,
    hash_distance,
    perceptual_hash,
    process_image,
    sniff_format,
)

SECRET = b"Calle Secreta 123"


# --- synthetic images (shapes and gradients only: never photos of people) ---


def scene(seed: int, size: tuple[int, int] = (240, 180)) -> Image.Image:
    """A reproducible picture of random coloured shapes."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x0, y0 = rng.randrange(size[0]), rng.randrange(size[1])
        box = (x0, y0, x0 + rng.randrange(20, size[0]), y0 + rng.randrange(20, size[1]))
        draw.ellipse(box, fill=tuple(rng.randrange(256) for _ in range(3)))
    return image


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def two_halves(size: tuple[int, int] = (40, 20)) -> Image.Image:
    """Left half red, right half blue: shows where a rotation sent each side."""
    image = Image.new("RGB", size, (0, 0, 255))
    ImageDraw.Draw(image).rectangle((0, 0, size[0] // 2 - 1, size[1]), fill=(255, 0, 0))
    return image


def gps_exif(orientation: int = 6) -> Image.Exif:
    exif = Image.Exif()
    exif[274] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "S", (16.0, 30.0, 12.5), "W", (68.0, 9.0, 3.25)
    return exif


def png_with_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` (CRC fixed, pixel data absent)."""
    data = bytearray(encode(Image.new("RGB", (1, 1)), "PNG"))
    ihdr = 8  # chunk length field; type at +4, fields at +8, CRC at +21
    struct.pack_into(">II", data, ihdr + 8, width, height)
    struct.pack_into(">I", data, ihdr + 21, zlib.crc32(bytes(data[ihdr + 4 : ihdr + 21])))
    return bytes(data)


def jpeg_with_size(width: int, height: int) -> bytes:
    """A small JPEG whose SOF marker is patched to claim ``width`` x ``height``."""
    data = bytearray(encode(Image.new("RGB", (16, 16), (9, 9, 9)), "JPEG"))
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


def assert_clean_jpeg(blob: bytes) -> Image.Image:
    """The output is a plain JPEG: no EXIF/XMP/ICC/comment segment, nothing after the end marker."""
    assert blob[:3] == b"\xff\xd8\xff" and blob.endswith(b"\xff\xd9")
    for marker in (b"Exif", b"http://ns.adobe.com/xap", b"ICC_PROFILE", SECRET):
        assert marker not in blob
    assert b"\xff\xe1" not in blob[: blob.index(b"\xff\xda")]  # no APP1 before the scan
    image = Image.open(io.BytesIO(blob))
    assert image.format == "JPEG" and image.mode == "RGB"
    assert not dict(image.getexif())
    assert not {"exif", "icc_profile", "comment", "xmp"} & set(image.info)
    return image


# --- accepted formats and what is stripped ---


def test_jpeg_with_gps_exif_is_stripped_and_oriented() -> None:
    source = encode(two_halves(), "JPEG", exif=gps_exif(6), comment=SECRET, quality=95)
    assert b"Exif" in source and SECRET in source

    result = process_image(source)

    assert isinstance(result, ProcessedImage) and result.source_format == "JPEG"
    image = assert_clean_jpeg(result.full)
    # Orientation 6 = rotate 90 degrees clockwise: the left (red) side ends on top.
    assert (result.width, result.height) == image.size == (20, 40)
    top, bottom = image.getpixel((10, 5)), image.getpixel((10, 34))
    assert top[0] > 200 and top[2] < 60
    assert bottom[2] > 200 and bottom[0] < 60
    assert_clean_jpeg(result.thumb)
    assert result.content_hash == hashlib.sha256(result.full).hexdigest()


def test_png_icc_profile_and_text_chunks_are_stripped() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", SECRET.decode())
    info.add_itxt("Comment", SECRET.decode(), zip=True)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    source = encode(Image.new("RGB", (60, 30), (10, 120, 200)), "PNG", pnginfo=info, icc_profile=icc)
    assert b"iCCP" in source and SECRET in source

    result = process_image(source)

    image = assert_clean_jpeg(result.full)
    assert result.source_format == "PNG" and image.size == (60, 30)
    # Converted through the (sRGB) profile: colours are kept.
    assert all(abs(a - b) <= 6 for a, b in zip(image.getpixel((30, 15)), (10, 120, 200), strict=True))


def test_png_alpha_is_flattened_onto_white() -> None:
    image = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((0, 0, 9, 19), fill=(0, 0, 0, 255))
    out = Image.open(io.BytesIO(process_image(encode(image, "PNG")).full))
    assert min(out.getpixel((16, 10))) > 245  # transparent -> white, not black
    assert max(out.getpixel((3, 10))) < 10


def test_sixteen_bit_greyscale_png_keeps_its_tones() -> None:
    image = Image.new("I;16", (8, 8), 32768)  # mid-grey on a 16-bit scale
    out = Image.open(io.BytesIO(process_image(encode(image, "PNG")).full))
    assert 110 < out.getpixel((4, 4))[0] < 146


@pytest.mark.parametrize("lossless", [True, False])
def test_webp_is_accepted_and_stripped(lossless: bool) -> None:
    source = encode(scene(1), "WEBP", lossless=lossless, exif=gps_exif(1))
    result = process_image(source)
    assert result.source_format == "WEBP" and (result.width, result.height) == (240, 180)
    assert_clean_jpeg(result.full)


def test_cmyk_jpeg_becomes_rgb() -> None:
    source = encode(Image.new("CMYK", (30, 30), (0, 255, 255, 0)), "JPEG")
    out = Image.open(io.BytesIO(process_image(source).full))
    red = out.getpixel((15, 15))
    assert out.mode == "RGB" and red[0] > 200 and red[1] < 60


def test_animated_png_takes_the_first_frame() -> None:
    frames = [Image.new("RGB", (20, 20), (255, 0, 0)), Image.new("RGB", (20, 20), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "PNG", save_all=True, append_images=frames[1:])
    out = Image.open(io.BytesIO(process_image(buffer.getvalue()).full))
    assert out.getpixel((10, 10))[0] > 200


def test_format_comes_from_content_not_file_name(tmp_path: Path) -> None:
    named_jpg = tmp_path / "photo.jpg"
    named_jpg.write_bytes(encode(scene(2), "PNG"))
    assert process_image(named_jpg.read_bytes()).source_format == "PNG"


def test_large_photo_is_downscaled_and_small_one_not_enlarged() -> None:
    big = process_image(encode(scene(3, (3200, 1000)), "JPEG"))
    assert (big.width, big.height) == (1600, 500)
    assert (big.thumb_width, big.thumb_height) == (320, 100)
    assert Image.open(io.BytesIO(big.thumb)).size == (320, 100)
    small = process_image(encode(scene(3, (100, 50)), "PNG"))
    assert (small.width, small.height, small.thumb_width, small.thumb_height) == (100, 50, 100, 50)


def test_same_input_gives_same_bytes_and_hash() -> None:
    source = encode(scene(4), "JPEG")
    assert process_image(source) == process_image(source)


def test_trailing_bytes_after_the_jpeg_are_dropped() -> None:
    source = encode(scene(5), "JPEG") + b"PK\x03\x04" + SECRET * 50
    result = process_image(source)
    assert_clean_jpeg(result.full)
    assert b"PK\x03\x04" not in result.full


# --- refusals ---


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF", "ICO", "PPM"])
def test_other_image_formats_are_refused(fmt: str) -> None:
    with pytest.raises(ImageRejected) as caught:
        process_image(encode(scene(6, (32, 32)), fmt))
    assert caught.value.reason in ("unsupported_format", "not_an_image")
    if fmt in ("GIF", "BMP", "TIFF", "ICO"):
        assert caught.value.reason == "unsupported_format"


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",
    ],
    ids=["svg-xml", "svg", "pdf", "heic"],
)
def test_known_non_accepted_formats_say_unsupported(data: bytes) -> None:
    with pytest.raises(ImageRejected) as caught:
        process_image(data)
    assert caught.value.reason == "unsupported_format"


@pytest.mark.parametrize(
    "data", [b"", b"hello, this is a text file\n", random.Random(1).randbytes(4096)], ids=["empty", "text", "random"]
)
def test_non_images_are_refused(data: bytes) -> None:
    with pytest.raises(ImageRejected) as caught:
        process_image(data)
    assert caught.value.reason == "not_an_image"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_truncated_image_is_refused_without_crashing(fmt: str) -> None:
    noisy = Image.frombytes("RGB", (128, 128), random.Random(7).randbytes(128 * 128 * 3))
    source = encode(noisy, fmt)
    with pytest.raises(ImageRejected) as caught:
        process_image(source[: len(source) // 2])
    assert caught.value.reason in ("corrupt", "not_an_image")


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (png_with_size(7_000, 7_000), "too_costly"),  # 49 MP of RGB: 196 MB to decode, no reduced scale
        (png_with_size(9_000, 9_000), "too_many_pixels"),  # 81 MP: our own limit
        (png_with_size(10_000, 10_000), "too_many_pixels"),  # 100 MP: also over Pillow's warning threshold
        (png_with_size(20_000, 20_000), "too_many_pixels"),  # 400 MP: over Pillow's hard bomb limit
        (jpeg_with_size(10_000, 10_000), "too_many_pixels"),
    ],
    ids=["png-49mp", "png-81mp", "png-100mp", "png-400mp", "jpeg-100mp"],
)
def test_huge_header_is_refused_before_decoding(source: bytes, reason: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_decoding(self: object) -> None:
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    with pytest.raises(ImageRejected) as caught:
        process_image(source)
    assert caught.value.reason == reason


def test_pixel_limit_is_a_parameter() -> None:
    source = encode(scene(8, (100, 100)), "PNG")
    with pytest.raises(ImageRejected, match="too_many_pixels"):
        process_image(source, limits=PhotoLimits(max_pixels=9_999))
    assert process_image(source, limits=PhotoLimits(max_pixels=10_000)).width == 100


def test_sniff_format_and_unknown_reason() -> None:
    assert sniff_format(encode(scene(9), "WEBP")) == "WEBP"
    with pytest.raises(ValueError):
        ImageRejected("because")


_SEEDS = [encode(scene(10, (48, 32)), fmt) for fmt in ("JPEG", "PNG", "WEBP")]


@st.composite
def damaged_images(draw: st.DrawFn) -> bytes:
    """A valid small image with some bytes overwritten and maybe cut short."""
    data = bytearray(draw(st.sampled_from(_SEEDS)))
    for _ in range(draw(st.integers(0, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data[: draw(st.integers(0, len(data)))])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=2048),
        damaged_images(),
        st.sampled_from([b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF\0\0\0\0WEBP"]).flatmap(
            lambda magic: st.binary(max_size=512).map(lambda rest: magic + rest)
        ),
    )
)
def test_any_bytes_give_an_image_or_a_rejection(data: bytes) -> None:
    try:
        result = process_image(data)
    except ImageRejected as rejected:
        assert rejected.reason in ImageRejected.REASONS
    else:
        assert isinstance(result, ProcessedImage)
        assert_clean_jpeg(result.full)


# --- perceptual hash ---


def test_perceptual_hash_identical_close_and_different() -> None:
    original = scene(11, (400, 300))
    source = encode(original, "PNG")
    copy = encode(original.resize((200, 150)), "JPEG", quality=60)
    other = encode(scene(12, (400, 300)), "PNG")

    assert 0 <= perceptual_hash(source) < 2**64
    assert hash_distance(perceptual_hash(source), perceptual_hash(source)) == 0
    assert hash_distance(perceptual_hash(source), perceptual_hash(copy)) <= 6
    assert hash_distance(perceptual_hash(source), perceptual_hash(other)) >= 20
    # The hash carried by process_image is that of the cleaned picture.
    assert hash_distance(process_image(source).perceptual_hash, perceptual_hash(source)) <= 4


def test_perceptual_hash_rejects_non_images() -> None:
    with pytest.raises(ImageRejected):
        perceptual_hash(b"GIF89a....")


# --- purity (DESIGN.md rule 4) ---


@pytest.mark.parametrize("module", [processing, decoding, headers], ids=["processing", "decoding", "headers"])
def test_processing_imports_only_pillow_and_the_standard_library(module: object) -> None:
    tree = ast.parse(Path(str(getattr(module, "__file__", ""))).read_text(encoding="utf-8"))
    roots, portal_modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
            if node.module.startswith("portal"):
                portal_modules.add(node.module)
    assert roots - {"PIL", "__future__", "portal"} <= set(sys.stdlib_module_names)
    assert not roots & {"flask", "flask_babel", "sqlalchemy"}
    assert portal_modules <= {"portal.photos.decoding", "portal.photos.headers"}  # the pure parts only
