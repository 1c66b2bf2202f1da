"""The engine's view of a person record (a claim or a sighting), and its prepared comparison features.

A ``PersonRecord`` carries the columns of the person-record format (spec/person-records.md) as typed
values; the portal builds one from a Claim or a Sighting row, ``portal link`` from a CSV row.
``prepare`` folds and parses it once, so that comparing it with many others does no text work twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from .evidence import birth_years_from_age, normalise_document, normalise_sex, place_words
from .marks import MarkConcepts, extract_marks
from .names import ParsedName, parse_name
from .nicknames import nickname_targets
from .phonetic import phonetic_keys

CLAIM, SIGHTING = "claim", "sighting"
DAY, MONTH, YEAR = "day", "month", "year"


@dataclass(frozen=True)
class PersonRecord:
    """One claim or sighting; every field but ``id`` may be unknown (empty or None)."""

    id: str
    kind: str = CLAIM
    given_names: str = ""
    first_surname: str = ""
    second_surname: str = ""
    aliases: tuple[str, ...] = ()
    sex: str = ""  # "F", "M" or "" (unknown)
    birth_date: date | None = None
    birth_precision: str = DAY  # how much of birth_date is known: day, month or year
    age_min: int | None = None
    age_max: int | None = None
    document_id: str = ""
    nationality: str = ""  # kept for display; never used as evidence or in a reason
    country: str = ""
    place: str = ""
    event_date: date | None = None  # last seen (claim) or seen (sighting)
    height_cm: int | None = None
    description: str = ""
    photo_hashes: tuple[int, ...] = ()  # 64-bit perceptual hashes (photos.processing.perceptual_hash)


@dataclass(frozen=True)
class Prepared:
    """A record with its folded, parsed features: what the scorer and the blocker read."""

    record: PersonRecord
    name: ParsedName
    sex: str
    birth_years: tuple[int, int] | None  # interval of possible birth years, from a birth date or an age range
    document: str
    given_concepts: frozenset[str] = field(default=frozenset())  # given tokens and their nickname targets
    given_keys: frozenset[str] = field(default=frozenset())  # phonetic keys of those concepts
    surname_keys: frozenset[str] = field(default=frozenset())
    country: str = ""
    place_words: frozenset[str] = field(default=frozenset())
    marks: MarkConcepts = field(default=MarkConcepts())

    @property
    def id(self) -> str:
        """The record's id."""
        return self.record.id

    @property
    def has_name(self) -> bool:
        """Whether any given name, surname or alias is known."""
        return bool(self.name.given or self.name.surnames or self.name.aliases)


MAX_KEYS_PER_WORD = 4  # phonetic keys taken per word for blocking (ambiguous words have several)


def word_keys(word: str) -> list[str]:
    """The phonetic keys a word is keyed under (the first MAX_KEYS_PER_WORD, in a stable order)."""
    return sorted(phonetic_keys(word))[:MAX_KEYS_PER_WORD]


def _keys(words: Iterable[str]) -> frozenset[str]:
    keys: set[str] = set()
    for word in words:
        keys.update(word_keys(word))
    return frozenset(keys)


def birth_interval(record: PersonRecord) -> tuple[int, int] | None:
    """The years the person may have been born in, or None when nothing is known."""
    if record.birth_date is not None:
        return record.birth_date.year, record.birth_date.year
    lo = record.age_min if record.age_min is not None else record.age_max
    hi = record.age_max if record.age_max is not None else record.age_min
    if record.event_date is None or lo is None or hi is None:
        return None
    return birth_years_from_age(lo, hi, record.event_date)


# Cached per distinct given names and per distinct surnames: they repeat across a registry's records
# where full names do not (a third of `portal link`'s preparing time at 20,000 claims).
@lru_cache(maxsize=1 << 17)
def _given_features(
    given: tuple[str, ...], compound: str, aliases: tuple[str, ...]
) -> tuple[frozenset[str], frozenset[str]]:
    """The given-name concepts (the first two given words of each reading and the full names their
    nicknames stand for) and their phonetic keys."""
    given_words = list(given[:2])
    for alias in aliases:
        given_words.extend(alias.split()[:2])
    concepts: set[str] = set(given_words)
    for word in given_words:
        for target in nickname_targets(word):
            concepts.update(target.split()[:1])
    for whole in [compound, *aliases]:
        for target in nickname_targets(whole) if whole else ():
            concepts.update(target.split()[:1])
    return frozenset(concepts), _keys(concepts)


@lru_cache(maxsize=1 << 17)
def _surname_keys(surnames: tuple[str, ...], married: str | None) -> frozenset[str]:
    return _keys([*surnames, married] if married else surnames)


def prepare(record: PersonRecord, *, marks: bool = True) -> Prepared:
    """Fold, parse and key a record once, before it is compared with others.

    ``marks=False`` leaves the description unread (no marks): enough to make the keys that pair claims,
    none of which reads a mark, and not to compare the record."""
    name = parse_name(record.given_names, record.first_surname, record.second_surname, record.aliases)
    given_concepts, given_keys = _given_features(name.given, name.given_compound, name.aliases)
    return Prepared(
        record=record,
        name=name,
        sex=normalise_sex(record.sex),
        birth_years=birth_interval(record),
        document=normalise_document(record.document_id),
        given_concepts=given_concepts,
        given_keys=given_keys,
        surname_keys=_surname_keys(name.surnames, name.married),
        country=(record.country or "").strip().upper(),
        place_words=place_words(record.place),
        marks=extract_marks(record.description) if record.description and marks else MarkConcepts(),
    )
