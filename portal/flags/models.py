"""Stored trafficking-indicator assessments of claims and the officers' decisions on them.

Both tables are append-only: the history of levels and of who decided what is
kept. A new assessment row is written only when the result changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.db import Base, UTCDateTime, append_only, utcnow

CAUSES = ("claim", "note", "sighting", "match", "manual")
ACTIONS = ("escalate", "dismiss", "refer")


class RiskAssessment(Base):
    """The engine's result for a claim at one moment: level, indicators and evidence (``Assessment.to_json``)."""

    __tablename__ = "risk_assessment"
    __table_args__ = (
        CheckConstraint("level IN (0, 1, 2)", name="level"),
        CheckConstraint("cause IN ('claim','note','sighting','match','manual')", name="cause"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    rules_version: Mapped[str] = mapped_column(String(60))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    # What made the portal look again: a short code, never a personal value.
    cause: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RiskReview(Base):
    """An officer's decision on an assessment: escalate, dismiss (with a reason) or refer."""

    __tablename__ = "risk_review"
    __table_args__ = (CheckConstraint("action IN ('escalate','dismiss','refer')", name="action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), index=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("risk_assessment.id"))
    action: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User] = relationship()
    assessment: Mapped[RiskAssessment] = relationship()


append_only(RiskAssessment)
append_only(RiskReview)
