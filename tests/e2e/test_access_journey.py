"""Issue 14 as officers meet it: an officer of Peru, tied to nothing, opens a Bolivian case and sees
the person's identification only; they ask Bolivia with a reason; Bolivia's coordinator grants it;
the Peruvian officer then reads the reporter's contact. Invented people only; photographed on a
360px phone for people to look at."""

from __future__ import annotations

from tests.builders import log_in, make_claim, make_user, screenshot

REASON = "Una adolescente con este nombre fue vista en la terminal de buses de Cusco."


def test_an_officer_of_another_country_asks_and_bolivia_grants(page, live_server, session):
    claim = make_claim(
        session, status="active", publication="published", reporter_contact="+591 70011223", document_id="7700123"
    )
    make_user(session, "police", "PE", email="officer.pe@example.test")
    make_user(session, "coordinator", "BO", email="coordinator.bo@example.test")
    session.commit()

    log_in(page, live_server, "officer.pe@example.test")
    page.goto(live_server + f"/cases/{claim.id}")
    text = page.content()
    assert "Condori" in text and "+591 70011223" not in text and "7700123" not in text
    page.fill("textarea[name=reason]", REASON)
    screenshot(page, "access-request-form")
    page.locator("button[name=kind][value=request]").click()
    page.wait_for_load_state()
    assert "Bolivia" in page.locator(".flash").first.inner_text()

    page.locator("header form button[type=submit]").last.click()  # log out
    log_in(page, live_server, "coordinator.bo@example.test")
    page.goto(live_server + "/access/requests")
    assert REASON in page.content()
    screenshot(page, "access-requests-page")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()

    page.locator("header form button[type=submit]").last.click()
    log_in(page, live_server, "officer.pe@example.test")
    page.goto(live_server + f"/cases/{claim.id}")
    assert "+591 70011223" in page.content()
