"""Names in the pre-filter's bound (prefilter.py): exact given-name weights, tight surname bounds.

Given names are few and repeat ("maría", "juan carlos"): their weight is computed exactly, once per
distinct pair of given-name parts, by the scorer's own functions. Surnames use exact token-pair
weights and the heavier diagonal of the 2x2 alignment. When given names do not agree at all, the
reading with one record's given names and surnames exchanged is bounded too.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from .names import _compare_given_cached
from .records import Prepared
from .scoring import (
    EXTRA_TOKEN_BITS,
    M_TOKEN,
    SURNAME_PAIR_MAX_BITS,
    U_FIXED,
    U_FLOOR,
    U_SCALE,
    W_NAME_NONE,
    W_ONE_OF_TWO,
    TermFrequencies,
    _name_weight,
    w,
)

if TYPE_CHECKING:
    from .prefilter import BoundColumns


@lru_cache(maxsize=100_000)  # records share their rarest token's frequency
def _token_bound(field: str, rarest: float, *, joined: bool) -> float:
    """The heaviest weight one aligned token pair can have when one of its tokens has frequency ``rarest``.

    ``joined``: whether the level "split or glued differently" is possible (the word counts differ).
    """
    levels = []
    for kind, m in M_TOKEN.items():
        if kind == "joined" and not joined or kind == "nickname" and field != "given":
            continue
        if kind in U_FIXED:
            levels.append(w(m, U_FIXED[kind]))
        elif kind == "nickname":  # a whole-name nickname ("majo") may be the other record's token
            levels.append(w(m, min(U_SCALE[kind] * U_FLOOR[kind], 0.5)))
        else:
            levels.append(w(m, min(U_SCALE.get(kind, 1.0) * max(rarest, U_FLOOR.get(kind, 0.0)), 0.5)))
    return max(levels)


def _field_bound(field: str, top: float, matches: int) -> float:
    """Upper bound of ``scoring._name_weight`` with at most ``matches`` aligned tokens of weight <= ``top``."""
    if matches <= 0:
        return 0.0
    bound = top + EXTRA_TOKEN_BITS * (matches - 1)
    if field == "surname" and matches >= 2:
        bound = max(bound, min(matches * top - w(1, 1 / 4), SURNAME_PAIR_MAX_BITS))
    return max(bound, 0.0)


def _given_form_length(p: Prepared) -> int:
    """The most tokens among the record's given-name readings (its given names and each alias)."""
    forms = ([p.name.given] if p.name.given else []) + [tuple(alias.split()) for alias in p.name.aliases]
    return max((len(form) for form in forms), default=0)


def _rarest_tokens(p: Prepared, tf: TermFrequencies) -> tuple[float, float]:
    """Frequencies of ``p``'s rarest given-name token (aliases included) and rarest surname.

    They bound the name weight of any pair whose second record (``compare``'s ``b``) is ``p``: every
    aligned token pair holds one of ``p``'s tokens, and a token pair's ``u`` is the frequency of the
    commoner of its two tokens, so at least that of ``p``'s rarest. This holds also when ``compare``
    reads the other record's given names and surnames exchanged, since ``p`` is never the one exchanged.
    """
    name = p.name
    forms = ([name.given] if name.given else []) + [tuple(alias.split()) for alias in name.aliases]
    given_rarest = min((tf.given(t) for form in forms for t in form), default=1.0)
    surname_rarest = min((tf.surname(t) for t in name.surnames), default=1.0)
    return given_rarest, surname_rarest


