"""Sighting services: report (with an optional photo), who reads one, the desk, and what officers
and witnesses do with a sighting afterwards.

**Who reads a sighting.** A sighting carries its witness's contact, and a witness who reports a
trafficker can be put in danger by it. Only police of the sighting's country, and of the
countries whose claims it is linked to (its claim, or a candidate not rejected), read it, its
witness's contact included; administrators read all. Anyone else gets 404, on the pages and the API.

**The witness** is given a reference to quote (``AV-XXXX-XXXX``) and, when the page or the API
shows it to them, a private link to add what they remember later; only its digest is stored.

Each function takes the session first, flushes but never commits, and raises a PortalError. The
casework path (portal/casework.py) calls the ones that change a sighting.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, or_, select, true
from sqlalchemy.orm import Session

from portal.access.policy import SIGHTING_READERS, Relation, role_class
from portal.accounts.models import User
from portal.audit.services import record as audit
from portal.cases.models import Claim
from portal.cases.rules import Access, access
from portal.cases.services import clean_reference
from portal.db import utcnow, valid_id
from portal.errors import Forbidden, NotFound, ValidationFailed
from portal.fields import FieldReader, free_text
from portal.i18n import lazy_gettext as _l
from portal.photos.decoding import PhotoLimits
from portal.photos.models import Photo
from portal.photos.storage import PhotoBudget, PhotoStore, save_photo
from portal.review.decisions import open_counts
from portal.review.models import MatchCandidate
from portal.sightings.inputs import SightingInput
from portal.sightings.models import Sighting, SightingAddition, clean_sighting_reference

TEXT_LIMIT = 2000
DESK_PAGE = 50


def new_witness_key() -> str:
    """The secret of a witness's private link; the caller shows it once, only its digest is kept."""
    return secrets.token_urlsafe(24)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def may_read_sightings(user: Any) -> bool:
    """Police roles may read some sightings (``readable`` says which); nobody else reads any."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_police", False))


def readable(user: Any) -> ColumnElement[bool]:
    """SQL condition: the sightings ``user`` may read, built from the policy table's
    ``SIGHTING_READERS`` (see the module docstring)."""
    if not may_read_sightings(user):
        return Sighting.id.is_(None)
    country = user.country_code
    own_claim = exists().where(Claim.id == Sighting.claim_id, Claim.owner_country == country)
    candidate = (
        exists()
        .where(
            MatchCandidate.right_sighting_id == Sighting.id,
            MatchCandidate.status != "rejected",
            Claim.id == MatchCandidate.left_claim_id,
            Claim.owner_country == country,
        )
        .correlate(Sighting)
    )
    by_relation: dict[Relation, ColumnElement[bool]] = {
        Relation.OWNER_COUNTRY: Sighting.country == country,
        Relation.LINKED_COUNTRY: or_(own_claim, candidate),
        Relation.PUBLIC: true(),
    }
    role = role_class(user.role)
    admitted = [condition for relation, condition in by_relation.items() if SIGHTING_READERS.get((role, relation))]
    return or_(*admitted) if admitted else Sighting.id.is_(None)


def may_read(session: Session, user: Any, sighting: Sighting) -> bool:
    """Whether ``user`` may read ``sighting`` and its witness's contact."""
    return bool(session.scalar(select(Sighting.id).where(Sighting.id == sighting.id, readable(user))))


def claim_for_sighting(session: Session, user: Any, reference: str) -> Claim | None:
    """The claim a witness says they saw, if ``user`` may see it at all; None otherwise.

    A claim the caller may not see answers exactly like one that does not exist.
    """
    cleaned = clean_reference(reference)
    if cleaned is None:
        return None
    claim = session.scalar(select(Claim).where(Claim.reference == cleaned))
    if claim is None or access(user, claim) == Access.NONE:
        return None
    return claim


