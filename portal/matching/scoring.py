"""Fellegi–Sunter scoring: weights of evidence, frequency adjustment, a calibrated probability, reasons.

Each comparison (given names, surnames, birth date or age, sex, document, height, dates, marks,
place, photos) falls into a level; each level has an ``m`` probability (how often a true match is in
that level) and a ``u`` probability (how often two different people are). The weight of a level is
``log2(m / u)``; the weights add up to a Bayes factor that turns the prior odds of a pair into
posterior odds. Exact name agreements use the frequency of the agreeing name as ``u`` (term-frequency
adjustment), so agreeing on "Mamani" is weak evidence and agreeing on "Xicará" strong. Two claims of
one country take the name's frequency among that country's records when it holds enough of them
(``TermFrequencies.for_pair``): "Mamani" is commoner among Bolivia's claims than in the network.

The prior is ``expected matches per record / records in the other set``: in a network of a million
claims, a sighting that says only "María, 15" cannot be anyone's with confidence, and the
probability says so. ``MATCH`` and ``REVIEW`` are thresholds on that probability.
Nationality is never compared: it says nothing about identity and must never be a reason.

The weights of each comparison's levels, and the upper bound of each that ``prefilter`` uses, live
together in one module per term (``terms``); ``compare`` adds them up.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .evidence import (
    AGREE,
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
from .terms import level_weight
from .terms.appearance import PHOTO_MAX_DISTANCE, W_HEIGHT, W_MARKS, W_PHOTO, photo_distance
from .terms.birth import DOB_DEFAULT_U, birth_weight
from .terms.dates import W_EVENT, event_level, sighting_delay_weight
from .terms.document import W_DOC
from .terms.names import U_FIXED, U_FLOOR, U_SCALE, m_token, name_weight
from .terms.place import COUNTRY_DEFAULT_U, PLACE_DEFAULT_U, place_weight
from .terms.sex import sex_weight

MATCH = 0.5  # decision "match": the engine would link the pair (an officer still confirms in the portal)
REVIEW = 0.02  # pairs of claims from here up enter the review queue (and `portal link`'s default --min-score)
SIGHTING_REVIEW = 0.005  # the same for a sighting's candidates, of which it keeps its best SIGHTING_TOP
SIGHTING_TOP = 10
# Why these: with calibrated scores the pairwise-F1-optimal threshold is F1*/2 (about 0.49 here).
# REVIEW is low on purpose: two claims of one person are worth an officer's look even when unlikely.
# A sighting goes lower still, because its candidates are read beside it, one sighting at a time, at
# the sightings desk, and never more than ten: a sighting that says only "Rosa, about 15, Oruro" has
# no likely claim in a registry of 100,000, and the ten it could be are the officer's best lead (on
# data the project did not design, this finds the true claim for 7 to 9 % more of the sightings,
# bench/README.md).

DEDUPE_RATE = 0.15  # expected duplicate claims per claim (prior for claim-claim pairs)
LINK_RATE = 0.7  # expected true claims per sighting / per record of RIGHT (prior for linking)

TF_FLOOR = 1e-5  # the rarest name still has this frequency (unseen names are not infinitely strong)
# Two claims of one country take its own name frequencies from this many records of that country up
# (fewer: the network's). Measured at 20,000 and 100,000 claims (bench/README.md, docs/decisions.md 54).
LOCAL_MIN_RECORDS = 1000


def frequency_tokens(p: Prepared) -> tuple[set[str], set[str]]:
    """The given-name tokens (aliases included) and surname tokens a record adds to the counts."""
    name = p.name
    return {*name.given, *(t for alias in name.aliases for t in alias.split())}, set(name.surnames)


class TermFrequencies:
    """Share of records carrying each folded given-name token (aliases included) and surname token,
    in the whole set and (``by_country``: given counts, surname counts, records) in each country."""

    def __init__(
        self,
        given_counts: dict[str, int],
        surname_counts: dict[str, int],
        total: int,
        place_counts: dict[str, int] | None = None,
        birth_date_counts: dict[str, int] | None = None,
        country_counts: dict[str, int] | None = None,
        by_country: dict[str, tuple[dict[str, int], dict[str, int], int]] | None = None,
        whole: int | None = None,
    ) -> None:
        self.given_counts, self.surname_counts, self.total = given_counts, surname_counts, total
        self.whole = total if whole is None else whole  # records the place, birth-date and country shares are of
        self.place_counts = place_counts or {}
        self.birth_date_counts = birth_date_counts or {}
        self.country_counts = country_counts or {}
        self.by_country = {c: counts for c, counts in (by_country or {}).items() if counts[2] >= LOCAL_MIN_RECORDS}
        self._within: dict[str, TermFrequencies] = {}
        self._weights: dict[tuple[str, str, str, str], float] = {}

    @classmethod
    def from_prepared(cls, records: Iterable[Prepared]) -> TermFrequencies:
        """The frequencies counted over ``records``, in all and country by country."""
        given: Counter[str] = Counter()
        surnames: Counter[str] = Counter()
        places: Counter[str] = Counter()
        births: Counter[str] = Counter()
        countries: Counter[str] = Counter()
        local: dict[str, tuple[Counter[str], Counter[str]]] = {}
        total = 0
        for p in records:
            total += 1
            given_tokens, surname_tokens = frequency_tokens(p)
            given.update(given_tokens)
            surnames.update(surname_tokens)
            if p.country:
                countries[p.country] += 1
                here = local.setdefault(p.country, (Counter(), Counter()))
                here[0].update(given_tokens)
                here[1].update(surname_tokens)
            if p.record.birth_date is not None and p.record.birth_precision == DAY:
                births[p.record.birth_date.isoformat()] += 1
            places.update(p.place_words)
        by_country = {c: (dict(g), dict(s), countries[c]) for c, (g, s) in local.items()}
        return cls(dict(given), dict(surnames), total, dict(places), dict(births), dict(countries), by_country)

    def within(self, country: str) -> TermFrequencies:
        """The frequencies for two claims of ``country``: its own name counts when it has at least
        LOCAL_MIN_RECORDS records, else these; everything but names as in the whole set."""
        view = self._within.get(country)
        if view is None:
            counts = self.by_country.get(country)
            if counts is None:
                view = self
            else:
                view = TermFrequencies(
                    *counts, self.place_counts, self.birth_date_counts, self.country_counts, whole=self.whole
                )
            self._within[country] = view
        return view

    def for_pair(self, a: Prepared, b: Prepared) -> TermFrequencies:
        """The frequencies ``compare`` reads for records ``a`` and ``b``: their country's for two claims of
        one country (``within``), the whole set's otherwise (a sighting, or two countries)."""
        if a.country and a.country == b.country and a.record.kind == CLAIM and b.record.kind == CLAIM:
            return self.within(a.country)
        return self

    def birth_date(self, iso: str) -> float:
        """Share of records born on this day (many claims of children crowd a few birth years)."""
        if not self.birth_date_counts:
            return DOB_DEFAULT_U
        return max(self.birth_date_counts.get(iso, 0) / max(self.whole, 1), DOB_DEFAULT_U)

    def country(self, code: str) -> float:
        """Share of records in this country (0.15 when not counted)."""
        if not self.country_counts:
            return COUNTRY_DEFAULT_U
        return min(max(self.country_counts.get(code, 0) / max(self.whole, 1), 0.01), 0.9)

    def place(self, word: str) -> float:
        """Share of records naming this place word; unknown (the portal does not count them) is 0.03."""
        if not self.place_counts:
            return PLACE_DEFAULT_U
        return max(self.place_counts.get(word, 0) / max(self.whole, 1), TF_FLOOR)

    def given(self, token: str) -> float:
        """Share of records with this given name; for several words ("maria jose"), the commonest word's."""
        if " " in token:
            return max(self.given(word) for word in token.split())
        return max(self.given_counts.get(token, 0) / max(self.total, 1), TF_FLOOR)

    def surname(self, token: str) -> float:
        """Share of records with this surname; for several words, the commonest word's."""
        if " " in token:
            return max(self.surname(word) for word in token.split())
        return max(self.surname_counts.get(token, 0) / max(self.total, 1), TF_FLOOR)

    def token_weight(self, field: str, x: str, y: str, kind: str) -> float:
        """Weight of one aligned token pair (memoised: the same names meet again and again)."""
        key = (field, x, y, kind)
        weight = self._weights.get(key)
        if weight is None:
            m = m_token(field)
            if kind in U_FIXED:
                weight = level_weight(m[kind], U_FIXED[kind])
            else:
                freq = self.given if field == "given" else self.surname
                u = U_SCALE.get(kind, 1.0) * max(freq(x), freq(y), U_FLOOR.get(kind, 0.0))
                weight = level_weight(m.get(kind, 0.1), min(u, 0.5))
            if len(self._weights) < 1_000_000:
                self._weights[key] = weight
        return weight


