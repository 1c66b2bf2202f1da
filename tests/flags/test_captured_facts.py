"""case_facts reads the offer, recruiters, vulnerability facts, sighting conditions and police note flags."""

from __future__ import annotations

from datetime import date

from portal.cases.models import Note
from portal.flags.facts import case_facts, duplicates_of
from portal.risk import Identifier, Offer
from tests.builders import make_claim, make_user


def test_the_claims_facts_reach_the_engine(session):
    employer = make_user(session, "family")
    claim = make_claim(
        session,
        employer,
        reporter_relation="empleadora",
        occupation="domestic_worker",
        offer={"type": "job", "sector": "mining", "debt_mentioned": "yes"},
        recruiters=[{"kind": "social_handle", "value": "@Reclutador"}],
        prior_disappearances="3",
        missing_from_state_care="yes",
    )
    facts = case_facts(session, claim, date(2026, 11, 29)).claim
    assert facts.offer == Offer(type="job", sector="mining", debt_mentioned=True)
    assert facts.recruiters == (Identifier("social_handle", "reclutador"),)
    assert (facts.prior_disappearances, facts.missing_from_state_care, facts.occupation) == (3, True, "domestic_worker")
    assert facts.reporter_relation == "employer"  # with domestic_worker: X6


def test_only_police_notes_carry_flags_to_the_engine(session):
    family = make_user(session, "family")
    claim = make_claim(session, family)
    officer = make_user(session, "police", "BO")
    session.add_all(
        [
            Note(claim=claim, author_id=family.id, text="x", visibility="family", flags=["threatened"]),
            Note(claim=claim, author_id=officer.id, text="y", visibility="police", flags=["owes_debt"]),
        ]
    )
    session.flush()
    notes = case_facts(session, claim, date(2026, 11, 29)).notes
    assert [(n.flags, n.source.reported_by, n.source.verified) for n in notes] == [(("owes_debt",), "police", True)]


def test_no_duplicates_without_a_confirmed_pair(session):
    claim = make_claim(session)
    assert duplicates_of(session, claim.id) == set()
