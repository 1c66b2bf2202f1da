"""`portal retention run` and `portal retention erase`: for operators (the worker runs retention daily).

Both print counts only: what they touch is people's data.
"""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from sqlalchemy.orm import Session, sessionmaker

from portal.commands import error_text, fail, with_app
from portal.db import real_session, utcnow
from portal.errors import PortalError
from portal.photos.erasure import unlink_unreferenced
from portal.photos.storage import PhotoStore
from portal.retention import jobs
from portal.retention.erasure import erase as erase_record
from portal.retention.policies import Periods


def _moment(text: str | None) -> datetime:
    """``--now`` as an aware datetime (UTC when no zone is given), or the clock's now."""
    if not text:
        return utcnow()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        fail(f"--now is not an ISO 8601 date or time: {text!r}")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _store() -> PhotoStore:
    return PhotoStore(current_app.config["PHOTO_DIR"])


@click.group()
def retention() -> None:
    """Retention and erasure of personal data (docs/decisions.md, 43)."""


@retention.command("run")
@click.option("--dry-run", is_flag=True, help="Count what would be done; change nothing.")
@click.option(
    "--now",
    "now_text",
    metavar="ISO-8601",
    help="Run as at this moment (UTC unless a zone is given). A later moment than now needs --dry-run.",
)
@with_app
def run(dry_run: bool, now_text: str | None) -> None:
    """Forget settled witnesses, anonymise expired drafts and old closed cases, delete old sent mail.

    The periods are PORTAL_RETENTION_* (config.py). The worker does this once a day; run it by hand
    to see what is due (--dry-run), or after changing a period.
    """
    now = _moment(now_text)
    if now > utcnow() and not dry_run:
        fail("--now is in the future: that would erase records before their time; add --dry-run to only count")
    factory: sessionmaker[Session] = current_app.extensions["portal.sessionmaker"]
    report = jobs.run(factory, _store(), Periods.from_config(current_app.config), now, dry_run=dry_run)
    heading = f"retention at {now.isoformat()}" + (" (dry run: nothing changed)" if dry_run else "")
    click.echo(heading)
    for name, count in report.counts().items():
        if dry_run and name == "photo_files_deleted":
            continue  # files are only known once their rows are gone
        click.echo(f"  {name.replace('_', ' ')}: {count}")


@retention.command("erase")
@click.argument("reference")
@click.option("--reason", required=True, help="The request's number or file (no names): kept in the audit trail.")
@click.option("--dry-run", is_flag=True, help="Check that the record exists and may be erased; change nothing.")
@with_app
def erase(reference: str, reason: str, dry_run: bool) -> None:
    """Honour a person's erasure request for a claim (BO-2026-000123) or a sighting's witness (AV-XXXX-XXXX).

    A claim loses its person's data as retention would (an open case is refused until its police
    locate or close it); a sighting loses its witness's contact. The reference, the police case
    number and the audit trail stay: the law requires them.
    """
    session = real_session()
    try:
        done = erase_record(session, reference, reason, utcnow(), dry_run=dry_run)
    except PortalError as error:
        session.rollback()
        fail(error_text(error))
    if dry_run:
        session.rollback()
        state = "already erased" if done.already else "may be erased"
        click.echo(f"{done.kind} {done.record_id}: {state} (dry run: nothing changed)")
        return
    session.commit()
    files = unlink_unreferenced(session, _store(), done.photos)
    if done.already:
        click.echo(f"{done.kind} {done.record_id}: already erased; nothing changed")
    else:
        click.echo(f"{done.kind} {done.record_id}: erased; {len(done.photos)} photos, {files} photo files removed")
