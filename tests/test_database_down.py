"""A database that cannot be reached: a 503 in the user's language saying that nothing was saved."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tests.builders import csrf_token


@pytest.fixture
def database_down(monkeypatch):
    """Every commit fails as when PostgreSQL stops or SQLite's file cannot be written."""

    def refuse(self: Session) -> None:
        raise OperationalError("COMMIT", {}, ConnectionRefusedError("connection refused"))

    monkeypatch.setattr(Session, "commit", refuse)


def test_a_sighting_sent_while_the_database_is_down_says_it_was_not_saved(client, database_down):
    token = csrf_token(client, "/sightings/new")
    response = client.post(
        "/sightings/new",
        data={"csrf_token": token, "event_date": "2026-11-30", "country": "BO", "place": "Oruro", "name_heard": "Rosa"},
        headers={"Accept-Language": "es"},
    )
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "NO se guardó" in page and '<html lang="es"' in page


def test_the_api_says_it_in_json(client, database_down):
    sighting = {"event_date": "2026-11-30", "country": "BO", "place": "Oruro", "name_heard": "Rosa"}
    response = client.post("/api/v1/sightings", json=sighting)
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "unavailable"
    assert (
        "NOT saved"
        in client.post("/api/v1/sightings", json=sighting, headers={"Accept-Language": "en"}).get_json()["error"][
            "message"
        ]
    )
