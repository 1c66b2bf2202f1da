"""What each access level reads of a claim, as labelled rows for the pages.

Field sets are allow-lists, like the API's serializers: a new column stays
off every page until it is added here on purpose. The public sees only the
photo (when rules allow), given names, first surname, age, sex, date and
place last seen and the public description.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import Role
from portal.cases.codes import (
    CIRCUMSTANCE_LABELS,
    CONTACT_METHOD_LABELS,
    IDENTIFIER_KIND_LABELS,
    NOTE_FLAG_LABELS,
    OCCUPATION_LABELS,
    OFFER_SECTOR_LABELS,
    OFFER_TYPE_LABELS,
    PUBLICATION_LABELS,
    SEARCH_MATCH_LABELS,
    SEX_LABELS,
    STATUS_LABELS,
    TRAVEL_PAYER_LABELS,
)
from portal.cases.models import Claim, Note
from portal.cases.rules import Sight, may_see_photos, photo_is_public
from portal.db import get_session
from portal.i18n import format_date
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.matching.lookup import WordMatch
from portal.photos.models import Photo
from portal.template_helpers import age_text, country_name, label, nice_date, role_label

# A fact is (label, value); a value is text or a list of texts. Empty values are left out.
Fact = tuple[str, Any]

FIELD_LABELS = {
    "given_names": _l("Given names"),
    "first_surname": _l("First surname"),
    "second_surname": _l("Second surname"),
    "aliases": _l("Other names or nicknames"),
    "sex": _l("Sex"),
    "birth_date": _l("Birth date"),
    "birth_date_precision": _l("Birth date"),
    "age_min": _l("Estimated age, at least"),
    "age_max": _l("Estimated age, at most"),
    "document_id": _l("Identity document number"),
    "nationality": _l("Nationality"),
    "height_cm": _l("Height (cm)"),
    "build": _l("Build"),
    "hair": _l("Hair"),
    "eyes": _l("Eyes"),
    "distinguishing_marks": _l("Scars, tattoos, birthmarks or other marks"),
    "clothing": _l("Clothing"),
    "description": _l("Public description"),
    "event_date": _l("Date last seen"),
    "country": _l("Country where last seen"),
    "place": _l("Place last seen"),
    "circumstances": _l("Circumstances"),
    "circumstances_text": _l("What happened"),
    "reporter_name": _l("Your name"),
    "reporter_relation": _l("Relation to the person"),
    "reporter_contact": _l("Your phone or email"),
    "offer": _l("The offer"),
    "recruiters": _l("Who made the offer or took the person"),
    "prior_disappearances": _l("Times the person disappeared before"),
    "missing_from_state_care": _l("Missing from a children's home or state care"),
    "occupation": _l("Occupation"),
}

NOTE_KIND_LABELS = {
    "information": _l("New information"),
    "status_change": _l("Status change"),
    "validation": _l("Validated by the police"),
    "publication": _l("Publication decision"),
    "consent": _l("Guardian consent recorded"),
    "edit": _l("Details corrected"),
    "duplicate": _l("Same person as another claim"),
    "sighting": _l("Sighting linked"),
}


def search_reason(matches: Iterable[WordMatch]) -> str:
    """Why a search found a claim, word by word: "Kispe → Quispe (sounds alike) · Rosa (same name)"."""
    parts = []
    for match in matches:
        word = match.word.title()
        if match.kind == "missing":
            parts.append(_("%(word)s: not in the name", word=word))
        elif not match.matched:
            parts.append(_("%(word)s: in a name not shown", word=word))
        elif match.matched == match.word:
            parts.append(f"{word} ({SEARCH_MATCH_LABELS[match.kind]})")
        else:
            parts.append(f"{word} → {match.matched.title()} ({SEARCH_MATCH_LABELS[match.kind]})")
    return " · ".join(parts)


def public_name(claim: Claim) -> str:
    """The name the public reads: given names and first surname only."""
    return " ".join(p for p in (claim.given_names, claim.first_surname) if p)


def full_name(claim: Claim) -> str:
    """Every name part, for the family and the police."""
    return " ".join(p for p in (claim.given_names, claim.first_surname, claim.second_surname) if p)


def place_text(claim: Claim) -> str:
    """Place and country last seen."""
    return ", ".join(p for p in (claim.place, country_name(claim.country)) if p)


def birth_date_text(claim: Claim) -> str:
    """The birth date with only as much as is known (a year, a month or a day)."""
    if claim.birth_date is None:
        return ""
    if claim.birth_date_precision == "year":
        return str(claim.birth_date.year)
    if claim.birth_date_precision == "month":
        return format_date(claim.birth_date, "LLLL y")
    return nice_date(claim.birth_date)


def _rows(facts: Iterable[Fact]) -> list[Fact]:
    return [(name, value) for name, value in facts if value not in ("", None, [])]


def public_facts(claim: Claim) -> list[Fact]:
    """The facts anyone may read of a published claim."""
    return _rows(
        [
            (_("Name"), public_name(claim)),
            (_("Age when last seen"), age_text(claim)),
            (_("Sex"), label(SEX_LABELS, claim.sex) if claim.sex else ""),
            (_("Date last seen"), nice_date(claim.event_date)),
            (_("Place last seen"), place_text(claim)),
            (_("Description"), claim.description),
        ]
    )


def person_facts(claim: Claim, sight: Sight) -> list[Fact]:
    """The person and disappearance as filed, cut to the fields ``sight`` reads."""
    estimate = ""
    if claim.birth_date is None and (claim.age_min is not None or claim.age_max is not None):
        estimate = age_text(claim)
    return _allowed(
        sight,
        [
            ("given_names", _("Full name"), full_name(claim) if sight.reads("second_surname") else public_name(claim)),
            ("aliases", FIELD_LABELS["aliases"], "; ".join(claim.aliases or [])),
            ("sex", FIELD_LABELS["sex"], label(SEX_LABELS, claim.sex) if claim.sex else ""),
            ("birth_date", FIELD_LABELS["birth_date"], birth_date_text(claim)),
            ("age", _("Estimated age"), estimate),
            ("age", _("Age when last seen"), age_text(claim)),
            ("nationality", FIELD_LABELS["nationality"], country_name(claim.nationality)),
            ("height_cm", FIELD_LABELS["height_cm"], "" if claim.height_cm is None else str(claim.height_cm)),
            ("build", FIELD_LABELS["build"], claim.build),
            ("hair", FIELD_LABELS["hair"], claim.hair),
            ("eyes", FIELD_LABELS["eyes"], claim.eyes),
            ("distinguishing_marks", FIELD_LABELS["distinguishing_marks"], claim.distinguishing_marks),
            ("clothing", FIELD_LABELS["clothing"], claim.clothing),
            ("description", FIELD_LABELS["description"], claim.description),
            ("event_date", FIELD_LABELS["event_date"], nice_date(claim.event_date)),
            ("place", FIELD_LABELS["place"], place_text(claim)),
            (
                "circumstances",
                FIELD_LABELS["circumstances"],
                [label(CIRCUMSTANCE_LABELS, c) for c in claim.circumstances or []],
            ),
            ("circumstances_text", FIELD_LABELS["circumstances_text"], claim.circumstances_text),
        ],
    )


def _allowed(sight: Sight, rows: Iterable[tuple[str, str, Any]]) -> list[Fact]:
    """The rows (policy field, label, value) whose field ``sight`` reads, empty values left out."""
    return _rows((name, value) for field, name, value in rows if sight.reads(field))


def _yes_no(value: bool | None) -> str:
    return "" if value is None else _("Yes") if value else _("No")


def offer_facts(claim: Claim, sight: Sight) -> list[Fact]:
    """The offer, the recruiters' identifiers and the vulnerability facts: the filing family and the police."""
    offer = claim.offer or {}
    destination = ", ".join(
        p for p in (offer.get("destination_place", ""), country_name(offer.get("destination_country", ""))) if p
    )

    def coded(labels: Any, key: str) -> str:
        return label(labels, offer.get(key)) if offer.get(key) else ""

    return _allowed(
        sight,
        [
            ("offer", _("What was offered"), coded(OFFER_TYPE_LABELS, "type")),
            ("offer", _("Kind of work offered"), coded(OFFER_SECTOR_LABELS, "sector")),
            ("offer", _("Where to"), destination),
            ("offer", _("How the offer was made"), coded(CONTACT_METHOD_LABELS, "contact_method")),
            ("offer", _("Who paid the journey"), coded(TRAVEL_PAYER_LABELS, "travel_paid_by")),
            ("offer", _("Documents handed over before leaving"), _yes_no(offer.get("documents_handed_over"))),
            ("offer", _("A debt was mentioned"), _yes_no(offer.get("debt_mentioned"))),
            ("offer", _("Employer verified"), _yes_no(offer.get("employer_verified"))),
            (
                "recruiters",
                FIELD_LABELS["recruiters"],
                [f"{label(IDENTIFIER_KIND_LABELS, r.kind)}: {r.value}" for r in claim.recruiters],
            ),
            (
                "prior_disappearances",
                FIELD_LABELS["prior_disappearances"],
                "" if claim.prior_disappearances is None else str(claim.prior_disappearances),
            ),
            (
                "missing_from_state_care",
                FIELD_LABELS["missing_from_state_care"],
                _yes_no(claim.missing_from_state_care),
            ),
            (
                "occupation",
                FIELD_LABELS["occupation"],
                label(OCCUPATION_LABELS, claim.occupation) if claim.occupation else "",
            ),
        ],
    )


