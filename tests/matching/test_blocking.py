"""Blocking keys and the candidate index: recall on the hard variants, few pairs for the rest."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from portal.matching.blocking import CandidateIndex, blocking_keys, corridor_countries, query_keys
from portal.matching.linker import dedupe, link
from portal.matching.records import CLAIM, SIGHTING, PersonRecord, prepare

BASE = PersonRecord(
    id="C1",
    kind=CLAIM,
    given_names="Guadalupe",
    first_surname="Quispe",
    second_surname="Mamani",
    sex="F",
    birth_date=date(2010, 5, 3),
    country="BO",
    place="El Alto",
    event_date=date(2025, 2, 11),
)


def others(n: int) -> list[PersonRecord]:
    """Distinct synthetic claims: other names, other years."""
    given = ["Rosa", "Wilmer", "Jhoselin", "Brayan", "Yessica", "Edwin", "Noemí", "Franz"]
    surnames = ["Condori", "Choque", "Apaza", "Flores", "Ticona", "Huanca", "Poma", "Limachi"]
    return [
        PersonRecord(
            id=f"X{i}",
            given_names=given[i % 8],
            first_surname=surnames[(i // 8) % 8],
            second_surname=surnames[(i // 64) % 8],
            sex="FM"[i % 2],
            birth_date=date(1995 + i % 20, 1 + i % 12, 1),
            country="BO",
            event_date=date(2025, 1, 1),
        )
        for i in range(n)
    ]


# A witness's report: a girl of 14 to 16 seen in Bolivia three months after BASE disappeared.
SEEN = PersonRecord(id="S1", kind=SIGHTING, sex="F", age_min=14, age_max=16, country="BO", event_date=date(2025, 5, 20))


def linked_ids(claim: PersonRecord, seen: PersonRecord) -> list[str]:
    """The claims ``link`` writes for ``seen``, every candidate kept, among ``claim`` and 300 others."""
    records = [prepare(r) for r in [claim, *others(300)]]
    return [c.left.id for c in link(records, [prepare(seen)], top=10, min_score=0)]


def test_spelling_variants_and_swapped_surnames_share_a_key() -> None:
    variant = replace(BASE, id="C2", given_names="GUADALUPE", first_surname="Mamani", second_surname="Kispe")
    assert blocking_keys(prepare(BASE)) & blocking_keys(prepare(variant))


def test_a_nickname_heard_in_a_sighting_finds_the_claim() -> None:
    seen = PersonRecord(
        id="S1",
        kind=SIGHTING,
        given_names="Lupe",
        sex="F",
        age_min=14,
        age_max=17,
        country="PE",
        event_date=date(2025, 5, 20),
    )
    assert query_keys(prepare(seen)) & blocking_keys(prepare(BASE))
    records = [prepare(r) for r in [BASE, *others(300)]]
    found = link(records, [prepare(seen)], top=10)
    assert [c.left.id for c in found][:1] == ["C1"]


def test_a_sighting_cannot_be_matched_to_a_later_disappearance() -> None:
    seen = PersonRecord(
        id="S1",
        kind=SIGHTING,
        given_names="Guadalupe",
        sex="F",
        age_min=13,
        age_max=16,
        country="BO",
        event_date=date(2025, 1, 2),
    )
    index = CandidateIndex([prepare(BASE)])
    assert len(index.candidates(prepare(seen))) == 0


def test_nameless_sightings_look_in_the_corridor_countries() -> None:
    assert {"BO", "PE", "CL"} <= corridor_countries("BO")
    seen = PersonRecord(
        id="S1", kind=SIGHTING, sex="F", age_min=14, age_max=16, country="PE", event_date=date(2025, 5, 20)
    )
    keys = query_keys(prepare(seen))
    assert any(k.startswith("cy:BO|") for k in keys) and any(k.startswith("cy:PE|") for k in keys)
    assert len(CandidateIndex([prepare(BASE)]).candidates(prepare(seen))) == 1


def test_dedupe_finds_the_duplicate_and_compares_few_pairs() -> None:
    duplicate = replace(BASE, id="C2", first_surname="Kispe", country="PE", event_date=date(2025, 2, 13))
    records = [prepare(r) for r in [BASE, *others(500), duplicate]]
    found = dedupe(records, top=5)
    assert ("C1", "C2") in {(c.left.id, c.right.id) for c in found if c.result.decision == "match"}
    index = CandidateIndex(records)
    assert len(index.pairs()) < len(records) * 10  # far below the 125,751 pairs of all against all


def test_same_document_pairs_survive_the_age_filter() -> None:
    a = replace(BASE, document_id="7654321")
    b = replace(
        BASE, id="C2", given_names="Lupita", first_surname="Q.", document_id="7654321", birth_date=date(2001, 5, 3)
    )
    pairs = CandidateIndex([prepare(a), prepare(b)]).pairs().tolist()
    assert pairs == [[0, 1]]


def test_a_witness_who_misjudges_the_age_by_three_years_still_finds_the_claim() -> None:
    # Born in 2010, seen in 2025 at 15; the witness says "about 18": no stated birth year is hers.
    seen = replace(SEEN, given_names="Guadalupe", age_min=18, age_max=18)
    assert not query_keys(prepare(seen), widen=False) & blocking_keys(prepare(BASE))
    assert query_keys(prepare(seen)) & blocking_keys(prepare(BASE))
    assert "C1" in linked_ids(BASE, seen)


def test_the_widened_years_only_fill_the_candidates_left_after_the_stated_ones() -> None:
    # Eight Rosas born in the stated years and eight born just outside them; room for eight.
    def rosa(i: int, year: int) -> PersonRecord:
        return replace(
            BASE,
            id=f"R{year}-{i}",
            given_names="Rosa",
            first_surname=f"Surname{i}",
            second_surname="",
            birth_date=date(year, 3, 1),
        )

    inside = [rosa(i, 2010) for i in range(8)]
    outside = [rosa(i, 2008) for i in range(8)]
    records = [prepare(r) for r in [*outside, *inside]]
    seen = replace(SEEN, given_names="Rosa", age_max=15)
    found = CandidateIndex(records).candidates(prepare(seen), limit=8)
    assert sorted(records[i].id for i in found) == sorted(r.id for r in inside)
    assert len(CandidateIndex(records).candidates(prepare(seen), limit=16)) == 16


def test_a_surname_heard_alone_finds_the_claim_but_never_pairs_claims() -> None:
    seen = replace(SEEN, first_surname="Kispe", country="PE")
    assert any(k.startswith("sy:") for k in query_keys(prepare(seen)))
    assert not any(k.startswith("sy:") for k in query_keys(prepare(BASE)))  # a given name is known
    assert "C1" in linked_ids(BASE, seen)
    # Two claims sharing only a surname and a birth year are not compared when deduplicating.
    namesake = replace(BASE, id="C2", given_names="Wilmer", second_surname="Apaza", sex="M", place="Oruro")
    assert CandidateIndex([prepare(BASE), prepare(namesake)]).pairs().size == 0


def test_a_sighting_without_an_age_looks_up_the_given_name_alone() -> None:
    seen = replace(SEEN, given_names="Guadalupe", age_min=None, age_max=None, country="")
    assert "g:" + next(iter(prepare(BASE).given_keys)) in query_keys(prepare(seen))
    assert not any(k.startswith("g:") for k in query_keys(prepare(BASE)))  # the claim has a birth year
    assert "C1" in linked_ids(BASE, seen)


def test_a_witness_may_misjudge_the_age_by_five_years_when_the_full_name_is_known() -> None:
    def seen(age: int) -> PersonRecord:  # Guadalupe was 15 when seen
        return replace(SEEN, given_names="Guadalupe", first_surname="Quispe", age_min=age, age_max=age)

    index = CandidateIndex([prepare(BASE)])
    assert len(index.candidates(prepare(seen(20)))) == 1
    assert len(index.candidates(prepare(seen(21)))) == 0
    # Two claims' estimates stay within three years of each other, unless a given name and both
    # surnames agree (AGES_OVERRULED): then the scorer weighs the age against the names.
    estimate = replace(BASE, id="C2", birth_date=None, age_min=20, age_max=20, event_date=date(2025, 5, 20))
    assert len(CandidateIndex([prepare(BASE)]).candidates(prepare(replace(estimate, second_surname="")))) == 0
    assert len(CandidateIndex([prepare(BASE)]).candidates(prepare(estimate))) == 1


def test_a_mistyped_year_of_birth_does_not_hide_a_full_name_or_a_near_document() -> None:
    """Pairs of claims whose written birth years disagree are still paired under a given name with
    both surnames, or a document one character apart; under a given name and one surname, not."""
    typo = replace(BASE, id="C2", birth_date=date(2001, 5, 3))
    one_surname = replace(typo, id="C3", second_surname="")
    near_document = replace(BASE, id="C4", given_names="Lupe", birth_date=date(1990, 1, 1), document_id="4455668")
    records = [prepare(r) for r in (replace(BASE, document_id="4455667"), typo, one_surname, near_document)]
    pairs = {
        (records[i].id, records[j].id)
        for i, j in CandidateIndex(records, [sorted(blocking_keys(p, query_only=False)) for p in records])
        .pairs()
        .tolist()
    }
    assert ("C1", "C2") in pairs and ("C1", "C4") in pairs
    assert ("C1", "C3") not in pairs  # C3 shares given name and first surname only: the years cut it


def test_the_keys_made_for_deduplicating_are_the_stored_keys_that_pair_records() -> None:
    from portal.matching.blocking import QUERY_ONLY

    marked = replace(BASE, document_id="4567821", description="tatuaje de mariposa en el brazo", aliases=("Lupita",))
    for record in [BASE, marked, *others(40)]:
        p = prepare(record)
        pairing = {k for k in blocking_keys(p) if not k.startswith(QUERY_ONLY)}
        assert blocking_keys(p, query_only=False) == pairing
        assert pairing != blocking_keys(p)  # there were query-only keys to leave out


def test_a_first_name_mistyped_at_its_start_still_finds_the_claim() -> None:
    sergio = replace(BASE, id="C1", given_names="Sergio", first_surname="Mamani", sex="M")
    seen = replace(SEEN, given_names="Zregio", sex="M")
    assert not query_keys(prepare(seen)) & {k for k in blocking_keys(prepare(sergio)) if not k.startswith("gd:")}
    assert "C1" in linked_ids(sergio, seen)
