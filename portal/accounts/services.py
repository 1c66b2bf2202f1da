"""Account services: creation, registration, session epochs, passwords, API tokens.

Each one records its audit event itself, so the pages, the API and the command line
leave the same trail (``ip`` is the client's address, or ``audit.services.COMMAND_LINE``).
Logging in is in ``logins``; e-mailed links in ``recovery``; staff management in ``staff``.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.accounts import links, passwords, rules
from portal.accounts.addresses import checked_email, lookup_email
from portal.accounts.models import COUNTRY_ROLES, ApiToken, Country, Role, User
from portal.audit.services import record as audit
from portal.db import utcnow, valid_id
from portal.errors import NotFound, ValidationFailed
from portal.i18n import is_supported
from portal.i18n import lazy_gettext as _l
from portal.notify.models import OutboxMessage
from portal.notify.outbox import enqueue_for_user

# Every API token starts with this public prefix; the secret is the random part that follows it.
TOKEN_PREFIX = "mpp_"  # noqa: S105
TOKEN_DAYS = (30, 90, 365)
DEFAULT_TOKEN_DAYS = 90
VERIFY_LINK_AGE = timedelta(hours=48)
ALREADY_REGISTERED_EVERY = timedelta(hours=1)


def check_password_rules(password: str, field: str = "password", *, again: str | None = None) -> None:
    """Raise ValidationFailed on ``field`` when ``password`` is too short or too long, or on
    ``password2`` when the repeated password ``again`` (if given) differs."""
    if again is not None and again != password:
        raise ValidationFailed(fields={"password2": [_l("The two passwords differ.")]})
    if len(password or "") < passwords.MIN_LENGTH:
        raise ValidationFailed(fields={field: [_l("Use at least %(n)d characters.", n=passwords.MIN_LENGTH)]})
    if len(password) > passwords.MAX_LENGTH:
        raise ValidationFailed(fields={field: [_l("This password is too long.")]})


def get_user_by_email(session: Session, email: str) -> User | None:
    """Return the account with that email, if any."""
    return session.scalar(select(User).where(User.email == lookup_email(email)))


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
    """Create a verified account (staff, the command line, the demo), enforcing who may create which
    role (rules.py); audited as ``account.create``."""
    email = _checked_new_account(session, email, password, role, country_code)
    if get_user_by_email(session, email) is not None:
        raise ValidationFailed(fields={"email": [_l("An account with this email already exists.")]})
    rules.check_may_create(created_by, role, country_code)
    user = _add_user(session, email, password, role, country_code, created_by, preferred_locale)
    user.agency, user.display_name = agency.strip(), display_name.strip()
    user.email_verified_at = utcnow()  # the creator vouches for the address
    audit(session, created_by, "account.create", "user", user.id, ip, role=user.role)
    session.flush()
    return user


def _checked_new_account(
    session: Session, email: str, password: str, role: str, country_code: str | None, again: str | None = None
) -> str:
    """The normalised address; ValidationFailed with every field's problem at once."""
    errors: dict[str, list[object]] = {}
    if role not in {r.value for r in Role}:
        errors["role"] = [_l("Unknown role.")]
    if role in COUNTRY_ROLES and (not country_code or session.get(Country, country_code.upper()) is None):
        errors["country"] = [_l("Police, coordinator and trainer accounts need a member country.")]
    try:
        email = checked_email(email)
    except ValidationFailed as error:
        errors.update(error.fields)
    try:
        check_password_rules(password, again=again)
    except ValidationFailed as error:
        errors.update(error.fields)
    if errors:
        raise ValidationFailed(fields=errors)
    return email


def _add_user(
    session: Session,
    email: str,
    password: str,
    role: str,
    country_code: str | None,
    created_by: User | None,
    preferred_locale: str | None,
) -> User:
    user = User(
        email=email,
        password_hash=passwords.hash_password(password),
        role=role,
        country_code=country_code.upper() if country_code else None,
        agency="",
        display_name="",
        created_by_id=getattr(created_by, "id", None),
        preferred_locale=preferred_locale,
        active=True,
        session_epoch=0,
    )
    session.add(user)
    session.flush()
    return user


def register_family(
    session: Session,
    *,
    email: str,
    password: str,
    password_again: str | None = None,
    display_name: str = "",
    preferred_locale: str | None = None,
    ip: str = "",
) -> None:
    """Self-registration of a family account, usable once its address is verified; audited as
    ``account.register``.

    An address that already has an account gets an e-mail instead of a second account, and the
    caller sees the same thing either way: registration never tells who has an account here.
    """
    email = _checked_new_account(session, email, password, Role.FAMILY, None, password_again)
    owner = get_user_by_email(session, email)
    if owner is not None:
        passwords.hash_password(password)  # the same work as a new account, so the timing says nothing
        if owner.email_verified_at is None:
            send_verification(session, owner)
        elif not _mailed_since(session, owner, "accounts/already_registered", utcnow() - ALREADY_REGISTERED_EVERY):
            # One notice an hour: registering someone else's address again and again must not flood it.
            enqueue_for_user(session, owner, "accounts/already_registered")
        audit(session, None, "account.register_existing", "user", owner.id, ip)
        session.flush()
        return
    user = _add_user(session, email, password, Role.FAMILY, None, None, preferred_locale)
    user.display_name = display_name.strip()
    send_verification(session, user)
    audit(session, user, "account.register", "user", user.id, ip)
    session.flush()


