"""The database itself refuses UPDATE and DELETE on the append-only tables; retention's door is the one way through."""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from portal.audit.models import AppendOnlyOverride, AuditEvent
from portal.audit.rewrite import RewriteCommitted, allow_rewrite
from portal.audit.services import record
from portal.cases.models import Note
from portal.db import APPEND_ONLY_TABLES, AppendOnlyViolation
from portal.flags.models import RiskAssessment
from tests.builders import bar_sighting, girl, make_user

TABLES = ("audit_event", "note", "risk_assessment", "risk_review", "sighting_addition")
CHANGES = {
    "audit_event": "UPDATE audit_event SET action = 'x'",
    "note": "UPDATE note SET text = 'x'",
    "risk_assessment": "UPDATE risk_assessment SET level = 0",
    "risk_review": "UPDATE risk_review SET reason = 'x'",
    "sighting_addition": "UPDATE sighting_addition SET text = 'x'",
}


@pytest.fixture
def rows(session: Session) -> Session:
    """One row in every append-only table, committed."""
    from portal.casework import sighting_added_to
    from portal.flags.decisions import decide

    officer = make_user(session, "police", "BO")
    claim = girl(session)
    sighting = bar_sighting(session)
    sighting_added_to(session, sighting, "Llevaba una mochila verde.")
    assert session.scalar(select(RiskAssessment).where(RiskAssessment.claim_id == claim.id)) is not None
    decide(session, officer, claim.id, "escalate", "")
    session.commit()
    for table in TABLES:
        assert session.scalar(text(f"SELECT count(*) FROM {table}")) > 0, table  # noqa: S608
    return session


def test_the_append_only_tables_are_the_models_marked_so():
    assert set(TABLES) == APPEND_ONLY_TABLES


@pytest.mark.parametrize("table", TABLES)
def test_a_plain_update_or_delete_is_refused_by_the_database(rows: Session, table: str):
    for statement in (CHANGES[table], f"DELETE FROM {table}"):  # noqa: S608
        with pytest.raises(DBAPIError, match="append-only"):
            rows.execute(text(statement))
        rows.rollback()
    assert rows.scalar(text(f"SELECT count(*) FROM {table}")) > 0  # noqa: S608


def test_truncate_is_refused_on_postgresql(rows: Session):
    if rows.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    with pytest.raises(DBAPIError, match="append-only"):
        rows.execute(text("TRUNCATE note CASCADE"))
    rows.rollback()


def test_the_door_lets_its_transaction_rewrite_and_records_why(rows: Session):
    with allow_rewrite(rows, "test.rewrite") as opened:
        rows.execute(text("UPDATE note SET text = ''"))
    rows.commit()
    assert rows.scalar(select(func.count(Note.id)).where(Note.text != "")) == 0
    assert (opened.action, opened.details) == ("audit.rewrite", {"reason": "test.rewrite"})
    assert rows.scalar(select(func.count(AppendOnlyOverride.id))) == 0  # SQLite's row went with the block


def test_the_door_closes_with_its_block_and_never_reaches_another_transaction(rows: Session, app):
    with allow_rewrite(rows, "test.rewrite"):
        rows.execute(text("UPDATE note SET text = 'a'"))
    with pytest.raises(DBAPIError, match="append-only"):  # same transaction, after the block
        rows.execute(text("UPDATE note SET text = 'b'"))
    rows.rollback()
    with allow_rewrite(rows, "test.rewrite"):
        rows.execute(text("UPDATE note SET text = 'c'"))
        # Meanwhile another connection is refused: the door is this transaction's alone.
        with Session(bind=app.extensions["portal.engine"]) as other:
            if other.get_bind().dialect.name == "sqlite":
                pytest.skip("SQLite has one writer at a time: the other connection would wait for the lock")
            with pytest.raises(DBAPIError, match="append-only"):
                other.execute(text("DELETE FROM audit_event"))
    rows.rollback()


def test_committing_with_the_door_open_is_refused_and_nothing_is_kept(rows: Session):
    before = rows.scalars(select(Note.text)).all()
    with pytest.raises(RewriteCommitted), allow_rewrite(rows, "test.rewrite"):
        rows.execute(text("UPDATE note SET text = 'changed'"))
        rows.commit()
    rows.rollback()
    assert rows.scalars(select(Note.text)).all() == before
    assert rows.scalar(select(func.count(AppendOnlyOverride.id))) == 0
    with pytest.raises(DBAPIError, match="append-only"):
        rows.execute(text("DELETE FROM note"))
    rows.rollback()


def test_the_orm_guard_still_refuses_outside_the_door(rows: Session):
    event = record(rows, None, "test.event")
    rows.commit()
    event.action = "test.changed"
    with pytest.raises(AppendOnlyViolation):
        rows.flush()
    rows.rollback()
    with allow_rewrite(rows, "test.rewrite"):
        rows.get(AuditEvent, event.id).action = "test.changed"  # type: ignore[union-attr]
    rows.commit()
    assert rows.get(AuditEvent, event.id).action == "test.changed"  # type: ignore[union-attr]


def test_every_append_only_table_has_its_triggers(app):
    """A later migration that copies one of these tables on SQLite (batch mode) drops its triggers: this fails."""
    engine = app.extensions["portal.engine"]
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            found = set(
                conn.scalars(
                    text(
                        "SELECT event_object_table || ':' || event_manipulation FROM information_schema.triggers "
                        "WHERE trigger_schema = current_schema() AND trigger_name LIKE '%append_only%'"
                    )
                )
            )
        else:
            found = {
                f"{table}:{name.rsplit('_', 1)[1].upper()}"
                for name, table in conn.execute(text("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'"))
                if "append_only" in name
            }
        assert "append_only_override" in inspect(conn).get_table_names()
    assert found == {f"{t}:{op}" for t in APPEND_ONLY_TABLES for op in ("UPDATE", "DELETE")}


def test_only_retention_and_its_erasure_open_the_door():
    """The door is retention's: no page, API or other feature imports it."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "portal"
    users = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "portal.audit.rewrite import" in path.read_text(encoding="utf-8")
    }
    assert users == {"retention/jobs.py", "retention/erasure.py"}