def restricted_facts(claim: Claim, sight: Sight) -> list[Fact]:
    """Contact, document and police data, as far as ``sight`` reads them."""
    consent = nice_date(claim.guardian_consent_at) if claim.guardian_consent_at else _("not recorded")
    return _allowed(
        sight,
        [
            ("reporter_name", _("Reported by"), claim.reporter_name),
            ("reporter_relation", FIELD_LABELS["reporter_relation"], claim.reporter_relation),
            ("reporter_contact", _("Contact"), claim.reporter_contact),
            ("document_id", FIELD_LABELS["document_id"], claim.document_id),
            ("police_case_number", _("Police case number"), claim.police_case_number),
            ("owner_country", _("Owning country"), country_name(claim.owner_country)),
            ("agency", _("Agency or district"), claim.agency),
            ("publication", _("Publication"), label(PUBLICATION_LABELS, claim.publication)),
            ("validated_at", _("Validated on"), nice_date(claim.validated_at)),
            ("guardian_consent", _("Guardian consent to publish the photo"), consent),
        ],
    )


@dataclass(frozen=True)
class NoteView:
    """One timeline entry as the reader may see it."""

    created_at: datetime
    title: str
    text: str
    author: str
    visibility: str
    status_after: str | None
    found_safe: bool
    link: str = ""  # the linked record of a confirmed match (police notes only)
    flags: tuple[str, ...] = ()  # labels of an officer's structured flags (police readers only)


