"""The whole suite's configuration. Flask-free on purpose: the pure engines' suites
(``pytest tests/matching tests/risk``) run where Flask is not installed.

The web fixtures live in tests/web_fixtures.py (they import Flask only when a test asks for
one); shared builders and helpers in tests/builders.py.

`make test` runs the suite on every core (pytest-xdist). Each worker gets what tests must not
share: on PostgreSQL a database of its own (``<database>_<worker>``, created here), in Redis a
database number of its own (``redis_url``); SQLite files and ports are already per test.
"""

from __future__ import annotations

import os

import pytest

pytest_plugins = ["tests.web_fixtures"]

_OWN_DATABASE_OF = "PORTAL_TEST_DATABASE_OF_WORKER"
REDIS_DATABASES = 16  # Redis's default number of databases; the suite counts down from the last


def worker_index() -> int:
    """0 for the main process or xdist's first worker (gw0), 1 for gw1, ..."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(name[2:]) if name.startswith("gw") and name[2:].isdigit() else 0


def redis_url() -> str:
    """This worker's Redis database for the rate-limit tests (flushed by them, so never shared)."""
    return f"redis://127.0.0.1:6379/{REDIS_DATABASES - 1 - worker_index() % REDIS_DATABASES}"


def _own_postgresql_database(url: str, worker: str) -> str:
    """``url`` with its database renamed for ``worker``, created when missing (on the same server)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(url)
    own = base.set(database=f"{base.database}_{worker}")
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own.database})
            if exists.first() is None:
                conn.execute(text(f'CREATE DATABASE "{own.database}"'))
    finally:
        engine.dispose()
    return own.render_as_string(hide_password=False)


def pytest_configure(config: pytest.Config) -> None:
    """In an xdist worker on PostgreSQL, point PORTAL_TEST_DATABASE_URL at the worker's own database,
    before any test module reads it (the suite's fixtures, config.TestConfig, served subprocesses)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get("PORTAL_TEST_DATABASE_URL", "")
    # A pytest a test starts inherits the worker's environment: its database is already the worker's.
    if worker and url.startswith("postgresql") and os.environ.get(_OWN_DATABASE_OF) != worker:
        os.environ["PORTAL_TEST_DATABASE_URL"] = _own_postgresql_database(url, worker)
        os.environ[_OWN_DATABASE_OF] = worker


# Suites that never open the database (the pure engines, the benchmarks' helpers, and the test that
# runs the pure engines where Flask is not installed): the SQLite run of `make test` proves them, and
# the PostgreSQL run, which exists to prove what the database does, skips them (CI's time limit).
DATABASE_FREE = (
    "tests/matching/",
    "tests/risk/",
    "tests/bench/",
    "tests/test_architecture.py::test_the_pure_suites_run_where_flask_is_not_installed",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, skip the DATABASE_FREE tests (any that asks for the database still runs)."""
    if not os.environ.get("PORTAL_TEST_DATABASE_URL", "").startswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="never opens the database: the SQLite run of `make test` runs it")
    for item in items:
        if item.nodeid.startswith(DATABASE_FREE) and "database_url" not in getattr(item, "fixturenames", ()):
            item.add_marker(skip)
