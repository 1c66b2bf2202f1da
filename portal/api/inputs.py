"""What API v1 accepts: the JSON Schemas of its request bodies and search parameters.

These objects are both published (openapi.py puts them in the document) and enforced (validation.py
checks every body and search against them before the shared parsers run), so the document cannot
say less or more than the API requires. Each is at least as strict as the parser behind it
(cases/inputs.py, sightings/inputs.py, cases/search.py, training/services.py): what the document
accepts, the portal accepts, except for the few rules JSON Schema cannot state, listed in
``x-ordered`` and the descriptions (such as a trainer's own country, or a session already full).

``null`` stands for "not given" in every optional field, as the parsers always read it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from portal.accounts.addresses import MAX_LENGTH as MAX_EMAIL
from portal.api import patterns
from portal.api.schemas import DAY, _int, _object, _ref, _s, _text
from portal.cases.codes import CIRCUMSTANCES, OCCUPATIONS, SEXES, STATUSES
from portal.cases.inputs import MAX_RECRUITERS
from portal.cases.search import MAX_PAGE, MAX_PER_PAGE
from portal.db import MAX_ID
from portal.fields import COUNTRY_CODES
from portal.i18n import ENDONYMS
from portal.risk.facts import CONTACT_METHODS, OFFER_SECTORS, OFFER_TYPES, SIGHTING_CONDITIONS, TRAVEL_PAYERS
from portal.sightings.codes import COMPANIONS, FREE_TO_LEAVE, VENUES
from portal.training.models import TraineeKind
from portal.training.services import MAX_CAPACITY

# Pairs of fields that, when both are given, must be in order (the first not above, or not after, the
# second). JSON Schema cannot compare two values: the document states them under this key, the
# parsers refuse a pair out of order (422), and tests/api/schemathesis_hooks.py reads them from here.
ORDERED: dict[str, tuple[tuple[str, str], ...]] = {
    "ClaimInput": (("age_min", "age_max"), ("birth_date", "event_date")),
    "SightingInput": (("age_min", "age_max"),),
}
_ORDERED_NOTE = (
    "Each pair in x-ordered, when both are given, is in order: the first is not above (or after) the second."
)


def optional(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema``, or null for "not given"."""
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    found = {**schema, "type": [*kinds, "null"] if "null" not in kinds else kinds}
    if "enum" in schema and None not in schema["enum"]:
        found["enum"] = [*schema["enum"], None]
    return found


def _filled(text: dict[str, Any]) -> dict[str, Any]:
    """A text that must not be blank."""
    return {**text, "pattern": patterns.NOT_BLANK}


def day_until(today: date | None, description: str) -> dict[str, Any]:
    """A full date from 1900-01-01 to ``today`` (no upper bound without one)."""
    last = f"to {today.isoformat()} (today)" if today else "on"
    return {
        **DAY,
        "pattern": patterns.days_until(today),
        "description": f"{description} YYYY-MM-DD, from 1900-01-01 {last}.",
    }


def partial_day_until(today: date) -> dict[str, Any]:
    """A birth date as known: a year, a month or a day, from 1900 to ``today``."""
    return {
        "type": "string",
        "anyOf": [
            {"pattern": patterns.years_until(today)},
            {"pattern": patterns.months_until(today)},
            {"pattern": patterns.days_until(today), "format": "date"},
        ],
        "description": f"YYYY-MM-DD, YYYY-MM or YYYY, from 1900 to {today.isoformat()} (today).",
    }


def _tristate(description: str) -> dict[str, Any]:
    return _s(["boolean", "null"], description=f"{description} null: not known.")


def _country(**extra: Any) -> dict[str, Any]:
    return _s("string", enum=[*sorted(COUNTRY_CODES), ""], **extra)


