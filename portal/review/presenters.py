"""Candidates as people read them: the engine's reason codes in the user's language, both sides' facts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from portal.cases import presenters as case_presenters
from portal.cases.codes import SEX_LABELS, STATUS_LABELS
from portal.cases.models import Claim
from portal.cases.rules import Sight
from portal.i18n import format_percent
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.photos.models import Photo
from portal.review.models import MatchCandidate
from portal.sightings.codes import COMPANION_LABELS, CONDITION_LABELS, FREE_TO_LEAVE_LABELS, VENUE_LABELS
from portal.sightings.models import Sighting
from portal.sightings.services import sighting_photos
from portal.template_helpers import country_name, label, nice_date

DECISION_LABELS = {"match": _l("Probable match"), "possible": _l("Possible match")}
CANDIDATE_STATUS_LABELS = {"open": _l("To review"), "confirmed": _l("Confirmed"), "rejected": _l("Rejected")}


def score_text(score: float) -> str:
    """A score as a percentage in the user's language."""
    return format_percent(score, "#,##0%") if score >= 0.01 else format_percent(score, "#,##0.#%")


@dataclass(frozen=True)
class Side:
    """One record of a candidate as the reviewer sees it."""

    kind: str  # "claim" or "sighting"
    title: str
    subtitle: str
    url: str
    facts: list[tuple[str, Any]]
    photos: list[Photo]
    status: str = ""


def _rows(facts: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [(name, value) for name, value in facts if value not in ("", None, [])]


def claim_side(session: Session | None, claim: Claim, url: str, seen: Sight) -> Side:
    """A claim for the comparison page: what the reviewer reads on the claim page."""
    photos = case_presenters.claim_photos(session, claim, seen) if session is not None else []
    return Side(
        "claim",
        claim.reference,
        case_presenters.full_name(claim) if seen.reads("second_surname") else case_presenters.public_name(claim),
        url,
        case_presenters.person_facts(claim, seen),
        photos,
        label(STATUS_LABELS, claim.status),
    )


def sighting_title(sighting: Sighting) -> str:
    """How a sighting is named on pages: it has no public reference."""
    return _("Sighting no. %(id)d", id=sighting.id)


def sighting_side(session: Session | None, sighting: Sighting, url: str) -> Side:
    """What a witness saw, for the comparison page and the sighting's own page (the witness's contact
    stays out of it: the sighting page shows it apart, to those who may read it)."""
    age = ""
    if sighting.age_min is not None or sighting.age_max is not None:
        low, high = sighting.age_min, sighting.age_max
        age = str(low if low is not None else high) if low == high or None in (low, high) else f"{low}–{high}"
    facts = _rows(
        [
            (_("Name heard"), sighting.name_heard),
            (_("Sex"), label(SEX_LABELS, sighting.sex) if sighting.sex else ""),
            (_("Estimated age"), age),
            (_("Height (cm)"), "" if sighting.height_cm is None else str(sighting.height_cm)),
            (_("Scars, tattoos, birthmarks or other marks"), sighting.marks),
            (_("Description"), sighting.description),
            (_("Date seen"), nice_date(sighting.event_date)),
            (_("Place seen"), ", ".join(p for p in (sighting.place, country_name(sighting.country)) if p)),
            (_("Kind of place"), label(VENUE_LABELS, sighting.venue) if sighting.venue else ""),
            (_("With whom"), label(COMPANION_LABELS, sighting.companion) if sighting.companion else ""),
            (_("How the person seemed"), ", ".join(label(CONDITION_LABELS, c) for c in sighting.conditions or ())),
            (
                _("Did they seem free to leave?"),
                label(FREE_TO_LEAVE_LABELS, sighting.free_to_leave) if sighting.free_to_leave else "",
            ),
        ]
    )
    photos = sighting_photos(session, sighting.id) if session is not None else []
    return Side("sighting", sighting_title(sighting), nice_date(sighting.event_date), url, facts, photos)


def right_title(candidate: MatchCandidate) -> str:
    """The reference of the right-hand claim, or the sighting's name."""
    if candidate.right_claim is not None:
        return candidate.right_claim.reference
    if candidate.right_sighting is None:  # the schema's CHECK constraint forbids it
        raise RuntimeError(f"match candidate {candidate.id} has no right-hand record")
    return sighting_title(candidate.right_sighting)
