"""Demonstration data: invented people, clearly marked, and one account per role.

Every name below is made up from common Latin American given names and
surnames; any resemblance to a real case is chance.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from portal import casework
from portal.accounts.services import count_users, create_user
from portal.cases import services as cases
from portal.cases.inputs import parse_claim
from portal.errors import PortalError
from portal.i18n import lazy_gettext as _l
from portal.notify import outbox
from portal.sightings.inputs import parse_sighting

# Public on purpose (the README prints it): the shared password of the invented demo accounts.
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105
DEMO_MARK = "[DEMO]"

ACCOUNTS = (
    ("admin", "admin@demo.test", None, ""),
    ("coordinator", "coordinator.bo@demo.test", "BO", "Dirección Nacional (demo)"),
    ("police", "police.bo@demo.test", "BO", "FELCC El Alto (demo)"),
    ("police", "police.pe@demo.test", "PE", "DIVINDAT Cusco (demo)"),
    ("trainer", "trainer.bo@demo.test", "BO", "Academia (demo)"),
    ("family", "family@demo.test", None, ""),
)

# (given, first, second, sex, birth, days ago, country, place, circumstances, status, publication)
CLAIMS: tuple[tuple[Any, ...], ...] = (
    (
        "Guadalupe",
        "Quispe",
        "Mamani",
        "F",
        "2010-03-14",
        95,
        "BO",
        "El Alto, Distrito 8",
        ["job_offer_abroad"],
        "active",
        "published",
    ),
    (
        "José Luis",
        "Huanca",
        "Choque",
        "M",
        "2008-11-02",
        40,
        "BO",
        "La Paz, Villa Fátima",
        ["runaway_after_conflict"],
        "active",
        "published",
    ),
    (
        "María de los Ángeles",
        "Condori",
        "de Pérez",
        "F",
        "1996-07-21",
        20,
        "PE",
        "Cusco, San Sebastián",
        ["new_partner", "online_contact"],
        "active",
        "published",
    ),
    (
        "Yessica",
        "Flores",
        "Apaza",
        "F",
        "2011-01-30",
        12,
        "PE",
        "Juliaca",
        ["study_or_modelling_offer"],
        "active",
        "withheld",
    ),
    ("Wilmer", "Ticona", "", "M", "2009-06-09", 6, "BO", "Oruro, Zona Norte", [], "draft", "unpublished"),
    ("Ximena", "Gutiérrez", "Rojas", "F", "2007-09-17", 150, "CL", "Arica", ["job_offer"], "active", "published"),
    (
        "Kevin Alexander",
        "Xicará",
        "Tzoc",
        "M",
        "2012-04-05",
        60,
        "GT",
        "Quetzaltenango",
        ["entrusted_to_non_parent"],
        "active",
        "published",
    ),
    (
        "Lupe",
        "Chambi",
        "Coaquira",
        "F",
        "",
        3,
        "BO",
        "Desaguadero",
        ["travel_paid_by_third_party"],
        "draft",
        "unpublished",
    ),
    # The same girl as the first claim, reported again in Peru with the surname spelt the Quechua way:
    # the matching engine proposes the pair to the police of both countries.
    (
        "Guadalupe",
        "Kispe",
        "Mamani",
        "F",
        "2010-03-14",
        80,
        "PE",
        "Cusco, Wanchaq",
        ["job_offer_abroad"],
        "active",
        "withheld",
    ),
)


def load_demo(session: Session, *, today: date | None = None) -> dict[str, Any]:
    """Fill an empty database with demo accounts, claims and a sighting; refuse a used one."""
    if count_users(session) > 0:
        raise PortalError(_l("The database already has accounts: demo data is only loaded into an empty one."))
    today = today or date.today()
    users = {}
    for role, email, country, agency in ACCOUNTS:
        users[email] = create_user(
            session,
            email=email,
            password=DEMO_PASSWORD,
            role=role,
            country_code=country,
            agency=agency,
            display_name=f"{DEMO_MARK} {role}",
        )
    family, officers = (
        users["family@demo.test"],
        {"BO": users["police.bo@demo.test"], "PE": users["police.pe@demo.test"]},
    )
    members = [c.code for c in cases.member_countries(session)]
    for given, first, second, sex, birth, days, country, place, circ, status, publication in CLAIMS:
        data = {
            "given_names": given,
            "first_surname": first,
            "second_surname": second,
            "sex": sex,
            "birth_date": birth,
            "age_min": "" if birth else "14",
            "age_max": "" if birth else "16",
            "event_date": (today - timedelta(days=days)).isoformat(),
            "country": country,
            "place": place,
            "circumstances": circ,
            "description": f"{DEMO_MARK} Persona inventada para la demostración.",
            "reporter_name": f"{DEMO_MARK} Familiar",
            "reporter_relation": "madre",
            "reporter_contact": "+000 0000000 (demo)",
            "guardian_consent": True,
        }
        claim = casework.claim_filed(
            session, family, parse_claim(data, today=today, member_countries=members, require_reporter=True)
        )
        officer = officers.get(country) or users["admin@demo.test"]
        if status != "draft":
            casework.claim_validated(
                session, officer, claim, police_case_number=f"DEMO-{claim.id:04d}", publication=publication
            )
    seen = {
        "event_date": (today - timedelta(days=5)).isoformat(),
        "country": "PE",
        "place": "Cusco, bar cerca del mercado",
        "name_heard": "Lupe",
        "sex": "F",
        "age_min": "14",
        "age_max": "17",
        "description": f"{DEMO_MARK} Una adolescente con un hombre mayor.",
        "venue": "bar",
        "companion": "unrelated_adult",
    }
    casework.sighting_reported(session, None, parse_sighting(seen, today=today, member_countries=members))
    # The demo's people are invented, and so are its accounts' addresses: their filing mails nobody.
    outbox.discard_unsent(session)
    return {"password": DEMO_PASSWORD, "accounts": [(role, email) for role, email, _c, _a in ACCOUNTS]}
