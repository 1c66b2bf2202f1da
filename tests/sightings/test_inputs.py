"""parse_sighting: the same checks for the page and the API."""

from __future__ import annotations

from datetime import date

import pytest

from portal.errors import ValidationFailed
from portal.sightings.inputs import parse_sighting

TODAY = date(2026, 11, 29)
MEMBERS = ["BO", "PE"]


def _parse(**data):  # type: ignore[no-untyped-def]
    return parse_sighting(data, today=TODAY, member_countries=MEMBERS)


def _fields(**data):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as caught:
        _parse(**data)
    return set(caught.value.fields)


def test_form_strings_are_parsed_and_trimmed():
    parsed = _parse(
        event_date="2026-11-29",
        country=" pe ",
        place="  Juliaca\n terminal ",
        age_min="14",
        age_max="17",
        height_cm="150",
        sex="F",
        venue="bus_terminal",
        companion="none",
        description="line one\nline two",
        claim_reference=" bo-2026-000001 ",
    )
    assert parsed.country == "PE" and parsed.place == "Juliaca terminal" and parsed.age_min == 14
    assert parsed.description == "line one\nline two" and parsed.claim_reference == "BO-2026-000001"
    assert "claim_reference" not in parsed.sighting_values()


def test_required_and_ranges():
    assert _fields() == {"event_date", "country"}
    assert _fields(event_date="2026-11-30", country="BO", place="x") == {"event_date"}
    assert _fields(event_date="1850-01-01", country="BO", place="x") == {"event_date"}
    assert _fields(event_date="2026-01-01", country="AR", place="x") == {"country"}
    assert _fields(event_date="2026-01-01", country="BO", age_min=20, age_max=10) == {"age_max"}
    assert _fields(event_date="2026-01-01", country="BO", height_cm=10, venue="x", companion=[1]) == {
        "height_cm",
        "venue",
        "companion",
    }


def test_a_date_and_a_country_alone_are_not_a_sighting():
    assert _fields(event_date="2026-01-01", country="BO", place="   ") == {"description"}
    assert _parse(event_date="2026-01-01", country="BO", venue="mine").venue == "mine"


@pytest.mark.parametrize("value", [[], {}, True, ["a"]])
def test_wrong_json_types_are_field_errors(value):
    assert _fields(event_date="2026-01-01", country="BO", place=value, description="x") == {"place"}
