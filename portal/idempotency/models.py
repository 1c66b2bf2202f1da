"""The keys of creating requests already answered, kept 24 hours (``services.TTL``).

Neither the key nor the body is stored: the key's SHA-256 digest names the row and the body's
fingerprint tells a repeat from a different request, so that the table says nothing of a person
and a copy of it opens no witness's private link.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow


class IdempotencyKey(Base):
    """One key of one caller, and the record its first request created."""

    __tablename__ = "idempotency_key"
    # The constraint, not a look-up before the insert, is what keeps two racing first requests from
    # creating two records: the second insert waits for the first transaction and then fails.
    __table_args__ = (
        UniqueConstraint("scope", "key_digest"),
        CheckConstraint("kind IN ('claim','sighting')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Whose key it is: "api:user:12", "api:public", "form:user:12" or "form:public".
    scope: Mapped[str] = mapped_column(String(40))
    key_digest: Mapped[str] = mapped_column(String(64))
    # SHA-256 of the canonical body (``services.fingerprint_json`` / ``fingerprint_form``).
    fingerprint: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(10))
    # None only inside the first request's transaction, between reserving the key and creating.
    resource_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
