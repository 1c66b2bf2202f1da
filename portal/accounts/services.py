"""Account services: registration, creation by staff, login with lockout, session epochs, tokens.

Each one records its audit event itself, so the pages, the API and the command line
leave the same trail (``ip`` is the client's address, or ``audit.services.COMMAND_LINE``).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.accounts import passwords
from portal.accounts.models import COUNTRY_ROLES, ApiToken, Country, Role, User
from portal.audit.services import record as audit
from portal.db import utcnow, valid_id
from portal.errors import NotFound, PortalError, ValidationFailed
from portal.i18n import lazy_gettext as _l

# Every API token starts with this public prefix; the secret is the random part that follows it.
TOKEN_PREFIX = "mpp_"  # noqa: S105


class LoginFailed(PortalError):
    """Wrong email or password, or a locked or inactive account (one message for all)."""

    status = 401
    code = "login_failed"
    default_message = _l(
        "The email or password is not right, or the account is locked. After several failed attempts, wait 15 minutes."
    )


def normalize_email(email: str) -> str:
    """Lower-case and trim an email address for storage and look-up."""
    return (email or "").strip().lower()


def check_password_rules(password: str, field: str = "password") -> None:
    """Raise ValidationFailed on ``field`` when ``password`` is too short or too long."""
    if len(password or "") < passwords.MIN_LENGTH:
        raise ValidationFailed(fields={field: [_l("Use at least %(n)d characters.", n=passwords.MIN_LENGTH)]})
    if len(password) > passwords.MAX_LENGTH:
        raise ValidationFailed(fields={field: [_l("This password is too long.")]})


def get_user_by_email(session: Session, email: str) -> User | None:
    """Return the account with that email, if any."""
    return session.scalar(select(User).where(User.email == normalize_email(email)))


def create_user(
    session: Session,
    *,
    email: str,
    password: str,
    role: str,
    country_code: str | None = None,
    agency: str = "",
    display_name: str = "",
    created_by: User | None = None,
    preferred_locale: str | None = None,
    ip: str = "",
) -> User:
    """Create an account, enforcing who may create which role (DESIGN.md §1); audited as ``account.create``."""
    user = _add_user(
        session,
        email=email,
        password=password,
        role=role,
        country_code=country_code,
        agency=agency,
        display_name=display_name,
        created_by=created_by,
        preferred_locale=preferred_locale,
    )
    audit(session, created_by, "account.create", "user", user.id, ip, role=user.role)
    return user


def _add_user(
    session: Session,
    *,
    email: str,
    password: str,
    role: str,
    country_code: str | None,
    agency: str,
    display_name: str,
    created_by: User | None,
    preferred_locale: str | None,
) -> User:
    email = normalize_email(email)
    errors: dict[str, list[object]] = {}
    if role not in {r.value for r in Role}:
        errors["role"] = [_l("Unknown role.")]
    if "@" not in email or len(email) > 254:
        errors["email"] = [_l("Enter a valid email address.")]
    elif get_user_by_email(session, email) is not None:
        errors["email"] = [_l("An account with this email already exists.")]
    if role in COUNTRY_ROLES and (not country_code or session.get(Country, country_code.upper()) is None):
        errors["country"] = [_l("Police, coordinator and trainer accounts need a member country.")]
    if errors:
        raise ValidationFailed(fields=errors)
    check_password_rules(password)
    _check_creator(created_by, role, country_code)
    user = User(
        email=email,
        password_hash=passwords.hash_password(password),
        role=role,
        country_code=country_code.upper() if country_code else None,
        agency=agency.strip(),
        display_name=display_name.strip(),
        created_by_id=getattr(created_by, "id", None),
        preferred_locale=preferred_locale,
        active=True,
        failed_logins=0,
        session_epoch=0,
    )
    session.add(user)
    session.flush()
    return user


def _check_creator(creator: User | None, role: str, country_code: str | None) -> None:
    """Staff accounts come from an admin, or a coordinator of the same country; None is the CLI."""
    if creator is None or role == Role.FAMILY:
        return
    if creator.role == Role.ADMIN:
        return
    if (
        creator.role == Role.COORDINATOR
        and role in (Role.POLICE, Role.TRAINER)
        and country_code
        and country_code.upper() == creator.country_code
    ):
        return
    raise NotFound()


def register_family(
    session: Session,
    *,
    email: str,
    password: str,
    display_name: str = "",
    preferred_locale: str | None = None,
    ip: str = "",
) -> User:
    """Self-registration, which only ever creates a family account; audited as ``account.register``."""
    user = _add_user(
        session,
        email=email,
        password=password,
        role=Role.FAMILY,
        country_code=None,
        agency="",
        display_name=display_name,
        created_by=None,
        preferred_locale=preferred_locale,
    )
    audit(session, user, "account.register", "user", user.id, ip)
    return user


def authenticate(
    session: Session,
    email: str,
    password: str,
    *,
    max_failures: int = 5,
    lock_minutes: int = 15,
    now: datetime | None = None,
    ip: str = "",
) -> User:
    """Return the user for these credentials or raise LoginFailed; counts failures and locks.

    Audited as ``account.login``, or ``account.login_failed`` with no account named (the caller
    commits the failure too, so that it is kept).
    """
    try:
        user = _check_credentials(session, email, password, max_failures, lock_minutes, now or utcnow())
    except LoginFailed:
        audit(session, None, "account.login_failed", ip=ip)
        session.flush()
        raise
    audit(session, user, "account.login", "user", user.id, ip)
    session.flush()
    return user


def _check_credentials(
    session: Session, email: str, password: str, max_failures: int, lock_minutes: int, now: datetime
) -> User:
    user = get_user_by_email(session, email)
    if user is None:
        passwords.verify_password(passwords.DUMMY_HASH, password or "")
        raise LoginFailed()
    if user.locked_until is not None and user.locked_until > now:
        raise LoginFailed()
    if not passwords.verify_password(user.password_hash, password or "") or not user.active:
        user.failed_logins += 1
        if user.failed_logins >= max_failures:
            user.locked_until = now + timedelta(minutes=lock_minutes)
            user.failed_logins = 0
        session.flush()
        raise LoginFailed()
    user.failed_logins = 0
    user.locked_until = None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


def end_all_sessions(session: Session, user: User) -> None:
    """Invalidate every login cookie of ``user`` (logout, password change, deactivation)."""
    user.session_epoch += 1
    session.flush()


def log_out(session: Session, user: User, *, ip: str = "") -> None:
    """Log out everywhere (every copy of the session cookie dies); audited as ``account.logout``."""
    end_all_sessions(session, user)
    audit(session, user, "account.logout", "user", user.id, ip)
    session.flush()


def change_password(session: Session, user: User, current: str, new: str, *, ip: str = "") -> None:
    """Change the password after checking the current one; ends all other sessions; audited."""
    if not passwords.verify_password(user.password_hash, current or ""):
        raise ValidationFailed(fields={"current_password": [_l("The current password is not right.")]})
    check_password_rules(new, "new_password")  # the account page's field, where the message shows
    user.password_hash = passwords.hash_password(new)
    end_all_sessions(session, user)
    audit(session, user, "account.password", "user", user.id, ip)
    session.flush()


def set_active(session: Session, actor: User, user: User, active: bool, *, ip: str = "") -> None:
    """Activate or deactivate an account; deactivation ends its sessions and revokes tokens; audited."""
    _check_creator(actor, user.role, user.country_code)
    if user.active == active:
        return
    user.active = active
    if not active:
        end_all_sessions(session, user)
        for token in session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        ):
            token.revoked_at = utcnow()
    audit(session, actor, "account.activate" if active else "account.deactivate", "user", user.id, ip)
    session.flush()


def load_user_from_cookie_id(session: Session, cookie_id: str) -> User | None:
    """Resolve a Flask-Login id ``"<id>:<epoch>"``; a stale epoch or inactive user gives None."""
    user_id, _, epoch = (cookie_id or "").partition(":")
    if not user_id.isdigit() or not epoch.isdigit():
        return None
    user = session.get(User, int(user_id))
    if user is None or not user.active or user.session_epoch != int(epoch):
        return None
    return user


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: Session, user: User, name: str = "", *, ip: str = "") -> str:
    """Create an API token for ``user`` and return it; only its hash is stored; audited."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name[:80], token_hash=_token_digest(token))
    session.add(row)
    session.flush()
    audit(session, user, "token.create", "user", user.id, ip, token=row.id)
    session.flush()
    return token


