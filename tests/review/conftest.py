"""Matching fixtures: the invented Guadalupe of El Alto, a sighting of "Lupe" in Cusco, a duplicate in Peru."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.cases.models import Claim
from portal.casework import sighting_reported
from portal.review.models import MatchCandidate
from portal.sightings.inputs import parse_sighting
from portal.sightings.models import Sighting
from tests.api.conftest import token_for  # noqa: F401  (the API tests here use bearer tokens too)
from tests.builders import make_claim

MEMBERS = ["BO", "PE", "CL", "EC", "GT", "NI", "CR", "BZ", "PR"]
GUADALUPE = dict(
    given_names="Guadalupe",
    first_surname="Quispe",
    second_surname="Mamani",
    aliases="",
    birth_date="2010",
    document_id="",
    height_cm="",
    distinguishing_marks="",
    event_date="2026-03-01",
    country="BO",
    place="El Alto",
)


def guadalupe(session: Session, **overrides: Any) -> Claim:
    """An active, published claim of an invented girl born in 2010, last seen in El Alto."""
    return make_claim(session, status="active", publication="published", **{**GUADALUPE, **overrides})


def lupe_sighting(session: Session, **overrides: Any) -> Sighting:
    """A public sighting of a "Lupe", 15 to 17, in Cusco three months later."""
    data = {
        "event_date": "2026-06-01",
        "country": "PE",
        "place": "Cusco, cerca del mercado",
        "name_heard": "Lupe",
        "sex": "F",
        "age_min": "15",
        "age_max": "17",
        "description": "Una adolescente con un hombre mayor.",
        **overrides,
    }
    return sighting_reported(session, None, parse_sighting(data, today=date(2026, 11, 29), member_countries=MEMBERS))


def candidates(session: Session) -> list[MatchCandidate]:
    """Every stored candidate, read afresh."""
    session.expire_all()
    return list(session.scalars(select(MatchCandidate).order_by(MatchCandidate.id)))


@pytest.fixture
def pair(session: Session) -> tuple[Claim, Sighting, MatchCandidate]:
    """The claim, the sighting and their open candidate, committed."""
    claim = guadalupe(session)
    sighting = lupe_sighting(session)
    session.commit()
    found = [c for c in candidates(session) if c.right_sighting_id == sighting.id]
    assert len(found) == 1
    return claim, sighting, found[0]
