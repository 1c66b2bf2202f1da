"""Fellegi–Sunter scoring: weights of evidence, frequency adjustment, a calibrated probability, reasons.

Each comparison (given names, surnames, birth date or age, sex, document, height, dates, marks,
place, photos) falls into a level; each level has an ``m`` probability (how often a true match is in
that level) and a ``u`` probability (how often two different people are). The weight of a level is
``log2(m / u)``; the weights add up to a Bayes factor that turns the prior odds of a pair into
posterior odds. Exact name agreements use the frequency of the agreeing name as ``u`` (term-frequency
adjustment), so agreeing on "Mamani" is weak evidence and agreeing on "Xicará" strong.

The prior is ``expected matches per record / records in the other set``: in a network of a million
claims, a sighting that says only "María, 15" cannot be anyone's with confidence, and the
probability says so. ``MATCH`` and ``REVIEW`` are thresholds on that probability.
Nationality is never compared: it says nothing about identity and must never be a reason.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .evidence import (
    AGREE,
    DISAGREE,
    IMPOSSIBLE,
    PARTIAL,
    compare_age,
    compare_height,
    compare_mark_concepts,
    compare_normalised_documents,
    compare_place_words,
    compare_time_order,
)
from .names import name_similarity
from .records import CLAIM, DAY, SIGHTING, Prepared

MATCH = 0.5  # decision "match": the engine would link the pair (an officer still confirms in the portal)
REVIEW = 0.02  # candidates from here up enter the review queue (and `portal link`'s default --min-score)
# Why these two: with calibrated scores the pairwise-F1-optimal threshold is F1*/2 (about 0.49 here).
# REVIEW is low on purpose: a sighting that says "Fer, 14-18, Tacna" deserves an officer's look at the
# few claims it could be, though none of them is likely.

DEDUPE_RATE = 0.15  # expected duplicate claims per claim (prior for claim-claim pairs)
LINK_RATE = 0.7  # expected true claims per sighting / per record of RIGHT (prior for linking)

TF_FLOOR = 1e-5  # the rarest name still has this frequency (unseen names are not infinitely strong)


def w(m: float, u: float) -> float:
    return math.log2(m / u)


# Weights of fixed levels (m, u). Sources: the corruption rates observed in duplicate claims and
# sightings (linkage-notes.md) and plain population facts (sex 50/50, ~25 birth years in play).
W_SEX = {AGREE: w(0.97, 0.5), DISAGREE: w(0.02, 0.5)}
# Two different documents: a passport on one claim and a national id on the other happens, not often.
W_DOC = {AGREE: w(0.6, 1e-6), PARTIAL: w(0.08, 1e-5), DISAGREE: w(0.1, 0.999)}
W_HEIGHT = {AGREE: w(0.85, 0.35), PARTIAL: w(0.1, 0.25), DISAGREE: w(0.05, 0.4)}
W_MARKS = {AGREE: w(0.35, 0.004), PARTIAL: w(0.25, 0.06), DISAGREE: w(0.05, 0.05)}
# Duplicates are often filed in another country (the family crossed the border): a different country
# weighs little against a match; a known corridor between the two countries weighs for it.
# Same country: u is that country's share of the records (a network of nine countries is not one
# where a quarter of the claims share any given country).
COUNTRY_M, COUNTRY_DEFAULT_U = 0.4, 0.15
W_PLACE = {"corridor": w(0.3, 0.08), "other": w(0.3, 0.66)}
# Same country, both name a place, no word in common ("Cusco" and "Lima"): claims of one disappearance
# usually name the same town (or write it differently: "El Alto" / "La Paz"); two strangers seldom do.
W_PLACE_DIFFERS = w(0.25, 0.9)
# A sighting after the disappearance: most people missing are seen again within the first year.
W_SIGHTING_DELAY = {"year": w(0.75, 0.4), "years": w(0.2, 0.35), "later": w(0.05, 0.25)}
# Two claims' dates last seen: claims of one disappearance name the same days; weeks apart is rare
# (a date misremembered), months apart rarer (or another disappearance of the same person).
W_EVENT = {"near": w(0.9, 0.03), "months": w(0.05, 0.12), "far": w(0.03, 0.85)}
W_PHOTO = w(0.3, 1e-4)
PHOTO_MAX_DISTANCE = 10  # of 64 dHash bits: the same picture, resized or recompressed

DOB_EXACT_M, DOB_DEFAULT_U = 0.65, 1.5e-4
# Birth date levels by the comparator's reason; interval agreement ("age✓") is weighted by its width.
# "dob=month"/"dob=year" are read when one side gives only the month or the year: m and u are then both
# conditional on that (how much a family knows does not depend on whether two claims match), so m is
# the chance that the known part agrees for one person, not the share of pairs at this level.
W_DOB = {
    "dob=exact": w(DOB_EXACT_M, DOB_DEFAULT_U),  # u from the file's own birth-date frequencies when known
    "dob=month": w(0.85, 1 / (25 * 12)),
    "dob=year": w(0.85, 1 / 25),
    "dob≈(day/month swapped)": w(0.03, 2e-4),
    "dob≈(year±1)": w(0.05, 3e-4),
    "dob≈(same year)": w(0.04, 0.04),
    "dob≈": w(0.015, 0.08),  # a year and a day apart: two typos at once (linkage-notes lists one at a time)
    "age≈": w(0.08, 0.12),
    "dob✗": w(0.01, 0.85),
    "age✗": w(0.02, 0.75),
}
AGE_M, YEARS_IN_PLAY = 0.9, 30.0

# Names: each aligned token pair weighs log2(m/u) by its kind; ``u`` of an exact or phonetic agreement
# is the frequency of the name (term-frequency adjustment), so "mamani" counts for little.
M_TOKEN = {"exact": 0.8, "phonetic": 0.5, "nickname": 0.5, "typo": 0.3, "initial": 0.04, "joined": 0.3}
U_SCALE = {"exact": 1.0, "phonetic": 1.0, "nickname": 1.0, "typo": 1.0}  # u = scale x frequency of the commoner token
U_FLOOR = {
    "nickname": 0.001,
    "typo": 0.01,
}  # a nickname stands for a common name even when the file never spells it out
U_FIXED = {"initial": 0.06, "joined": 0.002}
W_NAME_NONE = {"given": w(0.02, 0.96), "surname": w(0.01, 0.97)}  # nothing agrees at all
# Both records have two or more of them but only one agrees: "Ana Bustillos Gutiérrez" is not
# "Ana Bustillos Cáceres" (duplicates keep both surnames, or lose one, far more often).
W_ONE_OF_TWO = {"given": w(0.15, 0.85), "surname": w(0.06, 0.95)}
SURNAME_PAIR_MAX_BITS = 14.0
EXTRA_TOKEN_BITS = 1.0
# "Juan" against "Juan José": a duplicate that dropped a second given name, or another Juan; the second
# reading is the likelier, so the shared name counts for less than a full agreement.
W_GIVEN_PARTIAL = w(0.1, 0.4) - w(
    0.8, 0.6
)  # each further agreeing token adds this (names are correlated within a family)


def frequency_tokens(p: Prepared) -> tuple[set[str], set[str]]:
    """The given-name tokens (aliases included) and surname tokens a record adds to the counts."""
    name = p.name
    return {*name.given, *(t for alias in name.aliases for t in alias.split())}, set(name.surnames)


class TermFrequencies:
    """Share of records carrying each folded given-name token (aliases included) and surname token."""

    def __init__(
        self,
        given_counts: dict[str, int],
        surname_counts: dict[str, int],
        total: int,
        place_counts: dict[str, int] | None = None,
        birth_date_counts: dict[str, int] | None = None,
        country_counts: dict[str, int] | None = None,
    ) -> None:
        self.given_counts, self.surname_counts, self.total = given_counts, surname_counts, total
        self.place_counts = place_counts or {}
        self.birth_date_counts = birth_date_counts or {}
        self.country_counts = country_counts or {}
        self._weights: dict[tuple[str, str, str, str], float] = {}

    @classmethod
    def from_prepared(cls, records: Iterable[Prepared]) -> TermFrequencies:
        given: Counter[str] = Counter()
        surnames: Counter[str] = Counter()
        places: Counter[str] = Counter()
        births: Counter[str] = Counter()
        countries: Counter[str] = Counter()
        total = 0
        for p in records:
            total += 1
            if p.country:
                countries[p.country] += 1
            if p.record.birth_date is not None and p.record.birth_precision == DAY:
                births[p.record.birth_date.isoformat()] += 1
            given_tokens, surname_tokens = frequency_tokens(p)
            given.update(given_tokens)
            surnames.update(surname_tokens)
            places.update(p.place_words)
        return cls(dict(given), dict(surnames), total, dict(places), dict(births), dict(countries))

    def birth_date(self, iso: str) -> float:
        """Share of records born on this day (many claims of children crowd a few birth years)."""
        if not self.birth_date_counts:
            return DOB_DEFAULT_U
        return max(self.birth_date_counts.get(iso, 0) / max(self.total, 1), DOB_DEFAULT_U)

    def country(self, code: str) -> float:
        """Share of records in this country (0.15 when not counted)."""
        if not self.country_counts:
            return COUNTRY_DEFAULT_U
        return min(max(self.country_counts.get(code, 0) / max(self.total, 1), 0.01), 0.9)

    def place(self, word: str) -> float:
        """Share of records naming this place word; unknown (the portal does not count them) is 0.03."""
        if not self.place_counts:
            return PLACE_DEFAULT_U
        return max(self.place_counts.get(word, 0) / max(self.total, 1), TF_FLOOR)

    def given(self, token: str) -> float:
        """Share of records with this given name; for several words ("maria jose"), the commonest word's."""
        if " " in token:
            return max(self.given(word) for word in token.split())
        return max(self.given_counts.get(token, 0) / max(self.total, 1), TF_FLOOR)

    def surname(self, token: str) -> float:
        if " " in token:
            return max(self.surname(word) for word in token.split())
        return max(self.surname_counts.get(token, 0) / max(self.total, 1), TF_FLOOR)

    def token_weight(self, field: str, x: str, y: str, kind: str) -> float:
        """Weight of one aligned token pair (memoised: the same names meet again and again)."""
        key = (field, x, y, kind)
        weight = self._weights.get(key)
        if weight is None:
            if kind in U_FIXED:
                weight = w(M_TOKEN[kind], U_FIXED[kind])
            else:
                freq = self.given if field == "given" else self.surname
                u = U_SCALE.get(kind, 1.0) * max(freq(x), freq(y), U_FLOOR.get(kind, 0.0))
                weight = w(M_TOKEN.get(kind, 0.1), min(u, 0.5))
            if len(self._weights) < 1_000_000:
                self._weights[key] = weight
        return weight


