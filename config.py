"""Configuration classes, read from ``PORTAL_*`` environment variables.

Fails closed: without ``PORTAL_ENV`` the portal runs the production settings, and
production refuses to start without a real ``PORTAL_SECRET_KEY``. Only `make run`
(development) and the test suite (test) name a weaker environment. Pure modules
never read this: the factory passes what they need.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
INSTANCE = ROOT / "instance"


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"PORTAL_{name}", default)


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# Keys that are written in this repository, so anyone can forge sessions signed with them:
# development and the tests use them, production refuses them.
DEVELOPMENT_KEY = "dev-only-not-secret"
TEST_KEY = "test-only"
DEVELOPMENT_KEYS = frozenset({DEVELOPMENT_KEY, TEST_KEY})
MIN_SECRET_LENGTH = 32


RETENTION_PERIODS = (
    "RETENTION_SIGHTING_CONTACT_DAYS",
    "RETENTION_DRAFT_DAYS",
    "RETENTION_CLOSED_CASE_YEARS",
    "RETENTION_SENT_MAIL_DAYS",
)


class ConfigurationError(RuntimeError):
    """The settings are unsafe or incomplete: the portal refuses to start and says why."""


class Config:
    """Settings shared by every environment."""

    NAME = "base"

    SECRET_KEY = _env("SECRET_KEY")
    DATABASE_URL = _env("DATABASE_URL", f"sqlite:///{INSTANCE / 'portal.sqlite3'}")
    PHOTO_DIR = _env("PHOTO_DIR", str(INSTANCE / "photos"))
    # Training sessions' practice spaces on SQLite: one database file each (on PostgreSQL, a schema each).
    PRACTICE_DIR = _env("PRACTICE_DIR", str(INSTANCE / "practice"))
    # Five photos of a cheap phone fit; anything bigger is refused before parsing.
    MAX_CONTENT_LENGTH = int(_env("MAX_CONTENT_LENGTH", str(40 * 1024 * 1024)) or 0)
    MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024
    MAX_PHOTOS_PER_CLAIM = 5
    # Photos (docs/decisions.md 42): declared pixels bound the decoding time (50 MP phones fit);
    # the estimated peak memory of decoding is bounded per photo and per request (five photos
    # share one budget). A JPEG is decoded at a reduced scale, so a phone photo costs ~20-50 MiB.
    PHOTO_MAX_PIXELS = 80_000_000
    PHOTO_DECODE_BUDGET_BYTES = 128 * 1024 * 1024
    PHOTO_REQUEST_BUDGET_BYTES = 256 * 1024 * 1024

    # The member country this deployment serves (ISO code), whose default language a visitor gets
    # when their browser asks for none; its locale is read from the country table at start-up.
    COUNTRY = (_env("COUNTRY", "") or "").upper()[:2]
    # Languages offered in the switch, in DESIGN.md §8's order (translations/README.md). Those in
    # PUBLIC_ONLY_LOCALES are complete for the pages of the public, families, witnesses and trainees;
    # any other message falls back string by string (portal.i18n.FALLBACKS). The others are complete.
    LOCALES = ("es", "en", "pt", "fr", "ht", "qu", "ay", "gn")
    PUBLIC_ONLY_LOCALES: tuple[str, ...] = ("ht", "qu", "ay", "gn")
    BABEL_DEFAULT_LOCALE = "es"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("COOKIE_SECURE", True)
    # A Secure session cookie is renamed __Host-portal_session (portal.security): Path=/, no Domain.
    # There is no remember-me cookie (portal.login_sessions).
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # If Redis is down, keep serving with per-process limits rather than failing requests.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    SIGHTING_RATE_LIMIT = _env("SIGHTING_RATE_LIMIT", "30/hour")
    # Searches by the public (signed-in users are exempt and audited instead), per client address.
    SEARCH_RATE_LIMIT = _env("SEARCH_RATE_LIMIT", "60/minute")
    API_MAX_JSON_BYTES = 256 * 1024

    SEARCH_PAGE_SIZE = 20

    # Mail. The worker (`portal worker`) sends through PORTAL_SMTP_URL, e.g. smtp://127.0.0.1:25;
    # without one it writes each message to a file in MAIL_DIR, which only development and the tests
    # allow (a message names people: it never goes to the console).
    SMTP_URL = _env("SMTP_URL")
    MAIL_DIR = _env("MAIL_DIR", str(INSTANCE / "mail"))
    MAIL_FROM = _env("MAIL_FROM", "Red de Personas Desaparecidas <no-reply@localhost>")
    MAIL_DOMAIN = _env("MAIL_DOMAIN", "localhost")
    # The public address of the portal, for the links in e-mails (the worker has no request to read it from).
    BASE_URL = _env("BASE_URL", "http://127.0.0.1:5000")
    # The first retry of a message the mail server did not take, in seconds; each next one waits twice as long.
    MAIL_RETRY_SECONDS = float(_env("MAIL_RETRY_SECONDS", "30") or 30)
    # When officers who chose a daily digest get it (o'clock, UTC).
    DIGEST_HOUR = int(_env("DIGEST_HOUR", "12") or 12)
    # How many proxies in front of the portal set X-Forwarded-For/-Proto/-Host (the README's TLS
    # proxy: 1). Zero trusts none: behind a proxy every client would share the proxy's address.
    TRUSTED_PROXIES = int(_env("TRUSTED_PROXIES", "0") or 0)
    # Retention (`portal retention run`; the worker runs it once a day from RETENTION_HOUR o'clock, UTC).
    # Each period counts from a record's last activity (a change, a note), never from its creation,
    # so a case someone still works on is never touched. decisions.md 43 says what each step keeps.
    # A witness's contact, private link and language are forgotten this many days after the sighting
    # was closed as not relevant, or after every claim it was confirmed for was located or closed
    # (and quiet since): the police may need to call the witness while a case is open.
    RETENTION_SIGHTING_CONTACT_DAYS = int(_env("RETENTION_SIGHTING_CONTACT_DAYS", "180") or 0)
    # A draft that was never validated and has had no change nor note for this many days is closed and
    # anonymised: a report its family did not complete and no officer took up.
    RETENTION_DRAFT_DAYS = int(_env("RETENTION_DRAFT_DAYS", "365") or 0)
    # A case located or closed, with no change nor note for this many years, is anonymised (its
    # reference and police case number stay).
    RETENTION_CLOSED_CASE_YEARS = int(_env("RETENTION_CLOSED_CASE_YEARS", "10") or 0)
    # A sent e-mail keeps only its address and template in the outbox, a dead one (never delivered) its
    # text too: both are deleted this many days later. Pending ones never are.
    RETENTION_SENT_MAIL_DAYS = int(_env("RETENTION_SENT_MAIL_DAYS", "30") or 0)
    RETENTION_HOUR = int(_env("RETENTION_HOUR", "3") or 0)
    # How often the worker counts the search keys many published claims share (portal.cases.search:
    # a search of one such word then skips counting its claims). Seconds.
    SEARCH_COUNTS_EVERY = float(_env("SEARCH_COUNTS_EVERY", "600") or 600)
    # A demonstration site: a banner on every page, and `portal demo load` allowed (it makes
    # accounts with a published password). Off in production unless PORTAL_DEMO_MODE=1.
    DEMO_MODE = _env_bool("DEMO_MODE", False)

    @classmethod
    def check(cls, settings: Mapping[str, Any]) -> None:
        """Raise ConfigurationError when ``settings`` are unsafe for this environment."""
        if not settings.get("SECRET_KEY"):
            raise ConfigurationError("Set PORTAL_SECRET_KEY: sessions and CSRF tokens depend on it.")
        for name in RETENTION_PERIODS:
            if int(settings.get(name, 1)) < 1:
                raise ConfigurationError(
                    f"PORTAL_{name} must be at least 1: a zero period would erase records at once."
                )


class DevelopmentConfig(Config):
    """`make run`: a local SQLite file over plain HTTP on 127.0.0.1."""

    NAME = "development"

    SECRET_KEY = _env("SECRET_KEY", DEVELOPMENT_KEY)
    SESSION_COOKIE_SECURE = _env_bool("COOKIE_SECURE", False)
    DEMO_MODE = True


class TestConfig(Config):
    """The test suite: SQLite in a temporary folder unless PORTAL_TEST_DATABASE_URL is set."""

    NAME = "test"

    TESTING = True
    SECRET_KEY = TEST_KEY
    DATABASE_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "sqlite://")
    SESSION_COOKIE_SECURE = False
    RATELIMIT_ENABLED = False
    # Counters of the tests that do limit are this run's own, even in a Redis server shared by runs.
    RATELIMIT_KEY_PREFIX = f"portal-test-{uuid.uuid4().hex[:12]}"
    # Cheap hashes keep the suite fast; production uses the argon2 defaults.
    PASSWORD_HASH_FAST = True


class ProductionConfig(Config):
    """gunicorn behind a TLS proxy, PostgreSQL, Redis for rate limits: the default."""

    NAME = "production"
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")

    @classmethod
    def check(cls, settings: Mapping[str, Any]) -> None:
        """A production key is set, is not one written in this repository, and is long enough."""
        super().check(settings)
        key = str(settings["SECRET_KEY"])
        if key in DEVELOPMENT_KEYS:
            raise ConfigurationError(
                "PORTAL_SECRET_KEY is a development key, public in the source code: set a secret one "
                '(python -c "import secrets; print(secrets.token_urlsafe(48))").'
            )
        if len(key) < MIN_SECRET_LENGTH:
            raise ConfigurationError(
                f"PORTAL_SECRET_KEY is too short: use at least {MIN_SECRET_LENGTH} random characters."
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def get_config(name: str | None = None) -> type[Config]:
    """Return the config class named by ``name`` or ``PORTAL_ENV``; production when neither is set."""
    chosen = name or _env("ENV") or "production"
    if chosen not in CONFIGS:
        raise ConfigurationError(f"PORTAL_ENV must be one of {', '.join(sorted(CONFIGS))}, not {chosen!r}.")
    return CONFIGS[chosen]
