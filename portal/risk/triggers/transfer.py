"""Dimension T, transfer and movement: a border crossed, a suspect companion (T1, T2).

T3-T5 are listed in ``NOT_CAPTURED`` with the reason. Each trigger's comment names the facts it reads;
grades come from the YAML, not from here.
"""

from __future__ import annotations

from ..evidence import Hit, Trigger, TriggerContext, claim_line, sighting_hits, sighting_line
from ..facts import SightingFacts
from ..results import EvidenceLine

# Companions that make a sighting suspect (T2; X1 reads them for a minor seen at a hotel).
SUSPECT_COMPANIONS = frozenset({"unrelated_adult", "older_partner", "guard_or_escort"})


def _t1(context: TriggerContext) -> list[Hit]:
    # T1 reads sighting.country against claim.country (both known, different) and the dates: a
    # sighting dated before the disappearance does not count; the same day or an unknown date does.
    claim = context.claim

    def crossed(s: SightingFacts) -> list[EvidenceLine]:
        if not (s.country and claim.country and s.country != claim.country):
            return []
        if s.event_date and claim.event_date and s.event_date < claim.event_date:
            return []
        return [claim_line(context, "country", claim.country), sighting_line(s, "country", s.country)]

    return sighting_hits(context, crossed)


def _t2(context: TriggerContext) -> list[Hit]:
    # T2 reads sighting.companion: for a minor unrelated_adult / older_partner / guard_or_escort; for
    # an adult (grade W) only older_partner / guard_or_escort, since adults are normally with other adults.
    companions = SUSPECT_COMPANIONS if context.minor else SUSPECT_COMPANIONS - {"unrelated_adult"}
    return sighting_hits(
        context, lambda s: [sighting_line(s, "companion", s.companion)] if s.companion in companions else []
    )


TRIGGERS: dict[str, Trigger] = {"T1": _t1, "T2": _t2}
NOT_CAPTURED = {
    "T3": "no fact records false or altered documents or a misrepresented age",
    "T4": "sightings carry a country but no city, and online ads are not ingested: rapid movement is invisible",
    "T5": "a border_crossing sighting cannot tell an irregular crossing from a regular one or name a smuggler; "
    "the companion seen there already fires T2 (and the country T1), so T5 would count it twice",
}