EMPTY_FREQUENCIES = TermFrequencies({}, {}, 0)


@dataclass(frozen=True)
class MatchResult:
    score: float  # calibrated probability that the two records are the same person
    decision: str  # "match", "possible" or "" (below the review threshold)
    reasons: tuple[str, ...]
    log2_bayes_factor: float


def decision_for(score: float) -> str:
    return "match" if score >= MATCH else ("possible" if score >= REVIEW else "")


@lru_cache(maxsize=1024)
def prior_log2_odds(kind_a: str, kind_b: str, population: int) -> float:
    """Log2 prior odds that a pair is the same person, given how many records each is drawn from."""
    if kind_a == kind_b == CLAIM:
        # Each duplicate pair is one of population²/2 unordered pairs: 2 x rate / population.
        p = 2 * DEDUPE_RATE / max(population, 1)
    else:
        p = LINK_RATE / max(population, 1)
    p = min(p, 0.5)
    return math.log2(p / (1 - p))


def _name_weight(field: str, score: float | None, matches, n_a: int, n_b: int, tf: TermFrequencies) -> float:
    """Weight of the given names or the surnames from their aligned token pairs."""
    if score is None:
        return 0.0
    if not matches:
        return W_NAME_NONE[field]
    weights = sorted((tf.token_weight(field, x, y, kind) for x, y, kind in matches), reverse=True)
    weight = weights[0] + EXTRA_TOKEN_BITS * sum(1 for extra in weights[1:] if extra > 0)
    if field == "surname" and len(weights) >= 2:
        # Two surnames together: near independent, but never stronger than siblings allow (brothers and
        # sisters share both surnames, so a rare pair of surnames is a family, not yet a person).
        weight = max(weight, min(sum(weights) - w(1, 1 / 4), SURNAME_PAIR_MAX_BITS))
    if min(n_a, n_b) >= 2 and len(matches) < 2:
        weight += W_ONE_OF_TWO[field]
    elif field == "given" and n_a != n_b and len(matches) < max(n_a, n_b):
        weight += W_GIVEN_PARTIAL
    return weight


