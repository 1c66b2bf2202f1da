"""The public's searches are rate-limited per client, pages and API together; signed-in users are not.

Run against an in-memory store always, and against the Redis server production uses when one is
listening on 127.0.0.1:6379 (CI has one).
"""

from __future__ import annotations

import socket

import pytest

from portal.app import create_app
from tests.builders import make_user, sign_in
from tests.conftest import redis_url

REDIS = redis_url()  # a database of this xdist worker's own


def _stored_counters() -> set[bytes]:
    import redis

    return set(redis.Redis.from_url(REDIS).scan_iter("*claim-search*"))


def _redis_running() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(params=["memory", "redis"])
def limited(request, database_url, tmp_path):  # type: ignore[no-untyped-def]
    if request.param == "redis" and not _redis_running():
        pytest.skip("no Redis server on 127.0.0.1:6379: rate limits checked with the in-memory store only")
    app = create_app(
        "test",
        DATABASE_URL=database_url,
        PHOTO_DIR=str(tmp_path),
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=REDIS if request.param == "redis" else "memory://",
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=False,
        SEARCH_RATE_LIMIT="3/minute",
    )
    yield app, request.param
    app.extensions["portal.engine"].dispose()


def test_the_public_gets_429_after_its_budget_on_the_page_and_the_api_together(limited):
    app, storage = limited
    client = app.test_client()
    before = _stored_counters() if storage == "redis" else set()
    statuses = [
        client.get("/claims?q=Quispe").status_code,
        client.get("/api/v1/claims?q=Quispe").status_code,
        client.get("/claims").status_code,
    ]
    assert statuses == [200, 200, 200]
    page = client.get("/claims?q=Quispe")
    assert page.status_code == 429
    api = client.get("/api/v1/claims")
    assert api.status_code == 429 and api.get_json()["error"]["code"] == "rate_limited"
    other_client = app.test_client()
    assert other_client.get("/claims", environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 200
    if storage == "redis":  # the counters are in Redis, where every worker of a deployment shares them
        assert _stored_counters() - before


def test_signed_in_officers_are_not_limited(limited, session):
    app, _storage = limited
    client = app.test_client()
    officer = make_user(session, "police", "BO")
    session.commit()
    sign_in(client, officer)
    assert {client.get("/claims?q=Quispe").status_code for _ in range(6)} == {200}
