"""What the training pages show and the few steps they add to the services: labels, each trainee's
checklist, the sessions a person sees, the way into a practice space, the invitation, the CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Flask, url_for
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.audit.services import record as audit
from portal.db import valid_id
from portal.errors import NotFound
from portal.i18n import lazy_gettext as _l
from portal.notify.outbox import enqueue_for_user
from portal.training import cascade, progress
from portal.training.models import EXERCISES, Enrolment, SessionStatus, TrainingSession
from portal.training.services import CHANGEABLE, check_may_change, enrolment_of, enrolments

EXERCISE_LABELS = {
    "file_claim": _l("File a claim"),
    "validate_claim": _l("Validate a claim"),
    "search": _l("Search the claims"),
    "review_match": _l("Review a possible match"),
    "handle_flag": _l("Act on a trafficking flag"),
    "add_note": _l("Add a note to a case"),
}
KIND_LABELS = {"police": _l("Police"), "civil_society": _l("Civil society")}
STATUS_LABELS = {
    SessionStatus.PLANNED: _l("Planned"),
    SessionStatus.OPEN: _l("Practice space open"),
    SessionStatus.CLOSED: _l("Closed"),
    SessionStatus.CANCELLED: _l("Cancelled"),
}
CSV_COLUMNS = (
    "session_id",
    "parent_session_id",
    "level",
    "district",
    "title",
    "starts_on",
    "trainer_id",
    "trained",
    "police",
    "civil_society",
    "certified",
    "certified_police",
    "certified_civil_society",
)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Trainee:
    """One trainee as the session page lists them: the enrolment and the exercises done."""

    enrolment: Enrolment
    exercises: dict[str, bool]

    @property
    def done(self) -> int:
        """How many exercises are done."""
        return sum(self.exercises.values())

    @property
    def missing(self) -> list[str]:
        """The exercises not done yet, in the checklist's order."""
        return [name for name in EXERCISES if not self.exercises[name]]


def trainees(app: Flask, session: Session, training: TrainingSession) -> list[Trainee]:
    """The trainees of a session with their checklists (live from its practice space while it is open)."""
    people = enrolments(session, training)
    done = progress.exercises_of(app, training, people)
    return [Trainee(e, done[e.user_id]) for e in people]


def may_change(user: User, training: TrainingSession) -> bool:
    """True when ``user`` runs ``training`` (or is an admin) and it is planned or open."""
    return (training.trainer_id == user.id or user.role == Role.ADMIN) and training.status in CHANGEABLE


def sessions_for(session: Session, user: User) -> list[TrainingSession]:
    """The sessions of a person's training page: all, their country's, or the ones they run or attended."""
    query = select(TrainingSession).order_by(TrainingSession.starts_on.desc(), TrainingSession.id.desc())
    if user.role == Role.COORDINATOR:
        query = query.where(TrainingSession.country_code == user.country_code)
    elif user.role != Role.ADMIN:
        enrolled = select(Enrolment.session_id).where(Enrolment.user_id == user.id)
        query = query.where(or_(TrainingSession.trainer_id == user.id, TrainingSession.id.in_(enrolled)))
    return list(session.scalars(query.limit(500)))


def parent_options(session: Session, user: User) -> list[tuple[str, str]]:
    """(id, label) of the sessions a new session may cascade from: ones the trainer was trained in or ran."""
    query = select(TrainingSession).where(TrainingSession.status != SessionStatus.CANCELLED)
    if user.role != Role.ADMIN:
        enrolled = select(Enrolment.session_id).where(Enrolment.user_id == user.id)
        query = query.where(
            TrainingSession.country_code == user.country_code,
            or_(TrainingSession.trainer_id == user.id, TrainingSession.id.in_(enrolled)),
        )
    found = session.scalars(query.order_by(TrainingSession.starts_on.desc()).limit(200))
    return [(str(s.id), f"{s.title} · {s.district or s.country_code} · {s.starts_on.isoformat()}") for s in found]


def enterable(session: Session, user: User, session_id: object) -> TrainingSession:
    """A planned or open session ``user`` runs or is enrolled in, to enter its practice space; else NotFound."""
    # A trainee account is always inside its own session's space: it has nothing to enter.
    training = session.get(TrainingSession, session_id) if valid_id(session_id) else None
    if training is None or user.role == Role.TRAINEE or training.status not in CHANGEABLE:
        raise NotFound()
    enrolled = session.scalar(
        select(Enrolment.id).where(Enrolment.session_id == training.id, Enrolment.user_id == user.id)
    )
    if training.trainer_id != user.id and enrolled is None:
        raise NotFound()
    return training


