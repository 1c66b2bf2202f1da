"""Peak memory and time of photo processing, before (a git revision) and now (this tree).

    .venv/bin/python bench/photo_memory.py [--before 8d3aaa8] [--work /tmp/photo_memory] [--repeat 3]

Each case runs in a fresh Python process per variant and repetition, so that one case's memory
never counts for another: the figure is the growth of the process's peak resident memory
(``VmHWM``, reset just before) over its resident memory just before processing, Pillow imported and the file read.
What Pillow and libjpeg allocate outside Python is counted (tracemalloc would miss it).

Variants:
- ``before``: the processing of revision ``--before`` (git show), with its default limits (40 MP);
- ``before+``: the same code with its pixel limit raised to 1e9, what raising the limit alone costs;
- ``now``: this tree's ``process_image`` with the default ``PhotoLimits``;
- ``unbounded``: the same with the memory budgets lifted, to set its estimate beside what it costs.

Request cases send several photos through ``PhotoBudget`` (per-request accounting), as the claim
form does. The images are synthetic, written here: shapes under Gaussian noise, so that a JPEG
compresses like a phone photo (about 2.9 bits per pixel at quality 92); no person, no real photo.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "8d3aaa8"  # main before issue 14's photo part


def _image(width: int, height: int, seed: int) -> object:
    from PIL import Image, ImageChops, ImageDraw

    rng = random.Random(seed)
    picture = Image.new("RGB", (width, height), (90, 120, 150))
    draw = ImageDraw.Draw(picture)
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(height)
        box = (x, y, x + rng.randrange(width // 10, width // 3), y + rng.randrange(height // 10, height // 3))
        draw.ellipse(box, fill=tuple(rng.randrange(256) for _ in range(3)))
    noise = Image.merge("RGB", [Image.effect_noise((width, height), 10) for _ in range(3)])
    return ImageChops.add(picture, noise, offset=-128)


def _write(path: Path, kind: str) -> None:
    """Write the synthetic image of case ``kind`` to ``path``."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6  # a phone held upright
    if kind == "jpeg12":
        _image(4000, 3000, 1).save(path, "JPEG", quality=92, exif=exif)  # type: ignore[attr-defined]
    elif kind == "jpeg48":
        _image(8000, 6000, 2).save(path, "JPEG", quality=92, exif=exif)  # type: ignore[attr-defined]
    elif kind == "jpeg50":
        _image(8160, 6120, 3).save(path, "JPEG", quality=92, exif=exif)  # type: ignore[attr-defined]
    elif kind == "jpeg48p":
        _image(8000, 6000, 4).save(path, "JPEG", quality=92, progressive=True)  # type: ignore[attr-defined]
    elif kind == "jpeg24p":
        _image(6000, 4000, 5).save(path, "JPEG", quality=92, progressive=True)  # type: ignore[attr-defined]
    elif kind == "png40flat":
        # The case: 131 KB of PNG that declares 39.7 million RGB pixels.
        Image.new("RGB", (6300, 6300), (10, 20, 30)).save(path, "PNG", optimize=True)
    elif kind == "png40grey":
        Image.new("L", (6300, 6300), 77).save(path, "PNG", optimize=True)
    elif kind == "png24":
        _image(6000, 4000, 6).save(path, "PNG", compress_level=1)  # type: ignore[attr-defined]
    elif kind == "png20":
        _image(5000, 4000, 6).save(path, "PNG", compress_level=1)  # type: ignore[attr-defined]
    elif kind == "webp6":
        _image(3000, 2000, 7).save(path, "WEBP", quality=80)  # type: ignore[attr-defined]
    elif kind == "webp12":
        _image(4000, 3000, 7).save(path, "WEBP", quality=80)  # type: ignore[attr-defined]
    else:
        raise ValueError(kind)


# (name, what, files): a case is one request; most send one photo.
CASES = [
    ("12 MP phone JPEG", ["jpeg12"]),
    ("48 MP phone JPEG", ["jpeg48"]),
    ("50 MP phone JPEG", ["jpeg50"]),
    ("24 MP progressive JPEG", ["jpeg24p"]),
    ("48 MP progressive JPEG", ["jpeg48p"]),
    ("40 MP flat PNG, 131 KB", ["png40flat"]),
    ("40 MP greyscale PNG", ["png40grey"]),
    ("20 MP PNG", ["png20"]),
    ("24 MP PNG", ["png24"]),
    ("6 MP WebP", ["webp6"]),
    ("12 MP WebP", ["webp12"]),
    ("request: 5 x 48 MP JPEG", ["jpeg48"] * 5),
    ("request: 5 x 20 MP PNG", ["png20"] * 5),
]


