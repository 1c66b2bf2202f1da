"""``portal link``: the batch linker on person-record CSV files (spec/person-records.md)."""

from __future__ import annotations

import contextlib
import gc
import sys
import time
from collections import Counter
from dataclasses import replace
from typing import Any, TextIO

from .csvfiles import Warning as RowWarning
from .csvfiles import as_kind, looks_like_sightings, read_records, write_candidates
from .linker import Candidate, LinkStats, link, prepare_and_dedupe
from .names import one_box_name, split_whole_name
from .normalize import tokens
from .records import CLAIM, SIGHTING, PersonRecord, prepare

MAX_WARNINGS_SHOWN = 200  # per file; the rest are counted in one line


class ProgressBar:
    """Records done, rate and time left, redrawn in place; silent when the stream is not a terminal."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream, self.label = stream, label
        self.enabled = hasattr(stream, "isatty") and stream.isatty()
        self.start = time.monotonic()
        self.last_draw = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last_draw < 0.1 and done < total:
            return
        self.last_draw = now
        elapsed = max(now - self.start, 1e-9)
        rate = done / elapsed
        left = (total - done) / rate if rate > 0 else 0.0
        width = 24
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(
            f"\r{self.label} [{bar}] {done:,}/{total:,}  {rate:,.0f}/s  {int(left) // 60}:{int(left) % 60:02d} left "
        )
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def run_link(
    left_path: str,
    right_path: str | None,
    out_path: str,
    *,
    top: int = 10,
    min_score: float | None = None,
    right_kind: str = "auto",
    stderr: TextIO | None = None,
    weights: str | None = None,
) -> LinkStats:
    """Read, link and write; warnings and the progress bar go to ``stderr``. Raises RecordFileError.

    ``weights``: a JSON file of level weights fitted on pairs of claims (``estimate.fit``), used instead
    of the hand-set ones for this run when it pairs claims with claims; sightings keep the hand-set
    weights (a witness's estimates are not a relative's report). Raises ``weights.WeightsFileError``.
    """
    fitted = None
    if weights is not None:
        from .weights import load  # only then: `portal link` starts fast

        fitted = load(weights)
    # Millions of small objects (records, keys, postings) and no reference cycles among them: the
    # cyclic garbage collector would rescan them again and again (a third of the run at 100k).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run_link(
            left_path,
            right_path,
            out_path,
            top=top,
            min_score=min_score,
            right_kind=right_kind,
            stderr=stderr or sys.stderr,
            fitted=fitted,
        )
    finally:
        if collecting:
            gc.enable()


def _run_link(
    left_path: str,
    right_path: str | None,
    out_path: str,
    *,
    top: int,
    min_score: float | None,
    right_kind: str,
    stderr: TextIO,
    fitted: dict[str, Any] | None = None,
) -> LinkStats:
    started = time.monotonic()
    shown: dict[str, int] = {}

    def on_warning(warning: RowWarning) -> None:
        shown[warning.file] = shown.get(warning.file, 0) + 1
        if shown[warning.file] <= MAX_WARNINGS_SHOWN:
            stderr.write(f"warning: {warning}\n")

    left_records = read_records(left_path, CLAIM, on_warning)
    right_records = read_records(right_path, CLAIM, on_warning) if right_path else None
    for name, count in shown.items():
        if count > MAX_WARNINGS_SHOWN:
            stderr.write(f"warning: {name}: {count - MAX_WARNINGS_SHOWN} more warnings not shown\n")

    split = _whole_names_split(left_records, right_records or [])
    if split:
        left_records, right_records = split[0], (split[1] if right_records is not None else None)
        many = "s" if split[2] != 1 else ""
        stderr.write(f"{split[2]:,} whole name{many} written in one box read as given names and surnames\n")

    stats = LinkStats()
    kind = CLAIM
    if right_records is not None:
        kind = right_kind
        if kind == "auto":
            kind = SIGHTING if looks_like_sightings(right_records) else CLAIM
            other = CLAIM if kind == SIGHTING else SIGHTING
            stderr.write(
                f"{right_path}: read as {kind}s"
                + (" (no birth dates or documents)" if kind == SIGHTING else " (birth dates or documents)")
                + f"; --right-kind {other} reads it as {other}s\n"
            )
    using: contextlib.AbstractContextManager[object] = contextlib.nullcontext()
    if fitted is not None and kind == CLAIM:
        from .weights import applied_weights

        using = applied_weights(fitted)
        stderr.write("scoring with the fitted weights\n")
    elif fitted is not None:
        stderr.write("warning: the weights were fitted on pairs of claims; sightings keep the hand-set weights\n")
    with using:
        candidates = _candidates(left_records, right_records, kind, top, min_score, stats, stderr)
    rows = sorted(
        ((c.left.id, c.right.id, c.result.score, c.result.decision, " ".join(c.result.reasons)) for c in candidates),
        key=lambda row: (row[1], -row[2], row[0]),
    )
    written = write_candidates(out_path, rows)
    stderr.write(
        f"read {stats.records:,} records, compared {stats.pairs_compared:,} pairs, "
        f"wrote {written:,} candidates in {time.monotonic() - started:.1f} s\n"
    )
    return stats


def _whole_names_split(
    left: list[PersonRecord], right: list[PersonRecord]
) -> tuple[list[PersonRecord], list[PersonRecord], int] | None:
    """The records with a whole name written in one box (``names.split_whole_name``) split into given
    names and surnames, as the files' own records that fill both boxes use each word; None when no
    record has one. Keys, blocking and scoring then read them as every other name."""
    if not any(_one_box(r) for r in (*left, *right)):
        return None
    given: Counter[str] = Counter()
    surnames: Counter[str] = Counter()
    for r in (*left, *right):
        if r.given_names and (r.first_surname or r.second_surname):
            given.update(tokens(r.given_names))
            surnames.update(tokens(f"{r.first_surname} {r.second_surname}"))

    def uses(word: str) -> tuple[int, int]:
        return given[word], surnames[word]

    done = 0

    def split(records: list[PersonRecord]) -> list[PersonRecord]:
        nonlocal done
        out = []
        for r in records:
            whole = _one_box(r)
            parts = split_whole_name(whole, uses) if whole else None
            if parts is not None:
                r = replace(r, given_names=parts[0], first_surname=parts[1], second_surname=parts[2])
                done += 1
            out.append(r)
        return out

    split_left, split_right = split(left), split(right)
    return (split_left, split_right, done) if done else None


def _one_box(r: PersonRecord) -> str:
    return one_box_name(r.given_names, r.first_surname, r.second_surname)


def _candidates(
    left_records: list[PersonRecord],
    right_records: list[PersonRecord] | None,
    kind: str,
    top: int,
    min_score: float | None,
    stats: LinkStats,
    stderr: TextIO,
) -> list[Candidate]:
    if right_records is None:
        return prepare_and_dedupe(
            left_records,
            top=top,
            min_score=min_score,
            stats=stats,
            progress=ProgressBar(stderr, "comparing pairs"),
        )
    left = [prepare(r) for r in left_records]
    right = [prepare(r) for r in as_kind(right_records, kind)]
    return link(
        left,
        right,
        top=top,
        min_score=min_score,
        stats=stats,
        progress=ProgressBar(stderr, "linking records"),
    )
