"""Arbitrary JSON objects never make the API fail: every answer is 201 or a 4xx in the spec's format."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CLAIM_FIELDS = [
    "given_names",
    "first_surname",
    "second_surname",
    "aliases",
    "sex",
    "birth_date",
    "age_min",
    "age_max",
    "document_id",
    "nationality",
    "country",
    "place",
    "event_date",
    "height_cm",
    "description",
    "build",
    "hair",
    "eyes",
    "distinguishing_marks",
    "clothing",
    "circumstances",
    "circumstances_text",
    "reporter_name",
    "reporter_relation",
    "reporter_contact",
    "guardian_consent",
    "unknown_field",
    "offer",
    "recruiters",
    "prior_disappearances",
    "missing_from_state_care",
    "occupation",
]
SIGHTING_FIELDS = [
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
    "claim_reference",
    "unknown_field",
    "conditions",
    "free_to_leave",
]
# Plausible values mixed in, so that some bodies get past the first checks and reach the database.
PLAUSIBLE = st.sampled_from(
    [
        "BO",
        "PE",
        "2026-02-11",
        "2010",
        "2010-05",
        "F",
        "M",
        "job_offer",
        "bar",
        "none",
        "15",
        "El Alto",
        "BO-2026-000001",
        "",
        "phone",
        "+591 7123-4567",
        "escorted_or_guarded",
        "no",
        "yes",
        "domestic_worker",
        "job",
        "mining",
    ]
)
SCALARS = st.one_of(st.text(max_size=60), st.integers(), st.floats(), st.booleans(), st.none(), PLAUSIBLE)
OFFER_KEYS = st.sampled_from(["type", "sector", "destination_country", "debt_mentioned", "abroad", "x"])
RECRUITER = st.dictionaries(st.sampled_from(["kind", "value"]), SCALARS, max_size=2)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=4),
    st.dictionaries(st.text(max_size=5), SCALARS, max_size=2),
    st.dictionaries(OFFER_KEYS, SCALARS, max_size=3),
    st.lists(RECRUITER, max_size=3),
)
VALID_CLAIM = {
    "given_names": "Rosa",
    "first_surname": "Quispe",
    "event_date": "2026-02-11",
    "country": "BO",
    "place": "El Alto",
    "reporter_name": "Juana",
    "reporter_relation": "madre",
    "reporter_contact": "70000000",
}
VALID_SIGHTING = {"event_date": "2026-03-02", "country": "PE", "place": "Juliaca", "venue": "bus_terminal"}


def bodies(fields: list[str], valid: dict[str, object]) -> st.SearchStrategy[dict[str, object]]:
    """Arbitrary objects of these field names, half of them a valid body with some values replaced or dropped."""
    arbitrary = st.dictionaries(st.sampled_from(fields), VALUES)
    mutated = st.builds(
        lambda dropped, extra: {**{k: v for k, v in valid.items() if k not in dropped}, **extra},
        st.sets(st.sampled_from(sorted(valid)), max_size=2),
        st.dictionaries(st.sampled_from(fields), st.one_of(PLAUSIBLE, VALUES), max_size=2),
    )
    return st.one_of(arbitrary, mutated)


FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def police_headers(token_for):  # type: ignore[no-untyped-def]
    """One officer for all the examples of a test (function-scoped fixtures run once per test)."""
    return token_for("police", "BO")[1]


def _check(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code in (201, 400, 422), response.get_data(as_text=True)[:500]
    if response.status_code != 201:
        error = response.get_json()["error"]
        assert set(error) == {"code", "message", "fields"}


@FUZZ
@given(body=bodies(CLAIM_FIELDS, VALID_CLAIM))
def test_arbitrary_claims_never_fail(client, police_headers, body):
    _check(client.post("/api/v1/claims", json=body, headers=police_headers))


@FUZZ
@given(body=bodies(SIGHTING_FIELDS, VALID_SIGHTING))
def test_arbitrary_sightings_never_fail(client, body):
    _check(client.post("/api/v1/sightings", json=body))
