"""Create a claim or a sighting once per idempotency key, however many times the request comes.

A family on a slow phone presses "Send" twice, a browser posts the form again, an app retries a
request whose answer was lost: each repeat carries the same key (the API's ``Idempotency-Key``
header, IETF draft-ietf-httpapi-idempotency-key-header; the forms' hidden ``idempotency_key``) and
gets the record the first one created. The same key with another body is refused (422) and creates
nothing.

A key belongs to its caller (``scope``): an account, or the public. The first request reserves the
key (one row, unique per scope and key) before it creates anything, in the transaction that creates
the record, so that a concurrent repeat waits at the unique index for that transaction and then
reads its record, on PostgreSQL and SQLite alike. Keys live 24 hours (``TTL``); ``purge_expired``
deletes older ones for the retention job.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from base64 import urlsafe_b64encode
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.db import rowcount, utcnow
from portal.errors import BadRequest, Conflict, NotFound, PortalError
from portal.i18n import lazy_gettext as _l
from portal.idempotency.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
FORM_FIELD = "idempotency_key"
TTL = timedelta(hours=24)
# 16 to 255 printable ASCII characters, not starting or ending with a space (HTTP would strip it). The
# draft allows shorter ones, but the public has no account to tell its keys apart: its key alone names
# its record, so it must not be one that another client would also choose ("1", "retry"). One rule
# for every caller keeps the OpenAPI document exact. A quoted key (the draft's sf-string) is taken as
# sent, quotes included: a client sends its key the same way each time.
MIN_LENGTH, MAX_LENGTH = 16, 255
_KEY = re.compile(r"[\x21-\x7e][\x20-\x7e]{14,253}[\x21-\x7e]")
_NOT_FINGERPRINTED = {"csrf_token", FORM_FIELD}
_FORM_KEY = re.compile(r"[A-Za-z0-9_-]{22,64}")  # what new_form_key makes
# What a form sent again with other content says, beside its key: sending it once more saves it.
FORM_SENT_BEFORE = _l(
    "This form had already been sent with different content, so nothing was saved this time. "
    "Check it and send it again to save it as a new report."
)


class KeyInvalid(BadRequest):
    """An ``Idempotency-Key`` header that is not a usable key."""

    code = "idempotency_key_invalid"
    default_message = _l(
        "The Idempotency-Key header must be %(low)d to %(high)d printable ASCII characters, such as a UUID.",
        low=MIN_LENGTH,
        high=MAX_LENGTH,
    )


class KeyReused(PortalError):
    """The key already created a record from another request."""

    status = 422
    code = "idempotency_key_reused"
    default_message = _l(
        "This Idempotency-Key was already used for a different request. Send a new key with a new request."
    )


class KeyInProgress(Conflict):
    """The request that reserved the key has not finished."""

    code = "idempotency_key_in_progress"
    default_message = _l("A request with this Idempotency-Key is still being processed. Try again in a moment.")


@dataclass(frozen=True)
class Attempt:
    """One request that carries a key: whose (``scope``), which key, what it creates, and its body."""

    scope: str
    key: str
    kind: str  # "claim" or "sighting"
    fingerprint: str

    @property
    def digest(self) -> str:
        """The key's SHA-256: what the table stores instead of the key."""
        return hashlib.sha256(self.key.encode()).hexdigest()


class _Record(Protocol):
    @property
    def id(self) -> int: ...


_R = TypeVar("_R", bound=_Record)


@dataclass(frozen=True)
class Outcome(Generic[_R]):
    """The record a request answers with, and whether an earlier request created it."""

    record: _R
    replayed: bool


def new_form_key() -> str:
    """A key for a form about to be shown: 128 random bits, so that nobody can guess another's."""
    return secrets.token_urlsafe(16)


def scope_of(channel: str, user: Any) -> str:
    """Whose keys these are: the account's on ``channel`` ("api" or "form"), or the public's."""
    if getattr(user, "is_authenticated", False):
        return f"{channel}:user:{user.id}"
    return f"{channel}:public"


def fingerprint_json(data: Any) -> str:
    """SHA-256 of ``data`` as canonical JSON (keys sorted): the same body gives the same fingerprint
    whatever the order or spacing of its fields."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def fingerprint_form(fields: Mapping[str, list[str]], files: Sequence[tuple[str, bytes]]) -> str:
    """The fingerprint of a posted form: its fields (CSRF token and key left out) and its files' hashes."""
    return fingerprint_json(
        {
            "fields": {name: values for name, values in fields.items() if name not in _NOT_FINGERPRINTED},
            "files": [[name, hashlib.sha256(content).hexdigest()] for name, content in files],
        }
    )


