"""Logging in: the password check, throttling per account and client address, lockout notices.

Failures are counted per account *and* address: an attacker who fails 30 times against an
officer from one address makes that address wait, while the officer still logs in from any
other. After ``FREE_FAILURES`` failures from an address, each further attempt from it must wait
2^(n - FREE_FAILURES) seconds, at most ``MAX_DELAY``; attempts during the wait are refused
unchecked and not counted, so a person who waits is never punished for the attacker's haste.
At ``NOTICE_AT`` failures from one address the account gets an unlock link and its country's
coordinators a notice, at most once an hour.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NoReturn

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.accounts import links, passwords, services
from portal.accounts.models import LoginThrottle, Role, User
from portal.audit.services import record as audit
from portal.db import rowcount, utcnow
from portal.errors import PortalError
from portal.i18n import lazy_gettext as _l
from portal.notify.outbox import enqueue_for_user

FREE_FAILURES = 5
MAX_DELAY = timedelta(minutes=15)
# A count whose last failure is this old starts again from zero: old typos are forgiven.
FORGET_AFTER = timedelta(days=1)
NOTICE_AT = 10
NOTICE_EVERY = timedelta(hours=1)
UNLOCK_LINK_AGE = timedelta(hours=24)


class LoginFailed(PortalError):
    """Wrong email or password, an inactive account, or an address that must wait (one message for all)."""

    status = 401
    code = "login_failed"
    default_message = _l(
        "The email or password is not right, or there were too many attempts from this device. "
        "Wait a few minutes and try again, or reset your password."
    )


class EmailNotVerified(PortalError):
    """The right password, for an account whose address is not verified yet."""

    status = 403
    code = "email_not_verified"
    default_message = _l(
        "Please confirm your email address first: we have sent you a new link. Follow it, then log in."
    )


class ReauthFailed(PortalError):
    """The password typed again before a sensitive action is wrong, or this address must wait."""

    status = 401
    code = "reauth_failed"
    default_message = _l(
        "The password is not right, or there were too many attempts from this device. Wait a few minutes and try again."
    )


def delay_after(failures: int) -> timedelta:
    """How long an address waits after its ``failures``-th failure against one account."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(failures - FREE_FAILURES, 20)), MAX_DELAY)


def authenticate(session: Session, email: str, password: str, *, now: datetime | None = None, ip: str = "") -> User:
    """Return the user for these credentials, or raise LoginFailed (EmailNotVerified for the right
    password of an unverified account).

    Audited as ``account.login``, or ``account.login_failed`` with no account named (the caller
    commits the failure too, so that it is kept).
    """
    now = now or utcnow()
    user = services.get_user_by_email(session, email)
    if user is None or _blocked(session, user, ip, now):
        # The same work as a real check, so the answer's timing tells nothing either.
        passwords.verify_password(passwords.DUMMY_HASH, password or "")
        _refuse(session, ip)
    if not passwords.verify_password(user.password_hash, password or ""):
        _count_failure(session, user, ip, now)
        _refuse(session, ip)
    if not user.active:
        _refuse(session, ip)
    if user.email_verified_at is None:
        services.send_verification(session, user)
        audit(session, user, "account.login_unverified", "user", user.id, ip)
        session.flush()
        raise EmailNotVerified()
    _forget_failures(session, user, ip)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    audit(session, user, "account.login", "user", user.id, ip)
    session.flush()
    return user


def reauthenticate(session: Session, user: User, password: str, *, now: datetime | None = None, ip: str = "") -> None:
    """Check the password of the logged-in ``user`` again before a sensitive action, or raise
    ReauthFailed. Failures count in the same throttle as logins (a stolen session cannot guess the
    password faster than a stranger could). Audited as ``account.reauth`` or ``account.reauth_failed``."""
    now = now or utcnow()
    blocked = _blocked(session, user, ip, now)
    if blocked or not passwords.verify_password(user.password_hash, password or ""):
        if blocked:  # the same work as a real check, so the timing tells nothing
            passwords.verify_password(passwords.DUMMY_HASH, password or "")
        else:
            _count_failure(session, user, ip, now)
        audit(session, user, "account.reauth_failed", "user", user.id, ip, waiting=blocked)
        session.flush()
        raise ReauthFailed()
    _forget_failures(session, user, ip)
    audit(session, user, "account.reauth", "user", user.id, ip)
    session.flush()


