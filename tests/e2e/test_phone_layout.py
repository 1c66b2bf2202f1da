"""Issue 10 on a 360 px phone: no page scrolls sideways, and a form with errors starts with a summary.

Every page each role reaches is opened in one Chromium at 360x740 and measured:
``document.documentElement.scrollWidth`` must not pass the screen's width. The people are
invented, with long names, references, codes and e-mail addresses that a narrow screen must
wrap. Each page is photographed (test-artifacts/phone-*.png) for people to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy.orm import Session

from config import Config
from portal.access import services as access
from portal.notify.outbox import enqueue
from portal.training import progress
from portal.training import services as training
from portal.training.models import EXERCISES
from tests.builders import bar_sighting, candidates, girl, log_in, make_claim, make_user, screenshot

PHONE = {"width": 360, "height": 740}
SCROLL_WIDTH = "document.documentElement.scrollWidth"

# Invented people and accounts, with names as long as the forms allow and words no line fits.
LONG = {
    "given_names": "Maximiliana Guadalupe Esperanza del Rosario",
    "first_surname": "Huarachi-Choquehuanca-Quisbert",
    "second_surname": "Mamani-Condori-Apaza-Ticona-Limachi",
    "aliases": "LaChicaDeLaChompaRojaDelMercadoRodriguezDeElAlto",
    "document_id": "9900123-LP-INVENTED-000000000000000000",
    "place": "Mercado-Rodríguez-calle-Max-Paredes-esquina-Sebastián-Segurola-El-Alto",
    "reporter_name": "Wenceslao Hipólito Huarachi-Choquehuanca (invented)",
    "reporter_contact": "wenceslao.hipolito.huarachi.choquehuanca.invented@example.test",
}
CASE_NUMBER = "FELCC-EL-ALTO-DISTRITO-8-2026-000123456-INVENTED"
EMAILS = {
    "family": "maximiliana.familia.huarachi.choquehuanca@example.test",
    "police": "maximiliano.wenceslao.huarachi.choquehuanca.policia@example.test",
    "coordinator": "coordinadora.nacional.huarachi.choquehuanca@example.test",
    "admin": "administradora.de.la.red.huarachi@example.test",
    "trainer": "formadora.nacional.huarachi.choquehuanca@example.test",
}
WITNESS_KEY = "the-witness-private-link-key-invented-0001"  # as long as new_witness_key's
SIGHTING_DESCRIPTION = "UnaAdolescenteConUnHombreMayorEnElBarDeLaEsquinaDelMercadoCentral"
SIGHTING_SHOWN = {"sighting"}  # the officer's page shows it; the witness's private link shows only the reference
AGENCY = "Fuerza Especial de Lucha Contra el Crimen, Distrito Policial 8 de El Alto"
# Pages of the walk that show no claim, where the long name is not to be found.
NO_CLAIM_SHOWN = {
    "login",
    "register",
    "claim-form",
    "account",
    "review-queue",
    "flags",
    "flags-report",
    "staff",
    "forgot-password",
    "glossary",
    "sighting-witness",
    "access-requests",
    "sightings-desk",
    "sighting",
    "outbox",
    "training",
    "training-new",
    "training-cascade",
}


@contextmanager
def _phone(browser: Any, base: str, role: str = "public", locale: str = "es-BO") -> Iterator[Any]:
    """A page on a 360x740 phone in Spanish (or ``locale``), logged in as ``role``'s account unless public."""
    context = browser.new_context(viewport=PHONE, locale=locale)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        if role in EMAILS:
            log_in(page, base, EMAILS[role])
        yield page
    finally:
        context.close()


