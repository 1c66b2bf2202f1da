"""Calibrating fitted weights without labels: an experiment of issue 10, part 5, kept to be re-run.

``scoring.CALIBRATION`` (a slope and an offset in bits per kind of pair, Platt scaling) was fitted to
the hand-set weights on labelled benchmark pairs. Weights fitted by EM (portal/matching/estimate.py)
add up differently, and read through that calibration their probabilities come out ten to twenty
times too low. The idea tried here: use the fit's own belief as the label, regressing the EM's
posterior of each blocked pair (``estimate.em_posterior``) on the engine's weight for that pair with
the fitted weights applied. ``bench/estimate.py`` measures it ("fitted, calibrated").

Measured at 20,000 claims, seed 1 (bench/README.md): it makes things worse (dedupe F1 0.964 -> 0.955
on our generator, 0.876 -> 0.740 on the other), because the EM's posterior is itself too low for true
duplicates that disagree somewhere. Kept out of the portal for that reason; the portal calibrates a
fit on officers' decisions instead (``weights.calibrated_on_decisions``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from portal.matching.blocking import CandidateIndex
from portal.matching.estimate import FittedWeights, em_posterior, levels_of
from portal.matching.records import Prepared
from portal.matching.weights import pair_weights, platt, uncalibrated_copy

CALIBRATION_PAIRS = 100_000  # blocked pairs sampled to fit the calibration (all of them when fewer)


def calibrate(
    fitted: FittedWeights,
    records: Sequence[Prepared],
    *,
    index: CandidateIndex | None = None,
    sample: int = CALIBRATION_PAIRS,
    seed: int = 0,
) -> FittedWeights:
    """``fitted`` with the calibration of its weights on ``records`` (see the module's docstring).

    The blocked pairs of ``records`` (at most ``sample`` of them, drawn at random) are scored by
    ``compare`` with the fitted weights applied; their EM posteriors are the soft labels of a
    logistic regression on that weight. ``fitted`` is not changed. Raises ValueError when no blocked
    pair can be scored (too few records).
    """
    pairs = (index or CandidateIndex(records)).pairs()
    if len(pairs) > sample:
        pairs = pairs[np.sort(np.random.default_rng(seed).choice(len(pairs), size=sample, replace=False))]
    targets = em_posterior(fitted, levels_of(records, pairs))
    uncalibrated = uncalibrated_copy(fitted)
    weights = pair_weights(uncalibrated, records, ((records[i], records[j]) for i, j in pairs.tolist()))
    scored = np.isfinite(weights)  # a vetoed pair has no weight
    if not scored.any():
        raise ValueError("no blocked pair to calibrate on")
    slope, offset = platt(weights[scored], targets[scored])
    uncalibrated["calibration"] = {"slope": slope, "offset": offset, "pairs": int(scored.sum())}
    return uncalibrated