def _dob_weight(reason: str, a: Prepared, b: Prepared, tf: TermFrequencies) -> float:
    if reason == "dob=exact" and a.record.birth_date is not None:
        return w(DOB_EXACT_M, tf.birth_date(a.record.birth_date.isoformat()))
    if reason == "age✓":
        width = 1 + (a.birth_years[1] - a.birth_years[0]) + (b.birth_years[1] - b.birth_years[0]) + 2
        return w(AGE_M, min(width / YEARS_IN_PLAY, 0.9))
    for prefix in (reason, reason.split("(")[0]):
        if prefix in W_DOB:
            return W_DOB[prefix]
    return 0.0


PLACE_M, PLACE_DEFAULT_U = 0.35, 0.03
PLACE_EXTRA_WORD_BITS, PLACE_MAX_EXTRA_WORDS = 1.0, 2  # a whole address agreeing says more than a city


def _place_weight(reason: str, a: Prepared, b: Prepared, tf: TermFrequencies) -> float:
    if reason.startswith("place✓"):
        shared = a.place_words & b.place_words
        u = min(tf.place(word) for word in shared)  # the rarest shared word: "loyola", not "city"
        return w(PLACE_M, min(u, 0.5)) + PLACE_EXTRA_WORD_BITS * min(len(shared) - 1, PLACE_MAX_EXTRA_WORDS)
    if reason.startswith("country="):
        return w(COUNTRY_M, tf.country(a.country))
    if reason.startswith("place≠"):
        # Only two claims of one disappearance should name one place; a sighting is often elsewhere.
        differs = W_PLACE_DIFFERS if a.record.kind == b.record.kind == CLAIM else 0.0
        return w(COUNTRY_M, tf.country(a.country)) + differs
    if reason.startswith("corridor"):
        return W_PLACE["corridor"]
    if reason.startswith("country≠"):
        return W_PLACE["other"]
    return 0.0


