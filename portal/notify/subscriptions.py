"""The public follows a published claim by e-mail, with no account: double opt-in, signed one-click unsubscribe.

Links carry signed tokens (itsdangerous), not secrets stored in the table: a token names the
subscription's id and a keyed digest of its address, so a link never shows the address, and a link
to a deleted subscription cannot act on a later one that happens to get the same id (SQLite reuses
the highest id). The confirmation link expires; the unsubscribe link never does.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.accounts.addresses import checked_email
from portal.audit.services import record
from portal.cases.models import Claim
from portal.cases.presenters import public_name
from portal.cases.rules import is_public
from portal.cases.services import clean_reference
from portal.db import utcnow, valid_id
from portal.errors import NotFound, PortalError
from portal.i18n import DEFAULT_LOCALE, ENDONYMS
from portal.i18n import lazy_gettext as _l
from portal.notify.models import OutboxMessage, Subscription
from portal.notify.outbox import enqueue

CONFIRM_TEMPLATE = "subscriptions/confirm"
UPDATE_TEMPLATE = "subscriptions/update"
CONFIRM_SALT = "subscription-confirm"
UNSUBSCRIBE_SALT = "subscription-unsubscribe"
CONFIRM_DAYS = 7
MAX_ADDRESS_LENGTH = 254
# Real tokens are about 80 characters; a longer one is refused before any decoding.
MAX_TOKEN_LENGTH = 300
# The public form can name anyone's address: this many confirmation e-mails per address and hour at
# most, whatever the claim and whichever client asks, so that the portal cannot be used to flood a mailbox.
CONFIRMATIONS_PER_HOUR = 3

Secret = str | bytes


class LinkInvalid(PortalError):
    """A subscription link that was cut, altered or never made here."""

    status = 400
    code = "invalid_link"
    default_message = _l(
        "This link is not valid. Copy it whole from the e-mail, or subscribe again from the case's page."
    )


class LinkExpired(PortalError):
    """A confirmation link past its days, or for a subscription that no longer exists."""

    status = 410
    code = "link_expired"
    default_message = _l("This link has expired. To get e-mails about the case, subscribe again from its page.")


def _secret(secret: Secret | None) -> Secret:
    key: Secret = secret if secret is not None else current_app.config["SECRET_KEY"]
    return key


def _address_tag(secret: Secret, address: str) -> str:
    """A keyed digest of ``address``: it ties a link to the address without showing it in the URL."""
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, b"subscription-address\0" + address.encode(), hashlib.sha256).hexdigest()[:20]


def _make(secret: Secret, salt: str, subscription_id: int, address: str) -> str:
    payload = [subscription_id, _address_tag(secret, address)]
    return str(URLSafeTimedSerializer(secret, salt=salt).dumps(payload))


def confirm_token(secret: Secret, subscription_id: int, address: str) -> str:
    """The signed token of the link that confirms a subscription (valid CONFIRM_DAYS days)."""
    return _make(secret, CONFIRM_SALT, subscription_id, address)


def unsubscribe_token(secret: Secret, subscription_id: int, address: str) -> str:
    """The signed token of the link that ends a subscription (it never expires)."""
    return _make(secret, UNSUBSCRIBE_SALT, subscription_id, address)


def _find(session: Session, secret: Secret, token: str, salt: str, max_age: int | None) -> Subscription | None:
    """The subscription a token names; None when it no longer exists. Raises on a bad or expired token."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        raise LinkInvalid()
    try:
        payload = URLSafeTimedSerializer(secret, salt=salt).loads(token, max_age=max_age)
    except SignatureExpired:
        raise LinkExpired() from None
    except BadData:  # a bad signature, payload or timestamp: whatever was cut or altered
        raise LinkInvalid() from None
    if not (isinstance(payload, list) and len(payload) == 2 and valid_id(payload[0]) and isinstance(payload[1], str)):
        raise LinkInvalid()
    subscription = session.get(Subscription, payload[0])
    if subscription is None or not hmac.compare_digest(
        _address_tag(secret, subscription.address).encode(), payload[1].encode()
    ):
        return None
    return subscription


def public_claim(session: Session, reference: str) -> Claim:
    """The published claim of ``reference``; NotFound for any other (its existence is not revealed)."""
    cleaned = clean_reference(reference)
    claim = session.scalar(select(Claim).where(Claim.reference == cleaned)) if cleaned else None
    if claim is None or not is_public(claim):
        raise NotFound()
    return claim


