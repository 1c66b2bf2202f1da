"""Locales, their endonyms, and how a request's locale is chosen.

Order: the user's explicit choice (session), the account's preference,
``Accept-Language``, the country's default, then Spanish.
"""

from __future__ import annotations

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


def is_supported(code: str | None) -> bool:
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