def parse_key(raw: str | None) -> str | None:
    """The key of an ``Idempotency-Key`` header; None without one; KeyInvalid for a malformed one."""
    if raw is None:
        return None
    if not _KEY.fullmatch(raw):
        raise KeyInvalid()
    return raw


def api_attempt(kind: str, user: Any, header: str | None, data: Any) -> Attempt | None:
    """The attempt of an API request with this ``Idempotency-Key`` header and JSON body; None without it."""
    key = parse_key(header)
    return Attempt(scope_of("api", user), key, kind, fingerprint_json(data)) if key else None


def form_attempt(
    kind: str, user: Any, fields: Mapping[str, list[str]], files: Sequence[tuple[str, bytes]]
) -> Attempt | None:
    """The attempt of a posted form; None when its hidden key is missing or not one we could have made
    (a form from before keys, or tampered with: it is then saved as it always was)."""
    key = (fields.get(FORM_FIELD) or [""])[0]
    if not _FORM_KEY.fullmatch(key):
        return None
    return Attempt(scope_of("form", user), key, kind, fingerprint_form(fields, files))


def form_key(fields: Mapping[str, str], errors: Mapping[str, Any]) -> str:
    """The key to render a form with: the one it was posted with, so that sending it corrected is
    still one record; a new one on a first showing, or when the posted key was already used."""
    posted = fields.get(FORM_FIELD, "")
    if FORM_FIELD in errors or not _FORM_KEY.fullmatch(posted):
        return new_form_key()
    return posted


def derived_secret(secret: str | bytes, attempt: Attempt, purpose: str) -> str:
    """A secret that every repeat of ``attempt`` gets again, and only they: a keyed hash of its scope
    and key (the witness's private link, which the table must not hold)."""
    key = secret.encode() if isinstance(secret, str) else secret
    message = "\0".join((purpose, attempt.scope, attempt.key)).encode()
    return urlsafe_b64encode(hmac.new(key, message, hashlib.sha256).digest()[:24]).decode()


def run_once(session: Session, attempt: Attempt | None, model: type[_R], create: Callable[[], _R]) -> Outcome[_R]:
    """The record of ``attempt``'s key: the one an earlier request created, or ``create()``'s.

    Call it before anything else writes in the transaction: when a concurrent request won the key,
    the transaction is rolled back to read that request's record. Raises KeyReused when the key
    came with another body; NotFound when its record has since been erased.
    """
    if attempt is None:
        return Outcome(create(), replayed=False)
    earlier = _reserve(session, attempt)
    if earlier is not None:
        record = session.get(model, earlier)
        if record is None:
            raise NotFound()
        return Outcome(record, replayed=True)
    record = create()
    where = (IdempotencyKey.scope == attempt.scope, IdempotencyKey.key_digest == attempt.digest)
    session.execute(update(IdempotencyKey).where(*where).values(resource_id=record.id))
    return Outcome(record, replayed=False)


def _reserve(session: Session, attempt: Attempt) -> int | None:
    """The id an earlier request with this key created; else reserve the key and return None."""
    earlier = _earlier(session, attempt)
    if earlier is not None:
        return earlier
    session.add(
        IdempotencyKey(
            scope=attempt.scope, key_digest=attempt.digest, fingerprint=attempt.fingerprint, kind=attempt.kind
        )
    )
    try:
        session.flush()
    except IntegrityError:
        # Another request reserved it first; the insert waited for its transaction, which has ended.
        session.rollback()
        earlier = _earlier(session, attempt)
        if earlier is None:
            raise KeyInProgress() from None
    return earlier


def _earlier(session: Session, attempt: Attempt) -> int | None:
    """The record id stored under the attempt's key; None when there is none (an expired one is
    deleted, so that the key can start again)."""
    row = session.scalar(
        select(IdempotencyKey).where(IdempotencyKey.scope == attempt.scope, IdempotencyKey.key_digest == attempt.digest)
    )
    if row is None:
        return None
    if row.created_at <= utcnow() - TTL:
        # By id, not through the ORM: a concurrent request may delete it first.
        session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == row.id))
        return None
    if (row.kind, row.fingerprint) != (attempt.kind, attempt.fingerprint):
        raise KeyReused()
    if row.resource_id is None:
        raise KeyInProgress()
    return row.resource_id


def purge_expired(session: Session, now: datetime | None = None) -> int:
    """Delete the keys older than ``TTL`` (for the retention job); return how many."""
    cutoff = (now or utcnow()) - TTL
    result = session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at <= cutoff))
    return rowcount(result)
