"""Builders of synthetic risk facts (no names, no real people) shared by the risk tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from portal.risk import Assessment, Case, ClaimFacts, NetworkFacts, NoteFacts, SightingFacts, Source

TODAY = date(2026, 3, 1)
DISAPPEARED = date(2026, 1, 10)
FAMILY = Source("family", True)  # family facts on a police-validated claim
POLICE = Source("police", True)
PUBLIC_CONFIRMED = Source("public", True)  # a public sighting whose match an officer confirmed
PUBLIC_UNVERIFIED = Source("public", False)

# spec/api-core.md codes (copied so the pure tests do not import the Flask-side code modules).
CIRCUMSTANCES = (
    "job_offer",
    "job_offer_abroad",
    "study_or_modelling_offer",
    "new_partner",
    "online_contact",
    "travel_paid_by_third_party",
    "entrusted_to_non_parent",
    "abduction_witnessed",
    "child_sold_or_given",
    "threats_or_debt_to_family",
    "documents_held_by_other",
    "missing_from_state_care",
    "prior_disappearances",
    "runaway_after_conflict",
)
VENUES = (
    "bar",
    "nightclub",
    "brothel",
    "massage_parlour",
    "hotel",
    "mine",
    "agricultural_camp",
    "fishing_vessel",
    "workshop",
    "domestic_work",
    "street_begging",
    "border_crossing",
    "bus_terminal",
    "online_ad",
    "street",
    "other",
)
COMPANIONS = ("none", "relative", "unrelated_adult", "older_partner", "group_of_minors", "guard_or_escort")


def claim(age: int | None = 30, **kwargs: Any) -> ClaimFacts:
    """A claim last seen in BO on DISAPPEARED, reported by the family (verified); override anything."""
    values: dict[str, Any] = {
        "record": "claim:1",
        "source": FAMILY,
        "age": age,
        "sex": "F",
        "country": "BO",
        "event_date": DISAPPEARED,
    }
    return ClaimFacts(**{**values, **kwargs})


def sighting(record: str = "sighting:1", **kwargs: Any) -> SightingFacts:
    """A confirmed sighting in BO a month after the disappearance; override anything."""
    values: dict[str, Any] = {
        "record": record,
        "source": PUBLIC_CONFIRMED,
        "link": "confirmed",
        "country": "BO",
        "event_date": date(2026, 2, 10),
    }
    return SightingFacts(**{**values, **kwargs})


def note(*flags: str, record: str = "note:1") -> NoteFacts:
    """A police note carrying ``flags``."""
    return NoteFacts(record, POLICE, tuple(flags))


NO_NETWORK = NetworkFacts()


def case(
    the_claim: ClaimFacts | None = None,
    *,
    notes: tuple[NoteFacts, ...] = (),
    sightings: tuple[SightingFacts, ...] = (),
    network: NetworkFacts = NO_NETWORK,
) -> Case:
    """A case assessed on TODAY."""
    return Case(claim=the_claim or claim(), today=TODAY, notes=notes, sightings=sightings, network=network)


def fired(assessment: Assessment) -> dict[str, str | None]:
    """Every fired id (indicators, context, counter-indicators) -> its effective grade."""
    return {f.id: f.grade for f in (*assessment.indicators, *assessment.context, *assessment.counter_indicators)}