# Field names of the IOM Human Trafficking Case Data Standard (HTCDS) where one exists are named in
# portal/risk/facts.py; the codes are the portal's. The answers use the same object.
OFFER = _object(
    {
        "type": optional(
            _s("string", enum=list(OFFER_TYPES), description="What was offered (HTCDS vic_MethodOfRecruitment).")
        ),
        "sector": optional(_s("string", enum=list(OFFER_SECTORS), description="The work promised.")),
        "abroad": _tristate("The offer was abroad; set from destination_country when both countries are known."),
        "destination_country": optional(_country(description="ISO 3166-1 alpha-2.")),
        "destination_place": optional(_text(200)),
        "travel_paid_by": optional(_s("string", enum=list(TRAVEL_PAYERS))),
        "documents_handed_over": _tristate("Identity documents handed over before leaving."),
        "debt_mentioned": _tristate("A debt (journey, lodging, papers) was mentioned."),
        "employer_verified": _tristate("The employer and contract were verified."),
        "contact_method": optional(_s("string", enum=list(CONTACT_METHODS))),
    },
    additionalProperties=False,
    description="The offer or promise the person left for; leave out what is unknown.",
)


def _identifier(kind: str, pattern: str, description: str) -> dict[str, Any]:
    return _object(
        {"kind": _s("string", const=kind), "value": _s("string", pattern=pattern, description=description)},
        ("kind", "value"),
        additionalProperties=False,
    )


RECRUITER_INPUT = {
    "type": "object",
    "oneOf": [
        _identifier("phone", patterns.PHONE, "6 to 15 digits; + and the country code first if known, never 00."),
        _identifier("social_handle", patterns.HANDLE, "The account name, with or without @."),
        _identifier("vehicle_plate", patterns.PLATE, "2 to 12 letters and digits, spaces or dashes between."),
    ],
    "description": "A phone, social-media handle or vehicle plate of whoever made the offer or took the person; "
    "stored normalised (phone digits with the country code, handle without @ in lower case, plate "
    "letters and digits).",
}


def _with_text(name: str) -> dict[str, Any]:
    """Schema branch: ``name`` is given and not blank."""
    return {"required": [name], "properties": {name: {"type": "string", "pattern": patterns.NOT_BLANK}}}


def claim_input(members: list[str], today: date) -> dict[str, Any]:
    """The body of POST /claims; ``members`` are the member countries' codes."""
    schema = _object(
        {
            "given_names": optional(_text(120)),
            "first_surname": optional(_text(80)),
            "second_surname": optional(_text(80)),
            "aliases": optional(_s("array", items=_text(60), maxItems=10, description="Nicknames and other names.")),
            "sex": optional(_s("string", enum=[*SEXES, ""])),
            "birth_date": optional(partial_day_until(today)),
            "age_min": optional(_int(0, 120)),
            "age_max": optional(_int(0, 120)),
            "document_id": optional(_text(40)),
            "nationality": optional(_country(description="ISO 3166-1 alpha-2")),
            "country": _s("string", enum=members, description="Member country where last seen (ISO 3166-1 alpha-2)."),
            "place": _filled(_text(200)),
            "event_date": day_until(today, "Date last seen."),
            "height_cm": optional(_int(30, 250)),
            "build": optional(_text(60)),
            "hair": optional(_text(60)),
            "eyes": optional(_text(60)),
            "distinguishing_marks": optional(_text(2000)),
            "clothing": optional(_text(2000)),
            "description": optional(_text(2000)),
            "circumstances": optional(_s("array", items=_s("string", enum=list(CIRCUMSTANCES)))),
            "circumstances_text": optional(_text(4000)),
            "reporter_name": optional(_text(120)),
            "reporter_relation": optional(_text(60)),
            "reporter_contact": optional(_text(200)),
            "guardian_consent": optional(
                _s("boolean", description="A parent or guardian consents to publishing a minor's photo.")
            ),
            "offer": {"oneOf": [_ref("Offer"), {"type": "null"}]},
            "recruiters": optional(_s("array", items=_ref("RecruiterInput"), maxItems=MAX_RECRUITERS)),
            "prior_disappearances": {
                **_int(0, 50),
                "type": ["integer", "null"],
                "description": "How many times the person disappeared before; null: not known.",
            },
            "missing_from_state_care": _tristate("Went missing from a children's home or state care."),
            "occupation": optional(_s("string", enum=[*OCCUPATIONS, ""])),
        },
        ("event_date", "country", "place"),
        description="Give at least given_names or first_surname. A family token must also give reporter_name, "
        f"reporter_relation and reporter_contact (not blank). {_ORDERED_NOTE}",
        additionalProperties=False,
    )
    return {
        **schema,
        "anyOf": [_with_text("given_names"), _with_text("first_surname")],
        "x-ordered": _ordered("ClaimInput"),
    }


