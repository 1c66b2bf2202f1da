"""The appearance terms: height, distinguishing marks and photos, and their bounds.

Their levels depend on more than a column can hold (growth of a minor, the marks' concepts, every pair
of photo hashes), so each is bounded at its best level whenever both records have the value. The
marks term, the loosest (6.5 bits at its best, and most claims describe a mark), is also computed
exactly, once per distinct pair of the records' mark concepts, for the pairs that pass the rest.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..evidence import AGREE, DISAGREE, PARTIAL, compare_mark_concepts
from ..marks import MarkConcepts
from ..records import Prepared
from . import level_weight, per_distinct_pair

W_HEIGHT = {AGREE: level_weight(0.85, 0.35), PARTIAL: level_weight(0.1, 0.25), DISAGREE: level_weight(0.05, 0.4)}
W_MARKS = {AGREE: level_weight(0.35, 0.004), PARTIAL: level_weight(0.25, 0.06), DISAGREE: level_weight(0.05, 0.05)}
W_PHOTO = level_weight(0.3, 1e-4)
PHOTO_MAX_DISTANCE = 10  # of 64 dHash bits: the same picture, resized or recompressed


def photo_distance(a: Sequence[int], b: Sequence[int]) -> int:
    """The fewest differing bits between any photo hash of ``a`` and any of ``b`` (both non-empty)."""
    return min(bin((x ^ y) & 0xFFFFFFFFFFFFFFFF).count("1") for x in a for y in b)


class AppearanceBound:
    """Which records have a height, marks and photos, and the bound of those three terms."""

    def __init__(self, records: Sequence[Prepared]) -> None:
        self.height = np.array([bool(p.record.height_cm) for p in records], dtype=bool)
        self.marks = np.array([bool(p.marks) for p in records], dtype=bool)
        concepts: dict[MarkConcepts, int] = {}
        self.marks_id = np.array([concepts.setdefault(p.marks, len(concepts)) for p in records], dtype=np.int64)
        self.mark_concepts = list(concepts)
        self.photo = np.array([bool(p.record.photo_hashes) for p in records], dtype=bool)

    def height_bound(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """The best height level where both records give a height."""
        return np.where(self.height[i] & self.height[j], max(max(W_HEIGHT.values()), 0.0), 0.0)

    def marks_bound(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """The best marks level where both records describe marks."""
        return np.where(self.marks[i] & self.marks[j], max(max(W_MARKS.values()), 0.0), 0.0)

    def marks_exact(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """The marks term of each pair as ``compare`` weighs it, computed once per distinct pair of concepts."""
        concepts = self.mark_concepts

        def weight(x: int, y: int) -> float:
            return W_MARKS.get(compare_mark_concepts(concepts[x], concepts[y]).level, 0.0)

        return per_distinct_pair(self.marks_id[i], self.marks_id[j], len(concepts), weight)

    def photo_bound(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """The same photo where both records have photos."""
        return np.where(self.photo[i] & self.photo[j], W_PHOTO, 0.0)
