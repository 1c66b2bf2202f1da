"""The claim input: parsed and checked once for pages, API and CLI."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Iterable, Mapping

from flask_babel import lazy_gettext as _l

from portal.cases.codes import CIRCUMSTANCES, SEXES
from portal.fields import FieldReader

# Columns of Claim that describe the person and the disappearance (editable).
PERSON_FIELDS = (
    "given_names", "first_surname", "second_surname", "aliases", "sex", "birth_date",
    "birth_date_precision", "age_min", "age_max", "document_id", "nationality", "height_cm", "build",
    "hair", "eyes", "distinguishing_marks", "clothing", "description", "event_date", "country", "place",
    "circumstances", "circumstances_text",
)
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
    reporter_name: str = ""
    reporter_relation: str = ""
    reporter_contact: str = ""
    guardian_consent: bool = False

    def person_values(self) -> dict[str, Any]:
        """The person and disappearance fields, ready to set on a Claim."""
        values = asdict(self)
        return {name: values[name] for name in PERSON_FIELDS}


def parse_claim(data: Mapping[str, Any], *, today: date, member_countries: Iterable[str],
                require_reporter: bool) -> ClaimInput:
    """Check ``data`` and return a ClaimInput, or raise ValidationFailed listing every bad field."""
    r = FieldReader(data)
    birth_date, precision = r.partial_day("birth_date", not_after=today)
    values = dict(
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
        reporter_name=r.text("reporter_name", 120, required=require_reporter),
        reporter_relation=r.text("reporter_relation", 60, required=require_reporter),
        reporter_contact=r.text("reporter_contact", 200, required=require_reporter),
        guardian_consent=r.flag("guardian_consent"),
    )
    if not values["given_names"] and not values["first_surname"]:
        r.error("given_names", _l("Enter at least the given names or the first surname."))
    if values["age_min"] is not None and values["age_max"] is not None and values["age_min"] > values["age_max"]:
        r.error("age_max", _l("The highest age must not be below the lowest."))
    if birth_date and values["event_date"] and birth_date > values["event_date"]:
        r.error("birth_date", _l("The birth date must be before the date last seen."))
    r.check()
    return ClaimInput(**values)
