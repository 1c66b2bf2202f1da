"""The training API (spec/training.md): sessions, enrolment, attendance, certification, the cascade.

It works on the portal's own database, never in a practice space: it manages the real records of
the training. A trainer token acts for the trainer; coordinators read their country's sessions.
Bodies and the cascade's query are checked against the schemas the OpenAPI document publishes
(inputs.py), as the rest of API v1 is: a field the document does not know is refused, not ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from portal import practice
from portal.accounts.addresses import checked_email
from portal.accounts.models import User
from portal.accounts.services import create_token
from portal.api import validation
from portal.api.auth import current_api_user, init_blueprint
from portal.api.inputs import CASCADE_PARAMETERS, input_components
from portal.api.views import json_object
from portal.cases.services import member_countries
from portal.db import get_session
from portal.errors import Unauthorized, ValidationFailed
from portal.i18n import lazy_gettext as _l
from portal.training import cascade as tree
from portal.training import progress, services
from portal.training.models import TrainingSession

bp = Blueprint("training_api", __name__, url_prefix="/api/v1/training")
init_blueprint(bp)


def _caller() -> User:
    user = current_api_user()
    if not user.is_authenticated:
        raise Unauthorized()
    found: User = user
    return found


def session_json(training: TrainingSession) -> dict[str, Any]:
    """A session as spec/training.md names it, with its trainees and their exercises."""
    people = services.enrolments(get_session(), training)
    done = progress.exercises_of(current_app._get_current_object(), training, people)  # type: ignore[attr-defined]
    return {
        "id": training.id,
        "title": training.title,
        "country": training.country_code,
        "district": training.district,
        "place": training.place,
        "starts_on": training.starts_on.isoformat(),
        "language": training.language,
        "capacity": training.capacity,
        "parent_session_id": training.parent_id,
        "trainer_id": training.trainer_id,
        "level": training.level,
        "status": training.status,
        "trainees": [
            {
                "trainee_id": e.user_id,
                "name": e.name,
                "kind": e.kind,
                "agency": e.agency,
                "present": e.present,
                "exercises": done[e.user_id],
                "certified": e.certified_at is not None,
            }
            for e in people
        ],
    }


def _own(session_id: int) -> TrainingSession:
    return services.get_session_for(get_session(), _caller(), session_id)


def _whole(data: dict[str, Any], *names: str) -> dict[str, Any]:
    """``data`` with each of ``names`` sent as a whole float (``20.0``) as an int: JSON Schema counts it
    as an integer, as the document promises, and the services read ints."""
    floats = {name: data[name] for name in names if isinstance(data.get(name), float)}
    return {**data, **{name: int(value) for name, value in floats.items() if value.is_integer()}}


def _checked(data: dict[str, Any], name: str, parse: Callable[[], object] = lambda: None) -> None:
    """422 naming every field of ``data`` that the document's schema ``name`` refuses, unknown ones too,
    before anything is read or changed; ``parse`` adds the service's words where it has some."""
    components = input_components([c.code for c in member_countries(get_session())], date.today())
    validation.check(validation.body_errors(data, name, components), parse)


@bp.post("/sessions")
def create_session() -> ResponseReturnValue:
    """A trainer plans a session; 201 with it."""
    user, session, data = _caller(), get_session(), _whole(json_object(), "capacity", "parent_session_id")
    _checked(data, "TrainingSessionInput", lambda: services.parse_session(data))
    training = services.create_session(session, user, services.parse_session(data), ip=g.client_ip)
    session.commit()
    response = jsonify(session_json(training))
    response.status_code = 201
    response.headers["Location"] = url_for("training_api.get_session", session_id=training.id)
    return response


@bp.get("/sessions/<int:session_id>", endpoint="get_session")
def get_training_session(session_id: int) -> ResponseReturnValue:
    """A session with its trainees, attendance and exercises."""
    return jsonify(session_json(_own(session_id)))


@bp.post("/sessions/<int:session_id>/trainees")
def enrol(session_id: int) -> ResponseReturnValue:
    """Enrol an officer, or make a trainee account (201 with its API token, shown once)."""
    user, session, data = _caller(), get_session(), json_object()
    _checked(data, "TrainingEnrolmentInput", lambda: checked_email(str(data.get("email") or "")))
    training = _own(session_id)
    enrolment, new = services.enrol(
        session,
        user,
        training,
        email=str(data.get("email") or ""),
        name=str(data.get("name") or ""),
        kind=str(data.get("kind") or ""),
        agency=str(data.get("agency") or ""),
        ip=g.client_ip,
    )
    # The practice space opens with its first trainee, so that their token works at once.
    practice.open_space(current_app._get_current_object(), session, training)  # type: ignore[attr-defined]
    token = None
    if new:
        token = create_token(
            session, enrolment.user, f"training {training.id}", days=services.TRAINEE_TOKEN_DAYS, ip=g.client_ip
        )
    session.commit()
    response = jsonify({"trainee_id": enrolment.user_id, "token": token})
    response.status_code = 201
    return response


@bp.post("/sessions/<int:session_id>/attendance")
def attendance(session_id: int) -> ResponseReturnValue:
    """Record a trainee's attendance."""
    user, session, data = _caller(), get_session(), _whole(json_object(), "trainee_id")
    _checked(data, "TrainingAttendanceInput")
    training = _own(session_id)
    services.set_attendance(session, user, training, data.get("trainee_id"), data.get("present"), ip=g.client_ip)
    session.commit()
    return jsonify(session_json(training))


@bp.post("/sessions/<int:session_id>/trainees/<int:trainee_id>/certify")
def certify(session_id: int, trainee_id: int) -> ResponseReturnValue:
    """Certify a trainee who did every exercise; 409 with the missing ones otherwise."""
    user, session = _caller(), get_session()
    training = _own(session_id)
    progress.certify(current_app._get_current_object(), session, user, training, trainee_id, ip=g.client_ip)  # type: ignore[attr-defined]
    session.commit()
    return jsonify(session_json(training))


@bp.post("/sessions/<int:session_id>/close")
def close(session_id: int) -> ResponseReturnValue:
    """Close a session: what each trainee did is kept, its practice space is deleted."""
    user, session = _caller(), get_session()
    training = _own(session_id)
    progress.close(current_app._get_current_object(), session, user, training, ip=g.client_ip)  # type: ignore[attr-defined]
    session.commit()
    return jsonify(session_json(training))


@bp.get("/cascade")
def cascade() -> Response:
    """A country's cascade tree and its figures per level."""
    user = _caller()
    errors = validation.query_errors(request.args, CASCADE_PARAMETERS)
    if "country" not in request.args:
        errors["country"] = [_l("This field is required.")]
    if errors:
        raise ValidationFailed(fields=errors)
    return jsonify(tree.cascade(get_session(), user, request.args["country"]))