EMPTY_FREQUENCIES = TermFrequencies({}, {}, 0)


@dataclass(frozen=True)
class MatchResult:
    """The score of a pair, the decision it leads to and the reasons a person can read."""

    score: float  # calibrated probability that the two records are the same person
    decision: str  # "match", "possible" or "" (below the review threshold)
    reasons: tuple[str, ...]
    log2_bayes_factor: float


def review_threshold(kind_a: str, kind_b: str) -> float:
    """The lowest score worth an officer's review for a pair of these kinds of record."""
    return SIGHTING_REVIEW if SIGHTING in (kind_a, kind_b) else REVIEW


def decision_for(score: float, kind_a: str = CLAIM, kind_b: str = CLAIM) -> str:
    """ "match", "possible" (worth a review) or "" for a calibrated score."""
    return "match" if score >= MATCH else ("possible" if score >= review_threshold(kind_a, kind_b) else "")


@lru_cache(maxsize=1024)
def prior_log2_odds(kind_a: str, kind_b: str, population: int) -> float:
    """Log2 prior odds that a pair is the same person, given how many records each is drawn from."""
    # Each duplicate pair is one of population²/2 unordered pairs: 2 x rate / population.
    rate = 2 * DEDUPE_RATE if kind_a == kind_b == CLAIM else LINK_RATE
    p = min(rate / max(population, 1), 0.5)
    return math.log2(p / (1 - p))


