"""The foundation's journey, as people do it on a phone.

A family registers, verifies her address and files a claim with a photo that carries GPS data; the
stored photo has none. An officer of another country cannot open the draft;
an officer of Bolivia validates and publishes it; the public page shows no
contact and no document number.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from portal.cases.models import Claim
from portal.notify.models import OutboxMessage
from portal.photos.models import Photo
from portal.photos.storage import PhotoStore
from tests.builders import PASSWORD, log_in, make_user, screenshot

CONTACT = "+591 71234567"
DOCUMENT = "8812345"


def _jpeg_with_gps(path: Path) -> Path:
    exif = Image.Exif()
    exif[0x0110] = "Synthetic Camera"
    exif.get_ifd(0x8825).update({1: "S", 2: (16.0, 30.0, 0.0), 3: "W", 4: (68.0, 9.0, 0.0)})
    image = Image.new("RGB", (480, 640), (180, 120, 90))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    path.write_bytes(buffer.getvalue())
    assert b"GPS" in path.read_bytes() or Image.open(path).getexif().get_ifd(0x8825)
    return path


def _log_out(page):  # type: ignore[no-untyped-def]
    page.locator("header form button").click()
    page.wait_for_load_state()


def test_family_files_police_validate_public_sees_only_public_fields(app, page, live_server, session, tmp_path):
    make_user(session, "police", "BO", email="officer.bo@example.test")
    make_user(session, "police", "PE", email="officer.pe@example.test")
    session.commit()

    # The family registers and files the claim.
    page.goto(live_server + "/register")
    page.fill("input[name=display_name]", "Juana (invented)")
    page.fill("input[name=email]", "juana@example.test")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/check-your-email/registration"))
    # She follows the link e-mailed to her, then logs in.
    verify = session.scalars(select(OutboxMessage).where(OutboxMessage.template == "accounts/verify")).one()
    page.goto(f"{live_server}/verify/{verify.context['token']}")
    log_in(page, live_server, "juana@example.test")
    page.goto(live_server + "/claims/new")
    page.fill("input[name=given_names]", "Rosa Elvira")
    page.fill("input[name=first_surname]", "Quispe")
    page.fill("input[name=second_surname]", "Condori")
    page.select_option("select[name=sex]", "F")
    page.fill("input[name=birth_date]", "2010-05-14")
    page.fill("input[name=document_id]", DOCUMENT)
    page.fill("input[name=event_date]", "2026-02-11")
    page.select_option("select[name=country]", "BO")
    page.fill("input[name=place]", "El Alto, Distrito 8")
    page.fill("textarea[name=description]", "Lleva trenzas y una chompa roja.")
    page.check("input[name=circumstances][value=job_offer_abroad]")
    page.fill("input[name=reporter_name]", "Juana (invented)")
    page.fill("input[name=reporter_relation]", "madre")
    page.fill("input[name=reporter_contact]", CONTACT)
    page.set_input_files("input[name=photos]", str(_jpeg_with_gps(tmp_path / "rosa.jpg")))
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/cases/\d+$"))
    body = page.inner_text("main")
    reference = re.search(r"BO-2026-\d{6}", body).group(0)
    screenshot(page, "claim-filed-family")

    claim = session.scalar(select(Claim).where(Claim.reference == reference))
    assert claim.status == "draft"
    photo = session.scalar(select(Photo).where(Photo.claim_id == claim.id))
    stored = PhotoStore(app.config["PHOTO_DIR"]).path_for(photo.content_hash, "full").read_bytes()
    assert not Image.open(io.BytesIO(stored)).getexif() and b"GPS" not in stored
    _log_out(page)

    # An officer of Peru cannot open Bolivia's draft.
    log_in(page, live_server, "officer.pe@example.test")
    response = page.goto(f"{live_server}/cases/{claim.id}")
    assert response.status == 404
    _log_out(page)

    # An officer of Bolivia validates and publishes it.
    log_in(page, live_server, "officer.bo@example.test")
    page.goto(f"{live_server}/cases/{claim.id}")
    assert CONTACT in page.inner_text("main")
    page.fill("input[name=police_case_number]", "FELCC-EA-2026-0456")
    page.select_option("select[name=publication]", "published")
    page.locator("form:has(input[name=police_case_number]) button[type=submit]").click()
    page.wait_for_load_state()
    screenshot(page, "claim-validated-police")
    _log_out(page)

    # The public page shows the person, never the contact or the document number.
    response = page.goto(f"{live_server}/claims/{reference}")
    assert response.status == 200
    public_text = page.content()
    assert "Rosa Elvira" in public_text and "El Alto" in public_text
    for secret in (CONTACT, DOCUMENT, "FELCC-EA-2026-0456", "2010-05-14", "Condori"):
        assert secret not in public_text
    screenshot(page, "claim-public")
