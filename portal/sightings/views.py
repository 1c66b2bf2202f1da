"""The public sighting page: anyone may tell the police they saw someone, with an optional photo."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.orm import Session

from portal import casework
from portal.cases.models import Claim
from portal.cases.services import member_countries
from portal.db import get_session
from portal.errors import PayloadTooLarge, UnsupportedMedia, ValidationFailed
from portal.extensions import limiter
from portal.photos.storage import PhotoStore
from portal.sightings import services
from portal.sightings.inputs import parse_sighting
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


def _send(session: Session, claim: Claim | None, countries: list[str]) -> dict[str, Any]:
    """Record the posted sighting; return the errors to show (none when it was saved)."""
    data = {
        **request.form.to_dict(),
        "conditions": request.form.getlist("conditions"),
        "claim_reference": claim.reference if claim else "",
    }
    try:
        parsed = parse_sighting(data, today=date.today(), member_countries=countries)
        casework.sighting_reported(
            session,
            current_user,
            parsed,
            ip=g.client_ip,
            photo=_photo_bytes(),
            store=PhotoStore(current_app.config["PHOTO_DIR"]),
            max_pixels=current_app.config["PHOTO_MAX_PIXELS"],
        )
    except ValidationFailed as error:
        session.rollback()
        return error.fields
    except (PayloadTooLarge, UnsupportedMedia) as error:
        # The sighting and its photo are one unit: neither is kept without the other.
        session.rollback()
        return {"photo": [error.message]}
    return {}


@bp.route("/sightings/new", methods=["GET", "POST"])
@rate_limit
def report() -> ResponseReturnValue:
    """The sighting form; ``?claim=REFERENCE`` ties it to a claim ("I have seen this person")."""
    session = get_session()
    claim = services.claim_for_sighting(session, current_user, (request.values.get("claim") or "")[:20])
    countries = [c.code for c in member_countries(session)]
    errors: dict[str, Any] = {}
    if request.method == "POST":
        errors = _send(session, claim, countries)
        if not errors:
            session.commit()
            return redirect(url_for("sightings.thanks"), 303)
    values = request.form if request.method == "POST" else {"event_date": date.today().isoformat()}
    options = sorted(((code, country_name(code)) for code in countries), key=lambda item: item[1])
    return render_template(
        "sightings/new.html",
        values=values,
        errors=errors,
        claim=claim,
        conditions=request.form.getlist("conditions"),
        countries=options,
        today=date.today().isoformat(),
    ), 422 if errors else 200


@bp.get("/sightings/thanks")
def thanks() -> ResponseReturnValue:
    """Thank the witness; nothing they sent is shown back."""
    return render_template("sightings/thanks.html")
