"""Cross-case facts N2 (a sighting's venue linked to other cases) and N3 (offer clusters).

Both leave out the claim itself and its confirmed duplicates (``same_person``, from
``services.duplicates_of``), the rule N1 uses for "unrelated". Sightings record no companion
identifier yet, so N2 links venues only (``field="venue"``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from portal.cases.models import Claim
from portal.matching.normalize import fold
from portal.review.models import MatchCandidate
from portal.risk import Cluster, Link
from portal.risk.facts import EXPLOITATION_VENUES
from portal.sightings.models import Sighting

CLUSTER_WINDOW = timedelta(days=180)  # N3: other disappearances within this many days of this one
LINKED_VENUES = EXPLOITATION_VENUES  # N2 links sightings at these venues only
MIN_LETTERS = 4  # a normalised place needs this many letters to identify a place ("La Paz" has 5)


def place_key(text: str | None) -> str:
    """Folded, single-spaced place text, or "" when it has fewer than MIN_LETTERS letters."""
    key = " ".join(fold(text or "").split())
    return key if sum(ch.isalpha() for ch in key) >= MIN_LETTERS else ""


def offer_keys(offer: dict[str, Any] | None) -> list[str]:
    """The cluster keys of an offer: destination country with sector, destination country with place."""
    offer = offer or {}
    country = str(offer.get("destination_country") or "").strip().upper()
    sector = str(offer.get("sector") or "").strip()
    place = place_key(str(offer.get("destination_place") or ""))
    if not country:
        return []
    keys = [f"destination {country} · sector {sector}"] if sector else []
    return keys + ([f"destination {country} · place {place}"] if place else [])


def offer_clusters(session: Session, claim: Claim, same_person: set[int]) -> tuple[Cluster, ...]:
    """N3: per key of this claim's offer, the unrelated claims with that key within CLUSTER_WINDOW.

    One indexed query on ``claim.event_date`` (both dates must be known); offers are compared here.
    """
    keys = offer_keys(claim.offer)
    if not keys or claim.event_date is None or claim.id is None:
        return ()
    # Most claims have no offer: leave them out in SQL (an empty offer is stored as the text "{}").
    rows = session.execute(
        select(Claim.id, Claim.reference, Claim.offer)
        .where(
            Claim.id != claim.id,
            cast(Claim.offer, String) != "{}",
            Claim.event_date.between(claim.event_date - CLUSTER_WINDOW, claim.event_date + CLUSTER_WINDOW),
        )
        .order_by(Claim.reference)
    )
    found: dict[str, list[str]] = {key: [] for key in keys}
    for other_id, reference, offer in rows:
        if other_id in same_person or not isinstance(offer, dict):
            continue
        for key in set(offer_keys(offer)) & set(keys):
            found[key].append(reference)
    return tuple(Cluster(key, tuple(refs)) for key, refs in found.items() if refs)


def _tied_sightings(session: Session, claim_id: int) -> list[Sighting]:
    """Sightings tied to the claim by an open or confirmed candidate."""
    return list(
        session.scalars(
            select(Sighting)
            .join(MatchCandidate, MatchCandidate.right_sighting_id == Sighting.id)
            .where(
                MatchCandidate.left_claim_id == claim_id,
                MatchCandidate.right_type == "sighting",
                MatchCandidate.status.in_(("open", "confirmed")),
            )
            .order_by(Sighting.id)
        )
    )


def linked_venues(session: Session, claim: Claim, same_person: set[int]) -> tuple[Link, ...]:
    """N2: each sighting of this claim at a LINKED_VENUES venue also seen in a sighting confirmed to an
    unrelated claim (same country, venue code and normalised place)."""
    if claim.id is None:
        return ()
    mine = [
        (s, place_key(s.place)) for s in _tied_sightings(session, claim.id) if s.venue in LINKED_VENUES and s.country
    ]
    mine = [(s, place) for s, place in mine if place]
    if not mine:
        return ()
    rows = session.execute(
        select(Sighting.id, Sighting.country, Sighting.venue, Sighting.place, Claim.id, Claim.reference)
        .join(MatchCandidate, MatchCandidate.right_sighting_id == Sighting.id)
        .join(Claim, MatchCandidate.left_claim_id == Claim.id)
        .where(
            MatchCandidate.right_type == "sighting",
            MatchCandidate.status == "confirmed",
            MatchCandidate.left_claim_id != claim.id,
            Sighting.country.in_({s.country for s, _ in mine}),
            Sighting.venue.in_({s.venue for s, _ in mine}),
        )
        .order_by(Claim.reference)
    ).all()
    links = []
    for sighting, place in mine:
        others = tuple(
            dict.fromkeys(
                reference
                for other_sighting, country, venue, other_place, other_claim, reference in rows
                if other_sighting != sighting.id
                and other_claim not in same_person
                and (country, venue) == (sighting.country, sighting.venue)
                and place_key(other_place) == place
            )
        )
        if others:
            links.append(
                Link(
                    sighting=f"sighting:{sighting.id}",
                    field="venue",
                    value=f"{sighting.venue} · {place}",
                    others=others,
                )
            )
    return tuple(links)


def related_references(result: dict[str, Any] | None, ids: tuple[str, ...] = ("N2", "N3")) -> set[str]:
    """The other claims' references a stored result names under N2/N3 (to reassess those it no longer names)."""
    return {
        ref
        for indicator in (result or {}).get("indicators", [])
        if indicator.get("id") in ids
        for line in indicator.get("evidence", [])
        for ref in line.get("related", [])
    }


def claims_by_reference(session: Session, references: set[str], limit: int) -> list[Claim]:
    """Claims with these references (at most ``limit``, in reference order)."""
    if not references:
        return []
    return list(
        session.scalars(
            select(Claim).where(Claim.reference.in_(sorted(references))).order_by(Claim.reference).limit(limit)
        )
    )
