"""The search's name keys (portal/matching/lookup.py): what a claim is found under, what a query asks."""

from __future__ import annotations

import pytest

from portal.matching.lookup import (
    MAX_VARIANTS,
    explain,
    index_keys,
    needed,
    query_words,
    slips,
    sounds_of,
    vowel_variants,
)
from portal.matching.records import PersonRecord, prepare


def _claim(given: str, first: str, second: str = "", aliases: tuple[str, ...] = (), document: str = ""):  # type: ignore[no-untyped-def]
    return prepare(
        PersonRecord(
            id="claim:1",
            given_names=given,
            first_surname=first,
            second_surname=second,
            aliases=aliases,
            document_id=document,
        )
    )


def _found(query: str, claim) -> int:  # type: ignore[no-untyped-def]
    """How many query words the claim's keys answer (what the SQL counts)."""
    keys = index_keys(claim)
    return sum(1 for word in query_words(query) if word.keys & keys)


def test_a_claim_is_stored_under_its_words_their_sounds_nicknames_and_document():
    keys = index_keys(_claim("María José", "Quispe", "Vda. de Mamani", aliases=("Majo",), document="12.345.678-k"))
    assert {"w:maria", "w:jose", "w:quispe", "w:mamani", "w:majo"} <= keys
    assert {"p:kispe", "p:maria"} <= keys
    assert "d:12345678K" in keys
    assert all(len(k) <= 64 for k in keys)


@pytest.mark.parametrize(
    ("query", "given", "first", "second"),
    [
        ("Kispe", "Edwin", "Quispe", ""),
        ("Lupe Quispe", "Guadalupe", "Quispe", ""),
        ("Condori Quispe Rosa", "Rosa", "Quispe", "Condori"),
        ("Mari Jose Mamani", "María José", "Mamani", ""),
        ("Chepe Huanca", "José", "Huanca", ""),
        ("de la Cruz", "Ana", "de la Cruz", ""),
    ],
)
def test_every_word_of_the_issues_searches_finds_the_claim(query, given, first, second):
    assert _found(query, _claim(given, first, second)) == len(query_words(query))


def test_particles_are_dropped_and_words_capped():
    assert [w.text for w in query_words("María de los Ángeles")] == ["maria", "angeles"]
    assert len(query_words("a b c d e f g h")) == 6
    assert query_words("  ,;  ") == []


def test_a_nickname_is_looked_up_under_the_names_it_stands_for():
    (lupe,) = query_words("Lupe")
    assert "p:wadalupe" in lupe.sounds and lupe.exact == "w:lupe"


def test_all_words_of_two_and_all_but_one_of_three_or_more():
    assert [needed(n) for n in (1, 2, 3, 4)] == [1, 2, 2, 3]


def test_slips_find_stored_sounds_one_edit_away_and_swapped_letters():
    vocabulary = ["kispe", "mamani", "kondori", "rosa"]
    assert slips(["ksipe"], vocabulary) == {"p:kispe"}  # two letters swapped
    assert slips(["mamnai"], vocabulary) == {"p:mamani"}
    assert slips(["mamuxi"], vocabulary) == set()  # two edits on a short sound: too far
    assert slips(["mamanni"], vocabulary) == {"p:mamani"}
    assert slips(["ros"], vocabulary) == set()  # too short to correct safely


def test_explain_names_the_word_met_and_how():
    claim = _claim("Guadalupe", "Quispe", "Condori")
    words = query_words("Lupe Kispe Condori Apaza")
    kinds = [(m.word, m.matched, m.kind) for m in explain(words, claim)]
    assert kinds == [
        ("lupe", "guadalupe", "nickname"),
        ("kispe", "quispe", "phonetic"),
        ("condori", "condori", "exact"),
        ("apaza", "", "missing"),
    ]


def test_sounds_of_a_claim_are_its_phonetic_keys():
    claim = _claim("Rosa", "Quispe")
    assert {"rosa", "kispe"} <= sounds_of(claim)


def test_vowels_exchanged_as_quechua_and_aymara_names_are_written():
    (cundori,) = query_words("Cundori")
    assert {"p:kundori", "p:kondori"} <= cundori.sounds
    assert cundori.phonetic() == ["kundori"]  # slips are still looked for from the word's own sound
    assert _found("Cundori", _claim("Rosa", "Condori")) == 1
    assert _found("Quispi", _claim("Edwin", "Quispe")) == 1
    assert _found("Quispi", _claim("Edwin", "Quispa")) == 0  # a, the third vowel, is never exchanged
    assert vowel_variants("kispe") == {"kispe", "kispi", "kespe", "kespi"}
    assert vowel_variants("rei") == {"rei", "rie", "ri", "re"}  # "rii" and "ree" collapse, as stored sounds do
    assert len(vowel_variants("oeioeio")) == MAX_VARIANTS
    (word,) = query_words("Cundori")
    # The comparison reads "cundori"/"condori" as a slip of the pen: the reason shown says so.
    assert [(m.matched, m.kind) for m in explain([word], _claim("Rosa", "Condori"))] == [("condori", "typo")]
