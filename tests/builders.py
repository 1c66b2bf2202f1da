"""Builders and helpers shared by the tests: invented people only, never real ones.

Records go through the real services and the casework path, as a page would file them.
Fixtures live in tests/web_fixtures.py and the conftests; no test imports from a conftest.
"""

from __future__ import annotations

import io
import itertools
import re
from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.accounts.services import create_user
from portal.cases.inputs import parse_claim
from portal.cases.models import Claim
from portal.casework import claim_filed, sighting_reported
from portal.flags.models import RiskAssessment
from portal.flags.services import reassess
from portal.review.models import MatchCandidate
from portal.sightings.inputs import parse_sighting
from portal.sightings.models import Sighting

PASSWORD = "correct horse battery"
MEMBERS = ["BO", "PE", "CL", "EC", "GT", "NI", "CR", "BZ", "PR"]
_counter = itertools.count(1)


def make_user(session: Session, role: str = "family", country: str | None = "BO", **kwargs: Any) -> User:
    """An account with a unique synthetic email and the password ``PASSWORD``."""
    n = next(_counter)
    if role == "family" and "country_code" not in kwargs:
        country = None
    return create_user(
        session,
        email=kwargs.pop("email", f"{role}{n}@example.test"),
        password=kwargs.pop("password", PASSWORD),
        role=role,
        country_code=country if role != "family" else kwargs.pop("country_code", None),
        agency=kwargs.pop("agency", "Distrito 1" if role != "family" else ""),
        **kwargs,
    )


def claim_data(**overrides: Any) -> dict[str, Any]:
    """Form values of a plausible, invented claim (a 15-year-old last seen in El Alto)."""
    data: dict[str, Any] = {
        "given_names": "Rosa Elvira",
        "first_surname": "Quispe",
        "second_surname": "Condori",
        "aliases": "Rosi",
        "sex": "F",
        "birth_date": "2010-05-14",
        "document_id": "9900123",
        "nationality": "BO",
        "height_cm": "152",
        "build": "delgada",
        "hair": "negro, largo",
        "eyes": "cafés",
        "distinguishing_marks": "lunar en la mejilla izquierda",
        "clothing": "chompa roja, pollera azul",
        "description": "Lleva trenzas.",
        "event_date": "2026-02-11",
        "country": "BO",
        "place": "El Alto, Distrito 8",
        "circumstances": ["job_offer"],
        "circumstances_text": "Le ofrecieron trabajo en una tienda.",
        "reporter_name": "Juana Condori (invented)",
        "reporter_relation": "madre",
        "reporter_contact": "+591 70000000",
    }
    data.update(overrides)
    return data


def api_claim_data(**overrides: Any) -> dict[str, Any]:
    """The same invented claim as the JSON API takes it (its OpenAPI document): numbers as numbers,
    aliases as a list."""
    return claim_data(**{"aliases": ["Rosi"], "height_cm": 152, **overrides})


def make_claim(
    session: Session,
    reporter: User | None = None,
    *,
    status: str = "draft",
    publication: str = "unpublished",
    **overrides: Any,
) -> Claim:
    """A claim filed through the real service, then moved to ``status``/``publication`` directly."""
    reporter = reporter or make_user(session, "family")
    parsed = parse_claim(
        claim_data(**overrides),
        today=date(2026, 11, 29),
        member_countries=MEMBERS,
        require_reporter=False,
    )
    claim = claim_filed(session, reporter, parsed)
    claim.status, claim.publication = status, publication
    if status != "draft":
        claim.police_case_number = claim.police_case_number or "FELCC-2026-001"
    session.flush()
    return claim


# Matching: the invented Guadalupe of El Alto, a sighting of "Lupe" in Cusco, a duplicate in Peru.
GUADALUPE = {
    "given_names": "Guadalupe",
    "first_surname": "Quispe",
    "second_surname": "Mamani",
    "aliases": "",
    "birth_date": "2010",
    "document_id": "",
    "height_cm": "",
    "distinguishing_marks": "",
    "event_date": "2026-03-01",
    "country": "BO",
    "place": "El Alto",
}


def guadalupe(session: Session, **overrides: Any) -> Claim:
    """An active, published claim of an invented girl born in 2010, last seen in El Alto."""
    return make_claim(session, status="active", publication="published", **{**GUADALUPE, **overrides})


