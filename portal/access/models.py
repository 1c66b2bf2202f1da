"""Requests for access to a claim's restricted fields, and break-glass access."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.cases.models import Claim
from portal.db import Base, UTCDateTime, utcnow


class AccessRequest(Base):
    """An officer of another country asks the owner country for a claim's restricted fields.

    ``kind`` is "request" (the owner country's coordinator grants or refuses it) or "break_glass"
    (granted at once for an emergency, then reviewed by that coordinator). A grant is for the
    requesting officer only and ends at ``expires_at``.
    """

    __tablename__ = "access_request"
    __table_args__ = (
        Index("ix_access_request_claim_requester", "claim_id", "requester_id"),
        CheckConstraint("kind IN ('request','break_glass')", name="kind"),
        CheckConstraint("status IN ('pending','granted','refused','justified','unjustified')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"))
    requester_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    requester_country: Mapped[str] = mapped_column(String(2))
    owner_country: Mapped[str] = mapped_column(String(2), index=True)
    kind: Mapped[str] = mapped_column(String(12), default="request")
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(Text, default="")

    claim: Mapped[Claim] = relationship()
    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
