"""The sighting input: parsed and checked once for the public page and the API."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from portal.cases.codes import SEXES
from portal.fields import FieldReader
from portal.i18n import lazy_gettext as _l
from portal.sightings.codes import COMPANIONS, CONDITION_LABELS, FREE_TO_LEAVE, VENUES

# Columns of Sighting set from the input (the rest are set by the service).
SIGHTING_FIELDS = (
    "event_date",
    "country",
    "place",
    "name_heard",
    "sex",
    "age_min",
    "age_max",
    "height_cm",
    "marks",
    "description",
    "venue",
    "companion",
    "reporter_contact",
    "conditions",
    "free_to_leave",
)
# At least one of these must say something about the person or the place (api/inputs.py publishes the rule).
OBSERVATIONS = (
    "place",
    "name_heard",
    "sex",
    "age_min",
    "age_max",
    "height_cm",
    "marks",
    "description",
    "venue",
    "companion",
    "claim_reference",
    "conditions",
    "free_to_leave",
)


@dataclass(frozen=True)
class SightingInput:
    """Checked values of a sighting form or API body."""

    event_date: date
    country: str
    place: str = ""
    name_heard: str = ""
    sex: str = ""
    age_min: int | None = None
    age_max: int | None = None
    height_cm: int | None = None
    marks: str = ""
    description: str = ""
    venue: str = ""
    companion: str = ""
    reporter_contact: str = ""
    conditions: list[str] = field(default_factory=list)  # how the person seemed (SIGHTING_CONDITIONS)
    free_to_leave: str = ""  # "yes", "no", "unknown" or "" (not answered)
    # "I have seen this person": the public reference of a claim, checked by the service.
    claim_reference: str = ""

    def sighting_values(self) -> dict[str, Any]:
        """The values to set on a Sighting row."""
        values = asdict(self)
        return {name: values[name] for name in SIGHTING_FIELDS}


def parse_sighting(data: Mapping[str, Any], *, today: date, member_countries: Iterable[str]) -> SightingInput:
    """Check ``data`` and return a SightingInput, or raise ValidationFailed listing every bad field."""
    r = FieldReader(data)
    event_date = r.day("event_date", required=True, not_after=today)
    sighting = SightingInput(
        # Without a valid date an error is recorded and check() raises below: today is never returned.
        event_date=event_date or today,
        country=r.country("country", required=True, allowed=member_countries),
        place=r.text("place", 200),
        name_heard=r.text("name_heard", 120),
        sex=r.code("sex", SEXES),
        age_min=r.integer("age_min", 0, 120),
        age_max=r.integer("age_max", 0, 120),
        height_cm=r.integer("height_cm", 30, 250),
        marks=r.text("marks", 2000, multiline=True),
        description=r.text("description", 2000, multiline=True),
        venue=r.code("venue", VENUES),
        companion=r.code("companion", COMPANIONS),
        reporter_contact=r.text("reporter_contact", 200),
        conditions=r.codes("conditions", CONDITION_LABELS),
        free_to_leave=r.code("free_to_leave", FREE_TO_LEAVE),
        claim_reference=r.text("claim_reference", 20).upper(),
    )
    if sighting.age_min is not None and sighting.age_max is not None and sighting.age_min > sighting.age_max:
        r.error("age_max", _l("The highest age must not be below the lowest."))
    if not r.errors and not any(getattr(sighting, name) not in (None, "", []) for name in OBSERVATIONS):
        # A date and a country alone cannot help anyone find a person.
        r.error("description", _l("Describe the person you saw, or where you saw them."))
    r.check()
    return sighting
