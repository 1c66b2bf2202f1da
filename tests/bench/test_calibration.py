"""The unlabelled calibration experiment (bench/calibration.py): the regression it rests on, and the
calibration a weights file carries into ``portal link``."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from portal.matching import estimate, scoring, weights
from portal.matching.records import CLAIM
from portal.matching.scoring import TermFrequencies, compare
from tests.matching.test_estimate import engine_tables, people

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))
import calibration  # noqa: E402


def test_a_calibrated_fit_makes_the_scores_average_to_the_em_posterior() -> None:
    """Logistic regression with an offset predicts, on average, its targets: the calibrated scores of the
    blocked pairs average to their EM posteriors, and ``applied_weights`` uses and restores the calibration."""
    prepared = people()
    fitted = estimate.fit(prepared, random_count=2000)
    calibrated = calibration.calibrate(fitted, prepared)
    slope, offset = calibrated["calibration"]["slope"], calibrated["calibration"]["offset"]
    assert slope > 0 and "calibration" not in fitted
    pairs = estimate.blocked_pairs(prepared)
    targets = estimate.em_posterior(calibrated, estimate.levels_of(prepared, pairs))
    tables = engine_tables()
    with weights.applied_weights(calibrated) as applied:
        assert "calibration" in applied and scoring.CALIBRATION[(CLAIM, CLAIM)] == (slope, offset)
        tf = TermFrequencies.from_prepared(prepared)
        raw = [compare(prepared[i], prepared[j], tf, len(prepared)).log2_bayes_factor for i, j in pairs.tolist()]
        scores = [1 / (1 + 2.0 ** -(slope * w + offset)) for w in raw]
    assert engine_tables() == tables
    assert abs(float(np.mean(scores)) - float(np.mean(targets))) < 1e-3
