"""Countries, users and API tokens."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow


class Role(StrEnum):
    """What an account may do (DESIGN.md §1)."""

    FAMILY = "family"
    POLICE = "police"
    COORDINATOR = "coordinator"
    TRAINER = "trainer"
    ADMIN = "admin"
    # An account a trainer made for one training session: it acts only inside that session's
    # practice space (portal.training.binding), never on real cases.
    TRAINEE = "trainee"


# Roles that act for a police force and must belong to one country.
COUNTRY_ROLES = frozenset({Role.POLICE, Role.COORDINATOR, Role.TRAINER, Role.TRAINEE})
# Roles that see police-only data of cases.
POLICE_ROLES = frozenset({Role.POLICE, Role.COORDINATOR, Role.ADMIN})


class Country(Base):
    """A member country; every case, sighting and officer belongs to one."""

    __tablename__ = "country"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    default_locale: Mapped[str] = mapped_column(String(8), default="es")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class User(Base):
    """An account. ``session_epoch`` is part of the login cookie: bumping it logs out every copy."""

    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint("role IN ('family','police','coordinator','trainer','admin','trainee')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    country_code: Mapped[str | None] = mapped_column(ForeignKey("country.code"), index=True)
    agency: Mapped[str] = mapped_column(String(120), default="")
    preferred_locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # None until a self-registered family follows the link e-mailed to them; staff accounts are
    # verified when they are created.
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the account and its coordinators were last told of repeated failed logins (one notice an hour).
    lockout_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    # Police: new match candidates at once ("instant") or in one e-mail a day ("daily"); a level-2
    # candidate is always sent at once.
    notify_candidates: Mapped[str] = mapped_column(String(8), default="daily")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    country: Mapped[Country | None] = relationship(lazy="joined")

    # Flask-Login protocol, written out so that the epoch is part of the id.
    @property
    def is_authenticated(self) -> bool:
        """Always true for an account (the public is security.AnonymousUser)."""
        return True

    @property
    def is_active(self) -> bool:
        """False for a deactivated account, which Flask-Login then refuses to log in."""
        return self.active

    @property
    def is_anonymous(self) -> bool:
        """Never anonymous: this is an account."""
        return False

    def get_id(self) -> str:
        """Cookie id: ``"<id>:<epoch>"``, so an old cookie stops working when the epoch moves."""
        return f"{self.id}:{self.session_epoch}"

    @property
    def is_police(self) -> bool:
        """True for roles that see police-only case data."""
        return self.role in POLICE_ROLES


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored, the token is shown once."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="joined")

    def state(self, now: datetime) -> str:
        """``"live"``, ``"revoked"`` or ``"expired"`` at ``now``."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= now else "live"


class LoginThrottle(Base):
    """Failed logins of one account from one client address, and until when that address must wait.

    Kept per address so that an attacker who fails from one place never locks the officer out of
    another; in the database so that every web worker sees the same counts.
    """

    __tablename__ = "login_throttle"
    __table_args__ = (UniqueConstraint("user_id", "address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    address: Mapped[str] = mapped_column(String(45))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