def _given_term(c: BoundColumns, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The exact given-name weight of each pair, and whether the given names agree at all."""
    size = len(c.given_parts)
    codes = c.given_id[i] * size + c.given_id[j]
    unique, inverse = np.unique(codes, return_inverse=True)
    weights = np.empty(len(unique), dtype=np.float64)
    agree = np.empty(len(unique), dtype=bool)
    for k, code in enumerate(unique.tolist()):
        known = c._given_weights.get(code)
        if known is None:
            a, b = c.given_parts[code // size], c.given_parts[code % size]
            score, _, matches = _compare_given_cached(a, b)
            known = (_name_weight("given", score, matches, len(a.given), len(b.given), c.tf), bool(score))
            c._given_weights[code] = known
        weights[k], agree[k] = known
    return weights[inverse], agree[inverse]


def _surname_term(
    c: BoundColumns, i: np.ndarray, j: np.ndarray, tokens_i: np.ndarray, ni: np.ndarray, glued_i: np.ndarray
) -> np.ndarray:
    """The surname weight of each pair, bounded tightly: exact token-pair weights, best alignment.

    ``names._compare_surnames`` aligns the tokens greedily by score; with at most two surnames a side
    the greedy alignment is one of the two diagonals of the 2x2 token table, so the heavier of the two
    bounds it. The level "split or glued" (only when the counts differ) is added as its fixed weight.
    Records with more than two surname tokens get their own loose bound.
    ``tokens_i``/``ni``/``glued_i``: the surname tokens, their count and their concatenation (as an id)
    of ``i``, or the same of its given names when they are read exchanged.
    """
    nj = c.surnames[j]
    tokens_j = c.surname_tokens[j]  # (n, 2), -1 where absent
    size = len(c.surname_vocabulary)
    cell = np.full((len(i), 2, 2), -np.inf)
    combos = [(x, y) for x in (0, 1) for y in (0, 1)]
    codes = np.stack([tokens_i[:, x] * size + tokens_j[:, y] for x, y in combos], axis=1)
    present = np.stack([(tokens_i[:, x] >= 0) & (tokens_j[:, y] >= 0) for x, y in combos], axis=1)
    unique, inverse = np.unique(codes[present], return_inverse=True)
    weights = np.empty(len(unique), dtype=np.float64)
    for k, code in enumerate(unique.tolist()):
        weights[k] = c.surname_token_weight(code // size, code % size)
    flat = np.full(codes.shape, -np.inf)
    flat[present] = weights[inverse]  # -inf: absent token or no agreement at all (score 0)
    cell = flat.reshape(len(i), 2, 2)
    diagonals = (np.stack([cell[:, 0, 0], cell[:, 1, 1]], axis=1), np.stack([cell[:, 0, 1], cell[:, 1, 0]], axis=1))
    both_two = (ni >= 2) & (nj >= 2)
    best = np.full(len(i), -np.inf)
    for diagonal in diagonals:
        hi, lo = diagonal.max(axis=1), diagonal.min(axis=1)
        count = np.isfinite(hi).astype(np.int32) + np.isfinite(lo).astype(np.int32)
        one = hi + np.where(both_two, W_ONE_OF_TWO["surname"], 0.0)
        two = hi + EXTRA_TOKEN_BITS * (lo > 0)
        two = np.maximum(two, np.minimum(hi + lo - w(1, 1 / 4), SURNAME_PAIR_MAX_BITS))
        value = np.select([count == 2, count == 1], [two, one], W_NAME_NONE["surname"])
        best = np.maximum(best, value)
    # A single surname on either side: the best single token pair, as _best_alignment picks.
    single = cell.reshape(len(i), 4).max(axis=1)
    single = np.where(np.isfinite(single), single, W_NAME_NONE["surname"])
    best = np.where(both_two, best, single)
    glued = ni != nj
    if glued.any():
        possible = np.zeros(len(i), dtype=bool)
        possible[glued] = c.glued_agree(glued_i[glued], c.glued_surnames[j[glued]])
        best = np.where(possible, np.maximum(best, w(M_TOKEN["joined"], U_FIXED["joined"])), best)
    loose = _field_bound_array(c.surname_top_joined[j], np.minimum(ni, nj))
    best = np.where((ni > 2) | (nj > 2), loose, best)
    return np.where((ni > 0) & (nj > 0), best, 0.0)


def _field_bound_array(top: np.ndarray, k: np.ndarray) -> np.ndarray:
    surname = top + EXTRA_TOKEN_BITS * (k - 1)
    surname = np.where(k >= 2, np.maximum(surname, np.minimum(k * top - w(1, 1 / 4), SURNAME_PAIR_MAX_BITS)), surname)
    return np.where(k >= 1, np.maximum(surname, 0.0), 0.0)


def _names_term(c: BoundColumns, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    given, agree = _given_term(c, i, j)
    names = given + _surname_term(c, i, j, c.surname_tokens[i], c.surnames[i], c.glued_surnames[i])
    # Given names that do not agree at all may be read exchanged with i's surnames (forms filled in
    # the wrong boxes): i's given names are then compared as surnames, exactly, and its surnames as
    # given names, bounded by j's given names.
    exchangeable = ~agree & c.has_given[i] & c.has_given[j] & (c.surnames[i] > 0) & (c.surnames[j] > 0)
    if exchangeable.any():
        x, y = i[exchangeable], j[exchangeable]
        swapped = c.given_bound[y] + _surname_term(c, x, y, c.given_tokens[x], c.given_count[x], c.glued_given[x])
        names[exchangeable] = np.maximum(names[exchangeable], swapped)
    return names
