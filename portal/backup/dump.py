"""Write a backup: every table of the portal's database, read as one snapshot, and its photos.

Tables are read inside one transaction that sees one moment of the database (PostgreSQL:
REPEATABLE READ, read only; SQLite: one read transaction, which WAL keeps apart from writers),
so the archive is a snapshot even while the portal runs. The tables are those of
``Base.metadata``: a table added to the models is in the next backup with no change here.
Practice spaces (training sessions' throwaway databases) are not: docs/decisions.md says why.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

import portal.models  # noqa: F401 - every feature's tables in Base.metadata
from portal.backup.archive import BackupError, Manifest, PhotoEntry, TableEntry, Writer, gzip_lines, photo_member
from portal.backup.rows import TableCodec
from portal.db import Base
from portal.photos.models import Photo
from portal.photos.storage import SIZES, PhotoStore


@dataclass(frozen=True)
class Summary:
    """What a backup or restore handled: counts only, never a person's data."""

    tables: int
    rows: int
    photos: int
    photo_bytes: int
    missing_photos: int = 0


def write_backup(engine: Engine, store: PhotoStore, path: Path) -> Summary:
    """Write the archive of the database behind ``engine`` and the photos of ``store`` to ``path``."""
    writer = Writer(path)
    try:
        with _snapshot(engine) as connection, tempfile.TemporaryDirectory() as scratch:
            revision = MigrationContext.configure(connection).get_current_revision()
            if revision is None:
                raise BackupError("the database has no schema yet (run `portal db upgrade`)")
            manifest = Manifest(datetime.now(UTC).isoformat(), revision, engine.dialect.name)
            _write_tables(connection, writer, manifest, Path(scratch))
            _write_photos(connection, store, writer, manifest)
        writer.add_bytes("manifest.json", manifest.to_bytes())
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    return summary_of(manifest)


def summary_of(manifest: Manifest) -> Summary:
    """The counts of an archive's manifest."""
    return Summary(
        tables=len(manifest.tables),
        rows=sum(t.rows for t in manifest.tables),
        photos=len(manifest.photos),
        photo_bytes=sum(p.bytes for p in manifest.photos),
        missing_photos=manifest.missing_photos,
    )


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection whose reads all see one moment of the database; rolled back at the end."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        else:
            # pysqlite begins transactions only before writes: without this each SELECT would see
            # the database as it is at that moment, not as it was at the first one.
            connection.exec_driver_sql("BEGIN")
        try:
            yield connection
        finally:
            connection.rollback()


def _write_tables(connection: Connection, writer: Writer, manifest: Manifest, scratch: Path) -> None:
    for position, table in enumerate(Base.metadata.sorted_tables, start=1):
        codec = TableCodec(table, connection.dialect)
        name = f"tables/{position:04d}-{table.name}.jsonl.gz"
        temp = scratch / f"{position:04d}.gz"
        rows, digest = gzip_lines(codec.lines(connection), temp)
        writer.add_file(name, temp)
        temp.unlink()
        manifest.tables.append(TableEntry(table.name, name, [c.name for c in table.columns], rows, digest))


def _write_photos(connection: Connection, store: PhotoStore, writer: Writer, manifest: Manifest) -> None:
    """Each photo file named by a Photo row of the snapshot, once (a photo may have several rows)."""
    hashes = connection.scalars(select(Photo.content_hash).distinct().order_by(Photo.content_hash)).all()
    for content_hash in hashes:
        for size in SIZES:
            path = store.path_for(content_hash, size)
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                # Counted and reported: one lost file must not stop every later backup.
                manifest.missing_photos += 1
                continue
            relative = path.relative_to(store.root).as_posix()
            writer.add_bytes(photo_member(relative), data)
            manifest.photos.append(PhotoEntry(photo_member(relative), len(data), hashlib.sha256(data).hexdigest()))
