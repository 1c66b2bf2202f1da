"""The offer, recruiters, vulnerability facts and sighting conditions through the API, and network indicator N1."""

from __future__ import annotations

from sqlalchemy import select

from portal.cases.models import Claim, RecruiterIdentifier
from portal.casework import candidate_confirmed as confirm
from portal.review.models import MatchCandidate
from portal.sightings.models import Sighting
from tests.builders import make_user

# Invented people only.
ANA = {
    "given_names": "Ana Belén",
    "first_surname": "Choque",
    "second_surname": "Apaza",
    "sex": "F",
    "birth_date": "2009-08-03",
    "event_date": "2026-04-10",
    "country": "BO",
    "place": "El Alto",
    "reporter_name": "Marta Apaza (invented)",
    "reporter_relation": "madre",
    "reporter_contact": "70000001",
}
LUIS = {
    "given_names": "Luis Fernando",
    "first_surname": "Vargas",
    "second_surname": "Rojas",
    "sex": "M",
    "birth_date": "2001-01-20",
    "event_date": "2026-05-02",
    "country": "BO",
    "place": "Cochabamba",
    "reporter_name": "Pedro Vargas (invented)",
    "reporter_relation": "padre",
    "reporter_contact": "70000002",
}
OFFER = {
    "type": "job",
    "sector": "domestic_live_in",
    "destination_country": "AR",
    "destination_place": "Buenos Aires",
    "travel_paid_by": "recruiter",
    "documents_handed_over": True,
    "debt_mentioned": None,
    "contact_method": "online",
}


def _file(client, headers, body):  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/claims", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _n1(client, headers, claim_id):  # type: ignore[no-untyped-def]
    risk = client.get(f"/api/v1/claims/{claim_id}", headers=headers).get_json()["risk"]
    return [e for i in risk["indicators"] if i["id"] == "N1" for e in i["evidence"]]


def test_the_facts_are_stored_normalised_and_read_back_by_the_filer(client, token_for, session):
    _family, headers = token_for("family")
    body = {
        **ANA,
        "offer": OFFER,
        "prior_disappearances": 2,
        "missing_from_state_care": False,
        "occupation": "student",
        "recruiters": [
            {"kind": "phone", "value": "+591 7123-4567"},
            {"kind": "social_handle", "value": "@Agencia.Modelos"},
            {"kind": "vehicle_plate", "value": "2345-kzr"},
        ],
    }
    created = _file(client, headers, body)
    assert created["offer"] == {**OFFER, "abroad": True, "employer_verified": None}
    assert created["recruiters"] == [
        {"kind": "phone", "value": "59171234567"},
        {"kind": "social_handle", "value": "agencia.modelos"},
        {"kind": "vehicle_plate", "value": "2345KZR"},
    ]
    assert (created["prior_disappearances"], created["missing_from_state_care"], created["occupation"]) == (
        2,
        False,
        "student",
    )
    claim = session.get(Claim, created["id"])
    assert claim.offer == {**{k: v for k, v in OFFER.items() if v is not None}, "abroad": True}
    assert {(r.kind, r.value) for r in session.scalars(select(RecruiterIdentifier))} == {
        ("phone", "59171234567"),
        ("social_handle", "agencia.modelos"),
        ("vehicle_plate", "2345KZR"),
    }
    again = client.get(f"/api/v1/claims/{created['id']}", headers=headers).get_json()
    assert again["recruiters"] == created["recruiters"] and "risk" not in again


def test_bad_values_get_a_message_per_field(client, token_for):
    _officer, headers = token_for("police", "BO")
    body = {
        **ANA,
        "offer": {"type": "slavery", "destination_country": "XX", "debt_mentioned": "maybe", "travel_paid_by": 3},
        "recruiters": [
            {"kind": "phone", "value": "12"},
            {"kind": "email", "value": "a@b.c"},
            "0059171234567",
            {"kind": "vehicle_plate", "value": ""},
        ],
        "prior_disappearances": 51,
        "missing_from_state_care": "perhaps",
        "occupation": "pilot",
    }
    response = client.post("/api/v1/claims", json=body, headers=headers)
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {
        "offer.type",
        "offer.destination_country",
        "offer.debt_mentioned",
        "offer.travel_paid_by",
        "recruiters.0.value",
        "recruiters.1.kind",
        "recruiters.2",
        "recruiters.3.value",
        "prior_disappearances",
        "missing_from_state_care",
        "occupation",
    }
    for shape in (
        {"offer": ["job"]},
        {"offer": {"salary": 100}},
        {"recruiters": {"kind": "phone"}},
        {"recruiters": [{"kind": "phone", "value": "70000000"}] * 11},
    ):
        response = client.post("/api/v1/claims", json={**ANA, **shape}, headers=headers)
        fields = set(response.get_json()["error"]["fields"])
        assert response.status_code == 422 and fields <= {"offer", "offer.salary", "recruiters"}