def report_sighting(
    session: Session,
    actor: Any,
    data: SightingInput,
    *,
    ip: str = "",
    photo: bytes | None = None,
    store: PhotoStore | None = None,
    limits: PhotoLimits | None = None,
    witness_key: str | None = None,
) -> Sighting:
    """Record a sighting from anyone (``actor`` may be anonymous), with its photo as one unit.

    A claim reference that the reporter may not see is refused like an unknown one. ``witness_key``
    (``new_witness_key``) opens the witness's private link; without it there is none.
    """
    claim = claim_for_sighting(session, actor, data.claim_reference) if data.claim_reference else None
    if data.claim_reference and claim is None:
        raise ValidationFailed(fields={"claim_reference": [_l("No published claim has this reference.")]})
    reporter_id = actor.id if getattr(actor, "is_authenticated", False) else None
    sighting = Sighting(
        reporter_id=reporter_id,
        verified=False,
        claim_id=getattr(claim, "id", None),
        witness_key_digest=_digest(witness_key) if witness_key else None,
        **data.sighting_values(),
    )
    session.add(sighting)
    session.flush()
    if photo:
        if store is None:
            raise ValueError("a photo needs a PhotoStore")
        save_photo(
            session, store, photo, sighting_id=sighting.id, uploaded_by_id=reporter_id, budget=PhotoBudget(limits)
        )
    audit(session, actor if reporter_id else None, "sighting.create", "sighting", sighting.id, ip, photo=bool(photo))
    return sighting


def get_sighting(session: Session, user: Any, sighting_id: int, *, ip: str = "") -> Sighting:
    """A sighting for an officer who may read it (audited); 403 for the account that reported it but may
    not read it (it knows the sighting exists: it has the answer to its report); 404 for everyone else."""
    if not valid_id(sighting_id):
        raise NotFound()
    found = None
    if may_read_sightings(user):
        found = session.scalar(select(Sighting).where(Sighting.id == sighting_id, readable(user)))
    if found is None:
        if getattr(user, "is_authenticated", False):
            reported = select(Sighting.id).where(Sighting.id == sighting_id, Sighting.reporter_id == user.id)
            if session.scalar(reported) is not None:
                raise Forbidden(
                    _l(
                        "Only the police of the countries a sighting concerns may read it. "
                        "To add to your report, use the private link you were given."
                    )
                )
        raise NotFound()
    audit(session, user, "sighting.view", "sighting", found.id, ip)
    session.flush()
    return found


def sighting_photos(session: Session, sighting_id: int) -> list[Photo]:
    """The photos of a sighting, in upload order."""
    return list(
        session.scalars(select(Photo).where(Photo.sighting_id == sighting_id).order_by(Photo.position, Photo.id))
    )


# ------------------------------------------------------------------ the desk


@dataclass(frozen=True)
class DeskFilter:
    """Checked filters of the desk."""

    state: str = "open"  # open, unmatched, verified, closed, all
    date_from: date | None = None
    date_to: date | None = None
    country: str = ""
    page: int = 1
    reference: str = ""  # a witness's reference, looked up alone (``by_reference``)


def by_reference(session: Session, user: Any, reference: str) -> Sighting | None:
    """The sighting of a witness's (clean) reference, if ``user`` may read it; one the user may not
    read answers exactly like one that does not exist."""
    return session.scalar(select(Sighting).where(Sighting.reference == reference, readable(user)))


DESK_STATES = ("open", "unmatched", "verified", "closed", "all")


def parse_desk(args: Any) -> DeskFilter:
    """Check the desk's query-string filters; raise ValidationFailed on bad ones."""
    r = FieldReader(args)
    written = r.text("reference", 40)
    reference = clean_sighting_reference(written) if written else ""
    if reference is None:
        r.error("reference", _l("A sighting reference looks like AV-7Z74-9GYZ."))
    found = DeskFilter(
        state=r.code("state", DESK_STATES) or "open",
        date_from=r.day("date_from"),
        date_to=r.day("date_to"),
        country=r.country("country"),
        page=r.integer("page", 1, 10_000) or 1,
        reference=reference or "",
    )
    r.check()
    return found


def _matched() -> ColumnElement[bool]:
    candidate = exists().where(MatchCandidate.right_sighting_id == Sighting.id, MatchCandidate.status != "rejected")
    return or_(Sighting.claim_id.is_not(None), candidate)


@dataclass(frozen=True)
class DeskRow:
    """A sighting on the desk, with its open candidates and the claim it is tied to."""

    sighting: Sighting
    open_candidates: int  # those the reader may review
    other_candidates: int  # claims of other countries, for their police
    claim_reference: str


