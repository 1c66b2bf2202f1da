"""A person's request to be forgotten, honoured by an operator: `portal retention erase REFERENCE`.

A claim reference (``BO-2026-000123``) anonymises the claim as retention would, at once; a witness's
reference (``AV-XXXX-XXXX``) forgets the witness. An open case is refused: a request to erase an
active search may come from the very person the missing one is hidden from, so its police decide
first, by locating or closing the case (a note, in their own trail), and the request is then
honoured. What the law keeps stays: the reference, the police case number, the audit trail (which
now says that an erasure happened, why, and what it removed, in counts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import casework
from portal.audit.rewrite import allow_rewrite
from portal.audit.services import COMMAND_LINE, record
from portal.cases.models import Claim
from portal.cases.services import clean_reference
from portal.errors import NotFound, PortalError, ValidationFailed
from portal.i18n import lazy_gettext as _l
from portal.sightings.models import Sighting

REASON_LIMIT = 500


class ErasureRefused(PortalError):
    """The record cannot be erased now; the message says why and what to do first."""

    status = 409
    code = "erasure_refused"


@dataclass(frozen=True)
class Erased:
    """What an erasure did: the kind of record and its id, and the photo hashes whose files go after commit."""

    kind: str
    record_id: int
    photos: frozenset[str]
    already: bool


def _reason(text: str) -> str:
    reason = " ".join((text or "").split())
    if not reason or len(reason) > REASON_LIMIT:
        raise ValidationFailed(
            fields={
                "reason": [_l("Give the request's reason or file number (at most %(n)d characters).", n=REASON_LIMIT)]
            }
        )
    return reason


def erase(session: Session, reference: str, reason: str, now: datetime, *, dry_run: bool = False) -> Erased:
    """Honour an erasure request for the claim or sighting of ``reference``; flushes, never commits.

    ``dry_run`` finds the record and checks that it may be erased, and changes nothing.
    """
    reason = _reason(reason)
    wanted = (reference or "").strip().upper()[:40]
    sighting = session.scalar(select(Sighting).where(Sighting.reference == wanted).with_for_update())
    if sighting is not None:
        already = sighting.contact_purged_at is not None
        if not (dry_run or already):
            with allow_rewrite(session, "erasure.witness"):
                casework.witness_forgotten(session, sighting, "erasure", now)
            # The operator's reason is a request or file number: the command's help asks for no names.
            record(session, None, "erasure.request", "sighting", sighting.id, COMMAND_LINE, reason=reason)
        return Erased("sighting", sighting.id, frozenset(), already)
    claim_reference = clean_reference(wanted)
    claim = None
    if claim_reference:
        claim = session.scalar(select(Claim).where(Claim.reference == claim_reference).with_for_update())
    if claim is None:
        raise NotFound(_l("No claim or sighting has this reference."))
    if claim.status == "active":
        raise ErasureRefused(_l("This case is open: its police must locate or close it before its data can be erased."))
    already = claim.anonymised_at is not None
    if dry_run or already:
        return Erased("claim", claim.id, frozenset(), already)
    with allow_rewrite(session, "erasure.claim"):
        hashes = casework.claim_anonymised(session, claim, "erasure", now)
    record(session, None, "erasure.request", "claim", claim.id, COMMAND_LINE, reason=reason)
    return Erased("claim", claim.id, frozenset(hashes), False)
