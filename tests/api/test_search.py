"""GET /api/v1/claims: search by the caller's rights, public fields in the items, 422 on bad parameters."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from tests.api.test_claims import PUBLIC_KEYS
from tests.builders import make_claim


@pytest.fixture
def claims(session):  # type: ignore[no-untyped-def]
    made = {
        "published": make_claim(session, status="active", publication="published"),
        "bo_draft": make_claim(session, given_names="Luz", first_surname="Mamani"),
        "pe_active": make_claim(
            session, status="active", given_names="Jimena", first_surname="Huanca", country="PE", place="Puno", sex="F"
        ),
    }
    session.commit()
    return {name: claim.id for name, claim in made.items()}


def _ids(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.get_json()
    return {item["id"] for item in response.get_json()["items"]}


def test_the_public_finds_only_published_claims(client, claims):
    response = client.get("/api/v1/claims")
    assert _ids(response) == {claims["published"]}
    body = response.get_json()
    assert (body["total"], body["page"], body["per_page"]) == (1, 1, 20)
    assert set(body["items"][0]) == PUBLIC_KEYS | {"match"}


def test_police_find_their_countrys_drafts_and_the_networks_cases(client, claims, token_for, session):
    officer, bo = token_for("police", "BO")
    _pe_officer, pe = token_for("police", "PE")
    assert _ids(client.get("/api/v1/claims", headers=bo)) == set(claims.values())
    assert _ids(client.get("/api/v1/claims", headers=pe)) == {claims["published"], claims["pe_active"]}
    items = client.get("/api/v1/claims", headers=bo).get_json()["items"]
    assert all(set(item) == PUBLIC_KEYS | {"match"} for item in items)  # details come from GET by id, audited
    event = session.scalar(
        select(AuditEvent).where(AuditEvent.action == "claim.search", AuditEvent.actor_id == officer.id)
    )
    assert sorted(event.details["ids"]) == sorted(claims.values())


def test_a_family_finds_its_own_draft(client, session, token_for, claims):
    family, headers = token_for("family")
    own = make_claim(session, family, given_names="Wilma")
    session.commit()
    assert _ids(client.get("/api/v1/claims", headers=headers)) == {claims["published"], own.id}


def test_names_match_without_accents_and_with_a_typo(client, token_for, claims):
    _officer, headers = token_for("police", "BO")
    assert _ids(client.get("/api/v1/claims?q=JIMENA%20huamca", headers=headers)) == {claims["pe_active"]}
    assert _ids(client.get("/api/v1/claims?country=PE&sex=F&status=active", headers=headers)) == {claims["pe_active"]}
    assert _ids(client.get("/api/v1/claims?age_min=30", headers=headers)) == set()
    # Everyone here was born in 2010 and last seen on 1 March 2026 (15 or 16): 30 to 32 in June 2041.
    assert _ids(client.get("/api/v1/claims?age_min=30&age_on=2041-06-01", headers=headers)) == set(claims.values())
    assert _ids(client.get("/api/v1/claims?age_min=30&age_on=2036-06-01", headers=headers)) == set()


def test_bad_parameters_are_422_with_fields(client):
    response = client.get("/api/v1/claims?country=XX&status=lost&age_min=x&date_from=2026-13-01&page=0&age_on=x")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed"
    assert {"country", "status", "age_min", "date_from", "page", "age_on"} <= error["fields"].keys()


def test_pages(client, session, app):
    app.config["SEARCH_PAGE_SIZE"] = 2
    for n in range(5):
        make_claim(session, status="active", publication="published", document_id=f"D{n}")
    session.commit()
    first = client.get("/api/v1/claims").get_json()
    third = client.get("/api/v1/claims?page=3").get_json()
    assert (first["total"], len(first["items"]), first["per_page"]) == (5, 2, 2)
    assert (third["page"], len(third["items"])) == (3, 1)
    wide = client.get("/api/v1/claims?per_page=4&page=2").get_json()
    assert (wide["total"], wide["page"], wide["per_page"], len(wide["items"])) == (5, 2, 4, 1)
    pages = [client.get(f"/api/v1/claims?per_page=2&page={n}").get_json()["items"] for n in (1, 2, 3)]
    assert len({item["id"] for page in pages for item in page}) == 5  # no claim twice, none left out
    assert client.get("/api/v1/claims?per_page=101").status_code == 422