def _world(session: Session) -> dict[str, list[tuple[str, str]]]:
    """Accounts of every role, a draft, a flagged active claim, a sighting and candidates: each role's pages."""
    family = make_user(session, "family", email=EMAILS["family"])
    make_user(session, "police", "BO", email=EMAILS["police"], agency=AGENCY)
    coordinator = make_user(session, "coordinator", "BO", email=EMAILS["coordinator"], agency=AGENCY)
    make_user(session, "admin", None, email=EMAILS["admin"])
    draft = make_claim(session, family, **LONG)
    active = girl(session, reporter=family, police_case_number=CASE_NUMBER, **LONG)
    sighting = bar_sighting(
        session,
        description=SIGHTING_DESCRIPTION,
        witness_key=WITNESS_KEY,
    )
    # Officers abroad ask for the restricted fields: one request granted, one emergency access to
    # review, so both of the coordinator's lists (waiting, latest decisions) have a row.
    why = f"Investigación {CASE_NUMBER}: avistamiento en el mercado, se necesita el contacto de la familia"
    chile, costa_rica = (
        make_user(session, "police", country, email=EMAILS["police"].replace("policia", f"policia.{country}"))
        for country in ("CL", "CR")
    )
    access.decide(session, coordinator, access.ask(session, chile, active, "request", why), "grant", why)
    access.ask(session, costa_rica, active, "break_glass", why)
    dead = enqueue(
        session, to="una.direccion.muy.larga.de.una.familia@ejemplo-de-dominio.org", template="witness/acted"
    )
    dead.status, dead.attempts, dead.last_error = "dead", 10, "SMTPRecipientsRefused 550"
    session.commit()
    candidate = candidates(session)[0].id
    name, reference = LONG["given_names"], active.reference
    claim_pages = [("claim-draft", f"/cases/{draft.id}"), ("claim-active", f"/cases/{active.id}")]
    return {
        "public": [
            ("home", "/"),
            ("search", f"/claims?q={name}"),
            ("claim-public", f"/claims/{reference}"),
            ("sighting-form", f"/sightings/new?claim={reference}"),
            ("sighting-witness", f"/sightings/w/{WITNESS_KEY}"),
            ("login", "/login"),
            ("register", "/register"),
            ("forgot-password", "/forgot-password"),
            ("glossary", "/glossary"),
        ],
        "family": [
            ("cases", "/cases"),
            *claim_pages,
            ("claim-form", "/claims/new"),
            ("claim-edit", f"/cases/{draft.id}/edit"),
            ("account", "/account"),
        ],
        "police": [
            ("cases", "/cases"),
            ("search", f"/claims?q={name}"),
            *claim_pages,
            ("claim-form", "/claims/new"),
            ("review-queue", "/review/queue"),
            ("sightings-desk", "/sightings"),
            ("sighting", f"/sightings/{sighting.id}"),
            ("review-compare", f"/review/candidates/{candidate}"),
            ("flags", "/flags/"),
            ("account", "/account"),
        ],
        "coordinator": [
            ("cases", "/cases"),
            ("flags-report", "/flags/report"),
            ("staff", "/staff/users"),
            ("access-requests", "/access/requests"),
        ],
        "admin": [
            ("search", f"/claims?q={name}"),
            ("staff", "/staff/users"),
            ("account", "/account"),
            ("outbox", "/admin/outbox"),
        ],
    }


def _training(app: Any, session: Session) -> tuple[int, list[tuple[str, str]]]:
    """A session with a certified trainee of the long name, and a second-level one: the trainer's pages."""
    trainer = make_user(
        session, "trainer", "BO", email=EMAILS["trainer"], agency=AGENCY, display_name=LONG["reporter_name"]
    )
    data = training.SessionInput(
        "Formación-de-formadores-Huarachi-Choquehuanca-Quisbert-Distrito-8",
        "BO",
        LONG["place"],
        LONG["place"],
        date(2026, 12, 10),
        "es",
        20,
        None,
    )
    first = training.create_session(session, trainer, data)
    name = f"{LONG['given_names']} {LONG['first_surname']}"
    person, _new = training.enrol(
        session, trainer, first, email=EMAILS["police"], name=name, kind="police", agency=AGENCY
    )
    training.enrol(
        session,
        trainer,
        first,
        email="una.aprendiz.de.sociedad.civil.huarachi@example.test",
        name=name,
        kind="civil_society",
        agency=AGENCY,
    )
    training.set_attendance(session, trainer, first, person.user_id, True)
    person.exercises = dict.fromkeys(EXERCISES, True)  # as a closed session keeps them
    progress.certify(app, session, trainer, first, person.user_id)
    training.create_session(session, trainer, replace(data, parent_id=first.id))
    session.commit()
    base = f"/training/sessions/{first.id}"
    return first.id, [
        ("training", "/training/"),
        ("training-new", "/training/sessions/new"),
        ("training-session", base),
        ("training-sheet", f"{base}/sheet"),
        ("training-certificate", f"{base}/certificates/{person.user_id}"),
        ("training-cascade", "/training/cascade?country=BO"),
    ]


