"""Globals and filters for templates: labels of codes, dates in the user's language, the language switch,
the fields in error that a form's error summary lists."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from babel import Locale
from flask import g

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
    "trainee": _l("Trainee"),
}


def role_label(role: str | None) -> str:
    """The translated name of a role."""
    return str(ROLE_LABELS.get(role or "", role or ""))


@dataclass(frozen=True)
class FieldError:
    """A field in error as a form's error summary lists it: the id it links to, its label, its messages."""

    target: str
    label: Any
    messages: tuple[Any, ...]


# A form's summary comes first but needs the labels its fields render further down, so the
# _forms.html macro ``with_error_summary`` renders the fields first, and every field in error
# notes itself here while it renders. A stack, per request, so one form never lists another's.
def begin_error_summary() -> str:
    """Start collecting the fields in error of one form."""
    g.setdefault("error_summaries", []).append([])
    return ""


def note_field_error(target: str, label: Any, messages: Iterable[Any]) -> str:
    """Note a field in error for the summary of the form being rendered, if any."""
    summaries = g.get("error_summaries")
    if summaries:
        summaries[-1].append(FieldError(target, label, tuple(messages)))
    return ""


def end_error_summary() -> list[FieldError]:
    """The fields in error noted since the matching ``begin_error_summary``, in page order."""
    found: list[FieldError] = g.error_summaries.pop()
    return found


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
    "begin_error_summary": begin_error_summary,
    "note_field_error": note_field_error,
    "end_error_summary": end_error_summary,
}
FILTERS = {"nice_date": nice_date, "number": i18n.format_number}
