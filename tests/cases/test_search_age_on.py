"""The search's age on another day (``age_on``) against the ages a person could have that day.

The reference is worked out day by day: every birth date that gives an age when last seen within
the claim's range, and the age each gives on the day asked about. The filter must find a claim
exactly when one of those ages falls in the range searched for, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from portal.cases.rules import age_on
from portal.cases.search import SearchQuery, search_claims
from tests.builders import make_claim


def _births(seen_min: int, seen_max: int, seen: date) -> tuple[date, date]:
    """The earliest and latest birth dates giving an age on ``seen`` between seen_min and seen_max,
    found day by day. A later birth is never older on any day, so the ages those two give on another
    day bound every age possible then, and every age between them is possible."""
    earliest = seen.replace(month=1, day=1, year=seen.year - seen_max - 2)
    born = [
        earliest + timedelta(days=offset)
        for offset in range((seen - earliest).days + 1)
        if seen_min <= (age_on(earliest + timedelta(days=offset), seen) or 0) <= seen_max
    ]
    return born[0], born[-1]


def test_age_on_a_day_finds_exactly_the_claims_whose_person_could_be_that_old(session):
    rng = random.Random(7)
    people = {}
    for n in range(25):
        seen = date(2015, 1, 1) + timedelta(days=rng.randrange(4000))
        low = rng.randrange(0, 40)
        high = low + rng.choice([0, 0, 1, 2, 5])
        claim = make_claim(
            session,
            status="active",
            publication="published",
            given_names=f"Invented{n}",
            birth_date="",
            age_min=str(low),
            age_max=str(high),
            event_date=seen.isoformat(),
        )
        people[claim.id] = _births(low, high, seen)
    session.commit()
    for _ in range(30):
        day = date(2016, 1, 1) + timedelta(days=rng.randrange(5000))
        lowest, width = rng.randrange(0, 45), rng.choice([0, 1, 3])
        query = SearchQuery(age_min=lowest, age_max=lowest + width, age_on=day, per_page=100)
        found = {c.id for c in search_claims(session, None, query).claims}
        expected = {
            claim_id
            for claim_id, (first, last) in people.items()
            if (age_on(first, day) or 0) >= lowest and (age_on(last, day) or 0) <= lowest + width
        }
        assert found == expected, (day, query.age_min, query.age_max)
