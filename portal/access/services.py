"""Asking the owner country for a claim's restricted fields, and breaking the glass (issue 14).

An officer of a member country that is not linked to a claim reads its identification only
(``portal.access.policy``). For more, they either

- **request access** with a reason: the owner country's coordinators see it on their requests page
  and grant it (for ``GRANT_DAYS``) or refuse it, with a note; or
- **break the glass** in an emergency, with a reason: access is granted at once for
  ``BREAK_GLASS_HOURS``, the owner country's coordinators are told, and they review it afterwards
  (justified or not).

Every step is audited; a grant is for the requesting officer only, never their country.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.access.models import AccessRequest
from portal.access.policy import RESTRICTED, Action
from portal.accounts.models import Role, User
from portal.audit.services import record as audit
from portal.cases.models import Claim
from portal.cases.rules import Sight, sight
from portal.db import utcnow, valid_id
from portal.errors import Conflict, NotFound, ValidationFailed
from portal.fields import free_text
from portal.i18n import lazy_gettext as _l
from portal.notify import notices

GRANT_DAYS = 30
BREAK_GLASS_HOURS = 24
REASON_MIN, REASON_MAX = 20, 1000
KINDS = ("request", "break_glass")


@dataclass(frozen=True)
class RequestState:
    """What the claim page offers an officer about access: nothing, a form, or their pending request."""

    may_request: bool
    pending: AccessRequest | None = None
    grant: AccessRequest | None = None


def request_state(session: Session, user: Any, claim: Claim, seen: Sight) -> RequestState:
    """Whether ``user`` may ask for more of ``claim`` and what they asked already."""
    if not getattr(user, "is_authenticated", False):
        return RequestState(False)
    mine = list(
        session.scalars(
            select(AccessRequest)
            .where(AccessRequest.claim_id == claim.id, AccessRequest.requester_id == user.id)
            .order_by(AccessRequest.id.desc())
        )
    )
    now = utcnow()
    pending = next((r for r in mine if r.status == "pending"), None)
    grant = next((r for r in mine if r.status == "granted" and r.expires_at and r.expires_at > now), None)
    return RequestState(bool(seen.groups(Action.REQUEST) & RESTRICTED) and pending is None, pending, grant)


def _reason(text: str) -> str:
    reason = free_text(text)
    if len(reason) < REASON_MIN or len(reason) > REASON_MAX:
        raise ValidationFailed(
            fields={
                "reason": [
                    _l(
                        "Explain why you need this information, in %(min)d to %(max)d characters.",
                        min=REASON_MIN,
                        max=REASON_MAX,
                    )
                ]
            }
        )
    return reason


def ask(session: Session, officer: User, claim: Claim, kind: str, reason: str, *, ip: str = "") -> AccessRequest:
    """Record a request (or broken glass) by ``officer`` for ``claim``'s restricted fields.

    Only an officer whose table row allows it (another member country) may ask; anyone else gets 404.
    Broken glass is granted at once and the owner country's coordinators are told.
    """
    seen = sight(officer, claim)
    action = Action.BREAK_GLASS if kind == "break_glass" else Action.REQUEST
    if kind not in KINDS or not seen.groups(action) & RESTRICTED:
        raise NotFound()
    text = _reason(reason)
    if request_state(session, officer, claim, seen).pending is not None and kind == "request":
        raise Conflict(_l("You already asked for access to this case; the owner country has not answered yet."))
    now = utcnow()
    found = AccessRequest(
        claim_id=claim.id,
        requester_id=officer.id,
        requester_country=officer.country_code or "",
        owner_country=claim.owner_country,
        kind=kind,
        reason=text,
        created_at=now,
    )
    if kind == "break_glass":
        found.status, found.expires_at = "granted", now + timedelta(hours=BREAK_GLASS_HOURS)
    session.add(found)
    session.flush()
    audit(session, officer, f"access.{kind}", "claim", claim.id, ip, request=found.id)
    notices.access_asked(session, found)
    return found


def may_decide(user: Any, request: AccessRequest) -> bool:
    """The owner country's coordinators (and administrators) decide requests and review broken glass."""
    role = getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None
    return role == Role.ADMIN or (role == Role.COORDINATOR and user.country_code == request.owner_country)


def get_request(session: Session, user: Any, request_id: int) -> AccessRequest:
    """One request for someone who may decide it; 404 for anyone else."""
    found = session.get(AccessRequest, request_id) if valid_id(request_id) else None
    if found is None or not may_decide(user, found):
        raise NotFound()
    return found


DECISIONS = {
    # decision: (kinds it applies to, statuses it applies to, the new status)
    "grant": (("request",), ("pending",), "granted"),
    "refuse": (("request",), ("pending",), "refused"),
    "justified": (("break_glass",), ("granted",), "justified"),
    "unjustified": (("break_glass",), ("granted",), "unjustified"),
}


def decide(
    session: Session, coordinator: User, request: AccessRequest, decision: str, note: str, *, ip: str = ""
) -> AccessRequest:
    """Grant or refuse a request, or review broken glass; an unjustified one ends at once."""
    if not may_decide(coordinator, request):
        raise NotFound()
    kinds, statuses, status = DECISIONS.get(decision, ((), (), ""))
    if request.kind not in kinds:
        raise ValidationFailed(fields={"decision": [_l("Choose one of the listed options.")]})
    if request.status not in statuses:
        raise Conflict(_l("This request was already decided."))
    text = free_text(note)
    if len(text) > REASON_MAX:
        raise ValidationFailed(fields={"note": [_l("Use at most %(n)d characters.", n=REASON_MAX)]})
    now = utcnow()
    request.status, request.decided_by_id, request.decided_at, request.decision_note = status, coordinator.id, now, text
    if decision == "grant":
        request.expires_at = now + timedelta(days=GRANT_DAYS)
    elif decision == "unjustified":
        request.expires_at = min(request.expires_at or now, now)
    audit(session, coordinator, f"access.{decision}", "claim", request.claim_id, ip, request=request.id)
    notices.access_decided(session, request)
    return request


def to_decide(session: Session, user: Any, now: datetime | None = None) -> list[AccessRequest]:
    """Requests waiting for ``user``'s country, and broken glass not yet reviewed, oldest first."""
    role = getattr(user, "role", None)
    query = (
        select(AccessRequest)
        .options(selectinload(AccessRequest.claim), selectinload(AccessRequest.requester))
        .where(AccessRequest.status.in_(("pending", "granted")))
        .order_by(AccessRequest.created_at, AccessRequest.id)
    )
    if role != Role.ADMIN:
        query = query.where(AccessRequest.owner_country == user.country_code)
    waiting = []
    for found in session.scalars(query):
        if found.status == "pending" or found.kind == "break_glass":
            waiting.append(found)
    return waiting


def recent(session: Session, user: Any, limit: int = 50) -> list[AccessRequest]:
    """The latest decided requests of ``user``'s country, newest first (the page's history)."""
    query = (
        select(AccessRequest)
        .options(selectinload(AccessRequest.claim), selectinload(AccessRequest.requester))
        .where(AccessRequest.status.in_(("granted", "refused", "justified", "unjustified")))
        .order_by(AccessRequest.created_at.desc(), AccessRequest.id.desc())
        .limit(limit)
    )
    if getattr(user, "role", None) != Role.ADMIN:
        query = query.where(AccessRequest.owner_country == user.country_code)
    return list(session.scalars(query))
