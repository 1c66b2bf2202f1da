"""The review pages through the test client: queue, comparison, confirm and reject; 404 for others."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.cases.models import Note
from portal.review.reasons import reason_text
from tests.builders import candidates, guadalupe


@pytest.mark.parametrize("country", ["BO", "PE"])
def test_the_queue_lists_the_candidate_for_the_police_of_both_countries(client, login_as, pair, country):
    claim, _sighting, candidate = pair
    login_as("police", country)
    page = client.get("/review/queue").get_data(as_text=True)
    assert claim.reference in page and f"/review/candidates/{candidate.id}" in page
    assert "nombre: Lupe es un apodo" in page  # the reason, in Spanish


def test_a_third_country_sees_an_empty_queue_and_404_on_the_candidate(client, login_as, pair):
    _claim, _sighting, candidate = pair
    login_as("police", "CL")
    assert f"/review/candidates/{candidate.id}" not in client.get("/review/queue").get_data(as_text=True)
    assert client.get(f"/review/candidates/{candidate.id}").status_code == 404


@pytest.mark.parametrize("role", ["family", None])
def test_families_get_404_and_the_public_is_asked_to_sign_in(client, login_as, pair, role):
    _claim, _sighting, candidate = pair
    if role:
        login_as(role)
    for path in ("/review/queue", f"/review/candidates/{candidate.id}"):
        response = client.get(path)
        if role:
            assert response.status_code == 404
        else:  # the route policy sends the public to the login page, and back here afterwards
            assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "path",
    [
        "/review/candidates/0",
        "/review/candidates/99999999999",
        "/review/candidates/424242",
        "/review/queue?claim=99999999999",
    ],
)
def test_odd_ids_are_404_or_empty_never_500(client, login_as, pair, path):
    login_as("police", "BO")
    assert client.get(path).status_code in (200, 404)


def test_compare_shows_both_records_and_confirm_puts_the_sighting_on_the_timeline(
    client, login_as, csrf, session, pair
):
    claim, sighting, candidate = pair
    login_as("police", "PE")
    page = client.get(f"/review/candidates/{candidate.id}").get_data(as_text=True)
    assert claim.reference in page and f"n.º {sighting.id}" in page and "Lupe" in page and "Guadalupe" in page
    token = csrf(f"/review/candidates/{candidate.id}")
    response = client.post(f"/review/candidates/{candidate.id}/confirm", data={"csrf_token": token, "note": "Es ella."})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/cases/{claim.id}")
    again = client.post(f"/review/candidates/{candidate.id}/confirm", data={"csrf_token": token})
    assert again.status_code == 303  # a double submission changes nothing
    timeline = client.get(f"/cases/{claim.id}").get_data(as_text=True)
    assert f"Avistamiento n.º {sighting.id} vinculado" in timeline and "Es ella." in timeline
    assert len(session.scalars(select(Note).where(Note.kind == "sighting")).all()) == 1


def test_reject_without_a_reason_shows_the_form_again(client, login_as, csrf, pair):
    _claim, _sighting, candidate = pair
    login_as("police", "BO")
    token = csrf(f"/review/candidates/{candidate.id}")
    response = client.post(f"/review/candidates/{candidate.id}/reject", data={"csrf_token": token, "reason": " "})
    assert response.status_code == 422
    response = client.post(
        f"/review/candidates/{candidate.id}/reject", data={"csrf_token": token, "reason": "Otra chica."}
    )
    assert response.status_code == 303
    assert candidates_status(client, candidate) == 409


def candidates_status(client, candidate):  # type: ignore[no-untyped-def]
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/review/queue").get_data(as_text=True))
    return client.post(
        f"/review/candidates/{candidate.id}/confirm", data={"csrf_token": token.group(1) if token else ""}
    ).status_code


def test_the_claim_page_links_to_its_candidates_and_police_see_the_nav_entry(client, login_as, session):
    first = guadalupe(session)
    guadalupe(session, first_surname="Kispe", country="PE", place="Cusco")
    session.commit()
    login_as("police", "BO")
    page = client.get(f"/cases/{first.id}").get_data(as_text=True)
    assert f"/review/queue?claim={first.id}" in page and 'href="/review/queue"' in page
    assert len(candidates(session)) == 1


def test_reason_codes_read_as_phrases(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert reason_text("corridor(BO→PE)") == "cross-border route between Bolivia and Peru"
        assert reason_text("after+92d") == "seen 92 days after the disappearance"
        assert reason_text("something_new") == "something_new"
        assert reason_text("place≠(BO)") == "different places in Bolivia"
