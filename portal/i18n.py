"""Locales, their endonyms, and how a request's locale is chosen.

Order: the user's explicit choice (session), the account's preference,
``Accept-Language``, the country's default, then Spanish.

The rest of the portal translates and formats through the typed wrappers at
the end of this module, not through Flask-Babel directly: Flask-Babel 4 ships
no type information, and one typed doorway is better than an ignore per module.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cached_property, lru_cache
from typing import Any, TypeGuard

# Flask-Babel 4 has no py.typed marker; the wrappers below restore the types it documents.
import flask_babel
from babel import Locale, support
from flask import current_app, g, has_app_context, has_request_context, request, session
from flask_login import current_user
from sqlalchemy import text

from portal.db import real_session

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
# Where a message missing from a catalogue is taken from, in order: Spanish, which every officer of
# the network reads; for Haitian Creole, French first, which Haitian officers read.
FALLBACKS = {"ht": ("fr", "es")}
_TRANSLATIONS = "portal_translations"  # g: (locale, its translations)


def enabled_locales() -> list[str]:
    """The locales this deployment offers, Spanish first."""
    return list(current_app.config.get("LOCALES", ["es", "en"]))


def is_supported(code: str | None) -> TypeGuard[str]:
    """True when ``code`` names an enabled locale."""
    return bool(code) and code in enabled_locales()


def select_locale() -> str | Locale:
    """Pick the locale for this request (the Flask-Babel locale selector)."""
    return babel_locale(_chosen_code())


def _chosen_code() -> str:
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
    # The deployment's country (PORTAL_COUNTRY): a visitor in Belize whose browser asks for nothing reads English.
    country_default = _country_locale()
    if is_supported(country_default):
        return country_default
    return DEFAULT_LOCALE


def _country_locale() -> str | None:
    """The default language of the deployment's country, read once per process from the country table."""
    code = current_app.config.get("COUNTRY")
    if not code:
        return None
    known: dict[str, str | None] = current_app.extensions.setdefault("portal.country_locale", {})
    if code not in known:
        query = text("SELECT default_locale FROM country WHERE code = :code")
        known[code] = real_session().execute(query, {"code": code}).scalar()
    return known[code]


def babel_locale(code: str) -> str | Locale:
    """What Flask-Babel is handed for ``code``: the code itself, or for Aymara, which Babel has no
    data for, a locale named ``ay`` (its catalogue, its ``lang``) that formats as es_BO."""
    return aymara() if code == "ay" else code


@lru_cache(maxsize=1)
def aymara() -> Locale:
    """A Locale called ``ay`` carrying es_BO's data: Babel ships none for Aymara, and Locale("ay")
    would raise. Its data is loaded under es_BO before it is renamed, once per process."""
    locale = Locale.parse(FORMAT_FALLBACK["ay"])
    _ = locale._data  # load es_BO's data now, while the locale still bears that name
    locale.language, locale.territory = "ay", None
    return locale


class SpanishFallbackDomain(flask_babel.Domain):  # type: ignore[misc]  # Flask-Babel ships no types
    """Translations that fall back message by message (FALLBACKS, else Spanish): a catalogue complete
    for the public pages only (Quechua, Aymara, Guaraní, Haitian Creole) shows an untranslated police
    page in a language the officers read, never in the English of the source."""

    def get_translations(self) -> Any:
        """The request's translations, with the Spanish catalogue behind them (kept on ``g`` for the
        request's locale: a page asks for them a hundred times)."""
        locale = flask_babel.get_locale()
        memo = g.get(_TRANSLATIONS) if has_app_context() else None
        if memo is not None and memo[0] is locale:  # force_locale swaps the locale object, then restores it
            return memo[1]
        translations = self._with_fallback(super().get_translations(), locale)
        if has_app_context():
            setattr(g, _TRANSLATIONS, (locale, translations))
        return translations

    def _with_fallback(self, translations: Any, locale: Locale | None) -> Any:
        if locale is None or locale.language in ("es", "en") or getattr(translations, "portal_fallback", False):
            return translations
        for fallback in FALLBACKS.get(locale.language, ("es",)):
            for directory in self.translation_directories:
                behind = support.Translations.load(directory, [fallback], "messages")
                if isinstance(behind, support.Translations):
                    translations.add_fallback(behind)
        translations.portal_fallback = True
        return translations


class PortalBabel(flask_babel.Babel):  # type: ignore[misc]  # Flask-Babel ships no types
    """Flask-Babel with the Spanish fallback (SpanishFallbackDomain)."""

    @cached_property
    def domain_instance(self) -> flask_babel.Domain:
        """The default domain, falling back to Spanish."""
        return SpanishFallbackDomain(domain=self.domain)


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
