"""Assessments through the services: facts from rows, levels, history, officers' decisions and rights."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.cases.models import Claim
from portal.casework import candidate_confirmed as confirm
from portal.casework import candidate_rejected as reject
from portal.casework import note_added as add_note
from portal.casework import sighting_verified as verify
from portal.errors import NotFound, ValidationFailed
from portal.flags import decisions
from portal.flags.facts import case_facts, claim_age, relation_code
from portal.flags.models import RiskReview
from portal.flags.services import current, reassess
from tests.builders import assessment_rows, bar_sighting, candidate_of, girl, make_claim, make_user


def _ids(assessment) -> set[str]:
    return {i["id"] for i in assessment.result["indicators"]}


def _evidence(assessment) -> list[tuple[str, str, str, str, bool]]:
    return [
        (i["id"], e["record"], e["field"], e["value"], e["verified"])
        for i in assessment.result["indicators"]
        for e in i["evidence"]
    ]


def test_a_girl_of_15_who_left_for_a_job_abroad_is_flagged_for_review(session):
    claim = girl(session)
    found = current(session, claim.id)
    assert found.level == 1 and "R1" in _ids(found) and found.result["minor"] is True
    assert ("R1", f"claim:{claim.id}", "circumstances", "job_offer_abroad", True) in _evidence(found)


def test_an_adult_without_circumstances_is_level_0(session):
    claim = make_claim(session, status="active", birth_date="1990-04-02", circumstances=[])
    assert reassess(session, claim, "claim").assessment.level == 0


def test_a_confirmed_public_bar_sighting_is_priority_once_an_officer_verifies_the_report(session, flagged):
    claim, sighting, candidate = flagged
    officer = make_user(session, "police", "PE")
    confirm(session, officer, candidate)
    found = current(session, claim.id)
    # Confirmed: the person seen is this girl. What the anonymous witness saw is still unverified.
    assert found.level == 1
    assert ("X1", f"sighting:{sighting.id}", "venue", "bar", False) in _evidence(found)
    verify(session, officer, sighting)
    found = current(session, claim.id)
    assert found.level == 2 and found.cause == "sighting"
    lines = _evidence(found)
    assert ("X1", f"sighting:{sighting.id}", "venue", "bar", True) in lines
    assert ("T2", f"sighting:{sighting.id}", "companion", "unrelated_adult", True) in lines


def test_an_open_candidate_counts_lower_and_stays_at_most_1(session, flagged):
    claim, sighting, _candidate = flagged
    reassess(session, claim, "sighting")
    found = current(session, claim.id)
    assert found.level == 1 and any(r == f"sighting:{sighting.id}" for _i, r, *_ in _evidence(found))
    assert all(not verified for _i, r, *_, verified in _evidence(found) if r.startswith("sighting:"))


def test_a_public_sighting_counts_as_verified_only_once_an_officer_verifies_it(session):
    claim = girl(session)
    sighting = bar_sighting(session)
    candidate = candidate_of(session, sighting)
    assert current(session, claim.id).level == 1  # DESIGN §6: unverified sightings alone reach 1 at most
    officer = make_user(session, "police", "BO")
    confirm(session, officer, candidate)
    assert current(session, claim.id).level == 1  # a confirmed match verifies no observation
    verify(session, officer, sighting)
    assert current(session, claim.id).level == 2


def test_history_keeps_one_row_per_change_and_none_when_nothing_changed(session, flagged):
    claim, _sighting, candidate = flagged
    before = assessment_rows(session, claim.id)  # filed (level 1), then with the sighting as a candidate
    assert [a.cause for a in decisions.levels(session, claim.id)][-1] == "sighting"
    reassess(session, claim, "manual")
    add_note(session, make_user(session, "police", "BO"), claim, text="Llamada a la madre.", visibility="police")
    assert assessment_rows(session, claim.id) == before  # nothing changed: no new row
    reject(session, make_user(session, "police", "PE"), candidate, "No es ella.")
    assert assessment_rows(session, claim.id) == before + 1 and current(session, claim.id).cause == "match"
    assert _ids(current(session, claim.id)) == {"R1", "V1"}  # the sighting's indicators are gone


def test_facts_take_the_careful_age_and_the_claims_source():
    def claim(**values):
        return Claim(id=1, event_date=date(2026, 3, 1), birth_date_precision="day", **values)

    assert claim_age(claim(birth_date=date(2010, 5, 14))) == 15
    assert claim_age(claim(age_min=14, age_max=16)) == 16
    assert claim_age(claim(age_min=16, age_max=19)) == 16
    assert claim_age(claim(age_min=20, age_max=25)) == 20
    assert claim_age(claim()) is None
    assert [relation_code(t) for t in ("Madre", "tía abuela", "vecina", "")] == ["parent", "relative", "other", ""]


def test_case_facts_read_status_and_police_reporters(session):
    draft = make_claim(session, reporter=make_user(session, "family"))
    assert case_facts(session, draft, date(2026, 11, 29)).claim.source.verified is False
    by_police = make_claim(session, reporter=make_user(session, "police", "BO"))
    facts = case_facts(session, by_police, date(2026, 11, 29)).claim
    assert facts.source.reported_by == "police" and facts.source.verified and facts.reporter_relation == "police"


def test_dismissing_without_a_reason_is_refused_and_nothing_is_stored(session):
    claim = girl(session)
    officer = make_user(session, "police", "BO")
    with pytest.raises(ValidationFailed) as error:
        decisions.decide(session, officer, claim.id, "dismiss", "   ")
    assert "reason" in error.value.fields
    assert session.scalars(select(RiskReview)).all() == []
    assert not session.scalars(select(AuditEvent).where(AuditEvent.action == "risk.dismiss")).all()


@pytest.mark.parametrize("action", ["dismiss", "escalate", "refer"])
def test_a_decision_is_stored_and_audited(session, action):
    claim = girl(session)
    officer = make_user(session, "police", "BO")
    row = decisions.decide(
        session, officer, claim.id, action, "Contacto directo con la joven." if action == "dismiss" else ""
    )
    assert row.assessment_id == current(session, claim.id).id and row.actor_id == officer.id
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == f"risk.{action}")).one()
    assert event.target_id == str(claim.id) and "Contacto" not in str(event.details)


@pytest.mark.parametrize("role,country", [("family", None), ("police", "CL"), ("coordinator", "BO"), ("trainer", "BO")])
def test_only_officers_of_the_country_and_admins_decide(session, role, country):
    claim = girl(session)
    with pytest.raises(NotFound):
        decisions.decide(session, make_user(session, role, country), claim.id, "escalate", "")
    assert decisions.decide(session, make_user(session, "admin", None), claim.id, "escalate", "")


def test_the_reporting_family_and_the_public_never_see_it(session):
    family = make_user(session, "family")
    claim = make_claim(session, family, status="active", publication="published", circumstances=["job_offer_abroad"])
    assert decisions.risk_for(session, family, claim) is None
    assert decisions.risk_for(session, make_user(session, "trainer", "BO"), claim) is None
    # The card is for the owner and linked countries only (issue 14): an unlinked country does not read it.
    assert decisions.risk_for(session, make_user(session, "police", "CL"), claim) is None
    assert decisions.risk_for(session, make_user(session, "coordinator", "BO"), claim) is not None
    with pytest.raises(NotFound):
        decisions.flagged(session, family)
