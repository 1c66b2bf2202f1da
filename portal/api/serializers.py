"""Claims and sightings as JSON, cut to what the caller may see (spec/api-core.md).

Field sets are allow-lists: a new column stays out of every answer until it
is added here on purpose. The ``risk`` key is added only when the caller passes
an assessment, which the view does for police with police-level access only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.cases.models import Claim, Note
from portal.cases.rules import Access, age_range, note_visibilities_for, photo_is_public
from portal.cases.search import Hit
from portal.photos.models import Photo
from portal.review.models import MatchCandidate
from portal.risk import Offer
from portal.sightings.models import Sighting

# Person and disappearance fields the family filed and may read back. ``age_min``/``age_max``
# are always the age range when last seen (from the birth date when known), for every caller.
FAMILY_FIELDS = (
    "given_names",
    "first_surname",
    "second_surname",
    "aliases",
    "sex",
    "document_id",
    "nationality",
    "height_cm",
    "build",
    "hair",
    "eyes",
    "distinguishing_marks",
    "clothing",
    "description",
    "country",
    "place",
    "circumstances",
    "circumstances_text",
    "reporter_name",
    "reporter_relation",
    "reporter_contact",
)
POLICE_FIELDS = ("publication", "police_case_number", "owner_country", "agency", "version")
SIGHTING_PUBLIC_FIELDS = ("id", "reference", "country", "place", "venue", "companion")
SIGHTING_POLICE_FIELDS = (
    "name_heard",
    "sex",
    "age_min",
    "age_max",
    "height_cm",
    "marks",
    "description",
    "reporter_contact",
    "verified",
    "status",
    "conditions",
    "free_to_leave",
)
# The offer and vulnerability facts: the reporting family (who gave them) and the police, never the public.
FACT_FIELDS = ("prior_disappearances", "missing_from_state_care", "occupation")


def iso(value: date | datetime | None) -> str | None:
    """ISO 8601 text of a date or timestamp, or None."""
    return value.isoformat() if value is not None else None


def partial_date(value: date | None, precision: str) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as much as is known (spec/person-records.md)."""
    if value is None:
        return None
    return {"year": value.strftime("%Y"), "month": value.strftime("%Y-%m")}.get(precision, value.isoformat())


def photos_by_claim(session: Session, claim_ids: Iterable[int]) -> dict[int, list[Photo]]:
    """The photos of each claim in ``claim_ids``, in display order, with one query."""
    ids = list(claim_ids)
    found: dict[int, list[Photo]] = {claim_id: [] for claim_id in ids}
    if ids:
        for photo in session.scalars(select(Photo).where(Photo.claim_id.in_(ids)).order_by(Photo.position, Photo.id)):
            if photo.claim_id is not None:  # in_() already left out sighting photos; this narrows the type
                found[photo.claim_id].append(photo)
    return found


def photo_json(photo: Photo) -> dict[str, Any]:
    """Links to a photo; the photo view checks rights again on every fetch."""
    return {
        "id": photo.id,
        "url": url_for("photos.full", photo_id=photo.id),
        "thumb_url": url_for("photos.thumb", photo_id=photo.id),
        "width": photo.width,
        "height": photo.height,
    }


def note_json(note: Note, level: Access) -> dict[str, Any]:
    """One note; who wrote it and the structured details are for the police."""
    data: dict[str, Any] = {
        "id": note.id,
        "created_at": iso(note.created_at),
        "kind": note.kind,
        "visibility": note.visibility,
        "text": note.text,
        "status_before": note.status_before,
        "status_after": note.status_after,
    }
    if level == Access.POLICE:
        data.update(author_id=note.author_id, details=note.details or {}, flags=list(note.flags or []))
    return data


def claim_json(
    claim: Claim,
    level: Access,
    photos: Sequence[Photo] = (),
    risk: dict[str, Any] | None = None,
    htcds: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A claim as ``level`` may see it; NONE is a programming error (callers answer 404 first).

    ``risk`` (a stored assessment's result) is added for police-level callers only, and ``htcds`` (the case's
    HTCDS view, portal.risk.htcds) only with it.
    """
    if level == Access.NONE:
        raise ValueError("a claim the caller may not see has no JSON")
    low, high = age_range(claim)
    data: dict[str, Any] = {
        "id": claim.id,
        "reference": claim.reference,
        "status": claim.status,
        "given_names": claim.given_names,
        "first_surname": claim.first_surname,
        "sex": claim.sex,
        "age_min": low,
        "age_max": high,
        "event_date": iso(claim.event_date),
        "country": claim.country,
        "place": claim.place,
        "description": claim.description,
        "photos": [photo_json(p) for p in photos] if level > Access.PUBLIC or photo_is_public(claim) else [],
    }
    if level == Access.PUBLIC:
        return data
    data.update({name: _plain(getattr(claim, name)) for name in FAMILY_FIELDS})
    data["birth_date"] = partial_date(claim.birth_date, claim.birth_date_precision)
    data["guardian_consent"] = claim.guardian_consent_at is not None
    data["created_at"] = iso(claim.created_at)
    data.update({name: getattr(claim, name) for name in FACT_FIELDS})
    data["offer"] = offer_json(claim.offer)
    data["recruiters"] = [{"kind": r.kind, "value": r.value} for r in claim.recruiters]
    visibilities = note_visibilities_for(level)
    data["notes"] = [note_json(n, level) for n in claim.notes if n.visibility in visibilities]
    if level == Access.POLICE:
        data.update({name: getattr(claim, name) for name in POLICE_FIELDS})
        data.update(validated_at=iso(claim.validated_at), updated_at=iso(claim.updated_at))
        if risk is not None:
            data["risk"] = dict(risk)
            if htcds is not None:
                data["htcds"] = dict(htcds)
    return data


def offer_json(offer: dict[str, Any] | None) -> dict[str, Any]:
    """Every field of the offer (portal.risk.facts.Offer), the unknown ones empty or null."""
    return {**{name: f.default for name, f in Offer.__dataclass_fields__.items()}, **(offer or {})}


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def sighting_json(sighting: Sighting, *, full: bool, photos: Sequence[Photo] = ()) -> dict[str, Any]:
    """A sighting: public fields only, or everything for the police (``full``)."""
    data: dict[str, Any] = {name: getattr(sighting, name) for name in SIGHTING_PUBLIC_FIELDS}
    data["event_date"] = iso(sighting.event_date)
    if full:
        data.update({name: _plain(getattr(sighting, name)) for name in SIGHTING_POLICE_FIELDS})
        data.update(created_at=iso(sighting.created_at), photos=[photo_json(p) for p in photos])
    return data


def candidate_json(candidate: MatchCandidate, claim_id: int) -> dict[str, Any]:
    """A candidate of claim ``claim_id``: the other record, the score and the engine's reason codes."""
    if candidate.right_type == "sighting":
        record_type, other = "sighting", candidate.right_sighting_id
    else:
        record_type = "claim"
        other = candidate.right_claim_id if candidate.left_claim_id == claim_id else candidate.left_claim_id
    return {"record_type": record_type, "id": other, "score": candidate.score, "reasons": list(candidate.reasons or [])}


def match_json(hit: Hit) -> dict[str, Any]:
    """How a search found a claim: its score (0..1) and, per search word, the name word it met and how
    (exact, phonetic, nickname, typo or missing). Items carry public fields, so a word met outside
    them (a second surname, an alias) is left unnamed."""
    return {
        "score": hit.score,
        "words": [{"word": m.word, "matched": m.matched, "kind": m.kind} for m in hit.public_matches()],
    }
