"""Stored blocking keys, name-token counts and match candidates (DESIGN.md §5).

Keys and tokens live in the database so that every web worker shares them; a
candidate is a pair of records above the review threshold, waiting for (or
carrying) a person's decision. Nothing is linked without that decision.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.cases.models import Claim
from portal.db import Base, UTCDateTime, utcnow
from portal.sightings.models import Sighting

KEY_LENGTH = 200
TOKEN_LENGTH = 120


class MatchKey(Base):
    """One blocking key of a record: claims are stored under their blocking keys, sightings under
    their query keys, so that a new record of either kind finds the other by one indexed look-up."""

    __tablename__ = "match_key"
    __table_args__ = (CheckConstraint("record_type IN ('claim','sighting')", name="record_type"),)

    record_type: Mapped[str] = mapped_column(String(8), primary_key=True)
    record_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH), primary_key=True, index=True)


class MatchToken(Base):
    """A folded name token of a claim; counting them gives the term frequencies of the network, and
    of each country (``country``: the claim's, kept here so that a country's count reads one index)."""

    __tablename__ = "match_token"
    __table_args__ = (
        CheckConstraint("kind IN ('given','surname')", name="kind"),
        Index("ix_match_token_kind_token", "kind", "token"),
        Index("ix_match_token_country_kind_token", "country", "kind", "token"),
    )

    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    token: Mapped[str] = mapped_column(String(TOKEN_LENGTH), primary_key=True)
    country: Mapped[str] = mapped_column(String(2), default="", server_default="")


class MatchCandidate(Base):
    """A possible same person: a claim and a sighting, or two claims (the lower id on the left)."""

    __tablename__ = "match_candidate"
    __table_args__ = (
        CheckConstraint("right_type IN ('claim','sighting')", name="right_type"),
        CheckConstraint(
            "(right_type = 'claim' AND right_claim_id IS NOT NULL AND right_sighting_id IS NULL"
            " AND right_claim_id > left_claim_id)"
            " OR (right_type = 'sighting' AND right_sighting_id IS NOT NULL AND right_claim_id IS NULL)",
            name="right_record",
        ),
        CheckConstraint("status IN ('open','confirmed','rejected')", name="status"),
        CheckConstraint("decision IN ('match','possible')", name="decision"),
        # NULLs never collide, so each kind of pair has a unique constraint of its own.
        UniqueConstraint("left_claim_id", "right_claim_id", name="uq_match_candidate_claim_pair"),
        UniqueConstraint("left_claim_id", "right_sighting_id", name="uq_match_candidate_sighting_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    left_claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), index=True)
    right_type: Mapped[str] = mapped_column(String(8))
    right_claim_id: Mapped[int | None] = mapped_column(ForeignKey("claim.id"), index=True)
    right_sighting_id: Mapped[int | None] = mapped_column(ForeignKey("sighting.id"), index=True)
    score: Mapped[float] = mapped_column(Float)
    decision: Mapped[str] = mapped_column(String(10))
    # The engine's reason codes ("given=nickname(lupe)", "sex✓"): codes, translated when shown.
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(Text, default="")

    left_claim: Mapped[Claim] = relationship(foreign_keys=[left_claim_id])
    right_claim: Mapped[Claim | None] = relationship(foreign_keys=[right_claim_id])
    right_sighting: Mapped[Sighting | None] = relationship(foreign_keys=[right_sighting_id])

    @property
    def right_id(self) -> int:
        """The id of the right-hand record, whatever its kind."""
        found = self.right_claim_id if self.right_type == "claim" else self.right_sighting_id
        return int(found or 0)
