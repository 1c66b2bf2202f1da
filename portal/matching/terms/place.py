"""The place term: shared place words, the same country, or a cross-border corridor, and its bound.

Duplicates are often filed in another country (the family crossed the border): a different country
weighs little against a match; a known corridor between the two countries weighs for it. Same country:
u is that country's share of the records (a network of nine countries is not one where a quarter of
the claims share any given country).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..evidence import CORRIDORS, compare_place_words
from ..records import CLAIM, Prepared
from . import level_weight, per_distinct_pair

if TYPE_CHECKING:
    from ..scoring import TermFrequencies

COUNTRY_M, COUNTRY_DEFAULT_U = 0.4, 0.15
W_PLACE = {"corridor": level_weight(0.3, 0.08), "other": level_weight(0.3, 0.66)}
# Same country, both name a place, no word in common ("Cusco" and "Lima"): claims of one disappearance
# usually name the same town (or write it differently: "El Alto" / "La Paz"); two strangers seldom do.
W_PLACE_DIFFERS = level_weight(0.25, 0.9)
PLACE_M, PLACE_DEFAULT_U = 0.35, 0.03
PLACE_EXTRA_WORD_BITS, PLACE_MAX_EXTRA_WORDS = 1.0, 2  # a whole address agreeing says more than a city


def place_weight(reason: str, a: Prepared, b: Prepared, tf: TermFrequencies) -> float:
    """The weight of ``evidence.compare_place_words``'s reason for two records."""
    if reason.startswith("place✓"):
        shared = a.place_words & b.place_words
        u = min(tf.place(word) for word in shared)  # the rarest shared word: "loyola", not "city"
        return level_weight(PLACE_M, min(u, 0.5)) + PLACE_EXTRA_WORD_BITS * min(len(shared) - 1, PLACE_MAX_EXTRA_WORDS)
    if reason.startswith("country="):
        return level_weight(COUNTRY_M, tf.country(a.country))
    if reason.startswith("place≠"):
        # Only two claims of one disappearance should name one place; a sighting is often elsewhere.
        differs = W_PLACE_DIFFERS if a.record.kind == b.record.kind == CLAIM else 0.0
        return level_weight(COUNTRY_M, tf.country(a.country)) + differs
    if reason.startswith("corridor"):
        return W_PLACE["corridor"]
    if reason.startswith("country≠"):
        return W_PLACE["other"]
    return 0.0


# ---------------------------------------------------------------- the bound


def _shared_words_bound(p: Prepared, tf: TermFrequencies) -> float:
    """Upper bound of the weight of shared place words (the rarest word of ``p``, plus extra words)."""
    if not p.place_words:
        return -math.inf
    rarest = min(tf.place(word) for word in p.place_words)
    extra = PLACE_EXTRA_WORD_BITS * min(len(p.place_words) - 1, PLACE_MAX_EXTRA_WORDS)
    return level_weight(PLACE_M, min(rarest, 0.5)) + extra


class PlaceBound:
    """Per-record countries and place words, and the bound of the place term for many pairs at once;
    exact (``exact``) once per distinct pair of places, for the pairs that pass the rest of the bound."""

    def __init__(self, records: Sequence[Prepared], tf: TermFrequencies) -> None:
        self.tf = tf
        self.place = np.array([_shared_words_bound(p, tf) for p in records], dtype=np.float64)
        # One record for each place as the term reads it (country, words and kind): the term's value
        # for two places is that of any two records of them.
        places: dict[tuple[str, frozenset[str], bool], int] = {}
        self.place_records: list[Prepared] = []
        ids = []
        for p in records:
            key = (p.country, p.place_words, p.record.kind == CLAIM)
            if key not in places:
                places[key] = len(self.place_records)
                self.place_records.append(p)
            ids.append(places[key])
        self.place_id = np.array(ids, dtype=np.int64)
        codes: dict[str, int] = {}
        self.country = np.zeros(len(records), dtype=np.int32)
        for k, p in enumerate(records):
            if p.country:
                self.country[k] = codes.setdefault(p.country, len(codes) + 1)
        size = len(codes) + 1
        self.corridor = np.zeros((size, size), dtype=bool)
        for a, ca in codes.items():
            for b, cb in codes.items():
                self.corridor[ca, cb] = frozenset((a, b)) in CORRIDORS
        self.country_weight = np.zeros(size, dtype=np.float64)
        for code, index in codes.items():
            self.country_weight[index] = level_weight(COUNTRY_M, tf.country(code))

    def bound(self, i: np.ndarray, j: np.ndarray, two_claims: np.ndarray | bool = True) -> np.ndarray:
        """Exact for countries that differ; otherwise the better of the place words and the country
        (less W_PLACE_DIFFERS for ``two_claims`` that both name places: a sighting is often elsewhere)."""
        ci, cj = self.country[i], self.country[j]
        both = (ci != 0) & (cj != 0)
        differ = both & (ci != cj)
        across = np.where(self.corridor[ci, cj], W_PLACE["corridor"], W_PLACE["other"])
        words = np.minimum(self.place[i], self.place[j])  # -inf when either has no place word
        differs = np.where(two_claims, W_PLACE_DIFFERS, 0.0)
        country = np.where(np.isfinite(words), self.country_weight[ci] + differs, self.country_weight[ci])
        same = np.maximum(words, np.where(both, country, 0.0))
        return np.where(differ, across, same)

    def exact(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """The place term of each pair as ``compare`` weighs it (``i`` the claim), once per distinct pair of places."""
        places = self.place_records

        def weight(x: int, y: int) -> float:
            a, b = places[x], places[y]
            return place_weight(
                compare_place_words(a.country, a.place_words, b.country, b.place_words).reason, a, b, self.tf
            )

        return per_distinct_pair(self.place_id[i], self.place_id[j], len(places), weight)
