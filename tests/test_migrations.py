"""The migrations produce exactly the models' schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from portal.db import make_engine
from portal.models import Base


def test_upgraded_database_matches_models(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
        tables = set(inspect(conn).get_table_names())
    engine.dispose()
    assert diff == []
    assert set(Base.metadata.tables) <= tables


def test_founding_countries_are_seeded(session) -> None:
    from portal.cases.services import member_countries

    codes = {c.code for c in member_countries(session)}
    assert codes == {"BZ", "BO", "CL", "CR", "EC", "GT", "NI", "PE", "PR"}
