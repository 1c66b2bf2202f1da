"""The admins' outbox page: what waits, what died, and sending a dead message again."""

from __future__ import annotations

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.notify.models import OutboxMessage, Status
from portal.notify.outbox import enqueue

EN = {"Accept-Language": "en"}


def _dead(session):
    message = enqueue(session, to="nadie@refused.test", template="witness/acted", context={"reference": "AV-1"})
    message.status, message.attempts, message.last_error = Status.DEAD, 10, "SMTPServerDisconnected"
    session.commit()
    return message.id


def test_an_admin_sees_dead_messages_and_sends_one_again(client, login_as, csrf, session):
    message_id = _dead(session)
    login_as("admin", None)

    page = client.get("/admin/outbox", headers=EN).get_data(as_text=True)
    assert "nadie@refused.test" in page and "SMTPServerDisconnected" in page and "Given up: 1" in page

    token = csrf("/admin/outbox")
    response = client.post(f"/admin/outbox/{message_id}/retry", data={"csrf_token": token})

    assert response.status_code == 303
    session.expire_all()
    row = session.get(OutboxMessage, message_id)
    assert row.status == Status.PENDING and row.attempts == 0
    assert session.scalar(select(AuditEvent.action).where(AuditEvent.action == "outbox.retry")) == "outbox.retry"


def test_nobody_else_sees_the_outbox(client, login_as, csrf, session):
    message_id = _dead(session)
    login_as("coordinator", "BO")

    assert client.get("/admin/outbox").status_code == 404
    token = csrf("/account")
    assert client.post(f"/admin/outbox/{message_id}/retry", data={"csrf_token": token}).status_code == 404


def test_retrying_a_message_that_is_not_dead_is_404(client, login_as, csrf, session):
    message = enqueue(session, to="a@example.org", template="witness/acted", context={"reference": "AV-1"})
    session.commit()
    login_as("admin", None)
    token = csrf("/admin/outbox")

    assert client.post(f"/admin/outbox/{message.id}/retry", data={"csrf_token": token}).status_code == 404
    assert client.post("/admin/outbox/99999999999/retry", data={"csrf_token": token}).status_code == 404


def test_an_officer_chooses_a_daily_summary_or_each_at_once_on_the_account_page(client, login_as, csrf, session):
    officer = login_as("police", "BO")
    page = client.get("/account", headers=EN).get_data(as_text=True)
    assert "E-mails about new possible matches" in page

    token = csrf("/account")
    client.post("/account/locale", data={"csrf_token": token, "locale": "en", "notify_candidates": "instant"})

    session.expire_all()
    saved = session.get(type(officer), officer.id)
    assert (saved.preferred_locale, saved.notify_candidates) == ("en", "instant")
    client.post("/account/locale", data={"csrf_token": token, "locale": "xx", "notify_candidates": "hourly"})
    session.expire_all()
    assert session.get(type(officer), officer.id).notify_candidates == "instant"  # unknown values ignored


def test_a_family_is_not_offered_the_police_choice(client, login_as, csrf, session):
    family = login_as("family")
    assert "E-mails about new possible matches" not in client.get("/account", headers=EN).get_data(as_text=True)
    client.post("/account/locale", data={"csrf_token": csrf("/account"), "notify_candidates": "instant"})
    session.expire_all()
    assert session.get(type(family), family.id).notify_candidates == "daily"
