"""The migrations produce exactly the models' schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, Index, inspect

from portal.db import make_engine
from portal.models import Base


def _exists_on(dialect: str):
    """Alembic's filter: an index with a PostgreSQL access method (GIN) exists only on PostgreSQL."""

    def include(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
        if type_ == "index" and dialect != "postgresql" and isinstance(obj, Index):
            return not obj.dialect_options["postgresql"].get("using")
        return True

    return include


def test_upgraded_database_matches_models(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": _exists_on(conn.dialect.name)}
        )
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
    """Revision 0005 indexes the claims filed before it, and 0007 carries their keys onto the claim, so an
    upgraded registry is searchable."""
    from portal.schema import upgrade_database

    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade_database(url, "0004")
    engine = make_engine(url)
    with engine.begin() as conn:
        claim_id = _insert(
            conn,
            "claim",
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
        # A row that refers to the claim: SQLite's batch ALTER TABLE copies and drops the claim table.
        _insert(conn, "note", claim_id=claim_id, text="Seen at the bus terminal", visibility="police",
                created_at=datetime.datetime(2026, 2, 12, 9, 0))  # fmt: skip
    upgrade_database(url, "head")
    with engine.connect() as conn:
        keys = set(conn.scalars(sa.text("SELECT k.value FROM claim, json_each(claim.name_keys) AS k")))
        ages = conn.execute(sa.text("SELECT age_seen_min, age_seen_max FROM claim")).one()
        sounds = set(conn.scalars(sa.text("SELECT sound FROM name_sound")))
        notes = conn.scalars(sa.text("SELECT claim_id FROM note")).all()
    engine.dispose()
    assert {"w:guadalupe", "w:quispe", "w:condori", "p:kispe"} <= keys
    assert tuple(ages) == (15, 15)
    assert "kispe" in sounds
    assert notes == [claim_id]


def _insert(conn: Connection, name: str, **values: object) -> int:
    """Insert a row into table ``name`` as it is at the current revision: ``values``, and a plain value
    of its type in every other required column. Returns the new row's id."""
    table = sa.Table(name, sa.MetaData(), autoload_with=conn)
    row: dict[str, object] = {}
    for column in table.columns:
        if column.nullable or column.primary_key or column.server_default is not None:
            continue
        kind = column.type.python_type if not isinstance(column.type, sa.JSON) else list
        row[column.name] = {str: "", int: 0, bool: False, list: [], dict: {}}.get(kind, "")
    row.update(values)
    return int(conn.execute(table.insert().values(**row)).inserted_primary_key[0])
