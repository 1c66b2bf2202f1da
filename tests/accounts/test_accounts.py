"""Registration, login, session epochs, safe redirects, staff accounts, tokens."""

from __future__ import annotations

from sqlalchemy import select

from portal.accounts.models import User
from portal.audit.models import AuditEvent
from tests.accounts.helpers import link_token
from tests.builders import PASSWORD, make_user


def _login(client, csrf, email, password=PASSWORD, next_=""):
    return client.post(
        f"/login?next={next_}" if next_ else "/login", data={"email": email, "password": password, "csrf_token": csrf()}
    )


def test_family_registers_verifies_then_logs_in_and_lands_on_the_claim_form(client, csrf, session):
    response = client.post(
        "/register",
        data={
            "email": "New.Family@Example.test",
            "password": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Ana (invented)",
            "role": "admin",
            "csrf_token": csrf("/register"),
        },
    )
    assert response.status_code == 303 and response.location.endswith("/check-your-email/registration")
    assert client.get("/account").status_code == 302  # registering no longer logs in
    user = session.scalar(select(User).where(User.email == "new.family@example.test"))
    assert user.role == "family"  # a posted role is ignored: self-registration is family only
    assert user.password_hash.startswith("$argon2id$") and user.email_verified_at is None
    token = link_token(session, "accounts/verify", "new.family@example.test")
    assert client.get(f"/verify/{token}").status_code == 302
    response = _login(client, csrf, "new.family@example.test", next_="/claims/new")
    assert response.status_code == 302 and response.location.endswith("/claims/new")


def test_registration_errors_keep_values_and_answer_422(client, csrf):
    response = client.post(
        "/register",
        data={
            "email": "x@example.test",
            "password": "short",
            "password2": "short",
            "display_name": "Kept Name",
            "csrf_token": csrf("/register"),
        },
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Kept Name" in body and "x@example.test" in body


def test_post_without_csrf_token_is_refused(client, session):
    make_user(session, "family", email="f@example.test")
    session.commit()
    response = client.post("/login", data={"email": "f@example.test", "password": PASSWORD})
    assert response.status_code == 400


def test_login_and_logout_kill_every_copy_of_the_cookie(app, client, csrf, session):
    make_user(session, "police", "BO", email="officer@example.test")
    session.commit()
    assert _login(client, csrf, "officer@example.test").status_code == 302
    stolen = app.test_client()
    cookie = client.get_cookie("session")
    stolen.set_cookie("session", cookie.value)
    assert stolen.get("/account").status_code == 200
    client.post("/logout", data={"csrf_token": csrf("/account")})
    assert stolen.get("/account").status_code == 302  # the copied cookie no longer logs in
    actions = set(session.scalars(select(AuditEvent.action)))
    assert {"account.login", "account.logout"} <= actions


def test_password_change_ends_other_sessions_but_keeps_this_one(app, client, csrf, session):
    make_user(session, "family", email="fam@example.test")
    session.commit()
    _login(client, csrf, "fam@example.test")
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "another long password", "csrf_token": csrf("/account")},
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 302


def test_repeated_failures_make_that_address_wait_even_with_the_right_password(client, csrf, session):
    make_user(session, "family", email="lock@example.test")
    session.commit()
    for _ in range(5):
        assert _login(client, csrf, "lock@example.test", "wrong password!").status_code == 401
    assert _login(client, csrf, "lock@example.test").status_code == 401  # must wait, even with the right one


def test_next_redirects_only_within_the_site(client, csrf, session):
    make_user(session, "family", email="n@example.test")
    session.commit()
    response = _login(client, csrf, "n@example.test", next_="https://evil.example/x")
    assert response.location in ("/cases", "http://localhost/cases")
    client.post("/logout", data={"csrf_token": csrf("/account")})
    response = _login(client, csrf, "n@example.test", next_="/claims")
    assert response.location.endswith("/claims")


def test_deactivated_user_is_logged_out(app, client, csrf, session, login_as):
    from portal.accounts.staff import set_active

    admin = make_user(session, "admin", None)
    user = login_as("police", "BO")
    assert client.get("/account").status_code == 200
    set_active(session, admin, session.get(User, user.id), False)
    session.commit()
    assert client.get("/account").status_code == 302


def test_coordinator_creates_police_of_own_country_only(client, csrf, session, login_as):
    login_as("coordinator", "BO")
    ok = client.post(
        "/staff/users",
        data={
            "email": "p1@example.test",
            "password": PASSWORD,
            "role": "police",
            "country": "BO",
            "csrf_token": csrf("/staff/users"),
        },
    )
    assert ok.status_code == 302
    other = client.post(
        "/staff/users",
        data={
            "email": "p2@example.test",
            "password": PASSWORD,
            "role": "police",
            "country": "PE",
            "csrf_token": csrf("/staff/users"),
        },
    )
    assert other.status_code == 404
    coordinator = client.post(
        "/staff/users",
        data={
            "email": "c2@example.test",
            "password": PASSWORD,
            "role": "coordinator",
            "country": "BO",
            "csrf_token": csrf("/staff/users"),
        },
    )
    assert coordinator.status_code == 404
    emails = set(session.scalars(select(User.email)))
    assert "p1@example.test" in emails and "p2@example.test" not in emails


def test_family_cannot_reach_staff_management(client, login_as):
    login_as("family")
    assert client.get("/staff/users").status_code == 404


def test_token_created_on_account_page_is_shown_once(client, csrf, login_as):
    login_as("police", "BO")
    page = client.post("/account/tokens", data={"name": "app", "csrf_token": csrf("/account")})
    assert page.status_code == 200 and "mpp_" in page.get_data(as_text=True)
    assert "mpp_" not in client.get("/account").get_data(as_text=True)


def test_a_token_is_revoked_from_the_account_page_and_stops_working(client, csrf, login_as, session):
    from portal.accounts.models import ApiToken
    from portal.accounts.services import create_token, user_for_token

    officer = login_as("police", "BO")
    secret = create_token(session, officer, "phone")
    other = create_token(session, make_user(session, "police", "BO"), "theirs")
    session.commit()
    mine, theirs = session.scalars(select(ApiToken).order_by(ApiToken.id)).all()
    token = csrf("/account")
    assert client.post(f"/account/tokens/{theirs.id}/revoke", data={"csrf_token": token}).status_code == 404
    assert client.post("/account/tokens/99999999999/revoke", data={"csrf_token": token}).status_code == 404
    done = client.post(f"/account/tokens/{mine.id}/revoke", data={"csrf_token": token})
    assert done.status_code == 303
    session.expire_all()
    assert user_for_token(session, secret) is None and user_for_token(session, other) is not None
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "token.revoke")).one()
    assert (event.actor_id, event.details) == (officer.id, {"token": mine.id})


def test_every_account_event_done_on_the_pages_is_audited(client, csrf, session):
    response = client.post(
        "/register",
        data={"email": "a@example.test", "password": PASSWORD, "password2": PASSWORD, "csrf_token": csrf("/register")},
    )
    assert response.status_code == 303
    client.get(f"/verify/{link_token(session, 'accounts/verify', 'a@example.test')}")
    _login(client, csrf, "a@example.test", password="wrong password!")
    _login(client, csrf, "a@example.test")
    client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "another long password", "csrf_token": csrf("/account")},
    )
    client.post("/account/tokens", data={"name": "x", "csrf_token": csrf("/account")})
    actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == [
        "account.register",
        "account.verify",
        "account.login_failed",
        "account.login",
        "account.password",
        "token.create",
    ]
