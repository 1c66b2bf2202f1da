"""Serve photos only to those who may see them; files never sit under static/."""

from __future__ import annotations

from flask import Blueprint, g, send_file
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.orm import Session

from portal.audit.services import record as audit
from portal.cases.models import Claim
from portal.cases.rules import may_see_photos, sight
from portal.db import get_session, valid_id
from portal.errors import NotFound
from portal.photos.location import photo_dir
from portal.photos.models import Photo
from portal.photos.storage import PhotoStore
from portal.sightings.models import Sighting
from portal.sightings.services import may_read

bp = Blueprint("photos", __name__)


def _may_see(photo: Photo, session: Session) -> tuple[bool, bool]:
    """(may see, is a restricted view that must be audited)."""
    if photo.claim_id is not None:
        claim = session.get(Claim, photo.claim_id)
        if claim is None:
            raise NotFound()
        seen = sight(current_user, claim)
        # A view by anyone who reads beyond the public fields is audited.
        return may_see_photos(claim, seen), seen.reads("second_surname")
    # Sighting photos are evidence: the police who may read the sighting.
    sighting = session.get(Sighting, photo.sighting_id) if photo.sighting_id is not None else None
    return sighting is not None and may_read(session, current_user, sighting), True


def _serve(photo_id: int, size: str) -> ResponseReturnValue:
    session = get_session()
    photo = session.get(Photo, photo_id) if valid_id(photo_id) else None
    if photo is None:
        raise NotFound()
    allowed, restricted = _may_see(photo, session)
    if not allowed:
        raise NotFound()
    if restricted and size == "full":
        audit(session, current_user, "photo.view", "photo", photo.id, g.client_ip)
        session.commit()
    path = PhotoStore(photo_dir()).path_for(photo.content_hash, size)
    if not path.exists():
        raise NotFound()
    response = send_file(path, mimetype="image/jpeg", max_age=0, conditional=True)
    # Restricted photos are never stored. Published ones may stay in the browser but are asked for
    # again each time (the ETag makes that a 304): withholding a photo takes effect at once, and no
    # shared cache keeps a minor's face after the police withdrew it.
    response.headers["Cache-Control"] = "private, no-store" if restricted else "private, no-cache"
    return response


@bp.get("/photos/<int:photo_id>/full")
def full(photo_id: int) -> ResponseReturnValue:
    """The photo at display size."""
    return _serve(photo_id, "full")


@bp.get("/photos/<int:photo_id>/thumb")
def thumb(photo_id: int) -> ResponseReturnValue:
    """The thumbnail."""
    return _serve(photo_id, "thumb")
