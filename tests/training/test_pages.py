"""Issue 12's training pages, used as a trainer, a trainee and an enrolled officer use them.

Every person is invented. Each person has a browser of their own (a test client with its own
cookies); pages are read in English (the msgids) where a test reads their words.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.notify.models import OutboxMessage
from portal.training import spaces
from portal.training.models import EXERCISES, Enrolment, TrainingSession
from tests.builders import claim_data, make_claim, make_user, sign_in

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SIGN_IN_LINK = re.compile(r"http://[^/\s<]+(/training/sign-in/[A-Za-z0-9_.\-]+)")
SESSION = {
    "title": "Uso del portal en la búsqueda (sesión inventada)",
    "country": "BO",
    "district": "La Paz",
    "place": "Academia Nacional de Policías",
    "starts_on": "2026-12-10",
    "language": "es",
    "capacity": "20",
    "parent_session_id": "",
}
NEW_TRAINEES = [
    ("aprendiz.uno@example.test", "Rosa Inventada Quispe", "police"),
    ("aprendiz.dos@example.test", "Julio Inventado Mamani", "police"),
    ("ong.tres@example.test", "Marisol Inventada Choque", "civil_society"),
]
BANNER = 'class="practice-banner"'
LEAVE = 'action="/training/leave"'


class Browser:
    """One person's browser: its own cookies, English pages, a CSRF token on every form it posts."""

    def __init__(self, app: Flask, user: User | None = None) -> None:
        self.client = app.test_client()
        if user is not None:
            sign_in(self.client, user)
        self.client.get("/lang/en")

    def get(self, path: str) -> Any:
        return self.client.get(path)

    def page(self, path: str) -> str:
        response = self.client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return str(response.get_data(as_text=True))

    def post(self, path: str, data: dict[str, Any] | None = None, *, form_page: str = "/account") -> Any:
        token = CSRF.search(self.client.get(form_page).get_data(as_text=True))
        assert token, f"no CSRF token on {form_page}"
        return self.client.post(path, data={"csrf_token": token.group(1), **(data or {})})


def plan(trainer: Browser, **fields: str) -> int:
    """Plan a session on the page; returns its id."""
    response = trainer.post("/training/sessions/new", {**SESSION, **fields})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return int(response.location.rsplit("/", 1)[1])


def enrol(trainer: Browser, session_id: int, email: str, name: str = "", kind: str = "police") -> Any:
    """Enrol someone on the session page."""
    data = {"email": email, "name": name, "kind": kind, "agency": "FELCC (inventada)"}
    return trainer.post(f"/training/sessions/{session_id}/trainees", data)


def sign_in_path(response: Any) -> str:
    """The one-time sign-in link the enrolment page shows, as a path."""
    found = SIGN_IN_LINK.search(response.get_data(as_text=True))
    assert found, "no sign-in link on the page"
    return found.group(1)


def enrolment(session: Session, session_id: int, user_id: int) -> Enrolment:
    """A trainee's enrolment, read afresh."""
    session.expire_all()
    found = session.scalar(select(Enrolment).where(Enrolment.session_id == session_id, Enrolment.user_id == user_id))
    assert found is not None
    return found


@pytest.fixture
def trainer_user(session: Session) -> User:
    user = make_user(session, "trainer", "BO", display_name="Formadora Inventada")
    session.commit()
    return user


@pytest.fixture
def trainer(app: Flask, trainer_user: User) -> Browser:
    return Browser(app, trainer_user)


@pytest.fixture
def planned(trainer: Browser) -> int:
    return plan(trainer)


@pytest.fixture
def trainee(app: Flask, trainer: Browser, planned: int) -> tuple[Browser, int]:
    """A new trainee account, enrolled on the page and signed in with its link."""
    email, name, kind = NEW_TRAINEES[0]
    link = sign_in_path(enrol(trainer, planned, email, name, kind))
    browser = Browser(app)
    assert browser.post(link, form_page=link).status_code == 303
    return browser, _user_id(app, email)


def _user_id(app: Flask, email: str) -> int:
    with Session(app.extensions["portal.engine"]) as own:
        found = own.scalar(select(User.id).where(User.email == email))
    assert found is not None
    return int(found)


