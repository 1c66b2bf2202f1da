"""POST and GET /api/v1/claims/{id}: filing, field sets by access level, rights and audit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.cases.models import Claim
from portal.casework import note_added as add_note
from tests.builders import api_claim_data, make_claim, make_user

PUBLIC_KEYS = {
    "id",
    "reference",
    "status",
    "given_names",
    "first_surname",
    "sex",
    "age_min",
    "age_max",
    "event_date",
    "country",
    "place",
    "description",
    "photos",
}
RESTRICTED = {
    "document_id",
    "birth_date",
    "reporter_name",
    "reporter_relation",
    "reporter_contact",
    "police_case_number",
    "publication",
    "notes",
    "second_surname",
}
POLICE_ONLY = {"publication", "police_case_number", "owner_country", "agency", "version", "validated_at", "updated_at"}


_json_claim = api_claim_data


def _actions(session, action):  # type: ignore[no-untyped-def]
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_a_family_files_a_claim_and_reads_it_back(client, session, token_for):
    user, headers = token_for("family")
    response = client.post("/api/v1/claims", json=_json_claim(), headers=headers)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert response.headers["Location"] == f"/api/v1/claims/{body['id']}"
    assert body["status"] == "draft" and body["reference"].startswith("BO-2026-")
    assert body["document_id"] == "9900123" and body["reporter_contact"] == "+591 70000000"
    assert body["aliases"] == ["Rosi"] and body["circumstances"] == ["job_offer"]
    assert body["birth_date"] == "2010-05-14" and (body["age_min"], body["age_max"]) == (15, 15)
    assert not POLICE_ONLY & body.keys() and "risk" not in body
    claim = session.get(Claim, body["id"])
    assert claim.reporter_id == user.id and claim.height_cm == 152
    assert [e.actor_id for e in _actions(session, "claim.create")] == [user.id]
    assert client.get(response.headers["Location"], headers=headers).get_json() == body


def test_a_family_must_say_who_reports(client, token_for):
    _user, headers = token_for("family")
    data = _json_claim()
    for name in ("reporter_name", "reporter_relation", "reporter_contact"):
        data.pop(name)
    response = client.post("/api/v1/claims", json=data, headers=headers)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed"
    assert {"reporter_name", "reporter_relation", "reporter_contact"} <= error["fields"].keys()


@pytest.mark.parametrize("role", ["police", "coordinator", "admin"])
def test_staff_file_without_reporter_fields(client, token_for, role):
    _user, headers = token_for(role, "BO")
    data = {"given_names": "Ana", "event_date": "2026-03-01", "country": "BO", "place": "Sucre"}
    response = client.post("/api/v1/claims", json=data, headers=headers)
    assert response.status_code == 201
    assert response.get_json()["police_case_number"] == ""  # the police see their own fields


def test_filing_needs_a_token_of_a_filing_role(client, token_for):
    response = client.post("/api/v1/claims", json=_json_claim())
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["error"]["code"] == "unauthorized"
    _trainer, headers = token_for("trainer", "BO")
    response = client.post("/api/v1/claims", json=_json_claim(), headers=headers)
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"


def test_every_bad_field_is_reported_at_once(client, token_for):
    _user, headers = token_for("police", "BO")
    bad = {
        "given_names": "",
        "first_surname": "",
        "event_date": "2999-01-01",
        "country": "AR",
        "place": "",
        "sex": "X",
        "height_cm": "tall",
        "circumstances": ["kidnapped_by_aliens"],
        "age_min": 30,
        "age_max": 20,
        "aliases": {"a": 1},
    }
    response = client.post("/api/v1/claims", json=bad, headers=headers)
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert {
        "given_names",
        "event_date",
        "country",
        "place",
        "sex",
        "height_cm",
        "circumstances",
        "age_max",
        "aliases",
    } <= fields.keys()
    assert all(isinstance(m, list) and all(isinstance(x, str) for x in m) for m in fields.values())


def test_the_public_reads_only_public_fields_of_a_published_claim(client, session):
    claim = make_claim(session, status="active", publication="published")
    session.commit()
    body = client.get(f"/api/v1/claims/{claim.id}").get_json()
    assert set(body) == PUBLIC_KEYS
    assert body["given_names"] == "Rosa Elvira" and body["age_min"] == 15 and body["photos"] == []
    # Public reads of public data leave no audit trail; restricted reads do (below).
    assert _actions(session, "claim.view") == []


def test_the_public_and_other_families_get_404_for_a_draft(client, session, token_for):
    claim = make_claim(session)
    session.commit()
    assert client.get(f"/api/v1/claims/{claim.id}").status_code == 404
    _other, headers = token_for("family")
    response = client.get(f"/api/v1/claims/{claim.id}", headers=headers)
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/claims/999999").status_code == 404


def test_the_reporting_family_sees_its_claim_but_not_police_notes(client, session, token_for):
    family, headers = token_for("family")
    officer = make_user(session, "police", "BO")
    claim = make_claim(session, family)
    add_note(session, officer, claim, text="Informant named a recruiter.", visibility="police")
    add_note(session, officer, claim, text="We are searching.", visibility="family")
    session.commit()
    body = client.get(f"/api/v1/claims/{claim.id}", headers=headers).get_json()
    assert body["document_id"] == "9900123" and body["reporter_name"].startswith("Juana")
    assert not POLICE_ONLY & body.keys() and "risk" not in body
    texts = [n["text"] for n in body["notes"]]
    assert "We are searching." in texts and "Informant named a recruiter." not in texts
    assert all("author_id" not in n for n in body["notes"])
    assert [e.details["level"] for e in _actions(session, "claim.view")] == ["family"]


def test_police_of_the_country_see_everything_of_a_draft_and_it_is_audited(client, session, token_for):
    officer, headers = token_for("police", "BO")
    claim = make_claim(session)
    add_note(session, officer, claim, text="Informant named a recruiter.", visibility="police")
    session.commit()
    body = client.get(f"/api/v1/claims/{claim.id}", headers=headers).get_json()
    assert body.keys() >= (PUBLIC_KEYS | RESTRICTED | POLICE_ONLY) and body["risk"]["level"] in (0, 1, 2)
    assert "Informant named a recruiter." in [n["text"] for n in body["notes"]]
    events = _actions(session, "claim.view")
    assert [(e.actor_id, e.target_id, e.details["level"]) for e in events] == [(officer.id, str(claim.id), "police")]


def test_police_of_another_country_get_404_for_a_draft_and_identification_of_an_active_case(client, session, token_for):
    _officer, headers = token_for("police", "PE")
    draft = make_claim(session)
    active = make_claim(session, status="active", second_surname="Apaza")
    session.commit()
    assert client.get(f"/api/v1/claims/{draft.id}", headers=headers).status_code == 404
    body = client.get(f"/api/v1/claims/{active.id}", headers=headers).get_json()
    # Identification is network-wide (every name, marks); the rest stays with Bolivia (issue 14).
    assert body["second_surname"] == "Apaza" and "distinguishing_marks" in body
    assert not ((RESTRICTED - {"second_surname", "notes"}) | POLICE_ONLY) & body.keys()
    assert "risk" not in body and "htcds" not in body


def test_photos_are_listed_for_the_public_only_when_they_may_be_shown(app, client, session):
    storage = pytest.importorskip("portal.photos.storage")
    from tests.sightings.test_views import jpeg_bytes as _jpeg

    PhotoStore, save_photo = storage.PhotoStore, storage.save_photo

    store = PhotoStore(app.config["PHOTO_DIR"])
    adult = make_claim(session, status="active", publication="published", birth_date="1990")
    minor = make_claim(session, status="active", publication="published")
    for claim in (adult, minor):
        save_photo(session, store, _jpeg(), claim_id=claim.id)
    session.commit()
    photos = client.get(f"/api/v1/claims/{adult.id}").get_json()["photos"]
    assert len(photos) == 1 and client.get(photos[0]["thumb_url"]).status_code == 200
    assert client.get(f"/api/v1/claims/{minor.id}").get_json()["photos"] == []
    minor_row = session.get(Claim, minor.id)
    minor_row.guardian_consent_at = datetime.now(UTC)
    session.commit()
    assert len(client.get(f"/api/v1/claims/{minor.id}").get_json()["photos"]) == 1


@pytest.mark.parametrize("header", ["Bearer mpp_not-a-real-token", "Basic dXNlcjpwYXNz", "Bearer", "token"])
def test_a_bad_authorization_header_is_401_not_public(client, session, header):
    claim = make_claim(session, status="active", publication="published")
    session.commit()
    response = client.get(f"/api/v1/claims/{claim.id}", headers={"Authorization": header})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_or_deactivated_account_is_401(client, session, token_for):
    from portal.accounts.models import ApiToken

    user, headers = token_for("police", "BO")
    assert client.get("/api/v1/claims", headers=headers).status_code == 200
    token = session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    token.revoked_at = datetime.now(UTC)
    session.commit()
    assert client.get("/api/v1/claims", headers=headers).status_code == 401
    other, other_headers = token_for("police", "BO")
    session.get(type(other), other.id).active = False
    session.commit()
    assert client.get("/api/v1/claims", headers=other_headers).status_code == 401


def test_a_browser_login_gives_no_rights_to_the_api(client, session, login_as):
    login_as("police", "BO")
    claim = make_claim(session)
    session.commit()
    assert client.get(f"/api/v1/claims/{claim.id}").status_code == 404
