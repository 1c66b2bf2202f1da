"""The triggers of dimensions V (vulnerability), N (network) and G (geography, context).

Split from ``triggers`` for module size only: the same conventions hold (one function per indicator, in
the YAML's order, its comment naming the facts it reads), and ``triggers.TRIGGERS`` lists them.
"""

from __future__ import annotations

from dataclasses import replace

from .evidence import Ctx, Hit, _circ, _claim_line, _one, _sighting_line
from .facts import Source
from .results import EvidenceLine

N3_MIN_OTHERS = 2  # "several disappearances": this one and at least two others


def _v1(x: Ctx) -> list[Hit]:
    # V1 (modifier, never counted) reads claim.age < 18.
    return _one([_claim_line(x, "age", x.claim.age)]) if x.minor else []


def _v2(x: Ctx) -> list[Hit]:
    # V2 reads prior_disappearances >= 3. The bare circumstance prior_disappearances (count unknown)
    # does not fire it: "has disappeared before" may be once; the count is then reported missing.
    count = x.claim.prior_disappearances
    return _one([_claim_line(x, "prior_disappearances", count)]) if count is not None and count >= 3 else []


def _v3(x: Ctx) -> list[Hit]:
    # V3 reads missing_from_state_care and the circumstance of the same name.
    lines = _circ(x, "missing_from_state_care")
    lines += [_claim_line(x, "missing_from_state_care", True)] if x.claim.missing_from_state_care else []
    return _one(lines)


def _v4(x: Ctx) -> list[Hit]:
    # V4 reads circumstance runaway_after_conflict.
    return _one(_circ(x, "runaway_after_conflict"))


def _n1(x: Ctx) -> list[Hit]:
    # N1 reads network.shared_recruiters: an identifier of this claim on other unrelated claims.
    return _one(
        [
            replace(_claim_line(x, f"recruiters.{s.identifier.kind}", s.identifier.value), related=s.others)
            for s in x.network.shared_recruiters
            if s.others
        ]
    )


def _n2(x: Ctx) -> list[Hit]:
    # N2 reads network.linked_companions; reliability is that of the sighting named (unknown: unreliable).
    sightings = {s.record: s for s in x.sightings}
    hits = []
    for link in x.network.linked_companions:
        if not link.others:
            continue
        s = sightings.get(link.sighting)
        source = s.source if s else Source("system", False)
        reliable = bool(s and s.reliable)
        line = EvidenceLine(link.sighting, link.field, link.value, source.reported_by, reliable, link.others)
        hits.append(Hit((line,), reliable=reliable))
    return hits


def _n3(x: Ctx) -> list[Hit]:
    # N3 reads network.offer_clusters with at least N3_MIN_OTHERS other disappearances.
    return _one(
        [
            replace(_claim_line(x, "offer", c.key), related=c.others)
            for c in x.network.offer_clusters
            if len(c.others) >= N3_MIN_OTHERS
        ]
    )


def _g1(x: Ctx) -> list[Hit]:
    # G1 (context, never counted) reads claim.country -> sighting.country (any sighting) or
    # offer.destination_country, against the file's corridors (legs from->to, from->via, via->to).
    def leg(destination: str, line: EvidenceLine, reliable: bool) -> list[Hit]:
        corridor = x.rules.corridor(x.claim.country, destination) if x.claim.country else None
        if corridor is None:
            return []
        route = EvidenceLine(
            "rules:corridors", "corridor", f"{x.claim.country}->{destination}", "system", True, corridor.sources
        )
        return [Hit((_claim_line(x, "country", x.claim.country), line, route), reliable=reliable)]

    hits = [
        h for s in x.sightings if s.country for h in leg(s.country, _sighting_line(s, "country", s.country), s.reliable)
    ]
    if x.offer.destination_country:
        hits += leg(
            x.offer.destination_country, _claim_line(x, "offer.destination_country", x.offer.destination_country), True
        )
    return hits
