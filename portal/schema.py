"""The database schema's migrations (Alembic, in migrations/): create or upgrade a database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig

from portal.db import make_engine

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def migrations_config(url: str) -> AlembicConfig:
    """The Alembic configuration of migrations/ for database ``url``."""
    cfg = AlembicConfig(str(MIGRATIONS / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["database_url"] = url
    return cfg


def upgrade_database(url: str, revision: str = "head", *, schema: str | None = None) -> None:
    """Create or migrate the database at ``url`` (on PostgreSQL, in ``schema`` when one is named)."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    if schema is None:
        command.upgrade(migrations_config(url), revision)
        return
    engine = make_engine(url, schema=schema)
    try:
        with engine.begin() as connection:
            cfg = migrations_config(url)
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)
    finally:
        engine.dispose()
