"""The OpenAPI 3.1 document of API v1, written by hand so that it says what the code does.

What the API accepts is in inputs.py, and the views check requests against those same objects
(validation.py); the answers' schemas are in schemas.py. This module holds the paths and the document.
tests/api/test_openapi.py and tests/api/test_schemathesis.py run schemathesis against it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from portal.api.inputs import CASCADE_PARAMETERS, SEARCH_PARAMETERS, input_components
from portal.api.schemas import (
    CANDIDATE,
    CASCADE,
    CASCADE_LEVEL,
    CASCADE_SESSION,
    CLAIM,
    ERROR,
    EVIDENCE,
    HTCDS,
    INDICATOR,
    JSON,
    NOTE,
    PHOTO,
    RECRUITER,
    RISK,
    SEARCH_PAGE,
    SIGHTING,
    TRAINEE,
    TRAINING_ENROLMENT,
    TRAINING_SESSION,
    _answer,
    _errors,
    _int,
    _ref,
    _s,
)
from portal.db import MAX_ID


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _path_id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": _int(1, MAX_ID)}


OPTIONAL_AUTH: list[dict[str, list[str]]] = [{}, {"bearerAuth": []}]
TOKEN_AUTH: list[dict[str, list[str]]] = [{"bearerAuth": []}]

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


def _body(name: str) -> dict[str, Any]:
    return {"required": True, "content": {JSON: {"schema": _ref(name)}}}


_SESSION_404 = "A session the caller may not see answers 404 as one that does not exist."
_CHANGES = "Its trainer (or an admin) only; a closed or cancelled session answers 409 `session_closed`."
SESSION_CLOSED = _answer("The session is closed or cancelled (`session_closed`, `fields.status`).", _ref("Error"))
ENROLMENT_REFUSED = _answer(
    "The session is closed or cancelled (`session_closed`), full (`session_full`), or the person is already "
    "enrolled in it (`already_enrolled`); `fields` names the field concerned.",
    _ref("Error"),
)
NOT_CERTIFIABLE = _answer(
    "The trainee has not done every exercise (`exercises_missing`): `fields.exercises` lists the missing ones.",
    _ref("Error"),
)


def _training_paths() -> dict[str, Any]:
    """The training API (spec/training.md; api/training.py): a trainer's token acts for the trainer."""
    session_id = _path_id("session_id")
    return {
        "/training/sessions": {
            "post": {
                "operationId": "createTrainingSession",
                "summary": "Trainer: plan a session.",
                "description": "Trainers (in their own country) and admins; any other account gets 404. "
                "The session is `planned` until its first trainee is enrolled.",
                "security": TOKEN_AUTH,
                "requestBody": _body("TrainingSessionInput"),
                "responses": {
                    "201": _answer(
                        "The new session.", _ref("TrainingSession"), headers={"Location": CREATED_HEADERS["Location"]}
                    ),
                    **_errors(400, 401, 404, 413, 415, 422),
                },
            }
        },
        "/training/sessions/{session_id}": {
            "get": {
                "operationId": "getTrainingSession",
                "summary": "A session with its trainees, attendance and exercises.",
                "description": f"Its trainer, the coordinators of its country and admins. {_SESSION_404}",
                "security": TOKEN_AUTH,
                "parameters": [session_id],
                "responses": {"200": _answer("The session.", _ref("TrainingSession")), **_errors(401, 404)},
            }
        },
        "/training/sessions/{session_id}/trainees": {
            "post": {
                "operationId": "enrolTrainee",
                "summary": "Trainer: enrol an officer, or make a trainee account.",
                "description": f"{_CHANGES} {_SESSION_404} The session's practice space opens with its first trainee.",
                "security": TOKEN_AUTH,
                "parameters": [session_id],
                "requestBody": _body("TrainingEnrolmentInput"),
                "responses": {
                    "201": _answer("The trainee's account, and its API token if new.", _ref("TrainingEnrolment")),
                    **_errors(400, 401, 404, 413, 415, 422),
                    "409": ENROLMENT_REFUSED,
                },
            }
        },
        "/training/sessions/{session_id}/attendance": {
            "post": {
                "operationId": "recordTrainingAttendance",
                "summary": "Trainer: record whether a trainee attended.",
                "description": f"{_CHANGES} {_SESSION_404} A `trainee_id` not enrolled in it answers 404.",
                "security": TOKEN_AUTH,
                "parameters": [session_id],
                "requestBody": _body("TrainingAttendanceInput"),
                "responses": {
                    "200": _answer("The session.", _ref("TrainingSession")),
                    **_errors(400, 401, 404, 413, 415, 422),
                    "409": SESSION_CLOSED,
                },
            }
        },
        "/training/sessions/{session_id}/trainees/{trainee_id}/certify": {
            "post": {
                "operationId": "certifyTrainee",
                "summary": "Trainer: certify a trainee who did every exercise.",
                "description": "Its trainer (or an admin), also once the session is closed. No body. "
                f"{_SESSION_404} So does a cancelled session, and a trainee not enrolled in it.",
                "security": TOKEN_AUTH,
                "parameters": [session_id, _path_id("trainee_id")],
                "responses": {
                    "200": _answer("The session.", _ref("TrainingSession")),
                    **_errors(401, 404),
                    "409": NOT_CERTIFIABLE,
                },
            }
        },
        "/training/sessions/{session_id}/close": {
            "post": {
                "operationId": "closeTrainingSession",
                "summary": "Trainer: close a session; its practice space is deleted.",
                "description": f"No body. {_CHANGES} {_SESSION_404} What each trainee did is kept.",
                "security": TOKEN_AUTH,
                "parameters": [session_id],
                "responses": {
                    "200": _answer("The closed session.", _ref("TrainingSession")),
                    **_errors(401, 404),
                    "409": SESSION_CLOSED,
                },
            }
        },
        "/training/cascade": {
            "get": {
                "operationId": "getTrainingCascade",
                "summary": "A country's cascade: its sessions as a tree, and the figures per level.",
                "description": "Coordinators and trainers of the country, and admins.",
                "security": TOKEN_AUTH,
                "parameters": [
                    {**_query(name, schema, text), "required": True} for name, schema, text in CASCADE_PARAMETERS
                ],
                "responses": {"200": _answer("The cascade.", _ref("TrainingCascade")), **_errors(401, 404, 422)},
            }
        },
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
                "parameters": [_query(name, schema, text) for name, schema, text in SEARCH_PARAMETERS],
                "responses": {
                    "200": _answer("One page of results (public fields).", _ref("SearchPage")),
                    **_errors(401, 422, 429),
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
                "other record's id; `reasons` are the engine's codes, such as `given=nickname(lupe)`. "
                "A caller who sees the claim but may not review it (its filer, the police of an unlinked "
                "country) gets 403.",
                "security": TOKEN_AUTH,
                "parameters": [_path_id("claim_id")],
                "responses": {
                    "200": _answer("Candidates.", _s("array", items=_ref("Candidate"))),
                    **_errors(401, 403, 404),
                },
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
                "description": "The account that reported it but may not read it gets 403 (it adds to its "
                "report through the private link, `witness_url`); anyone else 404.",
                "security": TOKEN_AUTH,
                "parameters": [_path_id("sighting_id")],
                "responses": {"200": _answer("The sighting.", _ref("Sighting")), **_errors(401, 403, 404)},
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
        **_training_paths(),
    }


def document(members: list[str], today: date, server_url: str = "/api/v1") -> dict[str, Any]:
    """The OpenAPI 3.1 document for these member countries on ``today`` (dates may not be later), with
    ``server_url`` as the base of every path."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Missing Persons Network API",
            "version": "1",
            "description": "Without a token a request acts as the public; an operation that needs a token "
            "answers 401 without one, whatever it asks for. Errors are "
            '{"error": {"code", "message", "fields"}}. Records the caller may not '
            "see answer 404. A body or search that this document refuses is refused (422, naming each "
            "field, unknown ones too); in an optional field, null is the same as leaving it out.",
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
                **input_components(members, today),
                "Claim": CLAIM,
                "Note": NOTE,
                "Photo": PHOTO,
                "Sighting": SIGHTING,
                "Candidate": CANDIDATE,
                "Risk": RISK,
                "Htcds": HTCDS,
                "Recruiter": RECRUITER,
                "RiskIndicator": INDICATOR,
                "RiskEvidence": EVIDENCE,
                "SearchPage": SEARCH_PAGE,
                "TrainingSession": TRAINING_SESSION,
                "TrainingTrainee": TRAINEE,
                "TrainingEnrolment": TRAINING_ENROLMENT,
                "TrainingCascade": CASCADE,
                "TrainingCascadeLevel": CASCADE_LEVEL,
                "TrainingCascadeSession": CASCADE_SESSION,
                "Error": ERROR,
            },
        },
    }
