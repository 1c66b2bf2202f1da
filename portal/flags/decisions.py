"""Who sees trafficking indicators, the officers' decisions and the list of flagged cases.

Police roles (police, coordinators, administrators) with police-level access to
a claim see its indicators; never the public, never the reporting family, never
anonymous callers. Deciding (escalate, dismiss with a reason, refer) is for the
police officers of the claim's owning country and administrators: DESIGN.md §1
gives "act on trafficking flags" to officers; coordinators read them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from portal.accounts.models import POLICE_ROLES, Role, User
from portal.audit.services import record as audit
from portal.cases.models import Claim
from portal.cases.rules import sight
from portal.db import valid_id
from portal.errors import NotFound, ValidationFailed
from portal.fields import free_text
from portal.flags.models import ACTIONS, RiskAssessment, RiskReview
from portal.flags.services import current, reassess
from portal.i18n import lazy_gettext as _l

REASON_LIMIT = 2000


def _role(user: Any) -> str | None:
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


def may_see_flags(user: Any) -> bool:
    """Police roles may open the list of flagged cases; nobody else knows it exists."""
    return _role(user) in POLICE_ROLES


def may_see(user: Any, claim: Claim) -> bool:
    """True when ``user`` may read the indicators of ``claim`` (a police role, and the policy table lets
    them read the trafficking card: the owner and linked countries)."""
    return may_see_flags(user) and sight(user, claim).reads("risk")


def may_decide(user: Any, claim: Claim) -> bool:
    """Officers of the claim's owning country and administrators escalate, dismiss or refer."""
    role = _role(user)
    if not may_see(user, claim):
        return False
    return role == Role.ADMIN or (role == Role.POLICE and user.country_code == claim.owner_country)


def risk_for(session: Session, user: Any, claim: Claim) -> RiskAssessment | None:
    """The latest assessment when ``user`` may see it, else None.

    Not audited apart: only police-level readers get it, and get_claim already records their
    ``claim.view`` (level police) of the same page or API answer.
    """
    return current(session, claim.id) if may_see(user, claim) else None


def history(session: Session, claim_id: int) -> list[RiskReview]:
    """The officers' decisions on a claim's flags, oldest first."""
    return list(
        session.scalars(
            select(RiskReview)
            .options(selectinload(RiskReview.actor))
            .where(RiskReview.claim_id == claim_id)
            .order_by(RiskReview.id)
        )
    )


def levels(session: Session, claim_id: int) -> list[RiskAssessment]:
    """Every stored assessment of a claim, oldest first (one row per change)."""
    return list(
        session.scalars(select(RiskAssessment).where(RiskAssessment.claim_id == claim_id).order_by(RiskAssessment.id))
    )


def decide(session: Session, actor: User, claim_id: int, action: str, reason: str, ip: str = "") -> RiskReview:
    """Store an officer's decision on the latest assessment of a claim, audited; 404 without rights."""
    claim = session.get(Claim, claim_id) if valid_id(claim_id) else None
    if claim is None or not may_decide(actor, claim) or action not in ACTIONS:
        raise NotFound()
    reason = free_text(reason)
    if action == "dismiss" and not reason:
        raise ValidationFailed(
            _l("Say why you dismiss these indicators."),
            fields={"reason": [_l("Say why you dismiss these indicators.")]},
        )
    if len(reason) > REASON_LIMIT:
        raise ValidationFailed(fields={"reason": [_l("Use at most %(n)d characters.", n=REASON_LIMIT)]})
    assessment = current(session, claim.id) or reassess(session, claim, "manual").assessment
    row = RiskReview(claim_id=claim.id, assessment_id=assessment.id, action=action, reason=reason, actor_id=actor.id)
    session.add(row)
    audit(session, actor, f"risk.{action}", "claim", claim.id, ip, assessment=assessment.id, level=assessment.level)
    session.flush()
    return row


def flagged(session: Session, user: Any, *, limit: int = 200) -> list[tuple[RiskAssessment, Claim]]:
    """Claims whose latest assessment is level 1 or 2, of the officer's country (administrators: all);
    level 2 first, then the most recent."""
    if not may_see_flags(user):
        raise NotFound()
    latest = select(func.max(RiskAssessment.id)).group_by(RiskAssessment.claim_id).scalar_subquery()
    query = (
        select(RiskAssessment, Claim)
        .join(Claim, Claim.id == RiskAssessment.claim_id)
        .where(RiskAssessment.id.in_(latest), RiskAssessment.level >= 1)
        .order_by(RiskAssessment.level.desc(), RiskAssessment.created_at.desc(), RiskAssessment.id.desc())
    )
    if _role(user) != Role.ADMIN:
        query = query.where(Claim.owner_country == user.country_code)
    return [(a, c) for a, c in session.execute(query.limit(limit)) if may_see(user, c)]
