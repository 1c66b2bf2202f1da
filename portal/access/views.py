"""The access requests page: the owner country's coordinators grant or refuse requests and review
broken glass (issue 14)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.access import services
from portal.accounts.models import Role, User
from portal.db import get_session
from portal.errors import NotFound, ValidationFailed
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.security import login_required

bp = Blueprint("access", __name__)

DECISION_LABELS = {
    "granted": _l("Granted"),
    "refused": _l("Refused"),
    "justified": _l("Emergency access, justified"),
    "unjustified": _l("Emergency access, not justified"),
}


def _page(user: User, errors: dict[str, Any], status: int = 200) -> ResponseReturnValue:
    session = get_session()
    return render_template(
        "access/requests.html",
        waiting=services.to_decide(session, user),
        recent=services.recent(session, user),
        decisions=DECISION_LABELS,
        grant_days=services.GRANT_DAYS,
        errors=errors,
    ), status


def _coordinator() -> User:
    if getattr(current_user, "role", None) not in (Role.COORDINATOR, Role.ADMIN):
        raise NotFound()
    user: User = get_session().get_one(User, current_user.id)
    return user


@bp.get("/access/requests")
@login_required
def requests() -> ResponseReturnValue:
    """Requests waiting for the coordinator's country, broken glass to review, and the latest decisions."""
    return _page(_coordinator(), {})


@bp.post("/access/requests/<int:request_id>/<any(grant, refuse, justified, unjustified):decision>")
@login_required
def decide(request_id: int, decision: str) -> ResponseReturnValue:
    """Grant or refuse a request, or review broken glass."""
    user, session = _coordinator(), get_session()
    found = services.get_request(session, user, request_id)
    try:
        services.decide(session, user, found, decision, request.form.get("note", ""), ip=g.client_ip)
    except ValidationFailed as error:
        session.rollback()
        return _page(user, error.fields, 422)
    session.commit()
    flash(_("Your decision is recorded."), "success")
    return redirect(url_for("access.requests"), 303)
