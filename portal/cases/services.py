"""Claim services: file, read, validate, publish, consent, notes and edits.

Each takes the session first, flushes but never commits, and raises a
PortalError. Pages, the API and the CLI call these and nothing below them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from portal.accounts.models import Country, Role, User
from portal.audit.services import record as audit
from portal.cases.codes import NOTE_FLAG_LABELS, PUBLICATIONS, STATUS_TRANSITIONS, VISIBILITIES
from portal.cases.inputs import ClaimInput
from portal.cases.models import Claim, Note, RecruiterIdentifier, ReferenceCounter
from portal.cases.rules import Access, Sight, access, age_range, can_edit_person, can_manage, sight
from portal.db import utcnow, valid_id
from portal.errors import Conflict, NotFound, PayloadTooLarge, UnsupportedMedia, ValidationFailed
from portal.fields import free_text
from portal.i18n import lazy_gettext as _l
from portal.photos.decoding import PhotoLimits
from portal.photos.storage import PhotoBudget, PhotoStore, save_photo


@dataclass(frozen=True)
class ClaimEdit:
    """What an edit changed: the person's field names, and the recruiter identifiers added or removed."""

    fields: tuple[str, ...] = ()
    identifiers: frozenset[tuple[str, str]] = frozenset()


FILING_ROLES = (Role.FAMILY, Role.POLICE, Role.COORDINATOR, Role.ADMIN)
REFERENCE = re.compile(r"[A-Z]{2}-\d{4}-\d{6,9}")


def clean_reference(text: str | None) -> str | None:
    """The reference in ``text`` upper-cased, or None when it cannot be one (never reaches SQL)."""
    candidate = (text or "").strip().upper() if isinstance(text, str) else ""
    return candidate if REFERENCE.fullmatch(candidate) else None


def _one_line(text: str, limit: int) -> str:
    """Whitespace collapsed, control characters (NUL breaks PostgreSQL) removed, cut to ``limit``."""
    return " ".join("".join(c for c in (text or "") if c >= " " or c in "\t\n").split())[:limit]


def member_countries(session: Session) -> list[Country]:
    """Active member countries, by name."""
    return list(session.scalars(select(Country).where(Country.active.is_(True)).order_by(Country.name)))


def next_reference(session: Session, country: str, year: int) -> str:
    """Allocate the next public reference ``CC-YYYY-NNNNNN`` of ``country`` for ``year``."""
    counter = session.scalar(
        select(ReferenceCounter)
        .where(ReferenceCounter.country == country, ReferenceCounter.year == year)
        .with_for_update()
    )
    if counter is None:
        counter = ReferenceCounter(country=country, year=year, last=0)
        session.add(counter)
    counter.last += 1
    session.flush()
    return f"{country}-{year}-{counter.last:06d}"


def _note(
    session: Session, claim: Claim, author: User | None, kind: str, visibility: str, text: str = "", **extra: Any
) -> Note:
    note = Note(
        claim=claim,
        author_id=getattr(author, "id", None),
        kind=kind,
        visibility=visibility,
        text=text,
        status_before=extra.pop("status_before", None),
        status_after=extra.pop("status_after", None),
        details=extra,
    )
    session.add(note)
    return note


def file_claim(session: Session, actor: User, data: ClaimInput, *, ip: str = "") -> Claim:
    """File a new claim as a draft owned by the country where the person was last seen."""
    if actor.role not in FILING_ROLES:
        raise NotFound()
    if data.event_date is None:  # parse_claim requires it, but a ClaimInput can be built by hand
        raise ValidationFailed(fields={"event_date": [_l("This field is required.")]})
    claim = Claim(
        reference=next_reference(session, data.country, data.event_date.year),
        status="draft",
        publication="unpublished",
        owner_country=data.country,
        agency=actor.agency if actor.role != Role.FAMILY else "",
        reporter_id=actor.id,
        reporter_name=data.reporter_name,
        reporter_relation=data.reporter_relation,
        reporter_contact=data.reporter_contact,
        **data.person_values(),
    )
    if data.guardian_consent:
        claim.guardian_consent_at, claim.guardian_consent_by_id = utcnow(), actor.id
    claim.age_seen_min, claim.age_seen_max = age_range(claim)  # for the search's age filter
    claim.recruiters = [RecruiterIdentifier(kind=kind, value=value) for kind, value in data.recruiters]
    session.add(claim)
    session.flush()
    _note(session, claim, actor, "status_change", "family", status_after="draft")
    audit(session, actor, "claim.create", "claim", claim.id, ip)
    return claim