def _note_title(note: Note) -> str:
    details = note.details or {}
    if details.get("found_safe"):
        return _("Found safe")
    if note.kind in ("status_change", "validation") and note.status_after:
        return _("Status: %(status)s", status=label(STATUS_LABELS, note.status_after))
    if note.kind == "publication" and details.get("publication_after"):
        return _("Publication: %(publication)s", publication=label(PUBLICATION_LABELS, details["publication_after"]))
    if note.kind == "duplicate" and details.get("other_reference"):
        return _("Same person as %(reference)s (confirmed by the police)", reference=details["other_reference"])
    if note.kind == "sighting" and details.get("sighting"):
        return _("Sighting no. %(id)d linked (confirmed by the police)", id=int(details["sighting"]))
    if note.kind == "edit" and details.get("fields"):
        names = ", ".join(str(FIELD_LABELS.get(name, name)) for name in details["fields"])
        return _("Details corrected: %(fields)s", fields=names)
    return label(NOTE_KIND_LABELS, note.kind)


def _note_link(note: Note, sight: Sight) -> str:
    details = note.details or {}
    if not sight.reads("candidates"):
        return ""
    if note.kind == "duplicate" and details.get("other_claim"):
        return url_for("cases.detail", claim_id=int(details["other_claim"]))
    if note.kind == "sighting" and details.get("candidate"):
        return url_for("review.compare", candidate_id=int(details["candidate"]))
    return ""


