"""Following the links e-mailed to an account: verify the address, reset the password, unlock the login.

A reset link carries a fingerprint of the password hash it was made for: once the password
changes (by this link or otherwise) every older reset link stops working, so each is single use.
A link of a deactivated account never works. Asking for a reset answers the same whether or not
the address has an account; the e-mail goes only to an active account.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from portal.accounts import links, logins, passwords, services
from portal.accounts.addresses import checked_email
from portal.accounts.models import User
from portal.audit.services import record as audit
from portal.db import utcnow, valid_id
from portal.notify.outbox import enqueue_for_user

RESET_LINK_AGE = timedelta(hours=1)


def _account_of(session: Session, payload: dict[str, object]) -> User:
    """The active account a link names; LinkNotValid for anything else."""
    user_id = payload.get("u")
    user = session.get(User, user_id) if isinstance(user_id, int) and valid_id(user_id) else None
    if user is None or not user.active:
        raise links.LinkNotValid()
    return user


def verify_email(session: Session, token: str, *, now: datetime | None = None, ip: str = "") -> User:
    """Mark the address of the link's account verified (following it again changes nothing); audited."""
    payload = links.read("verify", token, services.VERIFY_LINK_AGE, now=now)
    user = _account_of(session, payload)
    if payload.get("e") != links.fingerprint(user.email):
        raise links.LinkNotValid()
    if user.email_verified_at is None:
        user.email_verified_at = now or utcnow()
        audit(session, user, "account.verify", "user", user.id, ip)
        session.flush()
    return user


def reset_token(user: User, *, now: datetime | None = None) -> str:
    """The signed token of a link that sets a new password for ``user``, until the password changes."""
    return links.make("reset", {"u": user.id, "p": links.fingerprint(user.password_hash)}, now=now)


def request_reset(session: Session, email: str, *, ip: str = "") -> None:
    """E-mail a reset link to the account at ``email`` if there is an active one; ValidationFailed
    when ``email`` is no address. Audited as ``account.reset_request``, with no account named."""
    user = services.get_user_by_email(session, checked_email(email))
    if user is not None and user.active:
        enqueue_for_user(session, user, "accounts/reset", {"token": reset_token(user)})
    audit(session, None, "account.reset_request", ip=ip)
    session.flush()


def account_for_reset(session: Session, token: str, *, now: datetime | None = None) -> User:
    """The account a reset link may set a password for; LinkExpired or LinkNotValid otherwise."""
    payload = links.read("reset", token, RESET_LINK_AGE, now=now)
    user = _account_of(session, payload)
    if payload.get("p") != links.fingerprint(user.password_hash):
        raise links.LinkNotValid()
    return user


def reset_password(
    session: Session, token: str, new: str, *, again: str | None = None, now: datetime | None = None, ip: str = ""
) -> User:
    """Set a new password through a reset link: ends every session, revokes every API token, clears
    the login throttles, and verifies the address (the link reached it); audited."""
    user = account_for_reset(session, token, now=now)
    services.check_password_rules(new, again=again)
    user.password_hash = passwords.hash_password(new)
    user.email_verified_at = user.email_verified_at or now or utcnow()
    services.end_access(session, user, user, ip=ip)
    logins.clear_throttles(session, user)
    audit(session, user, "account.password_reset", "user", user.id, ip)
    session.flush()
    return user


def unlock(session: Session, token: str, *, now: datetime | None = None, ip: str = "") -> User:
    """Clear every login throttle of the link's account; audited as ``account.unlock``."""
    user = _account_of(session, links.read("unlock", token, logins.UNLOCK_LINK_AGE, now=now))
    cleared = logins.clear_throttles(session, user)
    audit(session, user, "account.unlock", "user", user.id, ip, addresses=cleared)
    session.flush()
    return user