def test_no_page_scrolls_sideways_on_a_360px_phone(browser: Any, live_server: str, session: Session, app: Any) -> None:
    widths: dict[str, int] = {}
    world = _world(session)
    world["trainer"] = _training(app, session)[1]
    world["coordinator"].append(("training-cascade", "/training/cascade"))
    for role, pages in world.items():
        with _phone(browser, live_server, role) as page:
            for name, path in pages:
                response = page.goto(live_server + path)
                assert response is not None and response.status == 200, f"{role} {path}"
                assert LONG["first_surname"] in page.content() or name in NO_CLAIM_SHOWN, f"{role} {path}"
                assert SIGHTING_DESCRIPTION in page.content() or name not in SIGHTING_SHOWN, f"{role} {path}"
                widths[f"{role} {name}"] = page.evaluate(SCROLL_WIDTH)
                screenshot(page, f"phone-{role}-{name}")
    assert {page: width for page, width in widths.items() if width > PHONE["width"]} == {}


@pytest.mark.parametrize("code", Config.PUBLIC_ONLY_LOCALES)
def test_the_public_and_family_pages_fit_a_360px_phone_in_quechua_aymara_guarani_and_creole(
    browser: Any, live_server: str, session: Session, code: str
) -> None:
    """The pages a family and a witness read in the languages whose words run longest (Aymara's
    "qhanañchäwinakapäkiti:", Guaraní's "reñembokatupyrývaʼekuépe") wrap them as Spanish's."""
    world = _world(session)
    widths: dict[str, int] = {}
    for role in ("public", "family"):
        with _phone(browser, live_server, role, locale=code) as page:
            for name, path in world[role]:
                response = page.goto(live_server + path)
                assert response is not None and response.status == 200, f"{role} {path}"
                assert page.locator("html").get_attribute("lang") == code, f"{role} {path}"
                widths[f"{role} {name}"] = page.evaluate(SCROLL_WIDTH)
                screenshot(page, f"phone-{code}-{role}-{name}")
    assert {page: width for page, width in widths.items() if width > PHONE["width"]} == {}


def test_the_practice_banner_fits_a_360px_phone(browser: Any, live_server: str, session: Session, app: Any) -> None:
    make_user(session, "police", "BO", email=EMAILS["police"], agency=AGENCY)
    session_id, _pages = _training(app, session)
    widths: dict[str, int] = {}
    with _phone(browser, live_server, "trainer") as page:
        page.goto(f"{live_server}/training/sessions/{session_id}")
        page.locator(f"form[action='/training/sessions/{session_id}/enter'] button").click()
        page.wait_for_load_state()
        for name, path in (("home", "/"), ("claim-form", "/claims/new"), ("cases", "/cases")):
            page.goto(live_server + path)
            assert page.locator(".practice-banner").is_visible(), path
            assert page.locator(".practice-banner button.leave").is_visible(), path
            widths[name] = page.evaluate(SCROLL_WIDTH)
            screenshot(page, f"phone-practice-{name}")
        page.locator(".practice-banner button.leave").click()
        page.wait_for_load_state()
        assert page.locator(".practice-banner").count() == 0
    assert {name: width for name, width in widths.items() if width > PHONE["width"]} == {}


