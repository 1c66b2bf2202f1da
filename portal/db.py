"""Declarative base, engine and the per-request session.

One session per request (or CLI command), committed once at the edge by the
view or command; services only flush.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, current_app, g
from sqlalchemy import JSON, DateTime, MetaData, Text, create_engine, event
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Engine
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Primary keys are 32-bit INTEGER columns: a larger id in a URL can name no row, and
# PostgreSQL would refuse to compare it, so look-ups check this first.
MAX_ID = 2**31 - 1


def valid_id(value: object) -> bool:
    """True for an int that can be a primary key."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def rowcount(result: object) -> int:
    """The rows an UPDATE or DELETE touched (0 when the driver does not say)."""
    return int(getattr(result, "rowcount", 0) or 0)


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        """Store UTC; a naive datetime is a bug, so it is refused rather than guessed."""
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        """Read back as aware UTC (SQLite returns naive values)."""
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


# A list of short strings that a query can look inside: on PostgreSQL an array, which a GIN index
# (an inverted index: each string to the rows that hold it) makes searchable; on SQLite, JSON.
StringList = JSON().with_variant(postgresql.ARRAY(Text()), "postgresql")


class Base(DeclarativeBase):
    """Base class of every model; the naming convention keeps Alembic diffs stable."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def make_engine(url: str, *, schema: str | None = None, pool_size: int | None = None) -> Engine:
    """Create the engine for ``url``; SQLite gets foreign keys and a shared in-memory pool.

    ``schema`` (PostgreSQL) makes it the connection's only search path: a practice space's tables,
    and nothing else, are what unqualified names then reach.
    """
    kwargs: dict[str, object] = {"future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = StaticPool
    else:
        kwargs["pool_pre_ping"] = True
        if url.startswith("postgresql"):
            # The portal's queries are short; PostgreSQL's JIT compiled the plans of searches on a
            # million claims (costed high) for 8-10 ms each, longer than some of them ran.
            options = "-c jit=off" + (f" -c search_path={schema}" if schema else "")
            kwargs["connect_args"] = {"options": options}
        if pool_size is not None:
            kwargs["pool_size"], kwargs["max_overflow"] = pool_size, pool_size
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # Foreign keys on; WAL, so that readers never wait for a writer (pages while a sighting is saved);
    # and a writer waits up to 5 s for another instead of failing at once with "database is locked".
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def init_app(app: Flask) -> None:
    """Bind an engine and a session factory to ``app``; close the request session at teardown."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["portal.engine"] = engine
    app.extensions["portal.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    # Close at the end of each request too: a test or CLI may keep one app context over many requests.
    app.teardown_request(_close_session)
    app.teardown_appcontext(_close_session)


def get_session() -> Session:
    """Return this request's session: its practice space's when one is bound (bind_practice), else the
    portal's own, opened on first use."""
    practice: Session | None = g.get("practice_db_session")
    if practice is not None:
        return practice
    return real_session()


def real_session() -> Session:
    """Return this request's (or app context's) session on the portal's own database, whatever is bound:
    accounts, tokens and training records live there."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["portal.sessionmaker"]()
    session: Session = g.db_session  # ``g`` holds untyped attributes
    return session


def bind_practice(factory: sessionmaker[Session]) -> None:
    """From now on in this request, get_session() answers with a session of ``factory``'s database
    (a practice space): every page, service and engine then works there and only there."""
    g.practice_db_session = factory()


def practice_bound() -> bool:
    """True when this request works in a practice space."""
    return g.get("practice_db_session") is not None


def _close_session(_exc: BaseException | None) -> None:
    for name in ("practice_db_session", "db_session"):
        session = g.pop(name, None)
        if session is not None:
            session.close()


class AppendOnlyViolation(RuntimeError):
    """Raised when code tries to change or delete an append-only row."""


# The tables of append-only models. The database refuses UPDATE and DELETE on each too (a trigger,
# migration 0015); portal.audit.rewrite is the one way through, for retention.
APPEND_ONLY_TABLES: set[str] = set()
# ``session.info`` key set while portal.audit.rewrite.allow_rewrite holds the door open.
REWRITE_ALLOWED = "portal.append_only_override"


def append_only(model: type[Base]) -> None:
    """Make ``model`` append-only at the ORM level: updates and deletes raise."""
    APPEND_ONLY_TABLES.add(str(model.__tablename__))

    @event.listens_for(Session, "before_flush")
    def _check(session: Session, _ctx: object, _instances: object) -> None:
        if session.info.get(REWRITE_ALLOWED):
            return
        for obj in list(session.dirty) + list(session.deleted):
            if isinstance(obj, model) and (obj in session.deleted or session.is_modified(obj)):
                raise AppendOnlyViolation(f"{model.__name__} rows are append-only")
