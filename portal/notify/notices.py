"""Who is told what, and when (issue 11's table). The casework path calls these; each writes outbox rows.

- the family: the claim received; validated, published or withheld; a status change; a confirmed
  sighting or duplicate ("found safe" only, for an adult found who wants no contact); a new public or
  family note written by someone else.
- the police: new candidates on their claims and sightings (at once when a claim concerned is at
  level 2, otherwise as each officer chose: at once or in a daily digest); a claim newly at level 2;
  a claim of theirs linked by another country's officer.
- the public: the updates of a published claim they follow (notify.subscriptions).
- a witness: the reference of their sighting, and a word when the police act on it, never the case.

Messages carry references, codes and links, not the people's details: an e-mail travels through
servers the portal does not control. The family's messages name the person by given name only.
Officers of a claim are the one who validated it and the police of its agency; a claim with neither
(or a sighting) goes to its country's coordinators, who run the desk.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.addresses import checked_email
from portal.accounts.models import Role, User
from portal.cases.models import Claim, Note
from portal.errors import ValidationFailed
from portal.flags.services import current as current_assessment
from portal.notify import subscriptions
from portal.notify.outbox import country_locale, enqueue, enqueue_for_user
from portal.review.models import MatchCandidate
from portal.sightings.models import Sighting

PRIORITY = 2  # the trafficking level at which officers are told at once


def mail_address(text: str) -> str | None:
    """``text`` as a normalised e-mail address, or None when it is not one (a phone number, ...)."""
    try:
        return checked_email(text)
    except ValidationFailed:
        return None


# --- the family -------------------------------------------------------------------------------


def _tell_family(session: Session, claim: Claim, template: str, **context: Any) -> None:
    """The reporting family: its account, or the e-mail address an officer wrote down for it."""
    context = {"reference": claim.reference, "claim_id": claim.id, "given_names": claim.given_names, **context}
    reporter = claim.reporter
    if reporter is not None and reporter.role == Role.FAMILY:
        enqueue_for_user(session, reporter, template, context)
        return
    address = mail_address(claim.reporter_contact)
    if address:
        enqueue(
            session,
            to=address,
            template=template,
            context=context,
            locale=country_locale(session, claim.owner_country),
        )


def claim_received(session: Session, claim: Claim) -> None:
    """A claim was filed: the family learns its reference and what happens next."""
    _tell_family(session, claim, "family/received")


def claim_validated(session: Session, claim: Claim) -> None:
    """An officer validated the claim."""
    _tell_family(session, claim, "family/validated", publication=claim.publication)


def publication_changed(session: Session, claim: Claim) -> None:
    """The claim was published, withheld or unpublished."""
    _tell_family(session, claim, "family/publication", publication=claim.publication)


def note_added(session: Session, actor: User, claim: Claim, note: Note) -> None:
    """A status change, or a public or family note by someone other than the family."""
    if note.status_after and note.status_after != note.status_before:
        if note.details.get("no_contact"):
            _tell_family(session, claim, "family/found_safe")
            return  # the public page shows no more than the family is told
        _tell_family(session, claim, "family/status", status=note.status_after)
        what = "located" if note.status_after in ("located_alive", "located_deceased") else "status"
        subscriptions.notify_subscribers(session, claim, "subscriptions/update", {"what": what, "text": ""})
        return
    if note.visibility in ("public", "family") and actor.id != claim.reporter_id:
        _tell_family(session, claim, "family/note", text=note.text)
    if note.visibility == "public":
        subscriptions.notify_subscribers(session, claim, "subscriptions/update", {"what": "note", "text": note.text})


# --- the police ---------------------------------------------------------------------------------


def _active_staff(session: Session, country: str, roles: Iterable[str], agency: str | None = None) -> list[User]:
    query = select(User).where(User.active.is_(True), User.country_code == country, User.role.in_(list(roles)))
    if agency is not None:
        query = query.where(User.agency == agency)
    return list(session.scalars(query.order_by(User.id)))


def coordinators(session: Session, country: str) -> list[User]:
    """The active coordinators of a country."""
    return _active_staff(session, country, [Role.COORDINATOR])


def officers_of(session: Session, claim: Claim) -> list[User]:
    """The officers of a claim: who validated it, and the police of its agency; else its country's
    coordinators."""
    found: dict[int, User] = {}
    validator = session.get(User, claim.validated_by_id) if claim.validated_by_id else None
    if validator is not None and validator.active:
        found[validator.id] = validator
    if claim.agency:
        for user in _active_staff(session, claim.owner_country, [Role.POLICE, Role.COORDINATOR], claim.agency):
            found.setdefault(user.id, user)
    return list(found.values()) or coordinators(session, claim.owner_country)


def _level(session: Session, claim: Claim) -> int:
    assessment = current_assessment(session, claim.id)
    return assessment.level if assessment is not None else 0


def _candidate_claims(session: Session, candidate: MatchCandidate) -> list[Claim]:
    ids = [candidate.left_claim_id, candidate.right_claim_id]
    return [claim for claim in (session.get(Claim, i) for i in ids if i) if claim is not None]


def new_candidates(session: Session, found: Iterable[MatchCandidate]) -> None:
    """Tell the officers of each side of each new candidate; at once for a level-2 claim."""
    for candidate in found:
        claims = _candidate_claims(session, candidate)
        sighting = session.get(Sighting, candidate.right_sighting_id) if candidate.right_sighting_id else None
        urgent = any(_level(session, claim) >= PRIORITY for claim in claims)
        officers = {user.id: user for claim in claims for user in officers_of(session, claim)}
        if sighting is not None:
            officers.update({user.id: user for user in coordinators(session, sighting.country)})
        context = {
            "candidate_id": candidate.id,
            "references": [claim.reference for claim in claims] + ([sighting.reference] if sighting else []),
            "kind": candidate.right_type,
            "urgent": urgent,
        }
        for officer in officers.values():
            held = not urgent and officer.notify_candidates != "instant"
            enqueue_for_user(session, officer, "police/candidate", context, held=held)


def priority_flags(session: Session, claim_ids: Iterable[int]) -> None:
    """Claims that just reached level 2: their officers are told at once."""
    for claim_id in sorted(set(claim_ids)):
        claim = session.get(Claim, claim_id)
        if claim is None:
            continue
        for officer in officers_of(session, claim):
            enqueue_for_user(session, officer, "police/priority", {"reference": claim.reference, "claim_id": claim.id})


def match_confirmed(session: Session, actor: User, candidate: MatchCandidate) -> None:
    """A pair was confirmed: the families, the other country's officers, and the witness."""
    claims = _candidate_claims(session, candidate)
    sighting = session.get(Sighting, candidate.right_sighting_id) if candidate.right_sighting_id else None
    for claim in claims:
        if sighting is not None:
            _tell_family(session, claim, "family/sighting_confirmed")
        else:
            other = next((c for c in claims if c.id != claim.id), None)
            _tell_family(session, claim, "family/duplicate_confirmed", country=other.owner_country if other else "")
        if actor.country_code and actor.country_code != claim.owner_country:
            for officer in officers_of(session, claim):
                context = {"reference": claim.reference, "claim_id": claim.id, "country": actor.country_code}
                enqueue_for_user(session, officer, "police/linked", context)
    if sighting is not None:
        witness_acted(session, sighting)


