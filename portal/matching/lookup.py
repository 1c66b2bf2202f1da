"""Name look-up for search: the keys a claim is found under, and what a typed query asks for.

The search box reads names the way the matching engine does, so that an officer or a family
finds what the engine would link. A claim is indexed under, for every word of its names (given
names, both surnames, a married surname, aliases):

- ``w:<folded word>``: the word as written, case and accents aside;
- ``p:<phonetic key>``: how it sounds (``phonetic.py``); given names also under the full names
  their nicknames stand for, as the engine keys them ("Lupe" under Guadalupe);

and under ``d:<document>`` (only police look that one up).

Each query word matches a claim's word in one of three grades: as written (3), by sound or
nickname (2), or, when no claim in the registry sounds like the word at all, by one slip of its
sound (1), found through the vocabulary of the sounds that are stored. A sound is also looked up
with e and i, o and u exchanged (``vowel_variants``): Quechua and Aymara have three vowels, and
Spanish writes their names either way ("Quispe"/"Quispi", "Condori"/"Cundori"). Without it, one
claim stored as "Cundori" made every Condori unreachable from that spelling: the word was known, so
no slip was looked for.

Query words are not tied to a name box, so "Condori Quispe Rosa" finds Rosa Quispe Condori; with
three words or more, one may find nothing (a surname the claim does not have), and the claim still
comes out, lower.

Pure: no database, no web. ``portal/cases/search.py`` stores these keys and runs the query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import product

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .names import compare_tokens, drop_particles
from .nicknames import nickname_targets
from .normalize import tokens
from .phonetic import collapse
from .records import Prepared, word_keys

EXACT, SOUND, SLIP = 3, 2, 1  # grades of a query word's match
MAX_WORDS = 6  # words of a query that are looked up; the rest are ignored
KEY_LENGTH = 64
SLIP_MIN_LENGTH = 4  # shorter sounds have too many neighbours one slip away
MAX_SLIPS = 20  # neighbouring sounds looked up for one word
MAX_VARIANTS = 16  # spellings of one sound with its vowels exchanged (the last vowels vary first)
_EXCHANGED = {"e": "ei", "i": "ie", "o": "ou", "u": "uo"}


def _cut(key: str) -> str:
    return key[:KEY_LENGTH]


def name_words(p: Prepared) -> list[str]:
    """The folded words of a record's names: given names, own and married surnames, alias words."""
    words = [*p.name.given, *p.name.surnames]
    if p.name.married:
        words.append(p.name.married)
    for alias in p.name.aliases:
        words.extend(alias.split())
    return list(dict.fromkeys(w for w in words if w))


def index_keys(p: Prepared) -> set[str]:
    """Every key a claim is found under by the search."""
    keys = {_cut(f"w:{w}") for w in name_words(p)}
    keys.update(_cut(f"p:{k}") for k in p.given_keys | p.surname_keys)
    if p.document:
        keys.add(_cut(f"d:{p.document}"))
    return keys


def sounds_of(p: Prepared) -> set[str]:
    """The phonetic keys of a record, without prefix: what the slip vocabulary holds."""
    return {k[:KEY_LENGTH] for k in p.given_keys | p.surname_keys}


@dataclass(frozen=True)
class QueryWord:
    """One word of a search and the keys that find it, by grade."""

    text: str  # folded
    exact: str  # the w: key
    # p: keys: its sound, the sounds of the full names it is a nickname of, and their vowel variants
    sounds: frozenset[str]
    slips: frozenset[str] = frozenset()  # p: keys one slip away, filled in when no sound is stored
    heard: frozenset[str] = field(default=frozenset())  # the sounds themselves, without the variants

    @property
    def keys(self) -> frozenset[str]:
        """Every key this word is looked up under."""
        return frozenset({self.exact}) | self.sounds | self.slips

    def phonetic(self) -> list[str]:
        """Its own sounds, without prefix (what the slip vocabulary is searched for)."""
        return [k[2:] for k in sorted(self.heard or self.sounds)]


def vowel_variants(sound: str) -> set[str]:
    """``sound`` and its spellings with e and i, o and u exchanged (at most MAX_VARIANTS, the last
    vowels varied first: "kispe" gives "kispi" before "kespe")."""
    found: set[str] = set()
    for letters in product(*(_EXCHANGED.get(ch, ch) for ch in sound)):
        found.add(collapse("".join(letters)))  # as stored sounds are: "rei" -> "rii" is "ri"
        if len(found) >= MAX_VARIANTS:
            break
    return found


def query_words(text: str) -> list[QueryWord]:
    """The words of a typed name, folded, particles dropped, each with its keys."""
    words = list(dict.fromkeys(drop_particles(tokens(text))))[:MAX_WORDS]
    found = []
    for word in words:
        concepts = {word} | {target.split()[0] for target in nickname_targets(word)}
        heard = {k for c in concepts for k in word_keys(c)}
        sounds = frozenset(_cut(f"p:{v}") for k in heard for v in vowel_variants(k))
        found.append(QueryWord(word, _cut(f"w:{word}"), sounds, heard=frozenset(_cut(f"p:{k}") for k in heard)))
    return found


def needed(words: int) -> int:
    """How many query words a claim must match: all of one or two, all but one of three or more."""
    return words if words <= 2 else words - 1


def slips(sounds: Iterable[str], vocabulary: list[str]) -> set[str]:
    """Stored sounds one edit away from ``sounds`` (two for long ones; two letters swapped count as one
    edit), as p: keys."""
    found: set[str] = set()
    for sound in sounds:
        if len(sound) < SLIP_MIN_LENGTH:
            continue
        cutoff = 2 if len(sound) >= 8 else 1
        near = process.extract(sound, vocabulary, scorer=OSA.distance, score_cutoff=cutoff, limit=MAX_SLIPS)
        found.update(_cut(f"p:{match}") for match, _distance, _index in near if match != sound)
    return found


@dataclass(frozen=True)
class WordMatch:
    """How one query word met the claim: ``kind`` is exact, phonetic, nickname, typo or missing."""

    word: str
    matched: str
    kind: str


def explain(words: Iterable[QueryWord], p: Prepared) -> tuple[WordMatch, ...]:
    """For each query word, the claim's word it meets best, and how (for the reason shown)."""
    rank = {"exact": 4, "phonetic": 3, "nickname": 2, "typo": 1, "": 0}
    claim_words = name_words(p)
    result = []
    for word in words:
        best, kind = "", ""
        for other in claim_words:
            _score, how = compare_tokens(word.text, other, allow_nickname=True)
            if how == "initial":
                how = ""
            if rank[how] > rank[kind]:
                best, kind = other, how
        if not kind and (word.sounds or word.slips):
            # Found through a vowel variant of its sound, which the comparison does not read as one
            # sound, or a slip of it: name the claim word whose sound it was.
            for other in claim_words:
                theirs = {f"p:{k}" for k in word_keys(other)}
                if theirs & (word.sounds | word.slips):
                    best, kind = other, "phonetic" if theirs & word.sounds else "typo"
                    break
        result.append(WordMatch(word.text, best, kind or "missing"))
    return tuple(result)
