"""API tokens: an expiry chosen at creation, listed on the account page, revoked with a password change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from portal.accounts.models import ApiToken
from portal.accounts.services import create_token, user_for_token
from portal.db import utcnow
from tests.accounts.helpers import english
from tests.builders import PASSWORD, csrf_token


def _api(client, secret):
    return client.get("/api/v1/claims", headers={"Authorization": f"Bearer {secret}"})


@pytest.mark.parametrize(("days", "status"), [("30", 200), ("90", 200), ("365", 200), ("7", 422), ("x", 200)])
def test_a_token_lasts_the_days_chosen(client, login_as, session, days, status):
    login_as("police", "BO")
    response = client.post(
        "/account/tokens", data={"name": "app", "days": days, "csrf_token": csrf_token(client, "/account")}
    )
    assert response.status_code == status
    expected = {"30": 30, "90": 90, "365": 365, "x": 90}.get(days)  # no number: the default
    rows = session.scalars(select(ApiToken)).all()
    if expected is None:
        assert rows == []
    else:
        assert abs(rows[0].expires_at - (utcnow() + timedelta(days=expected))) < timedelta(minutes=1)


def test_an_expired_token_gets_401_and_disappears_from_the_page(app, client, login_as, session):
    officer = login_as("police", "BO")
    secret = create_token(session, officer, "old one", days=30)
    session.commit()
    assert _api(app.test_client(), secret).status_code == 200
    session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    session.commit()
    response = _api(app.test_client(), secret)
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    assert "old one" not in client.get("/account").get_data(as_text=True)


def test_a_revoked_token_gets_401(app, client, login_as, session):
    officer = login_as("police", "BO")
    secret = create_token(session, officer, "phone")
    session.commit()
    token_id = session.scalar(select(ApiToken.id))
    client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(client, "/account")})
    assert _api(app.test_client(), secret).status_code == 401


def test_the_account_page_lists_each_token_with_its_expiry_and_last_use(app, client, login_as, session):
    officer = login_as("police", "BO")
    secret = create_token(session, officer, "FELCC system", days=365)
    create_token(session, officer, "spare", days=30)
    session.commit()
    _api(app.test_client(), secret)
    page = english(client).get("/account").get_data(as_text=True)
    assert "FELCC system" in page and "spare" in page
    assert page.count("expires ") == 2 and "last used " in page and "never used" in page
    assert "Also revoke my 2 API tokens" in page and 'name="revoke_tokens" value="1" checked' in page


@pytest.mark.parametrize(("ticked", "still_works"), [(True, False), (False, True)])
def test_a_password_change_revokes_the_tokens_when_the_box_is_ticked(client, login_as, session, ticked, still_works):
    officer = login_as("police", "BO")
    secret = create_token(session, officer, "phone")
    session.commit()
    data = {"current_password": PASSWORD, "new_password": "another long password"}
    if ticked:
        data["revoke_tokens"] = "1"
    response = client.post("/account/password", data={**data, "csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 302
    assert (user_for_token(session, secret) is not None) is still_works
