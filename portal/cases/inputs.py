"""The claim input: parsed and checked once for pages, API and CLI."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from portal.cases.codes import CIRCUMSTANCES, OCCUPATIONS, SEXES
from portal.fields import FieldReader
from portal.i18n import lazy_gettext as _l
from portal.risk.facts import (
    CONTACT_METHODS,
    IDENTIFIER_KINDS,
    OFFER_SECTORS,
    OFFER_TYPES,
    TRAVEL_PAYERS,
    Offer,
    normalise_identifier,
)

# Columns of Claim that describe the person and the disappearance (editable).
PERSON_FIELDS = (
    "given_names",
    "first_surname",
    "second_surname",
    "aliases",
    "sex",
    "birth_date",
    "birth_date_precision",
    "age_min",
    "age_max",
    "document_id",
    "nationality",
    "height_cm",
    "build",
    "hair",
    "eyes",
    "distinguishing_marks",
    "clothing",
    "description",
    "event_date",
    "country",
    "place",
    "circumstances",
    "circumstances_text",
    "offer",
    "prior_disappearances",
    "missing_from_state_care",
    "occupation",
)
OFFER_KEYS = tuple(Offer.__dataclass_fields__)
MAX_RECRUITERS = 10
_SPACE = re.compile(r"[\x00-\x1f\x7f\s]+")
REPORTER_FIELDS = ("reporter_name", "reporter_relation", "reporter_contact")


@dataclass(frozen=True)
class ClaimInput:
    """Checked values of a claim form or API body."""

    given_names: str = ""
    first_surname: str = ""
    second_surname: str = ""
    aliases: list[str] = field(default_factory=list)
    sex: str = ""
    birth_date: date | None = None
    birth_date_precision: str = "day"
    age_min: int | None = None
    age_max: int | None = None
    document_id: str = ""
    nationality: str = ""
    height_cm: int | None = None
    build: str = ""
    hair: str = ""
    eyes: str = ""
    distinguishing_marks: str = ""
    clothing: str = ""
    description: str = ""
    event_date: date | None = None
    country: str = ""
    place: str = ""
    circumstances: list[str] = field(default_factory=list)
    circumstances_text: str = ""
    # Only the offer's known facts (Offer field names); the recruiters as (kind, normalised value).
    offer: dict[str, Any] = field(default_factory=dict)
    recruiters: list[tuple[str, str]] = field(default_factory=list)
    prior_disappearances: int | None = None
    missing_from_state_care: bool | None = None
    occupation: str = ""
    reporter_name: str = ""
    reporter_relation: str = ""
    reporter_contact: str = ""
    guardian_consent: bool = False

    def person_values(self) -> dict[str, Any]:
        """The person and disappearance fields, ready to set on a Claim."""
        values = asdict(self)
        return {name: values[name] for name in PERSON_FIELDS}


def parse_claim(
    data: Mapping[str, Any], *, today: date, member_countries: Iterable[str], require_reporter: bool
) -> ClaimInput:
    """Check ``data`` and return a ClaimInput, or raise ValidationFailed listing every bad field."""
    r = FieldReader(data)
    birth_date, precision = r.partial_day("birth_date", not_after=today)
    claim = ClaimInput(
        given_names=r.text("given_names", 120),
        first_surname=r.text("first_surname", 80),
        second_surname=r.text("second_surname", 80),
        aliases=r.text_list("aliases", 10, 60),
        sex=r.code("sex", SEXES),
        birth_date=birth_date,
        birth_date_precision=precision,
        age_min=r.integer("age_min", 0, 120),
        age_max=r.integer("age_max", 0, 120),
        document_id=r.text("document_id", 40),
        nationality=r.country("nationality"),
        height_cm=r.integer("height_cm", 30, 250),
        build=r.text("build", 60),
        hair=r.text("hair", 60),
        eyes=r.text("eyes", 60),
        distinguishing_marks=r.text("distinguishing_marks", 2000, multiline=True),
        clothing=r.text("clothing", 2000, multiline=True),
        description=r.text("description", 2000, multiline=True),
        event_date=r.day("event_date", required=True, not_after=today),
        country=r.country("country", required=True, allowed=member_countries),
        place=r.text("place", 200, required=True),
        circumstances=r.codes("circumstances", CIRCUMSTANCES),
        circumstances_text=r.text("circumstances_text", 4000, multiline=True),
        offer=_offer(r),
        recruiters=_recruiters(r),
        prior_disappearances=r.integer("prior_disappearances", 0, 50),
        missing_from_state_care=r.tristate("missing_from_state_care"),
        occupation=r.code("occupation", OCCUPATIONS),
        reporter_name=r.text("reporter_name", 120, required=require_reporter),
        reporter_relation=r.text("reporter_relation", 60, required=require_reporter),
        reporter_contact=r.text("reporter_contact", 200, required=require_reporter),
        guardian_consent=r.flag("guardian_consent"),
    )
    if not claim.given_names and not claim.first_surname:
        r.error("given_names", _l("Enter at least the given names or the first surname."))
    if claim.age_min is not None and claim.age_max is not None and claim.age_min > claim.age_max:
        r.error("age_max", _l("The highest age must not be below the lowest."))
    if birth_date and claim.event_date and birth_date > claim.event_date:
        r.error("birth_date", _l("The birth date must be before the date last seen."))
    if claim.offer.get("destination_country") and claim.country:
        # The engine compares no countries outside T1/G1: "abroad" is decided here.
        claim.offer["abroad"] = claim.offer["destination_country"] != claim.country
    r.check()
    return claim


def _offer(r: FieldReader) -> dict[str, Any]:
    """The offer object (Offer's field names); errors are reported as ``offer.<name>``."""
    raw = r.data.get("offer")
    if raw is None or raw == "":
        return {}
    if not isinstance(raw, Mapping):
        r.error("offer", _l("Describe the offer with the listed fields."))
        return {}
    unknown = sorted(str(key) for key in raw if key not in OFFER_KEYS)
    if unknown:
        r.error("offer", _l("Unknown fields of the offer: %(names)s.", names=", ".join(unknown)[:200]))
    o = FieldReader(raw)
    values: dict[str, Any] = {
        "type": o.code("type", OFFER_TYPES),
        "sector": o.code("sector", OFFER_SECTORS),
        "abroad": o.tristate("abroad"),
        "destination_country": o.country("destination_country"),
        "destination_place": o.text("destination_place", 200),
        "travel_paid_by": o.code("travel_paid_by", TRAVEL_PAYERS),
        "documents_handed_over": o.tristate("documents_handed_over"),
        "debt_mentioned": o.tristate("debt_mentioned"),
        "employer_verified": o.tristate("employer_verified"),
        "contact_method": o.code("contact_method", CONTACT_METHODS),
    }
    for name, messages in o.errors.items():
        for message in messages:
            r.error(f"offer.{name}", message)
    return {name: value for name, value in values.items() if value not in ("", None)}


def _recruiters(r: FieldReader) -> list[tuple[str, str]]:
    """Recruiter identifiers as (kind, normalised value), distinct; errors as ``recruiters.<n>.<key>``."""
    raw = r.data.get("recruiters")
    if raw is None or raw == "":
        return []
    if not isinstance(raw, list) or len(raw) > MAX_RECRUITERS:
        r.error("recruiters", _l("Give at most %(n)d identifiers, each with a kind and a value.", n=MAX_RECRUITERS))
        return []
    found: list[tuple[str, str]] = []
    for n, item in enumerate(raw):
        if not isinstance(item, Mapping):
            r.error(f"recruiters.{n}", _l("Give the kind and the value of the identifier."))
            continue
        kind, value = item.get("kind", ""), item.get("value", "")
        if kind in ("", None) and value in ("", None):
            continue  # an empty row of the form
        if not isinstance(kind, str) or kind not in IDENTIFIER_KINDS:
            r.error(f"recruiters.{n}.kind", _l("Choose whether it is a phone number, an account or a plate."))
            continue
        cleaned = _identifier(r, f"recruiters.{n}.value", kind, value)
        if cleaned:
            found.append((kind, cleaned))
    return list(dict.fromkeys(found))


def _identifier(r: FieldReader, name: str, kind: str, value: Any) -> str:
    """The normalised identifier, or "" with an error on ``name``."""
    if not isinstance(value, str) or not value.strip():
        r.error(name, _l("Write the phone number, the account or the plate."))
        return ""
    normalised = normalise_identifier(kind, _SPACE.sub(" ", value)[:200])
    if kind == "phone" and not 6 <= len(normalised) <= 15:
        r.error(name, _l("Write a phone number of 6 to 15 digits, with the country code if you know it."))
    elif kind == "social_handle" and not 1 <= len(normalised) <= 100:
        r.error(name, _l("Write the account name, for example @name (at most 100 characters)."))
    elif kind == "vehicle_plate" and not 2 <= len(normalised) <= 12:
        r.error(name, _l("Write the plate's letters and numbers (2 to 12)."))
    else:
        return normalised
    return ""
