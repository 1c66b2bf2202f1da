"""The offer, recruiters and vulnerability facts on the claim pages, sighting conditions, police note flags."""

from __future__ import annotations

from sqlalchemy import select

from portal.cases.models import Claim, Note
from portal.flags.services import current
from portal.sightings.models import Sighting
from tests.builders import claim_data, make_claim

OFFER_FORM = {
    "offer.type": "job",
    "offer.sector": "garment",
    "offer.destination_country": "AR",
    "offer.destination_place": "Buenos Aires",
    "offer.travel_paid_by": "recruiter",
    "offer.documents_handed_over": "yes",
    "offer.debt_mentioned": "unknown",
    "recruiters.0.kind": "phone",
    "recruiters.0.value": "+591 7123-4567",
    "recruiters.1.kind": "",
    "recruiters.1.value": "",
    "recruiters.2.kind": "vehicle_plate",
    "recruiters.2.value": "2345 KZR",
    "prior_disappearances": "1",
    "missing_from_state_care": "no",
    "occupation": "domestic_worker",
}


def _n1(session, claim_id):  # type: ignore[no-untyped-def]
    session.expire_all()
    return [i for i in current(session, claim_id).result["indicators"] if i["id"] == "N1"]


def test_the_form_explains_the_offer_and_its_fields(client, login_as, english):
    login_as("family")
    page = client.get("/claims/new").get_data(as_text=True)
    assert "Did someone offer work, study, modelling or a trip?" in page
    assert "the phone number, social-media account or vehicle plate" in page.lower()
    for name in (
        "offer.type",
        "offer.sector",
        "offer.destination_country",
        "offer.destination_place",
        "offer.travel_paid_by",
        "offer.documents_handed_over",
        "offer.debt_mentioned",
        "recruiters.0.kind",
        "recruiters.2.value",
        "prior_disappearances",
        "missing_from_state_care",
        "occupation",
    ):
        assert f'name="{name}"' in page, name
    assert 'name="recruiters.3.value"' not in page  # three rows


