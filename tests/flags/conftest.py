"""Risk fixtures: the invented girl of 15 who left for a job abroad, and a sighting of her in a bar."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from portal.cases.models import Claim
from portal.review.models import MatchCandidate
from portal.sightings.models import Sighting
from tests.builders import bar_sighting, candidate_of, girl


@pytest.fixture
def flagged(session: Session) -> tuple[Claim, Sighting, MatchCandidate]:
    """The girl, the bar sighting (reported by a member of the public) and their open candidate, committed."""
    claim = girl(session)
    sighting = bar_sighting(session)
    session.commit()
    return claim, sighting, candidate_of(session, sighting)
