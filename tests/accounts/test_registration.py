"""Families register, verify their address by an e-mailed link, and registration reveals no account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.accounts.services import verification_token
from portal.audit.models import AuditEvent
from portal.db import utcnow
from tests.accounts.helpers import english, link_token, log_in, mail
from tests.builders import PASSWORD, csrf_token, make_user


def _register(client, email, password=PASSWORD):
    data = {"email": email, "password": password, "password2": password, "display_name": "Rosa (invented)"}
    return client.post("/register", data={**data, "csrf_token": csrf_token(client, "/register")})


def test_registering_an_existing_address_looks_like_any_registration_and_mails_the_owner(app, csrf, session):
    owner = make_user(session, "family", email="owner@example.test")
    session.commit()
    first, second = app.test_client(), app.test_client()
    new = _register(first, "someone.new@example.test")
    taken = _register(second, "Owner@Example.test", "another long password")
    assert (
        (taken.status_code, taken.location)
        == (new.status_code, new.location)
        == (303, "/check-your-email/registration")
    )
    assert first.get(new.location).get_data(as_text=True) == second.get(taken.location).get_data(as_text=True)
    assert session.scalar(select(func.count(User.id)).where(User.email == "owner@example.test")) == 1
    [notice] = mail(session, "accounts/already_registered", "owner@example.test")
    assert notice.user_id == owner.id and "password" not in str(notice.context)
    assert not mail(session, "accounts/verify", "owner@example.test")
    assert log_in(second, lambda path: csrf_token(second, path), "owner@example.test").status_code == 302  # unchanged
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "account.register_existing")).one()
    assert event.target_id == str(owner.id) and event.actor_id is None


def test_an_unverified_address_registered_again_gets_a_new_verification_link(client, csrf, session):
    _register(client, "twice@example.test")
    _register(client, "twice@example.test")
    assert len(mail(session, "accounts/verify", "twice@example.test")) == 2
    assert session.scalar(select(func.count(User.id)).where(User.email == "twice@example.test")) == 1


def test_an_unverified_account_cannot_log_in_and_is_sent_a_new_link(client, csrf, session):
    english(client)
    _register(client, "waiting@example.test")
    refused = log_in(client, csrf, "waiting@example.test")
    assert refused.status_code == 403 and "confirm your email address" in refused.get_data(as_text=True)
    assert len(mail(session, "accounts/verify", "waiting@example.test")) == 2
    wrong = log_in(client, csrf, "waiting@example.test", "not the password")
    assert wrong.status_code == 401  # only the right password learns that the address awaits verification


def test_the_verification_link_works_and_following_it_again_is_harmless(client, csrf, session):
    _register(client, "verify.me@example.test")
    token = link_token(session, "accounts/verify", "verify.me@example.test")
    for _ in range(2):
        response = client.get(f"/verify/{token}")
        assert response.status_code == 302 and response.location.endswith("/login")
    assert session.scalar(select(User.email_verified_at).where(User.email == "verify.me@example.test")) is not None
    assert session.scalar(select(func.count()).where(AuditEvent.action == "account.verify")) == 1


@pytest.mark.parametrize(
    ("age", "tamper", "status", "says"),
    [(timedelta(hours=49), False, 410, "expired"), (timedelta(0), True, 400, "no longer valid")],
)
def test_an_expired_or_altered_verification_link_gets_a_clear_page(app, client, session, age, tamper, status, says):
    user = make_user(session, "family", email="late@example.test")
    user.email_verified_at = None
    session.commit()
    with app.app_context():
        token = verification_token(user, now=utcnow() - age)
    response = english(client).get(f"/verify/{token[:-2] + 'xx' if tamper else token}")
    body = response.get_data(as_text=True)
    assert response.status_code == status and says in body and "<html" in body
    session.expire_all()
    assert session.get(User, user.id).email_verified_at is None


@pytest.mark.parametrize("address", ["not-an-address", "a@b", "two@@example.test", "x@localhost"])
def test_an_invalid_address_is_refused_with_a_form_error(client, csrf, session, address):
    response = _register(english(client), address)
    assert response.status_code == 422 and "Enter a valid email address." in response.get_data(as_text=True)
    assert session.scalar(select(func.count(User.id))) == 0


def test_staff_and_command_line_accounts_count_as_verified(session):
    assert make_user(session, "police", "BO").email_verified_at is not None


def test_every_problem_of_the_form_is_reported_at_once(client, session):
    data = {"email": "nope", "password": "a long enough password", "password2": "a different long password"}
    response = english(client).post("/register", data={**data, "csrf_token": csrf_token(client, "/register")})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a valid email address." in body and "The two passwords differ." in body


def test_the_owner_gets_at_most_one_notice_an_hour(client, session):
    make_user(session, "family", email="popular@example.test")
    session.commit()
    for _ in range(3):
        assert _register(client, "popular@example.test").status_code == 303
    assert len(mail(session, "accounts/already_registered", "popular@example.test")) == 1
