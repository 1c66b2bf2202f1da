"""Photos are served through a view that checks who may see them."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.photos.storage import PhotoStore, save_photo
from tests.builders import make_claim


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 40, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def _claim_photo(app, session, **claim_kwargs):
    claim = make_claim(session, **claim_kwargs)
    photo = save_photo(session, PhotoStore(app.config["PHOTO_DIR"]), _jpeg(), claim_id=claim.id)
    session.commit()
    return claim, photo


def test_public_sees_a_published_adults_photo_but_not_a_drafts(app, client, session):
    _claim, public_photo = _claim_photo(app, session, status="active", publication="published", birth_date="1990")
    _draft, draft_photo = _claim_photo(app, session)
    response = client.get(f"/photos/{public_photo.id}/thumb")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert client.get(f"/photos/{draft_photo.id}/full").status_code == 404
    assert client.get("/photos/999999/full").status_code == 404


def test_a_minors_photo_stays_hidden_without_guardian_consent(app, client, session):
    _claim, photo = _claim_photo(app, session, status="active", publication="published")
    assert client.get(f"/photos/{photo.id}/full").status_code == 404


def test_police_of_the_country_see_a_draft_photo_and_the_view_is_audited(app, client, session, login_as):
    _claim, photo = _claim_photo(app, session)
    login_as("police", "BO")
    response = client.get(f"/photos/{photo.id}/full")
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "photo.view")) is not None


def test_police_of_another_country_do_not_see_a_draft_photo(app, client, session, login_as):
    _claim, photo = _claim_photo(app, session)
    login_as("police", "PE")
    assert client.get(f"/photos/{photo.id}/full").status_code == 404


def test_perceptual_hash_is_stored_in_the_signed_range(app, session):
    _claim, photo = _claim_photo(app, session)
    assert photo.perceptual_hash is not None and -(1 << 63) <= photo.perceptual_hash < (1 << 63)


def test_a_published_photo_is_revalidated_each_time_so_withholding_takes_effect_at_once(app, client, session):
    claim, photo = _claim_photo(app, session, status="active", publication="published", birth_date="1990")
    first = client.get(f"/photos/{photo.id}/full")
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "private, no-cache"  # never a shared cache, always asked again
    assert client.get(f"/photos/{photo.id}/full", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304

    claim.publication = "withheld"
    session.commit()

    assert client.get(f"/photos/{photo.id}/full", headers={"If-None-Match": first.headers["ETag"]}).status_code == 404


def test_a_photo_an_officer_withholds_answers_404_at_once_full_size_and_thumbnail(app, client, session):
    from portal import casework
    from tests.builders import make_user

    claim, photo = _claim_photo(app, session, status="active", publication="published", birth_date="1990")
    officer = make_user(session, "police", "BO")
    session.commit()
    served = {size: client.get(f"/photos/{photo.id}/{size}") for size in ("full", "thumb")}
    for response in served.values():
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-cache"  # no shared cache keeps it

    casework.claim_published(session, officer, claim, "withheld", "Publicity endangers her")
    session.commit()

    for size, first in served.items():
        # A browser revalidating its copy (as no-cache makes it do) learns at once that it is gone.
        again = client.get(f"/photos/{photo.id}/{size}", headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 404 and "ETag" not in again.headers
        assert client.get(f"/photos/{photo.id}/{size}").status_code == 404
