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
from portal.db import make_engine
from portal.models import Base
from portal.schema import upgrade_database

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
    """A session of the test's own, apart from the requests' sessions.

    No app context is held open: requests must not share ``g`` (Flask-Login
    caches the user there). Commit before a request so the app sees the data;
    objects expire on commit, so what a request changed is read afresh.
    """
    own = Session(bind=app.extensions["portal.engine"], expire_on_commit=True)
    yield own
    own.close()


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


@pytest.fixture
def csrf(client: FlaskClient):  # type: ignore[no-untyped-def]
    """Return a CSRF token valid for ``client``'s session, read from a rendered form."""
    import re

    def _token(path: str = "/login") -> str:
        page = client.get(path).get_data(as_text=True)
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    return _token
