"""Fixtures of the claim pages: CSRF-carrying posts and English pages."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.builders import csrf_token


@pytest.fixture
def post(client: FlaskClient):  # type: ignore[no-untyped-def]
    """POST a form with a valid CSRF token (fetched once per test client session)."""
    cache: dict[str, str] = {}

    def _post(path: str, data: dict[str, Any] | None = None, **kwargs: Any):  # type: ignore[no-untyped-def]
        if "token" not in cache:
            cache["token"] = csrf_token(client)
        return client.post(path, data={"csrf_token": cache["token"], **(data or {})}, **kwargs)

    return _post


@pytest.fixture
def english(client: FlaskClient) -> FlaskClient:
    """Pages in English (the msgids), so text assertions survive new Spanish translations."""
    client.get("/lang/en")
    return client
