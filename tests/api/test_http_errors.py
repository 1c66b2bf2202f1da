"""Every error under /api/ is the spec's JSON, whatever raised it; 405 says what is allowed."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("get", "/api/v1/claims?q=" + "a" * 5000, {}, 414, "uri_too_long"),
        ("get", "/api/v1/claims", {"headers": {"X-Padding": "b" * 7000}}, 431, "headers_too_large"),
        ("delete", "/api/v1/claims", {}, 405, "method_not_allowed"),
        ("put", "/api/v1/sightings", {}, 405, "method_not_allowed"),
        ("get", "/api/v1/no-such-thing", {}, 404, "not_found"),
    ],
)
def test_every_api_error_is_json(client, method, path, kwargs, status, code):
    response = getattr(client, method)(path, **kwargs)

    assert response.status_code == status
    assert response.is_json and response.get_json()["error"]["code"] == code
    assert response.get_json()["error"]["message"]


def test_a_405_says_which_methods_the_address_allows(client):
    response = client.delete("/api/v1/claims")
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_pages_answer_the_same_errors_as_pages_in_the_users_language(client):
    too_long = client.get("/claims?q=" + "a" * 5000, headers={"Accept-Language": "es"})
    assert too_long.status_code == 414 and "text/html" in too_long.content_type
    assert "Esta dirección es demasiado larga" in too_long.get_data(as_text=True)
    assert client.get("/", headers={"X-Padding": "c" * 7000}).status_code == 431


def test_an_unknown_field_is_refused_by_name_not_dropped(client, token_for):
    from tests.builders import api_claim_data

    _user, headers = token_for("police", "BO")
    misspelt = {**api_claim_data(), "given_name": "Rosa"}

    response = client.post("/api/v1/claims", json=misspelt, headers=headers)

    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["given_name"]
    sighting = {"event_date": "2026-11-30", "country": "BO", "place": "Oruro", "colour_of_car": "rojo"}
    refused = client.post("/api/v1/sightings", json=sighting)
    assert refused.status_code == 422 and "colour_of_car" in refused.get_json()["error"]["fields"]