# --- child: one variant of one case, in a fresh process ------------------------------------------


def _status(field: str) -> int:
    """A memory figure of /proc/self/status, in bytes."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> None:
    # "5" resets the peak resident memory (VmHWM) to the current one (proc(5), clear_refs). The
    # peak of getrusage() cannot be reset, and Linux carries it over fork and exec from the parent.
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
        clear_refs.write("5")


def _load_before(revision: str) -> object:
    source = subprocess.run(
        ["git", "show", f"{revision}:portal/photos/processing.py"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tempfile.NamedTemporaryFile("wb", suffix=".py", delete=False) as handle:
        handle.write(source)
    spec = importlib.util.spec_from_file_location("processing_before", handle.name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    os.unlink(handle.name)
    return module


def child(variant: str, revision: str, paths: list[str]) -> None:
    """Process ``paths`` as one request and print one JSON line."""
    sys.path.insert(0, str(ROOT))
    import gc

    import PIL.Image  # noqa: F401  (imported before the baseline, as in a running portal)

    datas = [Path(path).read_bytes() for path in paths]
    estimate = 0
    if variant in ("now", "unbounded"):
        from portal.errors import PortalError
        from portal.photos.processing import PhotoLimits, process_image
        from portal.photos.storage import PhotoBudget

        def run() -> str:
            nonlocal estimate
            budget = PhotoBudget(
                PhotoLimits(image_bytes=1 << 40, request_bytes=1 << 40) if variant == "unbounded" else None
            )
            plans = []
            for number, data in enumerate(datas, 1):  # as the claim form: all checked before any is decoded
                try:
                    plans.append(budget.charge(data))
                except PortalError as error:
                    return f"refused ({error.code}, photo {number})" if len(datas) > 1 else f"refused ({error.code})"
            estimate = max(plan.cost for plan in plans)
            for data in datas:
                process_image(data, limits=budget.limits)
            return "accepted"
    else:
        module = _load_before(revision)
        limit = 1_000_000_000 if variant == "before+" else 40_000_000

        def run() -> str:
            for data in datas:
                try:
                    module.process_image(data, max_pixels=limit)  # type: ignore[attr-defined]
                except module.ImageRejected as rejected:  # type: ignore[attr-defined]
                    return f"refused ({rejected.reason})"
            return "accepted"

    gc.collect()
    _reset_peak()
    before = _status("VmRSS")
    started = time.perf_counter()
    status = run()
    seconds = time.perf_counter() - started
    peak = _status("VmHWM")
    print(json.dumps({"status": status, "peak": max(0, peak - before), "seconds": seconds, "estimate": estimate}))


# --- parent ---------------------------------------------------------------------------------------


def _measure(variant: str, revision: str, paths: list[Path], repeat: int) -> dict[str, object]:
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--child", variant, "--before", revision, *map(str, paths)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    return {
        "status": runs[0]["status"],
        "peak": statistics.median(r["peak"] for r in runs),
        "seconds": statistics.median(r["seconds"] for r in runs),
        "estimate": runs[0]["estimate"],
    }


def _mib(value: object) -> str:
    return f"{float(value) / (1 << 20):.0f}"  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", default=BEFORE, help="git revision to compare with (default %(default)s)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "photo_memory")
    parser.add_argument("--repeat", type=int, default=3, help="runs per case and variant; medians are shown")
    parser.add_argument("--only", action="append", default=[], help="cases whose name contains this")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.before, args.paths)
        return

    args.work.mkdir(parents=True, exist_ok=True)
    print(
        "| case | file | before: result | MiB | s | before, limit lifted: MiB | s "
        "| now: result | MiB | s | now, budget lifted: estimate MiB | MiB |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---|---:|---:|---:|---:|")
    for name, kinds in CASES:
        if args.only and not any(word in name for word in args.only):
            continue
        paths = []
        for kind in kinds:
            path = args.work / f"{kind}.img"
            if not path.exists():
                _write(path, kind)
            paths.append(path)
        size = sum(p.stat().st_size for p in paths)
        before, lifted, now, unbounded = (
            _measure(variant, args.before, paths, args.repeat) for variant in ("before", "before+", "now", "unbounded")
        )
        print(
            f"| {name} | {size / 1e6:.1f} MB | {before['status']} | {_mib(before['peak'])} | {before['seconds']:.2f} "
            f"| {_mib(lifted['peak'])} | {lifted['seconds']:.2f} "
            f"| {now['status']} | {_mib(now['peak'])} | {now['seconds']:.2f} "
            f"| {_mib(unbounded['estimate'])} | {_mib(unbounded['peak'])} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
