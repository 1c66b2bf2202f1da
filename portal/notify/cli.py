"""`portal worker`: send what the outbox holds; `portal outbox`: what waits and what died."""

from __future__ import annotations

import click
from flask import current_app

from portal.commands import fail, with_app
from portal.notify.mailer import from_url
from portal.notify.worker import run


@click.command()
@click.option("--once", is_flag=True, help="One pass, then exit (for cron, or a test).")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between passes.")
@with_app
def worker(once: bool, interval: float) -> None:
    """Send the outbox's messages (daily digests included), with retries, until stopped."""
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
    click.echo(f"worker: sending through {where}", err=True)
    done = run(current_app._get_current_object(), mailer, interval=interval, once=once)  # type: ignore[attr-defined]
    click.echo(f"worker: sent {done.sent}, to retry {done.retried}, dead {done.dead}", err=True)
