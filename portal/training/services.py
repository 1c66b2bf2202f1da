"""Training sessions and enrolment: who may run, see and change which session (spec/training.md).

A trainer runs sessions in their own country; an admin anywhere. A session names its parent, the
session its trainer was trained in (or one they ran), so the sessions of a country form the
cascade. Trainers, the coordinators of the session's country and admins see a session; only its
trainer (or an admin) changes it. A session anyone else may not see is NotFound to them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.accounts import services as accounts
from portal.accounts.addresses import checked_email
from portal.accounts.models import Country, Role, User
from portal.audit.services import record as audit
from portal.db import utcnow, valid_id
from portal.errors import Conflict, NotFound, ValidationFailed
from portal.i18n import ENDONYMS
from portal.i18n import lazy_gettext as _l
from portal.training.models import Enrolment, SessionStatus, TraineeKind, TrainingSession

MAX_CAPACITY = 500
# The officers an existing account may be enrolled as (a family or admin account is not one).
OFFICER_ROLES = frozenset({Role.POLICE, Role.COORDINATOR, Role.TRAINER, Role.TRAINEE})
TRAINEE_TOKEN_DAYS = 30
CHANGEABLE = (SessionStatus.PLANNED, SessionStatus.OPEN)


class SessionStateConflict(Conflict):
    """A well-formed request that the session's state refuses (409). Input a schema or a form can
    refuse answers 422 (ValidationFailed) first; ``fields`` carries the message on ``field``, the
    field the page shows it on."""

    field = "status"

    def __init__(self) -> None:
        super().__init__(fields={self.field: [self.default_message]})


class SessionClosed(SessionStateConflict):
    code = "session_closed"
    default_message = _l("This session is closed or cancelled.")


class SessionFull(SessionStateConflict):
    code = "session_full"
    field = "email"
    default_message = _l("The session is full.")


class AlreadyEnrolled(SessionStateConflict):
    code = "already_enrolled"
    field = "email"
    default_message = _l("This person is already enrolled.")


@dataclass(frozen=True)
class SessionInput:
    """A session's fields, as the page and the API send them (checked by check_session_input)."""

    title: str
    country: str
    district: str
    place: str
    starts_on: date | None
    language: str
    capacity: int | None
    parent_id: int | None


def parse_session(data: dict[str, Any]) -> SessionInput:
    """Read a session's fields from a form or a JSON body; ValidationFailed names every bad field."""
    errors: dict[str, list[Any]] = {}
    starts_on = None
    try:
        starts_on = date.fromisoformat(str(data.get("starts_on") or ""))
    except ValueError:
        errors["starts_on"] = [_l("Enter a date as YYYY-MM-DD.")]
    capacity = _integer(data.get("capacity"))
    if capacity is None or not 0 < capacity <= MAX_CAPACITY:
        errors["capacity"] = [_l("Enter a number from 1 to %(n)d.", n=MAX_CAPACITY)]
    parent = data.get("parent_session_id")
    parent_id = _integer(parent) if parent not in (None, "") else None
    if parent not in (None, "") and not valid_id(parent_id):
        errors["parent_session_id"] = [_l("Choose one of the listed options.")]
    title = str(data.get("title") or "").strip()
    if not title or len(title) > 200:
        errors["title"] = [_l("Give the session a title (at most 200 characters).")]
    language = str(data.get("language") or "")
    if language not in ENDONYMS:
        errors["language"] = [_l("Choose one of the listed options.")]
    if errors:
        raise ValidationFailed(fields=errors)
    return SessionInput(
        title=title,
        country=str(data.get("country") or "").upper()[:2],
        district=str(data.get("district") or "").strip()[:120],
        place=str(data.get("place") or "").strip()[:200],
        starts_on=starts_on,
        language=language,
        capacity=capacity,
        parent_id=parent_id,
    )


