"""The HTCDS view of a claim in GET /claims/{id}: police with police access only, next to ``risk``."""

from __future__ import annotations

from portal.cases.models import Claim
from portal.flags.network import LINKED_VENUES
from portal.risk.htcds import E164, EXPLOITATION_VENUES

from .test_risk_facts import ANA, OFFER, _file


def test_exploitation_venues_are_the_network_linked_venues() -> None:
    assert EXPLOITATION_VENUES == LINKED_VENUES


def test_police_get_the_htcds_view_and_family_and_public_do_not(client, token_for, session):
    _family, family = token_for("family")
    _officer, police = token_for("police", "BO")
    body = {
        **ANA,
        "offer": OFFER,
        "circumstances": ["job_offer_abroad", "threats_or_debt_to_family"],
        "recruiters": [
            {"kind": "phone", "value": "+591 7123-4567"},
            {"kind": "social_handle", "value": "@Agencia.Modelos"},
        ],
    }
    created = _file(client, family, body)
    claim = session.get(Claim, created["id"])
    claim.status, claim.publication = "active", "published"
    claim.police_case_number = "FELCC-2026-001"
    session.commit()
    url = f"/api/v1/claims/{created['id']}"

    seen = client.get(url, headers=police).get_json()
    assert "risk" in seen
    view = seen["htcds"]
    assert view["prs_Gender"] == "Female"
    assert view["vic_MethodsOfControl"] == ["DebtBondage", "Threats", "WithholdsDocuments"]
    assert view["vic_TypeOfLabourExploitation"] == ["DomesticWork"]
    assert view["per_RoleInProcess"] == ["RecruiterOrIntermediary"]
    assert view["recruiters"] == [
        {"per_RoleInProcess": "RecruiterOrIntermediary", "portal:social_handle": "agencia.modelos"},
        {"per_RoleInProcess": "RecruiterOrIntermediary", "prs_MobilePhone": "+59171234567"},
    ]
    assert all(E164.match(r["prs_MobilePhone"]) for r in view["recruiters"] if "prs_MobilePhone" in r)
    assert view["hte"] == [{"hte_Type": "Recruitment", "hte_Country": "BO", "hte_Date": "2026-04-10"}]
    assert "Choque" not in str(view) and "Ana" not in str(view)

    for headers in (family, {}):
        answer = client.get(url, headers=headers)
        assert answer.status_code == 200
        assert not {"risk", "htcds"} & answer.get_json().keys()


def test_the_openapi_document_has_htcds_as_an_optional_object(client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert schemas["Claim"]["properties"]["htcds"]["$ref"] == "#/components/schemas/Htcds"
    assert "htcds" not in schemas["Claim"]["required"]
    assert schemas["Htcds"]["type"] == "object" and schemas["Htcds"]["additionalProperties"] is True
