"""A backup restored into an empty database matches every row and every photo (issue 14, part 7)."""

from __future__ import annotations

import errno
import gzip
import io
import json
import os
import stat
import tarfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.backup.archive import BackupError
from portal.backup.dump import write_backup
from portal.backup.load import restore_backup
from portal.models import Base
from portal.photos.storage import PhotoStore
from portal.schema import upgrade_database
from tests.backup.dataset import DIALECTS, Place, all_rows, fill, json_nulls, needs_postgresql, photo_files, table_names
from tests.builders import make_user

PAIRS = [
    pytest.param("sqlite", "sqlite", id="sqlite-to-sqlite"),
    pytest.param("postgresql", "postgresql", id="postgresql-to-postgresql", marks=needs_postgresql),
    pytest.param("sqlite", "postgresql", id="sqlite-to-postgresql", marks=needs_postgresql),
    pytest.param("postgresql", "sqlite", id="postgresql-to-sqlite", marks=needs_postgresql),
]
# Tables the data set must fill, so that the comparison below compares something in each.
FILLED = {
    "country", "user_account", "api_token", "audit_event", "claim", "note", "sighting", "match_candidate",
    "match_key", "risk_assessment", "photo", "training_session", "outbox_message", "reference_counter",
}  # fmt: skip


def _backup(app: Any, tmp_path: Path) -> Path:
    path = tmp_path / "portal.backup.tar"
    write_backup(app.extensions["portal.engine"], PhotoStore(app.config["PHOTO_DIR"]), path)
    return path


@pytest.mark.parametrize(("source_app", "target"), PAIRS, indirect=True)
def test_a_restored_backup_matches_every_row_and_every_photo(source_app, target: Place, tmp_path):
    fill(source_app)
    path = _backup(source_app, tmp_path)
    source = source_app.extensions["portal.engine"]

    summary = restore_backup(target.engine, target.store, path)

    for table in Base.metadata.sorted_tables:
        assert all_rows(target.engine, table) == all_rows(source, table), table.name
    assert {t.name for t in Base.metadata.sorted_tables if all_rows(source, t)} >= FILLED
    assert summary.rows == sum(len(all_rows(source, t)) for t in Base.metadata.sorted_tables)
    photos = photo_files(PhotoStore(source_app.config["PHOTO_DIR"]))
    assert len(photos) == 6 and photo_files(target.store) == photos  # three photos, each with its thumbnail
    assert json_nulls(target.engine) == json_nulls(source) == {"sql-null": True, "json-null": False}
    with Session(target.engine) as session:  # ids go on after the restored ones (PostgreSQL's sequences)
        largest = session.scalar(select(func.max(User.id)))
        assert make_user(session, "police", "PE").id > largest
        session.commit()


@pytest.mark.parametrize("source_app", DIALECTS, indirect=True)
def test_every_table_of_the_models_is_in_the_archive_with_its_rows(source_app, tmp_path):
    fill(source_app)
    with tarfile.open(_backup(source_app, tmp_path)) as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
    assert [t["name"] for t in manifest["tables"]] == [t.name for t in Base.metadata.sorted_tables]
    assert {t["name"] for t in manifest["tables"]} == table_names()
    source = source_app.extensions["portal.engine"]
    for entry in manifest["tables"]:
        assert entry["rows"] == len(all_rows(source, Base.metadata.tables[entry["name"]])), entry["name"]
    assert manifest["dialect"] == source.dialect.name and manifest["missing_photos"] == 0
    assert len(manifest["photos"]) == 6 and all(len(p["sha256"]) == 64 for p in manifest["photos"])


@pytest.mark.parametrize("source_app", ["sqlite"], indirect=True)
def test_the_archive_is_readable_by_its_owner_only_and_never_overwritten(source_app, tmp_path):
    path = _backup(source_app, tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    before = path.read_bytes()
    with pytest.raises(BackupError, match="exists already"):
        _backup(source_app, tmp_path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".portal-backup-")] == []


def _rewrite(path: Path, member: str, change: Any) -> None:
    """Rewrite the archive with ``change`` applied to the bytes of ``member``."""
    with tarfile.open(path) as archive:
        members = [(m, archive.extractfile(m).read()) for m in archive.getmembers()]
    with tarfile.open(path, "w") as archive:
        for info, data in members:
            data = change(data) if info.name == member else data
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def _flip_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]


def _change_a_row(data: bytes) -> bytes:
    return gzip.compress(gzip.decompress(data).replace(b"Quispe", b"Quispa", 1))


def _first(path: Path, prefix: str, suffix: str = "") -> str:
    with tarfile.open(path) as archive:
        return next(n for n in archive.getnames() if n.startswith(prefix) and n.endswith(suffix))


