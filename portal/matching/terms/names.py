"""The name term: given names and surnames weighed by their aligned token pairs, and its bound.

Each aligned token pair weighs ``log2(m / u)`` by its kind; ``u`` of an exact or phonetic agreement is
the frequency of the name (term-frequency adjustment), so "mamani" counts for little.

The bound: given names are few and repeat ("maría", "juan carlos"), so their weight is computed
exactly, once per distinct pair of given-name parts, by the scorer's own functions. Surnames use
exact token-pair weights and the heavier diagonal of the 2x2 alignment. When given names do not agree
at all, the reading with one record's given names and surnames exchanged is bounded too.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from ..names import ParsedName, compare_given_parts, compare_tokens, given_part
from ..records import Prepared
from . import level_weight

if TYPE_CHECKING:
    from ..scoring import TermFrequencies

M_TOKEN = {"exact": 0.8, "phonetic": 0.5, "nickname": 0.5, "typo": 0.3, "initial": 0.04, "joined": 0.3}
# Fitted m of the token kinds, per field ("given", "surname"), when a run uses estimated weights
# (``weights.applied_weights``); empty by default, and then both fields read M_TOKEN.
M_TOKEN_BY_FIELD: dict[str, dict[str, float]] = {}
U_SCALE = {"exact": 1.0, "phonetic": 1.0, "nickname": 1.0, "typo": 1.0}  # u = scale x frequency of the commoner token
U_FLOOR = {
    "nickname": 0.001,
    "typo": 0.01,
}  # a nickname stands for a common name even when the file never spells it out
U_FIXED = {"initial": 0.06, "joined": 0.002}
W_NAME_NONE = {"given": level_weight(0.02, 0.96), "surname": level_weight(0.01, 0.97)}  # nothing agrees at all
# Both records have two or more of them but only one agrees: "Ana Bustillos Gutiérrez" is not
# "Ana Bustillos Cáceres" (duplicates keep both surnames, or lose one, far more often).
W_ONE_OF_TWO = {"given": level_weight(0.15, 0.85), "surname": level_weight(0.06, 0.95)}
SURNAME_PAIR_MAX_BITS = 14.0
EXTRA_TOKEN_BITS = 1.0
# "Juan" against "Juan José": a duplicate that dropped a second given name, or another Juan; the second
# reading is the likelier, so the shared name counts for less than a full agreement.
W_GIVEN_PARTIAL = level_weight(0.1, 0.4) - level_weight(
    0.8, 0.6
)  # each further agreeing token adds this (names are correlated within a family)
SIBLINGS_BITS = level_weight(1, 1 / 4)  # two surnames shared: a family first (see name_weight)

Matches = Sequence[tuple[str, str, str]]  # aligned token pairs (token a, token b, kind)


def m_token(field: str) -> dict[str, float]:
    """The m of each kind of aligned token pair for ``field``: the fitted ones if any, else M_TOKEN."""
    return M_TOKEN_BY_FIELD.get(field) or M_TOKEN


def name_weight(field: str, score: float | None, matches: Matches, n_a: int, n_b: int, tf: TermFrequencies) -> float:
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
        weight = max(weight, min(sum(weights) - SIBLINGS_BITS, SURNAME_PAIR_MAX_BITS))
    if min(n_a, n_b) >= 2 and len(matches) < 2:
        weight += W_ONE_OF_TWO[field]
    elif field == "given" and n_a != n_b and len(matches) < max(n_a, n_b):
        weight += W_GIVEN_PARTIAL
    return weight


# ---------------------------------------------------------------- the bound


@lru_cache(maxsize=100_000)  # records share their rarest token's frequency
def token_bound(field: str, rarest: float, *, joined: bool) -> float:
    """The heaviest weight one aligned token pair can have when one of its tokens has frequency ``rarest``.

    ``joined``: whether the level "split or glued differently" is possible (the word counts differ).
    """
    levels = []
    for kind, m in m_token(field).items():
        if (kind == "joined" and not joined) or (kind == "nickname" and field != "given"):
            continue
        if kind in U_FIXED:
            levels.append(level_weight(m, U_FIXED[kind]))
        elif kind == "nickname":  # a whole-name nickname ("majo") may be the other record's token
            levels.append(level_weight(m, min(U_SCALE[kind] * U_FLOOR[kind], 0.5)))
        else:
            levels.append(level_weight(m, min(U_SCALE.get(kind, 1.0) * max(rarest, U_FLOOR.get(kind, 0.0)), 0.5)))
    return max(levels)


def field_bound(field: str, top: float, matches: int) -> float:
    """Upper bound of ``name_weight`` with at most ``matches`` aligned tokens of weight <= ``top``."""
    if matches <= 0:
        return 0.0
    bound = top + EXTRA_TOKEN_BITS * (matches - 1)
    if field == "surname" and matches >= 2:
        bound = max(bound, min(matches * top - SIBLINGS_BITS, SURNAME_PAIR_MAX_BITS))
    return max(bound, 0.0)


def given_form_length(p: Prepared) -> int:
    """The most tokens among the record's given-name readings (its given names and each alias)."""
    forms = ([p.name.given] if p.name.given else []) + [tuple(alias.split()) for alias in p.name.aliases]
    return max((len(form) for form in forms), default=0)


