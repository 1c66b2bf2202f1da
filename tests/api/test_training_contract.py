"""The training API keeps API v1's contract (spec/training.md): its seven operations are in the OpenAPI
document, its bodies are checked against the schemas published there (an unknown field is refused by
name, not ignored), and its real answers match the document."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from sqlalchemy import func, select

from portal import practice
from portal.accounts.models import User
from portal.training.models import EXERCISES, Enrolment, TrainingSession
from tests.api.test_openapi import CHECKS
from tests.builders import make_user
from tests.training.test_api import SESSION

ENROLMENT = {"email": "aprendiz.contrato@example.org", "name": "Invented Trainee", "kind": "police", "agency": "FELCC"}
SESSIONS = "/api/v1/training/sessions"

OPERATIONS = {
    ("/training/sessions", "post"): "createTrainingSession",
    ("/training/sessions/{session_id}", "get"): "getTrainingSession",
    ("/training/sessions/{session_id}/trainees", "post"): "enrolTrainee",
    ("/training/sessions/{session_id}/attendance", "post"): "recordTrainingAttendance",
    ("/training/sessions/{session_id}/trainees/{trainee_id}/certify", "post"): "certifyTrainee",
    ("/training/sessions/{session_id}/close", "post"): "closeTrainingSession",
    ("/training/cascade", "get"): "getTrainingCascade",
}


@pytest.fixture(autouse=True)
def no_practice_space(monkeypatch):  # type: ignore[no-untyped-def]
    """The contract never reads inside a practice space, and making one (a schema or a database file,
    migrated and filled) cost 1.5 s a test; the sessions open without one (tests/training has them)."""
    monkeypatch.setattr(practice, "_make_space", lambda *args, **kwargs: None)


@pytest.fixture
def trainer(token_for):  # type: ignore[no-untyped-def]
    return token_for("trainer", "BO")


@pytest.fixture
def planned(client, trainer):  # type: ignore[no-untyped-def]
    """A session of the trainer's, with one new trainee enrolled (so its practice space is open)."""
    _user, headers = trainer
    created = client.post(SESSIONS, json=SESSION, headers=headers)
    assert created.status_code == 201, created.get_json()
    session_id = created.get_json()["id"]
    enrolled = client.post(f"{SESSIONS}/{session_id}/trainees", json=ENROLMENT, headers=headers)
    assert enrolled.status_code == 201, enrolled.get_json()
    return {"id": session_id, "trainee_id": enrolled.get_json()["trainee_id"]}


def _fields(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 422, (response.status_code, response.get_json())
    return response.get_json()["error"]["fields"]


def _count(session, model) -> int:  # type: ignore[no-untyped-def]
    session.expire_all()
    return int(session.scalar(select(func.count()).select_from(model)))


def test_the_document_lists_the_seven_training_operations(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    for (path, method), operation_id in OPERATIONS.items():
        operation = doc["paths"][path][method]
        assert operation["operationId"] == operation_id
        assert operation["security"] == [{"bearerAuth": []}], path
        assert {"401", "404"} <= set(operation["responses"]), path
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
        assert names == {part[1:-1] for part in path.split("/") if part.startswith("{")}
    bodies = {path: doc["paths"][path]["post"].get("requestBody") for path, method in OPERATIONS if method == "post"}
    assert bodies["/training/sessions/{session_id}/close"] is None  # close and certify take no body
    assert bodies["/training/sessions/{session_id}/trainees/{trainee_id}/certify"] is None
    for path, name in [
        ("/training/sessions", "TrainingSessionInput"),
        ("/training/sessions/{session_id}/trainees", "TrainingEnrolmentInput"),
        ("/training/sessions/{session_id}/attendance", "TrainingAttendanceInput"),
    ]:
        assert bodies[path]["content"]["application/json"]["schema"] == {"$ref": f"#/components/schemas/{name}"}
        assert doc["components"]["schemas"][name]["additionalProperties"] is False
        assert {"400", "413", "415", "422"} <= set(doc["paths"][path]["post"]["responses"])
    certify = doc["paths"]["/training/sessions/{session_id}/trainees/{trainee_id}/certify"]["post"]["responses"]
    assert "exercises" in certify["409"]["description"]
    (country,) = doc["paths"]["/training/cascade"]["get"]["parameters"]
    assert country["name"] == "country" and country["in"] == "query" and country["required"] is True


def test_an_unknown_session_field_is_refused_by_name_in_the_callers_language(client, session, trainer):
    _user, headers = trainer
    before = _count(session, TrainingSession)
    response = client.post(SESSIONS, json={**SESSION, "budget": 900}, headers={**headers, "Accept-Language": "es"})
    assert _fields(response) == {"budget": ["Este campo no forma parte de la API."]}
    assert _count(session, TrainingSession) == before


def test_an_unknown_enrolment_field_is_refused_and_nobody_is_enrolled(client, session, trainer, planned):
    _user, headers = trainer
    accounts, enrolments = _count(session, User), _count(session, Enrolment)
    body = {**ENROLMENT, "email": "aprendiz.nueva@example.org", "phone": "+591 70000000"}
    response = client.post(f"{SESSIONS}/{planned['id']}/trainees", json=body, headers=headers)
    assert set(_fields(response)) == {"phone"}
    assert (_count(session, User), _count(session, Enrolment)) == (accounts, enrolments)


def test_an_unknown_attendance_field_is_refused_and_nothing_is_marked(client, session, trainer, planned):
    _user, headers = trainer
    body = {"trainee_id": planned["trainee_id"], "present": True, "late": True}
    response = client.post(f"{SESSIONS}/{planned['id']}/attendance", json=body, headers=headers)
    assert set(_fields(response)) == {"late"}
    session.expire_all()
    assert session.scalar(select(Enrolment.present).where(Enrolment.user_id == planned["trainee_id"])) is None


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"capacity": "20"}, {"capacity"}),  # the document says integer: form-style text is refused
        ({"capacity": 501}, {"capacity"}),
        ({"parent_session_id": "1"}, {"parent_session_id"}),
        ({"starts_on": "10/12/2026", "title": " \t "}, {"starts_on", "title"}),
        ({"country": "bo", "language": "de"}, {"country", "language"}),
        ({"district": 7, "notes": "x", "trainer_id": 1}, {"district", "notes", "trainer_id"}),
    ],
)
def test_what_the_session_schema_refuses_is_named(client, session, trainer, change, named):
    _user, headers = trainer
    before = _count(session, TrainingSession)
    assert set(_fields(client.post(SESSIONS, json={**SESSION, **change}, headers=headers))) == named
    assert _count(session, TrainingSession) == before


