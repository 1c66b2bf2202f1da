"""The trafficking engine's facts about a claim, read from what the portal holds today.

Pure reads: nothing here writes. ``case_facts`` is the engine's whole input for one claim.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from portal.accounts.models import POLICE_ROLES, User
from portal.cases.models import Claim, Note, RecruiterIdentifier
from portal.cases.rules import age_range
from portal.flags.network import linked_venues, offer_clusters
from portal.review.models import MatchCandidate
from portal.risk import (
    Case,
    ClaimFacts,
    Identifier,
    NetworkFacts,
    NoteFacts,
    Offer,
    SharedIdentifier,
    SightingFacts,
    Source,
)
from portal.sightings.models import Sighting

# The family types the relation as free text ("madre", "tía"); the engine wants a code.
_PARENT = {"madre", "padre", "mamá", "mama", "papá", "papa", "mother", "father", "parent", "mom", "dad"}
_RELATIVE = {
    "hermana",
    "hermano",
    "tía",
    "tia",
    "tío",
    "tio",
    "abuela",
    "abuelo",
    "prima",
    "primo",
    "sobrina",
    "sobrino",
    "hija",
    "hijo",
    "esposa",
    "esposo",
    "sister",
    "brother",
    "aunt",
    "uncle",
    "grandmother",
    "grandfather",
    "cousin",
    "daughter",
    "son",
    "wife",
    "husband",
    "relative",
    "familiar",
}
_EMPLOYER = {"empleador", "empleadora", "patrón", "patrona", "employer"}


def _is_police(user: User | None) -> bool:
    return user is not None and user.role in POLICE_ROLES


def relation_code(text: str) -> str:
    """The engine's reporter-relation code of what the family typed (first word, accents kept)."""
    words = (text or "").strip().lower().split()
    if not words:
        return ""
    first = words[0]
    if first in _PARENT:
        return "parent"
    if first in _RELATIVE:
        return "relative"
    return "employer" if first in _EMPLOYER else "other"


def claim_age(claim: Claim) -> int | None:
    """The age at disappearance the engine reads, taking the careful (younger) reading when unsure.

    A birth date gives the exact age on the event date, or the younger of the two possible ages when
    only the year or month is known; otherwise the estimate's upper bound when the whole range is
    under 18 (the person was a minor whatever the truth), else its lower bound (a range across 18
    counts as a minor). No date and no estimate: unknown (None).
    """
    low, high = age_range(claim)
    if claim.birth_date is not None and claim.event_date is not None:
        return low
    bounds = [b for b in (low, high) if b is not None]
    if not bounds:
        return None
    return max(bounds) if max(bounds) < 18 else min(bounds)


def _claim_facts(claim: Claim) -> ClaimFacts:
    by_police = _is_police(claim.reporter)
    return ClaimFacts(
        record=f"claim:{claim.id}",
        source=Source("police" if by_police else "family", by_police or claim.status != "draft"),
        age=claim_age(claim),
        sex=claim.sex or "",
        country=claim.country or "",
        event_date=claim.event_date,
        circumstances=tuple(claim.circumstances or ()),
        reporter_relation="police" if by_police else relation_code(claim.reporter_relation),
        offer=Offer(**claim.offer) if claim.offer else None,
        # Stored normalised; normalised again so that a value kept by an older rule is still read.
        recruiters=tuple(Identifier.of(r.kind, r.value) for r in claim.recruiters),
        prior_disappearances=claim.prior_disappearances,
        missing_from_state_care=claim.missing_from_state_care,
        occupation=claim.occupation or "",
    )


def _sighting_facts(session: Session, claim: Claim) -> tuple[SightingFacts, ...]:
    """Sightings tied to the claim by a match candidate: confirmed ones and open candidates (not rejected)."""
    rows = session.execute(
        select(MatchCandidate, Sighting, User.role)
        .join(Sighting, MatchCandidate.right_sighting_id == Sighting.id)
        .outerjoin(User, Sighting.reporter_id == User.id)
        .where(
            MatchCandidate.left_claim_id == claim.id,
            MatchCandidate.right_type == "sighting",
            MatchCandidate.status.in_(("open", "confirmed")),
        )
        .order_by(Sighting.id)
    )
    # A sighting's observations are verified when the police reported it or an officer verified the
    # report itself (portal/sightings/services.verify). Confirming the match says who the person seen
    # was; it does not vouch for what an anonymous witness says they saw.
    return tuple(
        SightingFacts(
            record=f"sighting:{sighting.id}",
            source=Source(
                "police" if role in POLICE_ROLES else "public",
                bool(sighting.verified) or role in POLICE_ROLES,
            ),
            link="confirmed" if candidate.status == "confirmed" else "candidate",
            country=sighting.country or "",
            event_date=sighting.event_date,
            venue=sighting.venue or "",
            companion=sighting.companion or "",
            score=candidate.score,
            conditions=tuple(sighting.conditions or ()),
            free_to_leave=sighting.free_to_leave or "",
        )
        for candidate, sighting, role in rows
    )


