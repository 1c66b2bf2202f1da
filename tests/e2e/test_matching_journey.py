"""A witness reports "Lupe" in Cusco; a Bolivian officer finds the candidate, compares and confirms it.

Invented people only. The comparison page is photographed on a 360px phone for people to look at.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from tests.builders import PASSWORD, make_claim, make_user
from tests.e2e.conftest import screenshot


def test_public_sighting_reaches_the_queue_and_is_confirmed_onto_the_timeline(page, live_server, session):
    seen = date.today() - timedelta(days=3)
    claim = make_claim(session, status="active", publication="published", given_names="Guadalupe",
                       first_surname="Quispe", second_surname="Mamani", aliases="", birth_date="2010",
                       document_id="", height_cm="", distinguishing_marks="", country="BO", place="El Alto",
                       event_date=(seen - timedelta(days=90)).isoformat())
    make_user(session, "police", "BO", email="officer.bo@example.test")
    session.commit()

    # Anyone reports a sighting on the public form.
    page.goto(live_server + "/sightings/new")
    page.fill("input[name=event_date]", seen.isoformat())
    page.select_option("select[name=country]", "PE")
    page.fill("input[name=place]", "Cusco, cerca del mercado")
    page.fill("input[name=name_heard]", "Lupe")
    page.select_option("select[name=sex]", "F")
    page.fill("input[name=age_min]", "15")
    page.fill("input[name=age_max]", "17")
    page.fill("textarea[name=description]", "Una adolescente con un hombre mayor.")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/sightings/thanks"))

    # A Bolivian officer logs in and finds it in the queue.
    page.goto(live_server + "/login")
    page.fill("input[name=email]", "officer.bo@example.test")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Revisión de coincidencias").click()
    page.wait_for_url(re.compile(r"/matching/queue"))
    assert claim.reference in page.content() and "nombre: apodo (lupe)" in page.content()
    page.get_by_role("link", name="Comparar").first.click()
    page.wait_for_url(re.compile(r"/matching/candidates/\d+"))
    assert "¿Es la misma persona?" in page.content() and "Guadalupe" in page.content()
    screenshot(page, "matching-compare")

    page.fill("textarea[name=note]", "La testigo la reconoció en la foto.")
    page.get_by_role("button", name="Confirmar").click()
    page.wait_for_url(re.compile(rf"/cases/{claim.id}$"))
    history = page.locator("ol.timeline").inner_text()
    assert "Avistamiento n.º" in history and "La testigo la reconoció en la foto." in history
    screenshot(page, "matching-claim-timeline")
