"""The birth term: two birth dates, or birth-year intervals from estimated ages, and its bound.

The levels are ``evidence.compare_age``'s reasons; an interval agreement ("age✓") is weighted by the
intervals' width (a sighting's "14-18" says less than a birth date).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..evidence import AGE_PARTIAL_GAP, AGE_SLACK
from ..records import DAY, Prepared
from . import level_weight

if TYPE_CHECKING:
    from ..scoring import TermFrequencies

DOB_EXACT_M, DOB_DEFAULT_U = 0.65, 1.5e-4
# Birth date levels by the comparator's reason; interval agreement ("age✓") is weighted by its width.
# "dob=month"/"dob=year" are read when one side gives only the month or the year: m and u are then both
# conditional on that (how much a family knows does not depend on whether two claims match), so m is
# the chance that the known part agrees for one person, not the share of pairs at this level.
W_DOB = {
    "dob=exact": level_weight(DOB_EXACT_M, DOB_DEFAULT_U),  # u from the file's own birth-date frequencies when known
    "dob=month": level_weight(0.85, 1 / (25 * 12)),
    "dob=year": level_weight(0.85, 1 / 25),
    "dob≈(day/month swapped)": level_weight(0.03, 2e-4),
    "dob≈(year±1)": level_weight(0.05, 3e-4),
    "dob≈(same year)": level_weight(0.04, 0.04),
    "dob≈": level_weight(0.015, 0.08),  # a year and a day apart: two typos at once (linkage-notes lists one at a time)
    "age≈": level_weight(0.08, 0.12),
    "dob✗": level_weight(0.01, 0.85),
    "age✗": level_weight(0.02, 0.75),
}
AGE_M, YEARS_IN_PLAY = 0.9, 30.0


def birth_weight(reason: str, a: Prepared, b: Prepared, tf: TermFrequencies) -> float:
    """The weight of ``compare_age``'s reason for two records that both have birth years."""
    if reason == "dob=exact" and a.record.birth_date is not None:
        return level_weight(DOB_EXACT_M, tf.birth_date(a.record.birth_date.isoformat()))
    if reason == "age✓" and a.birth_years is not None and b.birth_years is not None:
        width = 1 + (a.birth_years[1] - a.birth_years[0]) + (b.birth_years[1] - b.birth_years[0]) + 2
        return level_weight(AGE_M, min(width / YEARS_IN_PLAY, 0.9))
    for prefix in (reason, reason.split("(")[0]):
        if prefix in W_DOB:
            return W_DOB[prefix]
    return 0.0


# ---------------------------------------------------------------- the bound

_UNKNOWN = -1
_TO_THE_DAY, _COARSER = 2, 1  # birth-date precision codes ("day"; "month", "year" or anything else)


class BirthBound:
    """Per-record birth columns, and the bound of the birth term for many pairs at once."""

    def __init__(self, records: Sequence[Prepared], tf: TermFrequencies) -> None:
        n = len(records)
        self.lo = np.full(n, _UNKNOWN, dtype=np.int32)
        self.hi = np.full(n, _UNKNOWN, dtype=np.int32)
        self.precision = np.full(n, _UNKNOWN, dtype=np.int8)
        self.year = np.zeros(n, dtype=np.int32)
        self.month = np.zeros(n, dtype=np.int32)
        self.day = np.zeros(n, dtype=np.int32)
        self.dob_exact = np.zeros(n, dtype=np.float64)
        for i, p in enumerate(records):
            r = p.record
            if p.birth_years:
                self.lo[i], self.hi[i] = p.birth_years
            if r.birth_date is not None:
                self.precision[i] = _TO_THE_DAY if r.birth_precision == DAY else _COARSER
                self.year[i], self.month[i], self.day[i] = r.birth_date.year, r.birth_date.month, r.birth_date.day
                self.dob_exact[i] = level_weight(DOB_EXACT_M, tf.birth_date(r.birth_date.isoformat()))

    def bound(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """The birth term: exact for two full dates and for gaps that disagree, bounded otherwise."""
        both_years = (self.lo[i] != _UNKNOWN) & (self.lo[j] != _UNKNOWN)
        both_dates = (self.precision[i] != _UNKNOWN) & (self.precision[j] != _UNKNOWN)
        years = np.abs(self.year[i] - self.year[j])
        # Two dates, not both to the day: month or year agreement at best, "dob≈" within a year, else ✗.
        coarse = np.where(years <= 1, max(W_DOB["dob=month"], W_DOB["dob=year"], W_DOB["dob≈"]), W_DOB["dob✗"])
        # Two dates to the day, exactly as evidence._compare_birth_dates reads them.
        same_md = (self.month[i] == self.month[j]) & (self.day[i] == self.day[j])
        swapped = (
            (self.year[i] == self.year[j]) & (self.month[i] == self.day[j]) & (self.day[i] == self.month[j]) & ~same_md
        )
        equal = same_md & (years == 0)
        fine = np.select(
            [equal, swapped, same_md & (years == 1), years == 0, years <= 1],
            [
                self.dob_exact[i],
                W_DOB["dob≈(day/month swapped)"],
                W_DOB["dob≈(year±1)"],
                W_DOB["dob≈(same year)"],
                W_DOB["dob≈"],
            ],
            W_DOB["dob✗"],
        )
        dates = np.where((self.precision[i] == _TO_THE_DAY) & (self.precision[j] == _TO_THE_DAY), fine, coarse)
        # An age interval on either side: agreement weighs by the intervals' width.
        gap = np.maximum(self.lo[i], self.lo[j]) - np.minimum(self.hi[i], self.hi[j])
        width = 1 + (self.hi[i] - self.lo[i]) + (self.hi[j] - self.lo[j]) + 2
        agree = np.log2(AGE_M / np.minimum(width / YEARS_IN_PLAY, 0.9))
        ages = np.select([gap <= AGE_SLACK, gap <= AGE_PARTIAL_GAP], [agree, W_DOB["age≈"]], W_DOB["age✗"])
        return np.where(both_years, np.where(both_dates, dates, ages), 0.0)
