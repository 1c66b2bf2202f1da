"""Write messages to the outbox, inside the caller's transaction (flush, never commit).

Callers name a template under ``templates/notify/`` and pass its variables: plain JSON values
(references, codes, dates as ISO text), never ORM objects. The worker renders and sends.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from portal.accounts.models import Country, Role, User
from portal.audit.services import record as audit
from portal.db import rowcount, utcnow, valid_id
from portal.errors import NotFound
from portal.i18n import DEFAULT_LOCALE, ENDONYMS
from portal.notify.models import OutboxMessage, Status


def locale_for(session: Session, user: User | None, fallback: str | None = None) -> str:
    """The language to write to ``user`` in: their choice, else their country's, else ``fallback``."""
    country = country_locale(session, getattr(user, "country_code", None))
    for code in (getattr(user, "preferred_locale", None), country, fallback):
        if code in ENDONYMS:
            return str(code)
    return DEFAULT_LOCALE


def country_locale(session: Session, code: str | None) -> str | None:
    """The default language of country ``code``, if it is one."""
    country = session.get(Country, code) if code else None
    return country.default_locale if country else None


def enqueue(
    session: Session,
    *,
    to: str,
    template: str,
    context: dict[str, Any] | None = None,
    locale: str | None = None,
    user: User | None = None,
    held: bool = False,
    not_before: datetime | None = None,
) -> OutboxMessage:
    """Queue one message to the address ``to``; ``held`` keeps it for the daily digest."""
    message = OutboxMessage(
        template=template,
        address=to.strip()[:254],
        locale=locale if locale in ENDONYMS else locale_for(session, user),
        context=dict(context or {}),
        user_id=getattr(user, "id", None),
        status=Status.HELD if held else Status.PENDING,
        attempts=0,
        last_error="",
    )
    if not_before is not None:
        message.next_attempt_at = not_before
    session.add(message)
    session.flush()
    return message


def enqueue_for_user(
    session: Session, user: User, template: str, context: dict[str, Any] | None = None, *, held: bool = False
) -> OutboxMessage | None:
    """Queue a message to an account, in its language; nothing for a deactivated account."""
    if not user.active:
        return None
    return enqueue(
        session,
        to=user.email,
        template=template,
        context=context,
        locale=locale_for(session, user),
        user=user,
        held=held,
    )


def counts(session: Session) -> dict[str, int]:
    """How many messages are in each state."""
    rows = session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
    return {str(status): int(n) for status, n in rows}


def dead_letters(session: Session, limit: int = 200) -> list[OutboxMessage]:
    """The messages the worker gave up on, newest first."""
    query = select(OutboxMessage).where(OutboxMessage.status == Status.DEAD).order_by(OutboxMessage.id.desc())
    return list(session.scalars(query.limit(limit)))


def retry(session: Session, admin: User, message_id: int, *, ip: str = "") -> OutboxMessage:
    """Send a dead message again, from now (admins only; NotFound otherwise); audited."""
    message = session.get(OutboxMessage, message_id) if valid_id(message_id) else None
    if admin.role != Role.ADMIN or message is None or message.status != Status.DEAD:
        raise NotFound()
    message.status, message.attempts, message.next_attempt_at = Status.PENDING, 0, utcnow()
    audit(session, admin, "outbox.retry", "outbox_message", message.id, ip, template=message.template)
    session.flush()
    return message


def discard_unsent(session: Session) -> int:
    """Drop every message not yet sent (the demo loader: invented people's filing tells nobody)."""
    result = session.execute(delete(OutboxMessage).where(OutboxMessage.status.in_([Status.PENDING, Status.HELD])))
    session.flush()
    return rowcount(result)