def test_a_trainer_plans_a_session_and_bad_fields_are_named(trainer: Browser, trainer_user: User, session: Session):
    form = trainer.page("/training/sessions/new")
    assert 'name="parent_session_id"' in form and 'name="capacity"' in form

    bad = trainer.post("/training/sessions/new", {**SESSION, "title": "", "starts_on": "mañana", "capacity": "0"})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert 'class="error-summary"' in page and 'href="#title"' in page and 'href="#capacity"' in page
    assert session.scalar(select(TrainingSession.id)) is None

    session_id = plan(trainer)
    training = session.get(TrainingSession, session_id)
    assert (training.level, training.status, training.trainer_id) == (1, "planned", trainer_user.id)
    page = trainer.page(f"/training/sessions/{session_id}")
    assert SESSION["title"] in page and "Nobody is enrolled yet." in page
    assert SESSION["title"] in trainer.page("/training/")


def test_a_session_cascades_only_from_one_the_trainer_was_trained_in(app: Flask, trainer: Browser, session: Session):
    other = make_user(session, "trainer", "BO")
    session.commit()
    someone_elses = plan(Browser(app, other))
    refused = trainer.post("/training/sessions/new", {**SESSION, "parent_session_id": str(someone_elses)})
    assert refused.status_code == 422 and 'href="#parent_session_id"' in refused.get_data(as_text=True)
    own = plan(trainer)
    child = session.get(TrainingSession, plan(trainer, parent_session_id=str(own), district="Cobija"))
    assert (child.parent_id, child.level) == (own, 2)


def test_only_trainers_and_admins_plan_and_only_the_trainer_changes(app: Flask, session: Session, planned: int):
    police = Browser(app, make_user(session, "police", "BO"))
    coordinator = Browser(app, make_user(session, "coordinator", "BO"))
    family = Browser(app, make_user(session, "family"))
    session.commit()
    assert police.get("/training/sessions/new").status_code == 404
    assert family.get("/training/").status_code == 404
    assert coordinator.get(f"/training/sessions/{planned}").status_code == 200
    assert coordinator.get(f"/training/sessions/{planned}/edit").status_code == 404
    assert coordinator.post(f"/training/sessions/{planned}/close").status_code == 404
    assert police.get(f"/training/sessions/{planned}").status_code == 404


def test_a_coordinator_of_another_country_gets_404_for_everything_of_the_session(
    app: Flask, session: Session, planned: int
):
    peru = Browser(app, make_user(session, "coordinator", "PE"))
    session.commit()
    for path in ("", "/sheet", "/edit", "/certificates/1"):
        assert peru.get(f"/training/sessions/{planned}{path}").status_code == 404, path
    assert peru.get("/training/cascade?country=BO").status_code == 404
    assert peru.get("/training/cascade.csv?country=BO").status_code == 404
    assert peru.post(f"/training/sessions/{planned}/trainees", {"email": "x@example.test"}).status_code == 404


def test_the_trainer_edits_a_session_but_not_below_its_enrolled(trainer: Browser, session: Session, planned: int):
    enrol(trainer, planned, "aprendiz.edit@example.test", "Edit Inventado")
    enrol(trainer, planned, "aprendiz.edit2@example.test", "Edit Inventado Dos")
    form = trainer.page(f"/training/sessions/{planned}/edit")
    assert f'value="{SESSION["title"]}"' in form and 'name="parent_session_id"' not in form

    too_small = trainer.post(f"/training/sessions/{planned}/edit", {**SESSION, "capacity": "1"})
    assert too_small.status_code == 422 and "More people are already enrolled." in too_small.get_data(as_text=True)
    saved = trainer.post(
        f"/training/sessions/{planned}/edit", {**SESSION, "title": "Título cambiado", "capacity": "30"}
    )
    assert saved.status_code == 303
    session.expire_all()
    training = session.get(TrainingSession, planned)
    assert (training.title, training.capacity, training.country_code) == ("Título cambiado", 30, "BO")


