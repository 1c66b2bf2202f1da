"""The outbox and its worker, against a real SMTP server on loopback (tests/web_fixtures.Mailbox)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.notify.models import OutboxMessage, Status
from portal.notify.outbox import enqueue
from portal.notify.worker import MAX_ATTEMPTS, backoff, collect_digests, last_digest_time
from tests.builders import make_user

NOON = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def _witness_message(session, address="testigo@example.org", locale="es"):
    message = enqueue(
        session, to=address, template="witness/acted", context={"reference": "AV-TEST-0001"}, locale=locale
    )
    session.commit()
    return message.id


def _row(session, message_id):
    session.expire_all()
    return session.get(OutboxMessage, message_id)


def test_a_committed_message_is_sent_in_the_recipients_language_then_forgotten(session, mailbox, deliver):
    spanish = _witness_message(session, "testigo@example.org", "es")
    english = _witness_message(session, "witness@example.org", "en")

    done = deliver()

    assert done.sent == 2
    (es,) = mailbox.to("testigo@example.org")
    (en,) = mailbox.to("witness@example.org")
    assert "AV-TEST-0001" in es["Subject"] and "AV-TEST-0001" in en["Subject"]
    assert en["Subject"] == "The police acted on your report AV-TEST-0001"
    assert es["Subject"] != en["Subject"]
    assert es["Content-Language"] == "es" and es["Auto-Submitted"] == "auto-generated"
    for message_id in (spanish, english):
        row = _row(session, message_id)
        assert row.status == Status.SENT and row.context is None and row.sent_at is not None


def test_a_change_that_rolled_back_sends_nothing(session, mailbox, deliver):
    enqueue(session, to="testigo@example.org", template="witness/acted", context={"reference": "AV-X"}, locale="es")
    session.rollback()

    assert deliver().sent == 0
    assert mailbox.messages == []
    assert session.scalar(select(OutboxMessage.id)) is None


def test_mail_server_down_the_message_waits_and_goes_later(session, mailbox, deliver):
    message_id = _witness_message(session)
    mailbox.stop()

    first = deliver()

    row = _row(session, message_id)
    assert (first.sent, first.retried) == (0, 1)
    assert row.status == Status.PENDING and row.attempts == 1
    assert row.next_attempt_at > datetime.now(UTC)
    assert "Error" in row.last_error and "@" not in row.last_error
    # Not due yet: a pass now sends nothing, even with the server back.
    mailbox.start()
    assert deliver().sent == 0
    later = deliver(now=datetime.now(UTC) + backoff(1) + timedelta(seconds=1))
    assert later.sent == 1
    assert len(mailbox.to("testigo@example.org")) == 1
    assert _row(session, message_id).status == Status.SENT


def test_after_the_last_retry_the_message_is_dead_and_kept(session, mailbox, deliver):
    message_id = _witness_message(session)
    mailbox.stop()
    now = datetime.now(UTC)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        deliver(now=now)
        now += backoff(attempt) + timedelta(seconds=1)

    row = _row(session, message_id)
    assert row.status == Status.DEAD and row.attempts == MAX_ATTEMPTS
    assert row.context == {"reference": "AV-TEST-0001"}  # kept, so that an admin can send it again


def test_an_address_the_server_refuses_is_dead_at_once_and_logged_without_it(session, mailbox, deliver, caplog):
    message_id = _witness_message(session, "nadie@refused.test")
    caplog.set_level(logging.INFO, logger="portal.notify.worker")

    done = deliver()

    row = _row(session, message_id)
    assert done.dead == 1 and row.status == Status.DEAD and row.attempts == 1
    assert "refused" in caplog.text.lower() or "PermanentFailure" in row.last_error
    assert "nadie" not in caplog.text and "nadie" not in row.last_error


def test_a_template_that_cannot_render_is_dead_not_retried(session, mailbox, deliver):
    message = enqueue(session, to="a@example.org", template="no/such/template", context={}, locale="es")
    session.commit()

    assert deliver().dead == 1
    assert _row(session, message.id).status == Status.DEAD
    assert mailbox.messages == []


def test_backoff_grows_and_is_capped():
    waits = [backoff(n) for n in range(1, 12)]
    assert waits == sorted(waits)
    assert waits[0] == timedelta(seconds=30) and waits[1] == timedelta(minutes=1)
    assert waits[-1] == timedelta(hours=2)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 12, 6, 12, 0, tzinfo=UTC), datetime(2026, 12, 6, 12, 0, tzinfo=UTC)),
        (datetime(2026, 12, 6, 11, 59, tzinfo=UTC), datetime(2026, 12, 5, 12, 0, tzinfo=UTC)),
        (datetime(2026, 12, 6, 23, 0, tzinfo=UTC), datetime(2026, 12, 6, 12, 0, tzinfo=UTC)),
    ],
)
def test_the_last_digest_time(now, expected):
    assert last_digest_time(now, 12) == expected


def test_held_messages_become_one_digest_per_officer_once_a_day(session, mailbox, deliver):
    officer = make_user(session, "police", "BO")
    other = make_user(session, "police", "PE")
    context = {"candidate_id": 1, "references": ["BO-2026-000001", "AV-AAAA-BBBB"], "kind": "sighting", "urgent": False}
    for _ in range(3):
        enqueue(session, to=officer.email, template="police/candidate", context=context, user=officer, held=True)
    enqueue(session, to=other.email, template="police/candidate", context=context, user=other, held=True)
    session.commit()
    for row in session.scalars(select(OutboxMessage)):
        row.created_at = NOON - timedelta(hours=3)
    session.commit()

    assert deliver().sent == 0  # held: nothing goes before the digest
    assert collect_digests(session, NOON - timedelta(hours=1), 12) == 0  # their digest time has not come
    assert collect_digests(session, NOON + timedelta(minutes=5), 12) == 2
    session.commit()
    assert deliver(now=NOON + timedelta(minutes=6)).sent == 2

    (digest,) = mailbox.to(officer.email)
    body = digest.get_content()
    assert body.count("BO-2026-000001") == 3
    assert "/review/candidates/1" in body
    assert session.scalar(select(OutboxMessage.id).where(OutboxMessage.status == Status.HELD)) is None


def test_without_a_mail_server_development_writes_messages_to_files_and_prints_only_where(app, session, tmp_path):
    import io

    from portal.notify.mailer import FolderMailer
    from portal.notify.worker import drain

    _witness_message(session, "testigo@example.org", "es")
    printed = io.StringIO()

    assert drain(app, FolderMailer(tmp_path / "mail", printed)).sent == 1

    (written,) = (tmp_path / "mail").iterdir()
    text = written.read_text(encoding="utf-8")
    assert "To: testigo@example.org" in text and "AV-TEST-0001" in text
    assert "policía" in text and "=C3" not in text  # decoded, not quoted-printable
    assert str(written) in printed.getvalue()
    assert "testigo" not in printed.getvalue() and "AV-TEST" not in printed.getvalue()
