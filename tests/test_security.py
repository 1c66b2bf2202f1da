"""Security from day one: headers, size limit, no 500 for what a client sends, cookie flags."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import ConfigurationError, ProductionConfig, get_config
from portal.app import create_app
from portal.security import safe_next


def test_security_headers_on_every_page(client):
    response = client.get("/")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_oversized_request_gets_a_clear_413_page(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/register", data={"email": "x" * 4096})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True) or "grande" in response.get_data(as_text=True)


def test_unknown_page_is_a_404_page_not_a_crash(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "<html" in response.get_data(as_text=True)


def test_wrong_method_is_405(client):
    assert client.put("/login").status_code == 405


ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_KEY = "a-long-random-production-key-0123456789"


def test_cookies_are_secure_outside_development(database_url):
    app = create_app("production", DATABASE_URL=database_url, SECRET_KEY=PRODUCTION_KEY)
    assert app.config["SESSION_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize(
    ("key", "says"),
    [
        (None, "Set PORTAL_SECRET_KEY"),
        ("", "Set PORTAL_SECRET_KEY"),
        ("dev-only-not-secret", "development key"),
        ("test-only", "development key"),
        ("short", "too short"),
    ],
)
def test_production_refuses_to_start_without_a_real_secret(database_url, key, says):
    with pytest.raises(ConfigurationError, match=says):
        create_app("production", DATABASE_URL=database_url, SECRET_KEY=key)


def test_without_portal_env_the_settings_are_production(monkeypatch):
    monkeypatch.delenv("PORTAL_ENV", raising=False)
    assert get_config() is ProductionConfig
    monkeypatch.setenv("PORTAL_ENV", "staging")
    with pytest.raises(ConfigurationError, match="PORTAL_ENV must be one of"):
        get_config()


def test_safe_next_keeps_only_local_paths():
    assert safe_next("/cases/3?x=1") == "/cases/3?x=1"
    for bad in (
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/x\r\nSet-Cookie: a=b",
        None,
        "",
    ):
        assert safe_next(bad, "/") == "/"


def test_request_logs_never_carry_query_strings():
    import logging

    from portal.security import DropQueryStrings

    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        "%s - - [%s] %s",
        ("127.0.0.1", "now", '"GET /claims?q=Rosa+Quispe HTTP/1.1" 200 -'),
        None,
    )
    DropQueryStrings().filter(record)
    line = record.getMessage()
    assert "Rosa" not in line and "/claims?…" in line


def _without_portal_settings() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "FLASK_"))}


def test_gunicorn_with_no_configuration_refuses_to_start():
    gunicorn = Path(sys.executable).parent / "gunicorn"
    if not gunicorn.exists():
        pytest.skip("gunicorn is installed by `make test` (the test extra)")
    result = subprocess.run(
        [str(gunicorn), "--chdir", str(ROOT), "--bind", "127.0.0.1:0", "--workers", "1", "wsgi:app"],
        env=_without_portal_settings(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Set PORTAL_SECRET_KEY" in result.stderr


def test_a_development_key_does_not_start_production_either():
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        cwd=ROOT,
        env={**_without_portal_settings(), "PORTAL_SECRET_KEY": "dev-only-not-secret"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "development key" in result.stderr
