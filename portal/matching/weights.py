"""Fitted weights (``estimate.fit``) as a file, and the engine scoring with them for one run.

``load`` and ``save`` read and write the JSON; ``applied_weights`` puts the fitted values into the
engine's weight tables (terms/*) for one batch run (``portal link --weights FILE``) and restores them
after. Levels whose u is a term frequency (names, full birth date, place words, country) keep it:
only their m is replaced, as Splink keeps m for its term-frequency adjustments.

A file may carry its own ``calibration`` (slope and offset in bits, as ``scoring.CALIBRATION``
reads them for pairs of claims). ``scoring.CALIBRATION`` was fitted to the hand-set weights on
labelled benchmark pairs; fitted weights add up differently, and read through it their probabilities
come out ten to twenty times too low. ``calibrated_on_decisions`` fits the calibration of a fit on
the pairs officers confirmed or rejected (Platt scaling). Without labels it cannot be done well:
bench/calibration.py tried the EM's own posterior and made things worse (bench/README.md).
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from .estimate import LEVELS, MIN_APPLIED_COUNT, FittedWeights
from .records import CLAIM, Prepared
from .scoring import CALIBRATION, EMPTY_FREQUENCIES, TermFrequencies, compare
from .terms import appearance, birth, dates, document, names, place, sex

# Decisions needed to calibrate a fit: measured on the benchmark (bench/README.md), 55 confirmed and 5
# rejected pairs already calibrate as well as 449 and 51; fewer rejected pairs leave the slope unsettled.
MIN_CONFIRMED, MIN_REJECTED = 20, 5

Pair = tuple[Prepared, Prepared]


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


def calibrated_on_decisions(
    fitted: FittedWeights, registry: Sequence[Prepared], confirmed: Sequence[Pair], rejected: Sequence[Pair]
) -> FittedWeights | None:
    """``fitted`` with a calibration fitted on officers' decisions, or None when they are too few.

    Each decided pair is scored by ``compare`` with the fitted weights applied and the registry's
    name frequencies; a logistic regression of the decision on that weight gives the slope and offset
    (Platt's targets: (n+1)/(n+2) for a confirmed pair, 1/(n+2) for a rejected one, so a handful of
    decisions cannot make a score of exactly 0 or 1). ``fitted`` is not changed.
    """
    if len(confirmed) < MIN_CONFIRMED or len(rejected) < MIN_REJECTED:
        return None
    uncalibrated = uncalibrated_copy(fitted)
    weight = pair_weights(uncalibrated, registry, [*confirmed, *rejected])
    label = np.array([True] * len(confirmed) + [False] * len(rejected))
    scored = np.isfinite(weight)  # a vetoed pair has no weight
    positives, negatives = int(label[scored].sum()), int((~label[scored]).sum())
    if positives < MIN_CONFIRMED or negatives < MIN_REJECTED:
        return None
    target = np.where(label[scored], (positives + 1) / (positives + 2), 1 / (negatives + 2))
    slope, offset = platt(weight[scored], target)
    if not (math.isfinite(slope) and math.isfinite(offset) and slope > 0):
        return None  # decisions that contradict the weights: better no calibration than a reversed one
    uncalibrated["calibration"] = {"slope": slope, "offset": offset, "confirmed": positives, "rejected": negatives}
    return uncalibrated


def uncalibrated_copy(fitted: FittedWeights) -> FittedWeights:
    """A deep copy of ``fitted`` without its calibration."""
    out: FittedWeights = json.loads(json.dumps({key: value for key, value in fitted.items() if key != "calibration"}))
    return out


def pair_weights(fitted: FittedWeights, registry: Sequence[Prepared], pairs: Iterable[Pair]) -> np.ndarray:
    """The engine's weight (log2 posterior odds, before any calibration) of each pair with ``fitted``
    applied and ``registry``'s name frequencies; -inf for a vetoed pair."""
    with applied_weights(fitted):
        tf = TermFrequencies.from_prepared(registry)
        return np.array([compare(a, b, tf, len(registry)).log2_bayes_factor for a, b in pairs], dtype=np.float64)


def platt(weights: np.ndarray, targets: np.ndarray, *, iterations: int = 100) -> tuple[float, float]:
    """Slope and offset (in bits) of ``p = 1 / (1 + 2^-(slope x weight + offset))`` that best fit the
    probabilities ``targets`` (cross-entropy; Newton's method, each step halved until the loss falls)."""
    x = np.asarray(weights, dtype=np.float64) * math.log(2)
    y = np.clip(np.asarray(targets, dtype=np.float64), 0.0, 1.0)

    def loss(a: float, b: float) -> float:
        z = a * x + b  # cross-entropy written with logaddexp: exact where the sigmoid saturates
        return float((np.logaddexp(0.0, z) - y * z).sum())

    a, b = 0.1, 0.0
    current = loss(a, b)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(a * x + b, -700, 700)))
        gradient = np.array([((p - y) * x).sum(), (p - y).sum()])
        h = p * (1 - p)
        hessian = np.array([[(h * x * x).sum(), (h * x).sum()], [(h * x).sum(), h.sum()]]) + 1e-9 * np.eye(2)
        step = np.linalg.solve(hessian, gradient)
        scale = 1.0
        while scale > 1e-6 and loss(a - scale * float(step[0]), b - scale * float(step[1])) > current:
            scale /= 2
        a, b = a - scale * float(step[0]), b - scale * float(step[1])
        previous, current = current, loss(a, b)
        if float(np.abs(scale * step).max()) < 1e-10 or previous - current < 1e-12 * max(abs(previous), 1.0):
            break
    return a, b / math.log(2)


def save(fitted: FittedWeights, path: str) -> None:
    """Write ``fitted`` as JSON (UTF-8, indented)."""
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(fitted, fh, ensure_ascii=False, indent=1, sort_keys=False)
        fh.write("\n")
