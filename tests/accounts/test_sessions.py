"""Login sessions: the __Host- cookie, idle and absolute timeouts on an injected clock, no remember-me,
and the password typed again before exports, role changes, deactivation and dismissing a flag."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from flask_login import login_user
from sqlalchemy import select

from portal import login_sessions
from portal.accounts.models import LoginThrottle, User
from portal.app import create_app
from portal.audit.models import AuditEvent
from portal.flags.models import RiskReview
from tests.accounts.helpers import english, log_in
from tests.builders import PASSWORD, csrf_token, girl, make_user

START = 1_900_000_000.0
MINUTE, HOUR = 60, 3600
PRODUCTION_KEY = "a-long-random-production-key-0123456789"


@pytest.fixture
def clock(monkeypatch):
    """The sessions' clock, moved by the test: ``clock.at(seconds after START)``."""

    class Clock:
        now = START

        def at(self, seconds: float) -> None:
            self.now = START + seconds

    moved = Clock()
    monkeypatch.setattr(login_sessions, "now", lambda: moved.now)
    return moved


def _login_target(response) -> tuple[str, str]:
    """The path a redirect goes to, and its ``next``."""
    parts = urlsplit(response.headers["Location"])
    return parts.path, parse_qs(parts.query).get("next", [""])[0]


def _events(session, action: str) -> list[AuditEvent]:
    session.expire_all()
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# The cookie


def test_production_names_the_session_cookie_host_only_with_every_attribute(database_url):
    app = create_app(
        "production", DATABASE_URL=database_url, SECRET_KEY=PRODUCTION_KEY, RATELIMIT_STORAGE_URI="memory://"
    )
    response = app.test_client().get("/lang/en", base_url="https://portal.example")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("__Host-portal_session="))
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "path", "samesite"} <= attributes and "domain" not in attributes
    assert "Path=/;" in cookie + ";" and "SameSite=Lax" in cookie
    assert "expires" not in attributes and "max-age" not in attributes  # it dies with the browser


def test_plain_http_development_keeps_a_name_browsers_accept_without_tls(database_url):
    app = create_app("development", DATABASE_URL=database_url)
    cookies = app.test_client().get("/lang/en").headers.getlist("Set-Cookie")
    assert any(c.startswith("session=") for c in cookies) and not any("__Host-" in c for c in cookies)


# Timeouts


def test_an_officer_is_logged_out_after_30_idle_minutes_and_returns_where_they_were(client, login_as, clock):
    login_as("police", "BO")
    english(client)
    clock.at(29 * MINUTE)
    assert client.get("/account?tab=tokens").status_code == 200
    clock.at(29 * MINUTE + 30 * MINUTE + 1)
    expired = client.get("/account?tab=tokens")
    assert expired.status_code == 303 and _login_target(expired) == ("/login", "/account?tab=tokens")
    page = client.get(expired.headers["Location"]).get_data(as_text=True)
    assert "Your session ended after 30 minutes without activity. Log in again." in page
    assert client.get("/account").status_code == 302  # logged out for good, not only redirected once


def test_activity_extends_an_officer_session_but_never_past_12_hours(client, login_as, clock):
    login_as("coordinator", "BO")
    english(client)
    for minutes in range(25, 12 * 60, 25):  # a request every 25 minutes all day
        clock.at(minutes * MINUTE)
        assert client.get("/account").status_code == 200, minutes
    clock.at(12 * HOUR + 1)
    expired = client.get("/account")
    assert expired.status_code == 303
    page = client.get(expired.headers["Location"]).get_data(as_text=True)
    assert "Your session ended 12 hours after you logged in. Log in again." in page


def test_a_family_keeps_two_idle_hours_for_its_long_form(client, login_as, clock):
    login_as("family")
    clock.at(90 * MINUTE)
    assert client.get("/account").status_code == 200
    clock.at(90 * MINUTE + 2 * HOUR + 1)
    assert client.get("/account").status_code == 303


