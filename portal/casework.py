"""The casework path: one function per event in the life of a claim or a sighting.

Pages, the API, the CLI and the demo loader call these, never the feature services
below them, for anything that changes a claim or a sighting. Each function runs
inside the caller's transaction (it flushes, never commits) and, after the feature
service has made and audited the change, always in this order:

1. **match**: store the record's keys, for the search (``cases.search``) and the matching, and
   refresh its match candidates (``review``);
2. **reassess**: run the trafficking indicators on the claims concerned (``flags``);
3. **spread**: reassess the claims whose indicators read this one: its N2/N3
   partners before and after, and the other holders of a recruiter identifier it
   gained or lost (N1);
4. **notify**: write the outbox's messages (``notify.notices``) in the same transaction, so that a
   change that rolls back tells nobody, and officers hear of every candidate the matching created
   and every claim the indicators raised to level 2 in this event, whatever step did it.

A step that cannot change anything for an event is left out, and the docstring says
so: validating a claim changes no field the matching reads, a note changes no other
claim's indicators.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.audit import services as audit
from portal.cases import erasure as claim_erasure
from portal.cases import name_index
from portal.cases import services as cases
from portal.cases.inputs import ClaimInput
from portal.cases.models import Claim, Note
from portal.flags import erasure as evidence
from portal.flags import services as assessments
from portal.flags.facts import sharers
from portal.flags.network import related_references
from portal.notify import erasure as addresses
from portal.notify import notices
from portal.photos import erasure as photos_erasure
from portal.photos.decoding import PhotoLimits
from portal.photos.storage import PhotoStore
from portal.review import candidates, decisions
from portal.review import erasure as matching
from portal.review.models import MatchCandidate
from portal.sightings import erasure as witnesses
from portal.sightings import services as sightings
from portal.sightings.inputs import SightingInput
from portal.sightings.models import Sighting, SightingAddition


def _reassess_and_spread(
    session: Session, claims: Iterable[Claim], cause: str, identifiers: Iterable[tuple[str, str]] = ()
) -> None:
    """Steps 2 and 3 for claims whose own facts changed."""
    for claim in claims:
        result = assessments.reassess(session, claim, cause)
        assessments.spread(session, result.linked, cause)
        assessments.reassess_claims(session, sharers(session, claim, set(identifiers)), "claim")


def _tell_police(session: Session) -> None:
    """Step 4 for the police: the candidates created and the claims raised to level 2 in this event."""
    notices.new_candidates(session, candidates.take_new(session))
    notices.priority_flags(session, assessments.take_raised(session))


def claim_filed(
    session: Session,
    actor: User,
    data: ClaimInput,
    *,
    photos: Sequence[bytes] = (),
    store: PhotoStore | None = None,
    limits: PhotoLimits | None = None,
    ip: str = "",
) -> Claim:
    """A family or an officer files a claim, with its photos as one unit: match, reassess, spread."""
    claim = cases.file_claim(session, actor, data, ip=ip)
    if photos:
        if store is None:
            raise ValueError("photos need a PhotoStore")
        cases.attach_photos(session, actor, claim, photos, store, limits=limits)
    name_index.index_claim(session, claim)
    displaced = candidates.match_claim(session, claim)  # with the photos' perceptual hashes
    # The claims holding its recruiter identifiers gain it as a sharer (N1).
    _reassess_and_spread(session, [claim], "claim", data.recruiters)
    # Claims whose candidate sighting now has ten better candidates no longer count it.
    assessments.reassess_claims(session, displaced, "sighting")
    notices.claim_received(session, claim)
    _tell_police(session)
    return claim


def claim_changed(
    session: Session, actor: User, claim: Claim, data: ClaimInput, *, expected_version: int | None, ip: str = ""
) -> cases.ClaimEdit:
    """Someone corrects the person's data (optimistic locking): match, reassess, spread; nothing when
    nothing changed."""
    edit = cases.update_person(session, actor, claim, data, expected_version=expected_version, ip=ip)
    if edit.fields:
        name_index.index_claim(session, claim)
        displaced = candidates.match_claim(session, claim)
        # Claims that shared an old identifier lose this one, claims sharing a new one gain it (N1).
        _reassess_and_spread(session, [claim], "claim", edit.identifiers)
        assessments.reassess_claims(session, displaced, "sighting")
        _tell_police(session)
    return edit


def claim_validated(
    session: Session, officer: User, claim: Claim, *, police_case_number: str, publication: str, ip: str = ""
) -> Claim:
    """An officer turns a draft into an active case: reassess (the family's facts are now verified by
    the police) and spread. No new match: no field the matching reads changed."""
    cases.validate_claim(session, officer, claim, police_case_number=police_case_number, publication=publication, ip=ip)
    _reassess_and_spread(session, [claim], "claim")
    notices.claim_validated(session, claim)
    _tell_police(session)
    return claim


def claim_published(
    session: Session, officer: User, claim: Claim, publication: str, reason: str = "", *, ip: str = ""
) -> Claim:
    """An officer publishes, withholds or unpublishes a claim. Neither the matching nor the indicators
    read publication, so only the change itself is made, and the family is told."""
    before = claim.publication
    cases.set_publication(session, officer, claim, publication, reason, ip=ip)
    if claim.publication != before:
        notices.publication_changed(session, claim)
    return claim


def consent_recorded(session: Session, actor: User, claim: Claim, *, ip: str = "") -> Claim:
    """A guardian consents to publishing a minor's photo. Neither the matching nor the indicators read
    consent, so only the change itself is made."""
    return cases.record_guardian_consent(session, actor, claim, ip=ip)


def note_added(
    session: Session,
    actor: User,
    claim: Claim,
    *,
    text: str,
    visibility: str,
    new_status: str = "",
    no_contact: bool = False,
    flags: Sequence[str] = (),
    ip: str = "",
) -> Note:
    """A note (perhaps with a status change or police flags) is added: reassess the claim. No match
    (the person did not change) and no spread (no other claim reads a note)."""
    note = cases.add_note(
        session,
        actor,
        claim,
        text=text,
        visibility=visibility,
        new_status=new_status,
        no_contact=no_contact,
        flags=flags,
        ip=ip,
    )
    assessments.reassess(session, claim, "note")
    notices.note_added(session, actor, claim, note)
    _tell_police(session)
    return note


def sighting_reported(
    session: Session,
    actor: object,
    data: SightingInput,
    *,
    photo: bytes | None = None,
    store: PhotoStore | None = None,
    limits: PhotoLimits | None = None,
    witness_key: str | None = None,
    locale: str | None = None,
    ip: str = "",
) -> Sighting:
    """Anyone reports a sighting (``actor`` may be anonymous), with its photo as one unit: match it,
    then reassess the claims that gained, kept or lost it as a candidate. No spread: a candidate
    sighting is not a confirmed tie, so no N2 link changes. ``witness_key`` opens the witness's
    private link (sightings.new_witness_key), and ``locale`` is the language the witness is written to in."""
    sighting = sightings.report_sighting(
        session, actor, data, ip=ip, photo=photo, store=store, limits=limits, witness_key=witness_key
    )
    sighting.witness_locale = locale
    assessments.reassess_claims(session, candidates.match_sighting(session, sighting), "sighting")
    notices.witness_received(session, sighting, witness_key)
    _tell_police(session)
    return sighting


def sighting_verified(session: Session, officer: User, sighting: Sighting, *, ip: str = "") -> Sighting:
    """An officer verified the report itself: reassess the claims it counts for, whose trafficking card
    now reads its observations as verified. No match: nothing the matching reads changed. No spread:
    no link between claims changed."""
    if sightings.verify(session, officer, sighting, ip=ip):
        assessments.reassess_claims(session, candidates.claims_seen_in(session, sighting), "sighting")
        notices.witness_acted(session, sighting)
        _tell_police(session)
    return sighting


def sighting_attached(
    session: Session, officer: User, sighting: Sighting, claim: Claim, reason: str, *, ip: str = ""
) -> MatchCandidate:
    """An officer ties a sighting to a claim by hand, saying why: the pair's candidate (the engine's, or
    a new one it scores) is confirmed, then as ``candidate_confirmed``: reassess and spread."""
    candidate = candidates.candidate_for(session, claim, sighting)
    decided = decisions.attach(session, officer, candidate, reason, ip=ip)
    _reassess_and_spread(session, decisions.claims_of(decided), "match")
    notices.match_confirmed(session, officer, decided)
    _tell_police(session)
    return decided


def sighting_closed(session: Session, officer: User, sighting: Sighting, reason: str, *, ip: str = "") -> Sighting:
    """An officer closes a sighting as not relevant: its open candidates are rejected with the same
    reason, and the claims it counted for are reassessed without it. No match, no spread."""
    counted = candidates.claims_seen_in(session, sighting)
    if sightings.close(session, officer, sighting, reason, ip=ip):
        for candidate in decisions.for_sighting(session, officer, sighting):
            if candidate.status == "open":
                decisions.reject(session, officer, candidate, reason, ip=ip)
        assessments.reassess_claims(session, counted, "sighting")
        notices.witness_acted(session, sighting)
        _tell_police(session)
    return sighting


def sighting_added_to(session: Session, sighting: Sighting, text: str, *, ip: str = "") -> SightingAddition:
    """The witness adds what they remember through the private link. Free text for the officers: no
    field the matching or the indicators read changes, so only the desk is told."""
    addition = sightings.add_from_witness(session, sighting, text, ip=ip)
    notices.sighting_addition(session, sighting)
    return addition


def candidate_confirmed(
    session: Session, actor: User, candidate: MatchCandidate, note: str = "", *, ip: str = ""
) -> MatchCandidate:
    """A reviewer confirms a pair (claim notes, or the sighting tied to its claim): reassess its claims
    and spread. No new match: no record changed what the matching reads."""
    decided = decisions.confirm(session, actor, candidate, note, ip=ip)
    _reassess_and_spread(session, decisions.claims_of(decided), "match")
    notices.match_confirmed(session, actor, decided)
    _tell_police(session)
    return decided


def candidate_rejected(
    session: Session, actor: User, candidate: MatchCandidate, reason: str, *, ip: str = ""
) -> MatchCandidate:
    """A reviewer rejects a pair, saying why: reassess its claims and spread."""
    decided = decisions.reject(session, actor, candidate, reason, ip=ip)
    _reassess_and_spread(session, decisions.claims_of(decided), "match")
    _tell_police(session)
    return decided


def claim_anonymised(
    session: Session, claim: Claim, reason: str, now: datetime, *, ip: str = audit.COMMAND_LINE
) -> set[str]:
    """Retention or an erasure request removes the person's data from a claim (cases.erasure): it leaves
    the search and the matching, its evidence and photos go, and the claims that read its facts (N1
    sharers, N2/N3 partners) are reassessed without them. The claim itself is not reassessed: its
    stored levels are its history. Notes and assessments are rewritten, so the caller holds
    ``audit.rewrite.allow_rewrite`` open. Returns the photos' hashes, whose files go after the commit."""
    latest = assessments.current(session, claim.id)
    partners = related_references(latest.result if latest is not None else None) - {claim.reference}
    erased = claim_erasure.anonymise_claim(session, claim, reason, now)
    hashes = photos_erasure.remove_photos(session, claim_id=claim.id)
    name_index.index_claim(session, claim)  # no names left: no keys, public or not
    keys = matching.forget_claim(session, claim.id)
    rewritten = evidence.strip_evidence(session, claim.id)
    subscribers = addresses.forget_subscribers(session, claim.id)
    assessments.spread(session, partners, "claim")
    assessments.reassess_claims(session, sharers(session, claim, set(erased.recruiters)), "claim")
    audit.record(
        session, None, "claim.anonymise", "claim", claim.id, ip, reason=reason, closed=erased.closed,
        notes=erased.notes, photos=len(hashes), recruiters=len(erased.recruiters), match_keys=keys,
        assessments=rewritten, subscriptions=subscribers,
    )  # fmt: skip
    _tell_police(session)
    return hashes


def witness_forgotten(
    session: Session, sighting: Sighting, reason: str, now: datetime, *, ip: str = audit.COMMAND_LINE
) -> None:
    """Retention or an erasure request forgets a sighting's witness (sightings.erasure): their contact,
    private link and language, the messages written to them and the addresses of their own requests.
    No match, reassess or spread: nothing the matching or the indicators read changed. Audit events
    are rewritten, so the caller holds ``audit.rewrite.allow_rewrite`` open."""
    contact = witnesses.forget_witness(session, sighting, now)
    messages = addresses.forget_address(session, notices.mail_address(contact) or "")
    requests = audit.forget_addresses(session, "sighting", sighting.id)
    audit.record(
        session, None, "sighting.forget_witness", "sighting", sighting.id, ip, reason=reason,
        contact=bool(contact), messages=messages, addresses=requests,
    )  # fmt: skip