def test_enrolment_makes_trainee_accounts_with_a_link_shown_once_and_enrols_an_officer(
    app: Flask, trainer: Browser, session: Session, planned: int
):
    officer = make_user(
        session, "police", "BO", email="oficial.existente@example.test", display_name="Oficial Inventado"
    )
    session.commit()

    links = []
    for email, name, kind in NEW_TRAINEES:
        response = enrol(trainer, planned, email, name, kind)
        assert response.status_code == 200
        links.append(sign_in_path(response))
    existing = enrol(trainer, planned, officer.email, "Oficial Inventado", "police")

    assert existing.status_code == 303 and SIGN_IN_LINK.search(trainer.page(existing.location)) is None
    assert len(set(links)) == 3
    session.expire_all()
    people = session.scalars(select(Enrolment).where(Enrolment.session_id == planned).order_by(Enrolment.id)).all()
    assert [(p.name, p.kind, p.user.role) for p in people] == [
        *((name, kind, "trainee") for _email, name, kind in NEW_TRAINEES),
        ("Oficial Inventado", "police", "police"),
    ]
    invites = session.scalars(select(OutboxMessage).where(OutboxMessage.template == "training/invite")).all()
    assert sorted(m.address for m in invites) == sorted([*(e for e, _n, _k in NEW_TRAINEES), officer.email])
    assert [m.context["token"] is not None for m in invites].count(True) == 3
    assert session.get(TrainingSession, planned).status == "open" and spaces.exists(app, planned)
    # The page shows the link once: opening the session again shows none.
    assert SIGN_IN_LINK.search(trainer.page(f"/training/sessions/{planned}")) is None

    again = enrol(trainer, planned, officer.email)
    assert again.status_code == 409 and "This person is already enrolled." in again.get_data(as_text=True)
    family = make_user(session, "family", email="familia.inventada@example.test")
    session.commit()
    assert enrol(trainer, planned, family.email).status_code == 422


def test_the_invitation_email_carries_the_sign_in_link(app: Flask, trainer: Browser, session: Session, planned: int):
    from portal.notify.render import render

    link = sign_in_path(enrol(trainer, planned, *NEW_TRAINEES[0]))
    message = session.scalar(select(OutboxMessage).where(OutboxMessage.template == "training/invite"))
    with app.test_request_context():
        rendered = render(app, message.template, message.context, "en")
    assert SESSION["title"] in rendered.subject and link in rendered.body


def test_the_sign_in_link_works_once(app: Flask, trainer: Browser, planned: int):
    link = sign_in_path(enrol(trainer, planned, *NEW_TRAINEES[0]))
    browser = Browser(app)

    shown = browser.page(link)
    assert "<form" in shown and "Sign in and start practising" in shown
    assert browser.get("/cases").status_code == 302  # a GET signs nobody in: mail scanners open links
    signed = browser.post(link, form_page=link)
    assert signed.status_code == 303 and signed.location.endswith("/")
    home = browser.page("/")
    assert BANNER in home and SESSION["title"] in home and LEAVE not in home  # a trainee cannot leave

    second = Browser(app).post(link, form_page=link)
    assert second.status_code == 400 and "already been used" in second.get_data(as_text=True)
    assert Browser(app).post("/training/sign-in/forged.token", form_page=link).status_code == 400


def test_attendance_toggles(trainer: Browser, session: Session, planned: int):
    enrol(trainer, planned, *NEW_TRAINEES[0])
    person = session.scalar(select(Enrolment).where(Enrolment.session_id == planned))
    path = f"/training/sessions/{planned}/attendance/{person.user_id}"

    assert trainer.post(path, {"present": "1"}).status_code == 303
    assert enrolment(session, planned, person.user_id).present is True
    assert 'aria-pressed="true">Mark present' in trainer.page(f"/training/sessions/{planned}")
    assert trainer.post(path, {"present": "0"}).status_code == 303
    assert enrolment(session, planned, person.user_id).present is False
    assert trainer.post(path, {"present": "maybe"}).status_code == 422
    assert enrolment(session, planned, person.user_id).present is False
    assert trainer.post(f"/training/sessions/{planned}/attendance/999999", {"present": "1"}).status_code == 404


def _missing(page: str) -> list[str]:
    found = re.search(r'<ul class="missing">(.*?)</ul>', page, re.S)
    assert found, "no list of missing exercises"
    return re.findall(r"<li>(.*?)</li>", found.group(1))


