"""Every offered language: each page a person meets renders, with the right ``lang`` and dates in its format."""

from __future__ import annotations

import pytest

from config import Config
from tests.builders import browser_of, candidate_of, guadalupe, lupe_sighting, make_user

PUBLIC_PAGES = [
    "/",
    "/claims",
    "/claims?q=Quispe",
    "/claims/{reference}",
    "/sightings/new",
    "/login",
    "/register",
    "/forgot-password",
]
POLICE_PAGES = [
    "/cases",
    "/cases/{claim_id}",
    "/review/queue",
    "/review/candidates/{candidate_id}",
    "/flags/",
    "/sightings",
    "/sightings/{sighting_id}",
    "/account",
]
ADMIN_PAGES = [
    "/staff/users",
    "/admin/outbox",
    "/training/",
    "/training/cascade?country=BO",
    "/flags/report",
    "/glossary",
]


@pytest.fixture
def world(session):
    claim = guadalupe(session)
    sighting = lupe_sighting(session)
    session.commit()
    candidate = candidate_of(session, sighting)
    return {
        "reference": claim.reference,
        "claim_id": claim.id,
        "sighting_id": sighting.id,
        "candidate_id": candidate.id,
    }


@pytest.mark.parametrize("code", Config.LOCALES)
def test_the_public_pages_render_in_every_language(app, world, code):
    browser = app.test_client()
    browser.get(f"/lang/{code}")
    for path in PUBLIC_PAGES:
        response = browser.get(path.format(**world))
        assert response.status_code == 200, (code, path)
        assert f'<html lang="{code}"' in response.get_data(as_text=True), (code, path)


@pytest.mark.parametrize("code", Config.LOCALES)
def test_the_police_pages_render_in_every_language(app, session, world, code):
    officer = make_user(session, "police", "BO", preferred_locale=code)
    session.commit()
    browser = browser_of(app, officer)
    for path in POLICE_PAGES:
        response = browser.get(path.format(**world))
        assert response.status_code == 200, (code, path)
        assert f'<html lang="{code}"' in response.get_data(as_text=True), (code, path)


@pytest.mark.parametrize(
    ("code", "written"),
    [
        (code, date)
        for code, date in [
            ("es", "1 mar 2026"),
            ("en", "Mar 1, 2026"),
            ("ay", "1 mar de 2026"),
            ("pt", "1 de mar. de 2026"),
            ("fr", "1 mars 2026"),
        ]
        if code in Config.LOCALES
    ],
)
def test_dates_are_written_in_each_languages_format(app, world, code, written):
    browser = app.test_client()
    browser.get(f"/lang/{code}")
    assert written in browser.get(f"/claims/{world['reference']}").get_data(as_text=True)


@pytest.mark.parametrize("code", Config.LOCALES)
def test_the_admin_and_training_pages_render_in_every_language(app, session, world, code):
    admin = make_user(session, "admin", None, preferred_locale=code)
    session.commit()
    browser = browser_of(app, admin)
    for path in ADMIN_PAGES:
        response = browser.get(path.format(**world))
        assert response.status_code == 200, (code, path)
        assert f'<html lang="{code}"' in response.get_data(as_text=True), (code, path)


@pytest.mark.parametrize("code", Config.LOCALES)
def test_an_error_page_speaks_the_language_too(app, code):
    browser = app.test_client()
    browser.get(f"/lang/{code}")
    response = browser.get("/no/such/page")
    assert response.status_code == 404
    assert f'<html lang="{code}"' in response.get_data(as_text=True)
