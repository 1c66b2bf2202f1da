"""POST /api/v1/claims and /api/v1/sightings with an Idempotency-Key: one record per key."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from portal.cases.models import Claim
from portal.idempotency.models import IdempotencyKey
from portal.sightings.models import Sighting
from tests.api.test_sightings import sighting_data
from tests.builders import api_claim_data

_claim_body = api_claim_data


def _count(session, model) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(model))


def _key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def test_the_same_key_and_body_give_the_same_claim_once(client, session, token_for):
    _family, auth = token_for("family")
    headers = {**auth, **_key()}
    first = client.post("/api/v1/claims", json=_claim_body(), headers=headers)
    assert first.status_code == 201, first.get_json()
    # The same body with its fields in another order is the same request.
    again = client.post("/api/v1/claims", json=dict(reversed(list(_claim_body().items()))), headers=headers)
    assert again.status_code == 201
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.get_json()["reference"] == first.get_json()["reference"]
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert _count(session, Claim) == 1 and _count(session, IdempotencyKey) == 1


def test_the_same_key_with_another_body_answers_422_and_creates_nothing(client, session, token_for):
    _family, auth = token_for("family")
    headers = {**auth, **_key()}
    assert client.post("/api/v1/claims", json=_claim_body(), headers=headers).status_code == 201
    other = client.post("/api/v1/claims", json=_claim_body(given_names="Ana"), headers=headers)
    assert other.status_code == 422
    assert other.get_json()["error"]["code"] == "idempotency_key_reused"
    assert "otra solicitud" in other.get_json()["error"]["message"]
    assert _count(session, Claim) == 1 and _count(session, IdempotencyKey) == 1


def test_another_accounts_key_is_its_own(client, session, token_for):
    headers = _key()
    _one, first_auth = token_for("family")
    _two, second_auth = token_for("family")
    first = client.post("/api/v1/claims", json=_claim_body(), headers={**first_auth, **headers})
    second = client.post("/api/v1/claims", json=_claim_body(), headers={**second_auth, **headers})
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.get_json()["id"] != second.get_json()["id"] and "Idempotent-Replayed" not in second.headers
    assert _count(session, Claim) == 2 and _count(session, IdempotencyKey) == 2
    # Nor does a different body from the other account count as reuse.
    third = client.post("/api/v1/claims", json=_claim_body(given_names="Ana"), headers={**_key(), **second_auth})
    assert third.status_code == 201


def test_a_malformed_key_is_refused_clearly_before_anything_is_created(client, session, token_for):
    _family, auth = token_for("family")
    for bad in ("", "short", "x" * 256, "línea-de-más-de-16"):
        response = client.post("/api/v1/claims", json=_claim_body(), headers={**auth, "Idempotency-Key": bad})
        assert response.status_code == 400, bad
        error = response.get_json()["error"]
        assert error["code"] == "idempotency_key_invalid" and "Idempotency-Key" in error["message"]
    assert _count(session, Claim) == 0 and _count(session, IdempotencyKey) == 0


def test_without_a_key_each_request_files_a_claim_as_before(client, session, token_for):
    _family, auth = token_for("family")
    for _ in range(2):
        assert client.post("/api/v1/claims", json=_claim_body(), headers=auth).status_code == 201
    assert _count(session, Claim) == 2 and _count(session, IdempotencyKey) == 0


def test_an_invalid_body_keeps_the_key_free_for_the_corrected_one(client, session, token_for):
    _family, auth = token_for("family")
    headers = {**auth, **_key()}
    wrong = client.post("/api/v1/claims", json=_claim_body(event_date="not a date"), headers=headers)
    assert wrong.status_code == 422 and wrong.get_json()["error"]["code"] == "validation_failed"
    assert _count(session, IdempotencyKey) == 0
    assert client.post("/api/v1/claims", json=_claim_body(), headers=headers).status_code == 201


def test_a_public_sighting_sent_again_gets_the_same_record_and_private_link(client, session):
    headers = _key()
    first = client.post("/api/v1/sightings", json=sighting_data(), headers=headers)
    again = client.post("/api/v1/sightings", json=sighting_data(), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json() == first.get_json()  # id, reference and the witness's link
    assert again.headers["Location"] == first.headers["Location"]
    assert _count(session, Sighting) == 1
    # The link given back twice is the one that opens the report.
    link = again.get_json()["witness_url"].split("localhost", 1)[1]
    assert client.get(link).status_code == 200


def test_a_public_key_with_another_body_is_refused(client, session):
    headers = _key()
    assert client.post("/api/v1/sightings", json=sighting_data(), headers=headers).status_code == 201
    other = client.post("/api/v1/sightings", json=sighting_data(place="Puno"), headers=headers)
    assert other.status_code == 422 and other.get_json()["error"]["code"] == "idempotency_key_reused"
    assert "witness_url" not in other.get_data(as_text=True)
    assert _count(session, Sighting) == 1


def test_a_short_key_is_refused_saying_what_a_key_is(client, session):
    response = client.post("/api/v1/sightings", json=sighting_data(), headers={"Idempotency-Key": "42"})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "idempotency_key_invalid"
    assert "16 y 255" in response.get_json()["error"]["message"]
    assert _count(session, Sighting) == 0


def test_a_claims_key_used_for_a_sighting_is_reuse(client, session, token_for):
    _officer, auth = token_for("police")
    headers = {**auth, **_key()}
    assert client.post("/api/v1/claims", json=_claim_body(), headers=headers).status_code == 201
    response = client.post("/api/v1/sightings", json=sighting_data(), headers=headers)
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "idempotency_key_reused"
    assert _count(session, Sighting) == 0


def test_the_openapi_document_describes_the_key(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path in ("/claims", "/sightings"):
        operation = document["paths"][path]["post"]
        assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in operation["parameters"])
        assert {"400", "409", "422"} <= set(operation["responses"])
        assert "Idempotent-Replayed" in operation["responses"]["201"]["headers"]
