"""Dimension N, network: a recruiter, a companion or venue, or an offer shared with other cases (N1-N3).

The portal computes the cross-case facts (``NetworkFacts``); these triggers only read them. Each
trigger's comment names the facts it reads; grades come from the YAML, not from here.
"""

from __future__ import annotations

from dataclasses import replace

from ..evidence import Hit, Trigger, TriggerContext, claim_line, single_hit
from ..facts import Source
from ..results import EvidenceLine

N3_MIN_OTHERS = 2  # "several disappearances": this one and at least two others


def _n1(context: TriggerContext) -> list[Hit]:
    # N1 reads network.shared_recruiters: an identifier of this claim on other unrelated claims.
    return single_hit(
        [
            replace(claim_line(context, f"recruiters.{s.identifier.kind}", s.identifier.value), related=s.others)
            for s in context.network.shared_recruiters
            if s.others
        ]
    )


def _n2(context: TriggerContext) -> list[Hit]:
    # N2 reads network.linked_companions; reliability is that of the sighting named (unknown: unreliable).
    sightings = {s.record: s for s in context.sightings}
    hits = []
    for link in context.network.linked_companions:
        if not link.others:
            continue
        s = sightings.get(link.sighting)
        source = s.source if s else Source("system", False)
        reliable = bool(s and s.reliable)
        line = EvidenceLine(link.sighting, link.field, link.value, source.reported_by, reliable, link.others)
        hits.append(Hit((line,), reliable=reliable))
    return hits


def _n3(context: TriggerContext) -> list[Hit]:
    # N3 reads network.offer_clusters with at least N3_MIN_OTHERS other disappearances.
    return single_hit(
        [
            replace(claim_line(context, "offer", c.key), related=c.others)
            for c in context.network.offer_clusters
            if len(c.others) >= N3_MIN_OTHERS
        ]
    )


TRIGGERS: dict[str, Trigger] = {"N1": _n1, "N2": _n2, "N3": _n3}
