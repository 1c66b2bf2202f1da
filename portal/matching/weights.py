"""Fitted weights (``estimate.fit``) as a file, and the engine scoring with them for one run.

``load`` and ``save`` read and write the JSON; ``applied_weights`` puts the fitted values into the
engine's weight tables (terms/*) for one batch run (``portal link --weights FILE``) and restores them
after. Levels whose u is a term frequency (names, full birth date, place words, country) keep it:
only their m is replaced, as Splink keeps m for its term-frequency adjustments.

A file may carry its own ``calibration`` (slope and offset in bits, as ``scoring.CALIBRATION``
reads them for pairs of claims); without one, a fit's weights are read through the calibration that
was fitted to the hand-set weights. bench/calibration.py tries fitting one without labels.
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Iterator, Mapping
from typing import Any

from .estimate import LEVELS, MIN_APPLIED_COUNT, FittedWeights
from .records import CLAIM
from .scoring import CALIBRATION, EMPTY_FREQUENCIES
from .terms import appearance, birth, dates, document, names, place, sex


class WeightsFileError(ValueError):
    """A weights file that cannot be read or is not a fit of this module."""


def load(path: str) -> FittedWeights:
    """A fitted-weights JSON file, checked."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as error:
        raise WeightsFileError(f"{path}: cannot read weights ({error})") from error
    if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get("terms"), dict):
        raise WeightsFileError(f"{path}: not a weights file of version 1")
    for t, table in data["terms"].items():
        if t not in LEVELS or not isinstance(table, dict):
            raise WeightsFileError(f"{path}: unknown term {t!r}")
        for level, row in table.items():
            if level not in LEVELS[t] or not all(0 < float(row.get(k, -1)) < 1 for k in ("m", "u")):
                raise WeightsFileError(f"{path}: bad level {t}/{level}")
    calibration = data.get("calibration")
    if calibration is not None:
        try:
            slope, offset = float(calibration["slope"]), float(calibration["offset"])
        except (TypeError, KeyError, ValueError) as error:
            raise WeightsFileError(f"{path}: bad calibration") from error
        if not (math.isfinite(slope) and math.isfinite(offset) and slope > 0):
            raise WeightsFileError(f"{path}: bad calibration")
    return data


def _usable(row: Mapping[str, Any]) -> bool:
    return int(row.get("count", 0)) + int(row.get("confirmed", 0)) >= MIN_APPLIED_COUNT


def _overrides(fitted: FittedWeights) -> list[tuple[Any, Any, Any, str]]:
    """(table or module, key or attribute, new value, "term/level") of every weight the fit replaces.

    Levels whose u is a term frequency or an interval width take the fitted m only. A name level
    "nothing agrees" is never raised above 0: the name bound (terms/names.py) counts on it.
    """
    changes: list[tuple[Any, Any, Any, str]] = []
    terms = fitted["terms"]
    for field in ("given", "surname"):
        table = dict(names.m_token(field))
        kinds = []
        for kind in table:
            row = terms.get(field, {}).get(kind)
            if row and _usable(row):
                table[kind] = float(row["m"])
                kinds.append(kind)
        if kinds:
            changes.append((names.M_TOKEN_BY_FIELD, field, table, f"{field}/{','.join(kinds)}"))
        row = terms.get(field, {}).get("none")
        if row and _usable(row):
            changes.append((names.W_NAME_NONE, field, min(float(row["weight"]), 0.0), f"{field}/none"))
    dict_tables = {
        "sex": sex.W_SEX,
        "birth": birth.W_DOB,
        "document": document.W_DOC,
        "dates": dates.W_EVENT,
        "delay": dates.W_SIGHTING_DELAY,
        "height": appearance.W_HEIGHT,
        "marks": appearance.W_MARKS,
    }
    for t, engine_table in dict_tables.items():
        for level, row in terms.get(t, {}).items():
            if level in engine_table and level != "dob=exact" and _usable(row):
                changes.append((engine_table, level, float(row["weight"]), f"{t}/{level}"))
    m_only = {("birth", "dob=exact"): "DOB_EXACT_M", ("birth", "age✓"): "AGE_M"}
    m_only.update({("place", "words"): "PLACE_M", ("place", "country"): "COUNTRY_M"})
    for (t, level), attribute in m_only.items():
        row = terms.get(t, {}).get(level)
        if row and _usable(row):
            changes.append((birth if t == "birth" else place, attribute, float(row["m"]), f"{t}/{level}"))
    for level, key in (("corridor", "corridor"), ("other_country", "other")):
        row = terms.get("place", {}).get(level)
        if row and _usable(row):
            changes.append((place.W_PLACE, key, float(row["weight"]), f"place/{level}"))
    calibration = fitted.get("calibration")
    if calibration:
        value = (float(calibration["slope"]), float(calibration["offset"]))
        changes.append((CALIBRATION, (CLAIM, CLAIM), value, "calibration"))
    return changes


def _clear_caches() -> None:
    names.token_bound.cache_clear()
    EMPTY_FREQUENCIES._weights.clear()


@contextlib.contextmanager
def applied_weights(fitted: FittedWeights | None) -> Iterator[list[str]]:
    """Within the block, ``compare`` and the prefilter's bounds read the fitted weights.

    Both read the same tables (terms/*), which are changed in place and restored on leaving; the
    memoised token weights and bounds are cleared both times. Yields the "term/level" names applied.
    Not thread-safe: for one batch run (``portal link``), in one process and the workers it forks.
    ``TermFrequencies`` made before the block keep weights memoised from before: make them inside.
    """
    if fitted is None:
        yield []
        return
    changes = _overrides(fitted)
    saved: list[tuple[Any, Any, Any, bool]] = []
    for target, key, value, _ in changes:
        if isinstance(target, dict):
            saved.append((target, key, target.get(key), key in target))
            target[key] = value
        else:
            saved.append((target, key, getattr(target, key), True))
            setattr(target, key, value)
    _clear_caches()
    try:
        yield [label for *_, label in changes]
    finally:
        for target, key, old, present in reversed(saved):
            if isinstance(target, dict):
                if present:
                    target[key] = old
                else:
                    target.pop(key, None)
            else:
                setattr(target, key, old)
        _clear_caches()


def save(fitted: FittedWeights, path: str) -> None:
    """Write ``fitted`` as JSON (UTF-8, indented)."""
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(fitted, fh, ensure_ascii=False, indent=1, sort_keys=False)
        fh.write("\n")
