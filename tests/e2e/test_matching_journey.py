"""A witness reports "Lupe" in Cusco; a Bolivian officer finds the candidate, compares and confirms it.

Invented people only. The comparison page is photographed on a 360px phone for people to look at.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from tests.builders import log_in, make_claim, make_user, report_sighting, screenshot


def test_public_sighting_reaches_the_queue_and_is_confirmed_onto_the_timeline(page, live_server, session):
    seen = date.today() - timedelta(days=3)
    claim = make_claim(
        session,
        status="active",
        publication="published",
        given_names="Guadalupe",
        first_surname="Quispe",
        second_surname="Mamani",
        aliases="",
        birth_date="2010",
        document_id="",
        height_cm="",
        distinguishing_marks="",
        country="BO",
        place="El Alto",
        event_date=(seen - timedelta(days=90)).isoformat(),
    )
    make_user(session, "police", "BO", email="officer.bo@example.test")
    session.commit()

    # Anyone reports a sighting on the public form.
    report_sighting(
        page,
        live_server,
        seen,
        selects={"country": "PE", "sex": "F"},
        fields={
            "place": "Cusco, cerca del mercado",
            "name_heard": "Lupe",
            "age_min": "15",
            "age_max": "17",
            "description": "Una adolescente con un hombre mayor.",
        },
    )

    # A Bolivian officer logs in and finds it in the queue.
    log_in(page, live_server, "officer.bo@example.test")
    page.get_by_role("link", name="Revisión de coincidencias").click()
    page.wait_for_url(re.compile(r"/review/queue"))
    assert claim.reference in page.content() and "nombre: Lupe es un apodo" in page.content()
    page.get_by_role("link", name="Comparar").first.click()
    page.wait_for_url(re.compile(r"/review/candidates/\d+"))
    assert "¿Es la misma persona?" in page.content() and "Guadalupe" in page.content()
    screenshot(page, "matching-compare")

    page.fill("textarea[name=note]", "La testigo la reconoció en la foto.")
    page.get_by_role("button", name="Confirmar").click()
    page.wait_for_url(re.compile(rf"/cases/{claim.id}$"))
    history = page.locator("ol.timeline").inner_text()
    assert "Avistamiento n.º" in history and "La testigo la reconoció en la foto." in history
    screenshot(page, "matching-claim-timeline")
