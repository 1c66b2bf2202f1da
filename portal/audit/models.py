"""Audit events: append-only, the one place personal-data access is recorded."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, append_only, utcnow


class AuditEvent(Base):
    """One action: a view of restricted data, a change, a login or logout, an export."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    actor_role: Mapped[str] = mapped_column(String(16), default="public")
    action: Mapped[str] = mapped_column(String(40), index=True)
    target_type: Mapped[str] = mapped_column(String(20), default="")
    target_id: Mapped[str] = mapped_column(String(40), default="")
    ip: Mapped[str] = mapped_column(String(45), default="")
    # Field names, codes and ids only: the trail says what was touched, not copies of it.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


append_only(AuditEvent)


class AppendOnlyOverride(Base):
    """While its one row exists, SQLite's triggers let the append-only tables be rewritten.

    Written and removed inside the one transaction that rewrites, by portal.audit.rewrite only, so
    no other transaction ever sees it. PostgreSQL uses a per-transaction setting instead and keeps
    this table empty.
    """

    __tablename__ = "append_only_override"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
