"""Trafficking-flag pages for the police: the list of flagged cases and the officers' decisions.

No login redirect: to anyone but the police these pages do not exist (404).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.cases.forms import form_text
from portal.db import get_session
from portal.errors import ValidationFailed
from portal.flags import decisions, presenters, report
from portal.i18n import format_percent
from portal.i18n import lazy_gettext as _l
from portal.login_sessions import require_reauth

bp = Blueprint("flags", __name__, url_prefix="/flags")

DONE = {
    "escalate": _l("Escalated. The decision is kept in the flag's history."),
    "dismiss": _l("Dismissed. The reason is kept in the flag's history."),
    "refer": _l("Referred to the national anti-trafficking unit. The decision is kept in the flag's history."),
}


def _user() -> Any:
    """The account behind the request, or the anonymous public: these pages answer 404 to anyone but an officer."""
    return current_user._get_current_object()


@bp.get("/")
def index() -> ResponseReturnValue:
    """Claims with trafficking indicators of the officer's country (administrators: all), level 2 first."""
    rows = decisions.flagged(get_session(), _user())
    return render_template(
        "flags/index.html", rows=rows, levels=presenters.LEVEL_LABELS, may_read_report=report.may_read_report(_user())
    )


@bp.get("/report")
def fairness() -> ResponseReturnValue:
    """Coordinators: flag rates by country, sex and age band, so that drift can be seen."""
    found = report.fairness_report(get_session(), _user())
    return render_template(
        "flags/report.html",
        report=found,
        small=report.SMALL_GROUP,
        unknown=report.UNKNOWN,
        percent=lambda rate: format_percent(rate, "#,##0.#%"),
    )


@bp.post("/claims/<int:claim_id>/<any(escalate, dismiss, refer):action>")
def decide(claim_id: int, action: str) -> ResponseReturnValue:
    """An officer escalates, dismisses (with a reason) or refers a claim's flag; back to the claim.
    Dismissing asks for the password again when it is not recent (escalating and referring do not:
    they only add attention)."""
    if action == "dismiss" and _user().is_police and (confirm := require_reauth()) is not None:
        return confirm
    session = get_session()
    try:
        decisions.decide(session, _user(), claim_id, action, form_text(request.form, "reason"), ip=g.client_ip)
    except ValidationFailed as error:
        session.rollback()
        for messages in error.fields.values():
            for message in messages:
                flash(str(message), "error")
        return redirect(url_for("cases.detail", claim_id=claim_id) + "#risk-h", 303)
    session.commit()
    flash(str(DONE[action]), "success")
    return redirect(url_for("cases.detail", claim_id=claim_id) + "#risk-h", 303)
