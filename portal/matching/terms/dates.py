"""The dates term: two claims' dates last seen, or a sighting's delay after the disappearance, and its bound."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np

from ..records import Prepared
from . import level_weight

# A sighting after the disappearance: most people missing are seen again within the first year.
W_SIGHTING_DELAY = {
    "year": level_weight(0.75, 0.4),
    "years": level_weight(0.2, 0.35),
    "later": level_weight(0.05, 0.25),
}
# Two claims' dates last seen: claims of one disappearance name the same days; weeks apart is rare
# (a date misremembered), months apart rarer (or another disappearance of the same person).
W_EVENT = {"near": level_weight(0.9, 0.03), "months": level_weight(0.05, 0.12), "far": level_weight(0.03, 0.85)}
NEAR_DAYS, MONTHS_DAYS = 14, 120


def event_level(a: date, b: date) -> tuple[str, int]:
    """The level of two claims' dates last seen ("near", "months" or "far") and the days between them."""
    days = abs((a - b).days)
    return ("near" if days <= NEAR_DAYS else ("months" if days <= MONTHS_DAYS else "far")), days


def sighting_delay_weight(disappeared: date, seen: date) -> float:
    """The weight of a sighting ``seen`` after the disappearance (never before: that is a veto)."""
    days = (seen - disappeared).days
    return W_SIGHTING_DELAY["year" if days <= 366 else ("years" if days <= 3 * 366 else "later")]


_UNKNOWN = -1


class EventBound:
    """Per-record dates last seen (or seen), and the dates term for many pairs at once (exact): two
    claims' dates last seen (``bound``), or the delay from a disappearance to a sighting (``delay_bound``)."""

    def __init__(self, records: Sequence[Prepared]) -> None:
        self.event = np.full(len(records), _UNKNOWN, dtype=np.int64)
        for k, p in enumerate(records):
            if p.record.event_date is not None:
                self.event[k] = p.record.event_date.toordinal()

    def delay_bound(self, claim: np.ndarray, sighting: np.ndarray) -> np.ndarray:
        """``sighting_delay_weight`` where both dates are known (exact; a sighting before the
        disappearance is vetoed by the scorer, whatever its bound)."""
        ec, es = self.event[claim], self.event[sighting]
        days = es - ec
        delay = np.select(
            [days <= 366, days <= 3 * 366],
            [W_SIGHTING_DELAY["year"], W_SIGHTING_DELAY["years"]],
            W_SIGHTING_DELAY["later"],
        )
        return np.where((ec != _UNKNOWN) & (es != _UNKNOWN), delay, 0.0)

    def bound(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """``W_EVENT`` at ``event_level``'s level where both dates are known."""
        ei, ej = self.event[i], self.event[j]
        days = np.abs(ei - ej)
        event = np.select(
            [days <= NEAR_DAYS, days <= MONTHS_DAYS], [W_EVENT["near"], W_EVENT["months"]], W_EVENT["far"]
        )
        return np.where((ei != _UNKNOWN) & (ej != _UNKNOWN), event, 0.0)
