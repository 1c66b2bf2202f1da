"""Match review pages: the queue of officers, the side-by-side comparison, confirm and reject.

No login redirect: to anyone but a reviewer these pages do not exist (404).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import casework
from portal.cases.forms import form_text
from portal.cases.rules import sight
from portal.db import get_session
from portal.errors import ValidationFailed
from portal.i18n import gettext as _
from portal.review import decisions, presenters, reasons
from portal.review.models import MatchCandidate

bp = Blueprint("review", __name__, url_prefix="/review")
bp.add_app_template_global(reasons.reasons_text, "reasons_text")
bp.add_app_template_global(presenters.score_text, "score_text")


def _user() -> Any:
    """The account behind the request, or the anonymous public: these pages answer 404 to anyone but a reviewer."""
    return current_user._get_current_object()


@bp.get("/queue")
def queue() -> ResponseReturnValue:
    """Open candidates of the officer's country, best first; ``?claim=ID`` keeps one claim's."""
    claim_id = request.args.get("claim", type=int)
    rows = decisions.queue(get_session(), _user(), claim_id=claim_id)
    return render_template(
        "review/queue.html",
        rows=rows,
        claim_id=claim_id,
        right_title=presenters.right_title,
        labels=presenters.DECISION_LABELS,
    )


def _compare_page(
    candidate: MatchCandidate, errors: dict[str, Any] | None = None, status: int = 200
) -> ResponseReturnValue:
    session = get_session()
    left = presenters.claim_side(
        session,
        candidate.left_claim,
        url_for("cases.detail", claim_id=candidate.left_claim_id),
        sight(current_user, candidate.left_claim),
    )
    if candidate.right_claim is not None:
        right = presenters.claim_side(
            session,
            candidate.right_claim,
            url_for("cases.detail", claim_id=candidate.right_claim.id),
            sight(current_user, candidate.right_claim),
        )
    elif candidate.right_sighting is not None:
        right = presenters.sighting_side(
            session,
            candidate.right_sighting,
            url_for("sightings.detail", sighting_id=candidate.right_sighting.id),
        )
    else:  # the schema's CHECK constraint forbids it: a broken row is a server error
        raise RuntimeError(f"match candidate {candidate.id} has no right-hand record")
    return render_template(
        "review/compare.html",
        candidate=candidate,
        left=left,
        right=right,
        errors=errors or {},
        values=request.form if errors else {},
        labels=presenters.DECISION_LABELS,
        statuses=presenters.CANDIDATE_STATUS_LABELS,
    ), status


@bp.get("/candidates/<int:candidate_id>")
def compare(candidate_id: int) -> ResponseReturnValue:
    """Both records side by side, the reasons, and the confirm and reject forms."""
    session = get_session()
    candidate = decisions.get_candidate(session, _user(), candidate_id, ip=g.client_ip)
    session.commit()  # the audit of this view
    return _compare_page(candidate)


def _decide(candidate_id: int, action: str) -> ResponseReturnValue:
    session, user = get_session(), _user()
    candidate = decisions.get_candidate(session, user, candidate_id, ip=g.client_ip)
    try:
        if action == "confirm":
            casework.candidate_confirmed(session, user, candidate, form_text(request.form, "note"), ip=g.client_ip)
        else:
            casework.candidate_rejected(session, user, candidate, form_text(request.form, "reason"), ip=g.client_ip)
    except ValidationFailed as error:
        session.rollback()
        candidate = decisions.get_candidate(session, user, candidate_id, ip=g.client_ip)
        session.commit()
        return _compare_page(candidate, error.fields, 422)
    session.commit()
    if action == "confirm":
        flash(_("Confirmed. The link is noted on the claim's history."), "success")
        return redirect(url_for("cases.detail", claim_id=candidate.left_claim_id), 303)
    flash(_("Rejected. The candidate left the queue."), "success")
    return redirect(url_for("review.queue"), 303)


@bp.post("/candidates/<int:candidate_id>/confirm")
def confirm(candidate_id: int) -> ResponseReturnValue:
    """A reviewer confirms that both records are the same person."""
    return _decide(candidate_id, "confirm")


@bp.post("/candidates/<int:candidate_id>/reject")
def reject(candidate_id: int) -> ResponseReturnValue:
    """A reviewer rejects the candidate, saying why."""
    return _decide(candidate_id, "reject")
