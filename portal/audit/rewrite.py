"""The one door through which append-only rows may be rewritten: retention and erasure.

Notes, audit events, risk assessments and reviews and witnesses' additions are append-only in the
ORM (``portal.db.append_only``) and in the database (a trigger on each, migration 0015). Removing
a person's data years later must still blank a note's text or an evidence value, so
``allow_rewrite`` opens the triggers for the rest of the caller's transaction only, records why in
the audit trail first, and closes again before the transaction can commit:

- PostgreSQL: ``set_config('portal.append_only_override', 'on', true)``, which is ``SET LOCAL``:
  it ends with the transaction whatever happens, and no other connection sees it;
- SQLite: the one row of ``append_only_override``, inserted here and deleted on the way out; a
  rollback removes it too, and no other connection can read it before a commit, which this door
  refuses while it is open.

Only the retention code uses it (a test checks who imports it). It guards against mistakes and
against the portal's own code, not against someone holding the database's owner account, who can
drop a trigger: that is what the database's own access control and logs are for.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import delete, event, insert, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from portal.audit.models import AppendOnlyOverride, AuditEvent
from portal.audit.services import COMMAND_LINE, record
from portal.db import REWRITE_ALLOWED

SETTING = "portal.append_only_override"


class RewriteCommitted(RuntimeError):
    """A transaction tried to commit while the append-only door was open."""


def _set(connection: Connection, on: bool) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT set_config(:name, :value, true)"), {"name": SETTING, "value": "on" if on else ""}
        )
    elif on:
        connection.execute(insert(AppendOnlyOverride).values(id=1))
    else:
        connection.execute(delete(AppendOnlyOverride))


def _refuse_commit(_session: Session) -> None:
    raise RewriteCommitted("close allow_rewrite() before committing: the append-only door is still open")


@contextmanager
def allow_rewrite(session: Session, reason: str, *, ip: str = COMMAND_LINE) -> Iterator[AuditEvent]:
    """Let the caller update or delete append-only rows until the block ends, in this transaction only.

    ``reason`` is a code (``retention.claim_anonymised``...), recorded in an ``audit.rewrite`` event
    before anything is rewritten; the event is returned.
    """
    if session.info.get(REWRITE_ALLOWED):
        raise RuntimeError("allow_rewrite() is already open in this session")
    opened = record(session, None, "audit.rewrite", ip=ip, reason=reason)
    session.flush()
    connection = session.connection()
    _set(connection, True)
    session.info[REWRITE_ALLOWED] = True
    event.listen(session, "before_commit", _refuse_commit)
    failed = False
    try:
        yield opened
        session.flush()  # every rewrite reaches the database while the door is open
    except BaseException:
        failed = True
        raise
    finally:
        event.remove(session, "before_commit", _refuse_commit)
        session.info.pop(REWRITE_ALLOWED, None)
        if failed:
            # After a database error PostgreSQL refuses every statement until the rollback, which
            # ends the setting anyway; SQLite keeps going, so its row is removed in any case.
            with contextlib.suppress(SQLAlchemyError):
                _set(connection, False)
        else:
            _set(connection, False)