def test_a_family_files_the_offer_and_reads_it_back(client, login_as, post, session, english):
    login_as("family")
    response = post("/claims/new", {**claim_data(), **OFFER_FORM})
    assert response.status_code == 302
    claim = session.scalar(select(Claim))
    assert claim.offer == {
        "type": "job",
        "sector": "garment",
        "destination_country": "AR",
        "destination_place": "Buenos Aires",
        "travel_paid_by": "recruiter",
        "documents_handed_over": True,
        "abroad": True,
    }
    assert [(r.kind, r.value) for r in claim.recruiters] == [("phone", "59171234567"), ("vehicle_plate", "2345KZR")]
    assert (claim.prior_disappearances, claim.missing_from_state_care, claim.occupation) == (
        1,
        False,
        "domestic_worker",
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sewing or a garment workshop" in page and "Phone number: 59171234567" in page
    assert "Buenos Aires" in page


def test_bad_values_are_explained_per_field_and_nothing_typed_is_lost(client, login_as, post, session, english):
    login_as("family")
    bad = {
        **claim_data(),
        **OFFER_FORM,
        "offer.sector": "slavery",
        "recruiters.0.value": "12",
        "recruiters.2.kind": "",
        "prior_disappearances": "99",
        "missing_from_state_care": "perhaps",
    }
    response = post("/claims/new", bad)
    assert response.status_code == 422 and session.scalar(select(Claim)) is None
    page = response.get_data(as_text=True)
    assert "Write a phone number of 6 to 15 digits" in page
    assert "Choose whether it is a phone number, an account or a plate." in page
    assert "Enter a whole number from 0 to 50." in page and "Answer yes, no or unknown." in page
    assert page.count("Choose one of the listed options.") >= 1
    assert 'value="12"' in page and 'value="2345 KZR"' in page and 'value="Buenos Aires"' in page
    assert '<option value="AR" selected>' in page and '<option value="recruiter" selected>' in page


def test_the_spanish_page_explains_errors_in_spanish(client, login_as, post):
    login_as("family")
    page = post("/claims/new", {**claim_data(), "recruiters.0.kind": "phone", "recruiters.0.value": "1"}).get_data(
        as_text=True
    )
    assert "Escriba un número de teléfono de 6 a 15 dígitos" in page


def test_editing_the_identifiers_reassesses_the_other_claims(client, login_as, post, session, english):
    other = make_claim(
        session,
        given_names="Luis",
        first_surname="Vargas",
        birth_date="2001-01-20",
        recruiters=[{"kind": "phone", "value": "71234567"}],
    )
    family = login_as("family")
    mine = make_claim(session, family, recruiters=[{"kind": "phone", "value": "71234567"}])
    session.commit()
    assert _n1(session, other.id) and _n1(session, mine.id)
    page = client.get(f"/cases/{mine.id}/edit").get_data(as_text=True)
    assert 'value="71234567"' in page  # prefilled
    values = {
        **claim_data(),
        "version": str(mine.version),
        "recruiters.0.kind": "phone",
        "recruiters.0.value": "79999999",
    }
    assert post(f"/cases/{mine.id}/edit", values).status_code == 302
    assert _n1(session, other.id) == [] and _n1(session, mine.id) == []  # both lose N1
    note = session.scalar(select(Note).where(Note.claim_id == mine.id, Note.kind == "edit"))
    assert note.details["fields"] == ["recruiters"]


def test_the_public_page_shows_none_of_the_facts(client, session, english):
    claim = make_claim(
        session,
        status="active",
        publication="published",
        birth_date="1990-01-01",
        offer={"type": "job", "sector": "mining"},
        recruiters=[{"kind": "phone", "value": "71234567"}],
        occupation="street_vendor",
    )
    session.commit()
    page = client.get(f"/claims/{claim.reference}").get_data(as_text=True)
    assert "71234567" not in page and "Mining" not in page and "Street vendor" not in page


def test_the_police_see_the_facts_and_another_family_does_not(client, login_as, session, english):
    claim = make_claim(
        session,
        offer={"type": "job", "sector": "mining"},
        recruiters=[{"kind": "social_handle", "value": "@Reclutador"}],
    )
    session.commit()
    login_as("family")
    assert client.get(f"/cases/{claim.id}").status_code == 404
    login_as("police", "BO")
    page = client.get(f"/cases/{claim.id}").get_data(as_text=True)
    assert "Social-media account: reclutador" in page and "Mining" in page


def test_only_the_police_set_note_flags(client, login_as, post, session, english):
    family = login_as("family")
    claim = make_claim(session, family, status="active")
    session.commit()
    page = client.get(f"/cases/{claim.id}").get_data(as_text=True)
    assert 'name="flags"' not in page
    response = post(f"/cases/{claim.id}/notes", {"text": "Llamó.", "visibility": "family", "flags": "threatened"})
    assert response.status_code == 422 and "Only the police may mark these facts." in response.get_data(as_text=True)
    assert session.scalar(select(Note).where(Note.kind == "information")) is None
    login_as("police", "BO")
    assert 'name="flags"' in client.get(f"/cases/{claim.id}").get_data(as_text=True)
    bad = post(f"/cases/{claim.id}/notes", {"text": "x", "visibility": "police", "flags": "invented"})
    assert bad.status_code == 422
    response = post(
        f"/cases/{claim.id}/notes", {"text": "", "visibility": "police", "flags": ["threatened", "owes_debt"]}
    )
    assert response.status_code == 302
    note = session.scalar(select(Note).where(Note.kind == "information"))
    assert note.flags == ["threatened", "owes_debt"]
    ids = {i["id"] for i in current(session, claim.id).result["indicators"]}
    assert {"C3", "C6"} <= ids
    assert "The person says they owe a debt" in client.get(f"/cases/{claim.id}").get_data(as_text=True)


def test_the_sighting_form_asks_how_the_person_seemed(client, session, csrf, english):
    page = client.get("/sightings/new").get_data(as_text=True)
    assert "How did the person seem?" in page and 'value="escorted_or_guarded"' in page
    assert 'name="free_to_leave"' in page
    token = csrf("/sightings/new")
    bad = client.post(
        "/sightings/new",
        data={
            "csrf_token": token,
            "event_date": "2026-06-01",
            "country": "PE",
            "conditions": ["fearful", "sad"],
            "free_to_leave": "no",
        },
    )
    assert bad.status_code == 422 and '<option value="no" selected>' in bad.get_data(as_text=True)
    assert 'value="fearful" checked' in bad.get_data(as_text=True)
    good = client.post(
        "/sightings/new",
        data={
            "csrf_token": token,
            "event_date": "2026-06-01",
            "country": "PE",
            "conditions": ["fearful", "injuries"],
            "free_to_leave": "no",
        },
    )
    assert good.status_code == 303
    sighting = session.scalar(select(Sighting))
    assert sighting.conditions == ["fearful", "injuries"] and sighting.free_to_leave == "no"