def _practise(trainee: Browser, app: Flask, session_id: int) -> None:
    """The six exercises, done on the ordinary pages inside the practice space."""
    filed = trainee.post("/claims/new", claim_data(given_names="Practicanta", first_surname="Inventada"))
    assert filed.status_code == 302, filed.get_data(as_text=True)[:1000]
    claim_id = int(filed.location.rsplit("/", 1)[1])
    assert "Practicanta" in trainee.page("/claims?q=Practicanta+Inventada")
    validated = trainee.post(f"/cases/{claim_id}/validate", {"police_case_number": "PR-1", "publication": "published"})
    assert validated.status_code == 302
    noted = trainee.post(f"/cases/{claim_id}/notes", {"text": "Se llamó a la familia.", "visibility": "police"})
    assert noted.status_code == 302
    candidate = re.search(r"/review/candidates/(\d+)", trainee.page("/review/queue"))
    assert candidate, "the practice space has candidates to review"
    confirmed = trainee.post(f"/review/candidates/{candidate.group(1)}/confirm", {"note": "Misma persona."})
    assert confirmed.status_code == 303
    flagged = re.search(r"/cases/(\d+)#risk-h", trainee.page("/flags/"))
    assert flagged, "the practice space has flagged claims"
    assert trainee.post(f"/flags/claims/{flagged.group(1)}/escalate").status_code == 303


def test_certification_is_refused_until_the_trainee_did_every_exercise_in_the_practice_space(
    app: Flask, trainer: Browser, session: Session, planned: int, trainee: tuple[Browser, int]
):
    browser, trainee_id = trainee
    certify = f"/training/sessions/{planned}/trainees/{trainee_id}/certify"

    refused = trainer.post(certify)
    assert refused.status_code == 409
    assert _missing(refused.get_data(as_text=True)) == [
        "File a claim",
        "Validate a claim",
        "Search the claims",
        "Review a possible match",
        "Act on a trafficking flag",
        "Add a note to a case",
    ]
    assert enrolment(session, planned, trainee_id).certified_at is None
    assert trainer.get(f"/training/sessions/{planned}/certificates/{trainee_id}").status_code == 404

    _practise(browser, app, planned)
    # What the trainee did is in the practice space's audit trail, and only there.
    with spaces.factory(app, planned)() as practice:
        assert practice.scalar(select(AuditEvent.id).where(AuditEvent.actor_id == trainee_id)) is not None
    assert session.scalar(select(AuditEvent.id).where(AuditEvent.action == "claim.create")) is None
    assert "6 of 6 done" in trainer.page(f"/training/sessions/{planned}")

    assert trainer.post(certify).status_code == 303
    assert enrolment(session, planned, trainee_id).certified_at is not None
    certificate = trainer.page(f"/training/sessions/{planned}/certificates/{trainee_id}")
    assert NEW_TRAINEES[0][1] in certificate and "Certificate of training" in certificate


def test_certification_lists_only_what_is_still_missing(
    app: Flask, trainer: Browser, planned: int, trainee: tuple[Browser, int]
):
    browser, trainee_id = trainee
    assert browser.post("/claims/new", claim_data(given_names="Parcial")).status_code == 302
    assert browser.get("/claims?q=Parcial").status_code == 200

    refused = trainer.post(f"/training/sessions/{planned}/trainees/{trainee_id}/certify")
    assert refused.status_code == 409
    assert _missing(refused.get_data(as_text=True)) == [
        "Validate a claim",
        "Review a possible match",
        "Act on a trafficking flag",
        "Add a note to a case",
    ]


def test_the_attendance_sheet_lists_every_trainee_with_a_column_to_sign(trainer: Browser, planned: int):
    for email, name, kind in NEW_TRAINEES:
        enrol(trainer, planned, email, name, kind)
    sheet = trainer.page(f"/training/sessions/{planned}/sheet")
    assert all(name in sheet for _e, name, _k in NEW_TRAINEES)
    assert "FELCC (inventada)" in sheet and "Civil society" in sheet and "Police" in sheet
    assert sheet.count('class="signature"') == 3 and "Signature" in sheet