def compare(a: Prepared, b: Prepared, tf: TermFrequencies, population: int) -> MatchResult:
    """Score record ``b`` against record ``a`` (``a`` is the claim when one of them is a sighting).

    ``population`` is the number of records ``b`` could have matched (the claims of the network,
    or the size of LEFT): it sets the prior. Each term's weight (and the bound ``prefilter`` keeps of
    it) lives in its module of ``terms``; they are added here in a fixed order.
    """
    if a.record.kind == SIGHTING and b.record.kind == CLAIM:
        a, b = b, a
    record_a, record_b = a.record, b.record
    tf = tf.for_pair(a, b)
    weight = prior_log2_odds(record_a.kind, record_b.kind, population)
    reasons: list[str] = []

    names = name_similarity(a.name, b.name)
    weight += name_weight("given", names.given_score, names.given_matches, len(a.name.given), len(b.name.given), tf)
    weight += name_weight(
        "surname", names.surname_score, names.surname_matches, len(a.name.surnames), len(b.name.surnames), tf
    )
    reasons.extend(r for r in names.reasons if not r.endswith("=missing"))

    if a.sex and b.sex:
        agree = a.sex == b.sex
        weight += sex_weight(agree, bool(names.given_matches))
        reasons.append("sex✓" if agree else "sex✗")

    age = compare_age(
        record_a.birth_date,
        record_a.birth_precision,
        record_a.age_min,
        record_a.age_max,
        record_a.event_date,
        record_b.age_min,
        record_b.age_max,
        record_b.event_date,
        birth_date_b=record_b.birth_date,
        birth_precision_b=record_b.birth_precision,
    )
    if a.birth_years and b.birth_years:
        weight += birth_weight(age.reason, a, b, tf)
        reasons.append(age.reason)

    doc = compare_normalised_documents(a.document, b.document)
    if doc.level in W_DOC:
        weight += W_DOC[doc.level]
        reasons.append(doc.reason)

    vetoed = False
    event_a, event_b = record_a.event_date, record_b.event_date
    if record_a.kind == CLAIM and record_b.kind == SIGHTING:
        order = compare_time_order(event_a, event_b)
        if order.level == IMPOSSIBLE:
            vetoed = True
            reasons.append(order.reason)
        elif event_a and event_b:
            weight += sighting_delay_weight(event_a, event_b)
        years_between = max(((event_b - event_a).days / 365.25) if event_a and event_b else 0, 0)
    else:
        years_between = 0.0
        if event_a and event_b:
            level, days = event_level(event_a, event_b)
            weight += W_EVENT[level]
            if level != "near":
                reasons.append(f"dates {days}d apart")

    minor = bool(a.birth_years and event_a and event_a.year - a.birth_years[0] < 18)
    height = compare_height(
        record_a.height_cm,
        record_b.height_cm,
        a_is_estimate=record_a.kind == SIGHTING,
        b_is_estimate=record_b.kind == SIGHTING,
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
    weight += place_weight(place.reason, a, b, tf)
    two_claims = record_a.kind == record_b.kind == CLAIM
    if (
        place.level in (AGREE, PARTIAL)
        and not place.reason.startswith("country=")
        and (two_claims or not place.reason.startswith("place≠"))
    ):
        reasons.append(place.reason)

    if record_a.photo_hashes and record_b.photo_hashes:
        distance = photo_distance(record_a.photo_hashes, record_b.photo_hashes)
        if distance <= PHOTO_MAX_DISTANCE:
            weight += W_PHOTO
            reasons.append("photo=same" if distance == 0 else f"photo≈({distance}/64)")

    if vetoed:
        return MatchResult(0.0, "", tuple(reasons), float("-inf"))
    score = probability(weight, record_a.kind, record_b.kind)
    return MatchResult(score, decision_for(score, record_a.kind, record_b.kind), tuple(reasons), weight)


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
