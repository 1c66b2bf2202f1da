"""Signed links e-mailed to an account: verify the address, reset the password, unlock the login.

A link is a payload signed with the application's secret and a salt per purpose, so a link made
for one purpose is worthless for another. The time it was made is inside the signed payload,
which lets callers (and tests) say what time it is instead of sleeping.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from portal.db import utcnow
from portal.errors import PortalError
from portal.i18n import lazy_gettext as _l


class LinkExpired(PortalError):
    """A genuine link, but too old."""

    status = 410
    code = "link_expired"
    default_message = _l("This link has expired. Please ask for a new one.")


class LinkNotValid(PortalError):
    """A link that was already used, altered, or whose account can no longer use it."""

    status = 400
    code = "link_not_valid"
    default_message = _l("This link has already been used or is no longer valid. Please ask for a new one.")


def _serializer(purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"portal.accounts.{purpose}")


def fingerprint(value: str) -> str:
    """A short digest of ``value`` (a password hash) for a payload: it changes when the value does."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


def make(purpose: str, payload: dict[str, Any], *, now: datetime | None = None) -> str:
    """A URL-safe signed token for ``purpose`` carrying ``payload`` and the time it was made."""
    return str(_serializer(purpose).dumps({**payload, "t": int((now or utcnow()).timestamp())}))


def read(purpose: str, token: str, max_age: timedelta, *, now: datetime | None = None) -> dict[str, Any]:
    """The payload of ``token``; LinkNotValid when it was not signed for ``purpose``, LinkExpired when too old."""
    try:
        payload = _serializer(purpose).loads(token or "")
    except BadSignature:
        raise LinkNotValid() from None
    if not isinstance(payload, dict) or not isinstance(payload.get("t"), int):
        raise LinkNotValid()
    if (now or utcnow()).timestamp() - payload["t"] > max_age.total_seconds():
        raise LinkExpired()
    return payload
