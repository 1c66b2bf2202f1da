"""The staff page: coordinators manage their country's officers and trainers, admins everyone; access ends at once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.services import create_token, user_for_token
from portal.audit.models import AuditEvent
from tests.accounts.helpers import browser_of, english
from tests.builders import csrf_token, make_user


def _post(client, path, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, "/staff/users"), **data})


def _fresh(session, user):
    session.expire_all()
    return session.get(User, user.id)


def test_a_coordinator_deactivates_and_reactivates_an_officer_whose_sessions_and_tokens_end(
    app, client, login_as, session
):
    login_as("coordinator", "BO")
    officer = make_user(session, "police", "BO")
    secret = create_token(session, officer, "patrol app")
    session.commit()
    officer_browser = browser_of(app, officer)
    assert officer_browser.get("/account").status_code == 200
    page = client.get("/staff/users").get_data(as_text=True)
    assert f"/staff/users/{officer.id}" in page
    done = _post(client, f"/staff/users/{officer.id}/deactivate")
    assert done.status_code == 303 and not _fresh(session, officer).active
    assert officer_browser.get("/account").status_code == 302  # the old cookie is logged out
    api = app.test_client().get("/api/v1/claims", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 401
    assert _post(client, f"/staff/users/{officer.id}/reactivate").status_code == 303
    assert _fresh(session, officer).active and user_for_token(session, secret) is None  # tokens stay revoked
    actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions[-3:] == ["token.revoke_all", "account.deactivate", "account.activate"]


def test_a_coordinator_changes_an_officer_to_trainer_and_the_old_access_ends(app, client, login_as, session):
    login_as("coordinator", "BO")
    officer = make_user(session, "police", "BO", agency="FELCC")
    secret = create_token(session, officer, "x")
    session.commit()
    officer_browser = browser_of(app, officer)
    response = _post(client, f"/staff/users/{officer.id}", role="trainer", country="BO", agency="FELCC El Alto")
    assert response.status_code == 303
    changed = _fresh(session, officer)
    assert (changed.role, changed.country_code, changed.agency) == ("trainer", "BO", "FELCC El Alto")
    assert officer_browser.get("/account").status_code == 302
    assert user_for_token(session, secret) is None
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "account.change")).one()
    assert event.details["fields"] == ["role", "agency"]


def test_an_agency_change_alone_keeps_the_sessions(app, client, login_as, session):
    login_as("coordinator", "BO")
    officer = make_user(session, "police", "BO")
    secret = create_token(session, officer, "x")
    session.commit()
    officer_browser = browser_of(app, officer)
    assert (
        _post(client, f"/staff/users/{officer.id}", role="police", country="BO", agency="New district").status_code
        == 303
    )
    assert officer_browser.get("/account").status_code == 200
    assert user_for_token(session, secret) is not None


@pytest.mark.parametrize(
    ("target_role", "target_country"),
    [("police", "PE"), ("trainer", "PE"), ("coordinator", "BO"), ("admin", None), ("family", None)],
)
def test_a_coordinator_gets_404_for_accounts_beyond_their_powers(
    client, login_as, session, target_role, target_country
):
    login_as("coordinator", "BO")
    target = make_user(session, target_role, target_country)
    session.commit()
    assert client.get(f"/staff/users/{target.id}").status_code == 404
    assert _post(client, f"/staff/users/{target.id}/deactivate").status_code == 404
    assert _post(client, f"/staff/users/{target.id}", role="police", country="BO", agency="").status_code == 404
    assert _fresh(session, target).active and _fresh(session, target).role == target_role


@pytest.mark.parametrize(("role", "country"), [("coordinator", "BO"), ("admin", "BO"), ("police", "PE")])
def test_a_coordinator_cannot_give_roles_or_countries_beyond_their_own(client, login_as, session, role, country):
    login_as("coordinator", "BO")
    officer = make_user(session, "police", "BO")
    session.commit()
    assert _post(client, f"/staff/users/{officer.id}", role=role, country=country, agency="").status_code == 404
    assert (_fresh(session, officer).role, _fresh(session, officer).country_code) == ("police", "BO")


def test_an_admin_moves_an_officer_to_another_country_and_its_tokens_die(client, login_as, session):
    login_as("admin", None)
    officer = make_user(session, "police", "BO")
    secret = create_token(session, officer, "x")
    session.commit()
    assert (
        _post(client, f"/staff/users/{officer.id}", role="police", country="PE", agency="DIRINCRI").status_code == 303
    )
    assert _fresh(session, officer).country_code == "PE" and user_for_token(session, secret) is None


def test_an_admin_manages_a_coordinator_and_a_country_role_needs_a_country(client, login_as, session):
    login_as("admin", None)
    coordinator = make_user(session, "coordinator", "CL")
    session.commit()
    assert _post(client, f"/staff/users/{coordinator.id}", role="police", country="", agency="").status_code == 422
    assert _post(client, f"/staff/users/{coordinator.id}/deactivate").status_code == 303
    assert not _fresh(session, coordinator).active


@pytest.mark.parametrize("role", ["admin", "coordinator"])
def test_nobody_deactivates_or_re_roles_their_own_account(client, login_as, session, role):
    me = login_as(role, "BO" if role == "coordinator" else None)
    english(client)
    refused = _post(client, f"/staff/users/{me.id}/deactivate")
    assert refused.status_code == (403 if role == "admin" else 404)
    assert _fresh(session, me).active
    if role == "admin":
        assert "your own account" in refused.get_data(as_text=True)
        assert _post(client, f"/staff/users/{me.id}", role="police", country="BO", agency="").status_code == 403
        assert _fresh(session, me).role == "admin"


def test_staff_creation_refuses_an_invalid_address(client, login_as, session):
    login_as("coordinator", "BO")
    response = _post(
        client,
        "/staff/users",
        email="officer at example",
        password="a long enough password",
        role="police",
        country="BO",
    )
    assert response.status_code == 422
    assert session.scalar(select(User).where(User.role == "police")) is None


def test_a_coordinator_cannot_create_a_family_account(client, login_as, session):
    login_as("coordinator", "BO")
    response = _post(client, "/staff/users", email="fam@example.test", password="a long enough password", role="family")
    assert response.status_code == 404
    assert session.scalar(select(User).where(User.role == "family")) is None


def test_a_coordinator_makes_a_certified_trainee_of_their_country_a_trainer(client, login_as, session):
    login_as("coordinator", "BO")
    trainee = make_user(session, "trainee", "BO", agency="FELCC")
    abroad = make_user(session, "trainee", "PE", agency="DIVINDAT")
    session.commit()

    response = _post(client, f"/staff/users/{trainee.id}", role="trainer", country="BO", agency="FELCC")

    assert response.status_code == 303 and _fresh(session, trainee).role == "trainer"
    assert _post(client, f"/staff/users/{abroad.id}", role="trainer", country="PE", agency="x").status_code == 404
