"""Alembic environment: the portal's metadata, the URL handed in by ``portal db upgrade``."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy.engine import Connection

from portal.db import make_engine
from portal.models import Base

config = context.config
target_metadata = Base.metadata


def database_url() -> str:
    """The URL handed in by ``portal db upgrade``, else PORTAL_DATABASE_URL, else the configuration's."""
    url = config.attributes.get("database_url") or os.environ.get("PORTAL_DATABASE_URL")
    if not url:
        from config import get_config

        url = get_config().DATABASE_URL
    return url


def run_migrations_offline() -> None:
    """Write the SQL instead of running it (``alembic upgrade --sql``)."""
    context.configure(url=database_url(), target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run on the caller's connection when it passes one (tests, ``portal db``), else on a new engine."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(database_url())
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection: Connection) -> None:
    # Batch mode lets ALTER TABLE work on SQLite, the embedded default: it copies the table and
    # drops the old one. With foreign keys on, dropping a table that other rows refer to fails
    # (a claim with notes), so SQLite checks them once at the end instead, and says which broke.
    # (The pragma is ignored inside a transaction: a caller's open transaction keeps them on.)
    sqlite = connection.dialect.name == "sqlite" and not connection.in_transaction()
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    try:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True, compare_type=True
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(f"foreign keys broken by the migration: {sorted({row[0] for row in broken})}")
    finally:
        if sqlite:
            connection.rollback()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
