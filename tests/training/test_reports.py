"""Issue 12's reports: a country's cascade on a page and as CSV, built as people build it on the pages.

A trainer of trainers runs level 1; an officer certified there is made a trainer by the coordinator
on the staff page, and runs level 2 in a district. Every person is invented.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import practice
from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.training.models import EXERCISES, Enrolment
from tests.builders import make_user
from tests.training.test_pages import Browser, enrol, plan


def _keep_exercises_done(session: Session, session_id: int, email: str) -> int:
    """As a closed session keeps them: every exercise done (the practice itself is tested in test_pages)."""
    person = session.scalar(
        select(Enrolment)
        .join(User, User.id == Enrolment.user_id)
        .where(Enrolment.session_id == session_id, User.email == email)
    )
    person.exercises = dict.fromkeys(EXERCISES, True)
    session.commit()
    return person.user_id


@pytest.fixture(autouse=True)
def no_practice_space(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reports never read inside a practice space, and making one per session (a schema or a
    database file, migrated and filled) was most of these tests' time; test_pages has them."""
    monkeypatch.setattr(practice, "_make_space", lambda *args, **kwargs: None)


@pytest.fixture
def cascade(app: Flask, session: Session) -> dict[str, object]:
    """Level 1 (2 police, 1 civil society; 1 police and 1 civil society certified), then level 2 in Cobija
    (1 police, 2 civil society, nobody certified) run by the certified officer, made a trainer."""
    trainer = make_user(session, "trainer", "BO", display_name="Formadora Nacional Inventada")
    officer = make_user(session, "police", "BO", email="rosa.inventada@example.test", display_name="Rosa Inventada")
    coordinator = make_user(session, "coordinator", "BO")
    session.commit()
    first = Browser(app, trainer)
    national = plan(first, title="Formación de formadores (inventada)", district="La Paz")
    enrol(first, national, officer.email, "Rosa Inventada", "police")
    enrol(first, national, "aprendiz.policia@example.test", "Pablo Inventado", "police")
    enrol(first, national, "ong.inventada@example.test", "Marisol Inventada", "civil_society")
    for email in (officer.email, "ong.inventada@example.test"):
        user_id = _keep_exercises_done(session, national, email)
        assert first.post(f"/training/sessions/{national}/trainees/{user_id}/certify").status_code == 303

    staff = Browser(app, coordinator)
    made = staff.post(f"/staff/users/{officer.id}", {"role": "trainer", "country": "BO", "agency": "FELCC El Alto"})
    assert made.status_code == 303
    session.expire_all()
    rosa = Browser(app, session.get(User, officer.id))
    form = rosa.page("/training/sessions/new")
    assert f'<option value="{national}"' in form  # she may cascade from the session she was trained in
    district = plan(rosa, title="El portal en Cobija (inventada)", district="Cobija", parent_session_id=str(national))
    enrol(rosa, district, "cobija.policia@example.test", "Ana Inventada", "police")
    enrol(rosa, district, "cobija.ong1@example.test", "Lidia Inventada", "civil_society")
    enrol(rosa, district, "cobija.ong2@example.test", "Teresa Inventada", "civil_society")
    return {"coordinator": staff, "national": national, "district": district, "rosa": officer.id}


def _cells(page: str, row_id: str) -> list[str]:
    row = re.search(rf'<tr id="{row_id}">(.*?)</tr>', page, re.S)
    assert row, f"no row {row_id}"
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def test_the_cascade_page_shows_both_levels_and_counts_police_and_civil_society_apart(cascade: dict[str, object]):
    coordinator = cascade["coordinator"]
    assert isinstance(coordinator, Browser)
    page = coordinator.page("/training/cascade")  # a coordinator's own country by default

    assert "Level 1" in page and "Level 2" in page
    # District, session, date, trainer, cascades from, police, civil society, certified.
    national = _cells(page, f"session-{cascade['national']}")
    district = _cells(page, f"session-{cascade['district']}")
    assert national[0] == "La Paz" and national[4] == "—" and national[5:] == ["2", "1", "2"]
    assert district[0] == "Cobija" and district[3] == "Rosa Inventada" and district[5:] == ["1", "2", "0"]
    assert district[4] == "Formación de formadores (inventada)"
    levels = re.search(r'<table class="levels">(.*?)</table>', page, re.S)
    assert levels
    rows = [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", levels.group(1), re.S)
    ]
    # Level, sessions, trained police, trained civil society, certified police, certified civil society.
    assert [r for r in rows if r] == [["1", "1", "2", "1", "1", "1"], ["2", "1", "1", "2", "0", "0"]]
    trainers = re.search(r"<dt>Trainers</dt><dd>(\d+)</dd>", page)
    assert trainers and trainers.group(1) == "2"


def test_the_cascade_csv_has_one_row_per_session_with_its_parent(cascade: dict[str, object], session: Session):
    coordinator = cascade["coordinator"]
    assert isinstance(coordinator, Browser)
    response = coordinator.get("/training/cascade.csv?country=BO")

    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    found = [
        (r["level"], r["parent_session_id"], r["district"], r["police"], r["civil_society"], r["certified"])
        for r in rows
    ]
    assert found == [
        ("1", "", "La Paz", "2", "1", "2"),
        ("2", str(cascade["national"]), "Cobija", "1", "2", "0"),
    ]
    assert rows[1]["trainer_id"] == str(cascade["rosa"]) and rows[1]["title"] == "El portal en Cobija (inventada)"
    assert session.scalar(select(AuditEvent.id).where(AuditEvent.action == "training.export")) is not None


def test_who_reads_the_cascade(app: Flask, session: Session, cascade: dict[str, object]):
    police = make_user(session, "police", "BO")
    peru = make_user(session, "trainer", "PE")
    admin = make_user(session, "admin", None)
    session.commit()
    assert Browser(app, police).get("/training/cascade?country=BO").status_code == 404
    assert Browser(app, peru).get("/training/cascade?country=BO").status_code == 404
    assert Browser(app, peru).get("/training/cascade.csv?country=BO").status_code == 404
    chooser = Browser(app, admin).page("/training/cascade")  # an admin chooses the country first
    assert '<select id="country" name="country">' in chooser and "Level 1" not in chooser
    assert "Level 2" in Browser(app, admin).page("/training/cascade?country=BO")


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_quoted(app: Flask, session: Session):
    trainer = make_user(session, "trainer", "BO")
    session.commit()
    browser = Browser(app, trainer)
    plan(browser, title='=HYPERLINK("http://example.test")', district="@Cobija")
    rows = list(csv.reader(io.StringIO(browser.get("/training/cascade.csv?country=BO").get_data(as_text=True))))
    assert rows[1][3] == "'@Cobija" and rows[1][4].startswith("'=")
