"""JSON Schemas of API v1's answers (claims, sightings, risk, training, errors) and the helpers that write them.

What the API accepts is in inputs.py.

Codes come from the vocabularies in cases/codes.py, sightings/codes.py and risk/facts.py, so a new
code appears here by itself.
"""

from __future__ import annotations

from typing import Any

from portal.cases.codes import CIRCUMSTANCES, PUBLICATIONS, SEXES, STATUSES, VISIBILITIES
from portal.risk.facts import (
    IDENTIFIER_KINDS,
    NOTE_FLAGS,
)
from portal.training.models import EXERCISES, SessionStatus, TraineeKind

JSON = "application/json"
DAY = {"type": "string", "format": "date", "description": "YYYY-MM-DD"}


def _s(kind: str | list[str], **extra: Any) -> dict[str, Any]:
    return {"type": kind, **extra}


def _text(max_len: int) -> dict[str, Any]:
    return _s("string", maxLength=max_len)


def _int(low: int, high: int) -> dict[str, Any]:
    return _s("integer", minimum=low, maximum=high)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict[str, Any], required: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(required), **extra}


def _answer(description: str, schema: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": description, **extra}
    if schema is not None:
        answer["content"] = {JSON: {"schema": schema}}
    return answer


def _errors(*statuses: int) -> dict[str, Any]:
    meaning = {
        400: "Malformed request (for example a body that is not valid JSON).",
        401: "The token is missing where one is needed, unknown or revoked.",
        403: "The account's role may not do this.",
        404: "No such record, or the caller may not see it.",
        409: "Another request with this `Idempotency-Key` is still being processed (`idempotency_key_in_progress`).",
        413: "The body is too large.",
        415: "The body is not JSON.",
        422: "Some fields need correcting; `fields` says which and why.",
        429: "Too many requests from this address; try again later.",
        414: "The address (with its query) is longer than 4,096 bytes.",
        431: "A request header is larger than 6,144 bytes.",
    }
    # Any request may be too long: every operation can answer 414 and 431.
    return {str(code): _answer(meaning[code], _ref("Error")) for code in (*statuses, 414, 431)}


RECRUITER = _object(
    {
        "kind": _s("string", enum=list(IDENTIFIER_KINDS)),
        "value": _s(
            "string",
            description="Normalised: phone digits with the country code, handle without @ in lower case, plate "
            "letters and digits.",
        ),
    },
    ("kind", "value"),
    description="A phone, social-media handle or vehicle plate of whoever made the offer or took the person.",
)


PHOTO = _object(
    {
        "id": _s("integer"),
        "url": _s("string"),
        "thumb_url": _s("string"),
        "width": _s("integer"),
        "height": _s("integer"),
    },
    ("id", "url", "thumb_url"),
)

NOTE = _object(
    {
        "id": _s("integer"),
        "created_at": _s("string", format="date-time"),
        "kind": _s("string"),
        "visibility": _s("string", enum=list(VISIBILITIES)),
        "text": _s("string"),
        "status_before": _s(["string", "null"]),
        "status_after": _s(["string", "null"]),
        "author_id": _s(["integer", "null"], description="Police only."),
        "details": _s("object", description="Police only: structured facts (field names, decisions)."),
        "flags": _s(
            "array", items=_s("string", enum=list(NOTE_FLAGS)), description="Police only: what an officer observed."
        ),
    },
    ("id", "created_at", "kind", "visibility", "text"),
)

EVIDENCE = _object(
    {
        "record": _s("string", examples=["sighting:7"]),
        "field": _s("string"),
        "value": _s("string"),
        "reported_by": _s("string", enum=["family", "police", "public", "system"]),
        "verified": _s("boolean"),
        "related": _s("array", items=_s("string")),
    },
    ("record", "field", "value", "reported_by", "verified"),
)

INDICATOR = _object(
    {
        "id": _s("string", examples=["R1"]),
        "grade": _s(["string", "null"], description="S, M, W (or mod)."),
        "reason": _s("string", description="The indicator's text in English."),
        "evidence": _s("array", items=_ref("RiskEvidence")),
    },
    ("id", "grade", "reason", "evidence"),
    description="Extra keys (dimension, sources, text by language) may follow.",
)

RISK = _object(
    {
        "level": _s(
            "integer",
            enum=[0, 1, 2],
            description="0 no flag, 1 review for indicators, 2 priority: possible trafficking. Never a probability.",
        ),
        "indicators": _s("array", items=_ref("RiskIndicator")),
        "rules_version": _s("string"),
    },
    ("level", "indicators", "rules_version"),
    description="Police only: trafficking indicators, not a determination. Extra keys (minor, next_step, "
    "context, missing, ...) may follow.",
)

HTCDS = _object(
    {
        "prs_Gender": _s("string", enum=["Male", "Female", "Transgender/NonConforming", "Unknown"]),
        "vic_MethodsOfControl": _s("array", items=_s("string")),
        "vic_TypeOfLabourExploitation": _s("array", items=_s("string")),
        "per_RoleInProcess": _s("array", items=_s("string")),
        "recruiters": _s(
            "array",
            items=_s("object", additionalProperties=True),
            description="per_RoleInProcess and prs_MobilePhone (E.164); handles, plates and non-E.164 "
            "phones under portal: keys (HTCDS has no field).",
        ),
        "hte": _s(
            "array",
            items=_s("object", additionalProperties=True),
            description="hte_Type (Recruitment, Transit, Exploitation), hte_Country, hte_Date.",
        ),
        "unmapped": _s("array", items=_s("string"), description="The case's portal codes with no HTCDS equivalent."),
    },
    additionalProperties=True,
    description="Police only: the case's facts in IOM HTCDS field names and values (portal.risk.htcds); "
    "no name of the person.",
)

CLAIM = _object(
    {
        "id": _s("integer"),
        "reference": _s("string", examples=["BO-2026-000123"]),
        "status": _s("string", enum=list(STATUSES)),
        "publication": _s("string", enum=list(PUBLICATIONS), description="Police only."),
        "given_names": _s("string"),
        "first_surname": _s("string"),
        "second_surname": _s("string"),
        "aliases": _s("array", items=_s("string")),
        "sex": _s("string", enum=[*SEXES, ""]),
        "birth_date": _s(["string", "null"], description="YYYY-MM-DD, YYYY-MM or YYYY as known."),
        "age_min": _s(["integer", "null"], description="Lowest age when last seen."),
        "age_max": _s(["integer", "null"], description="Highest age when last seen."),
        "document_id": _s("string"),
        "nationality": _s("string"),
        "country": _s("string"),
        "place": _s("string"),
        "event_date": _s(["string", "null"], format="date"),
        "height_cm": _s(["integer", "null"]),
        "build": _s("string"),
        "hair": _s("string"),
        "eyes": _s("string"),
        "distinguishing_marks": _s("string"),
        "clothing": _s("string"),
        "description": _s("string"),
        "circumstances": _s("array", items=_s("string", enum=list(CIRCUMSTANCES))),
        "circumstances_text": _s("string"),
        "reporter_name": _s("string"),
        "reporter_relation": _s("string"),
        "reporter_contact": _s("string"),
        "guardian_consent": _s("boolean"),
        "police_case_number": _s("string"),
        "owner_country": _s("string"),
        "agency": _s("string"),
        "version": _s("integer"),
        "created_at": _s("string", format="date-time"),
        "updated_at": _s("string", format="date-time"),
        "validated_at": _s(["string", "null"], format="date-time"),
        "photos": _s("array", items=_ref("Photo")),
        "notes": _s("array", items=_ref("Note")),
        "offer": {**_ref("Offer"), "description": "The reporting family and the police only."},
        "recruiters": _s("array", items=_ref("Recruiter"), description="The reporting family and the police only."),
        "prior_disappearances": _s(["integer", "null"]),
        "missing_from_state_care": _s(["boolean", "null"]),
        "occupation": _s("string"),
        "risk": {
            **_ref("Risk"),
            "description": "Police with police access to the claim only; absent for everyone else.",
        },
        "htcds": {
            **_ref("Htcds"),
            "description": "With risk only (police with police access); absent for everyone else.",
        },
    },
    (
        "id",
        "reference",
        "status",
        "given_names",
        "first_surname",
        "sex",
        "age_min",
        "age_max",
        "event_date",
        "country",
        "place",
        "description",
        "photos",
    ),
    description="Fields by the caller's rights: the public sees the required ones only; the reporting family "
    "also the person, reporter and public/family notes; the police everything.",
)


SIGHTING = _object(
    {
        "id": _s("integer"),
        "reference": _s("string", description="What the witness quotes when calling the police."),
        "witness_url": _s(
            "string",
            format="uri",
            description="Only in the answer to the report: the witness's private link to add information "
            "later. Shown once; keep it private.",
        ),
        "event_date": _s("string", format="date"),
        "country": _s("string"),
        "place": _s("string"),
        "venue": _s("string"),
        "companion": _s("string"),
        "name_heard": _s("string"),
        "sex": _s("string"),
        "age_min": _s(["integer", "null"]),
        "age_max": _s(["integer", "null"]),
        "height_cm": _s(["integer", "null"]),
        "marks": _s("string"),
        "description": _s("string"),
        "reporter_contact": _s("string"),
        "verified": _s("boolean"),
        "status": _s("string", enum=["open", "closed"]),
        "conditions": _s("array", items=_s("string")),
        "free_to_leave": _s("string"),
        "created_at": _s("string", format="date-time"),
        "photos": _s("array", items=_ref("Photo")),
    },
    ("id", "reference", "event_date", "country", "place", "venue", "companion"),
    description="The public (and the reporter) get the required fields; the police of the countries the "
    "sighting concerns everything, the witness's contact included.",
)

CANDIDATE = _object(
    {
        "record_type": _s("string", enum=["sighting", "claim"]),
        "id": _s("integer"),
        "score": _s("number", minimum=0, maximum=1),
        "reasons": _s("array", items=_s("string")),
    },
    ("record_type", "id", "score", "reasons"),
)

ERROR = _object(
    {
        "error": _object(
            {
                "code": _s("string"),
                "message": _s("string"),
                "fields": _s("object", additionalProperties={"oneOf": [_s("string"), _s("array", items=_s("string"))]}),
            },
            ("code", "message", "fields"),
        )
    },
    ("error",),
)

SEARCH_MATCH = _object(
    {
        "score": _s("number", minimum=0, maximum=1),
        "words": _s(
            "array",
            items=_object(
                {
                    "word": _s("string"),
                    "matched": _s("string"),
                    "kind": _s("string", enum=["exact", "phonetic", "nickname", "typo", "missing"]),
                },
                ("word", "matched", "kind"),
            ),
        ),
    },
    ("score", "words"),
)

SEARCH_PAGE = _object(
    {
        "items": _s("array", items={"allOf": [_ref("Claim"), _object({"match": SEARCH_MATCH}, ("match",))]}),
        "total": _s("integer", minimum=0, description="Claims found, counted up to 1,000."),
        "total_is_lower_bound": _s("boolean", description="More claims than total were found: narrow the search."),
        "page": _s("integer", minimum=1),
        "per_page": _s("integer", minimum=1, maximum=100),
    },
    ("items", "total", "total_is_lower_bound", "page", "per_page"),
)


# The training API (spec/training.md, api/training.py): the names are fixed there; everything may grow.
TRAINEE = _object(
    {
        "trainee_id": _s("integer", description="The trainee's account."),
        "name": _s("string"),
        "kind": _s("string", enum=[kind.value for kind in TraineeKind]),
        "agency": _s("string"),
        "present": _s(["boolean", "null"], description="null: attendance not recorded yet."),
        "exercises": _object(
            {name: _s("boolean") for name in EXERCISES},
            EXERCISES,
            description="Each exercise, done or not: read from what the trainee did in the practice space.",
        ),
        "certified": _s("boolean"),
    },
    ("trainee_id", "name", "kind", "agency", "present", "exercises", "certified"),
)

TRAINING_SESSION = _object(
    {
        "id": _s("integer"),
        "title": _s("string"),
        "country": _s("string"),
        "district": _s("string"),
        "place": _s("string"),
        "starts_on": _s("string", format="date"),
        "language": _s("string"),
        "capacity": _s("integer", minimum=1),
        "parent_session_id": _s(["integer", "null"]),
        "trainer_id": _s("integer"),
        "level": _s("integer", minimum=1, description="1 with no parent, the parent's level + 1 otherwise."),
        "status": _s("string", enum=[status.value for status in SessionStatus]),
        "trainees": _s("array", items=_ref("TrainingTrainee"), description="In the order they were enrolled."),
    },
    (
        "id",
        "title",
        "country",
        "district",
        "place",
        "starts_on",
        "language",
        "capacity",
        "parent_session_id",
        "trainer_id",
        "level",
        "status",
        "trainees",
    ),
)

TRAINING_ENROLMENT = _object(
    {
        "trainee_id": _s("integer"),
        "token": _s(
            ["string", "null"],
            description="An API token of the new trainee account, shown once; null for an existing officer.",
        ),
    },
    ("trainee_id", "token"),
)

# Trained: enrolled and not marked absent; certified: certified by their trainer. Police and civil
# society apart as well (training/cascade.py).
_COUNTS = ("trained", "certified", "police", "civil_society", "certified_police", "certified_civil_society")

CASCADE_LEVEL = _object(
    {"level": _s("integer", minimum=1), "sessions": _s("integer", minimum=0)}
    | {name: _s("integer", minimum=0) for name in _COUNTS},
    ("level", "sessions", *_COUNTS),
)

CASCADE_SESSION = _object(
    {
        "id": _s("integer"),
        "title": _s("string"),
        "level": _s("integer", minimum=1),
        "district": _s("string"),
        "starts_on": _s("string", format="date"),
        "status": _s("string", enum=[status.value for status in SessionStatus]),
        "trainer_id": _s("integer"),
    }
    | {name: _s("integer", minimum=0) for name in _COUNTS}
    | {"children": _s("array", items=_ref("TrainingCascadeSession"), description="The sessions a level below.")},
    ("id", "title", "level", "district", "starts_on", "status", "trainer_id", *_COUNTS, "children"),
)

CASCADE = _object(
    {
        "country": _s("string"),
        "levels": _s("array", items=_ref("TrainingCascadeLevel"), description="By level, from 1."),
        "sessions": _s(
            "array", items=_ref("TrainingCascadeSession"), description="The tree's roots; cancelled sessions left out."
        ),
    },
    ("country", "levels", "sessions"),
)