def _ordered(name: str) -> list[list[str]]:
    return [list(pair) for pair in ORDERED[name]]


# At least one of sightings.inputs.OBSERVATIONS says something about the person or the place: how each
# one says something (a test checks that the two name the same fields).
_OBSERVED = {
    **{
        name: {"type": "string", "pattern": patterns.NOT_BLANK}
        for name in ("description", "place", "name_heard", "marks")
    },
    **{name: {"type": "string", "minLength": 1} for name in ("sex", "venue", "companion", "free_to_leave")},
    **{name: {"type": "integer"} for name in ("age_min", "age_max", "height_cm")},
    "claim_reference": {"type": "string", "minLength": 1},
    "conditions": {"type": "array", "minItems": 1},
}


def sighting_input(members: list[str], today: date) -> dict[str, Any]:
    """The body of POST /sightings; ``members`` are the member countries' codes."""
    schema = _object(
        {
            "event_date": day_until(today, "Date seen."),
            "country": _s("string", enum=members, description="Member country where seen (ISO 3166-1 alpha-2)."),
            "place": optional(_text(200)),
            "name_heard": optional(_text(120)),
            "sex": optional(_s("string", enum=[*SEXES, ""])),
            "age_min": optional(_int(0, 120)),
            "age_max": optional(_int(0, 120)),
            "height_cm": optional(_int(30, 250)),
            "marks": optional(_text(2000)),
            "description": optional(_text(2000)),
            "venue": optional(_s("string", enum=[*VENUES, ""])),
            "companion": optional(_s("string", enum=[*COMPANIONS, ""])),
            "reporter_contact": optional(_s("string", maxLength=200, description="Seen by the police only.")),
            "claim_reference": optional(
                _s(
                    "string",
                    maxLength=20,
                    pattern=patterns.REFERENCE,
                    description="The reference of a claim the caller may see whose person was seen, if known; "
                    "one the caller may not see answers 422 like one that does not exist.",
                )
            ),
            "conditions": optional(
                _s(
                    "array",
                    items=_s("string", enum=list(SIGHTING_CONDITIONS)),
                    description="How the person seemed (HTCDS vic_MethodsOfControl where one exists).",
                )
            ),
            "free_to_leave": optional(
                _s("string", enum=[*FREE_TO_LEAVE, ""], description="Did the person seem free to leave?")
            ),
        },
        ("event_date", "country"),
        description=f"Say at least one thing about the person or the place. {_ORDERED_NOTE}",
        additionalProperties=False,
    )
    observed = [{"required": [name], "properties": {name: rule}} for name, rule in _OBSERVED.items()]
    return {**schema, "anyOf": observed, "x-ordered": _ordered("SightingInput")}


# The search's query parameters: name, schema, description. An empty value is the same as leaving the
# parameter out (the search page sends every field of its form).
_EMPTY = "An empty value is the same as none."
SEARCH_PARAMETERS: list[tuple[str, dict[str, Any], str]] = [
    (
        "q",
        _text(200),
        "Names in any order, as the matching engine reads them: accents, case, spellings that sound "
        "alike, nicknames and small slips do not matter. Police may also give a claim's reference or "
        "a document number.",
    ),
    ("country", _s("string", enum=[*sorted(COUNTRY_CODES), ""]), "Country last seen."),
    ("status", _s("string", enum=[*STATUSES, ""]), "Case status."),
    ("sex", _s("string", enum=[*SEXES, ""]), "Sex."),
    ("age_min", _s(["integer", "string"], minimum=0, maximum=120, maxLength=0), "Age when last seen, at least."),
    ("age_max", _s(["integer", "string"], minimum=0, maximum=120, maxLength=0), "Age when last seen, at most."),
    (
        "age_on",
        {"anyOf": [day_until(None, ""), _s("string", maxLength=0)]},
        "The day age_min and age_max are about, YYYY-MM-DD (today's date: the age now, for a person found "
        "today): the age when last seen plus the years between, one fewer or more as an unknown birthday "
        "allows. Not given: the age when last seen.",
    ),
    ("date_from", {"anyOf": [day_until(None, ""), _s("string", maxLength=0)]}, "Last seen on or after."),
    ("date_to", {"anyOf": [day_until(None, ""), _s("string", maxLength=0)]}, "Last seen on or before."),
    ("place", _text(100), "Part of the place last seen."),
    ("page", _s(["integer", "string"], minimum=1, maximum=MAX_PAGE, maxLength=0), "Page number, from 1."),
    (
        "per_page",
        _s(["integer", "string"], minimum=1, maximum=MAX_PER_PAGE, maxLength=0),
        "Results per page (20 when not given).",
    ),
]
SEARCH_PARAMETERS = [(name, schema, f"{text} {_EMPTY}") for name, schema, text in SEARCH_PARAMETERS]


