"""Editing the person's data: prefilled form, optimistic locking (409), rights."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.cases.models import Claim
from tests.builders import csrf_token, make_claim, make_user, sign_in


def _form_values(page: str) -> dict[str, object]:
    """What a browser would send back from the rendered edit form, unchanged."""
    values: dict[str, object] = {}
    for name, value in re.findall(r'<input id="\w+" name="(\w+)" type="(?:text|number|date)" value="([^"]*)"', page):
        values[name] = value
    for name in re.findall(r'<input type="hidden" name="(\w+)"', page):
        values[name] = re.search(rf'name="{name}" value="([^"]*)"', page).group(1)
    for name, body in re.findall(r'<textarea id="\w+" name="(\w+)"[^>]*>(.*?)</textarea>', page, re.S):
        values[name] = body
    for name, body in re.findall(r'<select id="\w+" name="(\w+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"\s+selected', body)
        values[name] = chosen.group(1) if chosen else ""
    values["circumstances"] = re.findall(r'name="circumstances" value="(\w+)"\s+checked', page)
    return values


def _officer_client(app, session, country="BO"):  # type: ignore[no-untyped-def]
    officer = make_user(session, "police", country)
    session.commit()
    browser = app.test_client()
    sign_in(browser, officer)
    return browser


def test_the_form_is_prefilled_and_saving_records_the_change(client, login_as, session):
    claim = make_claim(session, status="active", birth_date="2010-05")
    session.commit()
    version = claim.version
    login_as("police", "BO")
    page = client.get(f"/cases/{claim.id}/edit").get_data(as_text=True)
    values = _form_values(page)
    assert values["given_names"] == "Rosa Elvira" and values["birth_date"] == "2010-05"
    assert values["version"] == str(version) and values["circumstances"] == ["job_offer"] and values["sex"] == "F"
    assert values["aliases"] == "Rosi" and values["country"] == "BO"
    values["given_names"], values["height_cm"] = "Rosa Elena", "155"
    response = client.post(f"/cases/{claim.id}/edit", data=values)
    assert response.status_code == 302, response.get_data(as_text=True)
    session.expire_all()
    claim = session.get(Claim, claim.id)
    assert (claim.given_names, claim.height_cm, claim.version) == ("Rosa Elena", 155, version + 1)
    assert claim.birth_date_precision == "month" and claim.aliases == ["Rosi"]  # unchanged fields survive
    edit = session.scalar(select(AuditEvent).where(AuditEvent.action == "claim.edit"))
    assert sorted(edit.details["fields"]) == ["given_names", "height_cm"]


def test_the_second_of_two_concurrent_edits_gets_409_and_the_first_survives(app, session):
    claim = make_claim(session, status="active")
    session.commit()
    first, second = _officer_client(app, session), _officer_client(app, session)
    form_a = _form_values(first.get(f"/cases/{claim.id}/edit").get_data(as_text=True))
    form_b = _form_values(second.get(f"/cases/{claim.id}/edit").get_data(as_text=True))
    form_a["place"], form_b["place"] = "Viacha (first officer)", "Patacamaya (second officer)"
    assert first.post(f"/cases/{claim.id}/edit", data=form_a).status_code == 302
    response = second.post(f"/cases/{claim.id}/edit", data=form_b)
    assert response.status_code == 409 and '<section class="error" role="alert">' in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Claim, claim.id).place == "Viacha (first officer)"


def test_a_tampered_version_is_a_conflict_not_a_500(client, login_as, session):
    claim = make_claim(session, status="active")
    session.commit()
    login_as("police", "BO")
    values = _form_values(client.get(f"/cases/{claim.id}/edit").get_data(as_text=True))
    for bad in ("abc", "", "-1", "99999999999999999999", "1.0"):
        values["version"] = bad
        values["place"] = "Changed"
        assert client.post(f"/cases/{claim.id}/edit", data=values).status_code == 409, bad
    session.expire_all()
    assert session.get(Claim, claim.id).place == "El Alto, Distrito 8"


def test_errors_keep_the_values_and_the_version(client, login_as, session):
    claim = make_claim(session, status="active")
    session.commit()
    login_as("police", "BO")
    values = _form_values(client.get(f"/cases/{claim.id}/edit").get_data(as_text=True))
    values.update(place="", given_names="Kept Given")
    response = client.post(f"/cases/{claim.id}/edit", data=values)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="place-error"' in page
    assert 'value="Kept Given"' in page and f'name="version" value="{values["version"]}"' in page


def test_the_country_of_a_validated_case_is_not_editable(client, login_as, session):
    claim = make_claim(session, status="active")
    session.commit()
    login_as("police", "BO")
    page = client.get(f"/cases/{claim.id}/edit").get_data(as_text=True)
    assert '<select id="country"' not in page and '<input type="hidden" name="country" value="BO">' in page


def test_who_may_edit(client, login_as, session):
    family = login_as("family")
    own_draft = make_claim(session, family)
    own_active = make_claim(session, family, status="active")
    session.commit()
    assert client.get(f"/cases/{own_draft.id}/edit").status_code == 200  # the family corrects its draft
    assert client.get(f"/cases/{own_active.id}/edit").status_code == 404  # later only the police
    login_as("police", "PE")
    assert client.get(f"/cases/{own_active.id}/edit").status_code == 404  # another country's case
    values = {
        "csrf_token": csrf_token(client),
        "version": str(own_active.version),
        "place": "X",
        "event_date": "2026-02-11",
        "country": "BO",
        "given_names": "X",
    }
    assert client.post(f"/cases/{own_active.id}/edit", data=values).status_code == 404
