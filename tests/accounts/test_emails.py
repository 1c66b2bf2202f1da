"""The account e-mails render, in every offered language, with a working link and no password."""

from __future__ import annotations

import pytest

from config import Config
from portal.notify.render import render

CONTEXTS = {
    "accounts/verify": {"token": "TOKEN-123"},
    "accounts/reset": {"token": "TOKEN-123"},
    "accounts/unlock": {"token": "TOKEN-123", "failures": 10, "address": "10.0.0.1", "coordinators_told": True},
    "accounts/already_registered": {},
    "accounts/lockout_coordinator": {
        "email": "officer@example.test",
        "name": "Officer (invented)",
        "failures": 10,
        "address": "10.0.0.1",
    },
}
LINKS = {
    "accounts/verify": "/verify/TOKEN-123",
    "accounts/reset": "/reset-password/TOKEN-123",
    "accounts/unlock": "/unlock/TOKEN-123",
    "accounts/already_registered": "/forgot-password",
    "accounts/lockout_coordinator": "/staff/users",
}


@pytest.mark.parametrize("locale", Config.LOCALES)
@pytest.mark.parametrize("template", sorted(CONTEXTS))
def test_each_account_email_renders_with_its_link(app, template, locale):
    with app.test_request_context(base_url="https://portal.example.test"):
        message = render(app, template, CONTEXTS[template], locale)
    assert message.subject and "\n" not in message.subject
    assert f"https://portal.example.test{LINKS[template]}" in message.body
    assert "{{" not in message.body and "%(" not in message.body


def test_the_coordinator_notice_names_the_officer_and_the_address(app):
    with app.test_request_context():
        message = render(app, "accounts/lockout_coordinator", CONTEXTS["accounts/lockout_coordinator"], "en")
    assert "Officer (invented) (officer@example.test)" in message.body and "10.0.0.1" in message.body
    assert "officer@example.test" in message.subject
