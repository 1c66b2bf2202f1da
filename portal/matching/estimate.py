"""Estimating the level probabilities of ``scoring.compare`` from the records themselves (issue 10).

The engine's m and u are set by hand. Here they are estimated, as Splink does:

- ``pair_levels``: the comparison level of each term for one pair, read with the same comparators
  ``compare`` uses (a term is absent when one side lacks the value: it adds nothing either way);
- ``u`` of each level: its share among random pairs of records, which are almost all different people;
- ``m`` of each level and the share of matches ``lambda``: expectation-maximisation (Fellegi-Sunter,
  comparisons independent given the match status) on the pairs the blocking brings together, with
  ``u`` held fixed, starting from the hand-set weights (a sane prior: unsupervised EM can collapse on
  skewed data, reference/linkage-notes.md);
- ``refit``: officers' confirm and reject decisions move m (confirmed pairs) and u (rejected pairs), the
  fitted values acting as pseudo-counts.

The result is a plain JSON-able dict (``FittedWeights``): per term, per level, the fitted m, u, weight
in bits and how often the level was seen, beside the hand-set weight. ``applied_weights`` makes the
engine use it for one run (``portal link --weights FILE``, ``weights.py``).
Levels whose u is a term frequency (names, full birth date, place words, country) keep it: only their
m is replaced, as Splink keeps m for its term-frequency adjustments.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .blocking import CandidateIndex
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
from .records import CLAIM, SIGHTING, Prepared
from .terms import appearance, birth, dates, document, level_weight, names, place, sex

FittedWeights = dict[str, Any]  # the JSON-able result of ``fit`` and ``refit``
Levels = Mapping[str, str]  # term -> level of one pair (terms with an unknown side are absent)

# The levels of each term, in a fixed order (the tables print in this order).
NAME_KINDS = ("exact", "nickname", "phonetic", "typo", "joined", "initial")  # best first
LEVELS: dict[str, tuple[str, ...]] = {
    "given": (*NAME_KINDS, "none"),
    "surname": (*(k for k in NAME_KINDS if k != "nickname"), "none"),
    "sex": (AGREE, DISAGREE),
    "birth": (*birth.W_DOB, "age✓"),
    "document": (AGREE, PARTIAL, DISAGREE),
    "dates": tuple(dates.W_EVENT),
    "delay": tuple(dates.W_SIGHTING_DELAY),
    "height": (AGREE, PARTIAL, DISAGREE),
    "marks": (AGREE, PARTIAL, DISAGREE),
    "place": ("words", "country", "place_differs", "corridor", "other_country"),
}
TERMS = tuple(LEVELS)

FLOOR = 1e-6  # no probability is ever 0 or 1 (log2 of it would be infinite)
SMOOTHING = 1.0  # Laplace pseudo-count per level when counting u and in each M step
MIN_APPLIED_COUNT = 20  # a level seen fewer times among the blocked pairs keeps its hand-set weight


# ---------------------------------------------------------------- the level of each term


def _name_level(score: float | None, matches: Sequence[tuple[str, str, str]]) -> str | None:
    if score is None:
        return None
    if not matches:
        return "none"
    kinds = {kind for _, _, kind in matches}
    return next((k for k in NAME_KINDS if k in kinds), "typo")


def _birth_level(reason: str) -> str | None:
    for key in (reason, reason.split("(")[0]):
        if key in birth.W_DOB or key == "age✓":
            return key
    if reason.startswith(("age≈", "age✗")):
        return reason[:4]
    return None


def _place_level(reason: str) -> str | None:
    for prefix, level in (
        ("place✓", "words"),
        ("country=", "country"),
        ("place≠", "place_differs"),
        ("corridor", "corridor"),
        ("country≠", "other_country"),
    ):
        if reason.startswith(prefix):
            return level
    return None


def pair_levels(a: Prepared, b: Prepared) -> dict[str, str]:
    """The level of each term of ``compare(a, b)``, read with the same comparators (no weights).

    A term is absent when ``compare`` adds nothing for it because a side lacks the value; a pair
    that ``compare`` vetoes (a sighting before the disappearance) has no levels at all.
    """
    if a.record.kind == SIGHTING and b.record.kind == CLAIM:
        a, b = b, a
    ra, rb = a.record, b.record
    out: dict[str, str] = {}

    similarity = name_similarity(a.name, b.name)
    for term, score, matches in (
        ("given", similarity.given_score, similarity.given_matches),
        ("surname", similarity.surname_score, similarity.surname_matches),
    ):
        level = _name_level(score, matches)
        if level is not None:
            out[term] = level

    if a.sex and b.sex:
        out["sex"] = AGREE if a.sex == b.sex else DISAGREE

    if a.birth_years and b.birth_years:
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
        level = _birth_level(age.reason)
        if level is not None:
            out["birth"] = level

    doc = compare_normalised_documents(a.document, b.document)
    if doc.level in document.W_DOC:
        out["document"] = doc.level

    event_a, event_b = ra.event_date, rb.event_date
    years_between = 0.0
    if ra.kind == CLAIM and rb.kind == SIGHTING:
        if compare_time_order(event_a, event_b).level == IMPOSSIBLE:
            return {}
        if event_a and event_b:
            days = (event_b - event_a).days
            out["delay"] = "year" if days <= 366 else ("years" if days <= 3 * 366 else "later")
            years_between = max(days / 365.25, 0)
    elif event_a and event_b:
        out["dates"] = dates.event_level(event_a, event_b)[0]

    minor = bool(a.birth_years and event_a and event_a.year - a.birth_years[0] < 18)
    height = compare_height(
        ra.height_cm,
        rb.height_cm,
        a_is_estimate=ra.kind == SIGHTING,
        b_is_estimate=rb.kind == SIGHTING,
        years_between=years_between,
        minor=minor,
    )
    if height.level in appearance.W_HEIGHT:
        out["height"] = height.level
    marks = compare_mark_concepts(a.marks, b.marks)
    if marks.level in appearance.W_MARKS:
        out["marks"] = marks.level

    level = _place_level(compare_place_words(a.country, a.place_words, b.country, b.place_words).reason)
    if level is not None:
        out["place"] = level
    return out


def blocked_pairs(records: Sequence[Prepared], index: CandidateIndex | None = None) -> np.ndarray:
    """The candidate pairs the engine's blocking forms within ``records`` (``CandidateIndex.pairs``)."""
    return (index or CandidateIndex(records)).pairs()


