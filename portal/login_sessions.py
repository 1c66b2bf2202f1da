"""How long a login lasts: idle and absolute timeouts, and re-authentication before sensitive actions.

The session cookie is signed, so the times it carries cannot be forged: when the person logged in
(``_login_at``), when they were last seen (``_seen_at``) and when they last typed their password
(``_reauth_at``, a login counts). Officers' sessions end after 30 minutes without activity and 12
hours after the login whatever they do; families' and trainees' after 2 hours without activity and
the same 12 hours (docs/decisions.md). A session without these times ends too: it fails closed.
Nobody gets a remember-me cookie. API tokens are not cookie sessions and are not touched here.

Sensitive actions (exports, role changes, deactivation, dismissing a flag, break-glass) ask for the
password again when it was last typed more than ``REAUTH_MAX_AGE`` ago: ``reauth_required`` guards
a whole view, ``require_reauth`` a branch of one. A page that holds such a button asks before it is
shown, so that nothing typed in its form is lost; a POST that arrives stale is refused unchanged.
"""

from __future__ import annotations

import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import Any, ParamSpec, TypeVar
from urllib.parse import urlsplit

from flask import Flask, flash, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import logout_user, user_logged_in, user_logged_out
from werkzeug.wrappers import Response

from portal.accounts.models import Role, User
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.security import safe_next


@dataclass(frozen=True)
class Limits:
    """How long a session may stay unused (``idle``) and how long it may last at all (``absolute``)."""

    idle: timedelta
    absolute: timedelta


OFFICER_ROLES = frozenset({Role.POLICE, Role.COORDINATOR, Role.ADMIN, Role.TRAINER})
OFFICERS = Limits(idle=timedelta(minutes=30), absolute=timedelta(hours=12))
# Families fill long forms with documents and photos to find: a lost half-typed report costs more
# than the hour and a half more of a forgotten shared screen, which closing the browser ends anyway.
OTHERS = Limits(idle=timedelta(hours=2), absolute=timedelta(hours=12))
LIMITS = {"officer": OFFICERS, "other": OTHERS}
# Long enough to fill the short form behind a sensitive button, short enough that a session left
# open does not carry the right to export or re-role.
REAUTH_MAX_AGE = timedelta(minutes=10)
# Last-seen is written at most this often, so that not every request resets the cookie.
SEEN_EVERY = 60

LOGIN_AT, SEEN_AT, REAUTH_AT, KIND = "_login_at", "_seen_at", "_reauth_at", "_limits"


# What a sensitive POST that arrived without a recent password is told.
STALE = _l("For your safety, type your password again before this action. Nothing was changed.")


def now() -> float:
    """Seconds since the epoch; the tests replace this clock to move time."""
    return time.time()


def limits_of(user: User) -> Limits:
    """The timeouts of ``user``'s sessions."""
    return OFFICERS if user.role in OFFICER_ROLES else OTHERS


def stamp(cookie: MutableMapping[str, Any], user: User, at: float) -> None:
    """Write the times of a login at ``at`` into the session ``cookie`` (a login is a re-authentication)."""
    cookie[LOGIN_AT] = cookie[SEEN_AT] = cookie[REAUTH_AT] = int(at)
    cookie[KIND] = "officer" if user.role in OFFICER_ROLES else "other"


def _clear(cookie: MutableMapping[str, Any]) -> None:
    for key in (LOGIN_AT, SEEN_AT, REAUTH_AT, KIND):
        cookie.pop(key, None)


def init_app(app: Flask) -> None:
    """Stamp every login, forget the times at logout, and end stale sessions before any view runs."""
    user_logged_in.connect(_on_login, app)
    user_logged_out.connect(_on_logout, app)
    app.before_request(_enforce_limits)
    app.jinja_env.globals["recently_authenticated"] = recently_authenticated


def _on_login(app: Flask, user: User, **_extra: Any) -> None:
    # No remember-me cookie, ever: Flask-Login writes one only when these are in the session.
    session.pop("_remember", None)
    session.pop("_remember_seconds", None)
    stamp(session, user, now())


def _on_logout(app: Flask, user: Any, **_extra: Any) -> None:
    _clear(session)


def ended(cookie: MutableMapping[str, Any], at: float) -> str | None:
    """Why the session in ``cookie`` is over at ``at`` (a message), or None while it lasts."""
    kind = cookie.get(KIND)
    login_at, seen_at = cookie.get(LOGIN_AT), cookie.get(SEEN_AT)
    if kind not in LIMITS or not isinstance(login_at, int) or not isinstance(seen_at, int):
        return _("Your session has ended. Log in again.")
    limits = LIMITS[kind]
    if at - login_at > limits.absolute.total_seconds():
        hours = int(limits.absolute.total_seconds() // 3600)
        return _("Your session ended %(hours)d hours after you logged in. Log in again.", hours=hours)
    if at - seen_at > limits.idle.total_seconds():
        minutes = int(limits.idle.total_seconds() // 60)
        return _("Your session ended after %(minutes)d minutes without activity. Log in again.", minutes=minutes)
    return None


def _enforce_limits() -> ResponseReturnValue | None:
    """Log out a session past its limits and send the person to the login page; else note the activity."""
    if "_user_id" not in session or request.path.startswith("/api/") or (request.endpoint or "") == "static":
        return None
    at = now()
    reason = ended(session, at)
    if reason is None:
        if at - session[SEEN_AT] >= SEEN_EVERY:
            session[SEEN_AT] = int(at)
        return None
    logout_user()
    flash(reason, "info")
    if request.method == "GET":
        back = request.full_path.rstrip("?")
    else:
        flash(_("What you sent was not saved: log in and send it again."), "error")
        back = _referrer_path()
    return redirect(url_for("accounts.login", next=back), 303)


def _referrer_path() -> str:
    """The page on this site that sent the request (where a form's button was), or the home page."""
    parts = urlsplit(request.referrer or "")
    if parts.netloc != request.host:
        return "/"
    return safe_next(parts.path + (f"?{parts.query}" if parts.query else ""))


def recently_authenticated(max_age: timedelta = REAUTH_MAX_AGE) -> bool:
    """True when the password was typed (login or confirmation) within ``max_age``."""
    reauth_at = session.get(REAUTH_AT)
    return isinstance(reauth_at, int) and now() - reauth_at <= max_age.total_seconds()


def mark_reauthenticated() -> None:
    """Note that the password was just typed again (the confirmation page calls this)."""
    session[REAUTH_AT] = int(now())


def require_reauth(max_age: timedelta = REAUTH_MAX_AGE) -> Response | None:
    """None when the password is recent enough; else where to go to type it: a GET comes back to
    itself afterwards, a POST is refused (STALE flashed) and comes back to the page of its form."""
    if recently_authenticated(max_age):
        return None
    if request.method == "GET":
        back = request.full_path.rstrip("?")
    else:
        flash(str(STALE), "error")
        back = _referrer_path()
    return redirect(url_for("accounts.confirm", next=back), 303)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def reauth_required(
    max_age: timedelta = REAUTH_MAX_AGE,
) -> Callable[[Callable[_P, _R]], Callable[_P, _R | Response]]:
    """Guard a view: it runs only when the password was typed within ``max_age`` (see require_reauth).
    Put it below ``login_required``, so that the public is sent to log in first."""

    def decorate(view: Callable[_P, _R]) -> Callable[_P, _R | Response]:
        @wraps(view)
        def guarded(*args: _P.args, **kwargs: _P.kwargs) -> _R | Response:
            return require_reauth(max_age) or view(*args, **kwargs)

        return guarded

    return decorate
