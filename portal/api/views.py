"""JSON API v1 (spec/api-core.md): claims, search, sightings, candidates and the OpenAPI document.

Errors are raised as PortalErrors; errors.py renders them as the spec's JSON
for every path under /api/.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import BadRequest as WerkzeugBadRequest

from portal import casework
from portal.accounts.models import Role
from portal.api import openapi, validation
from portal.api.auth import current_api_user, init_blueprint
from portal.api.inputs import SEARCH_PARAMETERS, input_components
from portal.api.serializers import candidate_json, claim_json, match_json, photos_by_claim, sighting_json
from portal.audit.services import record as audit
from portal.cases import search
from portal.cases import services as cases
from portal.cases.inputs import ClaimInput, parse_claim
from portal.cases.models import Claim
from portal.cases.rules import PUBLIC_SIGHT, Access, access, sight
from portal.cases.views import search_rate_limit
from portal.db import get_session, valid_id
from portal.errors import BadRequest, Forbidden, NotFound, Unauthorized, UnsupportedMedia, ValidationFailed
from portal.flags import decisions as flags
from portal.flags.facts import case_facts
from portal.i18n import get_locale
from portal.i18n import lazy_gettext as _l
from portal.idempotency import services as idempotency
from portal.review import decisions as review
from portal.risk.htcds import htcds_view
from portal.sightings import services as sightings
from portal.sightings.inputs import SightingInput, parse_sighting
from portal.sightings.models import Sighting
from portal.sightings.views import rate_limit as sighting_rate_limit
from portal.sightings.views import witness_key_for

bp = Blueprint("api", __name__, url_prefix="/api/v1")
init_blueprint(bp)

# A claim or sighting is a few kilobytes; nothing legitimate comes near this.
MAX_JSON_BYTES = 256 * 1024


def json_object() -> dict[str, Any]:
    """The request body as a JSON object: 415 if not JSON, 400 if malformed, 422 if not an object."""
    if not request.is_json:
        raise UnsupportedMedia(_l("Send the body as JSON (Content-Type: application/json)."))
    request.max_content_length = min(
        current_app.config.get("MAX_CONTENT_LENGTH") or MAX_JSON_BYTES,
        current_app.config.get("API_MAX_JSON_BYTES", MAX_JSON_BYTES),
    )
    try:
        data = request.get_json()
        # Lone surrogates ("\ud800") decode from JSON but cannot be stored as UTF-8.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (WerkzeugBadRequest, UnicodeEncodeError, RecursionError):
        raise BadRequest(_l("The body is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise ValidationFailed(_l("The body must be a JSON object."))
    return data


def _created(body: dict[str, Any], location: str, *, replayed: bool = False) -> Response:
    """201 with ``body`` and its Location; a repeat of an idempotent request answers the same, marked
    ``Idempotent-Replayed: true``."""
    response = jsonify(body)
    response.status_code, response.headers["Location"] = 201, location
    if replayed:
        response.headers[idempotency.REPLAYED_HEADER] = "true"
    return response


def _attempt(kind: str, user: Any, data: dict[str, Any]) -> idempotency.Attempt | None:
    """This request's idempotency attempt (its ``Idempotency-Key`` header); None without the header."""
    return idempotency.api_attempt(kind, user, request.headers.get(idempotency.HEADER), data)


def _reviewable_claim(user: Any, claim_id: int) -> Claim:
    """A claim whose candidates ``user`` may list: 404 if they may not see it at all, 403 if they see it
    (so know that it exists) but are not the police of a country it concerns."""
    claim = get_session().get(Claim, claim_id) if valid_id(claim_id) else None
    seen = access(user, claim) if claim is not None else Access.NONE
    if claim is None or seen == Access.NONE:
        raise NotFound()
    if seen != Access.POLICE or not review.may_review_matches(user):
        raise Forbidden(_l("Only the police of the countries a claim concerns see its match candidates."))
    return claim


@bp.post("/claims")
def file_claim() -> ResponseReturnValue:
    """File a claim with a family or police token; 201 with the claim as its filer sees it."""
    user = current_api_user()
    if not user.is_authenticated:
        raise Unauthorized()
    if user.role not in cases.FILING_ROLES:
        raise Forbidden(_l("This account may not file claims."))
    session, today = get_session(), date.today()
    members = [c.code for c in cases.member_countries(session)]
    data = json_object()

    def parse() -> ClaimInput:
        return parse_claim(data, today=today, require_reporter=user.role == Role.FAMILY, member_countries=members)

    validation.check(validation.body_errors(data, "ClaimInput", input_components(members, today)), parse)

    def create() -> Claim:
        return casework.claim_filed(session, user, parse(), ip=g.client_ip)

    done = idempotency.run_once(session, _attempt("claim", user, data), Claim, create)
    claim = done.record
    # The filer reads back what they sent, even a draft of another country their role cannot open later.
    body = claim_json(claim, sight(user, claim))
    session.commit()
    return _created(body, url_for("api.get_claim", claim_id=claim.id), replayed=done.replayed)