def revoke_token(session: Session, user: User, token_id: int, *, ip: str = "") -> ApiToken:
    """Revoke one of ``user``'s own live tokens; anyone else's, or an unknown one, is NotFound. Audited."""
    row = session.get(ApiToken, token_id) if valid_id(token_id) else None
    if row is None or row.user_id != user.id:
        raise NotFound()
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit(session, user, "token.revoke", "user", user.id, ip, token=row.id)
        session.flush()
    return row


def live_tokens(session: Session, user: User) -> list[ApiToken]:
    """The tokens of ``user`` that still work, oldest first."""
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).order_by(ApiToken.id)
        )
    )


def user_for_token(session: Session, token: str) -> User | None:
    """Return the active user owning ``token``, or None."""
    if not token or len(token) > 200:
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_digest(token)))
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    row.last_used_at = utcnow()
    return row.user


def count_users(session: Session) -> int:
    """Number of accounts (used by the demo loader to refuse a non-empty database)."""
    return session.scalar(select(func.count(User.id))) or 0


def staff_accounts(session: Session, actor: User) -> list[User]:
    """Police, coordinator, trainer and admin accounts ``actor`` manages: all for an admin, their
    country's for a coordinator."""
    query = select(User).where(User.role != Role.FAMILY).order_by(User.country_code, User.email)
    if actor.role == Role.COORDINATOR:
        query = query.where(User.country_code == actor.country_code)
    return list(session.scalars(query))