def training_session_input(members: list[str]) -> dict[str, Any]:
    """The body of POST /training/sessions, as strict as training/services.py's parse_session."""
    return _object(
        {
            "title": _filled(_text(200)),
            "country": _s(
                "string",
                enum=members,
                description="Member country of the session (ISO 3166-1 alpha-2): the trainer's own (an admin's: "
                "any); another answers 422.",
            ),
            "district": optional(_text(120)),
            "place": optional(_text(200)),
            "starts_on": {**DAY, "description": "The day the session starts, YYYY-MM-DD."},
            "language": _s("string", enum=list(ENDONYMS), description="The language the session is held in."),
            "capacity": _s("integer", minimum=1, maximum=MAX_CAPACITY, description="How many people may be enrolled."),
            "parent_session_id": optional(
                _s(
                    "integer",
                    minimum=1,
                    maximum=MAX_ID,
                    description="The session of this country in which the trainer was trained (or one they "
                    "ran): the new one is a level below it. null: a first-level session.",
                )
            ),
        },
        ("title", "country", "starts_on", "language", "capacity"),
        description="A parent the trainer was not trained in, or of another country, answers 422 (parent_session_id).",
        additionalProperties=False,
    )


TRAINING_ENROLMENT_INPUT = _object(
    {
        "email": _s(
            "string",
            format="email",
            maxLength=MAX_EMAIL,
            description="An officer's account is enrolled as it is; an unknown address gets a new trainee "
            "account. Text the portal does not read as an address answers 422.",
        ),
        "name": optional(_s("string", maxLength=120, description="The account's name when not given.")),
        "kind": _s("string", enum=[kind.value for kind in TraineeKind], description="The cascade counts them apart."),
        "agency": optional(_s("string", maxLength=120, description="The account's agency when not given.")),
    },
    ("email", "kind"),
    description="A full session, a closed one, or a person already enrolled answers 422.",
    additionalProperties=False,
)

TRAINING_ATTENDANCE_INPUT = _object(
    {
        "trainee_id": _s(
            "integer", minimum=1, maximum=MAX_ID, description="A trainee of the session; another answers 404."
        ),
        "present": _s("boolean"),
    },
    ("trainee_id", "present"),
    additionalProperties=False,
)

# The cascade's query parameter: name, schema, description (the search's form).
CASCADE_PARAMETERS: list[tuple[str, dict[str, Any], str]] = [
    (
        "country",
        _s("string", enum=sorted(COUNTRY_CODES)),
        "Required: ISO 3166-1 alpha-2 code of the country. A country the portal does not have, or whose "
        "cascade the caller may not read, answers 404.",
    ),
]


def input_components(members: list[str], today: date) -> dict[str, dict[str, Any]]:
    """The request bodies' schemas, by their name in the document's components."""
    return {
        "ClaimInput": claim_input(members, today),
        "SightingInput": sighting_input(members, today),
        "Offer": OFFER,
        "RecruiterInput": RECRUITER_INPUT,
        "TrainingSessionInput": training_session_input(members),
        "TrainingEnrolmentInput": TRAINING_ENROLMENT_INPUT,
        "TrainingAttendanceInput": TRAINING_ATTENDANCE_INPUT,
    }
