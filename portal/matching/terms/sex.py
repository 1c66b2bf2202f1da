"""The sex term: agreeing (only when the given names do not already say it) or disagreeing, and its bound."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..evidence import AGREE, DISAGREE
from ..records import Prepared
from . import level_weight

W_SEX = {AGREE: level_weight(0.97, 0.5), DISAGREE: level_weight(0.02, 0.5)}  # sex is about 50/50


def sex_weight(agree: bool, given_names_agree: bool) -> float:
    """The weight of two known sexes that agree or not."""
    # Agreeing given names already say the sex: counting it again would double the evidence.
    if agree and given_names_agree:
        return 0.0
    return W_SEX[AGREE if agree else DISAGREE]


class SexBound:
    """Per-record sex codes, and the bound of the sex term for many pairs at once."""

    def __init__(self, records: Sequence[Prepared]) -> None:
        self.sex = np.array([{"F": 1, "M": 2}.get(p.sex, 0) for p in records], dtype=np.int8)

    def bound(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Exact for a disagreement; an agreement at its best (whether the given names agree is not known here)."""
        si, sj = self.sex[i], self.sex[j]
        known = (si != 0) & (sj != 0)
        return np.where(known, np.where(si == sj, max(W_SEX[AGREE], 0.0), W_SEX[DISAGREE]), 0.0)
