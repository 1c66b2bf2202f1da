"""`portal backup` and `portal restore` as an operator runs them: counts only, audited, spaces remade."""

from __future__ import annotations

import stat

from click.testing import CliRunner
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.audit.models import AuditEvent
from portal.cli import main
from portal.commands import AppLoader
from portal.db import Base
from portal.photos.storage import PhotoStore
from portal.training import spaces
from portal.training.models import SessionStatus, TrainingSession
from tests.backup.dataset import fill, photo_files, sqlite_app

TABLES = len(Base.metadata.sorted_tables)


def _portal(app, *args):
    return CliRunner().invoke(main, list(args), obj=AppLoader(lambda: app))


def _actions(app):
    with Session(app.extensions["portal.engine"]) as session:
        return session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("backup.%"))).all()


def test_backup_then_restore_into_an_empty_database_prints_counts_only(sqlite_template, tmp_path):
    source = sqlite_app(sqlite_template, tmp_path / "source")
    fill(source)
    with Session(source.extensions["portal.engine"]) as session:  # an open session, whose space is not archived
        session.execute(update(TrainingSession).where(TrainingSession.level == 2).values(status=SessionStatus.OPEN))
        session.commit()
    path = tmp_path / "nightly.tar"

    written = _portal(source, "backup", str(path))

    assert written.exit_code == 0, written.output
    assert f"backup written: {TABLES} tables" in written.output and "6 photo files" in written.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _actions(source) == ["backup.create"]

    target = sqlite_app(sqlite_template, tmp_path / "target")
    restored = _portal(target, "restore", str(path))

    assert restored.exit_code == 0, restored.output
    assert f"restored and verified: {TABLES} tables" in restored.output
    assert "1 practice spaces made afresh" in restored.output
    for name in ("Guadalupe", "Quispe", "example.test", "+591"):  # people's data never reach the console
        assert name not in written.output + restored.output
    assert _actions(target) == ["backup.restore"]  # the source wrote backup.create after its snapshot
    assert photo_files(PhotoStore(target.config["PHOTO_DIR"])) == photo_files(PhotoStore(source.config["PHOTO_DIR"]))
    with Session(target.extensions["portal.engine"]) as session:
        opened = session.scalar(select(TrainingSession.id).where(TrainingSession.status == SessionStatus.OPEN))
    assert spaces.exists(target, opened)

    again = _portal(target, "restore", str(path))
    assert again.exit_code == 1 and "error: the database is not empty" in again.output
    for app in (source, target):
        app.extensions["portal.engine"].dispose()


def test_backup_says_which_file_it_will_not_overwrite(sqlite_template, tmp_path):
    source = sqlite_app(sqlite_template, tmp_path / "source")
    path = tmp_path / "taken.tar"
    path.write_bytes(b"an earlier backup")
    result = _portal(source, "backup", str(path))
    assert result.exit_code == 1 and "exists already" in result.output
    assert path.read_bytes() == b"an earlier backup"
    source.extensions["portal.engine"].dispose()


def test_the_commands_are_listed_with_the_archive_s_permissions_in_their_help():
    listed = CliRunner().invoke(main, ["--help"])
    assert "  backup " in listed.output and "  restore " in listed.output
    helped = CliRunner().invoke(main, ["backup", "--help"])
    assert helped.exit_code == 0 and "0600" in helped.output
