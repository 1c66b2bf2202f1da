"""The API keeps its own contract (issue 14): JSON errors everywhere, 405 with Allow on every route,
the document's request schemas are the ones the views enforce, and what JSON Schema cannot say is
refused all the same."""

from __future__ import annotations

from datetime import date

import pytest

from portal.api import inputs
from portal.api.inputs import ORDERED, input_components
from portal.sightings.inputs import OBSERVATIONS
from tests.api.test_sightings import sighting_data
from tests.builders import MEMBERS, api_claim_data, make_claim

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def _api_rules(app):  # type: ignore[no-untyped-def]
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")]


LATE_BIRTH = api_claim_data(birth_date="2026-03-01", event_date="2026-02-11")


def test_every_api_route_answers_a_method_it_lacks_with_json_405_and_allow(app, client):
    checked, methods = 0, {}
    for rule in _api_rules(app):
        methods.setdefault(rule.rule, set()).update(rule.methods or ())
    for route, allows in methods.items():
        path = route.replace("<int:", "<").replace("<", "").replace(">", "")
        path = "/".join("1" if part.endswith("_id") else part for part in path.split("/"))
        for method in METHODS:
            if method in allows:
                continue
            response = client.open(path, method=method)
            assert response.status_code == 405, (method, path)
            assert response.is_json and response.get_json()["error"]["code"] == "method_not_allowed"
            allowed = {m.strip() for m in response.headers["Allow"].split(",")}
            assert allows - {"OPTIONS", "HEAD"} <= allowed, (method, path, allowed)
            checked += 1
    assert checked > 20


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"path": "/api/v1/training/cascade?country=" + "B" * 5000}, 414),
        ({"path": "/api/v1/sightings/1", "headers": {"X-Long": "x" * 7000}}, 431),
    ],
)
def test_every_size_error_is_json_on_every_blueprint(client, kwargs, status):
    response = client.get(**kwargs)
    assert response.status_code == status and response.is_json and response.get_json()["error"]["message"]


def test_a_training_body_too_large_is_json_413(client, token_for):
    _trainer, headers = token_for("trainer", "BO")
    body = '{"title": "' + "x" * 300_000 + '"}'
    response = client.post("/api/v1/training/sessions", data=body, content_type="application/json", headers=headers)
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "payload_too_large"


def test_the_document_publishes_the_schemas_the_views_enforce(client):
    before = date.today()  # the schemas name today's date: a run across midnight may see either day
    published = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    enforced = [input_components(sorted(MEMBERS), day) for day in {before, date.today()}]
    for name in enforced[0]:
        assert any(published[name] == schemas[name] for schemas in enforced), name
    body = published["ClaimInput"]
    assert body["x-ordered"] == [list(pair) for pair in ORDERED["ClaimInput"]]
    assert {"reporter_name", "reporter_relation", "reporter_contact"} <= set(body["properties"])
    assert "reporter_name" in body["description"]


def test_the_document_names_the_observations_the_sighting_parser_counts():
    assert set(inputs._OBSERVED) == set(OBSERVATIONS)


@pytest.mark.parametrize(
    ("path", "body", "pair"),
    [
        ("/api/v1/claims", api_claim_data(birth_date=None, age_min=15, age_max=12), ("age_min", "age_max")),
        ("/api/v1/claims", LATE_BIRTH, ("birth_date", "event_date")),
        ("/api/v1/sightings", sighting_data(age_min=18, age_max=12), ("age_min", "age_max")),
    ],
)
def test_each_ordered_pair_of_the_document_is_refused_out_of_order(client, token_for, path, body, pair):
    # These are the only rules the schemathesis hooks filter on: the API must refuse them itself.
    _officer, headers = token_for("police", "BO")
    assert list(pair) in [list(p) for p in ORDERED["ClaimInput" if "claims" in path else "SightingInput"]]
    response = client.post(path, json=body, headers=headers)
    assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) & set(pair)


def test_null_is_the_same_as_leaving_a_field_out(client, token_for):
    _officer, headers = token_for("police", "BO")
    body = {**api_claim_data(), "aliases": None, "sex": None, "height_cm": None, "offer": None, "recruiters": None}
    response = client.post("/api/v1/claims", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["aliases"] == [] and response.get_json()["height_cm"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"height_cm": "152"}, "height_cm"),  # the document says integer: form-style text is refused
        ({"aliases": "Rosi"}, "aliases"),
        ({"nationality": "bo"}, "nationality"),
        ({"place": " \t "}, "place"),
        ({"event_date": "2026-2-11"}, "event_date"),
        ({"recruiters": [{"kind": "phone", "value": "+591 7123-4567", "note": "x"}]}, "recruiters.0.note"),
    ],
)
def test_what_the_document_refuses_is_refused_by_name(client, token_for, change, field):
    _officer, headers = token_for("police", "BO")
    response = client.post("/api/v1/claims", json={**api_claim_data(), **change}, headers=headers)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"], response.get_json()


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"q": "Rosa", "country": "", "age_min": "", "date_from": "", "page": ""}, 200),  # as the search form sends
        ({"page": "abc"}, 422),
        ({"country": "bo"}, 422),
        ({"date_to": "1899-12-31"}, 422),
        ({"per_page": "101"}, 422),
    ],
)
def test_search_parameters_follow_the_document(client, query, status):
    response = client.get("/api/v1/claims", query_string=query)
    assert response.status_code == status, response.get_json()
    if status == 422:
        assert set(response.get_json()["error"]["fields"]) == set(query)


def test_who_knows_a_record_but_may_not_read_this_of_it_gets_403(client, session, token_for):
    _officer, bolivia = token_for("police", "BO")
    # A Bolivian officer reports a sighting in Peru: only Peru's police read it.
    reported = client.post("/api/v1/sightings", json=sighting_data(), headers=bolivia).get_json()
    refused = client.get(f"/api/v1/sightings/{reported['id']}", headers={**bolivia, "Accept-Language": "en"})
    assert refused.status_code == 403 and "private link" in refused.get_json()["error"]["message"]
    _other, chile = token_for("police", "CL")
    assert client.get(f"/api/v1/sightings/{reported['id']}", headers=chile).status_code == 404
    # A claim another country's officer may see but not review: 403, not a pretended absence.
    claim = make_claim(session, status="active", publication="published")
    session.commit()
    assert client.get(f"/api/v1/claims/{claim.id}/candidates", headers=chile).status_code == 403
    assert client.get(f"/api/v1/claims/{claim.id}/candidates", headers=bolivia).status_code == 200


@pytest.mark.parametrize("blank", ["\u0085", " \u0085\t", "\x1c", "\u3000"])
def test_a_name_of_spaces_any_engine_reads_as_spaces_is_refused_by_the_document_too(client, token_for, blank):
    # ECMA-262's \s and Python's strip() disagree on U+0085: the document must refuse what the parser does.
    _officer, headers = token_for("police", "BO")
    body = {**api_claim_data(given_names=blank), "first_surname": None}
    response = client.post("/api/v1/claims", json=body, headers=headers)
    assert response.status_code == 422 and "given_names" in response.get_json()["error"]["fields"]
    # And schemathesis' own validator (Rust, ECMA-262 classes) reads the document's pattern the same way.
    import jsonschema_rs

    pattern = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["ClaimInput"]["anyOf"][0]
    assert not jsonschema_rs.is_valid(pattern["properties"]["given_names"], blank)
