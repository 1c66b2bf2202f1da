"""Behind the TLS proxy: with PORTAL_TRUSTED_PROXIES=1, limits and the audit trail see each client.

Rate limits are counted in memory always, and in the Redis server production uses when one is
listening on 127.0.0.1:6379 (CI has one).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.app import create_app
from portal.audit.models import AuditEvent
from tests.cases.test_search_rate_limit import REDIS, _redis_running

PROXY = {"REMOTE_ADDR": "10.0.0.1"}


def _client_behind_proxy(app, address):
    client = app.test_client()
    client.environ_base.update(PROXY, HTTP_X_FORWARDED_FOR=address)
    return client


@pytest.fixture(params=["memory", "redis"])
def proxied(request, database_url, tmp_path):
    def make(hops: int):
        if request.param == "redis" and not _redis_running():
            pytest.skip("no Redis server on 127.0.0.1:6379: rate limits checked with the in-memory store only")
        return create_app(
            "test",
            DATABASE_URL=database_url,
            PHOTO_DIR=str(tmp_path),
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI=REDIS if request.param == "redis" else "memory://",
            RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=False,
            RATELIMIT_KEY_PREFIX=f"proxy-test-{request.node.name}-{hops}-{id(request)}",
            SEARCH_RATE_LIMIT="2/minute",
            TRUSTED_PROXIES=hops,
        )

    return make


def test_two_clients_behind_the_proxy_have_separate_limits(proxied):
    app = proxied(1)
    first, second = _client_behind_proxy(app, "198.51.100.1"), _client_behind_proxy(app, "198.51.100.2")

    assert [first.get("/claims?q=Quispe").status_code for _ in range(3)] == [200, 200, 429]
    assert second.get("/claims?q=Quispe").status_code == 200


def test_without_trusting_the_proxy_every_client_shares_its_address(proxied):
    app = proxied(0)
    first, second = _client_behind_proxy(app, "198.51.100.1"), _client_behind_proxy(app, "198.51.100.2")

    assert [first.get("/claims?q=Quispe").status_code for _ in range(2)] == [200, 200]
    assert second.get("/claims?q=Quispe").status_code == 429


def test_the_audit_trail_records_the_client_not_the_proxy(proxied, session):
    app = proxied(1)
    client = _client_behind_proxy(app, "198.51.100.9")
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]

    client.post("/login", data={"csrf_token": token, "email": "nadie@example.org", "password": "x" * 12})

    ips = set(session.scalars(select(AuditEvent.ip).where(AuditEvent.action == "account.login_failed")))
    assert ips == {"198.51.100.9"}


def test_a_client_cannot_choose_its_address_through_a_second_forwarded_hop(proxied):
    app = proxied(1)
    # The proxy appends the real client (198.51.100.3) to whatever the client sent: only the last counts.
    spoofing = _client_behind_proxy(app, "203.0.113.1, 198.51.100.3")
    honest = _client_behind_proxy(app, "198.51.100.3")

    assert [spoofing.get("/claims?q=Quispe").status_code for _ in range(2)] == [200, 200]
    assert honest.get("/claims?q=Quispe").status_code == 429
