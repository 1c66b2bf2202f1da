"""Every API error is the spec's JSON: 400, 404, 405, 413, 415, 422."""

from __future__ import annotations

import pytest


def _error(response, status):  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


@pytest.fixture
def police(token_for):  # type: ignore[no-untyped-def]
    return token_for("police", "BO")[1]


@pytest.mark.parametrize("path", ["/api/v1/claims", "/api/v1/sightings"])
def test_a_body_that_is_not_json_is_415(client, police, path):
    error = _error(client.post(path, data={"given_names": "Ana"}, headers=police), 415)
    assert error["code"] == "unsupported_media_type"
    _error(client.post(path, data="{}", content_type="text/plain", headers=police), 415)


@pytest.mark.parametrize("path", ["/api/v1/claims", "/api/v1/sightings"])
@pytest.mark.parametrize(
    "body",
    [
        '{"given_names": ',
        "",
        "{'a': 1}",
        '{"a": "\\ud800"}',
        "[" * 100_000 + "]" * 100_000,
        '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}",
    ],
    ids=["truncated", "empty", "single-quotes", "lone-surrogate", "deep-list", "deep-in-object"],
)
def test_malformed_json_is_400(client, police, path, body):
    error = _error(client.post(path, data=body, content_type="application/json", headers=police), 400)
    assert error["code"] == "bad_request"


@pytest.mark.parametrize("path", ["/api/v1/claims", "/api/v1/sightings"])
@pytest.mark.parametrize("body", ["[]", "null", "42", '"text"', "[{}]"])
def test_json_that_is_not_an_object_is_422(client, police, path, body):
    error = _error(client.post(path, data=body, content_type="application/json", headers=police), 422)
    assert error["code"] == "validation_failed"


@pytest.mark.parametrize("path", ["/api/v1/claims", "/api/v1/sightings"])
def test_a_body_too_large_is_413(client, police, path):
    body = '{"description": "' + "x" * (300 * 1024) + '"}'
    error = _error(client.post(path, data=body, content_type="application/json", headers=police), 413)
    assert error["code"] == "payload_too_large"


def test_the_app_wide_limit_applies_too(app, client, police):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    body = '{"description": "' + "x" * 2000 + '"}'
    _error(client.post("/api/v1/sightings", data=body, content_type="application/json", headers=police), 413)


def test_unknown_paths_and_methods_answer_json(client):
    assert _error(client.get("/api/v1/nothing-here"), 404)["code"] == "not_found"
    assert _error(client.get("/api/v1/claims/abc"), 404)["code"] == "not_found"
    assert _error(client.delete("/api/v1/claims"), 405)["code"] == "method_not_allowed"
    assert _error(client.get("/api/v1/claims/99999999999999999999999"), 404)["code"] == "not_found"


def test_validation_errors_name_fields_with_lists_of_messages(client, police):
    error = _error(client.post("/api/v1/claims", json={}, headers=police), 422)
    assert {"event_date", "country", "place", "given_names"} <= error["fields"].keys()
    assert all(isinstance(messages, list) for messages in error["fields"].values())
