"""The claim and sighting forms carry a random key: the same form sent twice saves one record."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from portal.cases.models import Claim
from portal.idempotency.models import IdempotencyKey
from portal.photos.models import Photo
from portal.sightings.models import Sighting
from tests.builders import claim_data
from tests.sightings.test_views import form as sighting_form

KEY = re.compile(r'name="idempotency_key" value="([A-Za-z0-9_-]+)"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def english(client):  # type: ignore[no-untyped-def]
    """Pages in English (the msgids), so text assertions survive new translations."""
    client.get("/lang/en")
    return client


def _count(session, model) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(model))


def _form(client, path: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """The CSRF token and idempotency key of the form at ``path``."""
    page = client.get(path).get_data(as_text=True)
    return CSRF.search(page).group(1), KEY.search(page).group(1)


def _jpeg(colour: tuple[int, int, int] = (30, 120, 90)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def _files(app) -> list[Path]:  # type: ignore[no-untyped-def]
    return [p for p in Path(app.config["PHOTO_DIR"]).rglob("*") if p.is_file()]


def test_each_showing_of_a_form_gets_its_own_random_key(client, login_as):
    login_as("family")
    keys = {_form(client, "/claims/new")[1] for _ in range(3)} | {_form(client, "/sightings/new")[1] for _ in range(3)}
    assert len(keys) == 6 and all(len(key) == 22 for key in keys)


def test_a_claim_form_sent_twice_files_one_claim_and_both_go_to_it(app, client, session, login_as, english):
    login_as("family")
    token, key = _form(client, "/claims/new")

    def send():  # type: ignore[no-untyped-def]
        data = {**claim_data(), "csrf_token": token, "idempotency_key": key}
        data["photos"] = [(io.BytesIO(_jpeg()), "rosa.jpg", "image/jpeg")]
        return client.post("/claims/new", data=data, content_type="multipart/form-data")

    first, second = send(), send()
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(session, Claim) == 1 and _count(session, IdempotencyKey) == 1
    assert _count(session, Photo) == 1 and len(_files(app)) == 2  # the photo and its thumbnail, once
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert session.scalar(select(Claim.reference)) in page


def test_a_claim_form_sent_again_changed_saves_nothing_until_sent_once_more(client, session, login_as, english):
    login_as("family")
    token, key = _form(client, "/claims/new")
    assert (
        client.post("/claims/new", data={**claim_data(), "csrf_token": token, "idempotency_key": key}).status_code
        == 302
    )
    # Back in the browser, a change, and "Send" again with the old key.
    changed = {**claim_data(given_names="Ana Lucía"), "csrf_token": token, "idempotency_key": key}
    response = client.post("/claims/new", data=changed)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "already been sent with different content, so nothing was saved" in page
    assert 'value="Ana Lucía"' in page  # what they wrote is kept
    new_key = KEY.search(page).group(1)
    assert new_key != key and _count(session, Claim) == 1
    again = client.post("/claims/new", data={**changed, "idempotency_key": new_key})
    assert again.status_code == 302 and _count(session, Claim) == 2


def test_a_form_with_errors_keeps_its_key_so_the_corrected_one_is_still_one_claim(client, session, login_as):
    login_as("family")
    token, key = _form(client, "/claims/new")
    wrong = client.post("/claims/new", data={**claim_data(event_date=""), "csrf_token": token, "idempotency_key": key})
    assert wrong.status_code == 422 and KEY.search(wrong.get_data(as_text=True)).group(1) == key
    right = {**claim_data(), "csrf_token": token, "idempotency_key": key}
    assert [client.post("/claims/new", data=right).status_code for _ in range(2)] == [302, 302]
    assert _count(session, Claim) == 1


def test_another_familys_form_with_the_same_key_is_theirs(app, client, session, login_as):
    from tests.builders import browser_of, make_user

    login_as("family")
    token, key = _form(client, "/claims/new")
    other = browser_of(app, make_user(session, "family"))
    session.commit()
    other_token = _form(other, "/claims/new")[0]
    first = client.post("/claims/new", data={**claim_data(), "csrf_token": token, "idempotency_key": key})
    second = other.post("/claims/new", data={**claim_data(), "csrf_token": other_token, "idempotency_key": key})
    assert first.headers["Location"] != second.headers["Location"]
    assert _count(session, Claim) == 2


def _thanks(client) -> str:  # type: ignore[no-untyped-def]
    return client.get("/sightings/thanks").get_data(as_text=True)


def test_a_sighting_form_sent_twice_saves_one_and_thanks_with_the_same_reference_and_link(app, client, session):
    token, key = _form(client, "/sightings/new")

    def send():  # type: ignore[no-untyped-def]
        data = {
            **sighting_form(token),
            "idempotency_key": key,
            "photo": (io.BytesIO(_jpeg()), "seen.jpg", "image/jpeg"),
        }
        return client.post("/sightings/new", data=data, content_type="multipart/form-data")

    assert send().status_code == 303
    first = _thanks(client)
    assert send().status_code == 303  # the browser posts it again (or the first answer never arrived)
    second = _thanks(client)
    reference = session.scalar(select(Sighting.reference))
    link = re.search(r'<code class="link"><a href="([^"]+)"', first).group(1)
    assert reference in first and reference in second and link in second
    assert _count(session, Sighting) == 1 and _count(session, Photo) == 1
    # The link shown again is the one that opens the report.
    assert client.get(link.split("localhost", 1)[1]).status_code == 200


def test_two_witnesses_who_send_the_same_words_make_two_reports(app, client, session):
    token, key = _form(client, "/sightings/new")
    other = app.test_client()
    other_token, other_key = _form(other, "/sightings/new")
    assert client.post("/sightings/new", data={**sighting_form(token), "idempotency_key": key}).status_code == 303
    assert (
        other.post("/sightings/new", data={**sighting_form(other_token), "idempotency_key": other_key}).status_code
        == 303
    )
    assert _count(session, Sighting) == 2
    assert _thanks(client) != _thanks(other)  # each sees only their own reference and link


def test_a_sighting_key_sent_with_other_words_shows_nothing_of_the_first_report(client, session):
    token, key = _form(client, "/sightings/new")
    assert client.post("/sightings/new", data={**sighting_form(token), "idempotency_key": key}).status_code == 303
    first_reference = session.scalar(select(Sighting.reference))
    client.get("/sightings/thanks")
    response = client.post("/sightings/new", data={**sighting_form(token, place="Puno"), "idempotency_key": key})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and first_reference not in page and "/sightings/w/" not in page
    assert _count(session, Sighting) == 1
