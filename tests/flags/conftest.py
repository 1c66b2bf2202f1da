"""Risk fixtures: the invented 15-year-old Guadalupe who left for a job abroad, and a sighting of her in a bar."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.cases.models import Claim
from portal.flags.models import RiskAssessment
from portal.flags.services import reassess
from portal.review.models import MatchCandidate
from portal.sightings.models import Sighting
from tests.api.conftest import token_for  # noqa: F401  (API tests here use bearer tokens)
from tests.review.conftest import candidates, guadalupe, lupe_sighting


def girl(session: Session, **overrides: Any) -> Claim:
    """An active, published claim of an invented girl of 15 who left for a job offer abroad."""
    claim = guadalupe(session, circumstances=["job_offer_abroad"], **overrides)
    reassess(session, claim, "claim")  # the builder validated it behind the services' back
    return claim


def bar_sighting(session: Session, **overrides: Any) -> Sighting:
    """A public sighting of "Lupe" in Cusco (Peru), at a bar with an unrelated adult."""
    return lupe_sighting(session, venue="bar", companion="unrelated_adult", **overrides)


def candidate_of(session: Session, sighting: Sighting) -> MatchCandidate:
    """The one candidate of a sighting."""
    found = [c for c in candidates(session) if c.right_sighting_id == sighting.id]
    assert len(found) == 1
    return found[0]


def rows(session: Session, claim_id: int) -> int:
    """How many assessments are stored for a claim."""
    return int(session.scalar(select(func.count()).where(RiskAssessment.claim_id == claim_id)) or 0)


@pytest.fixture
def flagged(session: Session) -> tuple[Claim, Sighting, MatchCandidate]:
    """The girl, the bar sighting (reported by a member of the public) and their open candidate, committed."""
    claim = girl(session)
    sighting = bar_sighting(session)
    session.commit()
    return claim, sighting, candidate_of(session, sighting)
