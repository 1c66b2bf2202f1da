"""Login sessions with per-user epochs, safe redirects and security headers."""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request
from flask_babel import lazy_gettext as _l

from portal.db import get_session
from portal.extensions import login_manager


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

    @login_manager.user_loader
    def _load(cookie_id: str):  # type: ignore[no-untyped-def]
        from portal.accounts.services import load_user_from_cookie_id

        return load_user_from_cookie_id(get_session(), cookie_id)

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