def test_closing_keeps_what_each_trainee_did_and_deletes_the_practice_space(
    app: Flask, trainer: Browser, session: Session, planned: int, trainee: tuple[Browser, int]
):
    browser, trainee_id = trainee
    assert browser.post("/claims/new", claim_data(given_names="Antes")).status_code == 302

    assert trainer.post(f"/training/sessions/{planned}/close").status_code == 303

    assert not spaces.exists(app, planned)
    kept = enrolment(session, planned, trainee_id).exercises
    assert kept == {name: name == "file_claim" for name in EXERCISES}
    assert browser.get("/").status_code == 403  # the trainee account works only during the session
    page = trainer.page(f"/training/sessions/{planned}")
    assert "Closed" in page and "Enrol a trainee" not in page and "1 of 6 done" in page
    late = trainer.post(f"/training/sessions/{planned}/trainees", {"email": "tarde@example.test", "kind": "police"})
    assert late.status_code == 409 and "This session is closed or cancelled." in late.get_data(as_text=True)


def test_a_trainer_can_show_a_new_sign_in_link_for_a_trainee_account(
    app: Flask, trainer: Browser, session: Session, planned: int
):
    enrol(trainer, planned, *NEW_TRAINEES[0])
    officer = make_user(session, "police", "BO")
    session.commit()
    enrol(trainer, planned, officer.email)
    trainee_id = _user_id(app, NEW_TRAINEES[0][0])

    again = trainer.post(f"/training/sessions/{planned}/trainees/{trainee_id}/link")
    assert again.status_code == 200
    assert Browser(app).post(sign_in_path(again), form_page="/login").status_code == 303
    assert trainer.post(f"/training/sessions/{planned}/trainees/{officer.id}/link").status_code == 404


def test_an_enrolled_officer_enters_and_leaves_the_practice_space_on_purpose(
    app: Flask, trainer: Browser, session: Session, planned: int
):
    officer = make_user(session, "police", "BO")
    outsider = Browser(app, make_user(session, "police", "BO"))
    make_claim(session, given_names="Realina", first_surname="Verdadera", status="active", publication="published")
    session.commit()
    assert enrol(trainer, planned, officer.email).status_code == 303
    browser = Browser(app, officer)
    assert "Verdadera" in browser.page("/claims?q=Realina")
    assert outsider.post(f"/training/sessions/{planned}/enter").status_code == 404

    listed = browser.page("/training/")
    assert f'action="/training/sessions/{planned}/enter"' in listed
    entered = browser.post(f"/training/sessions/{planned}/enter")
    assert entered.status_code == 303 and entered.location.endswith("/")
    inside = browser.page("/claims?q=Realina")
    assert BANNER in inside and "Verdadera" not in inside
    filed = browser.post("/claims/new", claim_data(given_names="Practicanta", first_surname="Ensayo"))
    assert filed.status_code == 302
    assert "Ensayo" in browser.page("/claims?q=Practicanta")

    left = browser.post("/training/leave", form_page="/claims")
    assert left.status_code == 303
    outside = browser.page("/claims?q=Realina")
    assert BANNER not in outside and "Verdadera" in outside
    assert "Ensayo" not in browser.page("/claims?q=Practicanta")
    assert "Ensayo" not in outsider.page("/claims?q=Practicanta")


PRACTICE_PAGES = ["/", "/claims", "/claims?q=Quispe", "/cases", "/claims/new", "/review/queue", "/flags/", "/sightings"]


def test_the_practice_banner_is_on_every_page_while_inside(
    app: Flask, trainer: Browser, session: Session, planned: int, trainee: tuple[Browser, int]
):
    browser, _trainee_id = trainee
    officer = make_user(session, "police", "BO")
    session.commit()
    enrol(trainer, planned, officer.email)
    inside = Browser(app, officer)
    inside.post(f"/training/sessions/{planned}/enter")
    claim = re.search(r"/cases/(\d+)", inside.page("/cases"))
    assert claim
    pages = [*PRACTICE_PAGES, f"/cases/{claim.group(1)}", "/sightings/new"]

    for path in pages:
        officer_page, trainee_page = inside.page(path), browser.page(path)
        assert BANNER in officer_page and SESSION["title"] in officer_page and LEAVE in officer_page, path
        assert BANNER in trainee_page and LEAVE not in trainee_page, path
        assert "<title>PRACTICE" in officer_page, path
    assert 'href="/training/"' not in browser.page("/")  # a trainee's menu has nothing new
    for path in pages[:3]:
        assert BANNER not in trainer.page(path), path  # the trainer has not entered
