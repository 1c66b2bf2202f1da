"""Removing the person's data from a claim, for retention (closed cases, expired drafts) and erasure.

What a claim keeps is a list, not an afterthought: every column is either KEPT (and why) or
BLANKED (to what), and a test fails when a new column is in neither. What is kept is what the
police must keep (the reference and the police case number, which the law ties to the file),
what says who did what (officers' ids and times), and the coded facts the network's statistics
count (sex, age range, nationality, date and country, circumstance codes); no name, contact,
document, description, place, photo or free text.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.orm import Session

from portal.cases.models import Claim, Note
from portal.db import rowcount

FINAL_STATUSES = ("located_alive", "located_deceased", "closed")

# Columns kept, and why.
KEPT = {
    "id": "the row others refer to",
    "reference": "the public reference families and police quote; the audit trail names it",
    "status": "how the case ended, for statistics",
    "owner_country": "which police held the case",
    "agency": "which police unit held the case",
    "police_case_number": "the police must be able to tie their file to the portal's record",
    "sex": "statistics (coded)",
    "age_seen_min": "statistics: age band when last seen",
    "age_seen_max": "statistics: age band when last seen",
    "nationality": "statistics of cross-border cases (coded)",
    "event_date": "statistics: when",
    "country": "statistics: where (the country only)",
    "circumstances": "statistics: circumstance codes, no free text",
    "missing_from_state_care": "statistics: a vulnerability code",
    "guardian_consent_at": "who decided publication, when",
    "guardian_consent_by_id": "who decided publication, when",
    "validated_at": "who validated the case, when",
    "validated_by_id": "who validated the case, when",
    "created_at": "when it was filed",
    "updated_at": "bookkeeping",
    "version": "optimistic locking",
    "anonymised_at": "when this was done",
    "name_keys": "emptied by the search index from the blanked names",
    "public_name_keys": "emptied by the search index from the blanked names",
}

# Columns blanked, and their value afterwards.
BLANKED: dict[str, Any] = {
    "publication": "unpublished",
    "given_names": "",
    "first_surname": "",
    "second_surname": "",
    "aliases": [],
    "birth_date": None,
    "birth_date_precision": "day",
    "age_min": None,
    "age_max": None,
    "document_id": "",
    "height_cm": None,
    "build": "",
    "hair": "",
    "eyes": "",
    "distinguishing_marks": "",
    "clothing": "",
    "description": "",
    "place": "",
    "circumstances_text": "",
    "offer": {},
    "prior_disappearances": None,
    "occupation": "",
    "reporter_id": None,
    "reporter_name": "",
    "reporter_relation": "",
    "reporter_contact": "",
}


@dataclass(frozen=True)
class ClaimErased:
    """What anonymise_claim removed: counts, and the recruiter identifiers (to reassess their sharers)."""

    notes: int
    recruiters: frozenset[tuple[str, str]]
    closed: bool


def quiet_since(cutoff: datetime, claim: Any = Claim) -> ColumnElement[bool]:
    """A SQL condition: the claim (``Claim``, or an alias of it) has not changed, nor had a note, after ``cutoff``."""
    later_note = select(Note.id).where(Note.claim_id == claim.id, Note.created_at > cutoff).exists()
    return and_(claim.updated_at <= cutoff, ~later_note)


def anonymise_claim(session: Session, claim: Claim, reason: str, now: datetime) -> ClaimErased:
    """Blank the person's data of ``claim`` and its notes' text, and drop its recruiter identifiers.

    A draft is closed first (with a note), so that nothing waits on it. The notes are append-only:
    the caller holds ``portal.audit.rewrite.allow_rewrite`` open. Flushes, never commits.
    """
    closed = claim.status == "draft"
    if closed:
        session.add(
            Note(
                claim=claim,
                kind="status_change",
                visibility="police",
                status_before="draft",
                status_after="closed",
                details={"reason": reason},
            )
        )
        claim.status = "closed"
    recruiters = frozenset((r.kind, r.value) for r in claim.recruiters)
    for column, value in BLANKED.items():
        setattr(claim, column, copy.copy(value))
    claim.anonymised_at = now
    claim.recruiters.clear()  # delete-orphan: their rows go with the flush
    session.flush()
    rewritten = session.execute(
        update(Note)
        .where(Note.claim_id == claim.id, Note.text != "")
        .values(text="")
        .execution_options(synchronize_session=False)
    )
    return ClaimErased(notes=rowcount(rewritten), recruiters=recruiters, closed=closed)