def _forget_failures(session: Session, user: User, address: str) -> None:
    session.execute(delete(LoginThrottle).where(LoginThrottle.user_id == user.id, LoginThrottle.address == address))


def _refuse(session: Session, ip: str) -> NoReturn:
    audit(session, None, "account.login_failed", ip=ip)
    session.flush()
    raise LoginFailed()


def _blocked(session: Session, user: User, address: str, now: datetime) -> bool:
    blocked_until = session.scalar(
        select(LoginThrottle.blocked_until).where(LoginThrottle.user_id == user.id, LoginThrottle.address == address)
    )
    return blocked_until is not None and blocked_until > now


def _throttle_row(session: Session, user: User, address: str, now: datetime) -> LoginThrottle:
    """The row of this account and address, made on first failure (a savepoint absorbs a race)."""
    query = select(LoginThrottle).where(LoginThrottle.user_id == user.id, LoginThrottle.address == address)
    row = session.scalar(query)
    if row is None:
        try:
            with session.begin_nested():
                session.add(LoginThrottle(user_id=user.id, address=address, failures=0, last_failure_at=now))
        except IntegrityError:  # another worker made it first
            pass
        row = session.scalars(query).one()
    return row


def _count_failure(session: Session, user: User, address: str, now: datetime) -> None:
    row = _throttle_row(session, user, address, now)
    if row.last_failure_at < now - FORGET_AFTER:
        row.failures = 0
        session.flush()
    # Counted in SQL so that two workers failing at once both count.
    session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.id == row.id)
        .values(failures=LoginThrottle.failures + 1, last_failure_at=now)
        .execution_options(synchronize_session=False)
    )
    session.refresh(row)
    wait = delay_after(row.failures)
    row.blocked_until = now + wait if wait else None
    session.flush()
    if row.failures >= NOTICE_AT:
        _notify_lockout(session, user, address, row.failures, now)


def _notify_lockout(session: Session, user: User, address: str, failures: int, now: datetime) -> None:
    """E-mail the account an unlock link and tell its coordinators, unless done within the hour."""
    claimed = session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.lockout_notified_at.is_(None), User.lockout_notified_at < now - NOTICE_EVERY),
        )
        .values(lockout_notified_at=now)
        .execution_options(synchronize_session=False)
    )
    if rowcount(claimed) != 1:  # another attempt, maybe in another worker, sent it
        return
    details = {"failures": failures, "address": address}
    coordinators = _coordinators_of(session, user)
    unlock = {"token": unlock_token(user, now=now), "coordinators_told": bool(coordinators)}
    enqueue_for_user(session, user, "accounts/unlock", {**unlock, **details})
    for coordinator in coordinators:
        about = {"email": user.email, "name": user.display_name}
        enqueue_for_user(session, coordinator, "accounts/lockout_coordinator", {**about, **details})
    audit(session, None, "account.lockout_notice", "user", user.id, address, coordinators=len(coordinators))
    session.flush()


def _coordinators_of(session: Session, user: User) -> list[User]:
    """The active coordinators of ``user``'s country (none for an account without a country)."""
    if not user.country_code:
        return []
    query = select(User).where(
        User.role == Role.COORDINATOR, User.country_code == user.country_code, User.active.is_(True), User.id != user.id
    )
    return list(session.scalars(query.order_by(User.id)))


def unlock_token(user: User, *, now: datetime | None = None) -> str:
    """The signed token of the link that clears every throttle of ``user``."""
    return links.make("unlock", {"u": user.id}, now=now)


def clear_throttles(session: Session, user: User) -> int:
    """Let every address try ``user``'s password again at once; returns how many were waiting."""
    result = session.execute(
        delete(LoginThrottle).where(LoginThrottle.user_id == user.id).execution_options(synchronize_session=False)
    )
    session.flush()
    return rowcount(result)