def test_the_public_never_sees_the_facts_and_another_family_sees_nothing(client, token_for, session):
    _family, headers = token_for("family")
    created = _file(
        client,
        headers,
        {**ANA, "offer": OFFER, "recruiters": [{"kind": "phone", "value": "71234567"}], "occupation": "student"},
    )
    claim = session.get(Claim, created["id"])
    claim.status, claim.publication, claim.police_case_number = "active", "published", "FELCC-1"
    session.commit()
    _other, other_headers = token_for("family")
    for who in ({}, other_headers):
        public = client.get(f"/api/v1/claims/{created['id']}", headers=who).get_json()
        assert not {"offer", "recruiters", "prior_disappearances", "missing_from_state_care", "occupation"} & set(
            public
        )
    found = client.get("/api/v1/claims", query_string={"q": "Ana Choque"}).get_json()["items"]
    assert found and all("recruiters" not in item and "offer" not in item for item in found)


def test_two_unrelated_claims_with_the_same_phone_both_gain_n1(client, token_for):
    _a, family_a = token_for("family")
    _b, family_b = token_for("family")
    _officer, police = token_for("police", "BO")
    first = _file(client, family_a, {**ANA, "recruiters": [{"kind": "phone", "value": "+591 7123-4567"}]})
    assert _n1(client, police, first["id"]) == []  # alone: nobody shares it yet
    second = _file(client, family_b, {**LUIS, "recruiters": [{"kind": "phone", "value": "0059171234567"}]})
    for me, other in ((first, second), (second, first)):
        lines = _n1(client, police, me["id"])
        assert [(e["field"], e["value"], e["related"]) for e in lines] == [
            ("recruiters.phone", "59171234567", [other["reference"]])
        ]
    # The family never sees the indicators.
    assert "risk" not in client.get(f"/api/v1/claims/{first['id']}", headers=family_a).get_json()


def test_a_confirmed_duplicate_sharing_the_phone_is_not_a_network(client, token_for, session):
    _a, family_a = token_for("family")
    _b, family_b = token_for("family")
    _officer, police = token_for("police", "BO")
    phone = [{"kind": "phone", "value": "+591 7123-4567"}]
    first = _file(client, family_a, {**ANA, "recruiters": phone})
    second = _file(client, family_b, {**ANA, "reporter_name": "Rosa Apaza (invented)", "recruiters": phone})
    assert _n1(client, police, first["id"])  # until someone confirms that they are the same girl
    candidate = session.scalar(select(MatchCandidate).where(MatchCandidate.right_type == "claim"))
    assert {candidate.left_claim_id, candidate.right_claim_id} == {first["id"], second["id"]}
    confirm(session, make_user(session, "police", "BO"), candidate)
    session.commit()
    assert _n1(client, police, first["id"]) == [] and _n1(client, police, second["id"]) == []


def test_conditions_and_free_to_leave_of_a_sighting(client, token_for):
    _officer, police = token_for("police", "PE")
    body = {
        "event_date": "2026-06-01",
        "country": "PE",
        "place": "Cusco",
        "conditions": ["escorted_or_guarded", "fearful"],
        "free_to_leave": "no",
    }
    public = client.post("/api/v1/sightings", json=body)
    assert public.status_code == 201 and not {"conditions", "free_to_leave"} & set(public.get_json())
    full = client.get(f"/api/v1/sightings/{public.get_json()['id']}", headers=police).get_json()
    assert full["conditions"] == ["escorted_or_guarded", "fearful"] and full["free_to_leave"] == "no"
    bad = client.post("/api/v1/sightings", json={**body, "conditions": ["sad"], "free_to_leave": "maybe"})
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"conditions", "free_to_leave"}
    # How the person seemed is an observation on its own.
    alone = client.post("/api/v1/sightings", json={"event_date": "2026-06-01", "country": "PE", "free_to_leave": "no"})
    assert alone.status_code == 201


def test_a_confirmed_sighting_not_free_to_leave_adds_x4_to_a_minors_claim(client, token_for, session):
    _family, family = token_for("family")
    _officer, police = token_for("police", "BO")
    claim = _file(client, family, {**ANA, "circumstances": []})
    seen = client.post(
        "/api/v1/sightings",
        json={
            "event_date": "2026-06-01",
            "country": "PE",
            "place": "Cusco",
            "name_heard": "Ana Belén Choque",
            "sex": "F",
            "age_min": 15,
            "age_max": 17,
            "free_to_leave": "no",
        },
    )
    assert seen.status_code == 201
    candidate = session.scalar(select(MatchCandidate).where(MatchCandidate.right_sighting_id == seen.get_json()["id"]))
    assert candidate is not None and candidate.left_claim_id == claim["id"]
    confirm(session, make_user(session, "police", "BO"), candidate)
    session.commit()
    risk = client.get(f"/api/v1/claims/{claim['id']}", headers=police).get_json()["risk"]
    x4 = [e for i in risk["indicators"] if i["id"] == "X4" for e in i["evidence"]]
    assert [(e["record"], e["field"], e["value"]) for e in x4] == [
        (f"sighting:{seen.get_json()['id']}", "free_to_leave", "no")
    ]
    assert session.get(Sighting, seen.get_json()["id"]).free_to_leave == "no"
