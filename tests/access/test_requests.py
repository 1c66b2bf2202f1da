"""Asking the owner country for more, and breaking the glass (issue 14), as the officers do it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.access import services
from portal.access.models import AccessRequest
from portal.audit.models import AuditEvent
from portal.cases.rules import Access, access, granted
from portal.db import utcnow
from portal.errors import NotFound
from portal.notify.models import OutboxMessage
from tests.builders import browser_of, csrf_token, make_claim, make_user

REASON = "Una menor con este nombre fue vista en una terminal de Cusco."


def _case(session):  # type: ignore[no-untyped-def]
    claim = make_claim(session, status="active", publication="published", reporter_contact="+591 71112223")
    session.commit()
    return claim


def _actions(session, prefix):  # type: ignore[no-untyped-def]
    session.expire_all()
    return [e.action for e in session.scalars(select(AuditEvent).where(AuditEvent.action.like(f"{prefix}%")))]


def test_an_uninvolved_officer_sees_identification_asks_and_bolivia_s_coordinator_decides(app, session):
    claim = _case(session)
    peru = make_user(session, "police", "PE")
    coordinator = make_user(session, "coordinator", "BO")
    session.commit()
    officer = browser_of(app, peru)
    officer.get("/lang/en")
    page = officer.get(f"/cases/{claim.id}").get_data(as_text=True)
    assert "Condori" in page and "+591 71112223" not in page and "9900123" not in page  # identification only
    assert "Ask the police of Bolivia" in page
    # A request needs a reason.
    token = csrf_token(officer, f"/cases/{claim.id}")
    short = officer.post(f"/cases/{claim.id}/access", data={"csrf_token": token, "kind": "request", "reason": "x"})
    assert short.status_code == 422 and "Explain why you need this information" in short.get_data(as_text=True)
    sent = officer.post(f"/cases/{claim.id}/access", data={"csrf_token": token, "kind": "request", "reason": REASON})
    assert sent.status_code == 302
    assert _actions(session, "access.") == ["access.request"]
    assert "+591 71112223" not in officer.get(f"/cases/{claim.id}").get_data(as_text=True)  # not before a grant
    # Bolivia's coordinator sees it with its reason, and is told by e-mail.
    desk = browser_of(app, coordinator)
    desk.get("/lang/en")
    waiting = desk.get("/access/requests").get_data(as_text=True)
    assert REASON in waiting and claim.reference in waiting
    assert session.scalar(select(OutboxMessage).where(OutboxMessage.template == "police/access_request")) is not None
    found = session.scalar(select(AccessRequest))
    granted_now = desk.post(
        f"/access/requests/{found.id}/grant", data={"csrf_token": csrf_token(desk, "/access/requests"), "note": "Ok."}
    )
    assert granted_now.status_code == 303
    assert "+591 71112223" in officer.get(f"/cases/{claim.id}").get_data(as_text=True)
    assert _actions(session, "access.") == ["access.request", "access.grant"]
    assert session.scalar(select(OutboxMessage).where(OutboxMessage.template == "police/access_decided"))


def test_a_coordinator_of_another_country_cannot_see_or_decide_bolivia_s_requests(app, session):
    claim = _case(session)
    peru = make_user(session, "police", "PE")
    request = services.ask(session, peru, claim, "request", REASON)
    chile = make_user(session, "coordinator", "CL")
    session.commit()
    desk = browser_of(app, chile)
    assert REASON not in desk.get("/access/requests").get_data(as_text=True)
    token = csrf_token(desk, "/access/requests")
    assert desk.post(f"/access/requests/{request.id}/grant", data={"csrf_token": token}).status_code == 404
    family = browser_of(app, make_user(session, "family"))
    session.commit()
    assert family.get("/access/requests").status_code == 404


def test_refused_means_identification_only_and_a_grant_expires(session):
    claim = _case(session)
    peru, other = make_user(session, "police", "PE"), make_user(session, "police", "EC")
    coordinator = make_user(session, "coordinator", "BO")
    refused = services.ask(session, peru, claim, "request", REASON)
    services.decide(session, coordinator, refused, "refuse", "No corresponde.")
    assert access(peru, claim) == Access.NETWORK
    asked = services.ask(session, other, claim, "request", REASON)
    services.decide(session, coordinator, asked, "grant", "")
    assert (
        access(other, claim) == Access.POLICE and access(peru, claim) == Access.NETWORK
    )  # the officer, not the country
    later = utcnow() + timedelta(days=services.GRANT_DAYS, minutes=1)
    assert granted(session, other, claim) and not granted(session, other, claim, now=later)


def test_broken_glass_opens_at_once_is_reviewed_and_an_unjustified_one_ends(session):
    claim = _case(session)
    peru = make_user(session, "police", "PE")
    coordinator = make_user(session, "coordinator", "BO")
    session.commit()
    glass = services.ask(session, peru, claim, "break_glass", REASON)
    assert access(peru, claim) == Access.POLICE
    assert glass in services.to_decide(session, coordinator)  # to review afterwards
    assert session.scalar(select(OutboxMessage).where(OutboxMessage.template == "police/break_glass")) is not None
    services.decide(session, coordinator, glass, "unjustified", "No había urgencia.")
    assert access(peru, claim) == Access.NETWORK and glass not in services.to_decide(session, coordinator)
    assert _actions(session, "access.") == ["access.break_glass", "access.unjustified"]


def test_only_officers_of_an_unlinked_country_may_ask(session):
    claim = _case(session)
    for role, country in (("police", "BO"), ("family", None), ("trainer", "BO")):
        with pytest.raises(NotFound):
            services.ask(session, make_user(session, role, country), claim, "request", REASON)
