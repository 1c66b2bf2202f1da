"""Photo rows; the files live under PORTAL_PHOTO_DIR, named by content hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow


class Photo(Base):
    """One stored photo of a claim or a sighting (never both)."""

    __tablename__ = "photo"
    __table_args__ = (CheckConstraint("(claim_id IS NULL) <> (sighting_id IS NULL)", name="one_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the rebuilt image bytes; also the file name.
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claim.id"), index=True)
    sighting_id: Mapped[int | None] = mapped_column(ForeignKey("sighting.id"), index=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    thumb_width: Mapped[int] = mapped_column(Integer)
    thumb_height: Mapped[int] = mapped_column(Integer)
    byte_size: Mapped[int] = mapped_column(Integer)
    # 64-bit dHash for near-duplicate photos (matching), stored signed: PostgreSQL has no unsigned type.
    perceptual_hash: Mapped[int | None] = mapped_column(BigInteger, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
