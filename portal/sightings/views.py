"""Sighting pages: anyone tells the police they saw someone (with an optional photo) and may add to it
later through a private link; officers work the sightings they may read on the desk."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.orm import Session

from portal import casework
from portal.cases.forms import form_text
from portal.cases.models import Claim
from portal.cases.rules import Access
from portal.cases.services import get_claim_by_reference, member_countries
from portal.db import get_session
from portal.errors import NotFound, PayloadTooLarge, UnsupportedMedia, ValidationFailed
from portal.extensions import limiter
from portal.i18n import get_locale
from portal.i18n import gettext as _
from portal.idempotency import services as idempotency
from portal.photos.decoding import PhotoLimits
from portal.photos.location import photo_dir
from portal.photos.storage import PhotoNotStored, PhotoStore
from portal.review import decisions as review
from portal.review import presenters as review_presenters
from portal.security import login_required
from portal.sightings import services
from portal.sightings.inputs import parse_sighting
from portal.sightings.models import Sighting
from portal.template_helpers import country_name

bp = Blueprint("sightings", __name__)


def _rate() -> str:
    return str(current_app.config.get("SIGHTING_RATE_LIMIT", "30/hour"))


# One budget per address for the page and the API together (the API decorates its view with this too).
rate_limit = limiter.shared_limit(_rate, scope="sighting-report", methods=["POST"])


def _photo_bytes() -> bytes | None:
    upload = request.files.get("photo")
    # A form without a chosen file still sends an empty part.
    return (upload.read() or None) if upload is not None and upload.filename else None


RECEIPT = "witness_receipt"  # the reference and private link, kept in the session for the thanks page


def witness_key_for(attempt: idempotency.Attempt | None) -> str:
    """The secret of the witness's private link: derived from the idempotency key, so that a repeat of
    the report shows the same link; random for a report without a key."""
    if attempt is None:
        return services.new_witness_key()
    return idempotency.derived_secret(current_app.secret_key or "", attempt, "witness-link")


def _send(session: Session, claim: Claim | None, countries: list[str]) -> tuple[dict[str, Any], dict[str, str], int]:
    """Record the posted sighting, once however many times the same form is sent; return the errors to
    show (none when it was saved), the witness's receipt (reference and private link's key; empty
    when nothing was saved) and the status of the page that shows the errors."""
    data = {
        **request.form.to_dict(),
        "conditions": request.form.getlist("conditions"),
        "claim_reference": claim.reference if claim else "",
    }
    photo = _photo_bytes()
    attempt = idempotency.form_attempt(
        "sighting", current_user, request.form.to_dict(flat=False), [("photo", photo)] if photo else []
    )
    witness_key = witness_key_for(attempt)

    def create() -> Sighting:
        parsed = parse_sighting(data, today=date.today(), member_countries=countries)
        return casework.sighting_reported(
            session,
            current_user,
            parsed,
            ip=g.client_ip,
            witness_key=witness_key,
            locale=str(get_locale() or "") or None,
            photo=photo,
            store=PhotoStore(photo_dir()),
            limits=PhotoLimits.from_config(current_app.config),
        )

    try:
        sighting = idempotency.run_once(session, attempt, Sighting, create).record
    except ValidationFailed as error:
        session.rollback()
        return error.fields, {}, 422
    except (PayloadTooLarge, UnsupportedMedia, PhotoNotStored) as error:
        # The sighting and its photo are one unit: neither is kept without the other.
        session.rollback()
        return {"photo": [error.message]}, {}, 503 if isinstance(error, PhotoNotStored) else 422
    except idempotency.KeyReused:
        session.rollback()
        return {idempotency.FORM_FIELD: [idempotency.FORM_SENT_BEFORE]}, {}, 422
    return {}, {"reference": sighting.reference, "key": witness_key}, 200


@bp.route("/sightings/new", methods=["GET", "POST"])
@rate_limit
def report() -> ResponseReturnValue:
    """The sighting form; ``?claim=REFERENCE`` ties it to a claim ("I have seen this person")."""
    db = get_session()
    claim = services.claim_for_sighting(db, current_user, (request.values.get("claim") or "")[:20])
    countries = [c.code for c in member_countries(db)]
    errors: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        errors, receipt, status = _send(db, claim, countries)
        if not errors:
            db.commit()
            session[RECEIPT] = receipt  # shown once, on the thanks page
            return redirect(url_for("sightings.thanks"), 303)
    values = request.form if request.method == "POST" else {"event_date": date.today().isoformat()}
    options = sorted(((code, country_name(code)) for code in countries), key=lambda item: item[1])
    return render_template(
        "sightings/new.html",
        values=values,
        errors=errors,
        once_key=idempotency.form_key(request.form, errors),
        claim=claim,
        conditions=request.form.getlist("conditions"),
        countries=options,
        today=date.today().isoformat(),
    ), status


@bp.get("/sightings/thanks")
def thanks() -> ResponseReturnValue:
    """Thank the witness, with the reference to quote and, once, the private link; nothing they sent
    is shown back."""
    receipt = session.pop(RECEIPT, None) or {}
    link = url_for("sightings.witness", key=receipt["key"], _external=True) if receipt.get("key") else ""
    return render_template("sightings/thanks.html", reference=receipt.get("reference", ""), link=link)


@bp.route("/sightings/w/<key>", methods=["GET", "POST"])
@rate_limit
def witness(key: str) -> ResponseReturnValue:
    """The witness's private link: add what they remember. It shows nothing of the report back, so
    that a link that leaks tells nothing."""
    db = get_session()
    sighting = services.for_witness(db, key[:100])
    errors: dict[str, Any] = {}
    if request.method == "POST":
        try:
            casework.sighting_added_to(db, sighting, form_text(request.form, "text"), ip=g.client_ip)
        except ValidationFailed as error:
            db.rollback()
            errors = error.fields
        else:
            db.commit()
            flash(_("Thank you. The police will read what you added."), "success")
            return redirect(url_for("sightings.witness", key=key), 303)
    return render_template(
        "sightings/witness.html", reference=sighting.reference, errors=errors, values=request.form
    ), 422 if errors else 200


# ------------------------------------------------------------------ the desk (police)


@bp.get("/sightings")
@login_required
def desk() -> ResponseReturnValue:
    """The sightings of the officer's country and those linked to its claims, unmatched ones included."""
    if not services.may_read_sightings(current_user):
        raise NotFound()  # before reading the filters: a bad one must not show the desk either
    db, errors = get_session(), {}
    wanted = services.DeskFilter()
    try:
        wanted = services.parse_desk(request.args)
    except ValidationFailed as error:
        errors = error.fields
    if wanted.reference and not errors:
        # A witness on the phone quotes their reference: it opens that sighting, whatever the filters.
        found = services.by_reference(db, current_user, wanted.reference)
        if found is not None:
            return redirect(url_for("sightings.detail", sighting_id=found.id))
        errors = {"reference": [_("No sighting you may read has this reference.")]}
    rows, total = ([], 0) if errors else services.desk(db, current_user, wanted)
    return render_template(
        "sightings/desk.html",
        rows=rows,
        total=total,
        wanted=wanted,
        errors=errors,
        values=request.args,
        pages=max(1, -(-total // services.DESK_PAGE)),
        countries=sorted(((c.code, country_name(c.code)) for c in member_countries(db)), key=lambda i: i[1]),
        args={k: v for k, v in request.args.items() if k != "page" and v},
    ), 422 if errors else 200


def _sighting_page(
    db: Session, sighting: Sighting, errors: dict[str, Any] | None = None, status: int = 200
) -> ResponseReturnValue:
    candidates, others = review.sighting_candidates(db, current_user, sighting)
    return render_template(
        "sightings/detail.html",
        sighting=sighting,
        seen=review_presenters.sighting_side(db, sighting, ""),
        additions=services.additions(db, sighting),
        candidates=candidates,
        other_candidates=others,
        right_title=review_presenters.right_title,
        errors=errors or {},
        values=request.form if errors else {},
    ), status


@bp.get("/sightings/<int:sighting_id>")
@login_required
def detail(sighting_id: int) -> ResponseReturnValue:
    """What the witness saw, their contact, what they added, the candidates, and what to do."""
    db = get_session()
    sighting = services.get_sighting(db, current_user, sighting_id, ip=g.client_ip)
    db.commit()  # the audit of this view
    return _sighting_page(db, sighting)


@bp.post("/sightings/<int:sighting_id>/<action>")
@login_required
def act(sighting_id: int, action: str) -> ResponseReturnValue:
    """Verify the report, attach it to a claim by hand, or close it as not relevant."""
    if action not in ("verify", "attach", "close"):
        raise NotFound()
    db, officer = get_session(), current_user._get_current_object()
    sighting = services.get_sighting(db, officer, sighting_id, ip=g.client_ip)
    try:
        if action == "verify":
            casework.sighting_verified(db, officer, sighting, ip=g.client_ip)
            message = _("Marked as verified: its observations now count as verified facts.")
        elif action == "attach":
            claim = _claim_to_attach(db, officer, form_text(request.form, "claim"))
            casework.sighting_attached(db, officer, sighting, claim, form_text(request.form, "reason"), ip=g.client_ip)
            message = _(
                "Attached to claim %(reference)s. The link is noted on the claim's history.", reference=claim.reference
            )
        else:
            casework.sighting_closed(db, officer, sighting, form_text(request.form, "reason"), ip=g.client_ip)
            message = _("Closed as not relevant. Its open candidates were rejected with your reason.")
    except ValidationFailed as error:
        db.rollback()
        sighting = services.get_sighting(db, officer, sighting_id, ip=g.client_ip)
        db.commit()
        return _sighting_page(db, sighting, error.fields, 422)
    db.commit()
    flash(message, "success")
    return redirect(url_for("sightings.detail", sighting_id=sighting_id), 303)


def _claim_to_attach(db: Session, officer: Any, reference: str) -> Claim:
    """The claim an officer names by reference, if they read its identification; a field error else.

    Identification is enough to judge that two records are one person; the link then makes the
    sighting's country a linked country of the claim, which its owner country is told of.
    """
    try:
        claim, seen = get_claim_by_reference(db, officer, reference, ip=g.client_ip)
    except NotFound:
        seen = None
    if seen is None or seen.level < Access.NETWORK:
        raise ValidationFailed(fields={"claim": [_("No claim you can see has this reference.")]})
    return claim
