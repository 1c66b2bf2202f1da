"""Write audit events. Callers pass ids, codes and field names, never personal values."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.db import rowcount

# The ``ip`` of an event done at the server's command line (`portal users create`, ...).
COMMAND_LINE = "cli"


def record(
    session: Session,
    actor: User | None,
    action: str,
    target_type: str = "",
    target_id: object = "",
    ip: str = "",
    **details: Any,
) -> AuditEvent:
    """Append one audit event (flushed with the caller's unit of work).

    ``ip`` is the client's address, or COMMAND_LINE; an event with no actor is the public's,
    or the server operator's when it came from the command line.
    """
    anonymous = "operator" if ip == COMMAND_LINE else "public"
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        actor_role=getattr(actor, "role", None) or anonymous,
        action=action,
        target_type=target_type,
        target_id=str(target_id or ""),
        ip=ip[:45],
        details=details,
    )
    session.add(event)
    return event


def forget_addresses(session: Session, target_type: str, target_id: object) -> int:
    """Blank the client address of the public's events on one record (a forgotten witness's own requests).

    Audit events are append-only: the caller holds ``portal.audit.rewrite.allow_rewrite`` open.
    Officers' addresses stay: they are the trail of who read what.
    """
    result = session.execute(
        update(AuditEvent)
        .where(
            AuditEvent.target_type == target_type,
            AuditEvent.target_id == str(target_id),
            AuditEvent.actor_id.is_(None),
            AuditEvent.ip.not_in(["", COMMAND_LINE]),
        )
        .values(ip="")
        .execution_options(synchronize_session=False)
    )
    return rowcount(result)
