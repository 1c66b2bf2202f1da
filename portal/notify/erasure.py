"""Forgetting addresses: a claim's subscribers, a witness's messages, and old sent mail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from portal.notify.models import OutboxMessage, Status, Subscription


def forget_subscribers(session: Session, claim_id: int) -> int:
    """Delete the subscriptions to a claim's public updates; returns how many."""
    result = session.execute(delete(Subscription).where(Subscription.claim_id == claim_id))
    return int(getattr(result, "rowcount", 0) or 0)


def forget_address(session: Session, address: str) -> int:
    """Delete every message to ``address``, sent or not (a forgotten witness is written to no more)."""
    if not address:
        return 0
    result = session.execute(delete(OutboxMessage).where(func.lower(OutboxMessage.address) == address.lower()))
    return int(getattr(result, "rowcount", 0) or 0)


def sent_before(session: Session, cutoff: datetime, *, dry_run: bool = False) -> int:
    """Delete (or with ``dry_run`` count) the messages sent before ``cutoff``: their address is all they keep."""
    old = (OutboxMessage.status == Status.SENT, OutboxMessage.sent_at < cutoff)
    if dry_run:
        return int(session.scalar(select(func.count(OutboxMessage.id)).where(*old)) or 0)
    result = session.execute(delete(OutboxMessage).where(*old))
    return int(getattr(result, "rowcount", 0) or 0)
