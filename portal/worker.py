"""`portal worker`: the background jobs. The outbox every few seconds (portal.notify.worker),
retention once a day from RETENTION_HOUR o'clock (portal.retention.jobs), and the search's counts
of common name keys every SEARCH_COUNTS_EVERY seconds (portal.cases.search).

It lives above the features because retention goes through the casework path. Which day's
retention has run is read from the audit trail (``retention.run``), so a restarted worker, or a
second one, does not run it twice in a day; a run that fails is logged by its kind only (a
database error quotes its parameters, which may be names) and tried again at the next pass.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

import click
from flask import Flask, current_app
from sqlalchemy.orm import Session, sessionmaker

from portal.cases.search import count_common_keys
from portal.commands import fail, with_app
from portal.db import utcnow
from portal.notify import worker as outbox
from portal.notify.mailer import Mailer, from_url
from portal.photos.storage import PhotoStore
from portal.retention import jobs
from portal.retention.policies import Periods

log = logging.getLogger(__name__)


def retention_if_due(app: Flask, now: datetime) -> jobs.Report | None:
    """Run retention at ``now`` if today's run has not happened yet; None when not due or it failed."""
    factory: sessionmaker[Session] = app.extensions["portal.sessionmaker"]
    with factory() as session:
        if not jobs.due(session, now, int(app.config["RETENTION_HOUR"])):
            return None
    try:
        report = jobs.run(
            factory,
            PhotoStore(app.config["PHOTO_DIR"]),
            Periods.from_config(app.config),
            now,
            scheduled=True,
        )
    except Exception as error:  # the outbox must keep going; the next pass tries again
        log.error("retention run failed: %s", type(error).__name__)
        return None
    return report


def count_common_keys_if_due(app: Flask, last: float | None) -> float | None:
    """Count the search's common name keys if SEARCH_COUNTS_EVERY seconds have passed since ``last``
    (a ``time.monotonic()``, None at start); returns when they were last counted."""
    now = time.monotonic()
    if last is not None and now - last < float(app.config["SEARCH_COUNTS_EVERY"]):
        return last
    factory: sessionmaker[Session] = app.extensions["portal.sessionmaker"]
    try:
        with factory.begin() as session:
            count_common_keys(session)
    except Exception as error:  # a search counts for itself meanwhile; the next pass tries again
        log.error("counting the search's common name keys failed: %s", type(error).__name__)
        return last
    return now


def run(
    app: Flask, mailer: Mailer, *, interval: float, once: bool = False, clock: Callable[[], datetime] = utcnow
) -> outbox.Drained:
    """Every ``interval`` seconds: retention if due, the search's counts if due, then the outbox (one
    pass with ``once``)."""
    total = outbox.Drained()
    counted: float | None = None
    while True:
        retention_if_due(app, clock())
        counted = count_common_keys_if_due(app, counted)
        done = outbox.run(app, mailer, interval=0, once=True)
        total.add(done)
        if once:
            return total
        time.sleep(interval)


@click.command()
@click.option("--once", is_flag=True, help="One pass, then exit (for cron, or a test).")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between passes.")
@with_app
def worker(once: bool, interval: float) -> None:
    """Send the outbox's messages (daily digests included), with retries, run retention daily and count
    the search's common names, until stopped."""
    url = current_app.config.get("SMTP_URL")
    if not url and current_app.config["NAME"] == "production":
        fail(
            "set PORTAL_SMTP_URL (for example smtp://127.0.0.1:25): without a mail server the worker "
            "writes messages to files, and production must not keep people's mail on its disk."
        )
    try:
        mailer = from_url(url, current_app.config["MAIL_DIR"])
    except ValueError as error:
        fail(str(error))
    where = "SMTP" if url else f"files in {current_app.config['MAIL_DIR']}"
    click.echo(
        f"worker: sending through {where}; retention daily from {current_app.config['RETENTION_HOUR']}:00 UTC", err=True
    )
    done = run(current_app._get_current_object(), mailer, interval=interval, once=once)  # type: ignore[attr-defined]
    click.echo(f"worker: sent {done.sent}, to retry {done.retried}, dead {done.dead}", err=True)
