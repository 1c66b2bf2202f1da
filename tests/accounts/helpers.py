"""What the account tests share: logging in from an address, reading the outbox, a second browser."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.accounts.models import LoginThrottle
from portal.notify.models import OutboxMessage
from tests.builders import PASSWORD, browser_of  # noqa: F401 (the account tests import it from here)


def log_in(client: FlaskClient, csrf: Any, email: str, password: str = PASSWORD, address: str = "127.0.0.1") -> Any:
    """POST the login form from the client address ``address``."""
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf("/login")},
        environ_base={"REMOTE_ADDR": address},
    )


def mail(session: Session, template: str, address: str | None = None) -> list[OutboxMessage]:
    """The outbox messages of ``template`` (to ``address``), read afresh, oldest first."""
    session.expire_all()
    query = select(OutboxMessage).where(OutboxMessage.template == template)
    if address is not None:
        query = query.where(OutboxMessage.address == address)
    return list(session.scalars(query.order_by(OutboxMessage.id)))


def link_token(session: Session, template: str, address: str) -> str:
    """The token of the one link of ``template`` e-mailed to ``address``."""
    messages = mail(session, template, address)
    assert len(messages) == 1, [m.template for m in messages]
    assert messages[0].context is not None
    return str(messages[0].context["token"])


def wait_out(session: Session) -> None:
    """Let time pass until every throttled address may try again (no sleeping)."""
    session.execute(update(LoginThrottle).values(blocked_until=None))
    session.commit()


def english(client: FlaskClient) -> FlaskClient:
    """Pages in English (the msgids), so text assertions do not depend on translations."""
    client.get("/lang/en")
    return client
