"""The outbox, and the public's subscriptions to a published claim.

A message is a row written in the same transaction as the change that causes it: a change that
rolls back leaves no message, and a message waits in the table while the mail server is down.
The row holds the template's name and its variables, not the text: the worker renders it in the
recipient's language when it sends it, then drops the variables (links and names are not kept
once delivered).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow


class Status(StrEnum):
    """Where a message is in its life."""

    PENDING = "pending"  # to send, at ``next_attempt_at``
    HELD = "held"  # waits for the recipient's daily digest
    SENT = "sent"
    DEAD = "dead"  # gave up after the last retry: admins see it on the outbox page


class OutboxMessage(Base):
    """One e-mail to one address, in one language."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint("status IN ('pending','held','sent','dead')", name="status"),
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template: Mapped[str] = mapped_column(String(60))
    address: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(8))
    # The template's variables; None once the message is sent (nothing of it is kept).
    context: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(8), default=Status.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The error's kind and the server's code, never the message's content.
    last_error: Mapped[str] = mapped_column(String(200), default="")


class Subscription(Base):
    """Someone of the public follows a published claim, with no account: double opt-in by e-mail."""

    __tablename__ = "claim_subscription"
    __table_args__ = (UniqueConstraint("claim_id", "address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    address: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
