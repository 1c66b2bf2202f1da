"""Who may see and do what with a claim. One place, used by pages, API and CLI alike."""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from typing import Any

from sqlalchemy import and_, or_, true
from sqlalchemy.sql.elements import ColumnElement

from portal.accounts.models import Role
from portal.cases.models import Claim


class Access(IntEnum):
    """How much of a claim a caller sees; NONE answers 404."""

    NONE = 0
    PUBLIC = 1  # published claims: limited fields, public notes
    FAMILY = 2  # the reporter: everything but police notes
    POLICE = 3  # officers: everything, audited


def is_public(claim: Claim) -> bool:
    """A claim the public may see: validated and published."""
    return claim.publication == "published" and claim.status != "draft"


def access(user: Any, claim: Claim) -> Access:
    """The access level of ``user`` (possibly anonymous) to ``claim``."""
    role = getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None
    if role == Role.ADMIN:
        return Access.POLICE
    # Drafts stay with the police of their country until validated; other claims are network-wide.
    police = role in (Role.POLICE, Role.COORDINATOR)
    if police and (claim.owner_country == user.country_code or claim.status != "draft"):
        return Access.POLICE
    if role is not None and claim.reporter_id == user.id:
        return Access.FAMILY  # whoever filed it follows it, even an officer filing abroad
    return Access.PUBLIC if is_public(claim) else Access.NONE


def visible_filter(user: Any) -> ColumnElement[bool]:
    """SQL condition selecting the claims ``user`` may find in a search."""
    public = and_(Claim.publication == "published", Claim.status != "draft")
    role = getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None
    if role == Role.ADMIN:
        return true()
    if role in (Role.POLICE, Role.COORDINATOR):
        return or_(Claim.status != "draft", Claim.owner_country == user.country_code, Claim.reporter_id == user.id)
    if role is not None:
        return or_(public, Claim.reporter_id == user.id)
    return public


def can_manage(user: Any, claim: Claim) -> bool:
    """Officers of the owning country (and admins) validate, publish, change status and edit."""
    role = getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None
    if role == Role.ADMIN:
        return True
    return role in (Role.POLICE, Role.COORDINATOR) and user.country_code == claim.owner_country


def can_edit_person(user: Any, claim: Claim) -> bool:
    """Officers who manage the claim, or the reporting family while it is still a draft."""
    return can_manage(user, claim) or (access(user, claim) == Access.FAMILY and claim.status == "draft")


def note_visibilities_for(level: Access) -> tuple[str, ...]:
    """Which note visibilities a caller with ``level`` reads."""
    return {
        Access.POLICE: ("public", "family", "police"),
        Access.FAMILY: ("public", "family"),
        Access.PUBLIC: ("public",),
    }.get(level, ())


def age_on(birth: date | None, day: date | None) -> int | None:
    """Whole years between ``birth`` and ``day``."""
    if birth is None or day is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_range(claim: Claim) -> tuple[int | None, int | None]:
    """(min, max) age when last seen, from the birth date or the estimate."""
    if claim.birth_date and claim.event_date:
        age = age_on(claim.birth_date, claim.event_date)
        if claim.birth_date_precision == "day":
            return age, age
        # Only the year (or month) is known: the person may be a year younger.
        return (max(0, age - 1) if age is not None else None), age
    return claim.age_min, claim.age_max


def is_minor(claim: Claim) -> bool:
    """True unless the person was surely 18 or older when last seen (unknown counts as minor)."""
    low, _high = age_range(claim)
    return low is None or low < 18


def photo_is_public(claim: Claim) -> bool:
    """The public sees photos of published claims; a minor's only with guardian consent recorded."""
    return is_public(claim) and (not is_minor(claim) or claim.guardian_consent_at is not None)
