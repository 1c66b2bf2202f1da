"""The document term: equal, one edit apart, or different document numbers, and its bound."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rapidfuzz.distance import OSA
from rapidfuzz.process import cpdist

from ..evidence import AGREE, DISAGREE, MIN_NEAR_DOCUMENT, PARTIAL
from ..records import Prepared
from . import level_weight

# Two different documents: a passport on one claim and a national id on the other happens, not often.
W_DOC = {AGREE: level_weight(0.6, 1e-6), PARTIAL: level_weight(0.08, 1e-5), DISAGREE: level_weight(0.1, 0.999)}


class DocumentBound:
    """Per-record documents, and the document term for many pairs at once (exact, not a bound)."""

    def __init__(self, records: Sequence[Prepared]) -> None:
        self.documents = [p.document for p in records]
        self.length = np.array([len(d) for d in self.documents], dtype=np.int32)

    def bound(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """The levels of ``evidence.compare_normalised_documents``, edit distances computed in C."""
        both = (self.length[i] > 0) & (self.length[j] > 0)
        out = np.zeros(len(i), dtype=np.float64)
        if not both.any():
            return out
        bi, bj = i[both], j[both]
        left = [self.documents[k] for k in bi.tolist()]
        right = [self.documents[k] for k in bj.tolist()]
        distance = cpdist(left, right, scorer=OSA.distance, score_cutoff=2, workers=1)
        near = (np.minimum(self.length[bi], self.length[bj]) >= MIN_NEAR_DOCUMENT) & (distance <= 1)
        out[both] = np.select([distance == 0, near], [W_DOC[AGREE], W_DOC[PARTIAL]], W_DOC[DISAGREE])
        return out
