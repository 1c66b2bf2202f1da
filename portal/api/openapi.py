"""The OpenAPI 3.1 document of API v1, written by hand so that it says what the code does.

The bodies' schemas are in schemas.py; this module holds the paths and the
document. tests/api/test_openapi.py runs schemathesis against it to keep it honest.
"""

from __future__ import annotations

from typing import Any

from portal.api.schemas import (
    CANDIDATE,
    CLAIM,
    DAY,
    ERROR,
    EVIDENCE,
    HTCDS,
    INDICATOR,
    JSON,
    NOTE,
    OFFER,
    PHOTO,
    RECRUITER,
    RISK,
    SEARCH_PAGE,
    SIGHTING,
    _answer,
    _errors,
    _int,
    _ref,
    _s,
    _text,
    claim_input,
    sighting_input,
)
from portal.cases.codes import SEXES, STATUSES
from portal.db import MAX_ID
from portal.fields import COUNTRY_CODES


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _path_id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": _int(1, MAX_ID)}


OPTIONAL_AUTH: list[dict[str, list[str]]] = [{}, {"bearerAuth": []}]
TOKEN_AUTH: list[dict[str, list[str]]] = [{"bearerAuth": []}]

SEARCH_PARAMETERS = [
    _query(
        "q",
        _text(200),
        "Names in any order, as the matching engine reads them: accents, case, spellings that sound "
        "alike, nicknames and small slips do not matter. Police may also give a claim's reference or "
        "a document number.",
    ),
    _query("country", _s("string", enum=sorted(COUNTRY_CODES)), "Country last seen."),
    _query("status", _s("string", enum=list(STATUSES)), "Case status."),
    _query("sex", _s("string", enum=list(SEXES)), "Sex."),
    _query("age_min", _int(0, 120), "Age when last seen, at least."),
    _query("age_max", _int(0, 120), "Age when last seen, at most."),
    _query("date_from", DAY, "Last seen on or after."),
    _query("date_to", DAY, "Last seen on or before."),
    _query("place", _text(100), "Part of the place last seen."),
    _query("page", _int(1, 10_000), "Page number, from 1."),
    _query("per_page", _int(1, 100), "Results per page (20 when not given)."),
]

CREATED_HEADERS = {
    "Location": {"description": "Where the new record can be read.", "schema": _s("string")},
    "Idempotent-Replayed": {
        "description": "`true` when an earlier request with the same `Idempotency-Key` created the record: "
        "the answer is that record's, as the first request got it, and nothing new was created.",
        "schema": _s("string", enum=["true"]),
    },
}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": _s("string", minLength=16, maxLength=255, pattern="^[\\x21-\\x7e][\\x20-\\x7e]*[\\x21-\\x7e]$"),
    "description": "Optional (draft-ietf-httpapi-idempotency-key-header): 16 to 255 printable ASCII "
    "characters, such as a UUID, taken as sent (quotes included). A repeat with the same key and "
    "the same JSON body (fields in any order) within 24 hours answers 201 with the record the first "
    "one created, marked `Idempotent-Replayed: true`, and creates nothing; the same key with another "
    "body, or on the other endpoint, answers 422 `idempotency_key_reused`. Keys are the caller's "
    "own: another account's equal key is another key. A malformed key answers 400 "
    "`idempotency_key_invalid`.",
}


def _paths() -> dict[str, Any]:
    return {
        "/claims": {
            "post": {
                "operationId": "fileClaim",
                "summary": "File a claim (family or police token).",
                "security": TOKEN_AUTH,
                "parameters": [IDEMPOTENCY_KEY],
                "requestBody": {"required": True, "content": {JSON: {"schema": _ref("ClaimInput")}}},
                "responses": {
                    "201": _answer("The new draft claim.", _ref("Claim"), headers=CREATED_HEADERS),
                    **_errors(400, 401, 403, 409, 413, 415, 422),
                },
            },
            "get": {
                "operationId": "searchClaims",
                "summary": "Search the claims the caller may see, best first.",
                "security": OPTIONAL_AUTH,
                "parameters": SEARCH_PARAMETERS,
                "responses": {
                    "200": _answer("One page of results (public fields).", _ref("SearchPage")),
                    **_errors(401, 422),
                },
            },
        },
        "/claims/{claim_id}": {
            "get": {
                "operationId": "getClaim",
                "summary": "One claim, with the fields the caller may see.",
                "security": OPTIONAL_AUTH,
                "parameters": [_path_id("claim_id")],
                "responses": {"200": _answer("The claim.", _ref("Claim")), **_errors(401, 404)},
            }
        },
        "/claims/{claim_id}/candidates": {
            "get": {
                "operationId": "getClaimCandidates",
                "summary": "Police: match candidates of a claim, best first.",
                "description": "Open and confirmed candidates (rejected ones are left out) that the caller may "
                "review: an officer of a country of either record, who may see both. `id` is the "
                "other record's id; `reasons` are the engine's codes, such as `given=nickname(lupe)`.",
                "security": TOKEN_AUTH,
                "parameters": [_path_id("claim_id")],
                "responses": {"200": _answer("Candidates.", _s("array", items=_ref("Candidate"))), **_errors(401, 404)},
            }
        },
        "/sightings": {
            "post": {
                "operationId": "reportSighting",
                "summary": "Report a sighting (anyone).",
                "security": OPTIONAL_AUTH,
                "parameters": [IDEMPOTENCY_KEY],
                "requestBody": {"required": True, "content": {JSON: {"schema": _ref("SightingInput")}}},
                "responses": {
                    "201": _answer("The sighting as the caller may see it.", _ref("Sighting"), headers=CREATED_HEADERS),
                    **_errors(400, 401, 409, 413, 415, 422, 429),
                },
            }
        },
        "/sightings/{sighting_id}": {
            "get": {
                "operationId": "getSighting",
                "summary": "Police of the countries it concerns: one sighting, with the witness's contact.",
                "security": TOKEN_AUTH,
                "parameters": [_path_id("sighting_id")],
                "responses": {"200": _answer("The sighting.", _ref("Sighting")), **_errors(401, 404)},
            }
        },
        "/openapi.json": {
            "get": {
                "operationId": "getOpenApi",
                "summary": "This document.",
                "security": OPTIONAL_AUTH,
                "responses": {"200": _answer("The OpenAPI 3.1 document.", _s("object")), **_errors()},
            }
        },
    }


def document(members: list[str], server_url: str = "/api/v1") -> dict[str, Any]:
    """The OpenAPI 3.1 document for these member countries, with ``server_url`` as the base of every path."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Missing Persons Network API",
            "version": "1",
            "description": "Without a token a request acts as the public. Errors are "
            '{"error": {"code", "message", "fields"}}. Records the caller may not '
            "see answer 404.",
        },
        "servers": [{"url": server_url}],
        "paths": _paths(),
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from `portal tokens create` or the account page.",
                }
            },
            "schemas": {
                "ClaimInput": claim_input(members),
                "Claim": CLAIM,
                "Note": NOTE,
                "Photo": PHOTO,
                "SightingInput": sighting_input(members),
                "Sighting": SIGHTING,
                "Candidate": CANDIDATE,
                "Risk": RISK,
                "Htcds": HTCDS,
                "Offer": OFFER,
                "Recruiter": RECRUITER,
                "RiskIndicator": INDICATOR,
                "RiskEvidence": EVIDENCE,
                "SearchPage": SEARCH_PAGE,
                "Error": ERROR,
            },
        },
    }
