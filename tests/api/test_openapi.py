"""The OpenAPI document: complete, and honest (schemathesis runs it against the app in-process)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.cases.codes import CIRCUMSTANCES, STATUSES
from portal.sightings.codes import COMPANIONS, VENUES
from tests.builders import make_claim

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def test_the_document_describes_every_endpoint_and_code(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"].startswith("3.1") and doc["servers"] == [{"url": "/api/v1"}]
    assert set(doc["paths"]) == {
        "/claims",
        "/claims/{claim_id}",
        "/claims/{claim_id}/candidates",
        "/sightings",
        "/sightings/{sighting_id}",
        "/openapi.json",
        "/training/sessions",
        "/training/sessions/{session_id}",
        "/training/sessions/{session_id}/trainees",
        "/training/sessions/{session_id}/attendance",
        "/training/sessions/{session_id}/trainees/{trainee_id}/certify",
        "/training/sessions/{session_id}/close",
        "/training/cascade",
    }
    assert set(doc["paths"]["/claims"]) == {"get", "post"}
    schemas = doc["components"]["schemas"]
    assert schemas["Claim"]["properties"]["status"]["enum"] == list(STATUSES)
    assert schemas["ClaimInput"]["properties"]["circumstances"]["items"]["enum"] == list(CIRCUMSTANCES)
    assert set(VENUES) <= set(schemas["SightingInput"]["properties"]["venue"]["enum"])
    assert set(COMPANIONS) <= set(schemas["SightingInput"]["properties"]["companion"]["enum"])
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": doc["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    # risk is documented as optional (police only), never required
    assert schemas["Claim"]["properties"]["risk"]["$ref"] == "#/components/schemas/Risk"
    assert "risk" not in schemas["Claim"]["required"]
    assert set(schemas["Risk"]["required"]) == {"level", "indicators", "rules_version"}
    assert schemas["ClaimInput"]["properties"]["country"]["enum"] == [
        "BO",
        "BZ",
        "CL",
        "CR",
        "EC",
        "GT",
        "NI",
        "PE",
        "PR",
    ]


def test_the_documented_claim_fields_are_the_ones_the_api_reads(client, token_for):
    """Every documented input field is accepted and read back (police see everything)."""
    _officer, headers = token_for("police", "BO")
    doc = client.get("/api/v1/openapi.json").get_json()
    documented = set(doc["components"]["schemas"]["ClaimInput"]["properties"])
    body = {"given_names": "Ana", "event_date": "2026-03-01", "country": "BO", "place": "Sucre"}
    created = client.post("/api/v1/claims", json=body, headers=headers).get_json()
    assert documented - {"guardian_consent"} <= set(created)
    assert set(created) <= set(doc["components"]["schemas"]["Claim"]["properties"])


OPERATIONS = [
    ("/claims", "POST"),
    ("/claims", "GET"),
    ("/claims/{claim_id}", "GET"),
    ("/claims/{claim_id}/candidates", "GET"),
    ("/sightings", "POST"),
    ("/sightings/{sighting_id}", "GET"),
]


@pytest.fixture
def police_auth(session, token_for):  # type: ignore[no-untyped-def]
    """An officer's token header, and some records for the generated requests to find."""
    officer, headers = token_for("police", "BO")
    make_claim(session, officer, status="active", publication="published")
    make_claim(session)
    session.commit()
    return headers


# Schemathesis' own pytest plugin (from_fixture) breaks on pytest 9 (it reads Function._nodeid), so the
# generated cases run through Hypothesis directly, in-process on the WSGI app.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize("path, method", OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_the_api_conforms_to_its_document(app, police_auth, path, method, mode):
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)[path][method]

    @settings(max_examples=50, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def call(case):  # type: ignore[no-untyped-def]
        case.call_and_validate(headers=police_auth, checks=CHECKS)

    call()


def test_real_records_at_every_access_level_conform(app, session, token_for):
    """Generated ids rarely hit a record: these known ones check the 200/201 answers of each level."""
    from portal.cases.services import add_note
    from portal.photos.storage import PhotoStore, save_photo
    from tests.api.test_sightings import sighting_data
    from tests.builders import claim_data
    from tests.sightings.test_views import jpeg_bytes

    family, family_auth = token_for("family")
    officer, police = token_for("police", "BO")
    claim = make_claim(session, family, status="active", publication="published", birth_date="1990-07")
    add_note(session, officer, claim, text="Public appeal.", visibility="public")
    add_note(session, officer, claim, text="Lead.", visibility="police")
    save_photo(session, PhotoStore(app.config["PHOTO_DIR"]), jpeg_bytes(), claim_id=claim.id)
    session.commit()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    body = {**claim_data(aliases=["Rosi"], height_cm=150), "guardian_consent": True}
    cases = [
        (schema["/claims"]["POST"].Case(body=body, media_type="application/json"), family_auth, 201),
        (schema["/claims"]["POST"].Case(body=body, media_type="application/json"), police, 201),
        (schema["/sightings"]["POST"].Case(body=sighting_data(), media_type="application/json"), {}, 201),
        (schema["/sightings"]["POST"].Case(body=sighting_data(), media_type="application/json"), police, 201),
        (schema["/claims"]["GET"].Case(query={"q": "rosa", "page": 1}), {}, 200),
        (schema["/claims"]["GET"].Case(query={"q": "rosa"}), police, 200),
        (schema["/claims/{claim_id}/candidates"]["GET"].Case(path_parameters={"claim_id": claim.id}), police, 200),
    ] + [
        (schema["/claims/{claim_id}"]["GET"].Case(path_parameters={"claim_id": claim.id}), auth, 200)
        for auth in ({}, family_auth, police)
    ]
    for case, auth, status in cases:
        response = case.call_and_validate(headers=auth, checks=CHECKS)
        assert response.status_code == status, (case.path, response.text[:300])
    sighting = schema["/sightings"]["POST"].Case(body=sighting_data(), media_type="application/json")
    sighting_id = sighting.call_and_validate(checks=CHECKS).json()["id"]
    read = schema["/sightings/{sighting_id}"]["GET"].Case(path_parameters={"sighting_id": sighting_id})
    assert read.call_and_validate(headers=police, checks=CHECKS).json()["reporter_contact"]
