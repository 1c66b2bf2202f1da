"""Scoring: weights of evidence with frequency adjustment, calibrated decisions, readable reasons."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from portal.matching.records import CLAIM, SIGHTING, PersonRecord, prepare
from portal.matching.scoring import EMPTY_FREQUENCIES as EMPTY
from portal.matching.scoring import MATCH, REVIEW, TermFrequencies, compare

GUADALUPE = PersonRecord(
    id="C1",
    kind=CLAIM,
    given_names="Guadalupe",
    first_surname="Quispe",
    second_surname="Mamani",
    sex="F",
    birth_date=date(2010, 5, 3),
    document_id="7654321",
    country="BO",
    place="El Alto, Distrito 8",
    event_date=date(2025, 2, 11),
    height_cm=150,
    description="tatuaje de mariposa en el hombro izquierdo",
)


def frequencies(**surnames: int) -> TermFrequencies:
    return TermFrequencies({"guadalupe": 20, "maria": 900}, dict(surnames), 10_000)


def test_a_duplicate_filed_in_another_country_is_a_match_with_reasons() -> None:
    other = replace(
        GUADALUPE,
        id="C2",
        first_surname="Kispe",
        country="PE",
        place="Puno",
        event_date=date(2025, 2, 14),
        description="tenía una mariposa tatuada en el hombro",
    )
    result = compare(prepare(GUADALUPE), prepare(other), frequencies(quispe=500, mamani=600), 10_000)
    assert result.decision == "match" and result.score >= MATCH
    joined = " ".join(result.reasons)
    assert "surname≈phonetic(quispe/kispe)" in joined
    assert "doc=exact" in joined and "mark✓" in joined and "corridor(BO→PE)" in joined


def test_agreeing_on_a_rare_surname_weighs_more_than_on_a_common_one() -> None:
    a = replace(GUADALUPE, document_id="", description="", height_cm=None)
    b = replace(a, id="C2", second_surname="", event_date=date(2025, 6, 1))
    common = compare(prepare(a), prepare(b), frequencies(quispe=2000, mamani=600), 10_000)
    rare = compare(prepare(a), prepare(b), frequencies(quispe=2, mamani=600), 10_000)
    assert rare.log2_bayes_factor > common.log2_bayes_factor + 5


def test_two_claims_of_one_country_weigh_a_name_by_that_countrys_frequencies() -> None:
    # Quispe is 1 name in 20 of the network's claims and 1 in 4 of Bolivia's: two Bolivian claims
    # agreeing on it say less than the network's count suggests; a claim abroad or a sighting, as before.
    a = replace(GUADALUPE, document_id="", description="", height_cm=None, second_surname="")
    b = replace(a, id="C2", event_date=date(2025, 6, 1))
    local = {"BO": ({"guadalupe": 20}, {"quispe": 1000}, 4000), "PE": ({}, {"quispe": 10}, 500)}
    tf = TermFrequencies({"guadalupe": 20}, {"quispe": 1000}, 20_000, by_country=local)
    network = TermFrequencies({"guadalupe": 20}, {"quispe": 1000}, 20_000)
    assert tf.within("BO").surname("quispe") == 0.25 and tf.within("PE") is tf  # PE: too few records
    bolivian = compare(prepare(a), prepare(b), tf, 20_000)
    assert bolivian.log2_bayes_factor < compare(prepare(a), prepare(b), network, 20_000).log2_bayes_factor - 1
    abroad = replace(b, country="PE", place="Puno")
    assert compare(prepare(a), prepare(abroad), tf, 20_000) == compare(prepare(a), prepare(abroad), network, 20_000)
    seen = replace(b, kind=SIGHTING, birth_date=None, document_id="", age_min=14, age_max=16)
    assert compare(prepare(a), prepare(seen), tf, 20_000) == compare(prepare(a), prepare(seen), network, 20_000)


def test_frequencies_counted_by_country_are_kept_only_for_countries_with_enough_records(monkeypatch) -> None:
    people = [replace(GUADALUPE, id=f"C{k}", country="BO" if k < 3 else "PE") for k in range(5)]
    monkeypatch.setattr("portal.matching.scoring.LOCAL_MIN_RECORDS", 3)
    tf = TermFrequencies.from_prepared([prepare(p) for p in people])
    assert set(tf.by_country) == {"BO"} and tf.by_country["BO"][2] == 3
    assert tf.within("BO").given("guadalupe") == 1.0 and tf.within("PE") is tf
    assert tf.within("BO").country("BO") == tf.country("BO") == 0.6  # shares of places and countries: the whole set's


def test_sighting_before_the_disappearance_is_impossible() -> None:
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
    result = compare(prepare(GUADALUPE), prepare(seen), frequencies(), 10_000)
    assert result.score == 0.0 and result.decision == ""
    assert any(r.startswith("before_disappearance") for r in result.reasons)


def test_nickname_sighting_across_the_border_is_worth_a_review() -> None:
    seen = PersonRecord(
        id="S1",
        kind=SIGHTING,
        aliases=("Lupe",),
        sex="F",
        age_min=14,
        age_max=17,
        country="PE",
        place="Cusco, bar",
        event_date=date(2025, 5, 20),
        description="mariposa tatuada en el hombro",
    )
    result = compare(prepare(seen), prepare(GUADALUPE), frequencies(), 10_000)  # either order
    assert result.score >= REVIEW and result.decision in ("possible", "match")
    assert "given=nickname(lupe)" in result.reasons


def test_two_people_sharing_only_one_of_two_surnames_are_not_a_match() -> None:
    a = replace(
        GUADALUPE,
        given_names="Ana",
        first_surname="Bustillos",
        second_surname="Gutiérrez",
        document_id="",
        description="",
    )
    b = replace(
        a,
        id="C2",
        second_surname="Cáceres",
        birth_date=date(2010, 9, 2),
        place="Sucre",
        event_date=date(2025, 9, 30),
        height_cm=141,
    )
    result = compare(prepare(a), prepare(b), TermFrequencies({"ana": 300}, {"bustillos": 3}, 10_000), 10_000)
    assert result.decision != "match"


def test_an_opposite_sex_and_a_distant_age_sink_the_score() -> None:
    b = replace(
        GUADALUPE,
        id="C2",
        sex="M",
        birth_date=date(1990, 1, 1),
        document_id="",
        place="Oruro",
        event_date=date(2024, 3, 1),
        height_cm=171,
        description="",
    )
    result = compare(prepare(GUADALUPE), prepare(b), frequencies(quispe=500, mamani=600), 10_000)
    assert result.score < REVIEW
    assert "sex✗" in result.reasons and any(r.startswith("dob✗") for r in result.reasons)


def test_nationality_is_never_evidence_nor_a_reason() -> None:
    a = replace(GUADALUPE, nationality="BO")
    same = compare(prepare(a), prepare(replace(a, id="C2")), frequencies(), 10_000)
    other = compare(prepare(a), prepare(replace(a, id="C2", nationality="PE")), frequencies(), 10_000)
    assert same.log2_bayes_factor == other.log2_bayes_factor
    assert not any("nation" in r or r == "BO" for r in same.reasons)


def test_the_score_is_lower_in_a_bigger_population() -> None:
    seen = PersonRecord(
        id="S1",
        kind=SIGHTING,
        given_names="Guadalupe",
        sex="F",
        age_min=13,
        age_max=17,
        country="BO",
        event_date=date(2025, 6, 1),
    )
    small = compare(prepare(GUADALUPE), prepare(seen), frequencies(), 1_000)
    large = compare(prepare(GUADALUPE), prepare(seen), frequencies(), 1_000_000)
    assert large.score < small.score


def test_a_whole_name_nickname_is_not_worth_more_than_the_name_itself() -> None:
    """'Majo' for 'María José': the nickname never appears as a given name, yet it must not weigh like a rare name."""
    a = replace(GUADALUPE, given_names="María José", document_id="", description="")
    b = replace(a, id="C2", given_names="Majo")
    tf = TermFrequencies({"maria": 900, "jose": 300}, {"quispe": 500, "mamani": 600}, 10_000)
    nickname = compare(prepare(a), prepare(b), tf, 10_000)
    exact = compare(prepare(a), prepare(replace(a, id="C3")), tf, 10_000)
    assert "given=nickname(majo)" in nickname.reasons
    assert nickname.log2_bayes_factor < exact.log2_bayes_factor


def test_names_split_differently_or_typed_in_each_others_boxes_still_agree() -> None:
    a = PersonRecord(
        id="A",
        given_names="Hayden",
        first_surname="Thredgold",
        birth_date=date(1973, 4, 16),
        place="7 callaway crescent, keilor park",
    )
    glued = compare(prepare(a), prepare(replace(a, id="B", first_surname="Thred Gold")), EMPTY, 5_000)
    swapped = compare(
        prepare(a), prepare(replace(a, id="C", given_names="Thredgold", first_surname="Hayden")), EMPTY, 5_000
    )
    assert any(r.startswith("surname≈joined") for r in glued.reasons) and glued.decision == "match"
    assert "given↔surname" in swapped.reasons and swapped.decision == "match"


def test_sex_words_are_read_as_the_comparators_read_them() -> None:
    """'mujer' is F: the engine and the CSV reader use evidence.normalise_sex, not a first letter."""
    assert [prepare(PersonRecord(id="x", sex=v)).sex for v in ("F", "mujer", "Masculino", "x")] == ["F", "F", "M", ""]


def test_two_claims_naming_different_towns_of_one_country_weigh_less_than_one_silent_on_place() -> None:
    """Claims of one disappearance name its town; a sighting is often somewhere else, and is not marked down."""
    silent = replace(GUADALUPE, id="C2", place="", document_id="")
    elsewhere = replace(silent, id="C3", place="Cochabamba")
    base = replace(GUADALUPE, document_id="")
    a, b, c = (compare(prepare(base), prepare(x), frequencies(), 10_000) for x in (silent, elsewhere, base))
    assert "place≠(BO)" in b.reasons and "place≠(BO)" not in a.reasons
    assert b.log2_bayes_factor < a.log2_bayes_factor < c.log2_bayes_factor
    seen = PersonRecord(
        id="S1",
        kind=SIGHTING,
        given_names="Guadalupe",
        sex="F",
        age_min=14,
        age_max=16,
        country="BO",
        place="Cochabamba",
        event_date=date(2025, 6, 1),
    )
    seen_silent = replace(seen, place="")
    with_place, without = (compare(prepare(base), prepare(s), frequencies(), 10_000) for s in (seen, seen_silent))
    assert with_place.log2_bayes_factor == without.log2_bayes_factor
    assert not any(r.startswith("place≠") for r in with_place.reasons)


def test_a_birth_year_that_agrees_counts_when_only_the_year_is_known() -> None:
    """m and u of "dob=year" are both conditional on one side knowing only the year: agreeing is strong."""
    full = replace(GUADALUPE, document_id="", description="", place="", height_cm=None)
    year_only = replace(full, id="C2", birth_date=date(2010, 1, 1), birth_precision="year")
    other_year = replace(year_only, id="C3", birth_date=date(2012, 1, 1))
    agree = compare(prepare(full), prepare(year_only), frequencies(), 10_000)
    disagree = compare(prepare(full), prepare(other_year), frequencies(), 10_000)
    assert "dob=year" in agree.reasons
    assert agree.log2_bayes_factor - disagree.log2_bayes_factor > 8  # log2(0.85/0.04) + log2(0.85/0.01)


def test_calibration_is_monotonic_and_weight_for_inverts_it() -> None:
    from portal.matching.scoring import probability, weight_for

    for kinds in ((CLAIM, CLAIM), (CLAIM, SIGHTING), (SIGHTING, CLAIM)):
        scores = [probability(w, *kinds) for w in range(-20, 21)]
        assert scores == sorted(scores) and scores[0] < REVIEW and scores[-1] > MATCH
        for target in (REVIEW, MATCH, 0.9):
            assert abs(probability(weight_for(target, *kinds), *kinds) - target) < 1e-4
    # Sightings say less than claims: the same evidence is worth a lower probability.
    assert probability(5.0, CLAIM, SIGHTING) < probability(5.0, CLAIM, CLAIM)
