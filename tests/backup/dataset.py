"""Databases to back up and to restore into, and a realistic data set of invented people.

A source or target is a database of one dialect: SQLite is a file of its own in the test's folder;
PostgreSQL is the suite's database (PORTAL_TEST_DATABASE_URL) for a source, and a scratch schema
of it for a target. PostgreSQL ones are skipped when that variable names no PostgreSQL server.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import JSON, Table, null, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from portal.accounts.services import create_token
from portal.app import create_app
from portal.casework import note_added
from portal.db import make_engine
from portal.models import Base
from portal.notify.models import OutboxMessage
from portal.photos.storage import PhotoStore, save_photo
from portal.schema import upgrade_database
from portal.training.models import TrainingSession
from tests.builders import bar_sighting, girl, guadalupe, jpeg_with_gps, lupe_sighting, make_claim, make_user

PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "")
needs_postgresql = pytest.mark.skipif(
    not PG_URL.startswith("postgresql"),
    reason="PostgreSQL backups are tested when PORTAL_TEST_DATABASE_URL names a PostgreSQL database",
)
TARGET_SCHEMA = "backup_restore_target"
DIALECTS = [pytest.param("sqlite", id="sqlite"), pytest.param("postgresql", id="postgresql", marks=needs_postgresql)]


@dataclass
class Place:
    """A database and a photo folder."""

    engine: Engine
    store: PhotoStore


def migrated_sqlite_template(folder: Path) -> Path:
    """A SQLite file with the whole schema (made once per run, copied by each test)."""
    path = folder / "template.sqlite3"
    upgrade_database(f"sqlite:///{path}")
    return path


def sqlite_app(template: Path, folder: Path) -> Flask:
    """The portal on a migrated, empty SQLite file of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(template, folder / "portal.sqlite3")
    return create_app(
        "test",
        DATABASE_URL=f"sqlite:///{folder / 'portal.sqlite3'}",
        PHOTO_DIR=str(folder / "photos"),
        PRACTICE_DIR=str(folder / "practice"),
    )


def blank_target(dialect: str, folder: Path) -> Place:
    """A database without any table, and an empty photo folder."""
    if dialect == "sqlite":
        engine = make_engine(f"sqlite:///{folder / 'restored.sqlite3'}")
    else:
        with make_engine(PG_URL).begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{TARGET_SCHEMA}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{TARGET_SCHEMA}"'))
        engine = make_engine(PG_URL, schema=TARGET_SCHEMA)
    return Place(engine, PhotoStore(folder / "restored-photos"))


def drop_target(place: Place) -> None:
    """Remove a PostgreSQL target's schema (a SQLite one is a file in the test's folder)."""
    place.engine.dispose()
    if place.engine.dialect.name == "postgresql":
        with make_engine(PG_URL).begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{TARGET_SCHEMA}" CASCADE'))


def fill(app: Flask) -> None:
    """Claims with photos, notes, sightings, candidates, risk assessments, tokens, training, outbox."""
    store = PhotoStore(app.config["PHOTO_DIR"])
    with app.app_context(), Session(app.extensions["portal.engine"]) as session:
        officer = make_user(session, "police", "BO")
        claim = guadalupe(session)
        flagged = girl(session, given_names="María José", first_surname="Mamani")
        draft = make_claim(session, given_names="Ximena", first_surname="Huanca", aliases="Xime, Jime")
        sighting = bar_sighting(session)
        lupe_sighting(session, country="CL", place="Iquique")
        note_added(session, officer, claim, text="Entrevista con la madre.", visibility="police", flags=["threatened"])
        note_added(session, officer, flagged, text="Caso enlazado.", visibility="public")
        save_photo(session, store, jpeg_with_gps(), claim_id=claim.id, uploaded_by_id=officer.id)
        save_photo(session, store, jpeg_with_gps((90, 60)), claim_id=draft.id, position=1)
        save_photo(session, store, jpeg_with_gps((64, 64)), sighting_id=sighting.id)
        create_token(session, officer, "phone")
        _self_references(session, officer)
        session.commit()
        _json_nulls(session)
        session.commit()


def _self_references(session: Session, officer: Any) -> None:
    """An account created by an account made after it, and a training session with a child session."""
    coordinator = make_user(session, "coordinator", "BO")
    officer.created_by_id = coordinator.id  # a reference to a later row of the same table
    trainer = make_user(session, "trainer", "BO")
    parent = TrainingSession(
        title="Formación de formadores",
        country_code="BO",
        starts_on=date(2026, 12, 1),
        language="es",
        capacity=20,
        trainer_id=trainer.id,
    )
    session.add(parent)
    session.flush()
    session.add(
        TrainingSession(
            title="Distrito 8",
            country_code="BO",
            starts_on=date(2026, 12, 15),
            language="qu",
            capacity=20,
            trainer_id=trainer.id,
            parent_id=parent.id,
            level=2,
            closed_at=datetime(2026, 12, 20, 18, 30, 15, 123456, tzinfo=UTC),
        )
    )


def _json_nulls(session: Session) -> None:
    """Outbox messages whose context is SQL NULL, and JSON null: both must come back as they were."""
    for name, value in (("sql-null", null()), ("json-null", JSON.NULL)):
        message = OutboxMessage(template=name, address=f"{name}@example.test", locale="es", context={})
        session.add(message)
        session.flush()
        session.execute(update(OutboxMessage).where(OutboxMessage.id == message.id).values(context=value))


def all_rows(engine: Engine, table: Table) -> list[tuple[Any, ...]]:
    """Every row of a table as Python values, in primary-key order (sorted here, whatever the collation)."""
    keys = [table.columns.keys().index(c.name) for c in table.primary_key.columns]
    with engine.connect() as connection:
        rows = [tuple(r) for r in connection.execute(select(table))]
    return sorted(rows, key=lambda row: tuple(row[k] for k in keys))


def photo_files(store: PhotoStore) -> dict[str, str]:
    """SHA-256 of every photo file (practice spaces' folders apart), by path relative to the folder."""
    return {
        path.relative_to(store.root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in store.root.glob("??/??/*")
        if path.is_file()
    }


def json_nulls(engine: Engine) -> dict[str, bool]:
    """For the two outbox rows of _json_nulls: is the context SQL NULL?"""
    query = select(OutboxMessage.template, OutboxMessage.context.is_(None)).where(
        OutboxMessage.template.in_(["sql-null", "json-null"])
    )
    with engine.connect() as connection:
        return {name: bool(is_null) for name, is_null in connection.execute(query)}


def table_names() -> set[str]:
    """Every table of the models."""
    return {t.name for t in Base.metadata.sorted_tables}