def lupe_sighting(session: Session, witness_key: str | None = None, **overrides: Any) -> Sighting:
    """A public sighting of a "Lupe", 15 to 17, in Cusco three months later (``witness_key`` opens its
    witness's private link)."""
    data = {
        "event_date": "2026-06-01",
        "country": "PE",
        "place": "Cusco, cerca del mercado",
        "name_heard": "Lupe",
        "sex": "F",
        "age_min": "15",
        "age_max": "17",
        "description": "Una adolescente con un hombre mayor.",
        **overrides,
    }
    data_in = parse_sighting(data, today=date(2026, 11, 29), member_countries=MEMBERS)
    return sighting_reported(session, None, data_in, witness_key=witness_key)


def candidates(session: Session) -> list[MatchCandidate]:
    """Every stored candidate, read afresh."""
    session.expire_all()
    return list(session.scalars(select(MatchCandidate).order_by(MatchCandidate.id)))


def candidate_of(session: Session, sighting: Sighting) -> MatchCandidate:
    """The one candidate of a sighting."""
    found = [c for c in candidates(session) if c.right_sighting_id == sighting.id]
    assert len(found) == 1
    return found[0]


# Trafficking indicators: the same girl, 15, who left for a job offer abroad, seen in a bar.
def girl(session: Session, **overrides: Any) -> Claim:
    """An active, published claim of an invented girl of 15 who left for a job offer abroad."""
    claim = guadalupe(session, circumstances=["job_offer_abroad"], **overrides)
    reassess(session, claim, "claim")  # make_claim validated it behind the services' back
    return claim


def bar_sighting(session: Session, **overrides: Any) -> Sighting:
    """A public sighting of "Lupe" in Cusco (Peru), at a bar with an unrelated adult."""
    return lupe_sighting(session, venue="bar", companion="unrelated_adult", **overrides)


def assessment_rows(session: Session, claim_id: int) -> int:
    """How many assessments are stored for a claim."""
    return int(session.scalar(select(func.count()).where(RiskAssessment.claim_id == claim_id)) or 0)


# Pages: a CSRF token as a browser gets it, a photo as a phone takes it.
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def sign_in(client: FlaskClient, user: User) -> None:
    """Log ``client`` in as ``user`` as the login page would: the cookie id of now, and a login that
    happened now (portal.login_sessions' clock)."""
    from portal import login_sessions

    with client.session_transaction() as cookie:
        cookie["_user_id"] = user.get_id()
        cookie["_fresh"] = True
        login_sessions.stamp(cookie, user, login_sessions.now())


def browser_of(app: Flask, user: User) -> FlaskClient:
    """Another browser, logged in as ``user`` with the cookie id of now."""
    other = app.test_client()
    sign_in(other, user)
    return other


def csrf_token(client: FlaskClient, path: str = "/claims") -> str:
    """A CSRF token valid for ``client``'s session, read from a page that renders a form.

    Any page with a POST form works; the search page has the logout form when logged in, and
    /sightings/new has one for everybody.
    """
    page = client.get(path).get_data(as_text=True)
    match = CSRF_FIELD.search(page) or CSRF_FIELD.search(client.get("/sightings/new").get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def jpeg_with_gps(size: tuple[int, int] = (120, 160)) -> bytes:
    """A synthetic JPEG carrying a camera name and GPS coordinates in its EXIF."""
    exif = Image.Exif()
    exif[0x0110] = "Synthetic Camera"
    exif.get_ifd(0x8825).update({1: "S", 2: (16.0, 30.0, 0.0), 3: "W", 4: (68.0, 9.0, 0.0)})
    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 120, 90)).save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    return data


# End-to-end: steps a person takes in the browser (``page`` is a Playwright page).
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Save a full-page screenshot under test-artifacts/ for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page, base: str, email: str) -> None:  # type: ignore[no-untyped-def]
    """Log in through the login page with the builders' password."""
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def report_sighting(page, base: str, seen, *, selects: dict[str, str], fields: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """File a sighting on the public form: ``selects`` by select name, ``fields`` by input/textarea name."""
    page.goto(base + "/sightings/new")
    page.fill("input[name=event_date]", seen.isoformat())
    for name, value in selects.items():
        page.select_option(f"select[name={name}]", value)
    for name, value in fields.items():
        page.fill(f"[name={name}]", value)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/sightings/thanks"))
