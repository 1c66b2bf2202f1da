"""Sighting reports."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow


class Sighting(Base):
    """Someone saw a person who may be missing. Reporter contact is restricted to police."""

    __tablename__ = "sighting"
    __table_args__ = (
        CheckConstraint("sex IN ('F','M','')", name="sex"),
        CheckConstraint("free_to_leave IN ('yes','no','unknown','')", name="free_to_leave"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_date: Mapped[date] = mapped_column(Date, index=True)
    country: Mapped[str] = mapped_column(ForeignKey("country.code"), index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    name_heard: Mapped[str] = mapped_column(String(120), default="")
    sex: Mapped[str] = mapped_column(String(1), default="")
    age_min: Mapped[int | None] = mapped_column(Integer)
    age_max: Mapped[int | None] = mapped_column(Integer)
    height_cm: Mapped[int | None] = mapped_column(Integer)
    marks: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    venue: Mapped[str] = mapped_column(String(30), default="")
    companion: Mapped[str] = mapped_column(String(30), default="")
    # How the person seemed (portal.risk.facts.SIGHTING_CONDITIONS) and whether free to leave.
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)
    free_to_leave: Mapped[str] = mapped_column(String(8), default="")
    reporter_contact: Mapped[str] = mapped_column(String(200), default="")
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The claim the witness said they recognised ("I have seen this person"); a lead, not a link.
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claim.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