def test_a_missing_session_field_is_named_with_the_other_bad_ones(client, trainer):
    _user, headers = trainer
    body = {key: value for key, value in SESSION.items() if key != "title"}
    fields = _fields(
        client.post(SESSIONS, json={**body, "capacity": True}, headers={**headers, "Accept-Language": "en"})
    )
    assert set(fields) == {"title", "capacity"}
    assert fields["title"] == ["Give the session a title (at most 200 characters)."]
    assert fields["capacity"] == ["Enter a number from 1 to 500."]  # where the parser has words, they are its


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({**ENROLMENT, "kind": "volunteer"}, {"kind"}),
        ({**ENROLMENT, "name": ["Invented"], "agency": 12}, {"name", "agency"}),
        ({"email": "not an address", "kind": "police", "extra": 1}, {"email", "extra"}),
        ({"name": "Invented Trainee"}, {"email", "kind"}),
    ],
)
def test_what_the_enrolment_schema_refuses_is_named(client, session, trainer, planned, body, named):
    _user, headers = trainer
    accounts = _count(session, User)
    assert set(_fields(client.post(f"{SESSIONS}/{planned['id']}/trainees", json=body, headers=headers))) == named
    assert _count(session, User) == accounts


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"trainee_id": "7", "present": "sí"}, {"trainee_id", "present"}),
        ({"present": True}, {"trainee_id"}),
        ({"trainee_id": 0, "present": None}, {"trainee_id", "present"}),
    ],
)
def test_what_the_attendance_schema_refuses_is_named(client, trainer, planned, body, named):
    _user, headers = trainer
    assert set(_fields(client.post(f"{SESSIONS}/{planned['id']}/attendance", json=body, headers=headers))) == named


