"""Locales, their endonyms, and how a request's locale is chosen.

Order: the user's explicit choice (session), the account's preference,
``Accept-Language``, the country's default, then Spanish.

The rest of the portal translates and formats through the typed wrappers at
the end of this module, not through Flask-Babel directly: Flask-Babel 4 ships
no type information, and one typed doorway is better than an ignore per module.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeGuard

# Flask-Babel 4 has no py.typed marker; the wrappers below restore the types it documents.
import flask_babel
from babel import Locale
from flask import current_app, g, has_request_context, request, session
from flask_login import current_user

# Locale code -> its name in its own language. Only locales with a catalogue
# under translations/ are offered (see translations/README.md).
ENDONYMS: dict[str, str] = {
    "es": "Español",
    "en": "English",
    "pt": "Português",
    "fr": "Français",
    "ht": "Kreyòl ayisyen",
    "qu": "Runa simi",
    "ay": "Aymar aru",
    "gn": "Avañe'ẽ",
}
DEFAULT_LOCALE = "es"
# Babel ships no Aymara locale data: Aymara pages format dates and numbers as es_BO.
FORMAT_FALLBACK = {"ay": "es_BO"}


def enabled_locales() -> list[str]:
    """The locales this deployment offers, Spanish first."""
    return list(current_app.config.get("LOCALES", ["es", "en"]))


def is_supported(code: str | None) -> TypeGuard[str]:
    """True when ``code`` names an enabled locale."""
    return bool(code) and code in enabled_locales()


def select_locale() -> str:
    """Pick the locale for this request (the Flask-Babel locale selector)."""
    if not has_request_context():
        return DEFAULT_LOCALE  # CLI and background work speak the default language
    chosen = session.get("locale")
    if is_supported(chosen):
        return chosen
    if getattr(current_user, "is_authenticated", False) and is_supported(current_user.preferred_locale):
        return current_user.preferred_locale
    best = request.accept_languages.best_match(enabled_locales())
    if best:
        return best
    country_default = getattr(g, "country_default_locale", None)
    if is_supported(country_default):
        return country_default
    return DEFAULT_LOCALE


def format_locale(code: str) -> Locale:
    """The Babel locale used to format dates and numbers for ``code``."""
    return Locale.parse(FORMAT_FALLBACK.get(code, code))


def language_choices() -> list[tuple[str, str]]:
    """(code, endonym) for the language switch."""
    return [(code, ENDONYMS[code]) for code in enabled_locales()]


# Typed doorways to Flask-Babel (see the module docstring). Messages are
# extracted from the callers' ``_()`` and ``_l()``, never from here.


def gettext(string: str, **variables: Any) -> str:
    """``string`` translated now into the request's language, with ``%(name)s`` placeholders filled."""
    text: str = flask_babel.gettext(string, **variables)
    return text


def lazy_gettext(string: str, **variables: Any) -> flask_babel.LazyString:
    """``string`` translated each time it is shown, for messages defined at import time."""
    return flask_babel.lazy_gettext(string, **variables)


def get_locale() -> Locale | None:
    """The locale of the current request, or None outside a request."""
    locale: Locale | None = flask_babel.get_locale()
    return locale


def format_date(value: date | datetime, fmt: str | None = None) -> str:
    """A date in the request's language (``fmt``: short, medium, long, full or a Babel pattern)."""
    text: str = flask_babel.format_date(value, fmt)
    return text


def format_datetime(value: datetime, fmt: str | None = None) -> str:
    """A timestamp in the request's language and time zone."""
    text: str = flask_babel.format_datetime(value, fmt)
    return text


def format_number(number: int) -> str:
    """A whole number in the request's language ("1.000" in Spanish, "1,000" in English)."""
    text: str = flask_babel.format_decimal(number)
    return text


def format_percent(number: float, fmt: str | None = None) -> str:
    """A share (0.25) as a percentage in the request's language."""
    text: str = flask_babel.format_percent(number, fmt)
    return text