def _row_for(session: Session, claim: Claim, address: str, locale: str) -> Subscription:
    """The claim's row for ``address``, made unconfirmed when there is none (a double submit finds the other's)."""
    query = select(Subscription).where(Subscription.claim_id == claim.id, Subscription.address == address)
    subscription = session.scalar(query)
    if subscription is not None:
        return subscription
    try:
        with session.begin_nested():
            subscription = Subscription(claim_id=claim.id, address=address, locale=locale)
            session.add(subscription)
    except IntegrityError:
        subscription = session.scalars(query).one()
    return subscription


def _recent_confirmations(session: Session, address: str) -> int:
    since = utcnow() - timedelta(hours=1)
    return (
        session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                OutboxMessage.template == CONFIRM_TEMPLATE,
                OutboxMessage.address == address,
                OutboxMessage.created_at >= since,
            )
        )
        or 0
    )


def subscribe(
    session: Session, claim: Claim, address: str, locale: str, *, ip: str, secret: Secret | None = None
) -> Subscription:
    """Ask to follow a published claim: an unconfirmed row and an e-mail with the link that confirms it."""
    # The page answers the same whether or not the address already followed the claim (no one learns
    # who follows what): a confirmed row gets no new e-mail, an unconfirmed one its link again.
    if not is_public(claim):
        raise NotFound()
    cleaned = checked_email(address)
    language = locale if locale in ENDONYMS else DEFAULT_LOCALE
    subscription = _row_for(session, claim, cleaned, language)
    if subscription.confirmed_at is None:
        subscription.locale = language  # the language of the latest request, the one its sender reads
        if _recent_confirmations(session, cleaned) < CONFIRMATIONS_PER_HOUR:
            context = {
                "reference": claim.reference,
                "name": public_name(claim),
                "confirm_token": confirm_token(_secret(secret), subscription.id, cleaned),
                "valid_days": CONFIRM_DAYS,
            }
            enqueue(session, to=cleaned, template=CONFIRM_TEMPLATE, context=context, locale=language)
    record(session, None, "subscription.request", "claim", claim.id, ip)
    session.flush()
    return subscription


def find_for_confirm(session: Session, token: str, *, secret: Secret | None = None) -> Subscription:
    """The subscription a confirmation link would confirm, without confirming it (LinkInvalid, LinkExpired)."""
    max_age = int(timedelta(days=CONFIRM_DAYS).total_seconds())
    subscription = _find(session, _secret(secret), token, CONFIRM_SALT, max_age)
    if subscription is None:
        raise LinkExpired(_l("This subscription no longer exists. To get e-mails about the case, subscribe again."))
    return subscription


def confirm(session: Session, token: str, *, ip: str, secret: Secret | None = None) -> Subscription:
    """Confirm the subscription of a confirmation link; confirming twice changes nothing."""
    subscription = find_for_confirm(session, token, secret=secret)
    if subscription.confirmed_at is None:
        subscription.confirmed_at = utcnow()
        record(session, None, "subscription.confirm", "claim", subscription.claim_id, ip)
        session.flush()
    return subscription


def find_for_unsubscribe(session: Session, token: str, *, secret: Secret | None = None) -> Subscription | None:
    """The subscription an unsubscribe link ends, without ending it; None when it is already gone."""
    return _find(session, _secret(secret), token, UNSUBSCRIBE_SALT, None)


def unsubscribe(session: Session, token: str, *, ip: str, secret: Secret | None = None) -> bool:
    """End the subscription of an unsubscribe link; False when it had already ended (not an error)."""
    subscription = find_for_unsubscribe(session, token, secret=secret)
    if subscription is None:
        return False
    record(session, None, "subscription.cancel", "claim", subscription.claim_id, ip)
    session.delete(subscription)
    session.flush()
    return True


def claim_reference(session: Session, subscription: Subscription) -> str:
    """The public reference of the claim ``subscription`` follows."""
    claim = session.get(Claim, subscription.claim_id)
    return claim.reference if claim is not None else ""


def notify_subscribers(
    session: Session, claim: Claim, template: str, context: dict[str, Any], *, secret: Secret | None = None
) -> int:
    """Queue ``template`` to each confirmed follower of ``claim``, in their language; returns how many."""
    # A claim no longer public tells its followers nothing, not even that it was withheld: that alone
    # would say something about the person.
    if not is_public(claim):
        return 0
    followers = session.scalars(
        select(Subscription)
        .where(Subscription.claim_id == claim.id, Subscription.confirmed_at.is_not(None))
        .order_by(Subscription.id)
    ).all()
    if not followers:
        return 0  # and the casework path needs no application (the command line, the tests' builders)
    key = _secret(secret)
    base = {"reference": claim.reference, "name": public_name(claim), **context}
    for follower in followers:
        token = unsubscribe_token(key, follower.id, follower.address)
        enqueue(
            session,
            to=follower.address,
            template=template,
            context={**base, "unsubscribe_token": token},
            locale=follower.locale,
        )
    return len(followers)
