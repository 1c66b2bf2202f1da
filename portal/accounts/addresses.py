"""E-mail addresses: checked and normalised with email-validator, stored in lower case."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask import current_app, has_app_context

from portal.errors import ValidationFailed
from portal.i18n import lazy_gettext as _l

MAX_LENGTH = 254


def _test_domains_allowed() -> bool:
    # ``.test`` (RFC 2606) reaches no mailbox, so a production site refuses it; development, the
    # tests and demonstration sites, whose people are all invented, use it (the tests' builders
    # run outside any application).
    if not has_app_context():
        return True
    return current_app.config.get("NAME") != "production" or bool(current_app.config.get("DEMO_MODE"))


def checked_email(address: str, field: str = "email") -> str:
    """The normalised form of ``address``; ValidationFailed on ``field`` when it is not an address."""
    try:
        valid = validate_email(
            (address or "").strip(), check_deliverability=False, test_environment=_test_domains_allowed()
        )
    except EmailNotValidError:
        raise ValidationFailed(fields={field: [_l("Enter a valid email address.")]}) from None
    normalized = valid.normalized.lower()
    if len(normalized) > MAX_LENGTH:
        raise ValidationFailed(fields={field: [_l("Enter a valid email address.")]})
    return normalized


def lookup_email(address: str) -> str:
    """The stored form of ``address`` for a look-up; text that is no address is only trimmed and lowered."""
    try:
        return checked_email(address)
    except ValidationFailed:
        return (address or "").strip().lower()