def test_an_expired_post_changes_nothing_and_says_so(client, login_as, session, clock):
    user = login_as("police", "BO")
    english(client)
    token = csrf_token(client, "/account")
    clock.at(31 * MINUTE)
    refused = client.post(
        "/account/locale", data={"csrf_token": token, "locale": "pt"}, headers={"Referer": "http://localhost/account"}
    )
    assert refused.status_code == 303 and _login_target(refused) == ("/login", "/account")
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "What you sent was not saved: log in and send it again." in page
    session.expire_all()
    assert session.get(User, user.id).preferred_locale != "pt"


def test_a_session_cookie_without_its_times_ends(client, session):
    officer = make_user(session, "police", "BO")
    session.commit()
    with client.session_transaction() as cookie:
        cookie["_user_id"], cookie["_fresh"] = officer.get_id(), True
    assert client.get("/account").status_code == 303
    assert client.get("/account").status_code == 302  # now simply the public


def test_the_login_page_stamps_the_session_and_the_api_ignores_cookie_times(client, csrf, session, clock):
    officer = make_user(session, "police", "BO")
    session.commit()
    assert log_in(client, csrf, officer.email).status_code == 302
    clock.at(10 * MINUTE)
    assert client.get("/account").status_code == 200
    clock.at(10 * HOUR)
    api = client.get("/api/v1/claims")  # the API reads tokens, never the cookie: no redirect there
    assert api.status_code == 200 and api.is_json
    assert client.get("/account").status_code == 303


# No remember-me


@pytest.mark.own_app
def test_no_remember_me_cookie_even_when_a_view_asks_for_one(app, client, csrf, session):
    officer = make_user(session, "police", "BO")
    session.commit()

    @app.get("/test-remember")
    def remember():  # a view that wrongly asks Flask-Login for a remember-me cookie
        login_user(_reload(officer), remember=True)
        return "ok"

    cookies = log_in(client, csrf, officer.email).headers.getlist("Set-Cookie")
    cookies += client.get("/test-remember").headers.getlist("Set-Cookie")
    assert cookies and not any(c.startswith("remember_token") for c in cookies)


def _reload(user):
    from portal.db import get_session

    return get_session().get(User, user.id)


# Re-authentication


def _stale(clock) -> None:
    """Eleven minutes after the login: still logged in, no longer recently authenticated."""
    clock.at(11 * MINUTE)