def random_pairs(n: int, count: int, seed: int = 0) -> np.ndarray:
    """``count`` random pairs (i, j), i != j, of ``n`` records (drawn with replacement)."""
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    rng = np.random.default_rng(seed)
    i = rng.integers(0, n, size=count)
    j = (i + rng.integers(1, n, size=count)) % n
    return np.stack([i, j], axis=1)


def levels_of(records: Sequence[Prepared], pairs: np.ndarray) -> list[dict[str, str]]:
    """``pair_levels`` of each pair of positions."""
    return [pair_levels(records[i], records[j]) for i, j in pairs.tolist()]


# ---------------------------------------------------------------- counting and EM


class Encoded:
    """Levels of many pairs as distinct patterns (one level index per term, -1 when absent) and counts."""

    def __init__(self, levels: Sequence[Levels], terms: Sequence[str] = TERMS) -> None:
        self.terms = tuple(terms)
        index = {t: {level: k for k, level in enumerate(LEVELS[t])} for t in self.terms}
        rows = np.full((len(levels), len(self.terms)), -1, dtype=np.int16)
        for r, pair in enumerate(levels):
            for c, t in enumerate(self.terms):
                level = pair.get(t)
                if level is not None and level in index[t]:
                    rows[r, c] = index[t][level]
        if len(levels):
            self.patterns, inverse, self.counts = np.unique(rows, axis=0, return_inverse=True, return_counts=True)
            self.inverse = inverse.reshape(-1)  # the pattern of each pair
        else:
            self.patterns, self.counts = rows, np.zeros(0, dtype=np.int64)
            self.inverse = np.zeros(0, dtype=np.int64)
        self.counts = self.counts.astype(np.float64)

    def level_counts(self, weights: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Per term, the (weighted) count of pairs at each level."""
        w = self.counts if weights is None else self.counts * weights
        out = {}
        for c, t in enumerate(self.terms):
            column = self.patterns[:, c]
            seen = column >= 0
            out[t] = np.bincount(column[seen], weights=w[seen], minlength=len(LEVELS[t])).astype(np.float64)
        return out


def _normalise(counts: np.ndarray, smoothing: float) -> np.ndarray:
    total = counts.sum() + smoothing * len(counts)
    p = (counts + smoothing) / total if total > 0 else np.full(len(counts), 1.0 / len(counts))
    out: np.ndarray = np.clip(p, FLOOR, 1 - FLOOR)
    return out


def estimate_u(levels: Sequence[Levels], smoothing: float = SMOOTHING) -> dict[str, np.ndarray]:
    """u of each level: its share among the given (random) pairs, Laplace-smoothed, per term."""
    counts = Encoded(levels).level_counts()
    return {t: _normalise(counts[t], smoothing) for t in TERMS}


def _log_likelihood(encoded: Encoded, probabilities: Mapping[str, np.ndarray]) -> np.ndarray:
    out = np.zeros(len(encoded.patterns))
    for c, t in enumerate(encoded.terms):
        column = encoded.patterns[:, c]
        logs = np.log(probabilities[t])
        out += np.where(column >= 0, logs[np.maximum(column, 0)], 0.0)
    return out


def expectation_maximisation(
    encoded: Encoded,
    u: Mapping[str, np.ndarray],
    m_start: Mapping[str, np.ndarray],
    lambda_start: float,
    *,
    max_iterations: int = 200,
    tolerance: float = 1e-6,
    smoothing: float = SMOOTHING,
    fix_u: bool = True,
    prior_pairs: float = 0.0,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], float, int, bool]:
    """m of each level and the match share λ by EM: (m, u, λ, iterations run, converged).

    ``fix_u``: u stays as given (Fellegi-Sunter EM with u known); otherwise u is re-estimated too
    (from the non-match side of each E step), ``u`` being its start. Converged when no probability
    and not λ moves by more than ``tolerance`` in one iteration; else stops after ``max_iterations``.

    ``prior_pairs``: a Dirichlet prior on each term's m centred on ``m_start`` and worth that many
    pairs (maximum a posteriori EM). A level the registry's likely matches rarely or never reach
    keeps about the prior's m instead of being driven to the floor: EM alone learns from how the
    data's duplicates happen to be made that a disagreement never occurs, and -10 bits follow.
    """
    prior = {
        t: prior_pairs * np.clip(np.asarray(m_start[t], dtype=np.float64), FLOOR, 1 - FLOOR) for t in encoded.terms
    }
    m = {t: np.clip(np.asarray(m_start[t], dtype=np.float64), FLOOR, 1 - FLOOR) for t in encoded.terms}
    u = {t: np.clip(np.asarray(u[t], dtype=np.float64), FLOOR, 1 - FLOOR) for t in encoded.terms}
    lam = min(max(lambda_start, FLOOR), 1 - FLOOR)
    total = encoded.counts.sum()
    for iteration in range(1, max_iterations + 1):
        log_odds = math.log(lam / (1 - lam)) + _log_likelihood(encoded, m) - _log_likelihood(encoded, u)
        posterior = 1.0 / (1.0 + np.exp(-np.clip(log_odds, -700, 700)))
        counts = encoded.level_counts(posterior)
        new_m = {t: _normalise(counts[t] + prior[t], smoothing) for t in encoded.terms}
        new_u = u
        if not fix_u:
            against = encoded.level_counts(1.0 - posterior)
            new_u = {t: _normalise(against[t], smoothing) for t in encoded.terms}
        new_lam = float(np.clip((posterior * encoded.counts).sum() / max(total, 1.0), FLOOR, 1 - FLOOR))
        change = max(
            [abs(new_lam - lam)]
            + [float(np.abs(new_m[t] - m[t]).max()) for t in encoded.terms]
            + [float(np.abs(new_u[t] - u[t]).max()) for t in encoded.terms]
        )
        m, u, lam = new_m, new_u, new_lam
        if change < tolerance:
            return m, u, lam, iteration, True
    return m, u, lam, max_iterations, False


def em_posterior(fitted: FittedWeights, levels: Sequence[Levels]) -> np.ndarray:
    """The fit's own probability that each pair (given by its levels) is a match: λ, m and the u the
    EM held fixed (``u_em``), comparisons independent given the match status, as in the last E step."""
    lam = min(max(float(fitted["lambda"]), FLOOR), 1 - FLOOR)
    m = {t: np.array([fitted["terms"][t][level]["m"] for level in LEVELS[t]]) for t in TERMS}
    u = {
        t: np.array([fitted["terms"][t][level].get("u_em", fitted["terms"][t][level]["u"]) for level in LEVELS[t]])
        for t in TERMS
    }
    encoded = Encoded(levels)
    log_odds = math.log(lam / (1 - lam)) + _log_likelihood(encoded, m) - _log_likelihood(encoded, u)
    by_pattern = 1.0 / (1.0 + np.exp(-np.clip(log_odds, -700, 700)))
    out: np.ndarray = by_pattern[encoded.inverse]
    return out


# ---------------------------------------------------------------- the hand-set values


def hand_weights() -> dict[str, dict[str, float | None]]:
    """The engine's hand-set weight of each level (None where u is a term frequency or a width)."""
    out: dict[str, dict[str, float | None]] = {}
    for field in ("given", "surname"):
        table: dict[str, float | None] = {k: None for k in LEVELS[field] if k not in names.U_FIXED}
        table.update({k: level_weight(names.M_TOKEN[k], names.U_FIXED[k]) for k in names.U_FIXED})
        table["none"] = names.W_NAME_NONE[field]
        out[field] = table
    out["sex"] = dict(sex.W_SEX)
    out["birth"] = {**birth.W_DOB, "dob=exact": None, "age✓": None}
    out["document"] = dict(document.W_DOC)
    out["dates"] = dict(dates.W_EVENT)
    out["delay"] = dict(dates.W_SIGHTING_DELAY)
    out["height"] = dict(appearance.W_HEIGHT)
    out["marks"] = dict(appearance.W_MARKS)
    out["place"] = {
        "words": None,
        "country": None,
        "place_differs": None,
        "corridor": place.W_PLACE["corridor"],
        "other_country": place.W_PLACE["other"],
    }
    return out


def hand_m() -> dict[tuple[str, str], float]:
    """The hand-set m of the levels whose u is a term frequency (or an interval width)."""
    out = {(field, k): m for field in ("given", "surname") for k, m in names.M_TOKEN.items() if k in LEVELS[field]}
    out[("birth", "dob=exact")] = birth.DOB_EXACT_M
    out[("birth", "age✓")] = birth.AGE_M
    out[("place", "words")] = place.PLACE_M
    out[("place", "country")] = place.COUNTRY_M
    out[("place", "place_differs")] = place.COUNTRY_M
    return out


def _starting_m(u: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """m implied by the hand-set values: ``u x 2^weight`` (or the hand-set m), normalised per term."""
    weights, ms = hand_weights(), hand_m()
    out = {}
    for t in TERMS:
        start = np.array(
            [
                ms[(t, level)] if (t, level) in ms else u[t][k] * 2.0 ** (weights[t].get(level) or 0.0)
                for k, level in enumerate(LEVELS[t])
            ]
        )
        out[t] = np.clip(start / start.sum(), FLOOR, 1 - FLOOR)
    return out


# ---------------------------------------------------------------- fitting


def _table(
    m: Mapping[str, np.ndarray],
    u: Mapping[str, np.ndarray],
    u_em: Mapping[str, np.ndarray],
    blocked: Mapping[str, np.ndarray],
    sampled: Mapping[str, np.ndarray],
) -> dict[str, dict[str, dict[str, Any]]]:
    weights, ms = hand_weights(), hand_m()
    terms: dict[str, dict[str, dict[str, Any]]] = {}
    for t in TERMS:
        terms[t] = {}
        for k, level in enumerate(LEVELS[t]):
            mk, uk = float(m[t][k]), float(u[t][k])
            terms[t][level] = {
                "m": mk,
                "u": uk,
                "u_em": float(u_em[t][k]),
                "weight": level_weight(mk, uk),
                "count": int(blocked[t][k]),
                "count_random": int(sampled[t][k]),
                "hand_weight": weights[t].get(level),
                "hand_m": ms.get((t, level)),
            }
    return terms


def fit(
    records: Sequence[Prepared],
    *,
    random_count: int = 100_000,
    seed: int = 0,
    max_iterations: int = 200,
    tolerance: float = 1e-6,
    index: CandidateIndex | None = None,
    em_u: str = "blocked",
    prior_pairs: float = 0.0,
) -> FittedWeights:
    """m and u of every level of every term, estimated on ``records`` (see the module's docstring).

    u: the levels of ``random_count`` random pairs; m and λ: EM on the blocked pairs (``fit_levels``
    says which u it holds fixed), started from the hand-set weights. Levels never seen among the
    blocked pairs are listed in ``unobserved`` (their m is the smoothing floor's, their weight is never applied).
    """
    sampled_levels = levels_of(records, random_pairs(len(records), random_count, seed))
    blocked_levels = levels_of(records, blocked_pairs(records, index))
    return fit_levels(
        blocked_levels,
        sampled_levels,
        max_iterations=max_iterations,
        tolerance=tolerance,
        records=len(records),
        em_u=em_u,
        prior_pairs=prior_pairs,
    )


def fit_levels(
    blocked_levels: Sequence[Levels],
    sampled_levels: Sequence[Levels],
    *,
    max_iterations: int = 200,
    tolerance: float = 1e-6,
    records: int | None = None,
    lambda_start: float = 0.05,
    em_u: str = "blocked",
    prior_pairs: float = 0.0,
) -> FittedWeights:
    """``fit`` from the levels of the blocked pairs and of the random pairs (already read).

    ``em_u``: the u the EM holds fixed, "random" (the random pairs' u, which the weights use) or
    "blocked" (the level shares among the blocked pairs themselves), or "free" (re-estimated, started
    from the blocked shares). Blocking keeps only pairs whose names, sex and birth years agree, so
    against the random pairs' u every blocked pair looks like a match and the EM collapses to
    λ = 1 ("random" is kept to show it); the blocked pairs are almost all non-matches, so their own
    level shares are the u of the population the EM runs on.
    """
    sampled = Encoded(sampled_levels)
    u = {t: _normalise(c, SMOOTHING) for t, c in sampled.level_counts().items()}
    encoded = Encoded(blocked_levels)
    blocked_counts = encoded.level_counts()
    u_em = u if em_u == "random" else {t: _normalise(c, SMOOTHING) for t, c in blocked_counts.items()}
    m, u_used, lam, iterations, converged = expectation_maximisation(
        encoded,
        u_em,
        _starting_m(u),
        lambda_start,
        max_iterations=max_iterations,
        tolerance=tolerance,
        fix_u=em_u != "free",
        prior_pairs=prior_pairs,
    )
    blocked_counts = encoded.level_counts()
    return {
        "version": 1,
        "method": f"em (u fixed: {em_u})" if em_u != "free" else "em (u free)",
        "prior_pairs": prior_pairs,
        "records": records,
        "blocked_pairs": len(blocked_levels),
        "random_pairs": len(sampled_levels),
        "lambda": lam,
        "iterations": iterations,
        "converged": converged,
        "terms": _table(m, u, u_used, blocked_counts, sampled.level_counts()),
        "unobserved": [f"{t}/{level}" for t in TERMS for k, level in enumerate(LEVELS[t]) if blocked_counts[t][k] == 0],
    }


def refit(
    fitted: FittedWeights,
    confirmed: Sequence[Levels],
    rejected: Sequence[Levels],
    *,
    prior_pairs: float = 50.0,
    u_prior_pairs: float | None = None,
) -> FittedWeights:
    """The parameters refined by officers' decisions: m from confirmed pairs, u from rejected ones.

    The fit counts as pseudo-pairs: m of a level becomes ``(prior_pairs x m + confirmed at the level)
    / (prior_pairs + confirmed with the term known)``, and u likewise with the rejected pairs and
    ``u_prior_pairs`` (default: the random pairs u was counted on). Rejected pairs are look-alikes an
    officer told apart, not a sample of strangers: they refine u only as far as their number weighs
    against the random pairs'. ``fitted`` is not changed; the result counts the decisions it read.
    """
    out: FittedWeights = json.loads(json.dumps(fitted))
    confirmed_counts = Encoded(confirmed).level_counts()
    rejected_counts = Encoded(rejected).level_counts()
    u_prior = float(u_prior_pairs if u_prior_pairs is not None else max(int(fitted.get("random_pairs") or 0), 1))
    for t in TERMS:
        table = out["terms"][t]
        for key, counts, strength in (("m", confirmed_counts[t], prior_pairs), ("u", rejected_counts[t], u_prior)):
            prior = np.array([table[level][key] for level in LEVELS[t]]) * strength
            values = np.clip((prior + counts) / (strength + counts.sum()), FLOOR, 1 - FLOOR)
            for k, level in enumerate(LEVELS[t]):
                table[level][key] = float(values[k])
        for k, level in enumerate(LEVELS[t]):
            row = table[level]
            row["weight"] = level_weight(row["m"], row["u"])
            row["confirmed"] = int(row.get("confirmed", 0)) + int(confirmed_counts[t][k])
            row["rejected"] = int(row.get("rejected", 0)) + int(rejected_counts[t][k])
    out["method"] = f"{fitted.get('method', 'em')}+decisions"
    out["decisions"] = {
        "confirmed": int(fitted.get("decisions", {}).get("confirmed", 0)) + len(confirmed),
        "rejected": int(fitted.get("decisions", {}).get("rejected", 0)) + len(rejected),
        "prior_pairs": prior_pairs,
        "u_prior_pairs": u_prior,
    }
    return out