def sighting_addition(session: Session, sighting: Sighting) -> None:
    """A witness added to a sighting through the private link: the desk of its country is told."""
    for officer in coordinators(session, sighting.country):
        enqueue_for_user(
            session, officer, "police/sighting_addition", {"reference": sighting.reference, "sighting_id": sighting.id}
        )


def access_asked(session: Session, request: Any) -> None:
    """An officer of another country asked for a claim's restricted fields, or broke the glass: the
    owner country's coordinators are told (a request waits for them; broken glass is to review)."""
    claim = session.get(Claim, request.claim_id)
    if claim is None:
        return
    template = "police/break_glass" if request.kind == "break_glass" else "police/access_request"
    context = {"reference": claim.reference, "country": request.requester_country}
    for officer in coordinators(session, request.owner_country):
        enqueue_for_user(session, officer, template, context)


def access_decided(session: Session, request: Any) -> None:
    """The requesting officer hears whether their request was granted or refused."""
    claim, officer = session.get(Claim, request.claim_id), session.get(User, request.requester_id)
    if claim is None or officer is None or not officer.active or request.kind != "request":
        return
    granted = request.status == "granted" and request.expires_at is not None and request.decided_at is not None
    days = (request.expires_at - request.decided_at).days if granted else 0
    context = {"reference": claim.reference, "claim_id": claim.id, "granted": granted, "days": days}
    enqueue_for_user(session, officer, "police/access_decided", context)


# --- a witness ----------------------------------------------------------------------------------


def _witness(session: Session, sighting: Sighting) -> tuple[str, str] | None:
    address = mail_address(sighting.reporter_contact)
    if address is None:
        return None
    locale = sighting.witness_locale or country_locale(session, sighting.country)
    return address, locale or "es"


def witness_received(session: Session, sighting: Sighting, witness_key: str | None) -> None:
    """The witness's reference, and their private link to add what they remember."""
    found = _witness(session, sighting)
    if found is not None:
        context = {"reference": sighting.reference, "key": witness_key}
        enqueue(session, to=found[0], template="witness/received", context=context, locale=found[1])


def witness_acted(session: Session, sighting: Sighting) -> None:
    """The police acted on a sighting: the witness is thanked, and told nothing of the case."""
    found = _witness(session, sighting)
    if found is not None:
        enqueue(
            session, to=found[0], template="witness/acted", context={"reference": sighting.reference}, locale=found[1]
        )
