"""Claims and sightings as JSON, cut to what the caller may see (spec/api-core.md).

Field sets are allow-lists: a new column stays out of every answer until it
is added here on purpose. The ``risk`` key is added only when the caller passes
an assessment, which the view does for police with police-level access only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.cases.models import Claim, Note
from portal.cases.rules import Access, Sight, age_range, may_see_photos
from portal.cases.search import Hit
from portal.photos.models import Photo
from portal.review.models import MatchCandidate
from portal.risk import Offer
from portal.sightings.models import Sighting

# Claim fields that are plain columns, in answer order. Each is a key of the access policy's field table
# (portal.access.policy.FIELDS): a caller gets it when its group is readable, and a new column stays
# out of every answer until it is added here and there on purpose.
CLAIM_COLUMNS = (
    "reference",
    "status",
    "given_names",
    "first_surname",
    "sex",
    "event_date",
    "country",
    "place",
    "description",
    "second_surname",
    "aliases",
    "document_id",
    "nationality",
    "height_cm",
    "build",
    "hair",
    "eyes",
    "distinguishing_marks",
    "clothing",
    "circumstances",
    "circumstances_text",
    "reporter_name",
    "reporter_relation",
    "reporter_contact",
    "prior_disappearances",
    "missing_from_state_care",
    "occupation",
    "owner_country",
    "publication",
    "police_case_number",
    "agency",
    "validated_at",
)
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


def note_json(note: Note, sight: Sight) -> dict[str, Any]:
    """One note; who wrote it and the structured details are for the readers of police notes."""
    data: dict[str, Any] = {
        "id": note.id,
        "created_at": iso(note.created_at),
        "kind": note.kind,
        "visibility": note.visibility,
        "text": note.text,
        "status_before": note.status_before,
        "status_after": note.status_after,
    }
    if sight.reads("police_notes"):
        data.update(author_id=note.author_id, details=note.details or {}, flags=list(note.flags or []))
    return data


# Keys that are not columns: the policy field that opens each, and its value.
CLAIM_DERIVED: dict[str, tuple[str, Callable[[Claim], Any]]] = {
    "birth_date": ("birth_date", lambda c: partial_date(c.birth_date, c.birth_date_precision)),
    "guardian_consent": ("guardian_consent", lambda c: c.guardian_consent_at is not None),
    "created_at": ("second_surname", lambda c: iso(c.created_at)),  # when it was filed: beyond the public
    "offer": ("offer", lambda c: offer_json(c.offer)),
    "recruiters": ("recruiters", lambda c: [{"kind": r.kind, "value": r.value} for r in c.recruiters]),
    "version": ("police_case_number", lambda c: c.version),
    "updated_at": ("police_case_number", lambda c: iso(c.updated_at)),
}


def claim_json(
    claim: Claim,
    sight: Sight,
    photos: Sequence[Photo] = (),
    risk: dict[str, Any] | None = None,
    htcds: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A claim cut to the fields ``sight`` reads; a caller who reads nothing is a programming error
    (callers answer 404 first).

    ``risk`` (a stored assessment's result) and ``htcds`` (the case's HTCDS view, portal.risk.htcds)
    are added when the caller reads the trafficking indicators.
    """
    if sight.level == Access.NONE:
        raise ValueError("a claim the caller may not see has no JSON")
    low, high = age_range(claim)
    data: dict[str, Any] = {"id": claim.id}
    for name in CLAIM_COLUMNS:
        if sight.reads(name):
            value = getattr(claim, name)
            data[name] = iso(value) if isinstance(value, date) else _plain(value)
    if sight.reads("age"):
        data.update(age_min=low, age_max=high)
    data["photos"] = [photo_json(p) for p in photos] if may_see_photos(claim, sight) else []
    data.update({key: value(claim) for key, (field, value) in CLAIM_DERIVED.items() if sight.reads(field)})
    if sight.level >= Access.NETWORK:  # the public reads public notes on the claim's page only
        visible = sight.note_visibilities
        data["notes"] = [note_json(n, sight) for n in claim.notes if n.visibility in visible]
    if risk is not None and sight.reads("risk"):
        data["risk"] = dict(risk)
        if htcds is not None and sight.reads("htcds"):
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
