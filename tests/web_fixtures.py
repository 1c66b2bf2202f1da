"""Fixtures of the web tests: ``database_url``, ``app``, ``client``, ``session``, ``login_as``, ``csrf``,
``token_for``. Registered by tests/conftest.py for the whole suite.

Flask, SQLAlchemy and the portal's application are imported inside the fixtures, never at
import time, so that the pure engines' suites (tests/matching, tests/risk) load this module
and run where Flask is not installed. The schema is made once per run by the real migrations,
on SQLite or on the PostgreSQL server named by PORTAL_TEST_DATABASE_URL; each test then starts
from empty tables (the seeded countries stay).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

    from portal.accounts.models import User

# The door's own row (append_only_override) is removed by the door as it closes.
KEEP_TABLES = {"country", "alembic_version", "append_only_override"}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def drop_practice_schemas(engine: Any) -> None:
    """Drop every practice space's schema, one transaction each (each holds some forty tables' locks)."""
    from sqlalchemy import text

    with engine.connect() as conn:
        query = text("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'practice\\_%'")
        schemas = [name for (name,) in conn.execute(query)]
    for schema in schemas:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated, empty database for this test run."""
    from sqlalchemy import text

    from portal.db import make_engine
    from portal.schema import upgrade_database

    url = os.environ.get("PORTAL_TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    if not url.startswith("sqlite"):
        # Start from nothing: whatever an earlier run (of another revision) left, practice spaces too.
        engine = make_engine(url)
        drop_practice_schemas(engine)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    upgrade_database(url)
    return url


@pytest.fixture(scope="session")
def shared_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Flask, dict[str, Any]]:
    """The portal configured for tests, built once per test process (building it compiles every URL
    rule and, on first use, every template: a third of the suite's time when each test paid for it),
    with the state of the rate limiter it initialised."""
    from portal.app import create_app
    from portal.extensions import limiter

    unused = str(tmp_path_factory.mktemp("unused"))
    built = create_app("test", DATABASE_URL=database_url, PHOTO_DIR=unused, PRACTICE_DIR=unused)
    return built, dict(vars(limiter))


@pytest.fixture
def app(request: pytest.FixtureRequest, database_url: str, tmp_path: Any) -> Iterator[Flask]:
    """The portal for one test, as if built afresh: its own photo and practice folders; its settings and
    state (caches, practice engines) restored and the tables emptied after it. A test marked
    ``own_app`` (one that adds a route) gets an application of its own."""
    from portal.app import create_app
    from portal.extensions import limiter

    folders = {"PHOTO_DIR": str(tmp_path / "photos"), "PRACTICE_DIR": str(tmp_path / "practice")}
    if request.node.get_closest_marker("own_app"):
        own = create_app("test", DATABASE_URL=database_url, **folders)
        yield own
        _empty(own)
        own.extensions["portal.engine"].dispose()
        return
    shared, limiter_state = request.getfixturevalue("shared_app")
    # The limiter is one object for every application, set by the last to initialise it: a test that
    # built a limited application of its own would leave it enabled here.
    vars(limiter).clear()
    vars(limiter).update(limiter_state)
    settings, state = dict(shared.config), dict(shared.extensions)
    shared.config.update(folders)
    yield shared
    _empty(shared)
    shared.extensions.clear()
    shared.extensions.update(state)
    shared.config.clear()
    shared.config.update(settings)


def _empty(app: Flask) -> None:
    """Close the test's practice spaces and empty every table the test may have filled."""
    from sqlalchemy.orm import Session

    from portal.audit.rewrite import allow_rewrite
    from portal.cases.name_index import VOCABULARY
    from portal.models import Base

    engine = app.extensions["portal.engine"]
    for practice in app.extensions.get("portal.practice_engines", {}).values():
        practice.dispose()
    if engine.dialect.name == "postgresql":
        drop_practice_schemas(engine)  # the test's practice spaces (SQLite's are files in tmp_path)
    # Notes and audit events refuse DELETE in the database too: empty them through retention's door.
    with Session(bind=engine) as cleanup, cleanup.begin(), allow_rewrite(cleanup, "test.teardown"):
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in KEEP_TABLES:
                cleanup.execute(table.delete())
    VOCABULARY.forget()  # the stored sounds are gone with the tables


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
    from sqlalchemy.orm import Session

    own = Session(bind=app.extensions["portal.engine"], expire_on_commit=True)
    yield own
    own.close()


@pytest.fixture
def login_as(client: FlaskClient, session: Session) -> Callable[..., User]:
    """Create an account of ``role`` and log the client in as it; returns the user."""
    from tests.builders import make_user, sign_in

    def _login(role: str = "family", country: str | None = "BO", **kwargs: Any) -> User:
        user = make_user(session, role, country, **kwargs)
        session.commit()
        sign_in(client, user)
        return user

    return _login


@pytest.fixture
def csrf(client: FlaskClient) -> Callable[[str], str]:
    """Return a CSRF token valid for ``client``'s session, read from a rendered form."""

    def _token(path: str = "/login") -> str:
        match = CSRF.search(client.get(path).get_data(as_text=True))
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    return _token


@pytest.fixture
def token_for(session: Session) -> Callable[..., tuple[User, dict[str, str]]]:
    """Create an account of ``role`` (in ``country``) and return (user, Authorization headers)."""
    from portal.accounts.services import create_token
    from tests.builders import make_user

    def _make(role: str = "family", country: str | None = "BO", **kwargs: Any) -> tuple[User, dict[str, str]]:
        user = make_user(session, role, country, **kwargs)
        token = create_token(session, user, "test")
        session.commit()
        return user, {"Authorization": f"Bearer {token}"}

    return _make


class Mailbox:
    """A real SMTP server on loopback (aiosmtpd), and what it received, parsed.

    ``stop()`` and ``start()`` take it down and bring it back on the same port, as a mail server
    that goes away for a while.
    """

    def __init__(self) -> None:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.messages: list[Any] = []
        self._controller: Any = None

    @property
    def url(self) -> str:
        """The PORTAL_SMTP_URL of this server."""
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Listen (again) on this mailbox's port."""
        from email import message_from_bytes
        from email.policy import default

        from aiosmtpd.controller import Controller

        received = self.messages

        class Handler:
            async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
                # An address at refused.test is one the receiving server does not know: a permanent error.
                if address.endswith("@refused.test"):
                    return "550 5.1.1 no such mailbox"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                received.append(message_from_bytes(envelope.content, policy=default))
                return "250 OK"

        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        """Stop listening: connections are refused until start()."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[Any]:
        """The messages received for ``address``."""
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """A running SMTP server on loopback; stopped after the test."""
    box = Mailbox()
    box.start()
    yield box
    box.stop()


@pytest.fixture
def deliver(app: Flask, mailbox: Mailbox) -> Callable[..., Any]:
    """Run one pass of the real worker against ``mailbox``; returns what it did."""
    from portal.notify.mailer import SmtpMailer
    from portal.notify.worker import drain

    def _deliver(**kwargs: Any) -> Any:
        return drain(app, SmtpMailer(mailbox.url), **kwargs)

    return _deliver