def _hamming(a: int, b: int) -> int:
    return bin((a ^ b) & 0xFFFFFFFFFFFFFFFF).count("1")


def compare(a: Prepared, b: Prepared, tf: TermFrequencies, population: int) -> MatchResult:
    """Score record ``b`` against record ``a`` (``a`` is the claim when one of them is a sighting).

    ``population`` is the number of records ``b`` could have matched (the claims of the network,
    or the size of LEFT): it sets the prior.
    """
    ra, rb = a.record, b.record
    if ra.kind == SIGHTING and rb.kind == CLAIM:
        a, b, ra, rb = b, a, rb, ra
    weight = prior_log2_odds(ra.kind, rb.kind, population)
    reasons: list[str] = []

    names = name_similarity(a.name, b.name)
    weight += _name_weight("given", names.given_score, names.given_matches, len(a.name.given), len(b.name.given), tf)
    weight += _name_weight(
        "surname", names.surname_score, names.surname_matches, len(a.name.surnames), len(b.name.surnames), tf
    )
    reasons.extend(r for r in names.reasons if not r.endswith("=missing"))

    if a.sex and b.sex:
        agree = a.sex == b.sex
        # Agreeing given names already say the sex: counting it again would double the evidence.
        if not (agree and names.given_matches):
            weight += W_SEX[AGREE if agree else DISAGREE]
        reasons.append("sex✓" if agree else "sex✗")

    age = compare_age(
        ra.birth_date,
        ra.birth_precision,
        ra.age_min,
        ra.age_max,
        ra.event_date,
        rb.age_min,
        rb.age_max,
        rb.event_date,
        birth_date_b=rb.birth_date,
        birth_precision_b=rb.birth_precision,
    )
    if a.birth_years and b.birth_years:
        weight += _dob_weight(age.reason, a, b, tf)
        reasons.append(age.reason)

    doc = compare_normalised_documents(a.document, b.document)
    if doc.level in W_DOC:
        weight += W_DOC[doc.level]
        reasons.append(doc.reason)

    vetoed = False
    if ra.kind == CLAIM and rb.kind == SIGHTING:
        order = compare_time_order(ra.event_date, rb.event_date)
        if order.level == IMPOSSIBLE:
            vetoed = True
            reasons.append(order.reason)
        elif ra.event_date and rb.event_date:
            days = (rb.event_date - ra.event_date).days
            weight += W_SIGHTING_DELAY["year" if days <= 366 else ("years" if days <= 3 * 366 else "later")]
        years_between = max(
            ((rb.event_date - ra.event_date).days / 365.25) if ra.event_date and rb.event_date else 0, 0
        )
    else:
        years_between = 0.0
        if ra.event_date and rb.event_date:
            days = abs((ra.event_date - rb.event_date).days)
            level = "near" if days <= 14 else ("months" if days <= 120 else "far")
            weight += W_EVENT[level]
            if level != "near":
                reasons.append(f"dates {days}d apart")

    minor = bool(a.birth_years and ra.event_date and ra.event_date.year - a.birth_years[0] < 18)
    height = compare_height(
        ra.height_cm,
        rb.height_cm,
        a_is_estimate=ra.kind == SIGHTING,
        b_is_estimate=rb.kind == SIGHTING,
        years_between=years_between,
        minor=minor,
    )
    if height.level in W_HEIGHT:
        weight += W_HEIGHT[height.level]
        reasons.append(height.reason)

    marks = compare_mark_concepts(a.marks, b.marks)
    if marks.level in W_MARKS:
        weight += W_MARKS[marks.level]
        reasons.append(marks.reason)

    place = compare_place_words(a.country, a.place_words, b.country, b.place_words)
    weight += _place_weight(place.reason, a, b, tf)
    two_claims = ra.kind == rb.kind == CLAIM
    if (
        place.level in (AGREE, PARTIAL)
        and not place.reason.startswith("country=")
        and (two_claims or not place.reason.startswith("place≠"))
    ):
        reasons.append(place.reason)

    if ra.photo_hashes and rb.photo_hashes:
        distance = min(_hamming(x, y) for x in ra.photo_hashes for y in rb.photo_hashes)
        if distance <= PHOTO_MAX_DISTANCE:
            weight += W_PHOTO
            reasons.append("photo=same" if distance == 0 else f"photo≈({distance}/64)")

    if vetoed:
        return MatchResult(0.0, "", tuple(reasons), float("-inf"))
    score = probability(weight, ra.kind, rb.kind)
    return MatchResult(score, decision_for(score), tuple(reasons), weight)


