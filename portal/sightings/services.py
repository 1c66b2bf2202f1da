"""Sighting services: report (with an optional photo) and read.

Each takes the session first, flushes but never commits, and raises a
PortalError. The public page and the API call these.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.audit.services import record as audit
from portal.cases.models import Claim
from portal.cases.rules import Access, access
from portal.cases.services import clean_reference
from portal.db import valid_id
from portal.errors import NotFound, ValidationFailed
from portal.i18n import lazy_gettext as _l
from portal.photos.models import Photo
from portal.photos.storage import PhotoStore, save_photo
from portal.sightings.inputs import SightingInput
from portal.sightings.models import Sighting


def may_read_sightings(user: Any) -> bool:
    """Sightings carry witnesses' contacts and evidence: police roles of any member country only."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_police", False))


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
    max_pixels: int = 40_000_000,
) -> Sighting:
    """Record a sighting from anyone (``actor`` may be anonymous), with its photo as one unit.

    A claim reference that the reporter may not see is refused like an unknown one.
    """
    claim = claim_for_sighting(session, actor, data.claim_reference) if data.claim_reference else None
    if data.claim_reference and claim is None:
        raise ValidationFailed(fields={"claim_reference": [_l("No published claim has this reference.")]})
    reporter_id = actor.id if getattr(actor, "is_authenticated", False) else None
    sighting = Sighting(
        reporter_id=reporter_id, verified=False, claim_id=getattr(claim, "id", None), **data.sighting_values()
    )
    session.add(sighting)
    session.flush()
    if photo:
        if store is None:
            raise ValueError("a photo needs a PhotoStore")
        save_photo(session, store, photo, sighting_id=sighting.id, uploaded_by_id=reporter_id, max_pixels=max_pixels)
    audit(session, actor if reporter_id else None, "sighting.create", "sighting", sighting.id, ip, photo=bool(photo))
    return sighting


def get_sighting(session: Session, user: Any, sighting_id: int, *, ip: str = "") -> Sighting:
    """Return a sighting for the police (audited); everyone else gets NotFound."""
    if not may_read_sightings(user) or not valid_id(sighting_id):
        raise NotFound()
    sighting = session.get(Sighting, sighting_id)
    if sighting is None:
        raise NotFound()
    audit(session, user, "sighting.view", "sighting", sighting.id, ip)
    session.flush()
    return sighting


def sighting_photos(session: Session, sighting_id: int) -> list[Photo]:
    """The photos of a sighting, in upload order."""
    return list(
        session.scalars(select(Photo).where(Photo.sighting_id == sighting_id).order_by(Photo.position, Photo.id))
    )
