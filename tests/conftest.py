"""Fixtures: ``app``, ``client``, ``session``, ``login_as``; builders live in tests/builders.py.

The schema is made once per run by the real migrations, on SQLite or on the
PostgreSQL server named by PORTAL_TEST_DATABASE_URL; each test then starts
from empty tables (the seeded countries stay).
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from portal.app import create_app
from portal.cli import upgrade_database
from portal.db import get_session, make_engine
from portal.models import Base

KEEP_TABLES = {"country", "alembic_version"}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated, empty database for this test run."""
    url = os.environ.get("PORTAL_TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    if not url.startswith("sqlite"):
        engine = make_engine(url)
        with engine.begin() as conn:
            Base.metadata.drop_all(conn)
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        engine.dispose()
    upgrade_database(url)
    return url


@pytest.fixture
def app(database_url: str, tmp_path: Any) -> Iterator[Flask]:
    """The portal configured for tests; tables are emptied after each test."""
    application = create_app("test", DATABASE_URL=database_url, PHOTO_DIR=str(tmp_path / "photos"))
    yield application
    engine = application.extensions["portal.engine"]
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in KEEP_TABLES:
                conn.execute(table.delete())
    engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser-like test client."""
    return app.test_client()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """The session the app would use, inside an app context."""
    with app.app_context():
        yield get_session()


@pytest.fixture
def login_as(client: FlaskClient, session: Session):  # type: ignore[no-untyped-def]
    """Create an account of ``role`` and log the client in as it; returns the user."""
    from tests.builders import make_user

    def _login(role: str = "family", country: str | None = "BO", **kwargs: Any):  # type: ignore[no-untyped-def]
        user = make_user(session, role, country, **kwargs)
        session.commit()
        with client.session_transaction() as cookie:
            cookie["_user_id"] = user.get_id()
            cookie["_fresh"] = True
        return user

    return _login
