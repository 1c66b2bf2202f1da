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


def test_the_name_search_migration_indexes_the_claims_already_filed(tmp_path) -> None:
    """Revision 0005 fills claim_name_key for claims filed before it, so an upgraded registry is searchable."""
    import datetime

    import sqlalchemy as sa

    from portal.schema import upgrade_database

    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade_database(url, "0004")
    engine = make_engine(url)
    with engine.begin() as conn:
        table = sa.Table("claim", sa.MetaData(), autoload_with=conn)
        row: dict[str, object] = {}
        for column in table.columns:  # every required column a plain value of its type
            if column.nullable or column.primary_key or column.server_default is not None:
                continue
            kind = column.type.python_type if not isinstance(column.type, sa.JSON) else list
            row[column.name] = {str: "", int: 0, bool: False, list: [], dict: {}}.get(kind, "")
        row.update(
            reference="BO-2026-000001",
            owner_country="BO",
            status="active",
            publication="published",
            given_names="Guadalupe",
            first_surname="Quispe",
            second_surname="Condori",
            birth_date=datetime.date(2010, 5, 14),
            birth_date_precision="day",
            event_date=datetime.date(2026, 2, 11),
            created_at=datetime.datetime(2026, 2, 11, 12, 0),
            updated_at=datetime.datetime(2026, 2, 11, 12, 0),
            version=1,
        )
        conn.execute(table.insert().values(**row))
    upgrade_database(url, "head")
    with engine.connect() as conn:
        keys = set(conn.scalars(sa.text("SELECT key FROM claim_name_key")))
        ages = conn.execute(sa.text("SELECT age_seen_min, age_seen_max FROM claim")).one()
        sounds = set(conn.scalars(sa.text("SELECT sound FROM name_sound")))
    engine.dispose()
    assert {"w:guadalupe", "w:quispe", "w:condori", "p:kispe"} <= keys
    assert tuple(ages) == (15, 15)
    assert "kispe" in sounds
