"""The sightings desk: who reads a sighting, what officers do with it, and the witness's private link."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.cases.models import Note
from portal.review.models import MatchCandidate
from portal.sightings.models import Sighting, SightingAddition
from tests.builders import candidate_of, csrf_token, guadalupe, lupe_sighting


def _as(client, login_as, role: str, country: str):  # type: ignore[no-untyped-def]
    user = login_as(role, country)
    client.get("/lang/en")
    return user


def _nobody_sighting(session) -> Sighting:  # type: ignore[no-untyped-def]
    """A sighting in Peru that matches no claim: a name nobody filed, nothing else to go by."""
    return lupe_sighting(session, name_heard="Zoila Ccahuana", age_min="40", age_max="45", description="")


@pytest.fixture
def linked(session):  # type: ignore[no-untyped-def]
    """Guadalupe (Bolivia) and a sighting of "Lupe" in Peru that the engine proposes for her."""
    claim = guadalupe(session)
    sighting = lupe_sighting(session)
    session.commit()
    return claim, sighting, candidate_of(session, sighting)


def test_a_sighting_that_matches_nothing_shows_on_the_desk_of_its_country(client, login_as, session):
    sighting = _nobody_sighting(session)
    session.commit()
    assert session.scalar(select(MatchCandidate).where(MatchCandidate.right_sighting_id == sighting.id)) is None
    _as(client, login_as, "police", "PE")
    page = client.get("/sightings").get_data(as_text=True)
    assert sighting.reference in page and "No match" in page
    assert sighting.reference in client.get("/sightings?state=unmatched").get_data(as_text=True)
    assert sighting.reference not in client.get("/sightings?state=closed").get_data(as_text=True)


def test_who_reads_a_sighting_its_country_and_the_countries_of_its_claims(client, login_as, session, linked):
    _claim, sighting, _candidate = linked
    for country, readable in (("PE", True), ("BO", True), ("CL", False)):
        _as(client, login_as, "police", country)
        page = client.get(f"/sightings/{sighting.id}")
        assert (page.status_code == 200) is readable, country
        assert (sighting.reference in client.get("/sightings").get_data(as_text=True)) is readable, country
    for role in ("family", "trainer"):
        _as(client, login_as, role, "PE")
        assert client.get(f"/sightings/{sighting.id}").status_code in (403, 404)


def test_an_uninvolved_officer_gets_404_from_the_api_and_the_contact_stays_hidden(client, session, token_for):
    seen = client.post(
        "/api/v1/sightings",
        json={"event_date": "2026-06-01", "country": "PE", "place": "Juliaca", "reporter_contact": "+51 955 000 111"},
    ).get_json()
    _cl, chile = token_for("police", "CL")
    _pe, peru = token_for("police", "PE")
    assert client.get(f"/api/v1/sightings/{seen['id']}", headers=chile).status_code == 404
    assert (
        client.get(f"/api/v1/sightings/{seen['id']}", headers=peru).get_json()["reporter_contact"] == "+51 955 000 111"
    )


def test_verify_attach_and_close_from_the_sighting_page(client, login_as, session, linked):
    claim, sighting, candidate = linked
    officer = _as(client, login_as, "police", "BO")
    page = f"/sightings/{sighting.id}"
    assert client.post(f"{page}/verify", data={"csrf_token": csrf_token(client, page)}).status_code == 303
    session.expire_all()
    assert sighting.verified and sighting.verified_by_id == officer.id

    refused = client.post(f"{page}/attach", data={"csrf_token": csrf_token(client, page), "claim": claim.reference})
    assert refused.status_code == 422 and 'class="error-summary"' in refused.get_data(as_text=True)
    unknown = client.post(
        f"{page}/attach", data={"csrf_token": csrf_token(client, page), "claim": "BO-2026-999999", "reason": "x"}
    )
    assert unknown.status_code == 422 and "No claim you can see has this reference." in unknown.get_data(as_text=True)
    done = client.post(
        f"{page}/attach",
        data={"csrf_token": csrf_token(client, page), "claim": claim.reference, "reason": "Su madre la reconoce."},
    )
    assert done.status_code == 303
    session.expire_all()
    assert candidate.status == "confirmed" and sighting.claim_id == claim.id
    note = session.scalar(select(Note).where(Note.claim_id == claim.id, Note.kind == "sighting"))
    assert note.text == "Su madre la reconoce."

    closed = client.post(f"{page}/close", data={"csrf_token": csrf_token(client, page), "reason": "Duplicado."})
    assert closed.status_code == 303
    session.expire_all()
    assert (sighting.status, sighting.closed_reason) == ("closed", "Duplicado.")
    actions = set(session.scalars(select(AuditEvent.action).where(AuditEvent.target_id == str(sighting.id))))
    assert {"sighting.view", "sighting.verify", "sighting.close"} <= actions


def test_attaching_by_hand_a_sighting_the_engine_did_not_propose(client, login_as, session):
    claim = guadalupe(session)
    sighting = _nobody_sighting(session)
    session.commit()
    _as(client, login_as, "police", "PE")  # the sighting's country; the claim is Bolivia's, published
    page = f"/sightings/{sighting.id}"
    done = client.post(
        f"{page}/attach",
        data={"csrf_token": csrf_token(client, page), "claim": claim.reference, "reason": "Foto coincide."},
    )
    assert done.status_code == 303, done.get_data(as_text=True)[:2000]
    found = session.scalar(select(MatchCandidate).where(MatchCandidate.right_sighting_id == sighting.id))
    assert found.status == "confirmed" and found.decision_note == "Foto coincide."


def test_closing_rejects_the_open_candidates_with_the_reason(client, login_as, session, linked):
    _claim, sighting, candidate = linked
    _as(client, login_as, "police", "PE")
    page = f"/sightings/{sighting.id}"
    empty = client.post(f"{page}/close", data={"csrf_token": csrf_token(client, page), "reason": " "})
    assert empty.status_code == 422
    client.post(f"{page}/close", data={"csrf_token": csrf_token(client, page), "reason": "Era otra persona."})
    session.expire_all()
    assert (candidate.status, candidate.decision_note) == ("rejected", "Era otra persona.")


def test_the_witness_gets_a_reference_and_a_private_link_to_add_information(client, login_as, session):
    client.get("/lang/en")
    form = {
        "csrf_token": csrf_token(client, "/sightings/new"),
        "event_date": "2026-06-01",
        "country": "PE",
        "place": "Juliaca",
        "name_heard": "Lupe",
    }
    assert client.post("/sightings/new", data=form).status_code == 303
    thanks = client.get("/sightings/thanks").get_data(as_text=True)
    reference = re.search(r"AV-[A-Z2-9]{4}-[A-Z2-9]{4}", thanks).group(0)
    link = re.search(r"https?://[^<\s]+/sightings/w/[A-Za-z0-9_-]+", thanks).group(0)
    # On a phone: the link is one a long press copies or bookmarks, and the reference never splits.
    assert f'<a href="{link}" rel="noreferrer">{link}</a>' in thanks
    assert f'<strong class="nowrap">{reference}</strong>' in thanks
    assert "/sightings/w/" not in client.get("/sightings/thanks").get_data(as_text=True)  # shown once
    path = link.split("localhost", 1)[-1]
    assert reference in client.get(path).get_data(as_text=True)
    added = client.post(path, data={"csrf_token": csrf_token(client, path), "text": "El hombre tenía un auto rojo."})
    assert added.status_code == 303
    assert client.post(path, data={"csrf_token": csrf_token(client, path), "text": ""}).status_code == 422
    assert client.get("/sightings/w/not-the-key").status_code == 404
    sighting = session.scalar(select(Sighting).where(Sighting.reference == reference))
    assert [a.text for a in session.scalars(select(SightingAddition))] == ["El hombre tenía un auto rojo."]
    _as(client, login_as, "police", "PE")
    assert "El hombre tenía un auto rojo." in client.get(f"/sightings/{sighting.id}").get_data(as_text=True)


def test_candidates_for_another_countrys_police_are_counted_apart(client, login_as, session):
    """A sighting in Peru proposed for a Bolivian claim and a Peruvian one: a Bolivian officer reviews
    the first and is told the second is Peru's, rather than seeing "2 to review" and finding one."""
    guadalupe(session)
    guadalupe(session, given_names="Guadalupe Rosa", first_surname="Mamani", country="PE", place="Cusco")
    sighting = lupe_sighting(session)
    session.commit()
    found = list(session.scalars(select(MatchCandidate).where(MatchCandidate.right_sighting_id == sighting.id)))
    assert sorted(c.left_claim.owner_country for c in found) == ["BO", "PE"]
    _as(client, login_as, "police", "BO")
    desk = client.get("/sightings").get_data(as_text=True)
    assert "1 to review · 1 for another country" in desk
    page = client.get(f"/sightings/{sighting.id}").get_data(as_text=True)
    assert "1 more candidate is a claim of another country; its police review it." in page
    assert "found no claim" not in page and page.count('class="pair"') == 1
    _as(client, login_as, "police", "PE")  # Peru's officer reads the sighting of Peru and reviews both
    assert "2 to review<" in client.get("/sightings").get_data(as_text=True)
    assert "another country" not in client.get(f"/sightings/{sighting.id}").get_data(as_text=True)


