"""N3 (claims after the same offer/destination) and N2 (sightings at the same venue) across unrelated claims."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from portal.cases.models import Claim
from portal.casework import candidate_confirmed as confirm
from portal.flags.network import offer_keys, place_key
from portal.flags.services import current
from portal.review.models import MatchCandidate
from tests.builders import girl, lupe_sighting, make_claim, make_user

MINING_PE = {"type": "job", "sector": "mining", "destination_country": "PE"}


def claim(session, event_date: str, **offer: Any) -> Claim:
    return make_claim(
        session, status="active", publication="published", event_date=event_date, offer={**MINING_PE, **offer}
    )


def indicator(session, claim_id: int, wanted: str) -> dict[str, Any] | None:
    session.expire_all()
    latest = current(session, claim_id)
    assert latest is not None
    return next((i for i in latest.result["indicators"] if i["id"] == wanted), None)


def related(found: dict[str, Any] | None) -> list[str]:
    assert found is not None
    return [ref for line in found["evidence"] for ref in line.get("related", [])]


def test_keys_read_plain_and_need_a_real_place():
    assert offer_keys({"destination_country": "pe", "sector": "mining", "destination_place": " La  Rinconada "}) == [
        "destination PE · sector mining",
        "destination PE · place la rinconada",
    ]
    assert offer_keys({"sector": "mining", "destination_place": "Cusco"}) == []  # no destination country
    assert place_key("  Ñuñoa, ") == "nunoa" and place_key("A-1 b") == ""


def test_three_claims_after_the_same_offer_each_gain_n3_naming_the_others(session):
    claims = [claim(session, "2026-01-10"), claim(session, "2026-03-01"), claim(session, "2026-06-20")]
    for me in claims:
        found = indicator(session, me.id, "N3")
        assert found is not None, me.reference
        assert found["evidence"][0]["value"] == "destination PE · sector mining"
        assert sorted(related(found)) == sorted(c.reference for c in claims if c is not me)


def test_the_same_place_and_country_cluster_without_a_sector(session):
    claims = [claim(session, "2026-02-01", sector="", destination_place="Cusco") for _ in range(2)]
    claims.append(claim(session, "2026-02-20", sector="", destination_place="cuSCO "))
    found = indicator(session, claims[0].id, "N3")
    assert found is not None and found["evidence"][0]["value"] == "destination PE · place cusco"


def test_outside_the_window_or_another_sector_gives_no_n3(session):
    first = claim(session, "2026-01-01")
    claim(session, "2026-09-01")  # 243 days later
    claim(session, "2026-02-01", sector="garment")
    claim(session, "2026-02-01", destination_country="CL")
    assert indicator(session, first.id, "N3") is None


def test_a_confirmed_duplicate_pair_is_not_a_cluster(session):
    first, second, third = claim(session, "2026-02-01"), claim(session, "2026-02-10"), claim(session, "2026-02-20")
    assert indicator(session, third.id, "N3") is not None
    pair = session.scalar(
        select(MatchCandidate).where(
            MatchCandidate.right_type == "claim",
            MatchCandidate.left_claim_id.in_((first.id, second.id)),
            MatchCandidate.right_claim_id.in_((first.id, second.id)),
        )
    )
    assert pair is not None  # the builder's claims are the same invented person
    confirm(session, make_user(session, "police", "BO"), pair)
    session.flush()
    assert indicator(session, first.id, "N3") is None  # only the third is unrelated
    assert indicator(session, third.id, "N3") is not None  # the duplicates are two others for the third


def _two_girls_seen_at(session, second_place: str, venue: str = "bar") -> tuple[Claim, Claim]:
    one, two = girl(session), girl(session, event_date="2026-03-05")
    officer = make_user(session, "police", "PE")
    first, second = (
        lupe_sighting(session, venue=venue, place=place) for place in ("Cusco, cerca del mercado", second_place)
    )
    for sighting, owner in ((first, one), (second, two)):
        found = session.scalars(
            select(MatchCandidate).where(
                MatchCandidate.right_sighting_id == sighting.id, MatchCandidate.left_claim_id == owner.id
            )
        ).all()
        assert len(found) == 1
        confirm(session, officer, found[0])
    session.flush()
    return one, two


def test_confirmed_sightings_at_the_same_bar_link_both_claims(session):
    one, two = _two_girls_seen_at(session, "CUSCO, cerca del  mercado")
    for me, other in ((one, two), (two, one)):
        found = indicator(session, me.id, "N2")
        assert found is not None
        assert found["evidence"][0]["value"] == "bar · cusco cerca del mercado"
        assert related(found) == [other.reference]


def test_sightings_at_another_place_link_nobody(session):
    one, two = _two_girls_seen_at(session, "Lima, Miraflores")
    assert indicator(session, one.id, "N2") is None and indicator(session, two.id, "N2") is None


def test_the_same_street_links_nobody(session):
    one, two = _two_girls_seen_at(session, "Cusco, cerca del mercado", venue="street")
    assert indicator(session, one.id, "N2") is None and indicator(session, two.id, "N2") is None
