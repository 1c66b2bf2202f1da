"""A trainee's journey in a real browser: the trainer plans a session and enrols a new trainee, the
trainee signs in with the one-time link, practises behind the PRACTICE banner, and the trainer's
checklist ticks what the trainee really did."""

from __future__ import annotations

import re

from tests.builders import log_in, make_claim, make_user, screenshot


def test_a_trainee_signs_in_practises_and_the_checklist_follows(browser, page, live_server, session):
    make_claim(session, given_names="Realina", first_surname="Mamani", status="active", publication="published")
    trainer = make_user(session, "trainer", "BO", email="formadora@example.org")
    session.commit()

    log_in(page, live_server, trainer.email)
    page.goto(live_server + "/training/sessions/new")
    page.fill("input[name=title]", "Uso del portal en El Alto")
    page.fill("input[name=district]", "El Alto")
    page.fill("input[name=place]", "FELCC Distrito 8")
    page.fill("input[name=starts_on]", "2026-12-10")
    page.select_option("select[name=language]", "es")
    page.fill("input[name=capacity]", "20")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/training/sessions/\d+$"))
    session_url = page.url

    page.fill("input[name=email]", "aprendiz.alto@example.org")
    page.fill("input[name=name]", "Aprendiz Inventada")
    page.select_option("select[name=kind]", "police")
    page.locator("form:has(input[name=email]) button[type=submit]").click()
    page.wait_for_load_state()
    link = page.locator(".new-link code").inner_text().strip()
    assert "/training/sign-in/" in link
    screenshot(page, "training-trainer-enrolled")

    trainee_context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-BO")
    trainee = trainee_context.new_page()
    trainee.goto(link)
    trainee.locator("main form button[type=submit]").click()
    trainee.wait_for_load_state()
    banner = trainee.locator(".practice-banner")
    assert banner.is_visible() and "Uso del portal en El Alto" in banner.inner_text()

    trainee.goto(live_server + "/claims?q=Mamani")
    results = trainee.locator("main").inner_text()
    assert "Realina" not in results  # the real claim is not in the practice space
    screenshot(trainee, "training-trainee-search")

    # The practice cases are drawn from the session's id, which need not hold a Mamani: the trainee
    # opens the first case of the whole list instead.
    trainee.goto(live_server + "/claims")
    trainee.locator("main a[href*='/cases/']").first.click()
    trainee.wait_for_load_state()
    trainee.fill("textarea[name=text]", "La familia confirmó el dato.")
    trainee.locator("form:has(textarea[name=text]) button[type=submit]").click()
    trainee.wait_for_load_state()
    assert "La familia confirmó el dato." in trainee.locator("main").inner_text()
    assert trainee.locator(".practice-banner").is_visible()
    trainee_context.close()

    page.goto(session_url)
    row = page.locator("tr", has_text="Aprendiz Inventada").inner_text()
    assert "✓" in row
    screenshot(page, "training-trainer-checklist")
    done = page.locator("tr", has_text="Aprendiz Inventada").locator("li.done").count()
    assert done == 2  # search and add a note, nothing else
