"""Issue 4 as a person meets it: a girl of 15 left for a job abroad; a witness sees her in a bar in
Peru with an older man; the Bolivian officer confirms the sighting and the claim shows a priority flag.

Invented people only. The flag card is photographed on a 360px phone for people to look at.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from tests.builders import log_in, make_claim, make_user, report_sighting, screenshot


def test_a_confirmed_bar_sighting_raises_the_flag_and_a_dismissal_needs_a_reason(page, live_server, session):
    seen = date.today() - timedelta(days=3)
    left = seen - timedelta(days=60)
    claim = make_claim(
        session,
        status="active",
        publication="published",
        given_names="Guadalupe",
        first_surname="Quispe",
        second_surname="Mamani",
        aliases="",
        birth_date=(left - timedelta(days=15 * 366)).isoformat(),
        document_id="",
        height_cm="",
        distinguishing_marks="",
        country="BO",
        place="El Alto",
        event_date=left.isoformat(),
        circumstances=["job_offer_abroad"],
        circumstances_text="",
    )
    make_user(session, "police", "BO", email="officer.bo@example.test")
    session.commit()

    report_sighting(
        page,
        live_server,
        seen,
        selects={"country": "PE", "sex": "F", "venue": "bar", "companion": "unrelated_adult"},
        fields={"place": "Cusco", "name_heard": "Lupe", "age_min": "15", "age_max": "17"},
    )
    # The public never sees a flag: not on the thanks page, not on the public claim page.
    page.goto(live_server + f"/cases/{claim.id}")
    assert "trata" not in page.content().lower()

    log_in(page, live_server, "officer.bo@example.test")
    page.goto(live_server + f"/cases/{claim.id}")
    assert "Revisar indicios de trata" in page.content()  # level 1 before the sighting is confirmed

    page.goto(live_server + "/review/queue")
    page.get_by_role("link", name="Comparar").first.click()
    page.wait_for_url(re.compile(r"/review/candidates/\d+"))
    page.get_by_role("button", name="Confirmar").click()
    page.wait_for_url(re.compile(rf"/cases/{claim.id}$"))
    # Confirmed: the girl seen is Guadalupe. What the anonymous witness saw is not verified yet.
    assert "Revisar indicios de trata" in page.locator("section.risk-flag").inner_text()

    # The officer checks the report on the sightings desk, and marks it verified.
    page.goto(live_server + "/sightings")
    page.locator("main table a").first.click()
    page.wait_for_url(re.compile(r"/sightings/\d+$"))
    assert "Bar o cantina" in page.content()
    page.get_by_role("button", name="Marcar como verificado").click()
    page.wait_for_url(re.compile(r"/sightings/\d+$"))
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "sighting-page")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server + f"/cases/{claim.id}")
    card = page.locator("section.risk-flag").inner_text()
    assert "Prioridad: posible trata" in card and "Solo indicios, no una determinación" in card
    assert "Bar o cantina" in card and "Con una persona adulta que no es familiar" in card  # both sighting facts
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "risk-flag-card")
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("button", name="Descartar").click()  # without a reason: the form is not sent
    assert page.locator("#risk-reason").evaluate("e => e.validity.valueMissing")
    assert "Descartado" not in page.locator("section.risk-flag").inner_text()
    page.fill("textarea[name=reason]", "Contacto directo: trabaja con su tía en Cusco.")
    page.get_by_role("button", name="Descartar").click()
    page.wait_for_url(re.compile(rf"/cases/{claim.id}"))
    assert "Contacto directo: trabaja con su tía en Cusco." in page.locator("section.risk-flag").inner_text()

    page.goto(live_server + "/flags/")
    assert claim.reference in page.content()
