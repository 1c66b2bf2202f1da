"""The level rules: when a dimension is positive, and the level 0, 1 or 2 of a set of fired indicators.

Grades come from the YAML; the level rules are ``adult_level`` and ``minor_level``, quoting the YAML.

Reliability (YAML ``reliability_downgrade``): a hit that rests on a sighting that is not reliable
(public and unverified, or only a candidate match) counts one grade lower. The level is computed on
all evidence and on reliable evidence only; unreliable evidence can lift the level to 1 but never to
2: ``level = max(reliable_level, min(all_level, 1))``. (Stricter than "reliable level 0 -> min(all,
1), else all": with that rule a family's level-1 claim plus an unconfirmed sighting would reach 2,
which the issue's check "add a sighting ... and confirm it: level 2" rules out.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .evidence import Hit
from .rules import Indicator, Rules

# ---------------------------------------------------------------- level rules


def dimension_positive(s: int, m: int, w: int) -> bool:
    """ILO/EC 2009, YAML combination.dimension_positive: "s>=2 or (s>=1 and m+w>=1) or m>=3 or (m>=2 and w>=1)"."""
    return s >= 2 or (s >= 1 and m + w >= 1) or m >= 3 or (m >= 2 and w >= 1)


@dataclass(frozen=True)
class Profile:
    """The counted fired indicators (id -> (dimension, effective grade)) that the level rules read."""

    grades: Mapping[str, tuple[str, str]]
    destination_group: frozenset[str]

    def fired(self, indicator_id: str) -> bool:
        """Is this indicator among the counted fired ones?"""
        return indicator_id in self.grades

    def group_positive(self, ids: Iterable[str]) -> bool:
        """The dimension rule applied to the fired members of a set of indicators."""
        grades = [self.grades[i][1] for i in ids if i in self.grades]
        return dimension_positive(grades.count("S"), grades.count("M"), grades.count("W"))

    def positive(self, dim: str) -> bool:
        """The dimension rule applied to every fired indicator of ``dim``."""
        return self.group_positive(i for i, (d, _) in self.grades.items() if d == dim)

    def any_grade(self, grades: str, dims: str = "RCTXVN") -> bool:
        """Is any indicator of ``dims`` fired with a grade in ``grades`` (e.g. "MS")?"""
        return any(d in dims and g in grades for d, g in self.grades.values())

    def others(self, ids: set[str]) -> set[str]:
        """The fired indicators other than ``ids``."""
        return set(self.grades) - ids


def adult_level(p: Profile) -> int:
    """YAML levels.adult.

    2: "(R or C or V-means positive) and D positive; or (N1|N2) and any of R,C,T,X positive"
    1: "any of R,C,T,X,N positive; or any S; or >=2 M across R,C,T,X"

    Read as written: "C positive" is dimension C over all its fired indicators, even those that are
    also members of D (C3-C9); "V-means" is dimension V (V1 is a modifier and never counts).
    """
    d_positive = p.group_positive(p.destination_group)
    if (p.positive("R") or p.positive("C") or p.positive("V")) and d_positive:
        return 2
    if (p.fired("N1") or p.fired("N2")) and any(p.positive(d) for d in "RCTX"):
        return 2
    if any(p.positive(d) for d in "RCTXN") or p.any_grade("S"):
        return 1
    if sum(1 for d, g in p.grades.values() if d in "RCTX" and g == "M") >= 2:
        return 1
    return 0


def minor_level(p: Profile) -> int:
    """YAML levels.minor.

    2: "any S in X or C; or (D has >=1 M/S and R or T has >=1 M/S); or T2 + any R/X/C; or (N1|N2) + any other indicator"
    1: "any M/S in R,C,T,X,N; or (V2|V3) + any other indicator"

    Read as: "(D has >=1 M/S) and (R or T has >=1 M/S)"; "any" and "any other indicator" mean a
    fired counted indicator of any grade (V1, G and K never count), other than the one named: N1 with
    N2, or V2 with V3, satisfy each other.
    """
    if p.any_grade("S", "XC"):
        return 2
    if any(p.grades[i][1] in "MS" for i in p.destination_group if i in p.grades) and p.any_grade("MS", "RT"):
        return 2
    if p.fired("T2") and p.any_grade("SMW", "RXC"):
        return 2
    if any(p.fired(n) and p.others({n}) for n in ("N1", "N2")):
        return 2
    if p.any_grade("MS", "RCTXN"):
        return 1
    if any(p.fired(v) and p.others({v}) for v in ("V2", "V3")):
        return 1
    return 0


# ---------------------------------------------------------------- grades and reliability

_WEAKER = {"S": "M", "M": "W", "W": "W"}
_STRENGTH = {"S": 3, "M": 2, "W": 1, "mod": 0}


def _rank(grade: str | None) -> int:
    return _STRENGTH.get(grade or "", -1)


def grade_rank(grade: str | None) -> int:
    """How strong a grade is (S > M > W > mod > none), to order hits by the grade they give."""
    return _rank(grade)


def _strongest(grades: Iterable[str | None]) -> str | None:
    return max(grades, key=_rank, default=None)


def _hit_grade(ind: Indicator, hit: Hit, minor: bool) -> str | None:
    grade = ind.grade_for(minor)
    if hit.variant == "escalated" and _rank(ind.escalate_to) > _rank(grade):
        return ind.escalate_to
    if hit.variant == "pre_departure" and ind.pre_departure:
        return ind.pre_departure
    if hit.variant == "pay_only" and ind.pay_only:
        return ind.pay_only
    return grade


def indicator_grades(ind: Indicator, hits: list[Hit], minor: bool) -> tuple[str | None, str | None, str | None]:
    """An indicator's (base, effective on all evidence, effective on reliable evidence only or None) grades."""
    own = [(_hit_grade(ind, h, minor), h.reliable) for h in hits]
    base = _strongest(g for g, _ in own)
    effective = _strongest(g if ok else _WEAKER.get(g or "", g) for g, ok in own)
    return base, effective, _strongest(g for g, ok in own if ok)


def combined_level(fired: list[tuple[Indicator, list[Hit]]], rules: Rules, minor: bool) -> tuple[int, Profile]:
    """The final level and the all-evidence profile: unreliable evidence lifts to 1 at most."""
    everything: dict[str, tuple[str, str]] = {}
    reliable_only: dict[str, tuple[str, str]] = {}
    for ind, hits in fired:
        if ind.counted:
            _, effective, reliable = indicator_grades(ind, hits, minor)
            if effective in _WEAKER:
                everything[ind.id] = (ind.dim, effective)
            if reliable in _WEAKER:
                reliable_only[ind.id] = (ind.dim, reliable)
    rule = minor_level if minor else adult_level
    profile = Profile(everything, rules.destination_group)
    reliable_level = rule(Profile(reliable_only, rules.destination_group))
    return max(reliable_level, min(rule(profile), 1)), profile
