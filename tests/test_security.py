"""Security from day one: headers, size limit, no 500 for what a client sends, cookie flags."""

from __future__ import annotations

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


def test_cookies_are_secure_outside_development(monkeypatch, database_url):
    monkeypatch.setenv("PORTAL_SECRET_KEY", "x")
    app = create_app("production", DATABASE_URL=database_url, SECRET_KEY="x")
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_refuses_to_start_without_a_secret(database_url):
    import pytest

    with pytest.raises(RuntimeError):
        create_app("production", DATABASE_URL=database_url, SECRET_KEY=None)


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
