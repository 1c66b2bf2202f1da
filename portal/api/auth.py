"""Bearer-token authentication of the API: a token is a user, no header is the public.

Cookies are ignored here on purpose: the API is exempt from CSRF, so a
logged-in browser session must never lend its rights to an API request.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, request

from portal.access import routes
from portal.accounts.models import User
from portal.accounts.services import user_for_token
from portal.db import get_session, practice_bound, real_session
from portal.errors import Unauthorized
from portal.i18n import lazy_gettext as _l
from portal.security import AnonymousUser


def token_from_header(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer TOKEN`` header; None without a header.

    Raises Unauthorized when a header is present but is not a bearer token.
    """
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized(_l("Send the API token as: Authorization: Bearer TOKEN."))
    return token


def authenticate() -> None:
    """Set ``g.api_user`` for this request; an unknown, revoked or inactive token answers 401."""
    token = token_from_header(request.headers.get("Authorization"))
    if token is None:
        g.api_user = AnonymousUser()
    else:
        user = user_for_token(real_session(), token)
        if user is None:
            raise Unauthorized(_l("This API token is not valid or has been revoked."))
        # In a practice space the caller is that space's copy of the account (portal.training.binding).
        g.api_user = get_session().get(User, user.id) if practice_bound() else user
    routes.enforce(g.api_user, api=True)


def current_api_user() -> Any:
    """The caller of this API request: a User, or the anonymous public."""
    return g.get("api_user") or AnonymousUser()


def _challenge(response: Response) -> Response:
    if response.status_code == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="api"')
    return response


def init_blueprint(bp: Blueprint) -> None:
    """Authenticate every request of ``bp`` and add the bearer challenge to its 401 answers."""
    bp.before_request(authenticate)
    bp.after_request(_challenge)
