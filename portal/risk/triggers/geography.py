"""Dimension G, geography: a documented trafficking corridor (G1), context never counted.

G2 is listed in ``NOT_CAPTURED`` with the reason. The trigger's comment names the facts it reads.
"""

from __future__ import annotations

from ..evidence import Hit, Trigger, TriggerContext, claim_line, sighting_line
from ..results import EvidenceLine


def _g1(context: TriggerContext) -> list[Hit]:
    # G1 (context, never counted) reads claim.country -> sighting.country (any sighting) or
    # offer.destination_country, against the file's corridors (legs from->to, from->via, via->to).
    claim, offer = context.claim, context.offer

    def leg(destination: str, line: EvidenceLine, reliable: bool) -> list[Hit]:
        corridor = context.rules.corridor(claim.country, destination) if claim.country else None
        if corridor is None:
            return []
        route = EvidenceLine(
            "rules:corridors", "corridor", f"{claim.country}->{destination}", "system", True, corridor.sources
        )
        return [Hit((claim_line(context, "country", claim.country), line, route), reliable=reliable)]

    hits = [
        h
        for s in context.sightings
        if s.country
        for h in leg(s.country, sighting_line(s, "country", s.country), s.reliable)
    ]
    if offer.destination_country:
        hits += leg(
            offer.destination_country, claim_line(context, "offer.destination_country", offer.destination_country), True
        )
    return hits


TRIGGERS: dict[str, Trigger] = {"G1": _g1}
NOT_CAPTURED = {"G2": "no list of hotspot localities is shipped"}
