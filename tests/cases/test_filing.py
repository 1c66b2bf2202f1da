"""Filing a claim on the page: draft and reference, errors kept, photos cleaned, rights, CSRF, no 500s."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import func, select

from portal.cases.models import Claim
from tests.builders import claim_data, csrf_token, jpeg_with_gps


def _claims(session) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(Claim))


def test_the_form_offers_every_section(client, login_as):
    login_as("family")
    page = client.get("/claims/new").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    assert 'name="photos" type="file" multiple accept="image/jpeg,image/png,image/webp"' in page
    for name in (
        "given_names",
        "second_surname",
        "aliases",
        "birth_date",
        "age_min",
        "age_max",
        "document_id",
        "nationality",
        "height_cm",
        "distinguishing_marks",
        "clothing",
        "description",
        "event_date",
        "place",
        "circumstances_text",
        "reporter_name",
        "reporter_relation",
        "reporter_contact",
        "guardian_consent",
        "csrf_token",
    ):
        assert f'name="{name}"' in page, name
    assert 'value="job_offer_abroad"' in page  # circumstances as checkboxes
    country_select = re.search(r'<select id="country".*?</select>', page, re.S).group(0)
    assert 'value="BO"' in country_select and 'value="AR"' not in country_select  # member countries only
    assert 'value="AR"' in re.search(r'<select id="nationality".*?</select>', page, re.S).group(0)


def test_a_family_files_a_draft_and_sees_its_reference(client, login_as, post, session, english):
    family = login_as("family")
    response = post("/claims/new", claim_data(circumstances=["job_offer", "online_contact"]))
    assert response.status_code == 302
    claim = session.scalar(select(Claim))
    assert response.location.endswith(f"/cases/{claim.id}")
    assert (claim.status, claim.publication, claim.reporter_id) == ("draft", "unpublished", family.id)
    assert claim.reference == "BO-2026-000001"
    assert claim.circumstances == ["job_offer", "online_contact"] and claim.aliases == ["Rosi"]
    page = client.get(response.location).get_data(as_text=True)
    assert "BO-2026-000001" in page  # in the flash and in the heading line
    assert "Draft (awaiting police validation)" in page
    assert "Rosa Elvira Quispe Condori" in page and "+591 70000000" in page


def test_errors_answer_422_beside_their_fields_with_every_value_kept(client, login_as, post, session):
    login_as("family")
    response = post(
        "/claims/new",
        claim_data(
            event_date="2999-01-01",
            place="",
            age_min="20",
            age_max="10",
            reporter_contact="",
            given_names="Kept Given",
            circumstances=["new_partner", "prior_disappearances"],
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("event_date", "place", "age_max", "reporter_contact"):
        assert f'id="{field}-error"' in page, field
    assert 'value="Kept Given"' in page and 'value="2010-05-14"' in page
    assert "lunar en la mejilla izquierda" in page  # textareas kept too
    for code in ("new_partner", "prior_disappearances"):
        assert re.search(rf'value="{code}"\s+checked', page), code
    assert re.search(r'<option value="BO"\s+selected', page)
    assert _claims(session) == 0


def test_police_may_file_without_reporter_details(client, login_as, post, session):
    login_as("police", "BO")
    response = post("/claims/new", claim_data(reporter_name="", reporter_relation="", reporter_contact=""))
    assert response.status_code == 302 and _claims(session) == 1


@pytest.mark.parametrize("role", ["trainer"])
def test_roles_that_may_not_file_get_404(client, login_as, post, session, role):
    login_as(role, "BO")
    assert client.get("/claims/new").status_code == 404
    assert post("/claims/new", claim_data()).status_code == 404
    assert _claims(session) == 0


def test_the_public_is_sent_to_log_in(client):
    response = client.get("/claims/new")
    assert response.status_code == 302 and "/login" in response.location


def test_csrf_is_enforced(app, client, login_as, session):
    assert app.config.get("WTF_CSRF_ENABLED", True)  # the test config keeps CSRF on
    login_as("family")
    assert client.post("/claims/new", data=claim_data()).status_code == 400
    assert client.post("/claims/new", data={**claim_data(), "csrf_token": "forged"}).status_code == 400
    assert _claims(session) == 0
    assert client.post("/claims/new", data={**claim_data(), "csrf_token": csrf_token(client)}).status_code == 302


def test_a_photo_is_stored_without_its_exif(app, client, login_as, post, session):
    storage = pytest.importorskip("portal.photos.storage")
    from portal.photos.models import Photo

    login_as("family")
    data = claim_data()
    data["photos"] = [
        (io.BytesIO(jpeg_with_gps()), "rosa.jpg", "image/jpeg"),
        (io.BytesIO(b""), "", "application/octet-stream"),
    ]  # an empty part is skipped
    response = post("/claims/new", data, content_type="multipart/form-data")
    assert response.status_code == 302
    claim = session.scalar(select(Claim))
    photos = list(session.scalars(select(Photo).where(Photo.claim_id == claim.id)))
    assert len(photos) == 1
    stored = storage.PhotoStore(app.config["PHOTO_DIR"]).path_for(photos[0].content_hash, "full").read_bytes()
    assert not Image.open(io.BytesIO(stored)).getexif() and b"GPS" not in stored
    page = client.get(response.location).get_data(as_text=True)
    assert f"/photos/{photos[0].id}/thumb" in page  # the family sees its photos


def test_a_bad_photo_saves_nothing_and_keeps_the_values(app, client, login_as, post, session):
    pytest.importorskip("portal.photos.storage")
    from portal.photos.models import Photo

    login_as("family")
    data = claim_data(given_names="Kept Given")
    data["photos"] = [
        (io.BytesIO(jpeg_with_gps()), "good.jpg", "image/jpeg"),
        (io.BytesIO(b"%PDF-1.4 not a photo"), "bad.jpg", "image/jpeg"),
    ]
    response = post("/claims/new", data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="photos-error"' in page and 'value="Kept Given"' in page
    assert _claims(session) == 0 and session.scalar(select(func.count()).select_from(Photo)) == 0
    photo_dir = app.config["PHOTO_DIR"]
    import pathlib

    assert not [p for p in pathlib.Path(photo_dir).rglob("*") if p.is_file()]  # the good photo's files too


def test_more_photos_than_allowed_is_a_field_error(app, client, login_as, post, session):
    login_as("family")
    data = claim_data()
    data["photos"] = [
        (io.BytesIO(jpeg_with_gps()), f"p{i}.jpg", "image/jpeg") for i in range(app.config["MAX_PHOTOS_PER_CLAIM"] + 1)
    ]
    response = post("/claims/new", data, content_type="multipart/form-data")
    assert response.status_code == 422 and 'id="photos-error"' in response.get_data(as_text=True)
    assert _claims(session) == 0


FIELDS = [
    "given_names",
    "first_surname",
    "second_surname",
    "aliases",
    "sex",
    "birth_date",
    "age_min",
    "age_max",
    "document_id",
    "nationality",
    "height_cm",
    "build",
    "distinguishing_marks",
    "description",
    "event_date",
    "country",
    "place",
    "circumstances",
    "circumstances_text",
    "reporter_name",
    "reporter_relation",
    "reporter_contact",
    "guardian_consent",
]
# Text a browser can send (no lone surrogates), numbers, and valid values so that some posts succeed.
_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
_value = st.one_of(
    _text,
    st.integers().map(str),
    st.sampled_from(["", "BO", "F", "2026-02-11", "2010", "15", "job_offer", "on", "-1", "1e9", " "]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(FIELDS), st.one_of(_value, st.lists(_value, max_size=3)), max_size=10))
def test_arbitrary_form_values_never_cause_a_500(client, login_as, post, changes):
    login_as("family")
    response = post("/claims/new", claim_data(**changes))
    event(f"status {response.status_code}")
    assert response.status_code in {200, 302, 422}
