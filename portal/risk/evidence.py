"""What a trigger reads and returns, and the helpers every trigger shares.

A trigger reads a ``TriggerContext`` (the case, whether minor rules apply, the rules) and returns
``Hit``s: evidence lines that fire its indicator together. The helpers below turn facts into evidence
lines, so that every dimension's triggers (``portal.risk.triggers``) say where a fact came from alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .facts import Case, ClaimFacts, NetworkFacts, NoteFacts, Offer, SightingFacts
from .results import EvidenceLine
from .rules import Rules

LineMaker = Callable[[SightingFacts], list[EvidenceLine]]  # a sighting's evidence lines, if any


@dataclass(frozen=True)
class TriggerContext:
    """What a trigger reads: the case, whether minor rules apply, and the rules (corridors)."""

    case: Case
    minor: bool
    rules: Rules

    @property
    def claim(self) -> ClaimFacts:
        """The claim's facts."""
        return self.case.claim

    @property
    def offer(self) -> Offer:
        """The claim's offer, or an empty one (every field unknown)."""
        return self.case.claim.offer or Offer()

    @property
    def notes(self) -> tuple[NoteFacts, ...]:
        """The police notes of the case."""
        return self.case.notes

    @property
    def sightings(self) -> tuple[SightingFacts, ...]:
        """The sightings linked to the claim, confirmed or candidates."""
        return self.case.sightings

    @property
    def network(self) -> NetworkFacts:
        """The cross-case facts the portal computed."""
        return self.case.network


@dataclass(frozen=True)
class Hit:
    """Evidence lines that fire an indicator together; ``variant`` picks a YAML sub-grade."""

    lines: tuple[EvidenceLine, ...]
    variant: str = ""  # "", "escalated" (escalate_to), "pre_departure", "pay_only"
    reliable: bool = True  # False when it rests on an unverified sighting or a candidate match


Trigger = Callable[[TriggerContext], list[Hit]]


def as_text(value: object) -> str:
    """A fact's value as an evidence line shows it ("true", "false", or its string)."""
    return "true" if value is True else "false" if value is False else str(value)


def claim_line(context: TriggerContext, field: str, value: object) -> EvidenceLine:
    """An evidence line for a fact of the claim, with the claim's source."""
    claim = context.claim
    return EvidenceLine(claim.record, field, as_text(value), claim.source.reported_by, claim.source.verified)


def sighting_line(sighting: SightingFacts, field: str, value: object) -> EvidenceLine:
    """An evidence line for a fact of a sighting; verified only when the sighting is reliable."""
    return EvidenceLine(sighting.record, field, as_text(value), sighting.source.reported_by, sighting.reliable)


def circumstance_lines(context: TriggerContext, *codes: str) -> list[EvidenceLine]:
    """One line per circumstance code of ``codes`` that the claim gives."""
    return [claim_line(context, "circumstances", c) for c in codes if c in context.claim.circumstances]


def single_hit(lines: list[EvidenceLine], variant: str = "") -> list[Hit]:
    """All ``lines`` as one hit, or no hit when there are none."""
    return [Hit(tuple(lines), variant)] if lines else []


def note_hits(context: TriggerContext, *flags: str, variant: str = "") -> list[Hit]:
    """One hit per police note carrying any of ``flags``."""

    def lines(note: NoteFacts) -> tuple[EvidenceLine, ...]:
        return tuple(
            EvidenceLine(note.record, "flags", f, note.source.reported_by, note.source.verified)
            for f in flags
            if f in note.flags
        )

    return [Hit(found, variant) for note in context.notes if (found := lines(note))]


def sighting_hits(context: TriggerContext, lines: LineMaker) -> list[Hit]:
    """One hit per sighting for which ``lines`` finds evidence; reliability is the sighting's."""
    return [Hit(tuple(found), reliable=s.reliable) for s in context.sightings if (found := lines(s))]


def conditions_seen(*conditions: str) -> LineMaker:
    """Lines for a sighting's conditions among ``conditions``."""
    return lambda s: [sighting_line(s, "conditions", c) for c in conditions if c in s.conditions]


def venue_among(venues: frozenset[str]) -> LineMaker:
    """A line for a sighting's venue when it is one of ``venues``."""
    return lambda s: [sighting_line(s, "venue", s.venue)] if s.venue in venues else []
