"""Login sessions with per-user epochs, safe redirects and security headers."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import ParamSpec, TypeVar
from urllib.parse import urlsplit

import flask_login
from flask import Flask, Response, current_app, request

from portal.accounts.models import User
from portal.db import get_session, practice_bound, real_session
from portal.extensions import login_manager
from portal.i18n import lazy_gettext as _l


class AnonymousUser:
    """The public: no account, no role."""

    is_authenticated = False
    is_active = False
    is_anonymous = True
    is_police = False
    role = None
    id = None
    country_code = None
    preferred_locale = None

    def get_id(self) -> None:
        """The public has no id to keep in a session cookie."""
        return None


CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    """Wire Flask-Login and the response headers."""
    login_manager.anonymous_user = AnonymousUser
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)
    _host_only_cookie(app)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if current_app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.endpoint and not request.endpoint.startswith("static"):
            # Pages may hold personal data: never store them in shared caches.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


# A cookie named __Host-... is taken by browsers only when Secure, on Path=/ and without Domain, so
# that no subdomain nor plain-HTTP page can plant or overwrite it.
HOST_COOKIE = "__Host-portal_session"


def _host_only_cookie(app: Flask) -> None:
    """Name a Secure session cookie ``HOST_COOKIE``; plain HTTP (development on 127.0.0.1) keeps Flask's name."""
    if app.config.get("SESSION_COOKIE_SECURE"):
        app.config.update(SESSION_COOKIE_NAME=HOST_COOKIE, SESSION_COOKIE_PATH="/", SESSION_COOKIE_DOMAIN=None)


def _load_user(cookie_id: str) -> User | None:
    """The account of a session cookie, or None when it is stale (Flask-Login's user loader)."""
    from portal.accounts.services import load_user_from_cookie_id

    # The cookie is checked against the portal's own accounts; in a practice space the user is then
    # that space's copy of the account (portal.training.spaces.mirror), the police of its country.
    user = load_user_from_cookie_id(real_session(), cookie_id)
    if user is not None and practice_bound():
        return get_session().get(User, user.id)
    return user


_P = ParamSpec("_P")
_R = TypeVar("_R")


def login_required(view: Callable[_P, _R]) -> Callable[_P, _R]:
    """Flask-Login's ``login_required``: the public is sent to the login page first."""
    # Flask-Login ships no types; naming the result keeps the view's own signature for mypy.
    guarded: Callable[_P, _R] = flask_login.login_required(view)
    return guarded


def safe_next(target: str | None, default: str = "/") -> str:
    """Return ``target`` only if it is a path on this site, else ``default``."""
    if not target or not isinstance(target, str) or "\\" in target or any(ord(c) < 32 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or target.startswith("//"):
        return default
    return target


_QUERY = re.compile(r"\?[^\s\"]*")


class DropQueryStrings(logging.Filter):
    """Remove query strings from request log lines: a search for a name must not land in a log."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace the query strings in ``record`` and keep it."""
        if isinstance(record.args, tuple):
            record.args = tuple(_QUERY.sub("?…", a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = _QUERY.sub("?…", record.msg) if "%" not in record.msg else record.msg
        return True


def quiet_request_logs() -> None:
    """Install the filter on the development server's request logger."""
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, DropQueryStrings) for f in logger.filters):
        logger.addFilter(DropQueryStrings())
