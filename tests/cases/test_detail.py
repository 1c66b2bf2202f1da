"""The case page by access level, the police actions, notes, "found safe", audit and "My cases"."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.cases.models import Claim, Note
from tests.builders import make_claim, make_user, sign_in

CONTACT = "+591 70000000"
DOCUMENT = "9900123"


def _draft(session, **overrides):  # type: ignore[no-untyped-def]
    claim = make_claim(session, **overrides)
    session.commit()
    return claim


def test_an_officer_of_another_country_cannot_see_a_draft(client, login_as, post, session):
    claim = _draft(session)
    login_as("police", "PE")
    assert client.get(f"/cases/{claim.id}").status_code == 404
    assert (
        post(f"/cases/{claim.id}/validate", {"police_case_number": "X-1", "publication": "published"}).status_code
        == 404
    )
    assert client.get(f"/claims/{claim.reference}").status_code == 404  # not even a redirect
    session.expire_all()
    assert session.get(Claim, claim.id).status == "draft"


def test_unknown_and_huge_ids_are_404(client, login_as):
    login_as("police", "BO")
    assert client.get("/cases/999999").status_code == 404
    assert client.get(f"/cases/{2**40}").status_code == 404
    assert client.get("/claims/BO-2026-999999").status_code == 404


def test_an_officer_of_the_country_sees_everything_and_the_view_is_audited(client, login_as, session, english):
    claim = _draft(session)
    officer = login_as("police", "BO")
    page = client.get(f"/cases/{claim.id}").get_data(as_text=True)
    restricted = re.search(r'<section class="restricted".*?</section>', page, re.S).group(0)
    assert CONTACT in restricted and DOCUMENT in restricted
    assert 'name="police_case_number"' in page and 'name="publication"' in page
    assert f"/cases/{claim.id}/edit" in page
    views = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "claim.view")))
    assert [(v.actor_id, v.target_id, v.details.get("level")) for v in views] == [(officer.id, str(claim.id), "police")]


def test_validate_then_the_public_page_shows_only_public_fields(client, login_as, post, session, english):
    claim = _draft(session)
    login_as("police", "BO")
    response = post(
        f"/cases/{claim.id}/validate", {"police_case_number": "FELCC-EA-2026-0456", "publication": "published"}
    )
    assert response.status_code == 302 and response.location.endswith(f"/cases/{claim.id}")
    post(
        f"/cases/{claim.id}/notes",
        {"text": "Police-only lead: check the Desaguadero bus (invented).", "visibility": "police"},
    )
    post(f"/cases/{claim.id}/notes", {"text": "Thanks to everyone sharing this (invented).", "visibility": "public"})
    session.expire_all()
    claim = session.get(Claim, claim.id)
    assert (claim.status, claim.publication, claim.police_case_number) == ("active", "published", "FELCC-EA-2026-0456")

    client.post(
        "/logout",
        data={
            "csrf_token": re.search(
                r'name="csrf_token" value="([^"]+)"', client.get("/claims").get_data(as_text=True)
            ).group(1)
        },
    )
    response = client.get(f"/claims/{claim.reference.lower()}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Rosa Elvira" in page and "Quispe" in page and "El Alto, Distrito 8" in page and "Lleva trenzas." in page
    assert "Thanks to everyone sharing this" in page  # public notes
    for secret in (
        CONTACT,
        DOCUMENT,
        "2010-05-14",
        "14 May 2010",
        "May 14, 2010",
        "FELCC-EA-2026-0456",
        "Desaguadero",
        "Condori",
        "Juana",
        "madre",
        "chompa roja",
        "lunar",
        "Le ofrecieron",
    ):
        assert secret not in page, secret
    assert f"/sightings/new?claim={claim.reference}" in page  # "I have seen this person"


def test_an_unpublished_claim_has_no_public_page(client, session, login_as):
    active = make_claim(session, status="active", publication="unpublished")
    withheld = make_claim(session, status="active", publication="withheld")
    draft = make_claim(session)
    session.commit()
    for claim in (active, withheld, draft):
        assert client.get(f"/claims/{claim.reference}").status_code == 404
    login_as("police", "BO")  # higher access: sent to the full page
    response = client.get(f"/claims/{active.reference}")
    assert response.status_code == 302 and response.location.endswith(f"/cases/{active.id}")


def test_the_family_follows_its_claim_but_never_reads_police_notes(client, login_as, post, session, english):
    family = login_as("family")
    claim = make_claim(session, family, status="active")
    officer = make_user(session, "police", "BO")
    session.commit()
    page = client.get(f"/cases/{claim.id}").get_data(as_text=True)
    assert claim.reference in page and CONTACT in page and DOCUMENT in page
    assert 'name="police_case_number"' not in page and "FELCC" not in page  # police data stays police
    assert (
        post(
            f"/cases/{claim.id}/notes", {"text": "She called her cousin (invented).", "visibility": "family"}
        ).status_code
        == 302
    )
    assert post(f"/cases/{claim.id}/notes", {"text": "x", "visibility": "public"}).status_code == 422
    assert (
        post(f"/cases/{claim.id}/notes", {"text": "x", "visibility": "family", "new_status": "closed"}).status_code
        == 404
    )
    assert (
        post(f"/cases/{claim.id}/validate", {"police_case_number": "1", "publication": "published"}).status_code == 404
    )
    session.add(
        Note(
            claim_id=claim.id,
            author_id=officer.id,
            kind="information",
            visibility="police",
            text="Secret police lead (invented).",
        )
    )
    session.commit()
    page = client.get(f"/cases/{claim.id}").get_data(as_text=True)
    assert "She called her cousin" in page and "Secret police lead" not in page


def test_found_alive_without_contact_shows_the_family_only_found_safe(client, app, login_as, session, english):
    family = make_user(session, "family")
    claim = make_claim(session, family, status="active", publication="published")
    session.commit()
    login_as("police", "BO")
    from tests.builders import csrf_token

    token = csrf_token(client)
    response = client.post(
        f"/cases/{claim.id}/notes",
        data={
            "csrf_token": token,
            "text": "Located at a shelter in Oruro, calle Falsa 123 (invented).",
            "visibility": "family",
            "new_status": "located_alive",
            "no_contact": "1",
        },
    )
    assert response.status_code == 302
    police_page = client.get(f"/cases/{claim.id}").get_data(as_text=True)
    assert "calle Falsa 123" in police_page

    family_client = app.test_client()
    family_client.get("/lang/en")
    sign_in(family_client, family)
    page = family_client.get(f"/cases/{claim.id}").get_data(as_text=True)
    assert "found safe" in page.lower() and "Found safe" in page
    assert "calle Falsa" not in page and "Oruro" not in page


def test_a_wrong_action_rerenders_the_case_with_422(client, login_as, post, session):
    claim = _draft(session)
    login_as("police", "BO")
    response = post(f"/cases/{claim.id}/validate", {"police_case_number": "", "publication": "everywhere"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="police_case_number-error"' in page and 'id="publication-error"' in page
    assert claim.reference in page
    response = post(f"/cases/{claim.id}/publication", {"publication": "published"})
    assert response.status_code == 422  # a draft cannot be published before validation
    response = post(f"/cases/{claim.id}/notes", {"text": "", "visibility": "police"})
    assert response.status_code == 422 and 'id="text-error"' in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Claim, claim.id).status == "draft"


def test_publication_can_change_after_validation(client, login_as, post, session):
    claim = make_claim(session, status="active", publication="published")
    session.commit()
    login_as("police", "BO")
    assert (
        post(f"/cases/{claim.id}/publication", {"publication": "withheld", "reason": "Risk (invented)"}).status_code
        == 302
    )
    session.expire_all()
    assert session.get(Claim, claim.id).publication == "withheld"
    assert client.get(f"/claims/{claim.reference}").status_code == 302  # no public page now


def test_guardian_consent_is_recorded_by_the_family(client, login_as, post, session):
    family = login_as("family")
    claim = make_claim(session, family)
    session.commit()
    assert f'action="/cases/{claim.id}/consent"' in client.get(f"/cases/{claim.id}").get_data(as_text=True)
    assert post(f"/cases/{claim.id}/consent").status_code == 302
    session.expire_all()
    assert session.get(Claim, claim.id).guardian_consent_at is not None
    assert f"/cases/{claim.id}/consent" not in client.get(f"/cases/{claim.id}").get_data(as_text=True)


def test_my_cases(client, login_as, session, english):
    assert client.get("/cases").status_code == 302  # the public logs in first
    family = login_as("family")
    mine = make_claim(session, family, given_names="Mine Invented")
    make_claim(session, given_names="Other Invented")
    session.commit()
    page = client.get("/cases").get_data(as_text=True)
    assert mine.reference in page and "Mine Invented" in page and "Other Invented" not in page


def test_officers_see_their_drafts_first_then_active_cases(client, login_as, session, english):
    draft = make_claim(session, given_names="Draftbo Invented")
    active = make_claim(session, status="active", given_names="Activebo Invented")
    make_claim(session, country="PE", given_names="Draftpe Invented")
    session.commit()
    login_as("police", "BO")
    page = client.get("/cases").get_data(as_text=True)
    assert "Draftpe" not in page
    assert page.index(draft.reference) < page.index(active.reference)
    assert page.index("Drafts awaiting validation") < page.index(draft.reference)


def test_control_characters_never_reach_the_database(client, login_as, post, session):
    claim = _draft(session)
    login_as("police", "BO")
    assert (
        post(
            f"/cases/{claim.id}/validate", {"police_case_number": "FELCC\x00-1", "publication": "published"}
        ).status_code
        == 302
    )
    assert post(f"/cases/{claim.id}/publication", {"publication": "withheld", "reason": "r\x00isk"}).status_code == 302
    assert post(f"/cases/{claim.id}/notes", {"text": "a\x00b", "visibility": "police"}).status_code == 302
    session.expire_all()
    claim = session.get(Claim, claim.id)
    assert claim.police_case_number == "FELCC-1"
    assert not [n for n in claim.notes if "\x00" in n.text]
    for path in ("/claims/BO-2026-00000%00", "/claims/%00", "/claims/" + "A" * 300, "/claims/bo-2026-000001%20"):
        assert client.get(path).status_code in (302, 404), path