def timeline(claim: Claim, sight: Sight) -> list[NoteView]:
    """The notes ``sight`` reads, newest first; the public does not learn who wrote them."""
    visible = sight.note_visibilities
    police = sight.reads("police_notes")
    entries = []
    for note in claim.notes:
        if note.visibility not in visible:
            continue
        author = role_label(note.author.role) if sight.reads("family_notes") and note.author is not None else ""
        entries.append(
            NoteView(
                created_at=note.created_at,
                title=_note_title(note),
                text=note.text,
                author=author,
                visibility=note.visibility,
                status_after=note.status_after,
                found_safe=bool((note.details or {}).get("found_safe")),
                link=_note_link(note, sight),
                flags=tuple(label(NOTE_FLAG_LABELS, f) for f in note.flags or ()) if police else (),
            )
        )
    return entries[::-1]


def claim_photos(session: Session, claim: Claim, sight: Sight) -> list[Photo]:
    """The photos ``sight`` may see, in display order (the photo view checks again on every fetch)."""
    if not may_see_photos(claim, sight):
        return []
    return list(session.scalars(select(Photo).where(Photo.claim_id == claim.id).order_by(Photo.position, Photo.id)))


def card_thumbs(claims: Iterable[Claim]) -> dict[int, int]:
    """The first photo id of each claim whose photo the public may see, with one query."""
    ids = [claim.id for claim in claims if photo_is_public(claim)]
    thumbs: dict[int, int] = {}
    if ids:
        rows = get_session().execute(
            select(Photo.claim_id, Photo.id).where(Photo.claim_id.in_(ids)).order_by(Photo.position, Photo.id)
        )
        for claim_id, photo_id in rows:
            if claim_id is not None:  # in_() already left out sighting photos; this narrows the type
                thumbs.setdefault(claim_id, photo_id)
    return thumbs


@dataclass(frozen=True)
class CaseList:
    """One section of the "My cases" page."""

    title: str
    claims: list[Claim]
    empty: str


def case_lists(session: Session, user: Any, limit: int = 100) -> list[CaseList]:
    """Family: the claims they filed. Officers: their country's drafts to validate, then active cases."""
    if user.role in (Role.POLICE, Role.COORDINATOR, Role.ADMIN):
        drafts = select(Claim).where(Claim.status == "draft").order_by(Claim.created_at, Claim.id)
        active = select(Claim).where(Claim.status == "active").order_by(Claim.updated_at.desc(), Claim.id.desc())
        if user.role != Role.ADMIN:
            drafts = drafts.where(Claim.owner_country == user.country_code)
            active = active.where(Claim.owner_country == user.country_code)
        return [
            CaseList(
                _("Drafts awaiting validation"),
                list(session.scalars(drafts.limit(limit))),
                _("No draft is waiting for validation."),
            ),
            CaseList(
                _("Recently updated active cases"), list(session.scalars(active.limit(limit))), _("No active case.")
            ),
        ]
    own = select(Claim).where(Claim.reporter_id == user.id).order_by(Claim.created_at.desc(), Claim.id.desc())
    return [
        CaseList(_("Claims you filed"), list(session.scalars(own.limit(limit))), _("You have not filed any claim."))
    ]
