"""Claim services and access rules, below the pages and the API."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.cases import services
from portal.cases.inputs import parse_claim
from portal.cases.models import Note
from portal.cases.rules import Access, access, is_minor, photo_is_public
from portal.db import AppendOnlyViolation
from portal.errors import Conflict, NotFound, ValidationFailed
from portal.security import AnonymousUser
from tests.builders import claim_data, make_claim, make_user

MEMBERS = ["BO", "PE"]


def test_references_count_per_country_and_year(session):
    a = make_claim(session)
    b = make_claim(session)
    c = make_claim(session, country="PE", event_date="2025-12-31")
    assert (a.reference, b.reference, c.reference) == ("BO-2026-000001", "BO-2026-000002", "PE-2025-000001")


@pytest.mark.parametrize(
    ("role", "country", "status", "publication", "expected"),
    [
        ("police", "BO", "draft", "unpublished", Access.POLICE),
        ("police", "PE", "draft", "unpublished", Access.NONE),  # another country's draft
        ("police", "PE", "active", "unpublished", Access.NETWORK),  # identification only, network-wide
        ("coordinator", "BO", "draft", "unpublished", Access.POLICE),
        ("admin", None, "draft", "unpublished", Access.POLICE),
        ("trainer", "BO", "draft", "unpublished", Access.NONE),
        ("trainer", "BO", "active", "published", Access.PUBLIC),
        ("family", None, "active", "unpublished", Access.NONE),  # someone else's family
        ("family", None, "active", "published", Access.PUBLIC),
    ],
)
def test_access_matrix(session, role, country, status, publication, expected):
    claim = make_claim(session, status=status, publication=publication)
    assert access(make_user(session, role, country), claim) == expected


def test_reporter_and_public(session):
    family = make_user(session, "family")
    claim = make_claim(session, family)
    assert access(family, claim) == Access.FAMILY
    assert access(AnonymousUser(), claim) == Access.NONE
    claim.status, claim.publication = "active", "published"
    assert access(AnonymousUser(), claim) == Access.PUBLIC


def test_a_minors_photo_needs_recorded_guardian_consent(session):
    claim = make_claim(session, status="active", publication="published")
    assert is_minor(claim) and not photo_is_public(claim)
    services.record_guardian_consent(session, make_user(session, "police", "BO"), claim)
    assert photo_is_public(claim)
    adult = make_claim(session, status="active", publication="published", birth_date="1990")
    assert not is_minor(adult) and photo_is_public(adult)
    unknown_age = make_claim(session, status="active", publication="published", birth_date="")
    assert is_minor(unknown_age)  # unknown age is treated as a minor


def test_validation_is_for_officers_of_the_owning_country(session):
    claim = make_claim(session)
    with pytest.raises(NotFound):
        services.validate_claim(
            session, make_user(session, "police", "PE"), claim, police_case_number="X-1", publication="published"
        )
    with pytest.raises(ValidationFailed) as caught:
        services.validate_claim(
            session, make_user(session, "police", "BO"), claim, police_case_number=" ", publication="nope"
        )
    assert set(caught.value.fields) == {"police_case_number", "publication"}
    officer = make_user(session, "police", "BO")
    services.validate_claim(session, officer, claim, police_case_number="FELCC 12/2026", publication="published")
    assert (claim.status, claim.publication, claim.validated_by_id) == ("active", "published", officer.id)
    kinds = [n.kind for n in claim.notes]
    assert kinds == ["status_change", "validation", "publication"]


def test_status_changes_follow_the_life_cycle(session):
    claim = make_claim(session, status="active")
    officer = make_user(session, "police", "BO")
    with pytest.raises(ValidationFailed):
        services.add_note(session, officer, claim, text="", visibility="police", new_status="draft")
    services.add_note(
        session,
        officer,
        claim,
        text="Hallada en Oruro.",
        visibility="police",
        new_status="located_alive",
        no_contact=True,
    )
    assert claim.status == "located_alive"
    family_notes = [n for n in claim.notes if n.visibility in ("public", "family")]
    assert family_notes[-1].details.get("found_safe") is True and family_notes[-1].text == ""
    assert claim.notes[-1].visibility == "police" and claim.notes[-1].text == "Hallada en Oruro."


def test_family_adds_notes_but_cannot_change_status_or_publish_notes(session):
    family = make_user(session, "family")
    claim = make_claim(session, family, status="active")
    services.add_note(session, family, claim, text="La vieron en la feria.", visibility="family")
    with pytest.raises(ValidationFailed):
        services.add_note(session, family, claim, text="x", visibility="public")
    with pytest.raises(NotFound):
        services.add_note(session, family, claim, text="x", visibility="family", new_status="closed")


def test_notes_and_audit_events_are_append_only(session):
    claim = make_claim(session)
    session.commit()
    note = session.scalar(select(Note).where(Note.claim_id == claim.id))
    note.text = "rewritten"
    with pytest.raises(AppendOnlyViolation):
        session.flush()
    session.rollback()
    event = session.scalar(select(AuditEvent))
    session.delete(event)
    with pytest.raises(AppendOnlyViolation):
        session.flush()


def test_stale_edit_is_refused_and_the_other_edit_survives(session):
    claim = make_claim(session, status="active")
    officer_a, officer_b = make_user(session, "police", "BO"), make_user(session, "police", "BO")
    seen_version = claim.version
    edit = parse_claim(
        claim_data(height_cm="155"), today=date(2026, 11, 29), member_countries=MEMBERS, require_reporter=False
    )
    services.update_person(session, officer_a, claim, edit, expected_version=seen_version)
    other = parse_claim(
        claim_data(height_cm="149"), today=date(2026, 11, 29), member_countries=MEMBERS, require_reporter=False
    )
    with pytest.raises(Conflict):
        services.update_person(session, officer_b, claim, other, expected_version=seen_version)
    assert claim.height_cm == 155 and claim.version == seen_version + 1


def test_police_views_are_audited_public_views_are_not(session):
    claim = make_claim(session, status="active", publication="published")
    services.get_claim(session, make_user(session, "police", "PE"), claim.id, ip="127.0.0.1")
    services.get_claim(session, AnonymousUser(), claim.id)
    views = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "claim.view")))
    assert len(views) == 1 and views[0].actor_role == "police"
    assert views[0].details == {"level": "network", "relations": ["other_country", "public"]}


def test_every_person_field_of_the_form_is_a_claim_column():
    from portal.cases.inputs import PERSON_FIELDS
    from portal.cases.models import Claim

    assert set(PERSON_FIELDS) <= set(Claim.__table__.columns.keys())