def test_null_optional_fields_and_a_bare_enrolment_are_accepted(client, session, trainer):
    _user, headers = trainer
    body = {**SESSION, "district": None, "place": None, "parent_session_id": None}
    created = client.post(SESSIONS, json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["district"] == "" and created.get_json()["parent_session_id"] is None
    bare = {"email": "aprendiz.sola@example.org", "kind": "civil_society", "name": None, "agency": None}
    enrolled = client.post(f"{SESSIONS}/{created.get_json()['id']}/trainees", json=bare, headers=headers)
    assert enrolled.status_code == 201 and enrolled.get_json()["token"], enrolled.get_json()


def test_a_whole_number_written_as_a_float_is_an_integer_as_json_schema_says(client, trainer, planned):
    # Schemathesis sent capacity 1.0, which the document accepts: the API must too.
    _user, headers = trainer
    created = client.post(
        SESSIONS, json={**SESSION, "capacity": 20.0, "parent_session_id": float(planned["id"])}, headers=headers
    )
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["capacity"] == 20 and created.get_json()["level"] == 2
    body = {"trainee_id": float(planned["trainee_id"]), "present": True}
    marked = client.post(f"{SESSIONS}/{planned['id']}/attendance", json=body, headers=headers)
    assert marked.status_code == 200 and marked.get_json()["trainees"][0]["present"] is True
    assert set(_fields(client.post(SESSIONS, json={**SESSION, "capacity": 20.5}, headers=headers))) == {"capacity"}


def test_a_body_the_schema_accepts_still_answers_what_the_service_says(client, token_for, trainer, planned):
    # Who may act is not in the schema: the service still decides (404, or 422 for another country).
    _police, police = token_for("police", "BO")
    assert client.post(SESSIONS, json=SESSION, headers=police).status_code == 404
    other = {**ENROLMENT, "email": "aprendiz.otra@example.org"}
    assert client.post(f"{SESSIONS}/{planned['id']}/trainees", json=other, headers=police).status_code == 404
    _user, headers = trainer
    assert set(_fields(client.post(SESSIONS, json={**SESSION, "country": "PE"}, headers=headers))) == {"country"}


def test_what_the_sessions_state_refuses_answers_409_after_what_the_input_does(client, trainer):
    # The state of a session is not in the schema: a full session, a second enrolment and a closed
    # session answer 409 with a stable code; a body the schema refuses still answers 422 first.
    _user, headers = trainer
    small = client.post(SESSIONS, json={**SESSION, "capacity": 1}, headers=headers).get_json()
    trainees = f"{SESSIONS}/{small['id']}/trainees"
    assert client.post(trainees, json=ENROLMENT, headers=headers).status_code == 201
    full = client.post(trainees, json={**ENROLMENT, "email": "aprendiz.tarde@example.org"}, headers=headers)
    assert full.status_code == 409 and full.get_json()["error"]["code"] == "session_full"
    assert set(full.get_json()["error"]["fields"]) == {"email"}
    assert set(_fields(client.post(trainees, json={**ENROLMENT, "kind": "other"}, headers=headers))) == {"kind"}
    again = client.post(trainees, json=ENROLMENT, headers=headers)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_enrolled"
    assert client.post(f"{SESSIONS}/{small['id']}/close", headers=headers).status_code == 200
    attendance = {"trainee_id": 1, "present": True}
    closed = client.post(f"{SESSIONS}/{small['id']}/attendance", json=attendance, headers=headers)
    assert closed.status_code == 409 and closed.get_json()["error"]["code"] == "session_closed"


@pytest.mark.parametrize(
    ("query", "named"),
    [("", {"country"}), ("?country=bo", {"country"}), ("?country=BOLIVIA", {"country"})],
)
def test_the_cascade_country_follows_the_document(client, trainer, query, named):
    _user, headers = trainer
    assert set(_fields(client.get(f"/api/v1/training/cascade{query}", headers=headers))) == named
    assert client.get("/api/v1/training/cascade?country=BO", headers=headers).status_code == 200
    assert client.get("/api/v1/training/cascade?country=ZW", headers=headers).status_code == 404


def test_every_training_answer_matches_the_document(app, session, trainer, planned):
    """The real answers of the seven operations (201, 200, 409, 404) against the document's schemas."""
    _user, headers = trainer
    officer = make_user(session, "police", "BO", email="oficial.contrato@example.org")
    session.commit()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    ids = {"session_id": planned["id"]}
    certify = "/training/sessions/{session_id}/trainees/{trainee_id}/certify"

    def call(method, path, status, path_parameters=None, **kwargs):  # type: ignore[no-untyped-def]
        if "body" in kwargs:
            kwargs["media_type"] = "application/json"
        case = schema[path][method].Case(path_parameters=path_parameters or {}, **kwargs)
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        assert response.status_code == status, (method, path, response.text[:300])
        return response.json()

    created = call("POST", "/training/sessions", 201, body=SESSION)
    assert call("GET", "/training/sessions/{session_id}", 200, {"session_id": created["id"]})["trainees"] == []
    enrolled = call(
        "POST", "/training/sessions/{session_id}/trainees", 201, ids, body={**ENROLMENT, "email": officer.email}
    )
    assert enrolled == {"trainee_id": officer.id, "token": None}
    body = {"trainee_id": planned["trainee_id"], "present": False}
    assert (
        call("POST", "/training/sessions/{session_id}/attendance", 200, ids, body=body)["trainees"][0]["present"]
        is False
    )
    missing = call("POST", certify, 409, {**ids, "trainee_id": planned["trainee_id"]})["error"]["fields"]["exercises"]
    assert missing == list(EXERCISES)
    enrolment = session.scalar(select(Enrolment).where(Enrolment.user_id == officer.id))
    enrolment.exercises = dict.fromkeys(EXERCISES, True)  # as kept when a session closes
    session.commit()
    assert call("POST", certify, 200, {**ids, "trainee_id": officer.id})["trainees"][1]["certified"] is True
    assert call("POST", "/training/sessions/{session_id}/close", 200, ids)["status"] == "closed"
    closed = call("POST", "/training/sessions/{session_id}/close", 409, ids)["error"]
    assert closed["code"] == "session_closed" and "status" in closed["fields"]
    cascade = call("GET", "/training/cascade", 200, query={"country": "BO"})
    assert [(level["level"], level["sessions"], level["certified"]) for level in cascade["levels"]] == [(1, 2, 1)]
    call("GET", "/training/sessions/{session_id}", 404, {"session_id": created["id"] + 1000})


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize(("path", "method"), list(OPERATIONS), ids=list(OPERATIONS.values()))
def test_generated_training_requests_of_a_trainer_conform(app, trainer, planned, path, method, mode):
    """With a trainer's token, who reaches every operation: each answer is declared and matches the document."""
    _user, headers = trainer
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)[path][method.upper()]

    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def call(case):  # type: ignore[no-untyped-def]
        case.call_and_validate(headers=headers, checks=CHECKS)

    call()
