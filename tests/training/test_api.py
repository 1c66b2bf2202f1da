"""The training API of spec/training.md, as a ministry's tool or an outside suite uses it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.cases.inputs import parse_claim
from portal.cases.models import Claim
from portal.casework import claim_filed, claim_validated, note_added
from portal.training import spaces
from portal.training.models import EXERCISES
from tests.builders import MEMBERS, api_claim_data, claim_data, make_claim, make_user

SESSION = {
    "title": "Uso del portal: formación de formadores",
    "country": "BO",
    "district": "La Paz",
    "place": "Academia Nacional de Policías",
    "starts_on": "2026-12-10",
    "language": "es",
    "capacity": 20,
    "parent_session_id": None,
}


def _post(client, path, headers, body=None):
    return client.post(path, json=body or {}, headers=headers)


@pytest.fixture
def trainer(token_for):
    return token_for("trainer", "BO")


@pytest.fixture
def planned(client, trainer):
    _user, headers = trainer
    response = _post(client, "/api/v1/training/sessions", headers, SESSION)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _enrol(client, headers, session_id, email, kind="police", name="Invented Trainee"):
    body = {"email": email, "name": name, "kind": kind, "agency": "FELCC"}
    return _post(client, f"/api/v1/training/sessions/{session_id}/trainees", headers, body)


def test_a_trainer_creates_a_level_one_session_that_is_planned(client, planned, trainer):
    user, headers = trainer
    assert planned["level"] == 1 and planned["status"] == "planned" and planned["trainer_id"] == user.id
    assert planned["trainees"] == [] and planned["country"] == "BO" and planned["language"] == "es"
    again = client.get(f"/api/v1/training/sessions/{planned['id']}", headers=headers)
    assert again.status_code == 200 and again.get_json()["title"] == SESSION["title"]


def test_bad_session_fields_are_named_and_nothing_is_made(client, trainer):
    _user, headers = trainer
    body = {**SESSION, "starts_on": "mañana", "capacity": 0, "language": "xx", "title": ""}
    response = _post(client, "/api/v1/training/sessions", headers, body)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) >= {"starts_on", "capacity", "language", "title"}


def test_only_trainers_and_admins_create_sessions_and_only_in_their_country(client, token_for):
    _police, police = token_for("police", "BO")
    assert _post(client, "/api/v1/training/sessions", police, SESSION).status_code == 404
    _trainer, peru = token_for("trainer", "PE")
    response = _post(client, "/api/v1/training/sessions", peru, SESSION)
    assert response.status_code == 422 and "country" in response.get_json()["error"]["fields"]


def test_new_trainees_get_a_token_an_officer_none_and_the_practice_space_opens(client, session, planned, trainer):
    _user, headers = trainer
    officer = make_user(session, "police", "BO", email="oficial.existente@example.org")
    session.commit()

    first = _enrol(client, headers, planned["id"], "aprendiz.uno@example.org")
    existing = _enrol(client, headers, planned["id"], "oficial.existente@example.org")

    assert first.status_code == 201 and first.get_json()["token"].startswith("mpp_")
    assert existing.status_code == 201 and existing.get_json() == {"trainee_id": officer.id, "token": None}
    state = client.get(f"/api/v1/training/sessions/{planned['id']}", headers=headers).get_json()
    assert state["status"] == "open"
    assert [t["exercises"] for t in state["trainees"]] == [dict.fromkeys(EXERCISES, False)] * 2
    again = _enrol(client, headers, planned["id"], "oficial.existente@example.org")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_enrolled"


def test_a_trainee_token_works_only_in_the_practice_space(app, client, session, planned, trainer):
    _user, headers = trainer
    real = make_claim(
        session, given_names="Realina", first_surname="Verdadera", status="active", publication="published"
    )
    session.commit()
    token = _enrol(client, headers, planned["id"], "aprendiz.dos@example.org").get_json()["token"]
    trainee = {"Authorization": f"Bearer {token}"}

    listing = client.get("/api/v1/claims", headers=trainee)
    assert listing.status_code == 200 and listing.get_json()["practice"] is True
    assert listing.headers["X-Practice"] == "true"
    assert "Realina" not in listing.get_data(as_text=True)
    # Ids restart in a practice space: the real claim's id names a practice claim there, or none.
    assert "Realina" not in client.get(f"/api/v1/claims/{real.id}", headers=trainee).get_data(as_text=True)

    filed = client.post("/api/v1/claims", json=api_claim_data(given_names="Practicanta"), headers=trainee)
    assert filed.status_code == 201 and filed.get_json()["practice"] is True
    session.expire_all()
    assert session.scalar(select(Claim.id).where(Claim.given_names == "Practicanta")) is None
    with spaces.factory(app, planned["id"])() as practice:
        assert practice.scalar(select(Claim.id).where(Claim.given_names == "Practicanta")) is not None
    # The real world's callers see nothing of it.
    assert "Practicanta" not in client.get("/api/v1/claims?q=Practicanta").get_data(as_text=True)


def test_certification_follows_what_the_trainee_really_did(app, client, session, planned, trainer):
    _user, headers = trainer
    trainee_id = _enrol(client, headers, planned["id"], "aprendiz.tres@example.org").get_json()["trainee_id"]
    path = f"/api/v1/training/sessions/{planned['id']}/trainees/{trainee_id}/certify"

    refused = _post(client, path, headers)
    assert refused.status_code == 409
    assert refused.get_json()["error"]["fields"]["exercises"] == list(EXERCISES)

    with spaces.factory(app, planned["id"])() as practice:  # what the trainee's pages would have done
        me = spaces.mirror(practice, session.get(type(_user), trainee_id), "BO")
        claim = claim_filed(
            practice,
            me,
            parse_claim(claim_data(), today=date(2026, 12, 6), member_countries=MEMBERS, require_reporter=False),
        )
        claim_validated(practice, me, claim, police_case_number="P-1", publication="published")
        note_added(practice, me, claim, text="Se llamó a la familia.", visibility="police")
        practice.commit()
    partly = _post(client, path, headers).get_json()["error"]["fields"]["exercises"]
    assert partly == ["search", "review_match", "handle_flag"]


def test_attendance_close_and_the_space_is_gone(app, client, session, planned, trainer):
    _user, headers = trainer
    trainee_id = _enrol(client, headers, planned["id"], "aprendiz.cuatro@example.org").get_json()["trainee_id"]
    token_of = _enrol(client, headers, planned["id"], "aprendiz.cinco@example.org").get_json()["token"]
    base = f"/api/v1/training/sessions/{planned['id']}"

    marked = _post(client, f"{base}/attendance", headers, {"trainee_id": trainee_id, "present": True})
    assert marked.status_code == 200 and marked.get_json()["trainees"][0]["present"] is True
    assert _post(client, f"{base}/attendance", headers, {"trainee_id": trainee_id, "present": "sí"}).status_code == 422
    assert spaces.exists(app, planned["id"])

    closed = _post(client, f"{base}/close", headers)

    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    assert not spaces.exists(app, planned["id"])
    assert not spaces.photo_dir(app.config, planned["id"]).exists()
    locked_out = client.get("/api/v1/claims", headers={"Authorization": f"Bearer {token_of}"})
    assert locked_out.status_code == 403 and locked_out.get_json()["error"]["code"] == "practice_closed"


def test_who_reads_a_session(client, token_for, planned):
    _c, coordinator = token_for("coordinator", "BO")
    _p, other_coordinator = token_for("coordinator", "PE")
    _t, other_trainer = token_for("trainer", "BO")
    path = f"/api/v1/training/sessions/{planned['id']}"
    assert client.get(path, headers=coordinator).status_code == 200
    assert client.get(path, headers=other_coordinator).status_code == 404
    assert client.get(path, headers=other_trainer).status_code == 404
    assert client.get(path).status_code == 401


def test_a_certified_trainee_made_trainer_runs_the_next_level_and_the_cascade_counts_both(
    app, client, session, planned, trainer, token_for
):
    from portal.training.models import Enrolment

    _user, headers = trainer
    officer, officer_headers = token_for("police", "BO")
    _enrol(client, headers, planned["id"], officer.email)
    _enrol(client, headers, planned["id"], "sociedad.civil@example.org", kind="civil_society")
    enrolment = session.scalar(select(Enrolment).where(Enrolment.user_id == officer.id))
    enrolment.exercises = dict.fromkeys(EXERCISES, True)  # as kept when a session closes
    session.commit()
    base = f"/api/v1/training/sessions/{planned['id']}"
    assert _post(client, f"{base}/trainees/{officer.id}/certify", headers).status_code == 200
    officer.role = "trainer"  # the coordinator's staff page does this (tests/accounts/test_staff.py)
    session.commit()

    child = _post(
        client,
        "/api/v1/training/sessions",
        officer_headers,
        {**SESSION, "district": "Cayo", "parent_session_id": planned["id"]},
    )
    assert child.status_code == 201 and child.get_json()["level"] == 2
    _enrol(client, officer_headers, child.get_json()["id"], "distrito.uno@example.org")

    report = client.get("/api/v1/training/cascade?country=BO", headers=headers).get_json()
    assert [(lv["level"], lv["sessions"], lv["trained"], lv["certified"]) for lv in report["levels"]] == [
        (1, 1, 2, 1),
        (2, 1, 1, 0),
    ]
    assert report["levels"][0]["police"] == 1 and report["levels"][0]["civil_society"] == 1
    (root,) = report["sessions"]
    assert root["id"] == planned["id"] and [c["district"] for c in root["children"]] == ["Cayo"]
    stranger = token_for("police", "BO")[1]
    assert client.get("/api/v1/training/cascade?country=BO", headers=stranger).status_code == 404


def test_db_upgrade_migrates_the_open_practice_spaces_too(app, client, planned, trainer):
    from click.testing import CliRunner

    from portal.cli import main
    from portal.commands import AppLoader

    _user, headers = trainer
    _enrol(client, headers, planned["id"], "aprendiz.seis@example.org")

    result = CliRunner().invoke(main, ["db", "upgrade"], obj=AppLoader(lambda: app))

    assert result.exit_code == 0 and "1 practice spaces" in result.output
