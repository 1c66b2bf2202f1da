"""Revision 0015 goes down and up again, on SQLite and on PostgreSQL, triggers included."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from sqlalchemy import Connection, inspect, text

from portal.db import make_engine
from portal.schema import migrations_config


@contextmanager
def _fresh(database_url: str, tmp_path) -> Iterator[tuple[str, str | None]]:
    """A database of its own: a SQLite file, or a new schema on the test's PostgreSQL server."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'migrations.db'}", None
        return
    schema = f"mig_{uuid.uuid4().hex[:10]}"
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield database_url, schema
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def _migrate(url: str, schema: str | None, action: str, revision: str) -> None:
    engine = make_engine(url, schema=schema)
    try:
        with engine.begin() as connection:
            config = migrations_config(url)
            config.attributes["connection"] = connection
            getattr(command, action)(config, revision)
    finally:
        engine.dispose()


def _state(conn: Connection) -> tuple[set[str], bool, bool]:
    if conn.dialect.name == "postgresql":
        triggers = set(
            conn.scalars(
                text("SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = current_schema()")
            )
        )
    else:
        triggers = set(conn.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
    inspector = inspect(conn)
    columns = {c["name"] for c in inspector.get_columns("claim")} | {
        c["name"] for c in inspector.get_columns("sighting")
    }
    return (
        {t for t in triggers if "append_only" in t},
        "append_only_override" in inspector.get_table_names(),
        {"anonymised_at", "contact_purged_at"} <= columns,
    )


def test_revision_0015_goes_down_and_up(database_url: str, tmp_path) -> None:
    with _fresh(database_url, tmp_path) as (url, schema):
        _migrate(url, schema, "upgrade", "head")
        engine = make_engine(url, schema=schema)
        with engine.connect() as conn:
            triggers, table, columns = _state(conn)
        # One per table on PostgreSQL (UPDATE OR DELETE; TRUNCATE is not listed), two on SQLite.
        assert len(triggers) == (5 if schema else 10) and table and columns
        _migrate(url, schema, "downgrade", "0014")
        with engine.connect() as conn:
            assert _state(conn) == (set(), False, False)
        _migrate(url, schema, "upgrade", "head")
        with engine.connect() as conn:
            assert _state(conn) == (triggers, True, True)
        engine.dispose()
