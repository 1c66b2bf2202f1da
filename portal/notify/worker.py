"""Drain the outbox: render each due message in its language, send it, and keep score.

One message per transaction, its row locked (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so that
two workers never send the same message and a crash loses nothing: the row is marked sent in
the transaction that sent it (at worst a message is sent twice, never lost). A failure moves the
next attempt back (30 s, 1 min, 2 min, ... up to 2 hours); after MAX_ATTEMPTS the message is
dead and waits on the admins' outbox page. Logs name the message's id, template and the error's
kind, never an address or a word of the text.
"""

from __future__ import annotations

import logging
import smtplib
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from flask import Flask, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from portal.db import utcnow
from portal.notify.mailer import Mailer, PermanentFailure
from portal.notify.models import OutboxMessage, Status
from portal.notify.render import render

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=2)
DIGEST_TEMPLATE = "police/digest"


@dataclass
class Drained:
    """What one pass over the outbox did."""

    sent: int = 0
    retried: int = 0
    dead: int = 0

    def add(self, other: Drained) -> None:
        """Count ``other``'s pass in this total."""
        self.sent += other.sent
        self.retried += other.retried
        self.dead += other.dead


def backoff(attempts: int, first: timedelta = BACKOFF_FIRST) -> timedelta:
    """How long to wait after the ``attempts``-th failure: ``first``, then twice as long each time."""
    wait: timedelta = first * 2 ** max(attempts - 1, 0)
    return min(wait, BACKOFF_MAX)


def _next_due(session: Session, now: datetime) -> OutboxMessage | None:
    return session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.status == Status.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


def _email(app: Flask, message: OutboxMessage) -> EmailMessage:
    context: dict[str, Any] = dict(message.context or {})
    rendered = render(app, message.template, context, message.locale)
    email = EmailMessage()
    email["From"] = app.config["MAIL_FROM"]
    email["To"] = message.address
    email["Subject"] = rendered.subject
    email["Date"] = format_datetime(utcnow())
    email["Message-ID"] = make_msgid(domain=app.config["MAIL_DOMAIN"])
    email["Auto-Submitted"] = "auto-generated"
    if "unsubscribe_token" in context and "notify.unsubscribe" in app.view_functions:
        link = url_for("notify.unsubscribe", token=context["unsubscribe_token"], _external=True)
        email["List-Unsubscribe"] = f"<{link}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(rendered.body)
    email["Content-Language"] = message.locale  # after set_content, which drops every Content- header
    return email


def _failed(message: OutboxMessage, error: Exception, now: datetime, permanent: bool, first: timedelta) -> str:
    message.attempts += 1
    code = getattr(error, "smtp_code", "")
    message.last_error = f"{type(error).__name__} {code}".strip()[:200]
    if permanent or message.attempts >= MAX_ATTEMPTS:
        message.status = Status.DEAD
        log.warning("outbox message %s (%s) is dead: %s", message.id, message.template, message.last_error)
        return "dead"
    message.next_attempt_at = now + backoff(message.attempts, first)
    log.info("outbox message %s (%s) failed, retry %s: %s", message.id, message.template, message.attempts, code)
    return "retried"


def deliver_one(app: Flask, session: Session, mailer: Mailer, now: datetime) -> str | None:
    """Send the next due message; return "sent", "retried", "dead", or None when nothing is due."""
    message = _next_due(session, now)
    if message is None:
        return None
    first = timedelta(seconds=float(app.config.get("MAIL_RETRY_SECONDS", BACKOFF_FIRST.total_seconds())))
    try:
        email = _email(app, message)
    except Exception as error:  # a template that cannot render is a bug: retrying will not help
        return _failed(message, error, now, True, first)
    try:
        mailer.send(email)
    except PermanentFailure as error:
        return _failed(message, error, now, True, first)
    except (OSError, smtplib.SMTPException) as error:
        return _failed(message, error, now, False, first)
    message.status, message.sent_at, message.attempts = Status.SENT, now, message.attempts + 1
    message.context = None  # delivered: its links and names are not kept
    return "sent"


def drain(app: Flask, mailer: Mailer, *, now: datetime | None = None, limit: int = 500) -> Drained:
    """Send every message due at ``now`` (at most ``limit``), each in its own transaction."""
    factory: sessionmaker[Session] = app.extensions["portal.sessionmaker"]
    done = Drained()
    with app.test_request_context(base_url=app.config["BASE_URL"]):
        for _ in range(limit):
            with factory() as session, session.begin():
                outcome = deliver_one(app, session, mailer, now or utcnow())
            if outcome is None:
                break
            setattr(done, outcome, getattr(done, outcome) + 1)
    return done


def last_digest_time(now: datetime, hour: int) -> datetime:
    """The latest daily digest time (``hour`` o'clock UTC) at or before ``now``."""
    today = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return today if today <= now else today - timedelta(days=1)


def collect_digests(session: Session, now: datetime, hour: int) -> int:
    """Turn each recipient's held messages from before the last digest time into one digest message."""
    cutoff = last_digest_time(now, hour)
    held = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == Status.HELD, OutboxMessage.created_at <= cutoff)
        .order_by(OutboxMessage.id)
        .with_for_update(skip_locked=True)
    ).all()
    by_address: dict[tuple[str, str], list[OutboxMessage]] = defaultdict(list)
    for message in held:
        by_address[(message.address, message.locale)].append(message)
    for (address, locale), items in by_address.items():
        session.add(
            OutboxMessage(
                template=DIGEST_TEMPLATE,
                address=address,
                locale=locale,
                context={"items": [{"template": m.template, **(m.context or {})} for m in items]},
                user_id=items[0].user_id,
                status=Status.PENDING,
                attempts=0,
                next_attempt_at=now,
                last_error="",
            )
        )
        for message in items:
            session.delete(message)
    session.flush()
    return len(by_address)


def run(app: Flask, mailer: Mailer, *, interval: float, once: bool = False) -> Drained:
    """Collect digests and drain the outbox every ``interval`` seconds (one pass with ``once``)."""
    factory: sessionmaker[Session] = app.extensions["portal.sessionmaker"]
    total = Drained()
    while True:
        with factory() as session, session.begin():
            collect_digests(session, utcnow(), int(app.config["DIGEST_HOUR"]))
        done = drain(app, mailer)
        total.add(done)
        if once:
            return total
        time.sleep(interval)
