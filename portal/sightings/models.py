"""Sighting reports, what officers decide about them, and what witnesses add later."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, append_only, utcnow

# The witness's reference: no 0/O or 1/I/L, so that it survives being read out on the phone.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    """A random witness reference, ``AV-XXXX-XXXX`` (``AV``: avistamiento); not guessable from others."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"AV-{body[:4]}-{body[4:]}"


def clean_sighting_reference(text: str | None) -> str | None:
    """A witness's reference as read out on the phone ("av 7z74 9gyz", "7Z749GYZ") written as stored
    ("AV-7Z74-9GYZ"), or None when it cannot be one."""
    body = "".join(ch for ch in text.upper() if ch.isalnum()) if isinstance(text, str) else ""
    if len(body) == 10 and body.startswith("AV"):
        body = body[2:]
    if len(body) != 8 or any(ch not in ALPHABET for ch in body):
        return None
    return f"AV-{body[:4]}-{body[4:]}"


class Sighting(Base):
    """Someone saw a person who may be missing. Reporter contact is restricted to police."""

    __tablename__ = "sighting"
    __table_args__ = (
        CheckConstraint("sex IN ('F','M','')", name="sex"),
        CheckConstraint("free_to_leave IN ('yes','no','unknown','')", name="free_to_leave"),
        CheckConstraint("status IN ('open','closed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What the witness is given: a reference to quote, and a private link (its secret's digest here).
    reference: Mapped[str] = mapped_column(String(16), unique=True, default=new_reference)
    witness_key_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
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
    # The language the witness wrote in: what the portal tells them later is written in it.
    witness_locale: Mapped[str | None] = mapped_column(String(8))
    # An officer checked the report itself (called the witness, saw the footage...): only then do its
    # observations count as verified facts on the trafficking card.
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # open, or closed as not relevant (with the officer's reason); a closed sighting leaves the queue.
    status: Mapped[str] = mapped_column(String(8), default="open", index=True)
    closed_reason: Mapped[str] = mapped_column(Text, default="")
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The claim the witness said they recognised ("I have seen this person"); a lead, not a link.
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claim.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When retention or an erasure request forgot the witness: contact, private link, language.
    contact_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SightingAddition(Base):
    """What a witness added later through the private link; append-only, read by the same officers."""

    __tablename__ = "sighting_addition"

    id: Mapped[int] = mapped_column(primary_key=True)
    sighting_id: Mapped[int] = mapped_column(ForeignKey("sighting.id"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


append_only(SightingAddition)
