"""Who may reach each route: the second half of the access policy (issue 14).

Every endpoint of the portal is listed in ``ROUTES`` with its audience. ``enforce`` runs before every
view (``init_app``; the API calls it once the bearer token is read) and turns away whoever is not in
the audience, so a view that forgets its own check still fails closed. A route missing from the table
is refused (404) and logged, and ``tests/access/test_routes.py`` fails for it: a new page cannot ship
without a decision about who may open it.

What a caller then reads of a record (a claim, its photos, a candidate) is decided by the field
table (``portal.access.policy``) inside the view; ``RECORD_ROUTES`` names the routes that do so.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any

from flask import Flask, request
from flask_login import current_user

from portal.accounts.models import POLICE_ROLES, Role
from portal.errors import NotFound, Unauthorized
from portal.extensions import login_manager

log = logging.getLogger(__name__)


class Audience(StrEnum):
    """Who may reach a route at all."""

    ANYONE = "anyone"  # the public
    LINK = "link"  # whoever holds the secret in the address (a signed token, a witness key)
    SIGNED_IN = "signed_in"  # any account; the view decides further (its own records, its role)
    POLICE = "police"  # police, coordinators, administrators (and trainees inside a practice space)
    COORDINATOR = "coordinator"  # coordinators and administrators
    ADMIN = "admin"


A, L, S, P, C, ADMIN = Audience

ROUTES: dict[str, Audience] = {
    "static": A,
    "main.home": A,
    "main.health": A,
    "main.glossary": A,
    "main.moved": A,
    "main.set_language": A,
    # accounts
    "accounts.login": A,
    "accounts.logout": A,
    "accounts.register": A,
    "accounts.forgot_password": A,
    "accounts.check_email": A,
    "accounts.reset_password": L,
    "accounts.verify": L,
    "accounts.unlock": L,
    "accounts.account": S,
    "accounts.confirm": S,
    "accounts.change_password": S,
    "accounts.create_token": S,
    "accounts.revoke_token": S,
    "accounts.set_locale": S,
    "accounts.staff_users": C,
    "accounts.staff_user": C,
    "accounts.staff_user_access": C,
    # claims
    "cases.search": A,
    "cases.public": A,
    "cases.new": S,
    "cases.mine": S,
    "cases.detail": S,
    "cases.edit": S,
    "cases.add_note": S,
    "cases.consent": S,
    "cases.validate": P,
    "cases.publication": P,
    "cases.ask_access": P,
    "access.requests": C,
    "access.decide": C,
    "photos.full": A,
    "photos.thumb": A,
    # sightings, matching, indicators
    "sightings.report": A,
    "sightings.thanks": A,
    "sightings.witness": L,
    "sightings.desk": P,
    "sightings.detail": P,
    "sightings.act": P,
    "review.queue": P,
    "review.compare": P,
    "review.confirm": P,
    "review.reject": P,
    "flags.index": P,
    "flags.fairness": P,
    "flags.decide": P,
    # notifications
    "notify.subscribe": A,
    "notify.confirm": L,
    "notify.confirm_now": L,
    "notify.unsubscribe": L,
    "notify.unsubscribe_now": L,
    "notify.outbox_page": ADMIN,
    "notify.retry": ADMIN,
    # training: trainers, coordinators and trainees; the views check which session is whose
    "training.sign_in": L,
    "training.index": S,
    "training.new": S,
    "training.detail": S,
    "training.edit": S,
    "training.end": S,
    "training.enrol": S,
    "training.sign_in_link": S,
    "training.attendance": S,
    "training.certify": S,
    "training.sheet": S,
    "training.certificate": S,
    "training.enter": S,
    "training.leave": S,
    "training.cascade": S,
    "training.cascade_csv": S,
    # the API: a bearer token is the account; no token is the public
    "api.openapi_document": A,
    "api.search_claims": A,
    "api.get_claim": A,
    "api.report_sighting": A,
    "api.file_claim": S,
    "api.get_sighting": P,
    "api.claim_candidates": P,
    "training_api.create_session": S,
    "training_api.get_session": S,
    "training_api.enrol": S,
    "training_api.attendance": S,
    "training_api.certify": S,
    "training_api.close": S,
    "training_api.cascade": S,
}

# Routes whose view then cuts a record to what the field table allows (portal.access.policy).
RECORD_ROUTES = frozenset(
    {
        "cases.public",
        "cases.detail",
        "cases.edit",
        "cases.add_note",
        "cases.ask_access",
        "photos.full",
        "photos.thumb",
        "api.get_claim",
        "api.search_claims",
        "cases.search",
        "review.compare",
        "api.claim_candidates",
        "sightings.detail",
        "api.get_sighting",
    }
)

_ROLES: dict[Audience, frozenset[str]] = {
    P: POLICE_ROLES,
    C: frozenset({Role.COORDINATOR, Role.ADMIN}),
    ADMIN: frozenset({Role.ADMIN}),
}


def admits(audience: Audience, user: Any) -> bool:
    """Whether ``user`` (possibly anonymous) belongs to ``audience``."""
    if audience in (A, L):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return audience == S or getattr(user, "role", None) in _ROLES[audience]


def enforce(user: Any, *, api: bool = False) -> Any:
    """Turn away a caller outside the route's audience; None lets the view run.

    On pages the public is asked to sign in; on the API it gets 401, as the OpenAPI document says of
    every operation that needs a token (the document names the route: a 404 would hide nothing). A
    signed-in caller outside the audience gets 404: the route does not exist for them."""
    endpoint = request.endpoint
    if endpoint is None:
        return None  # no route matched: the 404 or 405 is already on its way
    audience = ROUTES.get(endpoint)
    if audience is None:
        log.error("route %s has no access policy: refused", endpoint)
        raise NotFound()
    if admits(audience, user):
        return None
    if not getattr(user, "is_authenticated", False):
        if not api:
            return login_manager.unauthorized()
        raise Unauthorized()
    raise NotFound()


def init_app(app: Flask) -> None:
    """Check every page request against the table (the API checks once its token is read)."""

    @app.before_request
    def _route_policy() -> Any:
        if request.blueprint in ("api", "training_api"):
            return None
        return enforce(current_user)