@pytest.mark.parametrize(
    ("prefix", "suffix", "change"),
    [
        pytest.param("tables/", "-claim.jsonl.gz", _flip_byte, id="a-byte-of-a-table-file"),
        pytest.param("tables/", "-claim.jsonl.gz", _change_a_row, id="a-letter-of-a-row"),
        pytest.param("photos/", ".thumb.jpg", _flip_byte, id="a-byte-of-a-photo"),
    ],
)
@pytest.mark.parametrize(("source_app", "target"), [("sqlite", "sqlite")], indirect=True)
def test_a_damaged_archive_is_refused_before_anything_is_written(source_app, target, tmp_path, prefix, suffix, change):
    fill(source_app)
    path = _backup(source_app, tmp_path)
    _rewrite(path, _first(path, prefix, suffix), change)

    with pytest.raises(BackupError, match=r"damaged|checksum"):
        restore_backup(target.engine, target.store, path)

    with target.engine.connect() as connection:
        assert inspect(connection).get_table_names() == []  # not even migrated
    assert not target.store.root.exists() or photo_files(target.store) == {}


@pytest.mark.parametrize(("source_app", "target"), [("sqlite", "sqlite")], indirect=True)
def test_a_database_that_is_not_empty_is_refused_and_left_as_it_was(source_app, target, tmp_path):
    fill(source_app)
    path = _backup(source_app, tmp_path)
    upgrade_database(target.engine.url.render_as_string(hide_password=False))
    with Session(target.engine) as session:
        make_user(session, "police", "BO", email="already.here@example.test")
        session.commit()

    with pytest.raises(BackupError, match="not empty"):
        restore_backup(target.engine, target.store, path)

    with Session(target.engine) as session:
        assert session.scalars(select(User.email)).all() == ["already.here@example.test"]
    assert not target.store.root.exists() or photo_files(target.store) == {}


@pytest.mark.parametrize(("source_app", "target"), [("sqlite", "sqlite")], indirect=True)
def test_a_migrated_empty_database_is_restored_into(source_app, target, tmp_path):
    fill(source_app)
    path = _backup(source_app, tmp_path)
    upgrade_database(target.engine.url.render_as_string(hide_password=False))  # its countries are seeded
    restore_backup(target.engine, target.store, path)
    source = source_app.extensions["portal.engine"]
    for table in Base.metadata.sorted_tables:
        assert all_rows(target.engine, table) == all_rows(source, table), table.name


@pytest.mark.parametrize(("source_app", "target"), [("sqlite", "sqlite")], indirect=True)
def test_an_archive_of_another_schema_revision_is_refused(source_app, target, tmp_path):
    path = _backup(source_app, tmp_path)

    def older(data: bytes) -> bytes:
        manifest = json.loads(data)
        manifest["revision"] = "0010"
        return json.dumps(manifest).encode()

    _rewrite(path, "manifest.json", older)
    with pytest.raises(BackupError, match="revision 0010"):
        restore_backup(target.engine, target.store, path)
    with target.engine.connect() as connection:
        assert inspect(connection).get_table_names() == []


def test_a_file_that_is_not_an_archive_is_refused(tmp_path):
    from portal.db import make_engine

    path = tmp_path / "notes.txt"
    path.write_text("not a backup", encoding="utf-8")
    engine = make_engine(f"sqlite:///{tmp_path / 'blank.sqlite3'}")
    with pytest.raises(BackupError, match="not a readable backup archive"):
        restore_backup(engine, PhotoStore(tmp_path / "photos"), path)
    engine.dispose()


@pytest.mark.parametrize(("source_app", "target"), [("sqlite", "sqlite")], indirect=True)
def test_rows_the_database_changed_while_restoring_fail_the_check_and_nothing_is_kept(source_app, target, tmp_path):
    fill(source_app)
    path = _backup(source_app, tmp_path)
    upgrade_database(target.engine.url.render_as_string(hide_password=False))
    with target.engine.begin() as connection:  # a database that does not store what it was given
        connection.exec_driver_sql(
            "CREATE TRIGGER alter_place AFTER INSERT ON claim BEGIN "
            "UPDATE claim SET place = place || '.' WHERE id = NEW.id; END"
        )

    with pytest.raises(BackupError, match="restored table claim does not match"):
        restore_backup(target.engine, target.store, path)

    for table in Base.metadata.sorted_tables:
        if table.name != "country":  # the seeded countries stay as the migrations wrote them
            assert all_rows(target.engine, table) == [], table.name
    assert photo_files(target.store) == {}


@pytest.mark.parametrize("nth", [1, 4])
@pytest.mark.parametrize(("source_app", "target"), [("sqlite", "sqlite")], indirect=True)
def test_a_full_disk_while_restoring_photos_restores_nothing_and_says_so(
    source_app, target, tmp_path, monkeypatch, nth
):
    fill(source_app)
    path = _backup(source_app, tmp_path)
    real_fsync, calls = os.fsync, []

    def full_disk(fd: int) -> None:  # the nth photo file meets a full disk
        calls.append(fd)
        if len(calls) == nth:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(BackupError, match=r"could not be written \(ENOSPC\): nothing was restored"):
        restore_backup(target.engine, target.store, path)

    for table in Base.metadata.sorted_tables:
        if table.name != "country":
            assert all_rows(target.engine, table) == [], table.name
    assert not target.store.root.exists() or not [p for p in target.store.root.rglob("*") if p.is_file()]
