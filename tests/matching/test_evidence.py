"""Non-name evidence comparators (synthetic values only)."""

from __future__ import annotations

from datetime import date

import pytest

from portal.matching.evidence import (
    CORRIDORS,
    LEVELS,
    Evidence,
    birth_years_from_age,
    compare_age,
    compare_document,
    compare_height,
    compare_marks,
    compare_place,
    compare_sex,
    compare_time_order,
    normalise_document,
)
from portal.matching.marks import extract_marks, word_concept

# ---------------------------------------------------------------- sex


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("F", "F", "agree"),
        ("M", "m", "agree"),
        ("F", "M", "disagree"),
        ("Femenino", "mujer", "agree"),
        ("", "F", "unknown"),
        ("F", None, "unknown"),
        ("X", "M", "unknown"),
    ],
)
def test_compare_sex(a, b, level) -> None:
    assert compare_sex(a, b).level == level


def test_evidence_is_frozen() -> None:
    ev = compare_sex("F", "M")
    assert ev == Evidence("disagree", "sex✗") and ev.level in LEVELS
    with pytest.raises(AttributeError):
        ev.level = "agree"  # type: ignore[misc]


# ---------------------------------------------------------------- age


def test_birth_year_interval_from_estimated_age() -> None:
    # seen aged 30-35 in mid 2024: born between 1988 (35, birthday later in year) and 1994
    assert birth_years_from_age(30, 35, date(2024, 6, 1)) == (1988, 1994)
    assert birth_years_from_age(35, 30, date(2024, 6, 1)) == (1988, 1994)


def test_birth_date_against_sighting_age_agrees() -> None:
    ev = compare_age(date(1991, 3, 14), "day", age_min_b=30, age_max_b=35, event_date_b=date(2024, 6, 1))
    assert ev == Evidence("agree", "age✓")


def test_child_seen_as_adult_disagrees_with_readable_reason() -> None:
    ev = compare_age(date(2010, 5, 2), "day", age_min_b=30, age_max_b=35, event_date_b=date(2024, 6, 1))
    assert ev.level == "disagree"
    assert ev.reason == "age✗(seen 30-35, born 2010)"


def test_age_estimate_on_later_date_is_interval_not_point() -> None:
    # reported aged 14 at disappearance in 2018, seen "about 19-20" in 2024: born 2003-2004 vs 2003-2005
    ev = compare_age(None, "year", 14, 14, date(2018, 2, 1), 19, 20, date(2024, 9, 1))
    assert ev.level == "agree"


def test_small_gap_is_partial_large_gap_disagrees() -> None:
    # born 2000; seen aged 18-20 in 2024 → born 2003-2006: gap 3 years → partial
    assert (
        compare_age(date(2000, 1, 1), "year", age_min_b=18, age_max_b=20, event_date_b=date(2024, 6, 1)).level
        == "partial"
    )
    # seen aged 10-12 in 2024 → born 2011-2014: gap 11 years → disagree
    assert (
        compare_age(date(2000, 1, 1), "year", age_min_b=10, age_max_b=12, event_date_b=date(2024, 6, 1)).level
        == "disagree"
    )


def test_single_age_value_is_enough() -> None:
    ev = compare_age(date(2006, 8, 9), "day", age_min_b=17, event_date_b=date(2024, 1, 1))
    assert ev.level == "agree"


@pytest.mark.parametrize(
    ("b", "level", "reason"),
    [
        (date(1990, 4, 7), "agree", "dob=exact"),
        (date(1990, 7, 4), "partial", "dob≈(day/month swapped)"),
        (date(1991, 4, 7), "partial", "dob≈(year±1)"),
        (date(1990, 11, 23), "partial", "dob≈(same year)"),
        (date(1989, 12, 30), "partial", "dob≈(1990 vs 1989)"),
        (date(1995, 4, 7), "disagree", "dob✗(1990 vs 1995)"),
    ],
)
def test_two_birth_dates_tolerate_typos(b, level, reason) -> None:
    assert compare_age(date(1990, 4, 7), "day", birth_date_b=b) == Evidence(level, reason)


