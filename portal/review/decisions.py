"""Reviewing match candidates: who may see them, the queue, confirm and reject.

An officer reviews a candidate when their country is the country of one of its
records (the owning country of a claim, the country of a sighting), and only
when they may read every claim in it (a draft stays with its own country's police).
Administrators review everything. Anyone else gets 404.
Confirming never merges: two claims get a pair of police notes naming each
other; a sighting is tied to its claim and noted on the claim's timeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from portal.accounts.models import POLICE_ROLES, Role, User
from portal.audit.services import record as audit
from portal.cases.models import Claim, Note
from portal.cases.rules import Access, access
from portal.db import utcnow, valid_id
from portal.errors import Conflict, NotFound, ValidationFailed
from portal.fields import free_text
from portal.i18n import lazy_gettext as _l
from portal.review.models import MatchCandidate
from portal.sightings.models import Sighting

NOTE_LIMIT = 2000


def _role(user: Any) -> str | None:
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


def may_review_matches(user: Any) -> bool:
    """Police, coordinators and administrators review candidates; nobody else sees them."""
    return _role(user) in POLICE_ROLES


def countries(candidate: MatchCandidate) -> set[str]:
    """The countries a candidate concerns: each claim's owning country, the sighting's country."""
    found = {candidate.left_claim.owner_country}
    if candidate.right_claim is not None:
        found.add(candidate.right_claim.owner_country)
    if candidate.right_sighting is not None:
        found.add(candidate.right_sighting.country)
    return found


def claims_of(candidate: MatchCandidate) -> list[Claim]:
    """The one or two claims of a candidate."""
    return [c for c in (candidate.left_claim, candidate.right_claim) if c is not None]


def may_review(user: Any, candidate: MatchCandidate) -> bool:
    """True when ``user`` may see and decide ``candidate`` (see the module docstring)."""
    if not may_review_matches(user):
        return False
    if _role(user) != Role.ADMIN and user.country_code not in countries(candidate):
        return False
    # Identification is enough to judge that two records are one person. While the candidate is open
    # or confirmed, it links the reviewer's country to every claim in it (portal.access.policy), so
    # they read everything; once rejected, the other country's claim is back to identification.
    return all(access(user, claim) >= Access.NETWORK for claim in claims_of(candidate))


# Every list and comparison shows both records: load them with the candidate, not one query each.
_BOTH_SIDES = (
    selectinload(MatchCandidate.left_claim),
    selectinload(MatchCandidate.right_claim),
    selectinload(MatchCandidate.right_sighting),
)


def queue(session: Session, user: Any, *, claim_id: int | None = None, limit: int = 100) -> list[MatchCandidate]:
    """Open candidates ``user`` may review, best score first (optionally those of one claim)."""
    if not may_review_matches(user):
        raise NotFound()
    right = aliased(Claim)
    query = (
        select(MatchCandidate)
        .options(*_BOTH_SIDES)
        .join(MatchCandidate.left_claim)
        .outerjoin(right, MatchCandidate.right_claim_id == right.id)
        .outerjoin(Sighting, MatchCandidate.right_sighting_id == Sighting.id)
        .where(MatchCandidate.status == "open")
        .order_by(MatchCandidate.score.desc(), MatchCandidate.id)
    )
    if _role(user) != Role.ADMIN:
        code = user.country_code
        query = query.where(or_(Claim.owner_country == code, right.owner_country == code, Sighting.country == code))
    if claim_id is not None:
        if not valid_id(claim_id):
            return []
        query = query.where(or_(MatchCandidate.left_claim_id == claim_id, MatchCandidate.right_claim_id == claim_id))
    found = [c for c in session.scalars(query.limit(limit * 4)) if may_review(user, c)]
    return found[:limit]


def for_claim(
    session: Session, user: Any, claim: Claim, statuses: tuple[str, ...] = ("open", "confirmed")
) -> list[MatchCandidate]:
    """Candidates of one claim that ``user`` may review, best first (rejected ones left out)."""
    query = (
        select(MatchCandidate)
        .options(*_BOTH_SIDES)
        .where(
            MatchCandidate.status.in_(statuses),
            or_(MatchCandidate.left_claim_id == claim.id, MatchCandidate.right_claim_id == claim.id),
        )
        .order_by(MatchCandidate.score.desc(), MatchCandidate.id)
    )
    return [c for c in session.scalars(query) if may_review(user, c)]


def get_candidate(session: Session, user: Any, candidate_id: int, *, ip: str = "") -> MatchCandidate:
    """One candidate for a reviewer (the view of both records is audited); 404 for anyone else."""
    if not may_review_matches(user) or not valid_id(candidate_id):
        raise NotFound()
    candidate = session.scalar(select(MatchCandidate).options(*_BOTH_SIDES).where(MatchCandidate.id == candidate_id))
    if candidate is None or not may_review(user, candidate):
        raise NotFound()
    _audit(session, user, "match.view", candidate, ip)
    session.flush()
    return candidate


def _audit(session: Session, actor: Any, action: str, candidate: MatchCandidate, ip: str) -> None:
    """Record ``action`` on a candidate with both records it names."""
    audit(
        session,
        actor,
        action,
        "match_candidate",
        candidate.id,
        ip,
        claims=[c.id for c in claims_of(candidate)],
        sighting=candidate.right_sighting_id,
    )


def _lock(session: Session, user: User, candidate: MatchCandidate) -> MatchCandidate:
    """Re-read the candidate under a row lock, so that a double submission sees the first decision."""
    if not may_review(user, candidate):
        raise NotFound()
    locked = session.scalar(
        select(MatchCandidate)
        .where(MatchCandidate.id == candidate.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if locked is None:
        raise NotFound()
    return locked


def _decide(candidate: MatchCandidate, actor: User, status: str, note: str) -> None:
    candidate.status, candidate.decided_by_id, candidate.decided_at = status, actor.id, utcnow()
    candidate.decision_note = note


def _note(session: Session, claim: Claim, actor: User, kind: str, text: str, **details: Any) -> None:
    session.add(Note(claim=claim, author_id=actor.id, kind=kind, visibility="police", text=text, details=details))


def confirm(
    session: Session, actor: User, candidate: MatchCandidate, note: str = "", *, ip: str = ""
) -> MatchCandidate:
    """A person confirms the pair: claim notes (never a merge) or the sighting tied to its claim.

    Confirming twice changes nothing; confirming a rejected candidate is a conflict.
    """
    candidate, note = _lock(session, actor, candidate), free_text(note)
    if len(note) > NOTE_LIMIT:
        raise ValidationFailed(fields={"note": [_l("Use at most %(n)d characters.", n=NOTE_LIMIT)]})
    if candidate.status == "confirmed":
        return candidate
    if candidate.status == "rejected":
        raise Conflict(_l("This candidate was already rejected."))
    left = candidate.left_claim
    if candidate.right_claim is not None:
        right = candidate.right_claim
        _note(
            session,
            left,
            actor,
            "duplicate",
            note,
            candidate=candidate.id,
            other_claim=right.id,
            other_reference=right.reference,
        )
        _note(
            session,
            right,
            actor,
            "duplicate",
            note,
            candidate=candidate.id,
            other_claim=left.id,
            other_reference=left.reference,
        )
    else:
        sighting = candidate.right_sighting
        if sighting is None:  # the schema's CHECK constraint forbids it: a broken row is a server error
            raise RuntimeError(f"match candidate {candidate.id} has no right-hand record")
        taken = session.scalar(
            select(MatchCandidate.id).where(
                MatchCandidate.right_sighting_id == sighting.id,
                MatchCandidate.status == "confirmed",
                MatchCandidate.id != candidate.id,
            )
        )
        if taken is not None:
            raise Conflict(_l("This sighting is already linked to another claim."))
        sighting.claim_id = left.id
        _note(
            session,
            left,
            actor,
            "sighting",
            note,
            candidate=candidate.id,
            sighting=sighting.id,
            seen_on=sighting.event_date.isoformat(),
            seen_in=sighting.country,
        )
    _decide(candidate, actor, "confirmed", note)
    _audit(session, actor, "match.confirm", candidate, ip)
    session.flush()
    return candidate


def attach(session: Session, actor: User, candidate: MatchCandidate, reason: str, *, ip: str = "") -> MatchCandidate:
    """An officer ties a sighting to a claim by hand: confirm, with the reason required."""
    if not free_text(reason):
        raise ValidationFailed(
            fields={"reason": [_l("Say why this sighting is this person (at most %(n)d characters).", n=NOTE_LIMIT)]}
        )
    return confirm(session, actor, candidate, reason, ip=ip)


def for_sighting(session: Session, user: Any, sighting: Sighting) -> list[MatchCandidate]:
    """Open and confirmed candidates of one sighting that ``user`` may review, best first."""
    return sighting_candidates(session, user, sighting)[0]


def sighting_candidates(session: Session, user: Any, sighting: Sighting) -> tuple[list[MatchCandidate], int]:
    """``for_sighting``, and how many more open candidates are for other countries' police only."""
    query = (
        select(MatchCandidate)
        .options(*_BOTH_SIDES)
        .where(MatchCandidate.right_sighting_id == sighting.id, MatchCandidate.status.in_(("open", "confirmed")))
        .order_by(MatchCandidate.score.desc(), MatchCandidate.id)
    )
    mine: list[MatchCandidate] = []
    others = 0
    for candidate in session.scalars(query):
        if may_review(user, candidate):
            mine.append(candidate)
        elif candidate.status == "open":
            others += 1
    return mine, others


