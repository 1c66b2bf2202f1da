"""A vectorised upper bound of a claim pair's weight of evidence: pairs that cannot reach the review
threshold are dropped before the scorer runs.

Blocking on common names ("María Mamani", born within two years of each other) yields a million
candidate pairs in 100,000 claims, and fewer than 2 % of them score above ``REVIEW``: their names
agree but their birth dates, dates last seen, documents or places do not. Scoring each in Python costs
tens of microseconds; this module computes, for all of them at once with numpy, a weight that is never
below what ``scoring.compare`` would give, and only the pairs whose bound reaches the threshold are
scored. Nothing the scorer would keep is lost: ``tests/matching/test_prefilter.py`` checks the bound
against ``compare`` on thousands of pairs.

Each term mirrors one term of ``compare``:

- exact, from numpy columns: the prior, a disagreeing sex, two full birth dates (equal, day and month
  swapped, a year apart, or further), the birth-year interval gap, documents (one edit apart computed by
  rapidfuzz in C), the days between the dates last seen, countries that differ (corridor or not), and
  given names (computed by the scorer's own functions once per distinct pair of given-name parts);
- tight: surnames (exact token-pair weights, the heavier diagonal of the 2x2 alignment, names glued
  together checked); given names and surnames read exchanged (``_names_term``);
- bounded: agreeing sex, height, marks, place words and photos at their best level.

Only pairs of two claims are bounded (``compare`` orders and weighs sightings differently); any other
pair passes untouched. Keep this module in step with ``scoring.compare``: the property test fails when a
new or heavier term is added there and not here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from rapidfuzz.distance import OSA
from rapidfuzz.process import cpdist

from .evidence import AGE_PARTIAL_GAP, AGE_SLACK, AGREE, CORRIDORS, DISAGREE, PARTIAL
from .names import ParsedName, _given_part, compare_tokens
from .prefilter_names import _field_bound, _given_form_length, _names_term, _rarest_tokens, _token_bound
from .records import CLAIM, Prepared
from .scoring import (
    AGE_M,
    COUNTRY_M,
    DOB_EXACT_M,
    PLACE_EXTRA_WORD_BITS,
    PLACE_M,
    PLACE_MAX_EXTRA_WORDS,
    W_DOB,
    W_DOC,
    W_EVENT,
    W_HEIGHT,
    W_MARKS,
    W_PHOTO,
    W_PLACE,
    W_PLACE_DIFFERS,
    W_SEX,
    YEARS_IN_PLAY,
    TermFrequencies,
    prior_log2_odds,
    w,
    weight_for,
)

SLACK_BITS = 0.01  # scores are rounded to 4 decimals: keep pairs a hair below the threshold too

_UNKNOWN = -1
_TO_THE_DAY, _COARSER = 2, 1  # birth-date precision codes ("day"; "month", "year" or anything else)


def _place_bound(p: Prepared, tf: TermFrequencies) -> float:
    """Upper bound of the weight of shared place words (the rarest word of ``p``, plus extra words)."""
    if not p.place_words:
        return -math.inf
    rarest = min(tf.place(word) for word in p.place_words)
    extra = PLACE_EXTRA_WORD_BITS * min(len(p.place_words) - 1, PLACE_MAX_EXTRA_WORDS)
    return w(PLACE_M, min(rarest, 0.5)) + extra


class BoundColumns:
    """Per-record numpy columns for ``upper_bound``, built once per set of records."""

    def __init__(self, records: Sequence[Prepared], tf: TermFrequencies) -> None:
        n = len(records)
        self.claim = np.array([p.record.kind == CLAIM for p in records], dtype=bool)
        self.sex = np.array([{"F": 1, "M": 2}.get(p.sex, 0) for p in records], dtype=np.int8)
        self.lo = np.full(n, _UNKNOWN, dtype=np.int32)
        self.hi = np.full(n, _UNKNOWN, dtype=np.int32)
        self.precision = np.full(n, _UNKNOWN, dtype=np.int8)
        self.year = np.zeros(n, dtype=np.int32)
        self.month = np.zeros(n, dtype=np.int32)
        self.day = np.zeros(n, dtype=np.int32)
        self.dob_exact = np.zeros(n, dtype=np.float64)
        self.event = np.full(n, _UNKNOWN, dtype=np.int64)
        self.height = np.zeros(n, dtype=bool)
        self.marks = np.zeros(n, dtype=bool)
        self.photo = np.zeros(n, dtype=bool)
        self.documents = [p.document for p in records]
        self.doc_len = np.array([len(d) for d in self.documents], dtype=np.int32)
        self.tf = tf
        bounds = [_rarest_tokens(p, tf) for p in records]
        self.surname_top_joined = np.array([_token_bound("surname", b[1], joined=True) for b in bounds])
        self.surnames = np.array([len(p.name.surnames) for p in records], dtype=np.int32)
        self.given_count = np.array([len(p.name.given) for p in records], dtype=np.int32)
        self.given_bound = np.array(
            [
                _field_bound("given", _token_bound("given", b[0], joined=True), _given_form_length(p))
                for p, b in zip(records, bounds)
            ],
            dtype=np.float64,
        )
        vocabulary: dict[str, int] = {}
        self.surname_tokens = np.full((n, 2), -1, dtype=np.int64)
        self.given_tokens = np.full((n, 2), -1, dtype=np.int64)  # for the reading with names exchanged
        for i, p in enumerate(records):
            for k, token in enumerate(p.name.surnames[:2]):
                self.surname_tokens[i, k] = vocabulary.setdefault(token, len(vocabulary))
            for k, token in enumerate(p.name.given[:2]):
                self.given_tokens[i, k] = vocabulary.setdefault(token, len(vocabulary))
        self.surname_vocabulary = list(vocabulary)
        glued: dict[str, int] = {}
        self.glued_surnames = np.array([glued.setdefault("".join(p.name.surnames), len(glued)) for p in records])
        self.glued_given = np.array([glued.setdefault("".join(p.name.given), len(glued)) for p in records])
        self.glued_vocabulary = list(glued)
        self._glued: dict[int, bool] = {}
        self._surname_weights: dict[tuple[int, int], float] = {}
        self.has_given = np.array([bool(p.name.given) for p in records], dtype=bool)
        # Given names are few and repeat ("maría", "juan carlos"): their weight is computed exactly, once
        # per distinct pair of given-name parts, by the scorer's own functions.
        parts: dict[ParsedName, int] = {}
        self.given_id = np.array([parts.setdefault(_given_part(p.name), len(parts)) for p in records], dtype=np.int64)
        self.given_parts = list(parts)
        self._given_weights: dict[int, tuple[float, bool]] = {}
        self.place = np.array([_place_bound(p, tf) for p in records], dtype=np.float64)
        codes: dict[str, int] = {}
        self.country = np.zeros(n, dtype=np.int32)
        for i, p in enumerate(records):
            r = p.record
            if p.birth_years:
                self.lo[i], self.hi[i] = p.birth_years
            if r.birth_date is not None:
                self.precision[i] = _TO_THE_DAY if r.birth_precision == "day" else _COARSER
                self.year[i], self.month[i], self.day[i] = r.birth_date.year, r.birth_date.month, r.birth_date.day
                self.dob_exact[i] = w(DOB_EXACT_M, tf.birth_date(r.birth_date.isoformat()))
            if r.event_date is not None:
                self.event[i] = r.event_date.toordinal()
            self.height[i] = bool(r.height_cm)
            self.marks[i] = bool(p.marks)
            self.photo[i] = bool(r.photo_hashes)
            if p.country:
                self.country[i] = codes.setdefault(p.country, len(codes) + 1)
        size = len(codes) + 1
        self.corridor = np.zeros((size, size), dtype=bool)
        for a, ca in codes.items():
            for b, cb in codes.items():
                self.corridor[ca, cb] = frozenset((a, b)) in CORRIDORS
        self.country_weight = np.zeros(size, dtype=np.float64)
        for code, index in codes.items():
            self.country_weight[index] = w(COUNTRY_M, tf.country(code))

    def surname_token_weight(self, x: int, y: int) -> float:
        """The weight of two surname tokens aligned by the scorer, or -inf when they do not agree."""
        key = (x, y)
        weight = self._surname_weights.get(key)
        if weight is None:
            tx, ty = self.surname_vocabulary[x], self.surname_vocabulary[y]
            score, kind = compare_tokens(tx, ty)
            weight = self.tf.token_weight("surname", tx, ty, kind) if score > 0 else -math.inf
            self._surname_weights[key] = weight
        return weight

    def glued_agree(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Whether names written together agree (``names._joined``: "Thred Gold" / "Thredgold")."""
        size = len(self.glued_vocabulary)
        unique, inverse = np.unique(x.astype(np.int64) * size + y, return_inverse=True)
        out = np.empty(len(unique), dtype=bool)
        for k, code in enumerate(unique.tolist()):
            known = self._glued.get(code)
            if known is None:
                known = compare_tokens(self.glued_vocabulary[code // size], self.glued_vocabulary[code % size])[0] > 0
                self._glued[code] = known
            out[k] = known
        return out[inverse]


def _dob_bound(c: BoundColumns, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """The birth-date term: exact for two full dates and for gaps that disagree, bounded otherwise."""
    both_years = (c.lo[i] != _UNKNOWN) & (c.lo[j] != _UNKNOWN)
    both_dates = (c.precision[i] != _UNKNOWN) & (c.precision[j] != _UNKNOWN)
    years = np.abs(c.year[i] - c.year[j])
    # Two dates, not both to the day: month or year agreement at best, "dob≈" within a year, else ✗.
    coarse = np.where(years <= 1, max(W_DOB["dob=month"], W_DOB["dob=year"], W_DOB["dob≈"]), W_DOB["dob✗"])
    # Two dates to the day, exactly as _compare_birth_dates reads them.
    same_md = (c.month[i] == c.month[j]) & (c.day[i] == c.day[j])
    swapped = (c.year[i] == c.year[j]) & (c.month[i] == c.day[j]) & (c.day[i] == c.month[j]) & ~same_md
    equal = same_md & (years == 0)
    fine = np.select(
        [equal, swapped, same_md & (years == 1), years == 0, years <= 1],
        [
            c.dob_exact[i],
            W_DOB["dob≈(day/month swapped)"],
            W_DOB["dob≈(year±1)"],
            W_DOB["dob≈(same year)"],
            W_DOB["dob≈"],
        ],
        W_DOB["dob✗"],
    )
    dates = np.where((c.precision[i] == _TO_THE_DAY) & (c.precision[j] == _TO_THE_DAY), fine, coarse)
    # An age interval on either side: agreement weighs by the intervals' width.
    gap = np.maximum(c.lo[i], c.lo[j]) - np.minimum(c.hi[i], c.hi[j])
    width = 1 + (c.hi[i] - c.lo[i]) + (c.hi[j] - c.lo[j]) + 2
    agree = np.log2(AGE_M / np.minimum(width / YEARS_IN_PLAY, 0.9))
    ages = np.select([gap <= AGE_SLACK, gap <= AGE_PARTIAL_GAP], [agree, W_DOB["age≈"]], W_DOB["age✗"])
    return np.where(both_years, np.where(both_dates, dates, ages), 0.0)


def _document_term(c: BoundColumns, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    both = (c.doc_len[i] > 0) & (c.doc_len[j] > 0)
    out = np.zeros(len(i), dtype=np.float64)
    if not both.any():
        return out
    bi, bj = i[both], j[both]
    left = [c.documents[k] for k in bi.tolist()]
    right = [c.documents[k] for k in bj.tolist()]
    distance = cpdist(left, right, scorer=OSA.distance, score_cutoff=2, workers=1)
    near = (np.minimum(c.doc_len[bi], c.doc_len[bj]) >= 6) & (distance <= 1)
    out[both] = np.select([distance == 0, near], [W_DOC[AGREE], W_DOC[PARTIAL]], W_DOC[DISAGREE])
    return out


def upper_bound(c: BoundColumns, i: np.ndarray, j: np.ndarray, population: int) -> np.ndarray:
    """For each pair (``i[k]``, ``j[k]``) as ``compare(records[i], records[j])``: a weight (log2 posterior
    odds) at least as high as the scorer's; ``+inf`` for a pair that is not two claims."""
    weight = np.full(len(i), prior_log2_odds(CLAIM, CLAIM, population), dtype=np.float64)
    weight += _names_term(c, i, j)
    si, sj = c.sex[i], c.sex[j]
    known = (si != 0) & (sj != 0)
    weight += np.where(known, np.where(si == sj, max(W_SEX[AGREE], 0.0), W_SEX[DISAGREE]), 0.0)
    weight += _dob_bound(c, i, j)
    weight += _document_term(c, i, j)
    ei, ej = c.event[i], c.event[j]
    days = np.abs(ei - ej)
    event = np.select([days <= 14, days <= 120], [W_EVENT["near"], W_EVENT["months"]], W_EVENT["far"])
    weight += np.where((ei != _UNKNOWN) & (ej != _UNKNOWN), event, 0.0)
    weight += np.where(c.height[i] & c.height[j], max(max(W_HEIGHT.values()), 0.0), 0.0)
    weight += np.where(c.marks[i] & c.marks[j], max(max(W_MARKS.values()), 0.0), 0.0)
    weight += np.where(c.photo[i] & c.photo[j], W_PHOTO, 0.0)
    weight += _place_term(c, i, j)
    return np.where(c.claim[i] & c.claim[j], weight, np.inf)


def _place_term(c: BoundColumns, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    ci, cj = c.country[i], c.country[j]
    both = (ci != 0) & (cj != 0)
    differ = both & (ci != cj)
    across = np.where(c.corridor[ci, cj], W_PLACE["corridor"], W_PLACE["other"])
    words = np.minimum(c.place[i], c.place[j])  # -inf when either has no place word
    country = np.where(np.isfinite(words), c.country_weight[ci] + W_PLACE_DIFFERS, c.country_weight[ci])
    same = np.maximum(words, np.where(both, country, 0.0))
    return np.where(differ, across, same)


def worth_scoring(
    c: BoundColumns, pairs: np.ndarray, population: int, min_score: float, chunk: int = 200_000
) -> np.ndarray:
    """Mask of the ``pairs`` (an (n, 2) array of positions) whose bound reaches ``min_score``."""
    if min_score <= 0 or len(pairs) == 0:
        return np.ones(len(pairs), dtype=bool)
    top = min(min_score, 0.9999)  # scores are rounded: 1.0 is any probability from 0.99995 up
    threshold = weight_for(top, CLAIM, CLAIM) - SLACK_BITS
    keep = np.empty(len(pairs), dtype=bool)
    for start in range(0, len(pairs), chunk):
        part = pairs[start : start + chunk]
        keep[start : start + chunk] = upper_bound(c, part[:, 0], part[:, 1], population) >= threshold
    return keep
