"""Pages of the notifications: the public's subscriptions to a claim, and the admins' outbox."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.accounts.models import User
from portal.cases.presenters import public_name
from portal.db import get_session
from portal.errors import NotFound, ValidationFailed
from portal.extensions import csrf, limiter
from portal.i18n import get_locale
from portal.i18n import gettext as _
from portal.notify import outbox, subscriptions
from portal.security import login_required

bp = Blueprint("notify", __name__)


@bp.post("/claims/<reference>/subscribe")
@limiter.limit("10/hour")
def subscribe(reference: str) -> ResponseReturnValue:
    """Ask for e-mails about a published claim; one answer whether or not the address was known."""
    session = get_session()
    claim = subscriptions.public_claim(session, reference)
    try:
        subscriptions.subscribe(session, claim, request.form.get("email", ""), str(get_locale()), ip=g.client_ip)
    except ValidationFailed as error:
        return render_template(
            "notify/subscribe.html", claim=claim, name=public_name(claim), values=request.form, errors=error.fields
        ), 422
    session.commit()
    flash(_("If the address is valid, we sent a message to confirm. Open the link in it to get the news."), "success")
    return redirect(url_for("cases.public", reference=claim.reference), 303)


@bp.get("/subscriptions/confirm/<token>")
def confirm(token: str) -> ResponseReturnValue:
    """The link of the confirmation e-mail asks for a press of a button: mail scanners open links, and
    a subscription confirmed by a scanner would defeat the double opt-in."""
    session = get_session()
    subscription = subscriptions.find_for_confirm(session, token)
    reference = subscriptions.claim_reference(session, subscription)
    if subscription.confirmed_at is not None:
        return render_template("notify/subscription_confirmed.html", reference=reference)
    return render_template("notify/subscription_confirm.html", token=token, reference=reference)


@bp.post("/subscriptions/confirm/<token>")
def confirm_now(token: str) -> ResponseReturnValue:
    """The subscription starts (pressing twice changes nothing)."""
    session = get_session()
    subscription = subscriptions.confirm(session, token, ip=g.client_ip)
    session.commit()
    reference = subscriptions.claim_reference(session, subscription)
    return render_template("notify/subscription_confirmed.html", reference=reference)


@bp.get("/subscriptions/unsubscribe/<token>")
def unsubscribe(token: str) -> ResponseReturnValue:
    """Ask before ending: mail scanners open the links of e-mails, and only a person presses a button."""
    session = get_session()
    subscription = subscriptions.find_for_unsubscribe(session, token)
    reference = subscriptions.claim_reference(session, subscription) if subscription else ""
    return render_template(
        "notify/unsubscribe.html", token=token, pending=subscription is not None, reference=reference
    )


@bp.post("/subscriptions/unsubscribe/<token>")
def unsubscribe_now(token: str) -> ResponseReturnValue:
    """End the subscription; a second time says the same."""
    session = get_session()
    subscriptions.unsubscribe(session, token, ip=g.client_ip)
    session.commit()
    return render_template("notify/unsubscribe.html", token=token, pending=False, reference="")


# This POST is also RFC 8058's one-click unsubscribe (List-Unsubscribe-Post), which mail providers
# send with no session, hence no CSRF token: the signed token in the URL is the proof, and all it
# can do is stop mail. (Called, not used as a decorator: Flask-WTF is untyped.)
csrf.exempt(unsubscribe_now)


@bp.get("/admin/outbox")
@login_required
def outbox_page() -> ResponseReturnValue:
    """Admins: how many messages wait, were sent or died, and the dead ones, to send again."""
    if current_user.role != "admin":
        raise NotFound()
    session = get_session()
    return render_template("notify/outbox.html", counts=outbox.counts(session), dead=outbox.dead_letters(session))


@bp.post("/admin/outbox/<int:message_id>/retry")
@login_required
def retry(message_id: int) -> ResponseReturnValue:
    """Admins: send a dead message again (after the mail server or the address was fixed)."""
    session = get_session()
    outbox.retry(session, session.get_one(User, current_user.id), message_id, ip=g.client_ip)
    session.commit()
    flash(_("The message will be sent again."), "success")
    return redirect(url_for("notify.outbox_page"), 303)
