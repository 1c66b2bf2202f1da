"""The public sighting page: no account, CSRF, photo, errors kept, nothing echoed back."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.photos.models import Photo
from portal.sightings.models import Sighting
from tests.builders import make_claim


def jpeg_bytes() -> bytes:
    """A small synthetic JPEG."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 90)).save(buffer, "JPEG")
    return buffer.getvalue()


def form(csrf_token: str, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "csrf_token": csrf_token,
        "event_date": "2026-03-02",
        "country": "PE",
        "place": "Juliaca",
        "name_heard": "Rosi",
        "sex": "F",
        "age_min": "14",
        "age_max": "17",
        "height_cm": "",
        "marks": "",
        "description": "Vendía dulces en el terminal.",
        "venue": "bus_terminal",
        "companion": "unrelated_adult",
        "reporter_contact": "+51 955 000 111",
    }
    data.update(overrides)
    return data


def test_the_form_needs_no_account_and_offers_the_codes(client):
    response = client.get("/sightings/new")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in page and 'name="photo" type="file" accept="image/*"' in page
    assert 'value="massage_parlour"' in page and 'value="guard_or_escort"' in page
    assert 'value="PE"' in page and 'value="AR"' not in page  # member countries only
    assert "Solo lo verán los policías que atiendan su aviso" in page
    assert 'name="csrf_token"' in page
    assert 'maxlength="200"' in page and 'inputmode="numeric"' in page and "&#34;" not in page


def test_a_sighting_is_saved_and_the_thank_you_page_echoes_nothing(client, session, csrf):
    response = client.post("/sightings/new", data=form(csrf("/sightings/new")))
    assert response.status_code == 303 and response.headers["Location"].endswith("/sightings/thanks")
    sighting = session.scalar(select(Sighting))
    assert (sighting.country, sighting.venue, sighting.age_min, sighting.reporter_id) == (
        "PE",
        "bus_terminal",
        14,
        None,
    )
    assert sighting.reporter_contact == "+51 955 000 111"
    thanks = client.get("/sightings/thanks").get_data(as_text=True)
    assert "Rosi" not in thanks and "955" not in thanks and "Juliaca" not in thanks
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "sighting.create")) is not None


def test_without_a_csrf_token_nothing_is_saved(client, session):
    response = client.post("/sightings/new", data=form(""))
    assert response.status_code == 400
    assert session.scalar(select(Sighting)) is None


def test_errors_come_back_with_422_and_the_values_kept(client, session, csrf):
    token = csrf("/sightings/new")
    response = client.post(
        "/sightings/new", data=form(token, event_date="2999-01-01", age_min="20", age_max="10", name_heard="Rosi Q")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Rosi Q"' in page and 'id="event_date-error"' in page and 'id="age_max-error"' in page
    assert re.search(r'<option value="bus_terminal"\s+selected', page)
    assert session.scalar(select(Sighting)) is None


def test_a_photo_is_saved_with_the_sighting(app, client, session, csrf):
    data = form(csrf("/sightings/new"))
    data["photo"] = (io.BytesIO(jpeg_bytes()), "seen.jpg", "image/jpeg")
    response = client.post("/sightings/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    sighting = session.scalar(select(Sighting))
    photo = session.scalar(select(Photo).where(Photo.sighting_id == sighting.id))
    assert photo is not None and photo.width == 64
    # Sighting photos are evidence: the public may not fetch them.
    assert client.get(f"/photos/{photo.id}/full").status_code == 404


def test_a_file_that_is_not_a_photo_keeps_nothing(client, session, csrf):
    data = form(csrf("/sightings/new"))
    data["photo"] = (io.BytesIO(b"%PDF-1.4 not a photo"), "seen.pdf", "application/pdf")
    response = client.post("/sightings/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422 and 'id="photo-error"' in response.get_data(as_text=True)
    assert session.scalar(select(Sighting)) is None and session.scalar(select(Photo)) is None


def test_an_empty_file_field_is_no_photo(client, session, csrf):
    data = form(csrf("/sightings/new"))
    data["photo"] = (io.BytesIO(b""), "", "application/octet-stream")
    assert client.post("/sightings/new", data=data, content_type="multipart/form-data").status_code == 303
    assert session.scalar(select(Photo)) is None


def test_i_have_seen_this_person_ties_the_sighting_to_a_published_claim(client, session, csrf):
    claim = make_claim(session, status="active", publication="published")
    session.commit()
    page = client.get(f"/sightings/new?claim={claim.reference}").get_data(as_text=True)
    assert claim.reference in page and "Rosa Elvira" in page and "9900123" not in page
    response = client.post(
        f"/sightings/new?claim={claim.reference}", data=form(csrf("/sightings/new"), claim=claim.reference)
    )
    assert response.status_code == 303
    assert session.scalar(select(Sighting.claim_id)) == claim.id


def test_a_draft_reference_is_ignored_for_the_public(client, session):
    claim = make_claim(session)
    session.commit()
    page = client.get(f"/sightings/new?claim={claim.reference}").get_data(as_text=True)
    assert "Rosa Elvira" not in page and 'name="claim"' not in page


def test_a_logged_in_officers_sighting_keeps_the_reporter(client, session, csrf, login_as):
    officer = login_as("police", "PE")
    assert client.post("/sightings/new", data=form(csrf("/sightings/new"))).status_code == 303
    assert session.scalar(select(Sighting)).reporter_id == officer.id


@pytest.mark.parametrize("locale", ["es", "en"])
def test_the_page_renders_in_each_language(client, locale):
    response = client.get("/sightings/new", headers={"Accept-Language": locale})
    assert response.status_code == 200 and f'lang="{locale}"' in response.get_data(as_text=True)
