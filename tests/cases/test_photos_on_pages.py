"""Photos on cards and pages: the public sees one only when rules.photo_is_public allows it."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from PIL import Image

from tests.builders import make_claim

storage = pytest.importorskip("portal.photos.storage")


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (90, 120), colour).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def claims_with_photos(app, session):  # type: ignore[no-untyped-def]
    """An adult, a minor without consent and a minor with consent, all published, each with a photo."""
    store = storage.PhotoStore(app.config["PHOTO_DIR"])
    adult = make_claim(session, status="active", publication="published", given_names="Adulta", birth_date="1990-01-01")
    minor = make_claim(session, status="active", publication="published", given_names="Menor")
    consented = make_claim(session, status="active", publication="published", given_names="Consentida")
    consented.guardian_consent_at = datetime(2026, 2, 12, tzinfo=UTC)
    photos = {}
    for n, claim in enumerate((adult, minor, consented)):
        photos[claim.given_names] = storage.save_photo(session, store, _jpeg((40 * n, 90, 120)), claim_id=claim.id).id
    session.commit()
    return {"adult": adult, "minor": minor, "consented": consented}, photos


def test_cards_show_a_thumbnail_only_when_the_photo_is_public(client, claims_with_photos):
    _claims, photos = claims_with_photos
    for path in ("/", "/claims"):
        page = client.get(path).get_data(as_text=True)
        assert f"/photos/{photos['Adulta']}/thumb" in page, path
        assert f"/photos/{photos['Consentida']}/thumb" in page, path
        assert f"/photos/{photos['Menor']}" not in page, path
        assert page.count('class="noimg"') == 1, path


def test_the_public_page_of_a_minor_without_consent_has_no_photo(client, login_as, claims_with_photos):
    claims, photos = claims_with_photos
    page = client.get(f"/claims/{claims['minor'].reference}").get_data(as_text=True)
    assert "/photos/" not in page
    page = client.get(f"/claims/{claims['adult'].reference}").get_data(as_text=True)
    assert f"/photos/{photos['Adulta']}/full" in page
    assert client.get(f"/photos/{photos['Menor']}/thumb").status_code == 404
    login_as("police", "BO")
    page = client.get(f"/cases/{claims['minor'].id}").get_data(as_text=True)
    assert f"/photos/{photos['Menor']}/thumb" in page  # the police see every photo


def test_alt_texts_never_carry_the_second_surname(client, claims_with_photos):
    claims, _photos = claims_with_photos
    page = client.get(f"/claims/{claims['adult'].reference}").get_data(as_text=True)
    assert re.search(r'alt="[^"]*Adulta Quispe"', page) and "Condori" not in page