# The summary as the page lays it out: the form's first visible child? near the top? where do its links lead?
SUMMARY = """() => {
  const summary = document.querySelector("form .error-summary");
  if (!summary) return null;
  const form = summary.closest("form");
  const first = [...form.children].find((el) => !el.matches("input[type=hidden]"));
  const targets = [...summary.querySelectorAll("a")].map((a) => a.getAttribute("href").slice(1));
  return {
    first: first === summary,
    role: summary.getAttribute("role"),
    focused: document.activeElement === summary,
    top: summary.getBoundingClientRect().top + window.scrollY,
    targets: targets,
    missing: targets.filter((id) => !document.getElementById(id) || !form.contains(document.getElementById(id))),
    invalid: [...form.querySelectorAll(".field-error")].length,
    width: document.documentElement.scrollWidth,
  };
}"""
FOCUSED_SUMMARY = "() => document.activeElement?.classList.contains('error-summary') ?? false"
FIELD_TOP = "(id) => document.getElementById(id).getBoundingClientRect().top + window.scrollY"
IN_VIEW = """(id) => {
  const box = document.getElementById(id).getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight;
}"""

BAD_FORMS = [
    pytest.param("family", "/claims/new", {"birth_date": "14/05/2010", "age_min": "20", "age_max": "10"}, id="claim"),
    pytest.param("public", "/sightings/new", {"age_min": "17", "age_max": "15", "height_cm": "999"}, id="sighting"),
]


@pytest.mark.parametrize(("role", "path", "fields"), BAD_FORMS)
def test_a_form_with_errors_starts_with_a_summary_that_leads_to_each_field(
    browser: Any, live_server: str, session: Session, role: str, path: str, fields: dict[str, str]
) -> None:
    make_user(session, "family", email=EMAILS["family"])
    session.commit()
    with _phone(browser, live_server, role) as page:
        page.goto(live_server + path)
        for name, value in fields.items():
            page.fill(f"[name={name}]", value)
        page.locator("main form.stack button[type=submit]").last.click()
        page.wait_for_load_state()
        # The browser applies autofocus when it next renders, which on a loaded machine may come
        # after the load event: wait for it (a summary never focused still fails, after 5 s).
        page.wait_for_function(FOCUSED_SUMMARY, timeout=5000)
        found = page.evaluate(SUMMARY)
        screenshot(page, f"phone-summary-{path.strip('/').replace('/', '-')}")

        assert found is not None, "no error summary in the form"
        assert found["first"] and found["role"] == "alert" and found["focused"]
        assert found["top"] < PHONE["height"]  # on the first screen, above the fields
        assert found["missing"] == [] and len(set(found["targets"])) == found["invalid"] >= 3
        assert found["width"] <= PHONE["width"]
        # The last field in error is screens away; its link brings it, focused, into view.
        last = found["targets"][-1]
        assert page.evaluate(FIELD_TOP, last) > found["top"] + PHONE["height"]
        page.locator(f'.error-summary a[href="#{last}"]').click()
        assert page.evaluate("document.activeElement.id") == last
        assert page.evaluate(IN_VIEW, last)


def test_a_name_search_on_a_phone_shows_its_results_on_the_first_screen(
    browser: Any, live_server: str, session: Session
) -> None:
    """The search's filters fold away until used, so the results come right under the name box; a filter
    in error opens them again, under a summary that leads to each field."""
    claim = girl(session)
    session.commit()
    with _phone(browser, live_server) as page:
        page.goto(f"{live_server}/claims?q=Guadalupe+Quispe")
        result = page.locator(f'a[href="/claims/{claim.reference}"]')
        assert page.evaluate(IN_VIEW, "results-h")
        assert result.bounding_box()["y"] < PHONE["height"]
        screenshot(page, "phone-search-folded")

        page.locator("details.filters > summary").click()
        page.fill("[name=age_min]", "150")
        page.fill("[name=age_max]", "999")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        page.wait_for_function(FOCUSED_SUMMARY, timeout=5000)
        found = page.evaluate(SUMMARY)
        screenshot(page, "phone-search-errors")
        assert found is not None and found["first"] and found["focused"]
        assert found["targets"] == ["age_min", "age_max"] and found["missing"] == []
        assert found["width"] <= PHONE["width"]
        page.locator('.error-summary a[href="#age_max"]').click()
        assert page.evaluate("document.activeElement.id") == "age_max"
        assert page.evaluate(IN_VIEW, "age_max")
