"""POST /api/v1/sightings (anyone, rate limited) and GET /api/v1/sightings/{id} (police only)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.app import create_app
from portal.audit.models import AuditEvent
from portal.sightings.models import Sighting
from tests.builders import make_claim

PUBLIC_KEYS = {"id", "reference", "event_date", "country", "place", "venue", "companion"}
REPORT_KEYS = PUBLIC_KEYS | {"witness_url"}  # the answer to the report adds the witness's private link


def sighting_data(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "event_date": "2026-03-02",
        "country": "PE",
        "place": "Terminal de Juliaca",
        "name_heard": "Rosi",
        "sex": "F",
        "age_min": 14,
        "age_max": 17,
        "height_cm": 150,
        "marks": "lunar en la mejilla",
        "description": "Subió a un bus hacia Puerto Maldonado con un hombre mayor.",
        "venue": "bus_terminal",
        "companion": "unrelated_adult",
        "reporter_contact": "+51 900000000",
    }
    data.update(overrides)
    return data


def _events(session, action):  # type: ignore[no-untyped-def]
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_anyone_reports_a_sighting_and_gets_no_contact_back(client, session):
    response = client.post("/api/v1/sightings", json=sighting_data())
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert set(body) == REPORT_KEYS and body["venue"] == "bus_terminal" and body["event_date"] == "2026-03-02"
    assert re.fullmatch(r"AV-[A-Z2-9]{4}-[A-Z2-9]{4}", body["reference"])
    assert "/sightings/w/" in body["witness_url"]
    assert response.headers["Location"] == f"/api/v1/sightings/{body['id']}"
    row = session.get(Sighting, body["id"])
    assert row.reporter_contact == "+51 900000000" and row.reporter_id is None and not row.verified
    assert [(e.actor_role, e.target_id) for e in _events(session, "sighting.create")] == [("public", str(row.id))]


def test_a_familys_sighting_is_tied_to_the_account_but_answers_public_fields(client, session, token_for):
    family, headers = token_for("family")
    response = client.post("/api/v1/sightings", json=sighting_data(), headers=headers)
    assert set(response.get_json()) == REPORT_KEYS
    assert session.get(Sighting, response.get_json()["id"]).reporter_id == family.id


def test_police_read_a_sighting_in_full_and_the_view_is_audited(client, session, token_for):
    sighting_id = client.post("/api/v1/sightings", json=sighting_data()).get_json()["id"]
    officer, headers = token_for("police", "PE")  # the country where it was seen
    response = client.get(f"/api/v1/sightings/{sighting_id}", headers=headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["reporter_contact"] == "+51 900000000" and body["name_heard"] == "Rosi" and body["photos"] == []
    assert [(e.actor_id, e.target_id) for e in _events(session, "sighting.view")] == [(officer.id, str(sighting_id))]


def test_everyone_else_gets_404_for_a_sighting(client, token_for):
    sighting_id = client.post("/api/v1/sightings", json=sighting_data()).get_json()["id"]
    _family, family = token_for("family")
    _trainer, trainer = token_for("trainer", "PE")
    _uninvolved, chile = token_for("police", "CL")  # a witness's contact is not the whole network's
    for headers in (family, trainer, chile):
        assert client.get(f"/api/v1/sightings/{sighting_id}", headers=headers).status_code == 404
    # Without a token, any id: the document says that this operation needs one.
    assert client.get(f"/api/v1/sightings/{sighting_id}").status_code == 401
    _officer, police = token_for("police", "PE")
    assert client.get("/api/v1/sightings/99999", headers=police).status_code == 404


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"event_date": (date.today() + timedelta(days=2)).isoformat()}, "event_date"),
        ({"event_date": None}, "event_date"),
        ({"country": "AR"}, "country"),
        ({"country": None}, "country"),
        ({"venue": "casino"}, "venue"),
        ({"companion": "dog"}, "companion"),
        ({"age_min": 18, "age_max": 12}, "age_max"),
        ({"height_cm": 400}, "height_cm"),
        ({"sex": "female"}, "sex"),
        ({"claim_reference": "BO-2026-999999"}, "claim_reference"),
    ],
)
def test_bad_fields_are_422(client, session, overrides, field):
    response = client.post("/api/v1/sightings", json=sighting_data(**overrides))
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert session.scalar(select(Sighting)) is None


def test_a_sighting_must_say_something_about_the_person(client):
    response = client.post("/api/v1/sightings", json={"event_date": "2026-03-02", "country": "PE"})
    assert response.status_code == 422 and "description" in response.get_json()["error"]["fields"]


def test_i_saw_this_person_keeps_the_claim_for_a_published_claim_only(client, session):
    published = make_claim(session, status="active", publication="published")
    draft = make_claim(session)
    session.commit()
    ok = client.post("/api/v1/sightings", json=sighting_data(claim_reference=published.reference.lower()))
    assert ok.status_code == 201
    assert session.get(Sighting, ok.get_json()["id"]).claim_id == published.id
    hidden = client.post("/api/v1/sightings", json=sighting_data(claim_reference=draft.reference))
    assert hidden.status_code == 422  # a draft answers exactly like an unknown reference


def test_reports_are_rate_limited_per_address(database_url, tmp_path):
    limited = create_app(
        "test", DATABASE_URL=database_url, PHOTO_DIR=str(tmp_path), RATELIMIT_ENABLED=True, SIGHTING_RATE_LIMIT="2/hour"
    )
    try:
        client = limited.test_client()
        statuses = [client.post("/api/v1/sightings", json={"event_date": "x"}).status_code for _ in range(3)]
        assert statuses == [422, 422, 429]
        response = client.post("/api/v1/sightings", json={"event_date": "x"})
        assert response.status_code == 429 and response.get_json()["error"]["code"] == "rate_limited"
        assert set(response.get_json()["error"]) == {"code", "message", "fields"}
        # The public page shares the same budget.
        page = client.get("/sightings/new").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        assert client.post("/sightings/new", data={"csrf_token": token}).status_code == 429
    finally:
        limited.extensions["portal.engine"].dispose()
