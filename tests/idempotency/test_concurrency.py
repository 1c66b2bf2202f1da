"""Two first requests with the same key at the same time make one record, on SQLite and PostgreSQL.

The first request is held inside the casework path, after it reserved the key and before it commits;
the second is sent then, and the first released once the second waits on the database (seen in
pg_stat_activity on PostgreSQL; on SQLite, whose lock waits cannot be seen, after a pause). Without
the reservation the second would find no key and file a second record.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select, text

from portal import casework
from portal.cases.models import Claim
from portal.idempotency.models import IdempotencyKey
from portal.sightings.models import Sighting
from tests.api.test_sightings import sighting_data
from tests.builders import browser_of, claim_data, make_user
from tests.idempotency.test_forms import _form


def _hold(monkeypatch: pytest.MonkeyPatch, name: str) -> tuple[threading.Event, threading.Event, list[int]]:
    """Make casework's ``name`` wait, once entered, until released; count the records it creates."""
    real, entered, release, calls = getattr(casework, name), threading.Event(), threading.Event(), []

    def held(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        entered.set()
        assert release.wait(30), "never released"
        return real(*args, **kwargs)

    monkeypatch.setattr(casework, name, held)
    return entered, release, calls


def _wait_until_blocked(session: Any) -> None:
    """Return once another connection waits for a lock (PostgreSQL), or after a pause (SQLite)."""
    if session.get_bind().dialect.name != "postgresql":
        time.sleep(0.5)
        return
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
    )
    for _ in range(300):
        if session.execute(query).scalar():
            session.rollback()
            return
        session.rollback()
        time.sleep(0.05)
    raise AssertionError("the second request never waited for the first")


def _race(
    session: Any,
    entered: threading.Event,
    release: threading.Event,
    first: Callable[[], Any],
    second: Callable[[], Any],
) -> list[Any]:
    answers: list[Any] = [None, None]

    def run(index: int, send: Callable[[], Any]) -> None:
        answers[index] = send()

    threads = [threading.Thread(target=run, args=(0, first)), threading.Thread(target=run, args=(1, second))]
    threads[0].start()
    assert entered.wait(30), "the first request never reached the casework path"
    threads[1].start()
    try:
        _wait_until_blocked(session)
    finally:
        release.set()
        for thread in threads:
            thread.join(60)
    return answers


def test_two_claim_forms_sent_at_once_with_one_key_file_one_claim(app, session, monkeypatch):
    family = make_user(session, "family")
    session.commit()
    browsers = [browser_of(app, family), browser_of(app, family)]
    tokens = [_form(browser, "/claims/new")[0] for browser in browsers]
    key = _form(browsers[0], "/claims/new")[1]
    entered, release, calls = _hold(monkeypatch, "claim_filed")

    def sender(n: int) -> Callable[[], Any]:
        data = {**claim_data(), "csrf_token": tokens[n], "idempotency_key": key}
        return lambda: browsers[n].post("/claims/new", data=data)

    first, second = _race(session, entered, release, sender(0), sender(1))
    assert (first.status_code, second.status_code) == (302, 302), second.get_data(as_text=True)[:500]
    assert first.headers["Location"] == second.headers["Location"]
    assert len(calls) == 1
    assert session.scalar(select(func.count()).select_from(Claim)) == 1
    assert session.scalar(select(func.count()).select_from(IdempotencyKey)) == 1


def test_two_public_api_sightings_sent_at_once_with_one_key_make_one(app, session, monkeypatch):
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    entered, release, calls = _hold(monkeypatch, "sighting_reported")

    def send() -> Any:
        return app.test_client().post("/api/v1/sightings", json=sighting_data(), headers=headers)

    first, second = _race(session, entered, release, send, send)
    assert (first.status_code, second.status_code) == (201, 201), second.get_json()
    assert first.get_json() == second.get_json() and second.headers["Idempotent-Replayed"] == "true"
    assert len(calls) == 1
    assert session.scalar(select(func.count()).select_from(Sighting)) == 1