def _mailed_since(session: Session, user: User, template: str, since: datetime) -> bool:
    query = select(OutboxMessage.id).where(
        OutboxMessage.user_id == user.id, OutboxMessage.template == template, OutboxMessage.created_at > since
    )
    return session.scalar(query.limit(1)) is not None


def verification_token(user: User, *, now: datetime | None = None) -> str:
    """The signed token of the link that verifies ``user``'s address (it dies if the address changes)."""
    return links.make("verify", {"u": user.id, "e": links.fingerprint(user.email)}, now=now)


def send_verification(session: Session, user: User) -> None:
    """E-mail ``user`` a link that verifies their address."""
    enqueue_for_user(session, user, "accounts/verify", {"token": verification_token(user)})


def end_all_sessions(session: Session, user: User) -> None:
    """Invalidate every login cookie of ``user`` (logout, password change, deactivation)."""
    user.session_epoch += 1
    session.flush()


def end_access(session: Session, user: User, actor: User | None, *, ip: str = "") -> None:
    """End every session and revoke every API token of ``user`` (deactivation, a new role or country)."""
    end_all_sessions(session, user)
    revoke_all_tokens(session, user, actor, ip=ip)


def log_out(session: Session, user: User, *, ip: str = "") -> None:
    """Log out everywhere (every copy of the session cookie dies); audited as ``account.logout``."""
    end_all_sessions(session, user)
    audit(session, user, "account.logout", "user", user.id, ip)
    session.flush()


def change_password(
    session: Session, user: User, current: str, new: str, *, revoke_tokens: bool = False, ip: str = ""
) -> None:
    """Change the password after checking the current one; ends all other sessions, and revokes
    the API tokens when asked; audited."""
    if not passwords.verify_password(user.password_hash, current or ""):
        raise ValidationFailed(fields={"current_password": [_l("The current password is not right.")]})
    check_password_rules(new, "new_password")  # the account page's field, where the message shows
    user.password_hash = passwords.hash_password(new)
    end_all_sessions(session, user)
    audit(session, user, "account.password", "user", user.id, ip)
    if revoke_tokens:
        revoke_all_tokens(session, user, user, ip=ip)
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


def create_token(session: Session, user: User, name: str = "", *, days: int = DEFAULT_TOKEN_DAYS, ip: str = "") -> str:
    """Create an API token for ``user`` that works for ``days`` days and return it; only its hash
    is stored; audited."""
    if days not in TOKEN_DAYS:
        raise ValidationFailed(fields={"days": [_l("Choose 30, 90 or 365 days.")]})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id, name=name[:80], token_hash=_token_digest(token), expires_at=utcnow() + timedelta(days=days)
    )
    session.add(row)
    session.flush()
    audit(session, user, "token.create", "user", user.id, ip, token=row.id, days=days)
    session.flush()
    return token


def revoke_token(session: Session, user: User | None, token_id: int, *, ip: str = "") -> ApiToken:
    """Revoke one of ``user``'s own tokens (any token for None, the server's operator); anyone
    else's, or an unknown one, is NotFound. Audited."""
    row = session.get(ApiToken, token_id) if valid_id(token_id) else None
    if row is None or (user is not None and row.user_id != user.id):
        raise NotFound()
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit(session, user, "token.revoke", "user", row.user_id, ip, token=row.id)
        session.flush()
    return row


def revoke_all_tokens(session: Session, user: User, actor: User | None, *, ip: str = "") -> int:
    """Revoke every token of ``user`` that still works; returns how many; audited when there were some."""
    rows = list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))))
    now = utcnow()
    for row in rows:
        row.revoked_at = now
    if rows:
        audit(session, actor, "token.revoke_all", "user", user.id, ip, tokens=[row.id for row in rows])
        session.flush()
    return len(rows)


def live_tokens(session: Session, user: User) -> list[ApiToken]:
    """The tokens of ``user`` that still work, oldest first."""
    query = select(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None), ApiToken.expires_at > utcnow()
    )
    return list(session.scalars(query.order_by(ApiToken.id)))


def all_tokens(session: Session, user: User, *, ip: str = "") -> list[ApiToken]:
    """Every token of ``user``, live, revoked or expired, oldest first; audited as ``token.list``."""
    audit(session, None, "token.list", "user", user.id, ip)
    session.flush()
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def user_for_token(session: Session, token: str) -> User | None:
    """Return the active user owning ``token`` while it is neither revoked nor expired, or None."""
    if not token or len(token) > 200:
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_digest(token)))
    now = utcnow()
    if row is None or row.state(now) != "live" or not row.user.active:
        return None
    row.last_used_at = now
    return row.user


def count_users(session: Session) -> int:
    """Number of accounts (used by the demo loader to refuse a non-empty database)."""
    return session.scalar(select(func.count(User.id))) or 0


# How often an officer hears of new match candidates (a level-2 claim's are always sent at once).
CANDIDATE_NOTICES = ("instant", "daily")


def set_preferences(session: Session, user: User, locale: str, candidate_notices: str = "") -> None:
    """Save the account's language, and an officer's choice of e-mails for new candidates; unknown
    values are ignored (the form offers only the valid ones)."""
    if is_supported(locale):
        user.preferred_locale = locale
    if candidate_notices in CANDIDATE_NOTICES and user.is_police:
        user.notify_candidates = candidate_notices
    session.flush()