# Calibration: the weights add up as if the comparisons were independent, and they are not quite
# (look-alike strangers share a town and a date as well as a name), so the raw log-odds run
# over-confident in the middle. A slope and an offset (Platt scaling) per kind of pair, fitted on the
# labelled synthetic benchmark (bench/generate.py, 100k claims, seed 1) and checked on seed 2 and on
# 10k claims: bench/README.md has the calibration tables before and after.
CALIBRATION = {(CLAIM, CLAIM): (1.10, -1.35), (CLAIM, SIGHTING): (0.60, -2.34)}  # (slope, offset in bits)
SCORE_DECIMALS = 4


def _pair_kind(kind_a: str, kind_b: str) -> tuple[str, str]:
    return (kind_a, kind_b) if kind_a == kind_b else (CLAIM, SIGHTING)


def probability(weight: float, kind_a: str, kind_b: str) -> float:
    """The calibrated probability of a pair from its weight of evidence (log2 posterior odds)."""
    slope, offset = CALIBRATION.get(_pair_kind(kind_a, kind_b), (1.0, 0.0))
    odds = slope * weight + offset
    return round(1.0 / (1.0 + 2.0 ** (-odds)), SCORE_DECIMALS) if odds > -60 else 0.0


def weight_for(score: float, kind_a: str, kind_b: str) -> float:
    """The weight of evidence at which ``probability`` reaches ``score`` (0 < score < 1)."""
    slope, offset = CALIBRATION.get(_pair_kind(kind_a, kind_b), (1.0, 0.0))
    return (math.log2(score / (1 - score)) - offset) / slope
