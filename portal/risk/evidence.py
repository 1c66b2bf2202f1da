"""What a trigger reads and returns: the context ``Ctx``, the ``Hit`` (evidence lines that fire an
indicator together) and the helpers that turn facts into evidence lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .facts import Case, ClaimFacts, NetworkFacts, NoteFacts, Offer, SightingFacts
from .results import EvidenceLine
from .rules import Rules


@dataclass(frozen=True)
class Ctx:
    """What a trigger reads: the case, whether minor rules apply, and the rules (corridors)."""

    case: Case
    minor: bool
    rules: Rules

    @property
    def claim(self) -> ClaimFacts:
        return self.case.claim

    @property
    def offer(self) -> Offer:
        """The claim's offer, or an empty one (every field unknown)."""
        return self.case.claim.offer or Offer()

    @property
    def notes(self) -> tuple[NoteFacts, ...]:
        return self.case.notes

    @property
    def sightings(self) -> tuple[SightingFacts, ...]:
        return self.case.sightings

    @property
    def network(self) -> NetworkFacts:
        return self.case.network


@dataclass(frozen=True)
class Hit:
    """Evidence lines that fire an indicator together; ``variant`` picks a YAML sub-grade."""

    lines: tuple[EvidenceLine, ...]
    variant: str = ""  # "", "escalated" (escalate_to), "pre_departure", "pay_only"
    reliable: bool = True  # False when it rests on an unverified sighting or a candidate match


def _text(value: object) -> str:
    return "true" if value is True else "false" if value is False else str(value)


def _claim_line(x: Ctx, field: str, value: object) -> EvidenceLine:
    c = x.claim
    return EvidenceLine(c.record, field, _text(value), c.source.reported_by, c.source.verified)


def _sighting_line(s: SightingFacts, field: str, value: object) -> EvidenceLine:
    return EvidenceLine(s.record, field, _text(value), s.source.reported_by, s.reliable)


def _circ(x: Ctx, *codes: str) -> list[EvidenceLine]:
    return [_claim_line(x, "circumstances", c) for c in codes if c in x.claim.circumstances]


def _one(lines: list[EvidenceLine], variant: str = "") -> list[Hit]:
    return [Hit(tuple(lines), variant)] if lines else []


def _notes(x: Ctx, *flags: str, variant: str = "") -> list[Hit]:
    """One hit per police note carrying any of ``flags``."""

    def lines(n: NoteFacts) -> tuple[EvidenceLine, ...]:
        return tuple(
            EvidenceLine(n.record, "flags", f, n.source.reported_by, n.source.verified) for f in flags if f in n.flags
        )

    return [Hit(ls, variant) for n in x.notes if (ls := lines(n))]


def _sightings(x: Ctx, lines: Callable[[SightingFacts], list[EvidenceLine]]) -> list[Hit]:
    """One hit per sighting for which ``lines`` finds evidence; reliability is the sighting's."""
    return [Hit(tuple(ls), reliable=s.reliable) for s in x.sightings if (ls := lines(s))]


def _condition(*conditions: str) -> Callable[[SightingFacts], list[EvidenceLine]]:
    return lambda s: [_sighting_line(s, "conditions", c) for c in conditions if c in s.conditions]


def _venue_in(venues: frozenset[str]) -> Callable[[SightingFacts], list[EvidenceLine]]:
    return lambda s: [_sighting_line(s, "venue", s.venue)] if s.venue in venues else []