def _integer(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(str(value))
    except ValueError:
        return None


def may_run_sessions(user: Any) -> bool:
    """Trainers and admins run sessions."""
    return getattr(user, "role", None) in (Role.TRAINER, Role.ADMIN)


def _check_country(session: Session, actor: User, country: str) -> None:
    if session.get(Country, country) is None:
        raise ValidationFailed(fields={"country": [_l("Choose one of the listed options.")]})
    if actor.role != Role.ADMIN and country != actor.country_code:
        raise ValidationFailed(fields={"country": [_l("You run sessions in your own country only.")]})


def _check_parent(session: Session, actor: User, data: SessionInput) -> TrainingSession | None:
    """The parent session: in the same country, and one the trainer was enrolled in or ran."""
    if data.parent_id is None:
        return None
    parent = session.get(TrainingSession, data.parent_id)
    trained_there = parent is not None and (
        parent.trainer_id == actor.id
        or actor.role == Role.ADMIN
        or session.scalar(select(Enrolment.id).where(Enrolment.session_id == parent.id, Enrolment.user_id == actor.id))
        is not None
    )
    if parent is None or parent.country_code != data.country or not trained_there:
        raise ValidationFailed(
            fields={"parent_session_id": [_l("Choose a session of this country in which you were trained.")]}
        )
    return parent


def create_session(session: Session, trainer: User, data: SessionInput, *, ip: str = "") -> TrainingSession:
    """A trainer (or an admin) plans a session; audited."""
    if not may_run_sessions(trainer):
        raise NotFound()
    _check_country(session, trainer, data.country)
    parent = _check_parent(session, trainer, data)
    training = TrainingSession(
        title=data.title,
        country_code=data.country,
        district=data.district,
        place=data.place,
        starts_on=data.starts_on,
        language=data.language,
        capacity=data.capacity,
        parent_id=parent.id if parent else None,
        level=parent.level + 1 if parent else 1,
        trainer_id=trainer.id,
        status=SessionStatus.PLANNED,
    )
    session.add(training)
    session.flush()
    audit(session, trainer, "training.create", "training_session", training.id, ip, level=training.level)
    return training


def update_session(
    session: Session, trainer: User, training: TrainingSession, data: SessionInput, *, ip: str = ""
) -> None:
    """Its trainer edits a planned or open session (its country and parent stay); audited."""
    check_may_change(trainer, training)
    enrolled = count_enrolled(session, training)
    if data.capacity is not None and data.capacity < enrolled:
        raise ValidationFailed(fields={"capacity": [_l("More people are already enrolled.")]})
    training.title, training.district, training.place = data.title, data.district, data.place
    training.starts_on, training.language = data.starts_on or training.starts_on, data.language
    training.capacity = data.capacity or training.capacity
    audit(session, trainer, "training.edit", "training_session", training.id, ip)
    session.flush()


def get_session_for(session: Session, user: Any, session_id: object) -> TrainingSession:
    """A session ``user`` may see: its trainer, the coordinators of its country, admins."""
    training = session.get(TrainingSession, session_id) if valid_id(session_id) else None
    role = getattr(user, "role", None)
    if training is None or not (
        role == Role.ADMIN
        or training.trainer_id == getattr(user, "id", None)
        or (role == Role.COORDINATOR and training.country_code == user.country_code)
    ):
        raise NotFound()
    return training


def check_may_change(user: User, training: TrainingSession) -> None:
    """NotFound unless ``user`` runs ``training`` (or is an admin) and it is planned or open."""
    if not (training.trainer_id == user.id or user.role == Role.ADMIN):
        raise NotFound()
    if training.status not in CHANGEABLE:
        raise SessionClosed()


def count_enrolled(session: Session, training: TrainingSession) -> int:
    """How many people are enrolled in ``training``."""
    return int(session.scalar(select(func.count(Enrolment.id)).where(Enrolment.session_id == training.id)) or 0)


def enrolments(session: Session, training: TrainingSession) -> list[Enrolment]:
    """The trainees of a session, in the order they were enrolled."""
    query = select(Enrolment).where(Enrolment.session_id == training.id).order_by(Enrolment.id)
    return list(session.scalars(query))


def enrol(
    session: Session,
    trainer: User,
    training: TrainingSession,
    *,
    email: str,
    name: str,
    kind: str,
    agency: str = "",
    ip: str = "",
) -> tuple[Enrolment, bool]:
    """Enrol an existing officer, or a new trainee account made for the session; returns the
    enrolment and whether the account is new. Audited."""
    check_may_change(trainer, training)
    errors: dict[str, list[Any]] = {}
    if kind not in {k.value for k in TraineeKind}:
        errors["kind"] = [_l("Choose one of the listed options.")]
    address = ""
    try:
        address = checked_email(email)
    except ValidationFailed as error:
        errors.update(error.fields)
    if errors:
        raise ValidationFailed(fields=errors)
    user = accounts.get_user_by_email(session, address)
    if user is not None and (user.role not in OFFICER_ROLES or not user.active):
        raise ValidationFailed(fields={"email": [_l("This address is not an officer's account.")]})
    if user is not None and session.scalar(
        select(Enrolment.id).where(Enrolment.session_id == training.id, Enrolment.user_id == user.id)
    ):
        raise AlreadyEnrolled()
    if count_enrolled(session, training) >= training.capacity:
        raise SessionFull()
    new = user is None
    if user is None:
        user = accounts.create_user(
            session,
            email=address,
            password=secrets.token_urlsafe(24),  # nobody knows it: the trainee signs in with a one-time link
            role=Role.TRAINEE,
            country_code=training.country_code,
            agency=agency,
            display_name=name,
            created_by=trainer,
            preferred_locale=training.language,
            ip=ip,
        )
    enrolment = Enrolment(
        session_id=training.id,
        user_id=user.id,
        name=(name or user.display_name).strip()[:120],
        kind=kind,
        agency=(agency or user.agency).strip()[:120],
        exercises={},
    )
    session.add(enrolment)
    session.flush()
    audit(session, trainer, "training.enrol", "training_session", training.id, ip, user=user.id, new=new)
    return enrolment, new


def enrolment_of(session: Session, training: TrainingSession, trainee_id: object) -> Enrolment:
    """The enrolment of account ``trainee_id`` in ``training``, or NotFound."""
    found = (
        session.scalar(select(Enrolment).where(Enrolment.session_id == training.id, Enrolment.user_id == trainee_id))
        if valid_id(trainee_id)
        else None
    )
    if found is None:
        raise NotFound()
    return found


def set_attendance(
    session: Session, trainer: User, training: TrainingSession, trainee_id: object, present: object, *, ip: str = ""
) -> Enrolment:
    """Record whether a trainee attended; audited."""
    check_may_change(trainer, training)
    if not isinstance(present, bool):
        raise ValidationFailed(fields={"present": [_l("Say true or false.")]})
    enrolment = enrolment_of(session, training, trainee_id)
    enrolment.present = present
    audit(session, trainer, "training.attendance", "training_session", training.id, ip, user=enrolment.user_id)
    session.flush()
    return enrolment


def end_session(session: Session, trainer: User, training: TrainingSession, status: str, *, ip: str = "") -> None:
    """Mark a session closed or cancelled (the caller deletes its practice space); audited."""
    check_may_change(trainer, training)
    training.status, training.closed_at = status, utcnow()
    audit(
        session,
        trainer,
        f"training.{'close' if status == SessionStatus.CLOSED else 'cancel'}",
        "training_session",
        training.id,
        ip,
    )
    session.flush()


def mark_open(session: Session, training: TrainingSession) -> None:
    """The session's practice space exists now: the session is open."""
    training.status = SessionStatus.OPEN
    session.flush()
