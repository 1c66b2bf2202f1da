"""Phonetic keys tuned to Spanish, Portuguese and Quechua/Aymara spellings (synthetic names)."""

from __future__ import annotations

import pytest

from portal.matching.phonetic import phonetic_keys, sounds_alike

SAME = [
    ("Quispe", "Kispe"),
    ("Huanca", "Wanka"),
    ("Guanca", "Huanca"),
    ("Ximena", "Jimena"),
    ("Gimena", "Jimena"),
    ("Yessica", "Jessica"),
    ("Wilmer", "Vilmer"),
    ("Huamán", "Guamán"),
    ("Guamán", "Waman"),
    ("Huamán", "Waman"),
    ("Gonzalez", "Gonsales"),
    ("Vásquez", "Basques"),
    ("Yupanqui", "Llupanki"),
    ("Jhonatan", "Jonathan"),
    ("Ccori", "Qori"),
    ("Cori", "Kori"),
    ("Stephany", "Stefani"),
    ("Cecilia", "Sesilia"),
    ("Zoila", "Soila"),
    ("Mahuire", "Mawire"),
    ("Ñahui", "Nawi"),
    ("Guillermo", "Guiyermo"),
    ("Villca", "Vilca"),
    ("Condori", "Kondori"),
    ("Alexandra", "Aleksandra"),
    ("Callata", "Cayata"),
]

DIFFERENT = [
    ("Hernández", "Fernández"),
    ("Mamani", "Quispe"),
    ("Rosa", "Rocío"),
    ("Mamani", "Maman"),
    ("Gabriel", "Javier"),
    ("Luis", "Luisa"),
    ("Carlos", "Carla"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_spellings_that_sound_alike_share_a_key(a: str, b: str) -> None:
    assert sounds_alike(a, b), (sorted(phonetic_keys(a)), sorted(phonetic_keys(b)))


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_names_share_no_key(a: str, b: str) -> None:
    assert not sounds_alike(a, b), (sorted(phonetic_keys(a)), sorted(phonetic_keys(b)))


def test_hernandez_and_fernandez_keep_h_and_f_apart() -> None:
    assert phonetic_keys("Hernández") == frozenset({"ernandes"})
    assert phonetic_keys("Fernández") == frozenset({"fernandes"})


def test_ambiguous_x_emits_several_keys() -> None:
    keys = phonetic_keys("Xicará")
    assert {"jikara", "ksikara", "sikara"} <= keys


def test_initial_y_ll_j_before_a_vowel_emit_both_readings() -> None:
    assert {"yesika", "jesika"} <= phonetic_keys("Yessica")
    assert {"yupanki", "jupanki"} <= phonetic_keys("Llupanki")


def test_doubled_letters_collapse_and_case_accents_punctuation_ignored() -> None:
    assert phonetic_keys("ROSSA") == phonetic_keys("rosa")
    assert phonetic_keys("Ramírez") == phonetic_keys("ramirez") == frozenset({"ramires"})
    assert phonetic_keys("Rey") == frozenset({"rei"})


def test_empty_and_non_letters_give_no_keys() -> None:
    assert phonetic_keys("") == frozenset()
    assert phonetic_keys("123 -") == frozenset()
    assert not sounds_alike("", "")


def test_number_of_keys_is_bounded() -> None:
    assert 0 < len(phonetic_keys("Xixaxuxoxe")) <= 16
