"""Training pages (issue 12): sessions, enrolment, attendance, certification, the way into and out of a
practice space, and the cascade report. They call the services the training API calls (spec/training.md).

They work on the portal's own database (binding.UNBOUND): they manage the real records of the
training. The practice pages themselves are the ordinary portal pages, bound to a practice space.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Flask, Response, current_app, flash, g, redirect, render_template, request, url_for
from flask import session as cookie
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user

from portal import practice
from portal.accounts.models import Role, User
from portal.cases.services import member_countries
from portal.db import get_session
from portal.errors import NotFound, ValidationFailed
from portal.i18n import gettext as _
from portal.login_sessions import reauth_required
from portal.security import login_required
from portal.training import binding, presenters, progress, services
from portal.training.models import EXERCISES, TrainingSession

bp = Blueprint("training", __name__, url_prefix="/training")


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {
        "EXERCISES": EXERCISES,
        "exercise_labels": presenters.EXERCISE_LABELS,
        "kind_labels": presenters.KIND_LABELS,
        "status_labels": presenters.STATUS_LABELS,
    }


def _me() -> User:
    """The logged-in account, read in this request's session (the portal's own database)."""
    user = get_session().get(User, current_user.id)
    if user is None:
        raise NotFound()
    return user


def _app() -> Flask:
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return app


def _own(session_id: int) -> TrainingSession:
    """A session the logged-in person may see (its trainer, its country's coordinators, admins)."""
    return services.get_session_for(get_session(), _me(), session_id)


def _session_page(session_id: int, status: int = 200, **shown: Any) -> ResponseReturnValue:
    """The session page; ``shown`` adds a form's errors and values, a new sign-in link, missing exercises."""
    session, me = get_session(), _me()
    training = services.get_session_for(session, me, session_id)
    return render_template(
        "training/session.html",
        training=training,
        trainees=presenters.trainees(_app(), session, training),
        parent=session.get(TrainingSession, training.parent_id) if training.parent_id else None,
        may_change=presenters.may_change(me, training),
        inside=cookie.get(binding.CHOSEN) == training.id,
        **{"errors": {}, "values": {}, "missing": {}, "new_link": None, **shown},
    ), status


def _form_page(values: Any, errors: dict[str, Any], training: TrainingSession | None = None) -> ResponseReturnValue:
    session, me = get_session(), _me()
    return render_template(
        "training/form.html",
        training=training,
        values=values,
        errors=errors,
        countries=member_countries(session),
        parents=presenters.parent_options(session, me),
    ), 422 if errors else 200


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    """A trainer's sessions (run or attended), a coordinator's country's, all for admins."""
    me = _me()
    if me.role == Role.FAMILY:
        raise NotFound()
    return render_template(
        "training/index.html",
        sessions=presenters.sessions_for(get_session(), me),
        enterable=presenters.enterable_ids(get_session(), me),
        may_run=services.may_run_sessions(me),
        chosen=cookie.get(binding.CHOSEN),
    )


@bp.route("/sessions/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    """Plan a session: title, country, district, place, date, language, capacity, the session it cascades from."""
    session, me = get_session(), _me()
    if not services.may_run_sessions(me):
        raise NotFound()
    if request.method == "GET":
        return _form_page(presenters.new_session_values(me, date.today()), {})
    try:
        training = services.create_session(session, me, services.parse_session(request.form), ip=g.client_ip)
    except ValidationFailed as error:
        session.rollback()
        return _form_page(request.form, error.fields)
    session.commit()
    flash(_("The session was planned. Enrol its trainees below."), "success")
    return redirect(url_for("training.detail", session_id=training.id), 303)


@bp.get("/sessions/<int:session_id>")
@login_required
def detail(session_id: int) -> ResponseReturnValue:
    """The session: its trainees, attendance, checklists, certification, enrolment, its practice space."""
    return _session_page(session_id)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def edit(session_id: int) -> ResponseReturnValue:
    """Change a planned or open session's title, district, place, date, language and capacity."""
    session, me = get_session(), _me()
    training = _own(session_id)
    services.check_may_change(me, training)
    if request.method == "GET":
        return _form_page(presenters.session_values(training), {}, training)
    try:
        data = services.parse_session({**request.form.to_dict(), "country": training.country_code})
        services.update_session(session, me, training, data, ip=g.client_ip)
    except ValidationFailed as error:
        session.rollback()
        return _form_page(request.form, error.fields, _own(session_id))
    session.commit()
    flash(_("The session was saved."), "success")
    return redirect(url_for("training.detail", session_id=session_id), 303)


@bp.post("/sessions/<int:session_id>/<any(cancel, close):action>")
@login_required
def end(session_id: int, action: str) -> ResponseReturnValue:
    """Close a session (what each trainee did is kept) or cancel it; its practice space is deleted."""
    session = get_session()
    progress.close(_app(), session, _me(), _own(session_id), cancel=action == "cancel", ip=g.client_ip)
    session.commit()
    flash(_("The session was cancelled.") if action == "cancel" else _("The session was closed."), "success")
    return redirect(url_for("training.detail", session_id=session_id), 303)


@bp.post("/sessions/<int:session_id>/trainees")
@login_required
def enrol(session_id: int) -> ResponseReturnValue:
    """Enrol an officer, or make a trainee account and show its one-time sign-in link once."""
    session, me, form = get_session(), _me(), request.form
    training = _own(session_id)
    try:
        enrolment, new = services.enrol(
            session,
            me,
            training,
            email=form.get("email", ""),
            name=form.get("name", "")[:120],
            kind=form.get("kind", ""),
            agency=form.get("agency", "")[:120],
            ip=g.client_ip,
        )
    except (ValidationFailed, services.SessionStateConflict) as error:
        session.rollback()
        return _session_page(session_id, error.status, errors=error.fields, values=form)
    # The practice space opens with the first trainee, as in the API, so that their link works at once.
    practice.open_space(_app(), session, training)
    link = presenters.invite(session, training, enrolment.user, new)
    session.commit()
    if link is None:
        flash(_("%(name)s is enrolled and was told by e-mail.", name=enrolment.name), "success")
        return redirect(url_for("training.detail", session_id=session_id), 303)
    return _session_page(session_id, new_link=link, new_name=enrolment.name)


@bp.post("/sessions/<int:session_id>/trainees/<int:trainee_id>/link")
@login_required
def sign_in_link(session_id: int, trainee_id: int) -> ResponseReturnValue:
    """Show a new one-time sign-in link for a trainee account (the old one was lost or expired)."""
    session = get_session()
    enrolment, link = presenters.new_sign_in_link(session, _me(), _own(session_id), trainee_id, ip=g.client_ip)
    session.commit()
    return _session_page(session_id, new_link=link, new_name=enrolment.name)


@bp.post("/sessions/<int:session_id>/attendance/<int:trainee_id>")
@login_required
def attendance(session_id: int, trainee_id: int) -> ResponseReturnValue:
    """Mark a trainee present or absent."""
    session, present = get_session(), {"1": True, "0": False}.get(request.form.get("present", ""))
    services.set_attendance(session, _me(), _own(session_id), trainee_id, present, ip=g.client_ip)
    session.commit()
    return redirect(url_for("training.detail", session_id=session_id) + f"#trainee-{trainee_id}", 303)


@bp.post("/sessions/<int:session_id>/trainees/<int:trainee_id>/certify")
@login_required
def certify(session_id: int, trainee_id: int) -> ResponseReturnValue:
    """Certify a trainee who did every exercise; the page lists the missing ones otherwise (409)."""
    session = get_session()
    try:
        progress.certify(_app(), session, _me(), _own(session_id), trainee_id, ip=g.client_ip)
    except progress.NotCertifiable as error:
        session.rollback()
        return _session_page(session_id, 409, missing={trainee_id: error.fields["exercises"]})
    session.commit()
    flash(_("The trainee is certified."), "success")
    return redirect(url_for("training.detail", session_id=session_id) + f"#trainee-{trainee_id}", 303)


@bp.get("/sessions/<int:session_id>/sheet")
@login_required
def sheet(session_id: int) -> ResponseReturnValue:
    """The printable attendance sheet: names, agency, kind, a column to sign."""
    training = _own(session_id)
    return render_template(
        "training/sheet.html", training=training, trainees=services.enrolments(get_session(), training)
    )


@bp.get("/sessions/<int:session_id>/certificates/<int:trainee_id>")
@login_required
def certificate(session_id: int, trainee_id: int) -> ResponseReturnValue:
    """The printable certificate of a certified trainee (404 for anyone not certified)."""
    training = _own(session_id)
    enrolment = presenters.certificate(get_session(), training, trainee_id)
    trainer = get_session().get(User, enrolment.certified_by_id or training.trainer_id)
    return render_template("training/certificate.html", training=training, enrolment=enrolment, trainer=trainer)


@bp.route("/sign-in/<string(maxlength=500):token>", methods=["GET", "POST"])
def sign_in(token: str) -> ResponseReturnValue:
    """A trainee's one-time sign-in link: a button first (mail scanners open links), then into practice."""
    if request.method == "GET":
        return render_template("training/sign_in.html")
    session = get_session()
    user = progress.sign_in(session, token, ip=g.client_ip)
    session.commit()
    login_user(user)
    return redirect(url_for("main.home"), 303)


@bp.post("/sessions/<int:session_id>/enter")
@login_required
def enter(session_id: int) -> ResponseReturnValue:
    """An enrolled officer or the trainer enters the session's practice space (opened if still planned)."""
    session = get_session()
    training = presenters.enterable(session, _me(), session_id)
    practice.open_space(_app(), session, training)
    session.commit()
    cookie[binding.CHOSEN] = training.id
    flash(_("You are in the practice space. Nothing you do here touches real cases."), "success")
    return redirect(url_for("main.home"), 303)


@bp.post("/leave")
@login_required
def leave() -> ResponseReturnValue:
    """Leave the practice space: the pages show real cases again (a trainee account cannot leave)."""
    if cookie.pop(binding.CHOSEN, None) is not None:
        flash(_("You left the practice space. The cases you see now are real."), "success")
    return redirect(url_for("main.home"), 303)


def _country(me: User) -> str:
    return str(request.args.get("country") or me.country_code or "").upper()[:2]


@bp.get("/cascade")
@login_required
def cascade() -> ResponseReturnValue:
    """A country's cascade: figures per level, sessions by level and district, trainers."""
    session, me = get_session(), _me()
    country = _country(me)
    found = presenters.report(session, me, country) if country or me.role != Role.ADMIN else None
    countries = member_countries(session) if me.role == Role.ADMIN else []
    return render_template("training/cascade.html", report=found, country=country, countries=countries)


@bp.get("/cascade.csv")
@login_required
@reauth_required()
def cascade_csv() -> ResponseReturnValue:
    """The cascade as CSV, one row per session (audited as an export)."""
    session, me = get_session(), _me()
    text = presenters.cascade_csv(session, me, _country(me), ip=g.client_ip)
    session.commit()
    disposition = f'attachment; filename="training-cascade-{_country(me)}.csv"'
    return Response(text, mimetype="text/csv", headers={"Content-Disposition": disposition})
