"""The flag card, /flags/, the decisions and the API's ``risk`` key: police only, nowhere else."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.casework import candidate_confirmed as confirm
from portal.casework import sighting_verified as verify
from portal.flags.models import RiskReview
from tests.builders import girl, make_claim, make_user, sign_in

CARD_TEXTS = (
    "Indicators only, not a determination",
    "Review for trafficking indicators",
    "Priority: possible trafficking",
    "Trafficking indicators",
    "risk-flag",
    "/flags/",
)


def _english(client):
    client.get("/lang/en")


def test_police_see_the_flag_card_in_english_and_in_spanish(client, login_as, session):
    claim = girl(session)
    session.commit()
    login_as("police", "BO")
    page = client.get(f"/cases/{claim.id}").get_data(as_text=True)
    assert "Salió por una oferta de trabajo no verificable" in page  # the YAML's Spanish, the default
    _english(client)
    page = client.get(f"/cases/{claim.id}").get_data(as_text=True)
    assert "Review for trafficking indicators" in page and "Indicators only, not a determination" in page
    assert "Left for an unverifiable job offer in another city/country" in page and "Grade: medium" in page
    assert "reported by the family" in page and "under 18" in page and "/flags/claims/" in page
    assert "Trafficking flags" in page  # the nav entry


def test_a_confirmed_and_verified_public_bar_sighting_shows_priority_with_both_facts(
    client, login_as, session, flagged
):
    claim, sighting, candidate = flagged
    officer = make_user(session, "police", "PE")
    confirm(session, officer, candidate)
    verify(session, officer, sighting)
    session.commit()
    login_as("police", "BO")
    _english(client)
    page = client.get(f"/cases/{claim.id}").get_data(as_text=True)
    assert "Priority: possible trafficking" in page
    assert f"Sighting no. {sighting.id}: Kind of place: <strong>Bar or cantina</strong>" in page
    assert f"Sighting no. {sighting.id}: With whom: <strong>" in page and "Context (not counted)" in page


def _reporter_claim(session):
    family = make_user(session, "family")
    claim = make_claim(session, family, status="active", publication="published", circumstances=["job_offer_abroad"])
    session.commit()
    return family, claim


def test_the_reporting_family_sees_no_card_and_no_flags_page(client, session):
    family, claim = _reporter_claim(session)
    sign_in(client, family)
    _english(client)
    for path in (f"/cases/{claim.id}", "/cases", "/claims?q=Quispe", f"/claims/{claim.reference}"):
        page = client.get(path, follow_redirects=True).get_data(as_text=True)
        assert not [t for t in CARD_TEXTS if t in page], path
    assert client.get("/flags/").status_code == 404


@pytest.mark.parametrize("role", [None, "trainer"])
def test_the_public_and_other_roles_see_nothing(client, login_as, session, role):
    _family, claim = _reporter_claim(session)
    if role:
        login_as(role, "BO")
    _english(client)
    for path in (f"/claims/{claim.reference}", "/claims?q=Quispe", "/"):
        page = client.get(path, follow_redirects=True).get_data(as_text=True)
        assert not [t for t in CARD_TEXTS if t in page], path
    # The public is asked to sign in (an officer whose session ended comes back); other roles get 404.
    assert client.get("/flags/").status_code == (404 if role else 302)
    response = client.post(f"/flags/claims/{claim.id}/escalate", data={})
    assert response.status_code in (302, 400, 404)


def test_the_api_gives_risk_to_police_tokens_only(client, session, token_for):
    _family, claim = _reporter_claim(session)
    _officer, police = token_for("police", "BO")
    body = client.get(f"/api/v1/claims/{claim.id}", headers=police).get_json()
    assert body["risk"]["level"] == 1 and body["risk"]["rules_version"]
    assert body["risk"]["indicators"][0].keys() >= {"id", "grade", "reason", "evidence"}
    _other, family_token = token_for("family")
    _trainer, trainer_token = token_for("trainer", "BO")
    for headers in ({}, family_token, trainer_token):
        assert "risk" not in client.get(f"/api/v1/claims/{claim.id}", headers=headers).get_json()
    for headers in ({}, family_token, police):
        items = client.get("/api/v1/claims?q=Quispe", headers=headers).get_json()["items"]
        assert items and all("risk" not in item for item in items)


def test_the_reporters_own_token_gets_no_risk(client, session):
    from portal.accounts.services import create_token

    family, claim = _reporter_claim(session)
    secret = create_token(session, family, "test")
    session.commit()
    body = client.get(f"/api/v1/claims/{claim.id}", headers={"Authorization": f"Bearer {secret}"}).get_json()
    assert body["reporter_name"] and "risk" not in body


def test_the_flags_list_shows_level_2_first_and_only_the_officers_country(client, login_as, session, flagged):
    claim, sighting, candidate = flagged
    officer = make_user(session, "police", "PE")
    confirm(session, officer, candidate)
    verify(session, officer, sighting)
    later = make_claim(
        session, status="active", given_names="Rosa", circumstances=["job_offer_abroad"], birth_date="2011-01-01"
    )
    session.commit()
    login_as("police", "BO")
    page = client.get("/flags/").get_data(as_text=True)
    assert claim.reference in page and later.reference in page
    assert page.index(claim.reference) < page.index(later.reference)
    client.get("/lang/en")
    login_as("police", "CL")
    assert claim.reference not in client.get("/flags/").get_data(as_text=True)


def test_dismissing_from_the_page_needs_a_reason(client, login_as, csrf, session):
    claim = girl(session)
    session.commit()
    login_as("police", "BO")
    _english(client)
    token = csrf(f"/cases/{claim.id}")
    refused = client.post(
        f"/flags/claims/{claim.id}/dismiss", data={"csrf_token": token, "reason": " "}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Say why you dismiss these indicators." in refused
    assert session.scalars(select(RiskReview)).all() == []
    done = client.post(f"/flags/claims/{claim.id}/dismiss", data={"csrf_token": token, "reason": "Contacto directo."})
    assert done.status_code == 303 and done.headers["Location"].endswith(f"/cases/{claim.id}#risk-h")
    page = client.get(f"/cases/{claim.id}").get_data(as_text=True)
    assert "Dismissed" in page and "Contacto directo." in page
    assert [r.action for r in session.scalars(select(RiskReview))] == ["dismiss"]


def test_without_csrf_a_decision_is_refused(client, login_as, session):
    claim = girl(session)
    session.commit()
    login_as("police", "BO")
    assert client.post(f"/flags/claims/{claim.id}/escalate").status_code == 400
    assert session.scalars(select(RiskReview)).all() == []
