"""A visitor on a phone sees the portal in Spanish and switches it to English."""

from __future__ import annotations

from tests.builders import screenshot


def test_home_in_spanish_then_english(page, live_server):
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("link", name="Reportar un avistamiento").first.is_visible()
    screenshot(page, "home-es")
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Report a sighting").first.is_visible()
    screenshot(page, "home-en")
