"""A practice space is sealed both ways: its records never reach a real page, answer, queue, list,
statistic, e-mail or log line, and a trainee never reaches a real record.

Sentinel names are put in a practice space by a trainee through the ordinary pages and API; then
every role of the real portal reads every page and answer where a case could show.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from portal.cases.models import Claim
from portal.notify.models import OutboxMessage
from portal.sightings.models import Sighting
from portal.training import spaces
from tests.builders import api_claim_data, browser_of, make_claim, make_user

PRACTICE_SENTINEL = "Zzyzxpractica"
REAL_SENTINEL = "Qwertyreal"
ROLES = [
    ("family", None),
    ("police", "BO"),
    ("police", "PE"),
    ("coordinator", "BO"),
    ("trainer", "BO"),
    ("admin", None),
]
SESSION = {
    "title": "Sesión sellada",
    "country": "BO",
    "district": "Oruro",
    "place": "Comando Departamental",
    "starts_on": "2026-12-10",
    "language": "es",
    "capacity": 10,
}


def _pages(reference: str) -> list[str]:
    return [
        "/",
        "/claims",
        "/claims?q=Mamani",  # both sentinels' surname: the search box echoes its words, so not the sentinel
        f"/claims/{reference}",
        "/cases",
        "/review/queue",
        "/flags/",
        "/flags/report",
        "/sightings",
        "/api/v1/claims",
        "/api/v1/claims?q=Mamani",
    ]


@pytest.fixture
def sealed(app, client, session, token_for, caplog):
    """A real world, and an open practice space where a trainee put the sentinel in a claim and a sighting."""
    caplog.set_level(logging.DEBUG)
    real = make_claim(
        session, given_names=REAL_SENTINEL, first_surname="Mamani", status="active", publication="published"
    )
    session.commit()
    _trainer, headers = token_for("trainer", "BO")
    created = client.post("/api/v1/training/sessions", json=SESSION, headers=headers).get_json()
    enrolled = client.post(
        f"/api/v1/training/sessions/{created['id']}/trainees",
        json={"email": "sellado@example.org", "name": "Aprendiz Sellado", "kind": "police"},
        headers=headers,
    ).get_json()
    trainee = {"Authorization": f"Bearer {enrolled['token']}"}
    filed = client.post(
        "/api/v1/claims", json=api_claim_data(given_names=PRACTICE_SENTINEL, first_surname="Mamani"), headers=trainee
    )
    seen = {
        "event_date": "2026-11-30",
        "country": "BO",
        "place": "Oruro",
        "name_heard": PRACTICE_SENTINEL,
        "sex": "F",
        "age_min": 14,
        "age_max": 16,
        "reporter_contact": f"{PRACTICE_SENTINEL.lower()}@example.org",
    }
    assert filed.status_code == 201 and client.post("/api/v1/sightings", json=seen, headers=trainee).status_code == 201
    return {
        "session_id": created["id"],
        "trainer": headers,
        "trainee": trainee,
        "real": real,
        "reference": filed.get_json()["reference"],
    }


def test_no_real_role_reads_a_practice_record_anywhere(app, session, sealed, caplog):
    readers = [None] + [make_user(session, role, country) for role, country in ROLES]
    session.commit()
    for reader in readers:
        browser = app.test_client() if reader is None else browser_of(app, reader)
        for path in _pages(sealed["reference"]):
            response = browser.get(path, headers={"Accept-Language": "en"})
            assert response.status_code < 500, (reader and reader.role, path)
            assert PRACTICE_SENTINEL not in response.get_data(as_text=True), (reader and reader.role, path)
            assert "X-Practice" not in response.headers
    session.expire_all()
    assert session.scalar(select(Claim.id).where(Claim.given_names == PRACTICE_SENTINEL)) is None
    assert session.scalar(select(Sighting.id).where(Sighting.name_heard == PRACTICE_SENTINEL)) is None
    assert all(PRACTICE_SENTINEL not in str(m.context) + m.address for m in session.scalars(select(OutboxMessage)))
    assert PRACTICE_SENTINEL not in caplog.text and PRACTICE_SENTINEL.lower() not in caplog.text


def test_the_practice_space_holds_the_sentinel_and_nothing_real(app, client, sealed):
    with spaces.factory(app, sealed["session_id"])() as practice:
        assert practice.scalar(select(Claim.id).where(Claim.given_names == PRACTICE_SENTINEL)) is not None
        assert practice.scalar(select(Claim.id).where(Claim.given_names == REAL_SENTINEL)) is None
    for path in ["/api/v1/claims", f"/api/v1/claims?q={REAL_SENTINEL}", f"/api/v1/claims/{sealed['real'].id}"]:
        answer = client.get(path, headers=sealed["trainee"])
        assert REAL_SENTINEL not in answer.get_data(as_text=True), path


def test_a_trainee_logged_in_on_the_pages_sees_practice_only_with_the_banner(app, session, sealed):
    from portal.accounts.models import User

    trainee = session.scalar(select(User).where(User.email == "sellado@example.org"))
    browser = browser_of(app, trainee)
    for path in ["/", "/claims", "/claims?q=Mamani", "/cases", "/review/queue", "/flags/", "/sightings"]:
        response = browser.get(path, headers={"Accept-Language": "en"})
        text = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert REAL_SENTINEL not in text, path
        assert response.headers.get("X-Practice") == "true", path
    assert PRACTICE_SENTINEL in browser.get("/claims?q=Mamani").get_data(as_text=True)
    # The account pages are the real ones: the trainee's own account, nothing of the cases.
    assert browser.get("/account").status_code == 200


def test_closing_leaves_no_row_and_no_photo(app, client, sealed):
    photos = spaces.photo_dir(app.config, sealed["session_id"])
    photos.mkdir(parents=True, exist_ok=True)
    (photos / "a.jpg").write_bytes(b"x")

    closed = client.post(f"/api/v1/training/sessions/{sealed['session_id']}/close", json={}, headers=sealed["trainer"])

    assert closed.status_code == 200
    assert not spaces.exists(app, sealed["session_id"]) and not photos.exists()
    assert client.get("/api/v1/claims", headers=sealed["trainee"]).status_code == 403


def test_practice_references_are_numbered_apart_from_real_ones(sealed):
    number = int(sealed["reference"].rsplit("-", 1)[1])
    assert sealed["reference"].startswith("BO-") and number >= 900_001
    assert int(sealed["real"].reference.rsplit("-", 1)[1]) < 900_001
