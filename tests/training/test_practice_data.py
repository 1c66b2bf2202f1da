"""The practice space's generated cases (issue 12): invented, marked, and filed through the casework path
so that the matching engine and the trafficking indicators see them as real ones."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.cases.models import Claim, Note
from portal.flags.services import current
from portal.notify.models import OutboxMessage
from portal.notify.notices import mail_address
from portal.practice_data import PracticeCounts, fill_practice_space
from portal.practice_names import MARKS, SENTENCES
from portal.review.decisions import queue
from portal.review.models import MatchCandidate
from portal.sightings.models import Sighting
from tests.builders import make_user

TODAY = date(2026, 11, 29)
LANGUAGES = ["es", "en", "pt", "fr", "ht", "qu", "ay", "gn"]


def _fill(session, *, country="BO", language="es", seed=1) -> PracticeCounts:
    officer = make_user(session, "police", country)
    return fill_practice_space(session, officer, country=country, language=language, today=TODAY, seed=seed)


def _claims(session, after: int = 0) -> list[Claim]:
    return list(session.scalars(select(Claim).where(Claim.id > after).order_by(Claim.id)))


def _names(claims: list[Claim]) -> list[tuple[str, str, str]]:
    return [(c.given_names, c.first_surname, c.second_surname) for c in claims]


def _last_claim_id(session) -> int:
    return session.scalar(select(func.max(Claim.id))) or 0


def _candidates(session, kind: str) -> list[MatchCandidate]:
    return list(
        session.scalars(
            select(MatchCandidate).where(MatchCandidate.right_type == kind, MatchCandidate.status == "open")
        )
    )


def _cross_border(candidates: list[MatchCandidate]) -> list[MatchCandidate]:
    return [c for c in candidates if c.right_claim and c.left_claim.owner_country != c.right_claim.owner_country]


@pytest.fixture
def filled(session) -> PracticeCounts:
    """A space filled for Bolivia in Spanish with seed 1, committed."""
    counts = _fill(session)
    session.commit()
    return counts


def test_the_counts_are_what_the_database_holds(session, filled):
    assert filled.claims == session.scalar(select(func.count()).select_from(Claim))
    assert filled.sightings == session.scalar(select(func.count()).select_from(Sighting))
    assert filled.open_candidates == session.scalar(select(func.count()).where(MatchCandidate.status == "open"))
    assert filled.duplicates == len(_cross_border(list(session.scalars(select(MatchCandidate)))))
    assert 15 <= filled.claims <= 25 and 6 <= filled.sightings <= 10


def test_a_person_reported_in_two_countries_gives_an_open_candidate_spelt_two_ways(session, filled):
    pairs = _cross_border(_candidates(session, "claim"))
    assert pairs and filled.duplicates >= 1
    names = [
        (
            (c.left_claim.given_names, c.left_claim.first_surname),
            (c.right_claim.given_names, c.right_claim.first_surname),
        )
        for c in pairs
    ]
    assert any(left != right for left, right in names)
    # Validated on both sides: a draft abroad would be hidden from this country's trainees.
    assert all(c.left_claim.status == c.right_claim.status == "active" for c in pairs)


def test_a_trainee_of_the_country_finds_the_duplicate_and_sightings_in_the_review_queue(session, filled):
    trainee = make_user(session, "police", "BO")
    waiting = queue(session, trainee)
    assert _cross_border(waiting)
    assert any(c.right_type == "sighting" for c in waiting)


def test_some_sightings_match_a_claim_and_one_matches_nothing(session, filled):
    assert _candidates(session, "sighting")
    matched = set(session.scalars(select(MatchCandidate.right_sighting_id)))
    assert [s for s in session.scalars(select(Sighting)) if s.id not in matched]


def test_a_claim_reaches_level_1_and_another_level_2_with_a_candidate_left_open(session, filled):
    levels = {claim.id: getattr(current(session, claim.id), "level", 0) for claim in _claims(session)}
    assert 1 in levels.values() and 2 in levels.values()
    assert (filled.level1, filled.level2) == (list(levels.values()).count(1), list(levels.values()).count(2))
    priority = next(claim_id for claim_id, level in levels.items() if level == 2)
    confirmed = session.scalars(
        select(MatchCandidate).where(MatchCandidate.left_claim_id == priority, MatchCandidate.status == "confirmed")
    ).all()
    assert any(c.right_sighting and c.right_sighting.verified and c.right_sighting.venue == "bar" for c in confirmed)
    assert [c for c in _candidates(session, "sighting") if c.left_claim_id != priority]


def test_drafts_wait_for_validation_beside_active_and_withheld_claims(session, filled):
    claims = _claims(session)
    assert [c for c in claims if c.status == "draft" and c.publication == "unpublished"]
    assert [c for c in claims if c.status == "active" and c.publication == "published"]
    assert len([c for c in claims if c.publication == "withheld"]) == 1


def test_every_text_is_marked_and_nobody_is_mailed(session, filled):
    mark = MARKS["es"]
    for claim in _claims(session):
        assert claim.description.startswith(mark) and claim.circumstances_text.startswith(mark)
        assert claim.reporter_name.startswith(mark)
        assert claim.reporter_contact and mail_address(claim.reporter_contact) is None
    for sighting in session.scalars(select(Sighting)):
        assert sighting.description.startswith(mark) and mail_address(sighting.reporter_contact) is None
    written = [note.text for note in session.scalars(select(Note)) if note.text]
    assert written and all(text.startswith(mark) for text in written)
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_the_officer_abroad_is_invented_and_can_neither_log_in_nor_be_mailed(session, filled):
    abroad = {c.owner_country for c in _claims(session)} - {"BO"}
    assert abroad == {"PE"}
    partner = session.scalar(select(User).where(User.country_code == "PE"))
    assert partner is not None and not partner.active and partner.email.endswith("@practice.example")


def test_the_same_seed_gives_the_same_people_and_another_seed_other_people(session):
    _fill(session, seed=1)
    first = _names(_claims(session))
    before = _last_claim_id(session)
    _fill(session, seed=1)
    again = _names(_claims(session, before))
    before = _last_claim_id(session)
    _fill(session, seed=2)
    other = _names(_claims(session, before))
    assert again == first and other != first


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_fills_its_texts(session, language):
    counts = _fill(session, language=language)
    claims = _claims(session)
    assert counts.claims == len(claims) and counts.level2 >= 1
    sentences = set(SENTENCES[language].values())
    for claim in claims:
        assert claim.description.startswith(MARKS[language])
        assert claim.description.removeprefix(MARKS[language]).strip() in sentences


def test_quechua_texts_differ_from_spanish_ones_and_an_unknown_language_is_spanish(session):
    _fill(session, language="es")
    spanish = [c.description for c in _claims(session)]
    before = _last_claim_id(session)
    _fill(session, language="qu")
    quechua = [c.description for c in _claims(session, before)]
    before = _last_claim_id(session)
    _fill(session, language="xx")
    unknown = [c.description for c in _claims(session, before)]
    assert len(quechua) == len(spanish) and all(q != s for q, s in zip(quechua, spanish, strict=True))
    assert unknown == spanish


def test_only_a_police_officer_of_the_country_files_the_cases(session):
    trainer = make_user(session, "trainer", "BO")
    with pytest.raises(ValueError):
        fill_practice_space(session, trainer, country="BO", language="es", today=TODAY, seed=1)
    peruvian = make_user(session, "police", "PE")
    with pytest.raises(ValueError):
        fill_practice_space(session, peruvian, country="BO", language="es", today=TODAY, seed=1)
