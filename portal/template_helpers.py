"""Globals and filters for templates: labels of codes, dates in the user's language, the language switch."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel import Locale

from portal import i18n
from portal.cases import codes as case_codes
from portal.cases.rules import age_range
from portal.i18n import format_date, format_datetime, get_locale
from portal.i18n import lazy_gettext as _l
from portal.sightings import codes as sighting_codes


def country_name(code: str | None) -> str:
    """The name of an ISO country code in the current language."""
    if not code:
        return ""
    locale = get_locale() or Locale("es")
    return str(locale.territories.get(code, code))


def country_options() -> list[tuple[str, str]]:
    """(code, name) of every country, sorted by name in the current language."""
    from portal.fields import COUNTRY_CODES

    return sorted(((c, country_name(c)) for c in COUNTRY_CODES), key=lambda item: item[1])


def nice_date(value: date | datetime | None, fmt: str = "medium") -> str:
    """A date (or timestamp) in the user's language."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "short")
    return format_date(value, fmt)


def label(mapping: dict[str, Any], code: str | None) -> str:
    """The translated label of ``code`` in ``mapping`` (the code itself if unknown)."""
    return str(mapping.get(code or "", code or ""))


def age_text(claim: Any) -> str:
    """Age when last seen, as ``15`` or ``14–16``."""
    low, high = age_range(claim)
    if low is None and high is None:
        return ""
    if low == high or high is None:
        return str(low)
    if low is None:
        return f"≤ {high}"
    return f"{low}–{high}"


ROLE_LABELS = {
    "family": _l("Family member"),
    "police": _l("Police officer"),
    "coordinator": _l("Country coordinator"),
    "trainer": _l("Trainer"),
    "admin": _l("Administrator"),
}


def role_label(role: str | None) -> str:
    """The translated name of a role."""
    return str(ROLE_LABELS.get(role or "", role or ""))


GLOBALS = {
    "get_locale": get_locale,
    "role_label": role_label,
    "languages": i18n.language_choices,
    "country_name": country_name,
    "country_options": country_options,
    "codes": case_codes,
    "sighting_codes": sighting_codes,
    "label": label,
    "age_text": age_text,
}
FILTERS = {"nice_date": nice_date}
