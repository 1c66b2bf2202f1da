"""Practice spaces: a database of its own for each training session (docs/decisions.md, 36).

On SQLite (the embedded default) a practice space is a file of its own under PORTAL_PRACTICE_DIR;
on PostgreSQL a schema of its own (``practice_<id>``) that its connections have as their only
search path. Either way a practice space holds the portal's whole schema, made by the same
migrations, and nothing else: a page bound to it (portal.training.binding) cannot reach a real
case by any query, and no real page can reach a practice case, because neither database holds
the other's rows. Deleting the space (the file, or the schema) deletes every row of it at once;
its photos live in a folder of their own, deleted with it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from portal.accounts.models import Country, Role, User
from portal.cases.models import ReferenceCounter
from portal.db import make_engine, valid_id
from portal.schema import upgrade_database
from portal.training.models import SessionStatus, TrainingSession

ENGINES = "portal.practice_engines"
# A practice space's copies of accounts log nobody in: logging in happens in the portal's database.
UNUSABLE_HASH = "!"
# Where the numbers of practice claims' references start: far above a country's real ones in a year.
PRACTICE_REFERENCES = 900_001
# Where the ids of accounts made inside a practice space start: far above any real account's.
FIRST_OWN_ID = 2_000_000_000
# Each practice space's own connection pool stays small: a session has a few dozen trainees.
POOL_SIZE = 2


@dataclass(frozen=True)
class Space:
    """Where the practice space of training session ``session_id`` lives."""

    session_id: int
    url: str
    schema: str | None  # PostgreSQL: the schema; SQLite: None (the file is the space)

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None on PostgreSQL."""
        return Path(self.url.removeprefix("sqlite:///")) if self.schema is None else None


def space_for(config: Any, session_id: int) -> Space:
    """The practice space of a training session, on the same kind of database as the portal's."""
    if not valid_id(session_id):
        raise ValueError("not a session id")
    url = str(config["DATABASE_URL"])
    if url.startswith("sqlite"):
        path = Path(config["PRACTICE_DIR"]) / f"session-{session_id}.sqlite3"
        return Space(session_id, f"sqlite:///{path}", None)
    return Space(session_id, url, f"practice_{session_id}")


def photo_dir(config: Any, session_id: int) -> Path:
    """Where the photos of a practice space live: apart from the real ones, deleted with the space."""
    return Path(config["PHOTO_DIR"]) / "practice" / str(session_id)


def _engine(app: Flask, session_id: int) -> Engine:
    engines: dict[int, Engine] = app.extensions.setdefault(ENGINES, {})
    if session_id not in engines:
        space = space_for(app.config, session_id)
        engines[session_id] = make_engine(space.url, schema=space.schema, pool_size=POOL_SIZE)
    return engines[session_id]


def factory(app: Flask, session_id: int) -> sessionmaker[Session]:
    """A session factory on the practice space of ``session_id`` (which must exist)."""
    return sessionmaker(_engine(app, session_id), expire_on_commit=False)


def exists(app: Flask, session_id: int) -> bool:
    """True when the practice space of ``session_id`` has been made and not deleted."""
    space = space_for(app.config, session_id)
    if space.path is not None:
        return space.path.exists()
    real: Engine = app.extensions["portal.engine"]
    with real.connect() as connection:
        query = text("SELECT 1 FROM information_schema.schemata WHERE schema_name = :name")
        return connection.execute(query, {"name": space.schema}).first() is not None


def create(app: Flask, session_id: int) -> Space:
    """Make an empty practice space with the portal's schema and member countries (any earlier one of
    the same id is deleted first)."""
    delete(app, session_id)
    space = space_for(app.config, session_id)
    if space.schema is not None:
        with app.extensions["portal.engine"].begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{space.schema}"'))
    upgrade_database(space.url, schema=space.schema)
    _copy_countries(app, session_id)
    _reserve_account_ids(app, space)
    _number_references_apart(app, session_id)
    return space


def _number_references_apart(app: Flask, session_id: int) -> None:
    """Practice claims are numbered from PRACTICE_REFERENCES up (``BO-2026-900001``), so that a
    trainee never reads a real case's reference on a practice case, nor quotes one as real."""
    this_year = date.today().year
    with factory(app, session_id)() as practice, practice.begin():
        for code in practice.scalars(select(Country.code)):
            for year in range(this_year - 1, this_year + 2):
                practice.merge(ReferenceCounter(country=code, year=year, last=PRACTICE_REFERENCES - 1))


def _reserve_account_ids(app: Flask, space: Space) -> None:
    """Accounts made in the space (the practice data's invented officers) take ids from FIRST_OWN_ID
    up, so that they never take the id of a real account mirrored there later."""
    with factory(app, space.session_id)() as practice, practice.begin():
        if space.schema is not None:
            practice.execute(text("SELECT setval('user_account_id_seq', :id, false)"), {"id": FIRST_OWN_ID})
        else:  # SQLite gives a new row the largest id plus one: a placeholder sets the largest
            practice.add(
                User(
                    id=FIRST_OWN_ID - 1,
                    email="reserved@practice.invalid",
                    password_hash=UNUSABLE_HASH,
                    role=Role.FAMILY,
                    active=False,
                    session_epoch=0,
                )
            )


def _copy_countries(app: Flask, session_id: int) -> None:
    """The practice space has the portal's member countries, as they are configured."""
    real_factory: sessionmaker[Session] = app.extensions["portal.sessionmaker"]
    with real_factory() as real, factory(app, session_id)() as practice, practice.begin():
        for country in real.scalars(select(Country)):
            practice.merge(
                Country(
                    code=country.code,
                    name=country.name,
                    default_locale=country.default_locale,
                    active=country.active,
                )
            )


def delete(app: Flask, session_id: int) -> None:
    """Delete the practice space of ``session_id``: every row and every photo of it."""
    engine = app.extensions.setdefault(ENGINES, {}).pop(session_id, None)
    if engine is not None:
        engine.dispose()
    space = space_for(app.config, session_id)
    if space.path is not None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{space.path}{suffix}").unlink(missing_ok=True)
    else:
        with app.extensions["portal.engine"].begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{space.schema}" CASCADE'))
    shutil.rmtree(photo_dir(app.config, session_id), ignore_errors=True)


def mirror(practice: Session, user: User, country: str) -> User:
    """The practice space's copy of an account, with the same id: the officer acts there as the police
    of the session's country, whatever the account is in the portal (a trainee, a trainer...)."""
    copy = practice.get(User, user.id)
    if copy is None:
        copy = User(
            id=user.id,
            email=user.email,
            password_hash=UNUSABLE_HASH,
            session_epoch=0,
        )
        practice.add(copy)
    copy.display_name, copy.role, copy.country_code = user.display_name, Role.POLICE, country
    copy.agency, copy.preferred_locale, copy.active = user.agency, user.preferred_locale, True
    copy.email_verified_at = user.email_verified_at or user.created_at
    practice.flush()
    return copy


def upgrade_open_spaces(app: Flask) -> int:
    """Migrate the practice space of every open session to the portal's schema; returns how many."""
    real_factory: sessionmaker[Session] = app.extensions["portal.sessionmaker"]
    with real_factory() as real:
        ids = list(real.scalars(select(TrainingSession.id).where(TrainingSession.status == SessionStatus.OPEN)))
    done = 0
    for session_id in ids:
        if exists(app, session_id):
            space = space_for(app.config, session_id)
            upgrade_database(space.url, schema=space.schema)
            done += 1
    return done
