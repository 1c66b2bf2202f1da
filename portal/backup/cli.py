"""`portal backup PATH` and `portal restore PATH`: the archive of docs/decisions.md ("Backups").

They print counts only: an archive's contents are people's data.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from portal.audit.services import COMMAND_LINE, record
from portal.backup.archive import BackupError
from portal.backup.dump import Summary, write_backup
from portal.backup.load import restore_backup
from portal.commands import fail, with_app
from portal.db import real_session
from portal.photos.storage import PhotoStore
from portal.practice import remake_open_spaces


def _describe(summary: Summary) -> str:
    return f"{summary.tables} tables, {summary.rows} rows, {summary.photos} photo files ({summary.photo_bytes:,} bytes)"


def _store() -> PhotoStore:
    return PhotoStore(current_app.config["PHOTO_DIR"])


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_app
def backup(path: Path) -> None:
    """Write one archive of the database and the photos to PATH, a new file.

    The archive holds every case's personal data in clear, so it is created readable by its owner
    only (mode 0600): keep and move it as carefully as the database itself. The tables are read as
    one snapshot while the portal runs; practice spaces are not included.
    """
    try:
        summary = write_backup(current_app.extensions["portal.engine"], _store(), path)
    except BackupError as error:
        fail(str(error))
    session = real_session()
    record(session, None, "backup.create", ip=COMMAND_LINE, rows=summary.rows, photos=summary.photos)
    session.commit()
    click.echo(f"backup written: {_describe(summary)}", err=True)
    if summary.missing_photos:
        click.echo(
            f"warning: {summary.missing_photos} photo files named by the database were missing and are not in it",
            err=True,
        )


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_app
def restore(path: Path) -> None:
    """Restore the archive at PATH into the configured database, which must be empty, and PHOTO_DIR.

    Every checksum is verified before anything is written, and again after. A database without
    tables is first migrated to the archive's schema revision. Open training sessions get a new
    practice space.
    """
    try:
        summary = restore_backup(current_app.extensions["portal.engine"], _store(), path)
    except BackupError as error:
        fail(str(error))
    session = real_session()
    spaces = remake_open_spaces(current_app._get_current_object(), session)  # type: ignore[attr-defined]
    record(session, None, "backup.restore", ip=COMMAND_LINE, rows=summary.rows, photos=summary.photos)
    session.commit()
    click.echo(f"restored and verified: {_describe(summary)}; {spaces} practice spaces made afresh", err=True)
