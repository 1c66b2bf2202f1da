"""GET /api/v1/claims/{id}/candidates: police only; the public 401, police who see the claim but may
not review it 403, everyone else 404."""

from __future__ import annotations

from tests.builders import make_claim


def test_police_who_see_the_claim_get_a_list(client, session, token_for):
    draft = make_claim(session)
    active = make_claim(session, status="active", publication="published")
    session.commit()
    _bo, bo = token_for("police", "BO")
    _pe, pe = token_for("coordinator", "PE")
    response = client.get(f"/api/v1/claims/{draft.id}/candidates", headers=bo)
    # The builder files the same invented person twice: the engine proposes the pair.
    assert response.status_code == 200
    assert [(c["record_type"], c["id"]) for c in response.get_json()] == [("claim", active.id)]
    # Peru, linked to neither, reads the active claim's identification only: no candidates (issue 14).
    # It knows the claim exists, so it is told it may not (403); a draft it may not see stays 404.
    assert client.get(f"/api/v1/claims/{active.id}/candidates", headers=pe).status_code == 403
    assert client.get(f"/api/v1/claims/{draft.id}/candidates", headers=pe).status_code == 404


def test_the_public_families_and_trainers_get_404(client, session, token_for):
    family, family_headers = token_for("family")
    claim = make_claim(session, family, status="active", publication="published")
    session.commit()
    _trainer, trainer_headers = token_for("trainer", "BO")
    for headers in (family_headers, trainer_headers):
        response = client.get(f"/api/v1/claims/{claim.id}/candidates", headers=headers)
        assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    # The public is asked for a token, whatever the claim (the document says this operation needs one).
    for claim_id in (claim.id, claim.id + 1000):
        response = client.get(f"/api/v1/claims/{claim_id}/candidates")
        assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