def test_a_witness_quoting_the_reference_on_the_phone_leads_to_the_sighting(client, login_as, session, linked):
    _claim, sighting, _candidate = linked
    sighting.status = "closed"  # the reference opens it whatever the desk's filters
    session.commit()
    body = sighting.reference.removeprefix("AV-").replace("-", "")
    written = [sighting.reference, sighting.reference.lower(), f"av {body[:4]} {body[4:]}", body, f" AV{body} "]
    for country in ("PE", "BO"):
        _as(client, login_as, "police", country)
        for text in written:
            answer = client.get("/sightings", query_string={"reference": text, "state": "open"})
            assert answer.status_code == 302 and answer.location.endswith(f"/sightings/{sighting.id}"), text
    # An uninvolved country's officer is told exactly what a reference nobody was given gets.
    _as(client, login_as, "police", "CL")
    refused = client.get("/sightings", query_string={"reference": sighting.reference})
    unknown = client.get("/sightings", query_string={"reference": "AV-2345-6789"})
    for answer in (refused, unknown):
        page = answer.get_data(as_text=True)
        assert answer.status_code == 422 and "No sighting you may read has this reference." in page
        assert 'href="#reference"' in page and f"/sightings/{sighting.id}" not in page
    assert refused.get_data(as_text=True).count("Cusco") == unknown.get_data(as_text=True).count("Cusco") == 0


@pytest.mark.parametrize("text", ["AV-0000-1111", "AV-7Z74", "12345", "AV-7Z74-9GYZ-1", "AV-7Z74-9GY\x00"])
def test_a_reference_that_cannot_be_one_says_how_one_looks(client, login_as, text):
    _as(client, login_as, "police", "PE")
    answer = client.get("/sightings", query_string={"reference": text})
    assert answer.status_code == 422
    assert "A sighting reference looks like AV-7Z74-9GYZ." in answer.get_data(as_text=True)


def test_only_police_look_up_a_reference(client, login_as, session, linked):
    _claim, sighting, _candidate = linked
    for role in ("family", "trainer"):
        _as(client, login_as, role, "PE")
        for query in ({"reference": sighting.reference}, {"reference": "x"}, {"date_from": "never"}):
            assert client.get("/sightings", query_string=query).status_code in (403, 404), (role, query)
