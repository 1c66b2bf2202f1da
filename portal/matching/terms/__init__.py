"""The terms of ``scoring.compare``'s weight of evidence, each with its upper bound beside it.

One module per comparison: its levels' weights (``log2(m / u)``), what ``compare`` adds for a pair,
and the vectorised upper bound that ``prefilter`` adds for many pairs at once (a ``...Bound`` class:
numpy columns built once per set of records, and ``bound(i, j)`` for the pairs ``(i[k], j[k])``).
A term's bound must never be below what ``compare`` adds for that term on a pair of claims: changing
a weight or a level in one of these modules means checking its bound in the same module, and
``tests/matching/test_prefilter.py`` checks the sum on thousands of pairs.

- ``names``: given names and surnames (term-frequency adjusted);
- ``sex``, ``birth`` (birth date or age), ``document``, ``dates`` (dates last seen or seen);
- ``appearance``: height, distinguishing marks, photos; ``place``: place words, country, corridors.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np


def level_weight(m: float, u: float) -> float:
    """The weight of evidence of a comparison level, in bits: ``log2(m / u)``."""
    return math.log2(m / u)


def per_distinct_pair(
    ids_i: np.ndarray, ids_j: np.ndarray, size: int, value: Callable[[int, int], float]
) -> np.ndarray:
    """``value(ids_i[k], ids_j[k])`` for each k, called once per distinct pair of ids (``size``: how many
    ids there are): many records share a value (a place, the marks they describe), so few pairs differ."""
    unique, inverse = np.unique(ids_i * size + ids_j, return_inverse=True)
    values = np.array([value(code // size, code % size) for code in unique.tolist()], dtype=np.float64)
    out: np.ndarray = values[inverse]
    return out