def test_birth_dates_of_year_precision_compare_by_year() -> None:
    assert compare_age(date(1990, 1, 1), "year", birth_date_b=date(1990, 4, 7)).level == "agree"
    assert compare_age(date(1990, 1, 1), "year", birth_date_b=date(1991, 4, 7)).level == "partial"


def test_missing_age_is_unknown() -> None:
    assert compare_age(None, "day").level == "unknown"
    assert compare_age(date(1990, 1, 1), "day").level == "unknown"
    # an estimated age without the date it was estimated on says nothing
    assert compare_age(date(1990, 1, 1), "day", age_min_b=30, age_max_b=35).level == "unknown"


# ---------------------------------------------------------------- document


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("12.345.678-K", "12345678k", "agree"),
        ("CI 4.567.890 LP", "ci4567890lp", "agree"),
        ("45678901", "45678907", "partial"),  # one typo
        ("45678901", "4567890", "partial"),  # one digit dropped
        ("45678901", "45678710", "disagree"),
        ("12345", "12346", "disagree"),  # too short for a typo to count
        ("", "45678901", "unknown"),
        (None, "x", "unknown"),
    ],
)
def test_compare_document(a, b, level) -> None:
    assert compare_document(a, b).level == level


def test_normalise_document() -> None:
    assert normalise_document(" ab-12 3/ç ") == "AB123C"


# ---------------------------------------------------------------- height


@pytest.mark.parametrize(
    ("a", "b", "kwargs", "level"),
    [
        (160, 163, {}, "agree"),
        (160, 168, {}, "partial"),
        (160, 175, {}, "disagree"),
        (160, 151, {"b_is_estimate": True}, "agree"),
        (160, 178, {"b_is_estimate": True}, "partial"),
        (None, 160, {}, "unknown"),
        (160, 0, {}, "unknown"),
    ],
)
def test_compare_height_adults(a, b, kwargs, level) -> None:
    assert compare_height(a, b, **kwargs).level == level


def test_growing_minor_may_be_taller_later_but_not_shorter() -> None:
    grown = compare_height(140, 158, years_between=3, minor=True)
    assert grown == Evidence("agree", "height≈(grown)")
    assert compare_height(140, 158, years_between=3).level == "disagree"  # an adult does not grow 18 cm
    assert compare_height(140, 190, years_between=3, minor=True).level == "disagree"  # 50 cm in 3 years
    assert compare_height(150, 130, years_between=3, minor=True).level == "disagree"
    assert compare_height(150, 146, years_between=3, minor=True).level == "agree"


# ---------------------------------------------------------------- time order


def test_sighting_before_disappearance_is_impossible() -> None:
    ev = compare_time_order(date(2023, 5, 10), date(2023, 4, 30))
    assert ev == Evidence("impossible", "before_disappearance(10d)")


def test_time_order_after_disappearance() -> None:
    assert compare_time_order(date(2023, 5, 10), date(2023, 5, 10)) == Evidence("agree", "after+0d")
    assert compare_time_order(date(2023, 5, 10), date(2024, 5, 10)).reason == "after+366d"
    assert compare_time_order(date(2015, 1, 1), date(2024, 1, 1)).level == "partial"
    assert compare_time_order(None, date(2024, 1, 1)).level == "unknown"


# ---------------------------------------------------------------- marks

PARAPHRASES = [
    "tatuaje de mariposa en el hombro",
    "tenía una mariposa tatuada",
    "butterfly tattoo on shoulder",
    "Tatuagem de borboleta no ombro",
]


