"""A family files a claim, and a witness reports a sighting, in Quechua, Aymara, Guaraní and Haitian
Creole, in a real browser, without meeting a Spanish or English sentence of the portal's own."""

from __future__ import annotations

import functools
import re
from datetime import date, timedelta

import pytest

from config import Config
from portal import catalogues
from tests.builders import log_in, make_user, report_sighting, screenshot

LANGUAGES = ["qu", "ay", "gn", "ht"]


@functools.cache
def _portal_sentences(code: str) -> tuple[str, ...]:
    """The English and Spanish of the public messages ``code`` translates differently (three words or more)."""
    spanish = {m.id: m.string for m in catalogues.load("es") if m.id}
    found = []
    for message in catalogues.load(code):
        if not isinstance(message.id, str) or not message.id or "%(" in message.id or not catalogues.is_public(message):
            continue
        for sentence in (message.id, spanish.get(message.id)):
            if isinstance(sentence, str) and len(sentence.split()) >= 3 and sentence != message.string:
                found.append(sentence)
    return tuple(found)


def _foreign(text: str, code: str) -> list[str]:
    """The portal's Spanish or English sentences found in ``text``."""
    return [sentence for sentence in _portal_sentences(code) if sentence in text]


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_family_files_a_claim_in_its_own_language(page, live_server, session, code):
    if code not in Config.LOCALES:
        pytest.skip(f"{code} is not offered yet (config.LOCALES)")
    make_user(session, "family", email=f"familia.{code}@example.org", preferred_locale=code)
    session.commit()

    log_in(page, live_server, f"familia.{code}@example.org")
    page.goto(live_server + "/claims/new")
    assert page.locator("html").get_attribute("lang") == code
    assert not _foreign(page.inner_text("body"), code)
    page.fill("input[name=given_names]", "Sisa")
    page.fill("input[name=first_surname]", "Mamani")
    page.select_option("select[name=sex]", "F")
    page.fill("input[name=birth_date]", "2011-04-02")
    page.fill("input[name=event_date]", (date.today() - timedelta(days=4)).isoformat())
    page.select_option("select[name=country]", "BO")
    page.fill("input[name=place]", "Potosí")
    page.fill("input[name=reporter_name]", "Mama (invented)")
    page.fill("input[name=reporter_relation]", "mama")
    page.fill("input[name=reporter_contact]", "+591 70000001")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/cases/\d+$"))
    screenshot(page, f"claim-filed-{code}")
    assert not _foreign(page.inner_text("body"), code)


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_witness_reports_a_sighting_in_their_own_language(page, live_server, session, code):
    if code not in Config.LOCALES:
        pytest.skip(f"{code} is not offered yet (config.LOCALES)")
    page.goto(f"{live_server}/lang/{code}")
    page.goto(live_server + "/sightings/new")
    assert not _foreign(page.inner_text("body"), code)
    report_sighting(
        page,
        live_server,
        date.today() - timedelta(days=1),
        selects={"country": "BO", "sex": "F"},
        fields={"place": "Uyuni", "name_heard": "Sisa", "age_min": "13", "age_max": "16"},
    )
    screenshot(page, f"sighting-thanks-{code}")
    assert page.locator("html").get_attribute("lang") == code
    assert not _foreign(page.inner_text("body"), code)
