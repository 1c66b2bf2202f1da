"""Helpers for the claim pages: CSRF-carrying posts, English pages, synthetic photos."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from PIL import Image

from tests.builders import claim_data

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/claims") -> str:
    """A CSRF token valid for ``client``'s session, read from a page that renders a form.

    Any page with a POST form works; the search page has the logout form when logged in, and
    /sightings/new has one for everybody.
    """
    page = client.get(path).get_data(as_text=True)
    match = TOKEN.search(page) or TOKEN.search(client.get("/sightings/new").get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


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


def form_data(**overrides: Any) -> dict[str, Any]:
    """The claim form as a browser posts it (strings; circumstances as a list)."""
    return claim_data(**overrides)


def jpeg_with_gps(size: tuple[int, int] = (120, 160)) -> bytes:
    """A synthetic JPEG carrying a camera name and GPS coordinates in its EXIF."""
    exif = Image.Exif()
    exif[0x0110] = "Synthetic Camera"
    exif.get_ifd(0x8825).update({1: "S", 2: (16.0, 30.0, 0.0), 3: "W", 4: (68.0, 9.0, 0.0)})
    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 120, 90)).save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    return data
