"""A claim anonymised by retention or erasure keeps what the law and the statistics need, and nothing else."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.cases.erasure import BLANKED, KEPT
from portal.cases.inputs import parse_claim
from portal.cases.models import Claim, Note, RecruiterIdentifier
from portal.cases.search import parse_search, search_claims
from portal.casework import claim_filed, note_added
from portal.db import utcnow
from portal.flags.models import RiskAssessment
from portal.notify.models import Subscription
from portal.photos.models import Photo
from portal.photos.storage import PhotoStore
from portal.retention import jobs
from portal.retention.policies import Periods
from portal.review.models import MatchCandidate, MatchKey, MatchToken
from tests.builders import MEMBERS, claim_data, jpeg_with_gps, make_claim, make_user

# Words that only the claim's person, family and witnesses wrote: none may be left anywhere.
PERSONAL = ("Rosa Elvira", "Condori", "9900123", "lunar en la mejilla", "Distrito 8", "+591 70000000", "Juana")
LATER = timedelta(days=365 * 10 + 10)


def test_every_claim_column_is_either_kept_or_blanked():
    columns = set(Claim.__table__.columns.keys())
    assert not set(KEPT) & set(BLANKED)
    assert columns == set(KEPT) | set(BLANKED)


def _filed(session, app, **overrides):
    family = make_user(session, "family")
    data = parse_claim(
        claim_data(recruiters=[{"kind": "phone", "value": "+591 71111111"}], **overrides),
        today=utcnow().date(),
        member_countries=MEMBERS,
        require_reporter=False,
    )
    store = PhotoStore(app.config["PHOTO_DIR"])
    claim = claim_filed(session, family, data, photos=[jpeg_with_gps()], store=store)
    officer = make_user(session, "police", "BO")
    claim.status, claim.police_case_number = "active", "FELCC-2026-777"
    note_added(
        session, officer, claim, text="La madre Juana dice que Rosa Elvira llamó.", visibility="police",
        new_status="located_alive",
    )  # fmt: skip
    session.add(Subscription(claim_id=claim.id, address="vecina@example.test", locale="es"))
    session.commit()
    return claim, store


def _run(app, now, **kwargs):
    return jobs.run(
        app.extensions["portal.sessionmaker"],
        PhotoStore(app.config["PHOTO_DIR"]),
        Periods.from_config(app.config),
        now,
        **kwargs,
    )


def test_a_closed_case_is_anonymised_after_the_configured_years(app, session):
    claim, store = _filed(session, app)
    photo = session.scalar(select(Photo).where(Photo.claim_id == claim.id))
    files = [store.path_for(photo.content_hash, size) for size in ("full", "thumb")]
    assert all(f.exists() for f in files)
    other = make_claim(session, status="located_alive", given_names="Ana", first_surname="Mamani")
    session.commit()

    report = _run(app, utcnow() + LATER)

    assert report.closed_cases_anonymised == 2 and report.photo_files_deleted == 2
    session.expire_all()
    claim = session.get(Claim, claim.id)
    assert claim.anonymised_at is not None
    assert (claim.reference, claim.police_case_number, claim.status, claim.sex) == (
        claim.reference, "FELCC-2026-777", "located_alive", "F",
    )  # fmt: skip
    assert claim.given_names == claim.first_surname == claim.document_id == claim.reporter_contact == ""
    assert claim.reporter_id is None and claim.birth_date is None and claim.publication == "unpublished"
    # No name keys: neither the public's nor the police's search finds it.
    assert claim.name_keys == [] and claim.public_name_keys == []
    assert session.scalar(select(func.count()).select_from(MatchKey).where(MatchKey.record_id == claim.id)) == 0
    assert session.scalar(select(func.count()).select_from(MatchToken).where(MatchToken.claim_id == claim.id)) == 0
    officer = make_user(session, "police", "BO")
    hits = search_claims(session, officer, parse_search({"q": "Rosa Elvira Quispe"})).hits
    assert claim.id not in {hit.claim.id for hit in hits}
    # Photos: rows and files; recruiters and subscribers: gone; notes: kept, without their words.
    assert session.scalar(select(func.count(Photo.id)).where(Photo.claim_id == claim.id)) == 0
    assert not any(f.exists() for f in files)
    assert session.scalar(select(func.count(RecruiterIdentifier.id))) == 0
    assert session.scalar(select(func.count(Subscription.id))) == 0
    notes = session.scalars(select(Note).where(Note.claim_id == claim.id)).all()
    assert len(notes) == 2 and all(n.text == "" for n in notes)
    assert [n.status_after for n in notes if n.status_after] == ["draft", "located_alive"]
    # Nothing the family or the police wrote about the person is left in any row of the claim's.
    rows = [claim.__dict__, *[n.__dict__ for n in notes]]
    rows += [a.result for a in session.scalars(select(RiskAssessment).where(RiskAssessment.claim_id == claim.id))]
    rows += [e.details for e in session.scalars(select(AuditEvent))]
    dump = json.dumps(rows, default=str)
    assert not [word for word in PERSONAL if word in dump]
    assert "71111111" not in dump
    # The audit trail says what was done, in counts and ids.
    event = session.scalar(
        select(AuditEvent).where(AuditEvent.action == "claim.anonymise", AuditEvent.target_id == str(claim.id))
    )
    assert event.details == {
        "reason": "retention.closed_case", "closed": False, "notes": 1, "photos": 1, "recruiters": 1,
        "match_keys": event.details["match_keys"], "assessments": event.details["assessments"], "subscriptions": 1,
    }  # fmt: skip
    assert event.details["match_keys"] > 0
    assert other.id in {
        int(e.target_id) for e in session.scalars(select(AuditEvent).where(AuditEvent.action == "claim.anonymise"))
    }


def test_a_case_is_not_anonymised_a_day_early_nor_when_someone_worked_on_it_since(app, session):
    closed = make_claim(session, status="closed")
    session.commit()
    assert _run(app, utcnow() + timedelta(days=365 * 10 - 5)).closed_cases_anonymised == 0
    # A note years later (the case looked at again) restarts the clock.
    officer = make_user(session, "police", "BO")
    note_added(session, officer, closed, text="Revisado.", visibility="police")
    session.commit()
    later = utcnow() + timedelta(days=365 * 5)  # a note five years on
    session.add(Note(claim_id=closed.id, kind="information", visibility="police", text="", created_at=later))
    session.commit()
    assert _run(app, utcnow() + LATER).closed_cases_anonymised == 0
    assert _run(app, later + LATER).closed_cases_anonymised == 1


def test_active_cases_are_never_touched_and_drafts_expire_after_their_days(app, session):
    active = make_claim(session, status="active")
    draft = make_claim(session)
    session.commit()
    assert _run(app, utcnow() + timedelta(days=364)).drafts_anonymised == 0
    report = _run(app, utcnow() + timedelta(days=366))
    assert (report.drafts_anonymised, report.closed_cases_anonymised) == (1, 0)
    report = _run(app, utcnow() + timedelta(days=365 * 50))
    assert (report.drafts_anonymised, report.closed_cases_anonymised) == (0, 0)
    session.expire_all()
    assert session.get(Claim, active.id).anonymised_at is None
    expired = session.get(Claim, draft.id)
    assert (expired.status, expired.given_names) == ("closed", "")
    closing = session.scalars(select(Note).where(Note.claim_id == draft.id).order_by(Note.id.desc())).first()
    assert (closing.status_before, closing.status_after, closing.details) == (
        "draft", "closed", {"reason": "retention.expired_draft"},
    )  # fmt: skip


def test_a_dry_run_counts_the_same_records_and_changes_nothing(app, session):
    make_claim(session, status="closed")
    make_claim(session)
    session.commit()
    before = session.scalar(select(func.count(AuditEvent.id)))
    dry = _run(app, utcnow() + LATER, dry_run=True)
    assert (dry.closed_cases_anonymised, dry.drafts_anonymised) == (1, 1)
    assert session.scalar(select(func.count(AuditEvent.id))) == before
    assert session.scalar(select(func.count(Claim.id)).where(Claim.anonymised_at.is_not(None))) == 0
    real = _run(app, utcnow() + LATER)
    assert (real.closed_cases_anonymised, real.drafts_anonymised) == (1, 1)


def test_a_failure_half_way_leaves_the_batch_as_it_was(app, session, monkeypatch):
    """Fault injection: the matching store fails while a claim is anonymised; its whole batch rolls back."""
    claim, store = _filed(session, app)
    photo = session.scalar(select(Photo).where(Photo.claim_id == claim.id))

    def broken(_session, _claim_id):
        raise OSError("disk gone")

    monkeypatch.setattr("portal.review.erasure.forget_claim", broken)
    with pytest.raises(OSError):
        _run(app, utcnow() + LATER)
    session.expire_all()
    kept = session.get(Claim, claim.id)
    assert (kept.anonymised_at, kept.given_names) == (None, "Rosa Elvira")
    assert store.path_for(photo.content_hash).exists()
    assert session.scalar(select(func.count(Note.id)).where(Note.claim_id == claim.id, Note.text != "")) == 1


def test_candidates_of_an_anonymised_claim_keep_their_decision_but_no_words(app, session):
    from tests.builders import guadalupe, lupe_sighting

    claim = guadalupe(session)
    claim.status = "closed"
    lupe_sighting(session)
    session.commit()
    assert session.scalars(select(MatchCandidate.reasons)).first()
    _run(app, utcnow() + LATER)
    session.expire_all()
    assert [(c.reasons, c.decision_note) for c in session.scalars(select(MatchCandidate))] == [([], "")]


def test_an_anonymised_claim_s_page_and_api_answer_show_no_name_and_do_not_fail(app, session, client, login_as):
    claim, _store = _filed(session, app)
    _run(app, utcnow() + LATER)
    login_as("police", "BO")
    page = client.get(f"/cases/{claim.id}", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert claim.reference in body and not [word for word in PERSONAL if word in body]
    search = client.get("/claims?q=Rosa+Elvira+Quispe", headers={"Accept-Language": "en"})
    assert search.status_code == 200 and claim.reference not in search.get_data(as_text=True)


def test_a_claim_that_shared_a_recruiter_s_phone_is_reassessed_without_it(app, session):
    from portal.flags.services import current

    phone = [{"kind": "phone", "value": "+591 72222222"}]
    make_claim(session, status="closed", recruiters=phone)
    kept = make_claim(session, status="active", given_names="Ana", first_surname="Mamani", recruiters=phone)
    session.commit()

    def n1(claim_id: int) -> list[str]:
        session.expire_all()
        result = current(session, claim_id).result
        return [f["id"] for f in result["indicators"] + result["context"] if f["id"] == "N1"]

    assert n1(kept.id) == ["N1"]
    _run(app, utcnow() + LATER)
    assert n1(kept.id) == []
