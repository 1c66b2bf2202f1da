"""Training sessions and who is enrolled in them (DESIGN.md §9, spec/training.md).

Sessions form the cascade: a session names the session its trainer was trained in (its parent),
so a country's training is a tree whose levels are the cascade's steps. A session's practice
space is a database of its own (portal.training.spaces), not rows here.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.db import Base, UTCDateTime, utcnow


class SessionStatus(StrEnum):
    """Where a session is in its life (spec/training.md)."""

    PLANNED = "planned"  # created; no practice space yet
    OPEN = "open"  # its practice space exists
    CLOSED = "closed"  # done; the practice space is deleted, the records stay
    CANCELLED = "cancelled"


class TraineeKind(StrEnum):
    """Who a trainee is: the cascade report counts them apart."""

    POLICE = "police"
    CIVIL_SOCIETY = "civil_society"


# The exercises of every trainee, ticked by what they did in the practice space (spec/training.md).
EXERCISES = ("file_claim", "validate_claim", "search", "review_match", "handle_flag", "add_note")


class TrainingSession(Base):
    """One training session: a trainer, a date and a place, a language, and its place in the cascade."""

    __tablename__ = "training_session"
    __table_args__ = (
        CheckConstraint("status IN ('planned','open','closed','cancelled')", name="status"),
        CheckConstraint("capacity > 0", name="capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    country_code: Mapped[str] = mapped_column(ForeignKey("country.code"), index=True)
    district: Mapped[str] = mapped_column(String(120), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    starts_on: Mapped[date] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(8))
    capacity: Mapped[int] = mapped_column(Integer)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("training_session.id"), index=True)
    # 1 for a session with no parent, its parent's level + 1 otherwise (set once, at creation).
    level: Mapped[int] = mapped_column(Integer, default=1)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=SessionStatus.PLANNED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    trainer: Mapped[User] = relationship(foreign_keys=[trainer_id])


class Enrolment(Base):
    """A trainee in a session: attendance, exercises done, certification."""

    __tablename__ = "training_enrolment"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id"),
        CheckConstraint("kind IN ('police','civil_society')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    kind: Mapped[str] = mapped_column(String(16), default=TraineeKind.POLICE)
    agency: Mapped[str] = mapped_column(String(120), default="")
    present: Mapped[bool | None] = mapped_column(Boolean)
    # What the trainee did in the practice space, kept when the space is deleted.
    exercises: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    certified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    certified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
