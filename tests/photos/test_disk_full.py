"""A full disk while storing a photo, through the real forms: a 503 that says nothing was saved, the form
kept, and no row and no file left behind; sent again once there is room, it is saved once."""

from __future__ import annotations

import errno
import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select

from portal.cases.models import Claim
from portal.idempotency.models import IdempotencyKey
from portal.photos.models import Photo
from portal.sightings.models import Sighting
from tests.builders import claim_data

HIDDEN = r'name="{}"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="{}"'


def _hidden(page: str, name: str) -> str:
    found = re.search(HIDDEN.format(name, name), page)
    assert found, f"no {name} on the page"
    return found.group(1) or found.group(2)


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (96, 64), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def _full_disk(monkeypatch: pytest.MonkeyPatch, nth: int) -> None:
    """The ``nth`` file the portal makes durable meets a full disk."""
    real, calls = os.fsync, []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == nth:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


def _count(session: Any, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _files(app: Any) -> list[Path]:
    root = Path(app.config["PHOTO_DIR"])
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.parametrize("nth", [1, 4], ids=["first-photo", "second-photos-thumbnail"])
def test_the_claim_form_answers_503_keeps_the_form_and_leaves_nothing(app, client, login_as, session, monkeypatch, nth):
    client.get("/lang/en")
    login_as("family")
    page = client.get("/claims/new").get_data(as_text=True)
    fields = {
        **claim_data(given_names="Kept Given"),
        "csrf_token": _hidden(page, "csrf_token"),
        "idempotency_key": _hidden(page, "idempotency_key"),
    }

    def send() -> Any:
        photos = [
            (io.BytesIO(_jpeg((200, 30, 30))), "a.jpg", "image/jpeg"),
            (io.BytesIO(_jpeg((30, 30, 200))), "b.jpg", "image/jpeg"),
        ]
        return client.post("/claims/new", data={**fields, "photos": photos}, content_type="multipart/form-data")

    _full_disk(monkeypatch, nth)
    response = send()

    assert response.status_code == 503
    text = response.get_data(as_text=True)
    assert "The server could not store the photo: what you sent was NOT saved." in text
    assert 'id="photos-error"' in text and 'value="Kept Given"' in text and "choose them again" in text
    assert (_count(session, Claim), _count(session, Photo), _count(session, IdempotencyKey)) == (0, 0, 0)
    assert _files(app) == []

    monkeypatch.undo()  # room again: the same form, sent again, is saved once
    assert send().status_code == 302
    assert (_count(session, Claim), _count(session, Photo)) == (1, 2) and len(_files(app)) == 4


def test_the_sighting_form_answers_503_keeps_the_form_and_leaves_nothing(app, client, session, monkeypatch):
    client.get("/lang/en")
    page = client.get("/sightings/new").get_data(as_text=True)
    fields = {
        "csrf_token": _hidden(page, "csrf_token"),
        "idempotency_key": _hidden(page, "idempotency_key"),
        "event_date": "2026-03-02",
        "country": "PE",
        "place": "Juliaca, terminal terrestre",
        "description": "Vendía dulces.",
    }

    def send() -> Any:
        photo = (io.BytesIO(_jpeg((30, 120, 90))), "seen.jpg", "image/jpeg")
        return client.post("/sightings/new", data={**fields, "photo": photo}, content_type="multipart/form-data")

    _full_disk(monkeypatch, 2)  # the thumbnail, after the full-size file was written
    response = send()

    assert response.status_code == 503
    text = response.get_data(as_text=True)
    assert "what you sent was NOT saved" in text and 'id="photo-error"' in text
    assert 'value="Juliaca, terminal terrestre"' in text
    assert (_count(session, Sighting), _count(session, Photo), _count(session, IdempotencyKey)) == (0, 0, 0)
    assert _files(app) == []

    monkeypatch.undo()
    assert send().status_code == 303
    assert (_count(session, Sighting), _count(session, Photo)) == (1, 1) and len(_files(app)) == 2