def _confirm(client, password: str, next_path: str, address: str = "127.0.0.1"):
    token = csrf_token(client, f"/account/confirm?next={next_path}")
    return client.post(
        f"/account/confirm?next={next_path}",
        data={"csrf_token": token, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_the_cascade_export_asks_for_the_password_then_downloads(client, login_as, session, clock):
    coordinator = login_as("coordinator", "BO")
    english(client)
    _stale(clock)
    asked = client.get("/training/cascade.csv")
    assert asked.status_code == 303 and _login_target(asked) == ("/account/confirm", "/training/cascade.csv")
    assert _events(session, "training.export") == []
    back = _confirm(client, PASSWORD, "/training/cascade.csv")
    assert back.status_code == 302 and back.headers["Location"] == "/training/cascade.csv"
    export = client.get("/training/cascade.csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    assert [e.actor_id for e in _events(session, "account.reauth")] == [coordinator.id]
    assert len(_events(session, "training.export")) == 1


def test_a_wrong_password_on_the_confirm_page_is_counted_audited_and_refused(client, login_as, session, clock):
    officer = login_as("coordinator", "BO")
    english(client)
    _stale(clock)
    refused = _confirm(client, "not the password", "/training/cascade.csv")
    assert refused.status_code == 401
    assert "The password is not right" in refused.get_data(as_text=True)
    session.expire_all()
    throttle = session.scalars(select(LoginThrottle).where(LoginThrottle.user_id == officer.id)).one()
    assert throttle.failures == 1
    assert len(_events(session, "account.reauth_failed")) == 1
    assert client.get("/training/cascade.csv").status_code == 303  # still not allowed
    assert _confirm(client, PASSWORD, "/training/cascade.csv").status_code == 302
    session.expire_all()
    assert session.scalars(select(LoginThrottle).where(LoginThrottle.user_id == officer.id)).all() == []


def test_after_the_free_failures_even_the_right_password_waits(client, login_as, session, clock):
    login_as("coordinator", "BO")
    _stale(clock)
    for _ in range(6):
        assert _confirm(client, "wrong password!", "/account").status_code == 401
    assert _confirm(client, PASSWORD, "/account").status_code == 401  # this address must wait now
    assert _events(session, "account.reauth") == []


def test_a_role_change_and_a_deactivation_need_a_recent_password(client, login_as, session, clock):
    login_as("coordinator", "BO")
    officer = make_user(session, "police", "BO")
    session.commit()
    english(client)
    token = csrf_token(client, "/staff/users")
    _stale(clock)
    page = f"/staff/users/{officer.id}"
    assert _login_target(client.get(page)) == ("/account/confirm", page)
    referer = {"Referer": f"http://localhost{page}"}
    changed = client.post(page, data={"csrf_token": token, "role": "trainer", "country": "BO"}, headers=referer)
    deactivated = client.post(f"{page}/deactivate", data={"csrf_token": token}, headers=referer)
    for refused in (changed, deactivated):
        assert refused.status_code == 303 and _login_target(refused) == ("/account/confirm", page)
    session.expire_all()
    kept = session.get(User, officer.id)
    assert (kept.role, kept.active) == ("police", True)
    text = client.get(changed.headers["Location"]).get_data(as_text=True)
    assert "For your safety, type your password again before this action. Nothing was changed." in text
    assert _confirm(client, PASSWORD, page).headers["Location"] == page
    assert client.get(page).status_code == 200
    assert client.post(f"{page}/deactivate", data={"csrf_token": token}).status_code == 303
    session.expire_all()
    assert not session.get(User, officer.id).active


def test_dismissing_a_flag_needs_a_recent_password_and_the_form_waits_for_it(client, login_as, session, clock):
    claim = girl(session)
    session.commit()
    login_as("police", "BO")
    english(client)
    token = csrf_token(client, f"/cases/{claim.id}")
    _stale(clock)
    page = client.get(f"/cases/{claim.id}").get_data(as_text=True)
    assert "To dismiss, confirm your password first" in page and 'id="risk-reason"' not in page
    refused = client.post(f"/flags/claims/{claim.id}/dismiss", data={"csrf_token": token, "reason": "Contacto."})
    assert refused.status_code == 303 and urlsplit(refused.headers["Location"]).path == "/account/confirm"
    assert session.scalars(select(RiskReview)).all() == []
    escalated = client.post(f"/flags/claims/{claim.id}/escalate", data={"csrf_token": token})
    assert urlsplit(escalated.headers["Location"]).path == f"/cases/{claim.id}"  # escalating needs no password
    assert _confirm(client, PASSWORD, f"/cases/{claim.id}").status_code == 302
    assert 'id="risk-reason"' in client.get(f"/cases/{claim.id}").get_data(as_text=True)
    done = client.post(f"/flags/claims/{claim.id}/dismiss", data={"csrf_token": token, "reason": "Contacto."})
    assert urlsplit(done.headers["Location"]).path == f"/cases/{claim.id}"
    assert [r.action for r in session.scalars(select(RiskReview).order_by(RiskReview.id))] == ["escalate", "dismiss"]


def test_the_public_is_sent_to_log_in_before_any_confirmation(client):
    response = client.get("/account/confirm?next=/training/cascade.csv")
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/login"


def test_the_confirm_page_never_sends_anyone_off_the_site(client, login_as, clock):
    login_as("police", "BO")
    _stale(clock)
    assert _confirm(client, PASSWORD, "https://evil.example/").headers["Location"] == "/account"