@bp.get("/claims/<int:claim_id>")
def get_claim(claim_id: int) -> ResponseReturnValue:
    """One claim with the fields the caller may see; views of restricted data are audited."""
    session = get_session()
    user = current_api_user()
    claim, seen = cases.get_claim(session, user, claim_id, ip=g.client_ip)
    found = flags.risk_for(session, user, claim)  # None unless police with police access
    # The HTCDS view goes with the risk only: the same readers (police with police access).
    hte = htcds_view(case_facts(session, claim, date.today())) if found is not None else None
    body = claim_json(
        claim,
        seen,
        photos_by_claim(session, [claim.id])[claim.id],
        risk=found.result if found is not None else None,
        htcds=hte,
    )
    session.commit()
    return jsonify(body)


@bp.get("/claims")
@search_rate_limit
def search_claims() -> ResponseReturnValue:
    """Search the claims the caller may see; items carry public fields, details come from GET by id."""
    session, user = get_session(), current_api_user()
    validation.check(
        validation.query_errors(request.args, SEARCH_PARAMETERS), lambda: search.parse_search(request.args)
    )
    query = search.parse_search(request.args)
    found = search.search_claims(session, user, query, per_page=int(current_app.config["SEARCH_PAGE_SIZE"]))
    photos = photos_by_claim(session, [c.id for c in found.claims])
    items = [
        {**claim_json(hit.claim, PUBLIC_SIGHT, photos[hit.claim.id]), "match": match_json(hit)} for hit in found.hits
    ]
    if user.is_authenticated:
        # Staff and families may list unpublished claims: who listed which is kept, never the query text.
        audit(
            session, user, "claim.search", "claim", "", g.client_ip, ids=[c.id for c in found.claims], total=found.total
        )
    session.commit()
    page = {"items": items, "total": found.total, "total_is_lower_bound": found.more}
    return jsonify({**page, "page": found.page, "per_page": found.per_page})


@bp.get("/claims/<int:claim_id>/candidates")
def claim_candidates(claim_id: int) -> ResponseReturnValue:
    """Police: open and confirmed match candidates of a claim, best first (rejected ones left out).

    The same rule as the review pages: candidates the caller may review (review/decisions.py).
    """
    session, user = get_session(), current_api_user()
    claim = _reviewable_claim(user, claim_id)
    found = review.for_claim(session, user, claim)
    audit(session, user, "match.list", "claim", claim.id, g.client_ip, candidates=[c.id for c in found])
    session.commit()
    return jsonify([candidate_json(c, claim.id) for c in found])


@bp.post("/sightings")
@sighting_rate_limit
def report_sighting() -> ResponseReturnValue:
    """Report a sighting (anyone); 201 with public fields, or everything for a police caller."""
    user, session, today = current_api_user(), get_session(), date.today()
    members = [c.code for c in cases.member_countries(session)]
    data = json_object()

    def parse() -> SightingInput:
        return parse_sighting(data, today=today, member_countries=members)

    validation.check(validation.body_errors(data, "SightingInput", input_components(members, today)), parse)
    attempt = _attempt("sighting", user, data)
    witness_key = witness_key_for(attempt)  # a repeat gets the same private link back

    def create() -> Sighting:
        locale = str(get_locale() or "") or None
        return casework.sighting_reported(
            session, user, parse(), ip=g.client_ip, witness_key=witness_key, locale=locale
        )

    done = idempotency.run_once(session, attempt, Sighting, create)
    sighting = done.record
    # Police who may read it get back everything they sent; anyone else only what the public may know,
    # with the reference to quote and the private link to add information later.
    body = sighting_json(sighting, full=sightings.may_read(session, user, sighting))
    body["witness_url"] = url_for("sightings.witness", key=witness_key, _external=True)
    session.commit()
    return _created(body, url_for("api.get_sighting", sighting_id=sighting.id), replayed=done.replayed)


@bp.get("/sightings/<int:sighting_id>")
def get_sighting(sighting_id: int) -> ResponseReturnValue:
    """Police of the countries it concerns: one sighting with the witness's contact (audited); else 404."""
    session = get_session()
    sighting = sightings.get_sighting(session, current_api_user(), sighting_id, ip=g.client_ip)
    body = sighting_json(sighting, full=True, photos=sightings.sighting_photos(session, sighting.id))
    session.commit()
    return jsonify(body)


@bp.get("/openapi.json")
def openapi_document() -> ResponseReturnValue:
    """The OpenAPI 3.1 document of this API (the member countries are read from the database)."""
    members = [c.code for c in cases.member_countries(get_session())]
    base = url_for("api.openapi_document").rsplit("/", 1)[0]
    return jsonify(openapi.document(sorted(members), date.today(), base))
