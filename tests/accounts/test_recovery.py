"""Forgotten passwords: the same answer for every address, a reset link that works once, clear dead links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.accounts.models import LoginThrottle, User
from portal.accounts.recovery import reset_token
from portal.accounts.services import create_token, user_for_token
from portal.accounts.staff import set_active
from portal.audit.models import AuditEvent
from portal.db import utcnow
from tests.accounts.helpers import browser_of, english, link_token, log_in, mail
from tests.builders import csrf_token, make_user

NEW_PASSWORD = "a brand new long password"


def _ask(client, email):
    return client.post("/forgot-password", data={"email": email, "csrf_token": csrf_token(client, "/forgot-password")})


def _reset(client, token, password=NEW_PASSWORD, again=None):
    data = {"password": password, "password2": again or password}
    return client.post(f"/reset-password/{token}", data={**data, "csrf_token": csrf_token(client, "/login")})


def test_asking_for_a_reset_answers_the_same_for_known_and_unknown_addresses(app, session):
    make_user(session, "police", "BO", email="known@example.test")
    session.commit()
    known, unknown = english(app.test_client()), english(app.test_client())
    a, b = _ask(known, "Known@Example.test"), _ask(unknown, "nobody@example.test")
    assert (a.status_code, a.location) == (b.status_code, b.location) == (303, "/check-your-email/reset")
    page_a, page_b = known.get(a.location), unknown.get(b.location)
    assert page_a.status_code == page_b.status_code == 200
    assert page_a.get_data(as_text=True) == page_b.get_data(as_text=True)
    assert "If this address has an account" in page_a.get_data(as_text=True)
    assert [m.address for m in mail(session, "accounts/reset")] == ["known@example.test"]
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "account.reset_request")).all()
    assert len(events) == 2 and {e.target_id for e in events} == {""}  # the trail names no account either


def test_an_invalid_address_is_a_form_error(client, session):
    response = _ask(english(client), "not an address")
    assert response.status_code == 422 and "Enter a valid email address." in response.get_data(as_text=True)
    assert not mail(session, "accounts/reset")


def test_a_reset_link_works_once_and_ends_every_session_and_token(app, client, session):
    user = make_user(session, "police", "BO", email="reset@example.test")
    secret = create_token(session, user, "phone")
    session.add(
        LoginThrottle(user_id=user.id, address="10.0.0.9", failures=7, blocked_until=utcnow() + timedelta(minutes=5))
    )
    session.commit()
    other_browser = browser_of(app, user)
    _ask(english(client), "reset@example.test")
    token = link_token(session, "accounts/reset", "reset@example.test")
    form = client.get(f"/reset-password/{token}")
    assert form.status_code == 200 and 'name="password2"' in form.get_data(as_text=True)
    done = _reset(client, token)
    assert done.status_code == 303 and done.location.endswith("/login")
    assert log_in(client, lambda p: csrf_token(client, p), "reset@example.test", NEW_PASSWORD).status_code == 302
    assert other_browser.get("/account").status_code == 302  # every other session ended
    assert user_for_token(session, secret) is None  # a reset revokes every API token
    assert session.scalar(select(LoginThrottle).where(LoginThrottle.user_id == user.id)) is None
    again = english(app.test_client())
    for response in (again.get(f"/reset-password/{token}"), _reset(again, token, "yet another long password")):
        body = response.get_data(as_text=True)
        assert response.status_code == 400 and "already been used" in body and "<html" in body
    session.expire_all()
    assert log_in(again, lambda p: csrf_token(again, p), "reset@example.test", NEW_PASSWORD).status_code == 302
    actions = set(session.scalars(select(AuditEvent.action)))
    assert {"account.password_reset", "token.revoke_all"} <= actions


def test_an_expired_reset_link_gets_a_clear_page(app, client, session):
    user = make_user(session, "family", email="slow@example.test")
    session.commit()
    with app.app_context():
        token = reset_token(user, now=utcnow() - timedelta(minutes=61))
    for response in (english(client).get(f"/reset-password/{token}"), _reset(client, token)):
        body = response.get_data(as_text=True)
        assert response.status_code == 410 and "expired" in body and "<html" in body


def test_a_reset_link_of_a_deactivated_account_gets_a_clear_page(app, client, session):
    admin = make_user(session, "admin", None)
    user = make_user(session, "police", "BO", email="gone@example.test")
    session.commit()
    with app.app_context():
        token = reset_token(user)
    set_active(session, admin, user, False)
    session.commit()
    response = english(client).get(f"/reset-password/{token}")
    assert response.status_code == 400 and "no longer valid" in response.get_data(as_text=True)
    assert _reset(client, token).status_code == 400
    assert not mail(session, "accounts/reset")
    _ask(client, "gone@example.test")  # a deactivated account is sent no link at all
    assert not mail(session, "accounts/reset")


def test_the_new_password_follows_the_rules_and_the_link_stays_usable_until_it_does(client, session):
    make_user(session, "family", email="rules@example.test")
    session.commit()
    _ask(client, "rules@example.test")
    token = link_token(session, "accounts/reset", "rules@example.test")
    assert _reset(client, token, "short").status_code == 422
    assert _reset(client, token, NEW_PASSWORD, "something else entirely").status_code == 422
    assert _reset(client, token).status_code == 303


@pytest.mark.parametrize("token", ["", "x" * 600, "not-a-token.at.all"])
def test_garbage_links_are_clear_pages_not_crashes(client, token):
    for path in (f"/reset-password/{token}", f"/verify/{token}", f"/unlock/{token}"):
        response = client.get(path)
        assert response.status_code in (400, 404), path


def test_a_reset_verifies_an_unverified_address(client, session):
    user = make_user(session, "family", email="unverified@example.test")
    user.email_verified_at = None
    session.commit()
    _ask(client, "unverified@example.test")
    _reset(client, link_token(session, "accounts/reset", "unverified@example.test"))
    session.expire_all()
    assert session.get(User, user.id).email_verified_at is not None
