"""What is due for retention at a given moment: the periods (config.py) and the records they select.

Every rule is a SQL condition on one moment ``now``, passed in (never read from the clock here), so
a dry run, a real run and the tests agree on the same records. The same conditions are checked
again, row by row under a lock, when the records are changed (jobs.py): a case reopened between
the selection and the change is left alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import aliased

from portal.cases.erasure import FINAL_STATUSES, quiet_since
from portal.cases.models import Claim
from portal.review.models import MatchCandidate
from portal.sightings.models import Sighting


@dataclass(frozen=True)
class Periods:
    """How long each kind of record is kept (config.py's RETENTION_*)."""

    sighting_contact_days: int = 180
    draft_days: int = 365
    closed_case_years: int = 10
    sent_mail_days: int = 30

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Periods:
        """The periods a Flask configuration sets."""
        return cls(
            sighting_contact_days=int(config["RETENTION_SIGHTING_CONTACT_DAYS"]),
            draft_days=int(config["RETENTION_DRAFT_DAYS"]),
            closed_case_years=int(config["RETENTION_CLOSED_CASE_YEARS"]),
            sent_mail_days=int(config["RETENTION_SENT_MAIL_DAYS"]),
        )


def years_before(moment: datetime, years: int) -> datetime:
    """The same day and time ``years`` earlier (29 February becomes the 28th)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


@dataclass(frozen=True)
class Cutoffs:
    """The latest last-activity time that each rule treats as expired at a given moment."""

    sighting_contact: datetime
    draft: datetime
    closed_case: datetime
    sent_mail: datetime

    @classmethod
    def at(cls, periods: Periods, now: datetime) -> Cutoffs:
        """The cutoffs of ``periods`` at ``now`` (an aware datetime)."""
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        return cls(
            sighting_contact=now - timedelta(days=periods.sighting_contact_days),
            draft=now - timedelta(days=periods.draft_days),
            closed_case=years_before(now, periods.closed_case_years),
            sent_mail=now - timedelta(days=periods.sent_mail_days),
        )


def expired_draft(cutoffs: Cutoffs) -> ColumnElement[bool]:
    """A draft never validated, with no change nor note since the cutoff."""
    return and_(
        Claim.status == "draft",
        Claim.validated_at.is_(None),
        Claim.anonymised_at.is_(None),
        quiet_since(cutoffs.draft),
    )


def aged_closed_case(cutoffs: Cutoffs) -> ColumnElement[bool]:
    """A case located or closed, with no change nor note since the cutoff."""
    return and_(
        Claim.status.in_(FINAL_STATUSES),
        Claim.anonymised_at.is_(None),
        quiet_since(cutoffs.closed_case),
    )


def settled_sighting(cutoffs: Cutoffs) -> ColumnElement[bool]:
    """A sighting still holding its witness's contact, link or language, whose police work is over:

    closed as not relevant before the cutoff; or confirmed for claims that are all located or
    closed and quiet since the cutoff, with no candidate still open.
    """
    cutoff = cutoffs.sighting_contact
    mine = MatchCandidate.right_sighting_id == Sighting.id
    settled_claim = aliased(Claim)
    settled = select(settled_claim.id).where(
        settled_claim.id == MatchCandidate.left_claim_id,
        settled_claim.status.in_(FINAL_STATUSES),
        quiet_since(cutoff, settled_claim),
    )
    confirmed = select(MatchCandidate.id).where(mine, MatchCandidate.status == "confirmed").exists()
    still_open = select(MatchCandidate.id).where(mine, MatchCandidate.status == "open").exists()
    confirmed_unsettled = (
        select(MatchCandidate.id).where(mine, MatchCandidate.status == "confirmed", ~settled.exists()).exists()
    )
    return and_(
        Sighting.contact_purged_at.is_(None),
        or_(
            Sighting.reporter_contact != "",
            Sighting.witness_key_digest.is_not(None),
            Sighting.witness_locale.is_not(None),
        ),
        or_(
            and_(Sighting.status == "closed", Sighting.closed_at <= cutoff),
            and_(confirmed, ~still_open, ~confirmed_unsettled),
        ),
    )