def _note_facts(session: Session, claim: Claim) -> tuple[NoteFacts, ...]:
    """Flags of notes written by police roles (add_note lets only the police set them): verified."""
    rows = session.execute(
        select(Note.id, Note.flags)
        .join(User, Note.author_id == User.id)
        .where(Note.claim_id == claim.id, User.role.in_(POLICE_ROLES))
        .order_by(Note.id)
    )
    return tuple(
        NoteFacts(record=f"note:{note_id}", source=Source("police", True), flags=tuple(flags))
        for note_id, flags in rows
        if flags
    )


def duplicates_of(session: Session, claim_id: int, limit: int = 50) -> set[int]:
    """Claims an officer confirmed to be the same person as ``claim_id``, through chains of duplicates."""
    seen, frontier = {claim_id}, {claim_id}
    while frontier and len(seen) < limit:
        pairs = session.execute(
            select(MatchCandidate.left_claim_id, MatchCandidate.right_claim_id).where(
                MatchCandidate.right_type == "claim",
                MatchCandidate.status == "confirmed",
                or_(MatchCandidate.left_claim_id.in_(frontier), MatchCandidate.right_claim_id.in_(frontier)),
            )
        )
        found = {i for pair in pairs for i in pair if i is not None}
        frontier = found - seen
        seen |= found
    return seen - {claim_id}


def _sharing(session: Session, pairs: set[tuple[str, str]]) -> list[tuple[str, str, int, str]]:
    """(kind, value, claim id, reference) of every claim holding one of these identifiers (indexed)."""
    if not pairs:
        return []
    match = or_(
        *(and_(RecruiterIdentifier.kind == kind, RecruiterIdentifier.value == value) for kind, value in sorted(pairs))
    )
    rows = session.execute(
        select(RecruiterIdentifier.kind, RecruiterIdentifier.value, Claim.id, Claim.reference)
        .join(Claim, RecruiterIdentifier.claim_id == Claim.id)
        .where(match)
        .order_by(Claim.reference)
    )
    return [(kind, value, claim_id, reference) for kind, value, claim_id, reference in rows]


def _network(session: Session, claim: Claim) -> NetworkFacts:
    """N1: each identifier of this claim found on other claims; N2 linked venues; N3 offer clusters.

    All three leave out the claim's confirmed duplicates (not "unrelated").
    """
    mine = {(r.kind, r.value) for r in claim.recruiters}
    rows = [row for row in _sharing(session, mine) if row[2] != claim.id]
    same_person = duplicates_of(session, claim.id)
    shared = []
    for kind, value in sorted(mine):
        others = tuple(
            dict.fromkeys(ref for k, v, other, ref in rows if (k, v) == (kind, value) and other not in same_person)
        )
        if others:
            shared.append(SharedIdentifier(Identifier(kind, value), others))
    # not captured yet: N2 on companions (sightings record no companion identifier); N2 links venues only.
    return NetworkFacts(
        shared_recruiters=tuple(shared),
        linked_companions=linked_venues(session, claim, same_person),
        offer_clusters=offer_clusters(session, claim, same_person),
    )


def sharers(session: Session, claim: Claim, pairs: set[tuple[str, str]]) -> set[int]:
    """Ids of the other claims holding any of ``pairs`` (a claim's identifiers, old or new): its N1 partners."""
    return {other for _kind, _value, other, _ref in _sharing(session, pairs) if other != claim.id}


def case_facts(session: Session, claim: Claim, today: date) -> Case:
    """The engine's input for ``claim`` from what the portal holds today.

    not captured yet: companion identifiers for N2 (sightings have none; N2 links venues only).
    """
    return Case(
        claim=_claim_facts(claim),
        today=today,
        sightings=_sighting_facts(session, claim),
        notes=_note_facts(session, claim),
        network=_network(session, claim),
    )