def desk(session: Session, user: Any, wanted: DeskFilter) -> tuple[list[DeskRow], int]:
    """One page of the sightings ``user`` may read, newest first, and their total."""
    if not may_read_sightings(user):
        raise NotFound()
    stmt: Select[Sighting] = select(Sighting).where(readable(user))
    if wanted.state == "open":
        stmt = stmt.where(Sighting.status == "open")
    elif wanted.state == "unmatched":
        stmt = stmt.where(Sighting.status == "open", ~_matched())
    elif wanted.state == "verified":
        stmt = stmt.where(Sighting.verified.is_(True))
    elif wanted.state == "closed":
        stmt = stmt.where(Sighting.status == "closed")
    if wanted.date_from:
        stmt = stmt.where(Sighting.event_date >= wanted.date_from)
    if wanted.date_to:
        stmt = stmt.where(Sighting.event_date <= wanted.date_to)
    if wanted.country:
        stmt = stmt.where(Sighting.country == wanted.country)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = list(
        session.scalars(
            stmt.order_by(Sighting.created_at.desc(), Sighting.id.desc())
            .limit(DESK_PAGE)
            .offset((wanted.page - 1) * DESK_PAGE)
        )
    )
    counts = open_counts(session, user, [s.id for s in page])
    claims = dict(
        session.execute(
            select(Claim.id, Claim.reference).where(Claim.id.in_([s.claim_id for s in page if s.claim_id]))
        ).all()
    )
    rows = [DeskRow(s, *counts.get(s.id, (0, 0)), claims.get(s.claim_id or 0, "")) for s in page]
    return rows, total


# ------------------------------------------------------------------ what officers and witnesses do


def verify(session: Session, officer: User, sighting: Sighting, *, ip: str = "") -> bool:
    """An officer checked the report itself: its observations now count as verified facts.

    Returns whether anything changed (verifying twice changes nothing).
    """
    if not may_read(session, officer, sighting):
        raise NotFound()
    if sighting.verified:
        return False
    sighting.verified, sighting.verified_by_id, sighting.verified_at = True, officer.id, utcnow()
    audit(session, officer, "sighting.verify", "sighting", sighting.id, ip)
    session.flush()
    return True


def close(session: Session, officer: User, sighting: Sighting, reason: str, *, ip: str = "") -> bool:
    """An officer closes a sighting as not relevant, saying why; returns whether it was open."""
    if not may_read(session, officer, sighting):
        raise NotFound()
    reason = free_text(reason)
    if not reason or len(reason) > TEXT_LIMIT:
        raise ValidationFailed(
            fields={"reason": [_l("Say why this sighting is not relevant (at most %(n)d characters).", n=TEXT_LIMIT)]}
        )
    if sighting.status == "closed":
        return False
    sighting.status, sighting.closed_reason = "closed", reason
    sighting.closed_by_id, sighting.closed_at = officer.id, utcnow()
    audit(session, officer, "sighting.close", "sighting", sighting.id, ip)
    session.flush()
    return True


def for_witness(session: Session, key: str) -> Sighting:
    """The sighting a private link opens; 404 for any other key."""
    if not key or len(key) > 100:
        raise NotFound()
    sighting = session.scalar(select(Sighting).where(Sighting.witness_key_digest == _digest(key)))
    if sighting is None:
        raise NotFound()
    return sighting


def add_from_witness(session: Session, sighting: Sighting, text: str, *, ip: str = "") -> SightingAddition:
    """The witness adds what they remember; kept as written, never shown back to anyone but the police."""
    text = free_text(text)
    if not text or len(text) > TEXT_LIMIT:
        raise ValidationFailed(
            fields={"text": [_l("Write what you want to add (at most %(n)d characters).", n=TEXT_LIMIT)]}
        )
    addition = SightingAddition(sighting_id=sighting.id, text=text)
    session.add(addition)
    audit(session, None, "sighting.addition", "sighting", sighting.id, ip)
    session.flush()
    return addition


def additions(session: Session, sighting: Sighting) -> list[SightingAddition]:
    """What the witness added, oldest first."""
    return list(
        session.scalars(
            select(SightingAddition).where(SightingAddition.sighting_id == sighting.id).order_by(SightingAddition.id)
        )
    )
