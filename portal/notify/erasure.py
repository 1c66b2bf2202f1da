"""Forgetting addresses: a claim's subscribers, a witness's messages, and old sent mail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session

from portal.db import rowcount
from portal.notify.models import OutboxMessage, Status, Subscription


def forget_subscribers(session: Session, claim_id: int) -> int:
    """Delete the subscriptions to a claim's public updates; returns how many."""
    result = session.execute(delete(Subscription).where(Subscription.claim_id == claim_id))
    return rowcount(result)


def forget_address(session: Session, address: str) -> int:
    """Delete every message to ``address``, sent or not (a forgotten witness is written to no more)."""
    if not address:
        return 0
    result = session.execute(delete(OutboxMessage).where(func.lower(OutboxMessage.address) == address.lower()))
    return rowcount(result)


def sent_before(session: Session, cutoff: datetime, *, dry_run: bool = False) -> int:
    """Delete (or with ``dry_run`` count) the messages sent before ``cutoff``, whose address is all they
    keep, and the dead ones written before it, which still hold their text: nobody retries a month-old
    message."""
    old = (
        or_(
            and_(OutboxMessage.status == Status.SENT, OutboxMessage.sent_at < cutoff),
            and_(OutboxMessage.status == Status.DEAD, OutboxMessage.created_at < cutoff),
        ),
    )
    if dry_run:
        return int(session.scalar(select(func.count(OutboxMessage.id)).where(*old)) or 0)
    result = session.execute(delete(OutboxMessage).where(*old))
    return rowcount(result)
