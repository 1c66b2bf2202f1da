"""Inside a practice space the same table holds (issue 14): a trainee acts as an officer of the
session's country, so a practice claim of their country is theirs in full and a practice claim of an
unlinked country shows its identification only. The practice records' restricted values are the
sentinels: they must appear in the trainee's answers exactly where the table allows.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from portal import casework
from portal.access.policy import FIELDS, Relation, allowed
from portal.cases.inputs import parse_claim
from portal.cases.models import Claim
from portal.review.models import MatchCandidate
from portal.training import spaces
from tests.builders import MEMBERS, claim_data, make_user

SESSION = {
    "title": "Práctica de acceso",
    "country": "BO",
    "district": "Oruro",
    "place": "Comando Departamental",
    "starts_on": "2026-12-10",
    "language": "es",
    "capacity": 10,
}
RESTRICTED_FIELDS = ("reporter_name", "reporter_contact", "document_id", "police_case_number")


def _practice_claim_of_chile(practice, officer):  # type: ignore[no-untyped-def]
    """A claim filed in the practice space by an officer of Chile, of a person no one else filed."""
    parsed = parse_claim(
        claim_data(
            given_names="Zqxpracticagiven",
            first_surname="Zqxpracticafirst",
            second_surname="Zqxpracticasecond",
            aliases="",
            country="CL",
            place="Arica",
            document_id="ZQX7700123",
            reporter_name="Zqxpracticareporter",
            reporter_contact="zqxpracticacontact",
        ),
        today=date(2026, 11, 29),
        member_countries=MEMBERS,
        require_reporter=True,
    )
    claim = casework.claim_filed(practice, spaces.mirror(practice, officer, "CL"), parsed)
    claim.status, claim.police_case_number = "active", "ZQXPRACTICACASE"
    practice.commit()
    return claim


def test_a_trainee_reads_practice_records_as_the_table_says(app, client, session, token_for):
    _trainer, headers = token_for("trainer", "BO")
    created = client.post("/api/v1/training/sessions", json=SESSION, headers=headers).get_json()
    enrolled = client.post(
        f"/api/v1/training/sessions/{created['id']}/trainees",
        json={"email": "acceso@example.org", "name": "Aprendiz Acceso", "kind": "police"},
        headers=headers,
    ).get_json()
    trainee = {"Authorization": f"Bearer {enrolled['token']}"}
    chilean = make_user(session, "trainee", "CL")
    session.commit()
    with spaces.factory(app, created["id"])() as practice:
        own = practice.scalar(select(Claim).where(Claim.owner_country == "BO", Claim.status == "active").limit(1))
        other = _practice_claim_of_chile(practice, chilean)
        # Chile's practice claim is tied to no Bolivian record: Bolivia is "another member country".
        linked = practice.scalars(
            select(MatchCandidate).where(
                or_(MatchCandidate.left_claim_id == other.id, MatchCandidate.right_claim_id == other.id)
            )
        ).all()
        assert own is not None and not linked
        cases = [(own, frozenset({Relation.OWNER_COUNTRY})), (other, frozenset({Relation.OTHER_COUNTRY}))]
        expected = [(c.id, {f: getattr(c, f) for f in RESTRICTED_FIELDS}, relations) for c, relations in cases]
    for claim_id, values, relations in expected:
        body = client.get(f"/api/v1/claims/{claim_id}", headers=trainee).get_data(as_text=True)
        assert body.count('"reference"') == 1, body[:300]
        for name, value in values.items():
            if not value:
                continue
            may = FIELDS[name] in allowed("police", relations | {Relation.PUBLIC})
            assert (value in body) == may, (claim_id, name, may)
        # The other country's restricted values really were there to leak (the check is not vacuous).
        if Relation.OTHER_COUNTRY in relations:
            assert all(values.values()) and "Zqxpracticasecond" in body
