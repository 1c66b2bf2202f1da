"""Matching in the database: stored keys, candidates, upserts, confirm and reject, rights."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.cases.inputs import parse_claim
from portal.cases.models import Note
from portal.casework import claim_changed as update_person
from portal.errors import Conflict, NotFound, ValidationFailed
from portal.matching.blocking import blocking_keys
from portal.matching.records import prepare
from portal.matching.scoring import REVIEW, SIGHTING_REVIEW, SIGHTING_TOP, TermFrequencies, compare, decision_for
from portal.review import candidates as keeper
from portal.review import decisions
from portal.review.models import MatchKey, MatchToken
from portal.sightings.models import Sighting
from tests.builders import MEMBERS, candidate_of, candidates, claim_data, guadalupe, lupe_sighting, make_user


def test_a_claims_keys_and_tokens_are_stored(session):
    claim = guadalupe(session)
    session.commit()
    stored = set(
        session.scalars(select(MatchKey.key).where(MatchKey.record_type == "claim", MatchKey.record_id == claim.id))
    )
    assert stored == blocking_keys(prepare(keeper.record_for_claim(claim)))
    tokens = set(
        session.execute(
            select(MatchToken.kind, MatchToken.token, MatchToken.country).where(MatchToken.claim_id == claim.id)
        )
    )
    assert tokens == {("given", "guadalupe", "BO"), ("surname", "quispe", "BO"), ("surname", "mamani", "BO")}


def test_two_claims_of_one_country_are_weighed_by_its_name_counts_as_portal_link_weighs_them(session, monkeypatch):
    # Bolivia's three claims carry Quispe and Mamani, Peru's one does not: with a country's own
    # counts from three claims up, the pair of Bolivian claims is scored as `portal link` scores it.
    monkeypatch.setattr("portal.matching.scoring.LOCAL_MIN_RECORDS", 3)
    guadalupe(session, given_names="Rosa", second_surname="", document_id="")
    guadalupe(session, given_names="Ana", first_surname="Apaza", second_surname="", country="PE", document_id="")
    first = guadalupe(session)
    second = guadalupe(session, given_names="Lupe", document_id="")  # matched against the three before it
    session.commit()
    records = [prepare(keeper.record_for_claim(claim)) for claim in (first, second)]
    tf = keeper.term_frequencies(session, records)
    assert tf.by_country["BO"] == ({"guadalupe": 1, "lupe": 1}, {"quispe": 3, "mamani": 2}, 3)
    assert tf.surname("quispe") == 3 / 4 and tf.for_pair(*records).surname("quispe") == 1.0
    network = TermFrequencies(tf.given_counts, tf.surname_counts, tf.total)  # no country's own counts
    expected = compare(records[0], records[1], tf, tf.total)
    assert expected.log2_bayes_factor < compare(records[0], records[1], network, tf.total).log2_bayes_factor
    [stored] = [c for c in candidates(session) if (c.left_claim_id, c.right_claim_id) == (first.id, second.id)]
    assert (stored.score, stored.reasons) == (expected.score, list(expected.reasons))


def test_a_whole_name_typed_in_the_given_names_box_is_read_as_names_and_surnames(session):
    filed = guadalupe(session, document_id="")
    whole = guadalupe(
        session, given_names="Guadalupe Quispe Mamani", first_surname="", second_surname="", document_id=""
    )
    session.commit()
    record = keeper.record_for_claim(whole)
    assert (record.given_names, record.first_surname, record.second_surname) == ("Guadalupe", "Quispe", "Mamani")
    [pair] = [c for c in candidates(session) if (c.left_claim_id, c.right_claim_id) == (filed.id, whole.id)]
    assert "surname=exact" in pair.reasons and pair.decision == "match"
    assert keeper.record_for_claim(filed).given_names == "Guadalupe"  # both boxes filled: as written


def test_records_map_the_models_fields(session):
    claim = guadalupe(session, aliases="Lupita")
    record = keeper.record_for_claim(claim, photo_hashes=[-1])
    assert (record.kind, record.given_names, record.aliases, record.birth_precision, record.country) == (
        "claim",
        "Guadalupe",
        ("Lupita",),
        "year",
        "BO",
    )
    assert record.photo_hashes == (-1,)  # given as is; read from photos they are made unsigned
    sighting = lupe_sighting(session, name_heard="Lupe Kispe Mamani")
    record = keeper.record_for_sighting(sighting)
    assert (record.kind, record.given_names, record.first_surname, record.second_surname) == (
        "sighting",
        "Lupe",
        "Kispe",
        "Mamani",
    )


def test_a_sighting_of_lupe_becomes_an_open_candidate_with_the_nickname(session, pair):
    claim, sighting, candidate = pair
    assert (candidate.left_claim_id, candidate.right_type, candidate.right_sighting_id) == (
        claim.id,
        "sighting",
        sighting.id,
    )
    assert candidate.status == "open" and candidate.score >= 0.02
    assert "given=nickname(lupe)" in candidate.reasons


def test_a_lone_surname_heard_by_a_witness_is_read_as_a_surname(session):
    # "Quispe" is a surname in the registry (the claims say so), so the witness meant the surname.
    claim = guadalupe(session)
    sighting = lupe_sighting(session, name_heard="QUISPE")
    session.commit()
    record = keeper.record_for_sighting(sighting)
    assert (record.given_names, record.first_surname) == ("", "QUISPE")
    candidate = candidate_of(session, sighting)
    assert candidate.left_claim_id == claim.id and "surname=exact" in candidate.reasons
    # A word the registry knows as a given name stays one.
    assert keeper.record_for_sighting(lupe_sighting(session, name_heard="Guadalupe")).given_names == "Guadalupe"


def test_a_sighting_keeps_its_ten_best_candidates_as_claims_come_and_go(session):
    # Twelve girls called Guadalupe, born in 2010, each with her own surnames: all could be "Lupe".
    surnames = ["Condori", "Choque", "Apaza", "Flores", "Ticona", "Huanca", "Poma", "Limachi", "Vargas", "Rojas"]
    for first in surnames[:6]:
        for second in surnames[6:8]:
            guadalupe(session, first_surname=first, second_surname=second)
    sighting = lupe_sighting(session)
    session.commit()
    before = {c.left_claim_id: c.score for c in candidates(session) if c.right_sighting_id == sighting.id}
    assert len(before) == SIGHTING_TOP
    # A claim seen in Cusco itself, where the witness was: it enters the ten, the weakest leaves.
    nearer = guadalupe(session, first_surname="Vargas", second_surname="Rojas", country="PE", place="Cusco")
    session.commit()
    after = {c.left_claim_id: c.score for c in candidates(session) if c.right_sighting_id == sighting.id}
    assert len(after) == SIGHTING_TOP and nearer.id in after
    assert after[nearer.id] > min(before.values())


def test_a_sightings_candidates_go_lower_than_a_claim_pairs(session):
    assert (REVIEW, SIGHTING_REVIEW) == (0.02, 0.005)
    assert decision_for(0.01, "claim", "sighting") == "possible" and decision_for(0.01) == ""


def test_a_duplicate_claim_in_peru_becomes_a_claim_pair(session):
    first = guadalupe(session)
    second = guadalupe(session, first_surname="Kispe", country="PE", place="Cusco", event_date="2026-03-20")
    session.commit()
    [candidate] = candidates(session)
    assert (candidate.left_claim_id, candidate.right_type, candidate.right_claim_id) == (first.id, "claim", second.id)
    assert any(r.startswith("surname≈phonetic") for r in candidate.reasons)


def test_a_claim_filed_after_the_sighting_finds_it_too(session):
    sighting = lupe_sighting(session)
    claim = guadalupe(session)
    session.commit()
    assert [(c.left_claim_id, c.right_sighting_id) for c in candidates(session)] == [(claim.id, sighting.id)]


def test_a_sighting_before_the_disappearance_is_no_candidate(session):
    guadalupe(session)
    lupe_sighting(session, event_date="2026-01-15")
    session.commit()
    assert candidates(session) == []


def test_matching_again_updates_in_place_and_drops_what_no_longer_matches(session, pair):
    claim, sighting, candidate = pair
    keeper.match_sighting(session, sighting)
    keeper.match_claim(session, claim)
    session.commit()
    assert [c.id for c in candidates(session)] == [candidate.id]
    # The family corrects the sex: the sighting no longer fits and the open candidate goes.
    officer = make_user(session, "police", "BO")
    data = parse_claim(
        claim_data(**{**_values(claim), "given_names": "Pedro", "sex": "M"}),
        today=date(2026, 11, 29),
        member_countries=MEMBERS,
        require_reporter=False,
    )
    update_person(session, officer, claim, data, expected_version=claim.version)
    session.commit()
    assert candidates(session) == []


def test_decided_candidates_keep_their_status_when_matched_again(session, pair):
    claim, sighting, candidate = pair
    officer = make_user(session, "police", "PE")
    decisions.reject(session, officer, candidate, "Otra persona: la vimos en persona.")
    session.commit()
    keeper.match_sighting(session, sighting)
    keeper.match_claim(session, claim)
    session.commit()
    [again] = candidates(session)
    assert (again.id, again.status) == (candidate.id, "rejected")


def test_confirming_two_claims_adds_a_note_on_each_and_merges_nothing(session):
    first = guadalupe(session)
    second = guadalupe(session, first_surname="Kispe", country="PE", place="Cusco")
    [candidate] = candidates(session)
    officer = make_user(session, "police", "PE")
    decisions.confirm(session, officer, candidate, "Misma foto y misma madre.")
    decisions.confirm(session, officer, candidate, "double submit")  # no-op
    session.commit()
    notes = session.scalars(select(Note).where(Note.kind == "duplicate").order_by(Note.claim_id)).all()
    assert [(n.claim_id, n.details["other_reference"], n.visibility) for n in notes] == [
        (first.id, second.reference, "police"),
        (second.id, first.reference, "police"),
    ]
    session.refresh(first), session.refresh(second)
    assert first.status == second.status == "active"  # both records stay
    assert candidates(session)[0].status == "confirmed"
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "match.confirm")) == 1


def test_confirming_a_sighting_ties_it_to_the_claim_and_notes_it(session, pair):
    claim, sighting, candidate = pair
    officer = make_user(session, "police", "BO")
    decisions.confirm(session, officer, candidate, "")
    session.commit()
    assert session.get(Sighting, sighting.id).claim_id == claim.id
    [note] = session.scalars(select(Note).where(Note.claim_id == claim.id, Note.kind == "sighting")).all()
    assert note.visibility == "police" and note.details["sighting"] == sighting.id


def test_reject_needs_a_reason_and_conflicts_are_409_not_500(session, pair):
    _claim, _sighting, candidate = pair
    officer = make_user(session, "police", "PE")
    with pytest.raises(ValidationFailed):
        decisions.reject(session, officer, candidate, "   ")
    decisions.reject(session, officer, candidate, "No es ella.")
    decisions.reject(session, officer, candidate, "No es ella.")  # no-op
    with pytest.raises(Conflict):
        decisions.confirm(session, officer, candidate, "")


@pytest.mark.parametrize(
    "role, country", [("police", "CL"), ("coordinator", "GT"), ("family", None), ("trainer", "BO")]
)
def test_others_cannot_see_or_decide(session, pair, role, country):
    _claim, _sighting, candidate = pair
    user = make_user(session, role, country)
    assert not decisions.may_review(user, candidate)
    with pytest.raises(NotFound):
        decisions.get_candidate(session, user, candidate.id)
    with pytest.raises(NotFound):
        decisions.confirm(session, user, candidate, "")
    with pytest.raises(NotFound):
        decisions.reject(session, user, candidate, "no")


def test_reviewers_are_the_police_of_both_countries_and_admins(session, pair):
    _claim, _sighting, candidate = pair
    for role, country in (("police", "BO"), ("coordinator", "PE"), ("admin", None)):
        assert decisions.may_review(make_user(session, role, country), candidate)


def _values(claim):  # type: ignore[no-untyped-def]
    return {
        "given_names": claim.given_names,
        "first_surname": claim.first_surname,
        "second_surname": claim.second_surname,
        "aliases": "",
        "birth_date": "2010",
        "document_id": "",
        "height_cm": "",
        "distinguishing_marks": "",
        "event_date": claim.event_date.isoformat(),
        "country": claim.country,
        "place": claim.place,
    }


def test_a_pair_created_meanwhile_by_another_worker_is_kept_not_a_500(session, database_url):
    from sqlalchemy import delete as sql_delete
    from sqlalchemy.orm import Session as OrmSession

    from portal.db import make_engine
    from portal.matching.scoring import MatchResult
    from portal.review.candidates import _upsert
    from portal.review.models import MatchCandidate as Candidate

    claim = guadalupe(session)
    sighting = lupe_sighting(session)
    session.commit()
    session.execute(sql_delete(Candidate))
    session.commit()
    other_engine = make_engine(database_url)
    with OrmSession(other_engine) as other:  # the other web worker, a moment earlier
        other.add(
            Candidate(
                left_claim_id=claim.id,
                right_type="sighting",
                right_sighting_id=sighting.id,
                score=0.5,
                decision="possible",
                reasons=["given=nickname(lupe)"],
                status="open",
            )
        )
        other.commit()
    other_engine.dispose()
    result = MatchResult(0.6, "match", ("given=nickname(lupe)",), 1.0)
    _upsert(session, [], {(claim.id, "sighting", sighting.id): result})  # must not raise
    session.commit()
    assert [(c.right_sighting_id, c.score) for c in candidates(session)] == [(sighting.id, 0.5)]
