"""Who may see and do what with a claim. One place, used by pages, API and CLI alike.

What each caller may read is the access policy table (``portal.access.policy``): ``sight`` finds the
caller's relations to a claim and reads the table; pages and answers keep only the fields whose
group the sight reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import IntEnum
from typing import Any

from sqlalchemy import and_, exists, or_, select, true, union
from sqlalchemy.orm import Session, aliased, object_session
from sqlalchemy.sql.elements import ColumnElement

from portal.access.models import AccessRequest
from portal.access.policy import FIELDS, NOTE_GROUPS, Action, Group, Relation, allowed
from portal.accounts.models import Role
from portal.cases.models import Claim
from portal.db import utcnow
from portal.review.models import MatchCandidate
from portal.sightings.models import Sighting


class Access(IntEnum):
    """How much of a claim a caller sees, summed up from the groups it reads; NONE answers 404."""

    NONE = 0
    PUBLIC = 1  # published claims: limited fields, public notes
    NETWORK = 2  # police of an unlinked member country: identification only
    FAMILY = 3  # the reporter: what they filed and the family notes
    POLICE = 4  # the owner and linked countries: everything, audited


def is_public(claim: Claim) -> bool:
    """A claim the public may see: validated and published."""
    return claim.publication == "published" and claim.status != "draft"


def _role(user: Any) -> str | None:
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


def linked_countries(session: Session, claim: Claim) -> set[str]:
    """The countries tied to ``claim`` by a match candidate that was not rejected (the other claim's
    owner, the sighting's country) or by a sighting confirmed as this person."""
    other = aliased(Claim)
    candidate_claims = (
        select(other.owner_country)
        .join(
            MatchCandidate,
            or_(
                and_(MatchCandidate.left_claim_id == claim.id, MatchCandidate.right_claim_id == other.id),
                and_(MatchCandidate.right_claim_id == claim.id, MatchCandidate.left_claim_id == other.id),
            ),
        )
        .where(MatchCandidate.status != "rejected")
    )
    candidate_sightings = (
        select(Sighting.country)
        .join(MatchCandidate, MatchCandidate.right_sighting_id == Sighting.id)
        .where(MatchCandidate.left_claim_id == claim.id, MatchCandidate.status != "rejected")
    )
    confirmed = select(Sighting.country).where(Sighting.claim_id == claim.id)
    return set(session.scalars(union(candidate_claims, candidate_sightings, confirmed)))


def linked_filter(country: str | None) -> ColumnElement[bool]:
    """SQL condition: claims owned by ``country`` or linked to it (as in ``linked_countries``)."""
    other = aliased(Claim)
    by_claim = exists().where(
        MatchCandidate.status != "rejected",
        or_(
            and_(MatchCandidate.left_claim_id == Claim.id, MatchCandidate.right_claim_id == other.id),
            and_(MatchCandidate.right_claim_id == Claim.id, MatchCandidate.left_claim_id == other.id),
        ),
        other.owner_country == country,
    )
    by_sighting = exists().where(
        MatchCandidate.status != "rejected",
        MatchCandidate.left_claim_id == Claim.id,
        MatchCandidate.right_sighting_id == Sighting.id,
        Sighting.country == country,
    )
    confirmed = exists().where(Sighting.claim_id == Claim.id, Sighting.country == country)
    return or_(Claim.owner_country == country, by_claim, by_sighting, confirmed)


def granted_filter(user: Any, now: datetime | None = None) -> ColumnElement[bool]:
    """SQL condition: claims on which ``user`` holds an unexpired grant (a request granted, or
    broken glass not found unjustified)."""
    return exists().where(
        AccessRequest.claim_id == Claim.id,
        AccessRequest.requester_id == user.id,
        AccessRequest.status.in_(("granted", "justified")),
        AccessRequest.expires_at > (now or utcnow()),
    )


def granted(session: Session, user: Any, claim: Claim, now: datetime | None = None) -> bool:
    """Whether ``user`` holds an unexpired grant on ``claim``."""
    return session.scalar(select(Claim.id).where(Claim.id == claim.id, granted_filter(user, now))) is not None


def relations(user: Any, claim: Claim) -> frozenset[Relation]:
    """How ``user`` (possibly anonymous) is tied to ``claim`` (``portal.access.policy.Relation``)."""
    role = _role(user)
    found: set[Relation] = set()
    if role is not None and claim.reporter_id == user.id:
        found.add(Relation.REPORTING_FAMILY)
    if role in (Role.POLICE, Role.COORDINATOR):
        session = object_session(claim)
        if claim.owner_country == user.country_code:
            found.add(Relation.OWNER_COUNTRY)
        elif claim.status == "draft" or session is None:
            pass  # a draft stays with the police of its own country until validated
        elif user.country_code in linked_countries(session, claim):
            found.add(Relation.LINKED_COUNTRY)
        elif granted(session, user, claim):
            found.add(Relation.GRANTED)
        else:
            found.add(Relation.OTHER_COUNTRY)
    if role == Role.ADMIN or is_public(claim):
        found.add(Relation.PUBLIC)
    return frozenset(found)


@dataclass(frozen=True)
class Sight:
    """What one caller may do with one claim, read from the policy table."""

    role: str | None
    relations: frozenset[Relation]

    def groups(self, action: Action = Action.READ) -> frozenset[Group]:
        """The field groups ``action`` is allowed on."""
        return allowed(self.role, self.relations, action)

    def reads(self, field: str) -> bool:
        """Whether the caller reads ``field`` (a key of ``portal.access.policy.FIELDS``)."""
        return FIELDS[field] in self.groups()

    def may(self, action: Action, group: Group) -> bool:
        """Whether ``action`` is allowed on ``group``."""
        return group in self.groups(action)

    @property
    def level(self) -> Access:
        """The summary of what the caller reads (for choices that are not about one field)."""
        groups = self.groups()
        if Group.TRAFFICKING in groups:
            return Access.POLICE
        if Group.REPORTER in groups:
            return Access.FAMILY
        if Group.IDENTIFICATION in groups:
            return Access.NETWORK
        return Access.PUBLIC if groups else Access.NONE

    @property
    def note_visibilities(self) -> tuple[str, ...]:
        """Which note visibilities the caller reads."""
        groups = self.groups()
        return tuple(visibility for visibility, group in NOTE_GROUPS.items() if group in groups)


# What anyone reads of a published claim (its public page).
PUBLIC_SIGHT = Sight(None, frozenset({Relation.PUBLIC}))


def sight(user: Any, claim: Claim) -> Sight:
    """What ``user`` (possibly anonymous) may do with ``claim``."""
    return Sight(_role(user), relations(user, claim))


def access(user: Any, claim: Claim) -> Access:
    """The access level of ``user`` (possibly anonymous) to ``claim``."""
    return sight(user, claim).level


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
    return sight(user, claim).may(Action.EDIT, Group.CASE)


def can_edit_person(user: Any, claim: Claim) -> bool:
    """Officers who manage the claim, or the reporting family while it is still a draft."""
    seen = sight(user, claim)
    if seen.may(Action.EDIT, Group.CASE):
        return True
    return seen.may(Action.EDIT, Group.IDENTIFICATION) and claim.status == "draft"


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


def may_see_photos(claim: Claim, seen: Sight) -> bool:
    """Published photos for whoever reads the public fields; the others for who reads personal ones."""
    return seen.reads("unpublished_photos") or (seen.reads("published_photos") and photo_is_public(claim))