def open_counts(session: Session, user: Any, sighting_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """For each sighting, how many of its open candidates ``user`` may review, and how many are for
    other countries' police only (a claim of another country, found from a sighting abroad)."""
    counts: dict[int, tuple[int, int]] = {}
    if not sighting_ids:
        return counts
    query = (
        select(MatchCandidate)
        .options(*_BOTH_SIDES)
        .where(MatchCandidate.right_sighting_id.in_(list(sighting_ids)), MatchCandidate.status == "open")
    )
    for candidate in session.scalars(query):
        key = int(candidate.right_sighting_id or 0)
        mine, others = counts.get(key, (0, 0))
        counts[key] = (mine + 1, others) if may_review(user, candidate) else (mine, others + 1)
    return counts


def reject(session: Session, actor: User, candidate: MatchCandidate, reason: str, *, ip: str = "") -> MatchCandidate:
    """A person rejects the pair, with a reason; rejecting twice changes nothing."""
    candidate, reason = _lock(session, actor, candidate), free_text(reason)
    if candidate.status == "rejected":
        return candidate
    if candidate.status == "confirmed":
        raise Conflict(_l("This candidate was already confirmed."))
    if not reason or len(reason) > NOTE_LIMIT:
        raise ValidationFailed(
            fields={"reason": [_l("Say why these are not the same person (at most %(n)d characters).", n=NOTE_LIMIT)]}
        )
    _decide(candidate, actor, "rejected", reason)
    _audit(session, actor, "match.reject", candidate, ip)
    session.flush()
    return candidate
