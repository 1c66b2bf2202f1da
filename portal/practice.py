"""Opening a training session's practice space: make its database, then fill it with practice cases.

It sits with the demo loader, above the casework path, because the practice cases are filed
through that path (portal.practice_data), as real ones are: matched, assessed and linked.
"""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.practice_data import fill_practice_space
from portal.training import spaces
from portal.training.models import SessionStatus, TrainingSession
from portal.training.services import mark_open


def open_space(app: Flask, session: Session, training: TrainingSession, *, today: date | None = None) -> bool:
    """Make and fill the practice space of a planned session; False when it is already open."""
    if training.status != SessionStatus.PLANNED:
        return False
    _make_space(app, session, training, today or date.today())
    mark_open(session, training)
    return True


def remake_open_spaces(app: Flask, session: Session, *, today: date | None = None) -> int:
    """Make afresh the practice space of every open session (after a restore, which carries none);
    returns how many. What each trainee did is kept on their enrolment, not in the space."""
    query = select(TrainingSession).where(TrainingSession.status == SessionStatus.OPEN).order_by(TrainingSession.id)
    opened = list(session.scalars(query))
    for training in opened:
        _make_space(app, session, training, today or date.today())
    return len(opened)


def _make_space(app: Flask, session: Session, training: TrainingSession, today: date) -> None:
    spaces.create(app, training.id)
    trainer = session.get(User, training.trainer_id)
    if trainer is None:
        raise ValueError("a session without its trainer")
    with spaces.factory(app, training.id)() as practice:
        desk = spaces.mirror(practice, trainer, training.country_code)
        fill_practice_space(
            practice,
            desk,
            country=training.country_code,
            language=training.language,
            today=today,
            seed=training.id,
        )
        practice.commit()
