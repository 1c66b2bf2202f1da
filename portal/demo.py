"""Demonstration data: invented people, clearly marked, and one account per role.

Every name below is made up from common Latin American given names and
surnames; any resemblance to a real case is chance.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy.orm import Session

from portal import casework
from portal.accounts import staff
from portal.accounts.models import User
from portal.accounts.services import count_users, create_user
from portal.cases import services as cases
from portal.cases.inputs import parse_claim
from portal.errors import PortalError
from portal.i18n import lazy_gettext as _l
from portal.notify import outbox
from portal.sightings.inputs import parse_sighting
from portal.training import progress
from portal.training import services as training
from portal.training.models import EXERCISES, TrainingSession

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


# The training cascade of Bolivia (issue 12). The demo trainer ran a first-level session four months ago;
# Rosa, an officer certified there, was made a trainer and ran the second level in two districts.
CASCADE_TRAINER = ("trainer.elalto.bo@demo.test", "Rosa Mamani Quispe", "FELCC El Alto (demo)")
# (email, name, kind, agency, present, certified); the first is Rosa, who has an account already.
LEVEL_ONE = (
    (CASCADE_TRAINER[0], CASCADE_TRAINER[1], "police", CASCADE_TRAINER[2], True, True),
    ("aprendiz.flores@demo.test", "Juan Carlos Flores Apaza", "police", "EPI Oruro (demo)", True, False),
    ("ong.condori@demo.test", "Marisol Condori Choque", "civil_society", "Fundación Warmi (demo)", True, True),
    ("aprendiz.ticona@demo.test", "Wilfredo Ticona Limachi", "police", "EPI Potosí (demo)", False, False),
)
# (district, place, days from today, closed, trainees)
LEVEL_TWO: tuple[tuple[Any, ...], ...] = (
    (
        "El Alto",
        "Módulo policial Distrito 8 (demo)",
        -45,
        True,
        (
            ("distrito8.quispe@demo.test", "Elena Quispe Huanca", "police", "FELCC El Alto (demo)", True, True),
            ("distrito8.choque@demo.test", "Ramiro Choque Yujra", "police", "EPI 3 El Alto (demo)", True, True),
            ("distrito8.ong@demo.test", "Teresa Apaza Mamani", "civil_society", "Red Kawsay (demo)", True, True),
            ("distrito8.vecina@demo.test", "Lidia Poma Cruz", "civil_society", "Junta vecinal (demo)", True, False),
        ),
    ),
    (
        "Oruro",
        "Comando departamental de Oruro (demo)",
        21,
        False,
        (
            ("oruro.gutierrez@demo.test", "Marco Gutiérrez Rojas", "police", "FELCC Oruro (demo)", None, False),
            ("oruro.ong@demo.test", "Sonia Villca Copa", "civil_society", "Pastoral de movilidad (demo)", None, False),
        ),
    ),
)


def _demo_session(
    app: Flask,
    session: Session,
    trainer: User,
    title: str,
    where: tuple[str, str, date],
    people: tuple[tuple[Any, ...], ...],
    *,
    parent: TrainingSession | None = None,
    close: bool = False,
) -> TrainingSession:
    """A session planned, enrolled, attended and certified through the services; closed if ``close``."""
    district, place, starts_on = where
    data = training.SessionInput(
        f"{DEMO_MARK} {title}", "BO", district, place, starts_on, "es", 20, parent.id if parent else None
    )
    planned = training.create_session(session, trainer, data)
    for email, name, kind, agency, present, certified in people:
        enrolment, _new = training.enrol(
            session, trainer, planned, email=email, name=f"{DEMO_MARK} {name}", kind=kind, agency=agency
        )
        if present is not None:
            training.set_attendance(session, trainer, planned, enrolment.user_id, present)
        # The demo opens no practice space, so nobody really did the exercises there. What a closed
        # session keeps of them is written here directly (the one step the services take from a
        # practice space's audit trail); certification itself goes through the service.
        enrolment.exercises = {exercise: certified or n < 3 for n, exercise in enumerate(EXERCISES)} if present else {}
        if certified:
            progress.certify(app, session, trainer, planned, enrolment.user_id)
    if close:
        progress.close(app, session, trainer, planned)
    return planned


def _training_cascade(session: Session, users: dict[str, User], today: date) -> None:
    """Two levels of Bolivia's cascade, so that the report is not empty on first sight."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    email, name, agency = CASCADE_TRAINER
    rosa = create_user(
        session,
        email=email,
        password=DEMO_PASSWORD,
        role="police",
        country_code="BO",
        agency=agency,
        display_name=f"{DEMO_MARK} {name}",
    )
    first = _demo_session(
        app,
        session,
        users["trainer.bo@demo.test"],
        "Formación de formadores: el portal en la búsqueda de personas",
        ("La Paz", "Academia Nacional de Policías (demo)", today - timedelta(days=120)),
        LEVEL_ONE,
        close=True,
    )
    coordinator = users["coordinator.bo@demo.test"]
    staff.change_account(session, coordinator, rosa, role="trainer", country_code="BO", agency=agency)
    for district, place, days, close, people in LEVEL_TWO:
        title = f"El portal en el distrito: {district}"
        where = (district, place, today + timedelta(days=days))
        _demo_session(app, session, rosa, title, where, people, parent=first, close=close)


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
    _training_cascade(session, users, today)
    # The demo's people are invented, and so are its accounts' addresses: their filing mails nobody.
    outbox.discard_unsent(session)
    accounts = [(role, email) for role, email, _c, _a in ACCOUNTS] + [("trainer", CASCADE_TRAINER[0])]
    return {"password": DEMO_PASSWORD, "accounts": accounts}
