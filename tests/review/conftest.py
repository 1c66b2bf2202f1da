"""Matching fixtures: the invented Guadalupe and a sighting of "Lupe", as an open candidate."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from portal.cases.models import Claim
from portal.review.models import MatchCandidate
from portal.sightings.models import Sighting
from tests.builders import candidate_of, guadalupe, lupe_sighting


@pytest.fixture
def pair(session: Session) -> tuple[Claim, Sighting, MatchCandidate]:
    """The claim, the sighting and their open candidate, committed."""
    claim = guadalupe(session)
    sighting = lupe_sighting(session)
    session.commit()
    return claim, sighting, candidate_of(session, sighting)
