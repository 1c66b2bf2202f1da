"""Input parsing: every value a client can send ends as a value or a field error, never a crash."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.cases.inputs import parse_claim
from portal.errors import ValidationFailed
from portal.fields import FieldReader, parse_partial_date
from tests.builders import claim_data

MEMBERS = ["BO", "PE", "CL"]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)
FIELDS = [*claim_data(), "age_min", "age_max", "guardian_consent"]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(FIELDS), json_values))
def test_parse_claim_accepts_or_names_the_bad_fields(data):
    try:
        parsed = parse_claim(data, today=date(2026, 11, 29), member_countries=MEMBERS, require_reporter=True)
    except ValidationFailed as error:
        assert error.fields and set(error.fields) <= set(FIELDS)
    else:
        assert parsed.country in MEMBERS and parsed.event_date <= date(2026, 11, 29)


@pytest.mark.parametrize("value", ["0\x1f", "\x1c15", "1\u20035", "١٥"])
def test_a_number_with_a_separator_or_unusual_digits_is_a_field_error(value):
    reader = FieldReader({"age_min": value})
    assert reader.integer("age_min", 0, 120) is None
    with pytest.raises(ValidationFailed) as raised:
        reader.check()
    assert set(raised.value.fields) == {"age_min"}


@given(st.text(max_size=8))
def test_any_text_for_a_number_is_a_number_or_a_field_error(value):
    reader = FieldReader({"age_min": value})
    number = reader.integer("age_min", 0, 120)
    assert number is None or 0 <= number <= 120


@given(st.text())
def test_partial_dates_never_crash(value):
    result = parse_partial_date(value)
    assert result is None or result[1] in {"day", "month", "year"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2009-03-14", (date(2009, 3, 14), "day")),
        ("2009-03", (date(2009, 3, 1), "month")),
        ("2009", (date(2009, 1, 1), "year")),
        ("2009-02-30", None),
        ("14/03/2009", None),
        ("", None),
    ],
)
def test_partial_date_forms(value, expected):
    assert parse_partial_date(value) == expected


def test_control_characters_are_removed_and_lengths_enforced():
    reader = FieldReader({"a": "Ro\x00sa\x1b ", "b": "x" * 81})
    assert reader.text("a", 10) == "Rosa"
    assert reader.text("b", 80) == ""
    assert list(reader.errors) == ["b"]


def test_a_valid_claim_parses_with_all_its_values():
    parsed = parse_claim(claim_data(), today=date(2026, 11, 29), member_countries=MEMBERS, require_reporter=True)
    assert parsed.aliases == ["Rosi"] and parsed.height_cm == 152 and parsed.circumstances == ["job_offer"]


def test_claim_in_the_future_or_outside_the_network_is_refused():
    with pytest.raises(ValidationFailed) as caught:
        parse_claim(
            claim_data(event_date="2027-01-01", country="AR"),
            today=date(2026, 11, 29),
            member_countries=MEMBERS,
            require_reporter=True,
        )
    assert {"event_date", "country"} <= set(caught.value.fields)
