"""Which requests work in a practice space, and binding them to it (docs/decisions.md, 36).

A trainee account always works in its session's practice space; an officer or trainer enrolled in
a session (or running it) enters the space on purpose and leaves it on purpose. A bound request
runs the same pages, API and engines as any other, on the practice space's database: the
binding is made once, here, before the view, so no query can forget it. Account pages, the
training pages and their API stay on the portal's own database: they are where trainers and
trainees manage the real records of the training itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request
from flask import session as cookie
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.accounts.services import load_user_from_cookie_id, user_for_token
from portal.db import bind_practice, get_session, practice_bound, real_session, valid_id
from portal.errors import PortalError
from portal.i18n import lazy_gettext as _l
from portal.training import spaces
from portal.training.models import Enrolment, SessionStatus, TrainingSession

# Blueprints that always work on the portal's own database.
UNBOUND = frozenset({"accounts", "training", "training_api", "notify", "static"})
# The cookie key of the session an officer chose to practise in.
CHOSEN = "practice_session"


class PracticeClosed(PortalError):
    """A trainee whose session has no practice space (not open yet, or closed)."""

    status = 403
    code = "practice_closed"
    default_message = _l(
        "Your training session's practice space is not open. Ask your trainer; your account works only "
        "during the session."
    )


@dataclass(frozen=True)
class Practice:
    """What the pages need to know of the space a request works in (the PRACTICE banner)."""

    session_id: int
    title: str
    trainee: bool  # a trainee account cannot leave the space


def _caller(real: Session) -> User | None:
    """The account making this request: the API's bearer token, or the pages' login cookie."""
    if request.blueprint == "api":
        scheme, _, token = (request.headers.get("Authorization") or "").strip().partition(" ")
        return user_for_token(real, token.strip()) if scheme.lower() == "bearer" else None
    cookie_id = cookie.get("_user_id")
    return load_user_from_cookie_id(real, cookie_id) if isinstance(cookie_id, str) else None


def open_session_of(real: Session, user: User, chosen: object = None) -> TrainingSession | None:
    """The open session whose practice space ``user`` works in: a trainee's own, or the one an officer
    chose and is enrolled in or runs."""
    query = select(TrainingSession).where(TrainingSession.status == SessionStatus.OPEN)
    if user.role == Role.TRAINEE:
        query = query.join(Enrolment, Enrolment.session_id == TrainingSession.id).where(Enrolment.user_id == user.id)
        return real.scalars(query.order_by(TrainingSession.id.desc()).limit(1)).first()
    if not valid_id(chosen):
        return None
    found = real.scalar(query.where(TrainingSession.id == chosen))
    if found is None:
        return None
    enrolled = real.scalar(select(Enrolment.id).where(Enrolment.session_id == found.id, Enrolment.user_id == user.id))
    return found if (found.trainer_id == user.id or enrolled is not None) else None


def bind_request() -> None:
    """Before every request: bind it to the caller's practice space, if the caller works in one."""
    if request.blueprint in UNBOUND or request.endpoint is None:
        return
    real = real_session()
    user = _caller(real)
    if user is None:
        return
    found = open_session_of(real, user, cookie.get(CHOSEN))
    if found is None:
        if user.role == Role.TRAINEE:
            raise PracticeClosed()
        cookie.pop(CHOSEN, None)
        return
    real.commit()  # a token's last use, noted by user_for_token, belongs to the portal's database
    bind_practice(spaces.factory(current_app._get_current_object(), found.id))  # type: ignore[attr-defined]
    practice = get_session()
    spaces.mirror(practice, user, found.country_code)
    practice.commit()
    g.practice_photo_dir = str(spaces.photo_dir(current_app.config, found.id))
    g.practice = Practice(found.id, found.title, user.role == Role.TRAINEE)


def mark_json(response: Response) -> Response:
    """Every API answer of a practice space says so: ``"practice": true`` in a JSON object, and the
    ``X-Practice`` header on every answer (a list cannot carry the key)."""
    if not practice_bound():
        return response
    response.headers["X-Practice"] = "true"
    if response.is_json and request.blueprint == "api":
        body = response.get_json(silent=True)
        if isinstance(body, dict):
            body["practice"] = True
            response.set_data(json.dumps(body, ensure_ascii=False))
    return response


def init_app(app: Flask) -> None:
    """Bind each request before its view runs, and mark what a practice space answers."""
    app.before_request(bind_request)
    app.after_request(mark_json)