def enterable_ids(session: Session, user: User) -> set[int]:
    """The ids of the sessions whose practice space ``user`` may enter now (see ``enterable``)."""
    if user.role == Role.TRAINEE:
        return set()
    enrolled = select(Enrolment.session_id).where(Enrolment.user_id == user.id)
    query = select(TrainingSession.id).where(
        TrainingSession.status.in_(CHANGEABLE),
        or_(TrainingSession.trainer_id == user.id, TrainingSession.id.in_(enrolled)),
    )
    return set(session.scalars(query))


def invite(session: Session, training: TrainingSession, user: User, new: bool) -> str | None:
    """Queue the e-mail telling an enrolled person how to start; a new account's sign-in link, else None."""
    link = None
    context: dict[str, Any] = {"title": training.title, "starts_on": training.starts_on.isoformat(), "token": None}
    if new:
        context["token"] = progress.sign_in_token(user)
        link = url_for("training.sign_in", token=context["token"], _external=True)
    enqueue_for_user(session, user, "training/invite", context)
    return link


def new_sign_in_link(
    session: Session, trainer: User, training: TrainingSession, trainee_id: object, *, ip: str = ""
) -> tuple[Enrolment, str]:
    """A fresh one-time sign-in link for a trainee account whose link was lost or expired; audited."""
    # Signing in with any of an account's links ends every other one: the account's epoch moves.
    check_may_change(trainer, training)
    enrolment = enrolment_of(session, training, trainee_id)
    if enrolment.user.role != Role.TRAINEE:
        raise NotFound()
    audit(session, trainer, "training.sign_in_link", "training_session", training.id, ip, user=enrolment.user_id)
    session.flush()
    return enrolment, url_for("training.sign_in", token=progress.sign_in_token(enrolment.user), _external=True)


def certificate(session: Session, training: TrainingSession, trainee_id: object) -> Enrolment:
    """The enrolment of a certified trainee of ``training``; NotFound for anyone else."""
    found = (
        session.scalar(
            select(Enrolment).where(
                Enrolment.session_id == training.id,
                Enrolment.user_id == trainee_id,
                Enrolment.certified_at.is_not(None),
            )
        )
        if valid_id(trainee_id)
        else None
    )
    if found is None:
        raise NotFound()
    return found


def session_values(training: TrainingSession) -> dict[str, str]:
    """A session's fields as the edit form shows them."""
    return {
        "title": training.title,
        "district": training.district,
        "place": training.place,
        "starts_on": training.starts_on.isoformat(),
        "language": training.language,
        "capacity": str(training.capacity),
    }


def new_session_values(user: User, today: date) -> dict[str, str]:
    """What the new-session form starts with."""
    language = user.country.default_locale if user.country else "es"
    return {"country": user.country_code or "", "language": language, "capacity": "20", "starts_on": today.isoformat()}


def flatten(nodes: list[dict[str, Any]], parent: int | None = None) -> Iterator[dict[str, Any]]:
    """The cascade's tree of sessions as rows, each with its parent's id, parents first."""
    for node in nodes:
        yield {**node, "parent_id": parent}
        yield from flatten(node["children"], node["id"])


def report(session: Session, user: User, country: str) -> dict[str, Any]:
    """The cascade page: figures per level, sessions by level and district, trainers' names, how many trainers."""
    tree = cascade.cascade(session, user, country)
    rows = sorted(
        ({**r, "date": date.fromisoformat(r["starts_on"])} for r in flatten(tree["sessions"])),
        key=lambda r: (r["level"], r["district"], r["starts_on"], r["id"]),
    )
    ids = {r["trainer_id"] for r in rows}
    names = {u.id: u.display_name or u.email for u in session.scalars(select(User).where(User.id.in_(ids)))}
    titles = {r["id"]: r["title"] for r in rows}
    return {
        **tree,
        "rows": rows,
        "trainer_names": names,
        "titles": titles,
        "trainers": cascade.trainers(session, tree["country"]),
    }


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def cascade_csv(session: Session, user: User, country: str, *, ip: str = "") -> str:
    """The cascade of ``country`` as CSV, one row per session; the export is audited."""
    tree = cascade.cascade(session, user, country)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in sorted(flatten(tree["sessions"]), key=lambda r: (r["level"], r["district"], r["id"])):
        values = {**row, "session_id": row["id"], "parent_session_id": row["parent_id"]}
        writer.writerow([_cell(values[column]) for column in CSV_COLUMNS])
    audit(session, user, "training.export", "country", tree["country"], ip)
    session.flush()
    return out.getvalue()
