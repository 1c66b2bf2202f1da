"""Who is told what: outbox rows written by the casework path, in the same transaction."""

from __future__ import annotations

from sqlalchemy import select

from portal.casework import candidate_confirmed, note_added, sighting_verified
from portal.notify.models import OutboxMessage, Status
from tests.builders import candidate_of, guadalupe, lupe_sighting, make_claim, make_user


def _messages(session, template=None, address=None):
    session.expire_all()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if template:
        query = query.where(OutboxMessage.template == template)
    if address:
        query = query.where(OutboxMessage.address == address)
    return list(session.scalars(query))


def test_filing_a_claim_tells_the_family_its_reference_in_its_language(session):
    family = make_user(session, "family", preferred_locale="en")
    claim = make_claim(session, family)

    (message,) = _messages(session, "family/received")
    assert message.address == family.email and message.locale == "en"
    assert message.context["reference"] == claim.reference and message.status == Status.PENDING


def test_a_claim_that_rolled_back_tells_nobody(session):
    family = make_user(session, "family")
    session.commit()
    make_claim(session, family)
    session.rollback()

    assert _messages(session) == []


def test_the_family_is_emailed_in_its_language_when_an_officer_confirms_a_sighting(
    client, login_as, csrf, session, mailbox, deliver
):
    family = make_user(session, "family", preferred_locale="en")
    claim = guadalupe(session, reporter=family)
    sighting = lupe_sighting(session)
    session.commit()
    candidate = candidate_of(session, sighting)
    deliver()
    mailbox.messages.clear()

    login_as("police", "PE")  # the officer's pages are in Spanish
    token = csrf(f"/review/candidates/{candidate.id}")
    response = client.post(f"/review/candidates/{candidate.id}/confirm", data={"csrf_token": token})
    assert response.status_code == 303
    assert deliver().sent >= 1

    (mail,) = mailbox.to(family.email)
    assert mail["Subject"] == f"Your report {claim.reference}: someone saw Guadalupe"
    body = mail.get_content()
    assert "police confirmed" in body and f"/cases/{claim.id}" in body
    assert "Cusco" not in body and "Lupe" not in body  # neither the place nor the witness's words


def test_a_spanish_speaking_family_is_written_in_spanish(session, mailbox, deliver):
    family = make_user(session, "family", preferred_locale="es")
    claim = guadalupe(session, reporter=family)
    session.commit()

    deliver()

    (mail,) = mailbox.to(family.email)
    assert claim.reference in mail["Subject"] and "We received" not in mail["Subject"]


def test_new_candidates_go_at_once_or_to_the_digest_as_each_officer_chose(session):
    daily = make_user(session, "coordinator", "BO")
    instant = make_user(session, "coordinator", "BO")
    instant.notify_candidates = "instant"
    desk = make_user(session, "coordinator", "PE")
    guadalupe(session)
    session.commit()

    sighting = lupe_sighting(session)
    session.commit()

    candidate = candidate_of(session, sighting)
    by_address = {m.address: m for m in _messages(session, "police/candidate")}
    assert set(by_address) == {daily.email, instant.email, desk.email}
    assert by_address[daily.email].status == Status.HELD
    assert by_address[instant.email].status == Status.PENDING
    assert by_address[desk.email].context["candidate_id"] == candidate.id
    assert sighting.reference in by_address[desk.email].context["references"]


def test_another_countrys_confirmation_tells_the_claims_officers_and_the_family(session):
    family = make_user(session, "family")
    bolivia = make_user(session, "coordinator", "BO")
    claim = guadalupe(session, reporter=family)
    sighting = lupe_sighting(session)
    session.commit()

    candidate_confirmed(session, make_user(session, "police", "PE"), candidate_of(session, sighting))
    session.commit()

    (linked,) = _messages(session, "police/linked")
    assert linked.address == bolivia.email and linked.context == {
        "reference": claim.reference,
        "claim_id": claim.id,
        "country": "PE",
    }
    assert [m.address for m in _messages(session, "family/sighting_confirmed")] == [family.email]


def test_a_witness_who_left_an_email_gets_the_reference_and_a_word_when_police_act(session):
    lupe_sighting(session, reporter_contact="+591 70000000")  # a phone: nothing is sent
    sighting = lupe_sighting(session, reporter_contact="testigo@example.org")
    session.commit()

    (received,) = _messages(session, "witness/received")
    assert received.address == "testigo@example.org"
    assert received.context["reference"] == sighting.reference and received.context["key"] is None

    sighting_verified(session, make_user(session, "police", "PE"), sighting)
    session.commit()
    (acted,) = _messages(session, "witness/acted")
    assert acted.context == {"reference": sighting.reference}  # nothing of the case


def test_an_adult_who_wants_no_contact_is_found_safe_for_the_family_and_nothing_more(session):
    family = make_user(session, "family")
    claim = guadalupe(session, reporter=family, birth_date="1990")
    officer = make_user(session, "police", "BO")
    session.commit()

    note_added(
        session,
        officer,
        claim,
        text="Encontrada en Oruro, calle Bolívar 12.",
        visibility="police",
        new_status="located_alive",
        no_contact=True,
    )
    session.commit()

    (safe,) = _messages(session, "family/found_safe")
    assert safe.address == family.email
    assert "Oruro" not in str(safe.context)
    assert _messages(session, "family/status") == []


def test_a_family_note_by_the_police_reaches_the_family_but_not_its_own(session):
    family = make_user(session, "family")
    claim = guadalupe(session, reporter=family)
    session.commit()

    note_added(session, family, claim, text="Tenía una mochila azul.", visibility="family")
    note_added(session, make_user(session, "police", "BO"), claim, text="Llamamos mañana.", visibility="family")
    session.commit()

    (note,) = _messages(session, "family/note")
    assert note.context["text"] == "Llamamos mañana."
