"""A vectorised upper bound of a claim pair's weight of evidence: pairs that cannot reach the review
threshold are dropped before the scorer runs.

Blocking on common names ("María Mamani", born within two years of each other) yields a million
candidate pairs in 100,000 claims, and fewer than 2 % of them score above ``REVIEW``: their names
agree but their birth dates, dates last seen, documents or places do not. Scoring each in Python costs
tens of microseconds; this module computes, for all of them at once with numpy, a weight that is never
below what ``scoring.compare`` would give, and only the pairs whose bound reaches the threshold are
scored. Nothing the scorer would keep is lost: ``tests/matching/test_prefilter.py`` checks the bound
against ``compare`` on thousands of pairs.

The bound is the sum of one bound per term of ``compare``, each kept in the term's module of
``terms`` beside the weights it bounds:

- exact: the prior, a disagreeing sex, two full birth dates (equal, day and month swapped, a year
  apart, or further), the birth-year interval gap, documents (one edit apart computed by rapidfuzz in
  C), the days between the dates last seen, countries that differ (corridor or not), and given names
  (computed by the scorer's own functions once per distinct pair of given-name parts);
- tight: surnames (exact token-pair weights, the heavier diagonal of the 2x2 alignment, names glued
  together checked); given names and surnames read exchanged;
- bounded: agreeing sex, height, marks, place words and photos at their best level; ``tightened``
  makes the marks and place words exact (per distinct pair of values) for the pairs the bound lets
  through, and ``worth_scoring`` keeps only the pairs that still reach the threshold.

Pairs of two claims, and a claim with a sighting: the bound puts the claim first, as ``compare``
does, takes the prior of the pair's kind, the delay from the disappearance to the sighting (exact)
in place of two dates last seen, and no "places differ" weight for a sighting. A pair of two
sightings is never scored and passes untouched (``+inf``). ``portal link`` uses the bound to stop
scoring a sighting's candidates once none left can enter its best ten (``linker.link``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .records import CLAIM, SIGHTING, Prepared
from .scoring import TermFrequencies, prior_log2_odds, weight_for
from .terms.appearance import AppearanceBound
from .terms.birth import BirthBound
from .terms.dates import EventBound
from .terms.document import DocumentBound
from .terms.names import NameBound
from .terms.place import PlaceBound
from .terms.sex import SexBound

SLACK_BITS = 0.01  # scores are rounded to 4 decimals: keep pairs a hair below the threshold too


class BoundColumns:
    """Per-record numpy columns of every term, for ``upper_bound``, built once per set of records."""

    def __init__(self, records: Sequence[Prepared], tf: TermFrequencies) -> None:
        self.claim = np.array([p.record.kind == CLAIM for p in records], dtype=bool)
        self.names = NameBound(records, tf)
        self.sex = SexBound(records)
        self.birth = BirthBound(records, tf)
        self.document = DocumentBound(records)
        self.event = EventBound(records)
        self.appearance = AppearanceBound(records)
        self.place = PlaceBound(records, tf)


def upper_bound(c: BoundColumns, i: np.ndarray, j: np.ndarray, population: int, given_exact: bool = True) -> np.ndarray:
    """For each pair (``i[k]``, ``j[k]``) as ``compare(records[i], records[j])``: a weight (log2 posterior
    odds) at least as high as the scorer's; ``+inf`` for a pair of two sightings.

    ``given_exact=False``: looser and cheaper, the given names at their best (``NameBound.bound``)."""
    claims = c.claim[i] & c.claim[j]
    bounded = claims | (c.claim[i] != c.claim[j])
    i, j = np.where(c.claim[i], i, j), np.where(c.claim[i], j, i)  # the claim first, as compare puts it
    weight = np.where(
        claims, prior_log2_odds(CLAIM, CLAIM, population), prior_log2_odds(CLAIM, SIGHTING, population)
    ).astype(np.float64)
    weight += c.names.bound(i, j, given_exact)
    weight += c.sex.bound(i, j)
    weight += c.birth.bound(i, j)
    weight += c.document.bound(i, j)
    weight += np.where(claims, c.event.bound(i, j), c.event.delay_bound(i, j))
    weight += c.appearance.height_bound(i, j)
    weight += c.appearance.marks_bound(i, j)
    weight += c.appearance.photo_bound(i, j)
    weight += c.place.bound(i, j, claims)
    return np.where(bounded, weight, np.inf)


def worth_scoring(
    c: BoundColumns, pairs: np.ndarray, population: int, min_score: float, chunk: int = 200_000
) -> np.ndarray:
    """Mask of the ``pairs`` (an (n, 2) array of positions) whose bound reaches ``min_score``."""
    if min_score <= 0 or len(pairs) == 0:
        return np.ones(len(pairs), dtype=bool)
    top = min(min_score, 0.9999)  # scores are rounded: 1.0 is any probability from 0.99995 up
    threshold = weight_for(top, CLAIM, CLAIM) - SLACK_BITS
    keep = np.zeros(len(pairs), dtype=bool)
    for start in range(0, len(pairs), chunk):
        i, j = pairs[start : start + chunk, 0], pairs[start : start + chunk, 1]
        # Three passes, each over the pairs the one before let through, each tighter and costlier per
        # pair: the given names at their best; then marks and places exact (at their best they let
        # through half the pairs for nothing); then the given names exact, per distinct pair of given
        # names (at 20,000 of the other generator's claims, 46,000 distinct pairs in 91,000).
        bound = upper_bound(c, i, j, population, given_exact=False)
        left = np.flatnonzero(bound >= threshold)
        loose, exact = _marks_and_places(c, i[left], j[left])
        bound = _exchanged(bound[left], loose, exact)
        passed = bound >= threshold
        left = left[passed]
        bound = _exchanged(upper_bound(c, i[left], j[left], population), loose[passed], exact[passed])
        keep[start + left[bound >= threshold]] = True
    return keep


def tightened(c: BoundColumns, i: np.ndarray, j: np.ndarray, bound: np.ndarray) -> np.ndarray:
    """``bound``, the ``upper_bound`` of the pairs, with the marks and place terms exact instead of at
    their best level (computed once per distinct pair of mark concepts and of places): still never
    below ``compare``'s weight."""
    return _exchanged(bound, *_marks_and_places(c, i, j))


def _marks_and_places(c: BoundColumns, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The marks and place terms of the pairs, at their best level (as ``upper_bound`` adds them) and exact."""
    i, j = np.where(c.claim[i], i, j), np.where(c.claim[i], j, i)  # the claim first, as compare puts it
    claims = c.claim[i] & c.claim[j]
    loose = c.appearance.marks_bound(i, j) + c.place.bound(i, j, claims)
    exact = c.appearance.marks_exact(i, j) + c.place.exact(i, j)
    return loose, exact


def _exchanged(bound: np.ndarray, loose: np.ndarray, exact: np.ndarray) -> np.ndarray:
    """``bound`` with the terms' best levels (``loose``) exchanged for their exact weights."""
    return np.where(np.isfinite(bound), bound - loose + exact, bound)
