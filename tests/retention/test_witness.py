"""A witness is forgotten once their sighting is settled, or when they ask: what they saw stays."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.casework import candidate_confirmed, note_added, sighting_added_to, sighting_closed, sighting_reported
from portal.db import utcnow
from portal.errors import NotFound
from portal.notify.models import OutboxMessage
from portal.photos.storage import PhotoStore
from portal.retention import jobs
from portal.retention.policies import Periods
from portal.sightings.inputs import parse_sighting
from portal.sightings.models import Sighting
from portal.sightings.services import for_witness, new_witness_key
from tests.builders import MEMBERS, candidate_of, guadalupe, make_user

ADDRESS = "testigo@example.test"


def _report(session, **overrides):
    key = new_witness_key()
    data = parse_sighting(
        {
            "event_date": "2026-06-01", "country": "PE", "place": "Cusco, cerca del mercado", "name_heard": "Lupe",
            "sex": "F", "age_min": "15", "age_max": "17", "reporter_contact": ADDRESS, **overrides,
        },
        today=date(2026, 11, 29),
        member_countries=MEMBERS,
    )  # fmt: skip
    sighting = sighting_reported(session, None, data, witness_key=key, locale="es", ip="203.0.113.9")
    sighting_added_to(session, sighting, "Llevaba una mochila verde.", ip="203.0.113.9")
    return sighting, key


def _run(app, now, **kwargs):
    factory = app.extensions["portal.sessionmaker"]
    return jobs.run(factory, PhotoStore(app.config["PHOTO_DIR"]), Periods.from_config(app.config), now, **kwargs)


def test_a_closed_sighting_forgets_its_witness_after_the_configured_days(app, session):
    officer = make_user(session, "police", "PE")
    sighting, key = _report(session)
    sighting_closed(session, officer, sighting, "No es la persona buscada.", ip="198.51.100.7")
    session.commit()
    assert session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.address == ADDRESS)) == 2

    assert _run(app, utcnow() + timedelta(days=179)).witnesses_forgotten == 0
    assert _run(app, utcnow() + timedelta(days=181)).witnesses_forgotten == 1
    assert _run(app, utcnow() + timedelta(days=400)).witnesses_forgotten == 0  # once

    session.expire_all()
    forgotten = session.get(Sighting, sighting.id)
    assert (forgotten.reporter_contact, forgotten.witness_key_digest, forgotten.witness_locale) == ("", None, None)
    assert forgotten.contact_purged_at is not None
    assert (forgotten.name_heard, forgotten.place) == ("Lupe", "Cusco, cerca del mercado")  # what they saw stays
    with pytest.raises(NotFound):
        for_witness(session, key)  # the private link opens nothing
    assert session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.address == ADDRESS)) == 0
    # The witness's own requests lose their address; the officer's stay, as the trail of who did what.
    events = session.execute(
        select(AuditEvent.action, AuditEvent.ip).where(
            AuditEvent.target_type == "sighting", AuditEvent.target_id == str(sighting.id)
        )
    ).all()
    assert ("sighting.close", "198.51.100.7") in events
    assert "203.0.113.9" not in {ip for _action, ip in events}
    forget = session.scalar(select(AuditEvent).where(AuditEvent.action == "sighting.forget_witness"))
    assert forget.details == {"reason": "retention.sighting_settled", "contact": True, "messages": 2, "addresses": 2}


def test_a_confirmed_sighting_keeps_its_witness_while_its_case_is_open(app, session):
    officer = make_user(session, "police", "BO")
    claim = guadalupe(session)
    sighting, _key = _report(session)
    candidate_confirmed(session, officer, candidate_of(session, sighting))
    session.commit()
    # The police may need the witness while the case is open, however long.
    assert _run(app, utcnow() + timedelta(days=3650), dry_run=True).witnesses_forgotten == 0
    note_added(session, officer, claim, text="Encontrada.", visibility="police", new_status="located_alive")
    session.commit()
    assert _run(app, utcnow() + timedelta(days=179), dry_run=True).witnesses_forgotten == 0
    assert _run(app, utcnow() + timedelta(days=181)).witnesses_forgotten == 1


def test_an_open_sighting_nobody_decided_keeps_its_witness(app, session):
    _report(session)
    session.commit()
    assert _run(app, utcnow() + timedelta(days=3650), dry_run=True).witnesses_forgotten == 0


def test_sent_and_dead_mail_is_deleted_after_its_days_and_pending_mail_never(app, session):
    from portal.notify.models import Status

    now = utcnow()
    for status, sent_at in ((Status.SENT, now), (Status.DEAD, None), (Status.PENDING, None)):
        session.add(
            OutboxMessage(
                template="witness/acted", address=ADDRESS, locale="es", context={}, status=status, attempts=1,
                sent_at=sent_at, next_attempt_at=now, last_error="",
            )
        )  # fmt: skip
    session.commit()
    assert _run(app, now + timedelta(days=29)).old_messages_deleted == 0
    assert _run(app, now + timedelta(days=31)).old_messages_deleted == 2
    session.expire_all()
    assert session.scalars(select(OutboxMessage.status)).all() == [Status.PENDING]
