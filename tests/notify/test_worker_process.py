"""The worker as a real process (`portal worker`), a real SMTP server that goes away, and nothing lost."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from sqlalchemy import select

from portal.notify.models import OutboxMessage, Status
from tests.builders import make_claim, make_user


def _wait_for(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _row(session):
    session.expire_all()
    return session.scalar(select(OutboxMessage).where(OutboxMessage.template == "family/received"))


def test_the_worker_process_keeps_a_message_while_the_mail_server_is_down_and_sends_it_after(
    database_url, session, mailbox
):
    family = make_user(session, "family", preferred_locale="en")
    claim = make_claim(session, family)
    session.commit()
    mailbox.stop()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")},
        "PORTAL_ENV": "development",
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_SMTP_URL": mailbox.url,
        "PORTAL_MAIL_RETRY_SECONDS": "0.5",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "portal.cli", "worker", "--interval", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert _wait_for(lambda: (_row(session).attempts or 0) >= 2), "the worker never tried to send"
        row = _row(session)
        assert row.status == Status.PENDING and mailbox.messages == []  # waiting, not lost

        mailbox.start()

        assert _wait_for(lambda: bool(mailbox.to(family.email))), "the message never arrived"
        (mail,) = mailbox.to(family.email)
        assert mail["Subject"] == f"We received your report {claim.reference}"
        assert _wait_for(lambda: _row(session).status == Status.SENT)
    finally:
        worker.terminate()
        out, err = worker.communicate(timeout=30)
    assert "SMTP" in err
    assert family.email not in out + err  # no address in its output
