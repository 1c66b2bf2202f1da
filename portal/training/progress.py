"""What trainees did: exercises read from the practice space's audit trail, certification, closing.

An exercise is ticked by the trainee's own actions in the practice space, as its audit trail
recorded them (the same trail every real action leaves), never by hand. When a session closes,
what each trainee did is kept on the enrolment, then the practice space is deleted.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts import links
from portal.accounts.models import Role, User
from portal.accounts.services import end_all_sessions
from portal.audit.models import AuditEvent
from portal.audit.services import record as audit
from portal.db import utcnow
from portal.errors import Conflict, NotFound
from portal.i18n import lazy_gettext as _l
from portal.training import spaces
from portal.training.models import EXERCISES, Enrolment, SessionStatus, TrainingSession
from portal.training.services import check_may_change, end_session, enrolment_of, enrolments

# The audit actions that count for each exercise.
ACTIONS = {
    "file_claim": ("claim.create",),
    "validate_claim": ("claim.validate",),
    "search": ("claim.search",),
    "review_match": ("match.confirm", "match.reject"),
    "handle_flag": ("risk.escalate", "risk.dismiss", "risk.refer"),
    "add_note": ("note.create", "claim.status"),
}
SIGN_IN = "trainee-sign-in"
SIGN_IN_AGE = timedelta(days=14)


class NotCertifiable(Conflict):
    """A trainee who has not done every exercise (409, with the missing ones)."""

    code = "exercises_missing"
    default_message = _l("This trainee has not done every exercise yet.")


def _done(app: Flask, training: TrainingSession, user_ids: list[int]) -> dict[int, set[str]]:
    """The audit actions each of ``user_ids`` left in the practice space."""
    if not user_ids or training.status != SessionStatus.OPEN or not spaces.exists(app, training.id):
        return {}
    wanted = [action for actions in ACTIONS.values() for action in actions]
    with spaces.factory(app, training.id)() as practice:
        rows = practice.execute(
            select(AuditEvent.actor_id, AuditEvent.action)
            .where(AuditEvent.actor_id.in_(user_ids), AuditEvent.action.in_(wanted))
            .distinct()
        )
        found: dict[int, set[str]] = {}
        for actor_id, action in rows:
            if actor_id is not None:
                found.setdefault(int(actor_id), set()).add(str(action))
    return found


def exercises(app: Flask, training: TrainingSession, enrolment: Enrolment) -> dict[str, bool]:
    """Each exercise of a trainee, done or not: live from the space while it is open, else as kept."""
    return exercises_of(app, training, [enrolment])[enrolment.user_id]


def exercises_of(app: Flask, training: TrainingSession, people: list[Enrolment]) -> dict[int, dict[str, bool]]:
    """``exercises`` for several trainees of one session, with one query."""
    live = _done(app, training, [e.user_id for e in people])
    result = {}
    for enrolment in people:
        kept = enrolment.exercises or {}
        actions = live.get(enrolment.user_id, set())
        result[enrolment.user_id] = {
            name: bool(kept.get(name)) or any(a in actions for a in ACTIONS[name]) for name in EXERCISES
        }
    return result


def certify(
    app: Flask, session: Session, trainer: User, training: TrainingSession, trainee_id: object, *, ip: str = ""
) -> Enrolment:
    """Its trainer certifies a trainee who did every exercise; NotCertifiable names the missing ones."""
    if (
        not (training.trainer_id == trainer.id or trainer.role == Role.ADMIN)
        or training.status == SessionStatus.CANCELLED
    ):
        raise NotFound()
    enrolment = enrolment_of(session, training, trainee_id)
    done = exercises(app, training, enrolment)
    missing = [name for name in EXERCISES if not done[name]]
    if missing:
        raise NotCertifiable(fields={"exercises": missing})
    enrolment.exercises = done
    if enrolment.certified_at is None:
        enrolment.certified_at, enrolment.certified_by_id = utcnow(), trainer.id
        audit(session, trainer, "training.certify", "training_session", training.id, ip, user=enrolment.user_id)
    session.flush()
    return enrolment


def close(
    app: Flask, session: Session, trainer: User, training: TrainingSession, *, cancel: bool = False, ip: str = ""
) -> None:
    """Close (or cancel) a session: keep what each trainee did, then delete its practice space."""
    check_may_change(trainer, training)
    people = enrolments(session, training)
    for user_id, done in exercises_of(app, training, people).items():
        next(e for e in people if e.user_id == user_id).exercises = done
    end_session(session, trainer, training, SessionStatus.CANCELLED if cancel else SessionStatus.CLOSED, ip=ip)
    spaces.delete(app, training.id)


def sign_in_token(user: User, *, now: datetime | None = None) -> str:
    """A one-time sign-in link's token for a trainee account (it dies when used: the epoch moves)."""
    return links.make(SIGN_IN, {"u": user.id, "e": user.session_epoch}, now=now)


def sign_in(session: Session, token: str, *, now: datetime | None = None, ip: str = "") -> User:
    """The trainee account of a one-time sign-in link, whose other sessions end; LinkNotValid if used."""
    payload = links.read(SIGN_IN, token, SIGN_IN_AGE, now=now)
    user = session.get(User, payload.get("u")) if isinstance(payload.get("u"), int) else None
    if user is None or user.role != Role.TRAINEE or not user.active or user.session_epoch != payload.get("e"):
        raise links.LinkNotValid()
    end_all_sessions(session, user)
    audit(session, user, "account.login", "user", user.id, ip, via="sign_in_link")
    session.flush()
    return user