def rarest_tokens(p: Prepared, tf: TermFrequencies) -> tuple[float, float]:
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


class NameBound:
    """Per-record name columns, and the bound of the name term for many pairs at once.

    Two claims of one country read that country's name frequencies (``TermFrequencies.for_pair``):
    each record carries its frequency context (0: the whole set's; k: the k-th country's), a pair
    takes the context its records share, and the exact weights are computed and cached per context.
    The looser bounds take each token at the rarer of its two frequencies, valid in either context.
    """

    def __init__(self, records: Sequence[Prepared], tf: TermFrequencies) -> None:
        n = len(records)
        self.views: list[TermFrequencies] = [tf]
        contexts: dict[str, int] = {}
        self.context = np.zeros(n, dtype=np.int64)
        bounds = []
        for k, p in enumerate(records):
            given_rarest, surname_rarest = rarest_tokens(p, tf)
            view = tf.for_pair(p, p)
            if view is not tf:
                if p.country not in contexts:
                    contexts[p.country] = len(self.views)
                    self.views.append(view)
                self.context[k] = contexts[p.country]
                local_given, local_surname = rarest_tokens(p, view)
                given_rarest, surname_rarest = min(given_rarest, local_given), min(surname_rarest, local_surname)
            bounds.append((given_rarest, surname_rarest))
        self.surname_top_joined = np.array([token_bound("surname", b[1], joined=True) for b in bounds])
        self.surnames = np.array([len(p.name.surnames) for p in records], dtype=np.int32)
        self.given_count = np.array([len(p.name.given) for p in records], dtype=np.int32)
        self.given_bound = np.array(
            [
                field_bound("given", token_bound("given", b[0], joined=True), given_form_length(p))
                for p, b in zip(records, bounds, strict=True)
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
        self._surname_weights: dict[tuple[int, int, int], float] = {}
        self.has_given = np.array([bool(p.name.given) for p in records], dtype=bool)
        parts: dict[ParsedName, int] = {}
        self.given_id = np.array([parts.setdefault(given_part(p.name), len(parts)) for p in records], dtype=np.int64)
        self.given_parts = list(parts)
        self._given_weights: dict[int, tuple[float, bool]] = {}

    def bound(self, i: np.ndarray, j: np.ndarray, given_exact: bool = True) -> np.ndarray:
        """For each pair (``i[k]``, ``j[k]``): a name weight at least ``compare``'s.

        ``given_exact=False``: the given names at their best (``j``'s rarest agreeing, as when read
        exchanged below) instead of computed per distinct pair of given names, much the costlier part."""
        shared = np.where(self.context[i] == self.context[j], self.context[i], 0)  # the pair's frequencies
        if given_exact:
            given, agree = self._given_term(i, j, shared)
        else:
            given, agree = self.given_bound[j], np.zeros(len(i), dtype=bool)
        names: np.ndarray = given + self._surname_term(
            i, j, shared, self.surname_tokens[i], self.surnames[i], self.glued_surnames[i]
        )
        # Given names that do not agree at all may be read exchanged with i's surnames (forms filled in
        # the wrong boxes): i's given names are then compared as surnames, exactly, and its surnames as
        # given names, bounded by j's given names.
        exchangeable = ~agree & self.has_given[i] & self.has_given[j] & (self.surnames[i] > 0) & (self.surnames[j] > 0)
        if exchangeable.any():
            x, y = i[exchangeable], j[exchangeable]
            swapped = self.given_bound[y] + self._surname_term(
                x, y, shared[exchangeable], self.given_tokens[x], self.given_count[x], self.glued_given[x]
            )
            names[exchangeable] = np.maximum(names[exchangeable], swapped)
        return names

    def _surname_token_weight(self, context: int, x: int, y: int) -> float:
        """The weight of two surname tokens aligned by the scorer (with the frequencies of ``context``),
        or -inf when they do not agree."""
        key = (context, x, y)
        weight = self._surname_weights.get(key)
        if weight is None:
            tx, ty = self.surname_vocabulary[x], self.surname_vocabulary[y]
            score, kind = compare_tokens(tx, ty)
            weight = self.views[context].token_weight("surname", tx, ty, kind) if score > 0 else -np.inf
            self._surname_weights[key] = weight
        return weight

    def _glued_agree(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
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

    def _given_term(self, i: np.ndarray, j: np.ndarray, shared: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The exact given-name weight of each pair (with the frequencies of its context ``shared``), and
        whether the given names agree at all."""
        size = len(self.given_parts)
        codes = (shared * size + self.given_id[i]) * size + self.given_id[j]
        unique, inverse = np.unique(codes, return_inverse=True)
        weights = np.empty(len(unique), dtype=np.float64)
        agree = np.empty(len(unique), dtype=bool)
        for k, code in enumerate(unique.tolist()):
            known = self._given_weights.get(code)
            if known is None:
                context, pair = divmod(code, size * size)
                a, b = self.given_parts[pair // size], self.given_parts[pair % size]
                score, _, matches = compare_given_parts(a, b)
                tf = self.views[context]
                known = (name_weight("given", score, matches, len(a.given), len(b.given), tf), bool(score))
                self._given_weights[code] = known
            weights[k], agree[k] = known
        return weights[inverse], agree[inverse]

    def _surname_term(
        self,
        i: np.ndarray,
        j: np.ndarray,
        shared: np.ndarray,
        tokens_i: np.ndarray,
        ni: np.ndarray,
        glued_i: np.ndarray,
    ) -> np.ndarray:
        """The surname weight of each pair, bounded tightly: exact token-pair weights, best alignment.

        ``names._compare_surnames`` aligns the tokens greedily by score; with at most two surnames a side
        the greedy alignment is one of the two diagonals of the 2x2 token table, so the heavier of the two
        bounds it. The level "split or glued" (only when the counts differ) is added as its fixed weight.
        Records with more than two surname tokens get their own loose bound.
        ``tokens_i``/``ni``/``glued_i``: the surname tokens, their count and their concatenation (as an id)
        of ``i``, or the same of its given names when they are read exchanged; ``shared``: the pairs'
        frequency contexts.
        """
        nj = self.surnames[j]
        tokens_j = self.surname_tokens[j]  # (n, 2), -1 where absent
        size = len(self.surname_vocabulary)
        combos = [(x, y) for x in (0, 1) for y in (0, 1)]
        codes = np.stack([(shared * size + tokens_i[:, x]) * size + tokens_j[:, y] for x, y in combos], axis=1)
        present = np.stack([(tokens_i[:, x] >= 0) & (tokens_j[:, y] >= 0) for x, y in combos], axis=1)
        unique, inverse = np.unique(codes[present], return_inverse=True)
        weights = np.empty(len(unique), dtype=np.float64)
        for k, code in enumerate(unique.tolist()):
            context, pair = divmod(code, size * size)
            weights[k] = self._surname_token_weight(context, pair // size, pair % size)
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
            two = np.maximum(two, np.minimum(hi + lo - SIBLINGS_BITS, SURNAME_PAIR_MAX_BITS))
            value = np.select([count == 2, count == 1], [two, one], W_NAME_NONE["surname"])
            best = np.maximum(best, value)
        # A single surname on either side: the best single token pair, as _best_alignment picks.
        single = cell.reshape(len(i), 4).max(axis=1)
        single = np.where(np.isfinite(single), single, W_NAME_NONE["surname"])
        best = np.where(both_two, best, single)
        glued = ni != nj
        if glued.any():
            possible = np.zeros(len(i), dtype=bool)
            possible[glued] = self._glued_agree(glued_i[glued], self.glued_surnames[j[glued]])
            joined = level_weight(m_token("surname")["joined"], U_FIXED["joined"])
            best = np.where(possible, np.maximum(best, joined), best)
        loose = _field_bound_array(self.surname_top_joined[j], np.minimum(ni, nj))
        best = np.where((ni > 2) | (nj > 2), loose, best)
        return np.where((ni > 0) & (nj > 0), best, 0.0)


def _field_bound_array(top: np.ndarray, k: np.ndarray) -> np.ndarray:
    """``field_bound("surname", top, k)`` for arrays."""
    surname = top + EXTRA_TOKEN_BITS * (k - 1)
    surname = np.where(k >= 2, np.maximum(surname, np.minimum(k * top - SIBLINGS_BITS, SURNAME_PAIR_MAX_BITS)), surname)
    return np.where(k >= 1, np.maximum(surname, 0.0), 0.0)