@pytest.mark.parametrize("a", PARAPHRASES)
@pytest.mark.parametrize("b", PARAPHRASES)
def test_butterfly_tattoo_paraphrases_agree(a, b) -> None:
    ev = compare_marks(a, b)
    assert ev.level == "agree"
    assert "tattoo" in ev.reason and "butterfly" in ev.reason


@pytest.mark.parametrize(
    ("word", "concept"),
    [
        ("tatuada", "tattoo"),
        ("tatuado", "tattoo"),
        ("tatuajes", "tattoo"),
        ("tatuagem", "tattoo"),
        ("tattoos", "tattoo"),
        ("cicatrices", "scar"),
        ("quemadura", "burn"),
        ("queimadura", "burn"),
        ("borboletas", "butterfly"),
        ("butterflies", "butterfly"),
        ("lunares", "mole"),
        ("estrellas", "star"),
        ("hombros", "shoulder"),
        ("brazos", "arm"),
        ("esquerda", "left"),
        ("derecha", "right"),
        ("casa", None),
    ],
)
def test_word_concepts(word, concept) -> None:
    assert word_concept(word) == concept


def test_extract_marks_accented_and_phrases() -> None:
    m = extract_marks("Cicatriz en la muñeca izquierda y mancha de nacimiento en el cuello; corazón en la mão")
    assert m.types == {"scar", "birthmark"}
    assert m.parts == {"wrist", "neck", "hand"}
    assert m.motifs == {"heart"} and m.sides == {"left"}


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("cicatriz en la ceja", "scar over the eyebrow", "agree"),
        ("tatuaje de estrella", "star tattoo on wrist", "agree"),
        ("tatuaje con el nombre Ana en el brazo", "tatuagem de nome no braço", "agree"),
        ("lunar grande en la mejilla", "mole on her cheek", "agree"),
        ("le falta un diente, usa lentes", "wears glasses", "partial"),
        ("tatuaje", "tiene tatuajes", "partial"),
        ("tatuaje en el brazo derecho", "tattoo on left arm", "partial"),
        ("cicatriz en la mano", "scar on the leg", "disagree"),
        ("tatuaje en la espalda", "cicatriz en la pierna", "unknown"),  # different marks: no evidence
        ("tatuaje de rosa", "", "unknown"),
        ("sin señas", "tatuaje de rosa", "unknown"),
    ],
)
def test_compare_marks(a, b, level) -> None:
    assert compare_marks(a, b).level == level


# ---------------------------------------------------------------- place


def test_compare_place() -> None:
    assert compare_place("BO", "El Alto, La Paz", "BO", "Plaza Ceja, El Alto") == Evidence("agree", "place✓(alto)")
    assert compare_place("bo", "Cochabamba", "BO", "Santa Cruz") == Evidence("partial", "place≠(BO)")
    assert compare_place("BO", "", "BO", "Santa Cruz") == Evidence("partial", "country=BO")
    assert compare_place("BO", "Desaguadero", "PE", "Puno") == Evidence("partial", "corridor(BO→PE)")
    assert compare_place("PE", "Tacna", "CL", "Arica").reason == "corridor(PE→CL)"
    assert compare_place("DO", "", "PR", "San Juan").level == "partial"
    assert compare_place("MX", "Tapachula", "GT", "").level == "partial"
    # a different country is not evidence against: people are moved
    assert compare_place("BO", "La Paz", "MX", "Tijuana").level == "unknown"
    assert compare_place("", "La Paz", "BO", "La Paz").level == "unknown"


def test_corridor_table_is_documented_data() -> None:
    countries = {"BO", "PE", "CL", "AR", "BR", "EC", "CO", "GT", "MX", "NI", "CR", "HN", "SV", "BZ", "PR", "DO", "US"}
    assert all(len(pair) == 2 and pair <= countries and note for pair, note in CORRIDORS.items())
    assert {frozenset(p) for p in [("BO", "PE"), ("PE", "CL"), ("GT", "MX"), ("NI", "CR"), ("DO", "PR")]} <= set(
        CORRIDORS
    )
