"""`portal tokens list|revoke|create --days` and `portal users deactivate|reactivate`, each audited."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import select

from portal.accounts.models import ApiToken, User
from portal.accounts.services import create_token, user_for_token
from portal.audit.models import AuditEvent
from portal.audit.services import COMMAND_LINE
from portal.cli import main
from portal.commands import AppLoader
from portal.db import utcnow
from tests.accounts.helpers import browser_of
from tests.builders import make_user


def _portal(app, *args):
    return CliRunner().invoke(main, list(args), obj=AppLoader(lambda: app))


def _events(session, action):
    return session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_tokens_list_shows_each_token_and_its_state_but_no_secret(app, session):
    officer = make_user(session, "police", "BO", email="list@example.test")
    live = create_token(session, officer, "patrol app")
    revoked = create_token(session, officer, "old phone")
    expired = create_token(session, officer, "laptop", days=30)
    rows = session.scalars(select(ApiToken).order_by(ApiToken.id)).all()
    rows[1].revoked_at = utcnow()
    rows[2].expires_at = utcnow() - timedelta(days=1)
    session.commit()
    result = _portal(app, "tokens", "list", "List@Example.test")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == ["id", "name", "created (UTC)", "expires (UTC)", "last used (UTC)", "state"]
    states = {line.split("\t")[1]: line.split("\t")[-1] for line in lines[1:]}
    assert states == {"patrol app": "live", "old phone": "revoked", "laptop": "expired"}
    assert not any(secret[4:12] in result.output for secret in (live, revoked, expired))
    [event] = _events(session, "token.list")
    assert (event.ip, event.actor_role, event.target_id) == (COMMAND_LINE, "operator", str(officer.id))


def test_tokens_revoke_stops_a_token_and_is_audited(app, session):
    officer = make_user(session, "police", "BO")
    secret = create_token(session, officer, "x")
    session.commit()
    token_id = session.scalar(select(ApiToken.id))
    result = _portal(app, "tokens", "revoke", str(token_id))
    assert result.exit_code == 0, result.output
    assert user_for_token(session, secret) is None
    [event] = _events(session, "token.revoke")
    assert (event.ip, event.actor_id, event.details) == (COMMAND_LINE, None, {"token": token_id})
    unknown = _portal(app, "tokens", "revoke", "999999")
    assert unknown.exit_code != 0 and "no token" in unknown.stderr


def test_users_deactivate_and_reactivate_end_access_and_are_audited(app, session):
    officer = make_user(session, "police", "BO", email="leaving@example.test")
    secret = create_token(session, officer, "x")
    session.commit()
    browser = browser_of(app, officer)
    result = _portal(app, "users", "deactivate", "leaving@example.test")
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert not session.get(User, officer.id).active and user_for_token(session, secret) is None
    assert browser.get("/account").status_code == 302
    assert _portal(app, "users", "reactivate", "leaving@example.test").exit_code == 0
    session.expire_all()
    assert session.get(User, officer.id).active
    for action in ("account.deactivate", "account.activate"):
        [event] = _events(session, action)
        assert (event.ip, event.actor_role) == (COMMAND_LINE, "operator")
    unknown = _portal(app, "users", "deactivate", "nobody@example.test")
    assert unknown.exit_code != 0 and "no account" in unknown.stderr


def test_tokens_create_takes_a_number_of_days(app, session):
    make_user(session, "police", "BO", email="days@example.test")
    session.commit()
    assert _portal(app, "tokens", "create", "days@example.test", "--days", "365").exit_code == 0
    expires = session.scalar(select(ApiToken.expires_at))
    assert expires > utcnow() + timedelta(days=364)
    refused = _portal(app, "tokens", "create", "days@example.test", "--days", "7")
    assert refused.exit_code != 0
