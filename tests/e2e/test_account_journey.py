"""An officer on a phone creates an API token for a police system, then revokes it."""

from __future__ import annotations

from sqlalchemy import select

from portal.accounts.models import ApiToken
from portal.audit.models import AuditEvent
from tests.builders import log_in, make_user, screenshot


def test_an_officer_creates_then_revokes_a_token(page, live_server, session):
    make_user(session, "police", "BO", email="officer.tokens@example.test")
    session.commit()
    log_in(page, live_server, "officer.tokens@example.test")
    page.goto(live_server + "/account")
    page.fill("input[name=name]", "Sistema de la FELCC")
    page.get_by_role("button", name="Crear un token").click()
    page.wait_for_load_state()
    assert page.locator("code").inner_text().startswith("mpp_")  # shown once
    screenshot(page, "account-token-created")
    page.get_by_role("button", name="Revocar").click()
    page.wait_for_load_state()
    assert "El token fue revocado." in page.content()
    assert page.get_by_role("button", name="Revocar").count() == 0
    screenshot(page, "account-token-revoked")
    session.expire_all()
    assert session.scalar(select(ApiToken.revoked_at)) is not None
    actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions[-2:] == ["token.create", "token.revoke"]