def _set_recruiters(claim: Claim, wanted: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Make the claim's identifiers ``wanted``; return the (kind, value) pairs added or removed."""
    before = {(r.kind, r.value) for r in claim.recruiters}
    if before == set(wanted):
        return set()
    keep = [r for r in claim.recruiters if (r.kind, r.value) in set(wanted)]
    claim.recruiters = keep + [
        RecruiterIdentifier(kind=kind, value=value) for kind, value in wanted if (kind, value) not in before
    ]
    return before ^ set(wanted)


def attach_photos(
    session: Session,
    actor: User,
    claim: Claim,
    photos: Sequence[bytes],
    store: PhotoStore,
    *,
    limits: PhotoLimits | None = None,
) -> None:
    """Save a claim's photos with it, as one unit; a refused photo raises ValidationFailed on ``photos``.

    Every photo is checked from its header, alone and with the others, before any is decoded.
    """
    budget = PhotoBudget(limits)
    for position, data in enumerate(photos):
        with _photo_refused(position):
            budget.charge(data)
    for position, data in enumerate(photos):
        with _photo_refused(position):
            save_photo(
                session,
                store,
                data,
                claim_id=claim.id,
                uploaded_by_id=actor.id,
                position=position,
                budget=budget,
                charged=True,
            )


@contextmanager
def _photo_refused(position: int) -> Iterator[None]:
    """A refused photo as the form's error on ``photos``, naming which one."""
    try:
        yield
    except (PayloadTooLarge, UnsupportedMedia) as error:
        raise ValidationFailed(
            fields={"photos": [_l("Photo %(n)d: %(problem)s", n=position + 1, problem=error.message)]}
        ) from None


def get_claim(session: Session, user: Any, claim_id: int, *, ip: str = "") -> tuple[Claim, Sight]:
    """Return a claim and what the caller may do with it; 404 when the caller may not see it.

    Views beyond the public fields (identification, family or police data) are audited, with the
    caller's relations to the claim.
    """
    claim = session.get(Claim, claim_id) if valid_id(claim_id) else None
    seen = sight(user, claim) if claim is not None else None
    if claim is None or seen is None or seen.level == Access.NONE:
        raise NotFound()
    if seen.level >= Access.NETWORK:
        relations = sorted(str(r) for r in seen.relations)
        audit(session, user, "claim.view", "claim", claim.id, ip, level=seen.level.name.lower(), relations=relations)
    return claim, seen


def get_claim_by_reference(session: Session, user: Any, reference: str, *, ip: str = "") -> tuple[Claim, Sight]:
    """Like get_claim, by public reference."""
    cleaned = clean_reference(reference)
    claim_id = session.scalar(select(Claim.id).where(Claim.reference == cleaned)) if cleaned else None
    if claim_id is None:
        raise NotFound()
    return get_claim(session, user, claim_id, ip=ip)


def _require_manager(user: Any, claim: Claim) -> None:
    if access(user, claim) == Access.NONE:
        raise NotFound()
    if not can_manage(user, claim):
        raise NotFound()


def validate_claim(
    session: Session, officer: User, claim: Claim, *, police_case_number: str, publication: str, ip: str = ""
) -> Claim:
    """Turn a draft into an active case with a police case number, and decide publication."""
    _require_manager(officer, claim)
    number = _one_line(police_case_number, 61)
    errors: dict[str, list[Any]] = {}
    if claim.status != "draft":
        errors["status"] = [_l("Only a draft can be validated.")]
    if not number or len(number) > 60:
        errors["police_case_number"] = [_l("Enter the police case number (at most 60 characters).")]
    if publication not in PUBLICATIONS:
        errors["publication"] = [_l("Choose one of the listed options.")]
    if errors:
        raise ValidationFailed(fields=errors)
    claim.status, claim.police_case_number = "active", number
    claim.validated_at, claim.validated_by_id = utcnow(), officer.id
    claim.agency = claim.agency or officer.agency
    _note(session, claim, officer, "validation", "family", status_before="draft", status_after="active")
    audit(session, officer, "claim.validate", "claim", claim.id, ip)
    _set_publication(session, officer, claim, publication, "", ip)
    session.flush()
    return claim


def set_publication(
    session: Session, officer: User, claim: Claim, publication: str, reason: str = "", *, ip: str = ""
) -> Claim:
    """Publish, withhold or unpublish a validated claim."""
    _require_manager(officer, claim)
    if publication not in PUBLICATIONS:
        raise ValidationFailed(fields={"publication": [_l("Choose one of the listed options.")]})
    if claim.status == "draft" and publication == "published":
        raise ValidationFailed(fields={"publication": [_l("Validate the claim before publishing it.")]})
    _set_publication(session, officer, claim, publication, reason, ip)
    session.flush()
    return claim


def _set_publication(session: Session, officer: User, claim: Claim, publication: str, reason: str, ip: str) -> None:
    if publication == claim.publication:
        return
    before, claim.publication = claim.publication, publication
    _note(
        session,
        claim,
        officer,
        "publication",
        "police",
        _one_line(reason, 500),
        publication_before=before,
        publication_after=publication,
    )
    audit(session, officer, "claim.publication", "claim", claim.id, ip, publication=publication)


def record_guardian_consent(session: Session, actor: User, claim: Claim, *, ip: str = "") -> Claim:
    """Record that a parent or legal guardian consents to publishing the minor's photo."""
    if not (can_manage(actor, claim) or access(actor, claim) == Access.FAMILY):
        raise NotFound()
    if claim.guardian_consent_at is None:
        claim.guardian_consent_at, claim.guardian_consent_by_id = utcnow(), actor.id
        _note(session, claim, actor, "consent", "family")
        audit(session, actor, "claim.consent", "claim", claim.id, ip)
        session.flush()
    return claim


def add_note(
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
    """Append a note; officers of the owning country may also change the status with it.

    An adult found who wants no contact: the family sees "found safe", the place stays police-only.
    Only the police may set structured ``flags`` (NOTE_FLAGS, read by the risk engine).
    """
    level = access(actor, claim)
    text = free_text(text)
    errors: dict[str, list[Any]] = {}
    if level < Access.FAMILY:
        raise NotFound()
    allowed = VISIBILITIES if level == Access.POLICE else ("family", "police")
    if visibility not in allowed:
        errors["visibility"] = [_l("Choose one of the listed options.")]
    if len(text) > 4000:
        errors["text"] = [_l("Use at most %(n)d characters.", n=4000)]
    flags = list(dict.fromkeys(flags))
    if flags and level != Access.POLICE:
        errors["flags"] = [_l("Only the police may mark these facts.")]
    elif any(flag not in NOTE_FLAG_LABELS for flag in flags):
        errors["flags"] = [_l("Choose among the listed options.")]
    if new_status and new_status != claim.status:
        if not can_manage(actor, claim):
            raise NotFound()
        if new_status not in STATUS_TRANSITIONS.get(claim.status, ()):
            errors["new_status"] = [_l("This status change is not possible from the current status.")]
    elif not text and not flags:
        errors["text"] = [_l("Write the new information.")]
    if errors:
        raise ValidationFailed(fields=errors)
    if new_status and new_status != claim.status:
        before, claim.status = claim.status, new_status
        if no_contact and new_status == "located_alive":
            visibility = "police"
            _note(
                session,
                claim,
                actor,
                "status_change",
                "family",
                status_before=before,
                status_after=new_status,
                found_safe=True,
            )
        note = _note(
            session,
            claim,
            actor,
            "status_change",
            visibility,
            text,
            status_before=before,
            status_after=new_status,
            no_contact=no_contact,
        )
        note.flags = flags
        audit(session, actor, "claim.status", "claim", claim.id, ip, status=new_status)
    else:
        note = _note(session, claim, actor, "information", visibility, text)
        note.flags = flags
        audit(session, actor, "note.create", "claim", claim.id, ip, visibility=visibility, flags=flags)
    session.flush()
    return note


def update_person(
    session: Session, actor: User, claim: Claim, data: ClaimInput, *, expected_version: int | None, ip: str = ""
) -> ClaimEdit:
    """Edit the person's data under optimistic locking: a stale version raises Conflict."""
    if not can_edit_person(actor, claim):
        raise NotFound()
    if expected_version is None or expected_version != claim.version:
        raise Conflict()
    new_values = data.person_values()
    if claim.status != "draft":
        new_values.pop("country")  # the owning jurisdiction changes by transfer, not by edit
    changed = sorted(k for k, v in new_values.items() if getattr(claim, k) != v)
    touched = _set_recruiters(claim, data.recruiters)
    if touched:
        changed.append("recruiters")
    if not changed:
        return ClaimEdit()
    for name in changed:
        if name != "recruiters":
            setattr(claim, name, new_values[name])
    if "country" in changed:
        claim.owner_country = claim.country
    claim.age_seen_min, claim.age_seen_max = age_range(claim)  # for the search's age filter
    _note(session, claim, actor, "edit", "police", fields=changed)
    audit(session, actor, "claim.edit", "claim", claim.id, ip, fields=changed)
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict() from exc
    return ClaimEdit(tuple(changed), frozenset(touched))
