"""Restore a backup into an empty database and photo folder, checking every checksum twice.

1. Before anything is written: the archive must be of this portal's schema revision and its
   tables, and every table file and photo must match the manifest's SHA-256.
2. The database must be empty: either without any table (it is then migrated to the archive's
   revision), or migrated to that revision with no row but the seeded member countries, which the
   archive's countries replace. Anything else is refused: a restore never merges into live data.
3. Photo files are written (each atomically), then every table is inserted in one transaction,
   ids included, and PostgreSQL's id sequences moved past the largest id.
4. In that same transaction every table is read back and its checksum compared with the
   manifest, and every photo file re-read; only then is it committed. Any failure rolls the rows
   back and removes the photo files this restore created.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, literal, select
from sqlalchemy.engine import Connection, Engine

import portal.models  # noqa: F401 - every feature's tables in Base.metadata
from portal.backup.archive import BackupError, Manifest, Reader, photo_key, sha256_of
from portal.backup.dump import Summary, summary_of
from portal.backup.rows import BATCH, TableCodec
from portal.db import Base
from portal.photos.storage import PhotoStore
from portal.schema import migrations_config

# Tables the migrations fill (the member countries): an empty database has their rows, and a
# restore replaces them with the archive's, as they were configured when it was written.
SEEDED = frozenset({"country"})


def restore_backup(engine: Engine, store: PhotoStore, path: Path) -> Summary:
    """Restore the archive at ``path`` into the empty database behind ``engine`` and into ``store``."""
    reader = Reader(path)
    try:
        _check_compatible(engine, reader.manifest)
        reader.verify()
        _prepare_target(engine, reader.manifest.revision)
        created = _write_photos(reader, store)
        try:
            with engine.begin() as connection:
                _insert_tables(connection, reader)
                _check_restored(connection, reader, store)
        except BaseException:
            for file in created:
                file.unlink(missing_ok=True)
            raise
    finally:
        reader.close()
    return summary_of(reader.manifest)


def head_revision(url: str) -> str:
    """The newest schema revision this portal's migrations know."""
    head = ScriptDirectory.from_config(migrations_config(url)).get_current_head()
    if head is None:
        raise BackupError("the portal has no migrations")
    return head


def _check_compatible(engine: Engine, manifest: Manifest) -> None:
    """The archive's schema is this portal's: same revision, same tables in the same order, same columns."""
    head = head_revision(engine.url.render_as_string(hide_password=False))
    if manifest.revision != head:
        raise BackupError(
            f"the archive was written at schema revision {manifest.revision} and this portal is at {head}: "
            f"restore it with the portal release of revision {manifest.revision}, then run `portal db upgrade`"
        )
    ours = [(t.name, [c.name for c in t.columns]) for t in Base.metadata.sorted_tables]
    if [(t.name, t.columns) for t in manifest.tables] != ours:
        raise BackupError("the archive's tables are not this portal's tables at the same revision")


def _prepare_target(engine: Engine, revision: str) -> None:
    """Refuse a database that is not empty; migrate one that has no tables yet."""
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        if current is None and inspect(connection).get_table_names():
            raise BackupError("the database has tables but no schema revision: restore only into an empty database")
        if current is not None and current != revision:
            raise BackupError(
                f"the database is at schema revision {current} and the archive at {revision}: "
                "restore only into an empty database"
            )
        busy = [t.name for t in Base.metadata.sorted_tables if current and _has_rows(connection, t.name)]
        if busy:
            raise BackupError(
                f"the database is not empty ({len(busy)} tables hold rows, {busy[0]} among them): "
                "restore only into an empty database"
            )
    if current is None:
        config = migrations_config(engine.url.render_as_string(hide_password=False))
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)


def _has_rows(connection: Connection, name: str) -> bool:
    if name in SEEDED:
        return False
    table = Base.metadata.tables[name]
    return connection.scalar(select(literal(1)).select_from(table).limit(1)) is not None


def _write_photos(reader: Reader, store: PhotoStore) -> list[Path]:
    """Write each photo file of the archive; returns the files this call created."""
    created: list[Path] = []
    try:
        for entry in reader.manifest.photos:
            content_hash, size = photo_key(entry.file)
            path = store.path_for(content_hash, size)
            try:
                written = store.write(content_hash, size, reader.photo(entry))
            except OSError as error:  # a full disk, mostly: nothing is restored
                raise BackupError(
                    f"a photo file could not be written ({errno.errorcode.get(error.errno or 0, 'error')}): "
                    "nothing was restored; free space in the photo folder and run the restore again"
                ) from None
            if written:
                created.append(path)
            elif _file_sha256(path) != entry.sha256:
                raise BackupError("the photo folder already holds a different file under a photo's name")
    except BaseException:
        for file in created:
            file.unlink(missing_ok=True)
        raise
    return created


def _file_sha256(path: Path) -> str:
    with path.open("rb") as data:
        return sha256_of(data)[1]


def _insert_tables(connection: Connection, reader: Reader) -> None:
    for table in reversed(Base.metadata.sorted_tables):
        if table.name in SEEDED:
            connection.execute(table.delete())
    for entry, table in zip(reader.manifest.tables, Base.metadata.sorted_tables, strict=True):
        codec = TableCodec(table, connection.dialect)
        _insert_rows(connection, codec, reader.lines(entry))
        codec.reset_sequence(connection)


def _insert_rows(connection: Connection, codec: TableCodec, lines: Iterable[bytes]) -> None:
    """Insert a table's rows in batches. A row that names a later row of its own table (an account
    created by one made after it) gets that reference once the later row exists."""
    references = codec.self_references()
    seen: dict[str, set[Any]] = {referenced: set() for _, referenced in references}
    later: list[tuple[dict[str, Any], str, Any]] = []
    batch: list[dict[str, Any]] = []
    keys = [c.name for c in codec.table.primary_key.columns]
    for line in lines:
        row = codec.decode_line(line)
        for referenced, values in seen.items():
            values.add(row[referenced])
        for column, referenced in references:
            if row[column] is not None and row[column] not in seen[referenced]:
                later.append(({k: row[k] for k in keys}, column, row[column]))
                row[column] = None
        batch.append(row)
        if len(batch) == BATCH:
            codec.insert(connection, batch)
            batch = []
    codec.insert(connection, batch)
    table = codec.table
    for key, column, value in later:
        where = [table.c[k] == v for k, v in key.items()]
        connection.execute(table.update().where(*where).values({column: value}))


def _check_restored(connection: Connection, reader: Reader, store: PhotoStore) -> None:
    """Every restored table and photo file matches the manifest, read back from where it now is."""
    for entry, table in zip(reader.manifest.tables, Base.metadata.sorted_tables, strict=True):
        if TableCodec(table, connection.dialect).checksum(connection) != (entry.rows, entry.sha256):
            raise BackupError(f"the restored table {table.name} does not match the archive; nothing was restored")
    for photo in reader.manifest.photos:
        with store.path_for(*photo_key(photo.file)).open("rb") as data:
            if sha256_of(data) != (photo.bytes, photo.sha256):
                raise BackupError("a restored photo file does not match the archive; nothing was restored")
