"""Blocking: the keys that bring possible matches together, so that few pairs are ever compared.

A record is stored under keys built from phonetic keys of its given names (with the full names its
nicknames stand for), of its surnames, its birth years and its document number:

- ``d:<document>``                    same identity document;
- ``gs:<given key>|<surname key>``    a given name and a surname that sound alike;
- ``gss:<given key>|<surname key>|<surname key>`` a given name and both surnames, in either order;
- ``ss:<surname key>|<surname key>|<sex>`` both surnames (the given name misspelt or replaced);
- ``dd:<document less one character>`` one digit wrong, missing or extra in the document;
- ``gsy:<given key>|<surname key>|<birth year>`` the common names ("María Mamani") by year;
- ``bd:<birth date>|<sex>``           the same full birth date (both names misspelt);
- ``gy:<given key>|<birth year>``     a given name and a birth year: looked up for sightings that heard
                                      only a first name (too broad to pair claims when deduplicating);
- ``g:<given key>``                   a given name alone: looked up only for a record without any age;
- ``gd:<given key less one letter>|<birth year>`` a first name misheard or mistyped anywhere in it
                                      ("Zregio/Sergio": deleting one letter from each meets);
- ``g3:<first 3 letters>|<birth year>`` the same for a first name heard with a typo ("Yesenia/Yessenia");
- ``sy:<surname key>|<birth year>``   a surname and a birth year: looked up for sightings that heard only a
                                      surname ("the Mamani girl, about 15");
- ``cy:<country>|<birth year>`` and ``mk:<mark>``: query-only keys for sightings without any name,
  which are looked up in the countries of the sighting and its corridors and ranked by their marks.

The same strings are stored in the database (``match_key``) so that every web worker shares them;
``CandidateIndex`` is their in-memory form for ``portal link`` and the benchmarks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from .evidence import AGE_PARTIAL_GAP, CORRIDORS
from .marks import MarkConcepts
from .records import SIGHTING, Prepared
from .scoring import TermFrequencies

MAX_YEARS = 8  # birth years keyed for one record (an age range of 14-18 spans 6)
# Keys that never form pairs when deduplicating (too broad), and that deduplication does not make.
QUERY_ONLY = ("cy:", "mk:", "gy:", "g3:", "sy:", "g:", "gd:")
BLOCK_CAP = 50  # larger blocks ("María Quispe") pair only neighbours in birth-date order when deduplicating
WINDOW = 6  # neighbours paired on each side in a large block
NEIGHBOUR_DAYS = 800  # ...when born within about two years of each other (or both unknown)
# Two claims whose written birth years disagree are still compared when they share one of these keys:
# a given name with both surnames, or a document one character apart; their agreement can outweigh the
# years (a year mistyped), and the scorer, after the prefilter's bound, decides. Measured at 20,000
# claims (bench/README.md): the other generator's dedupe F1 0.897 -> 0.900, ours unchanged (0.983),
# FEBRL4 0.9972 -> 0.9978, for 20,000 more pairs compared. A given name with one surname ("gs:") too
# would compare 2.5 times as many pairs for no further gain.
AGES_OVERRULED = ("gss:", "dd:")
QUERY_LIMIT = 400  # candidates fully scored for one query record, the best by shared keys first
MAX_QUERY_YEARS = 16  # birth years a sighting is looked up under (its range widened by the age filter's slack)


def key_years(p: Prepared) -> list[int]:
    """The birth years a record is keyed under: its interval, narrowed to MAX_YEARS around the middle."""
    if not p.birth_years:
        return []
    lo, hi = p.birth_years
    if hi - lo + 1 > MAX_YEARS:
        middle = (lo + hi) // 2
        lo, hi = middle - MAX_YEARS // 2, middle + MAX_YEARS // 2 - 1
    return list(range(lo, hi + 1))


def query_years(p: Prepared) -> list[int]:
    """The birth years a sighting is looked up under: its interval widened by AGE_PARTIAL_GAP on each
    side (a witness's estimate is often years off, and the filter still lets such pairs through),
    narrowed to MAX_QUERY_YEARS around the middle. Claims are looked up under their own years."""
    if not p.birth_years or p.record.kind != SIGHTING:
        return key_years(p)
    lo, hi = p.birth_years[0] - AGE_PARTIAL_GAP, p.birth_years[1] + AGE_PARTIAL_GAP
    if hi - lo + 1 > MAX_QUERY_YEARS:
        middle = (lo + hi) // 2
        lo, hi = middle - MAX_QUERY_YEARS // 2, middle + MAX_QUERY_YEARS // 2 - 1
    return list(range(lo, hi + 1))


def corridor_countries(country: str) -> set[str]:
    """The country and those it shares a known cross-border corridor with."""
    country = (country or "").upper()
    if not country:
        return set()
    return {country} | {c for pair in CORRIDORS if country in pair for c in pair}


def mark_keys(marks: MarkConcepts) -> set[str]:
    """Keys of the marks a description names (``Prepared.marks``, extracted once by ``prepare``): each
    type with each motif or body part, else the type alone."""
    if not marks.types:
        return set()
    return {f"mk:{t}|{m}" for t in marks.types for m in (marks.motifs | marks.parts)} or {
        f"mk:{t}" for t in marks.types
    }


def blocking_keys(p: Prepared, years: Sequence[int] | None = None, query_only: bool = True) -> set[str]:
    """Every key record ``p`` is stored under (with ``years``: the keys it is looked up under;
    without ``query_only``: only the keys that pair records when deduplicating)."""
    keys: set[str] = set()
    if len(p.document) >= 5:
        keys.add(f"d:{p.document}")
    if len(p.document) >= 6:
        # One digit wrong, missing or extra: deleting it from both leaves the same string.
        keys.update(f"dd:{p.document[:i]}{p.document[i + 1 :]}" for i in range(len(p.document)))
    surnames = sorted(p.surname_keys)
    surname_pairs = [(x, y) for i, x in enumerate(surnames) for y in surnames[i + 1 :]]
    years = key_years(p) if years is None else years
    for g in p.given_keys:
        # Unordered, so that names typed in each other's boxes still meet.
        keys.update(f"gs:{min(g, s)}|{max(g, s)}" for s in surnames)
        keys.update(f"gss:{g}|{x}|{y}" for x, y in surname_pairs)
        keys.update(f"gsy:{min(g, s)}|{max(g, s)}|{y}" for s in surnames for y in years)
        if query_only:
            keys.update(f"gy:{g}|{y}" for y in years)
            keys.add(f"g:{g}")
            if len(g) >= 5:  # one letter wrong, missing, extra or swapped: deletions meet (as dd: does)
                keys.update(f"gd:{g[:k]}{g[k + 1 :]}|{y}" for k in range(len(g)) for y in years)
    keys.update(f"ss:{x}|{y}|{p.sex}" for x, y in surname_pairs)
    record = p.record
    if record.birth_date is not None and record.birth_precision == "day":
        keys.add(f"bd:{record.birth_date.isoformat()}|{p.sex}")
        # Day and month of birth with one name: the other name misspelt and the year off by one.
        day = record.birth_date.strftime("%m-%d")
        keys.update(f"gmd:{g}|{day}" for g in p.given_keys)
        keys.update(f"smd:{s}|{day}" for s in surnames)
    if query_only:  # the QUERY_ONLY keys
        keys.update(f"sy:{s}|{y}" for s in surnames for y in years)
        first_given = p.name.given[0] if p.name.given else (p.name.aliases[0].split()[0] if p.name.aliases else "")
        if len(first_given) >= 3:
            keys.update(f"g3:{first_given[:3]}|{y}" for y in years)
        if record.country:
            keys.update(f"cy:{record.country.upper()}|{y}" for y in years)
        keys.update(mark_keys(p.marks))
    return keys


def query_keys(p: Prepared, widen: bool = True) -> set[str]:
    """The keys under which candidates for ``p`` are looked up (``widen=False``: under the birth
    years the record states, not those ``query_years`` adds; these candidates are taken first)."""
    years = query_years(p) if widen else key_years(p)
    # A surname alone is looked up only when it is all the record gives (too broad beside a given name).
    skip: tuple[str, ...] = ("cy:", "mk:", "sy:") if p.given_keys else ("cy:", "mk:")
    if p.birth_years:
        skip += ("g:",)  # a given name without a year only when the record gives no age
    keys = {k for k in blocking_keys(p, years) if not k.startswith(skip)}
    if not p.given_keys and not p.surname_keys:
        # Nothing to go by but who and where: same sex/age in the countries of the sighting's corridors.
        for country in corridor_countries(p.record.country):
            keys.update(f"cy:{country}|{y}" for y in years)
        keys.update(mark_keys(p.marks))
    return keys


# ---------------------------------------------------------------- vectorised pre-filter

_SEX_CODES = {"F": 1, "M": 2}
UNKNOWN_YEAR = -1
UNKNOWN_DAY = -(2**31)


class Columns:
    """The fields the pre-filter reads, as numpy arrays aligned with a list of prepared records."""

    def __init__(self, records: Sequence[Prepared]) -> None:
        n = len(records)
        self.sex = np.zeros(n, dtype=np.int8)
        self.lo = np.full(n, UNKNOWN_YEAR, dtype=np.int16)
        self.hi = np.full(n, UNKNOWN_YEAR, dtype=np.int16)
        self.day = np.full(n, UNKNOWN_DAY, dtype=np.int32)
        self.height = np.zeros(n, dtype=np.int16)
        self.country = np.zeros(n, dtype=np.int16)
        self.country_codes: dict[str, int] = {}
        for i, p in enumerate(records):
            if p.record.height_cm:
                self.height[i] = p.record.height_cm
            if p.country:
                self.country[i] = self.country_codes.setdefault(p.country, len(self.country_codes) + 1)
            self.sex[i] = _SEX_CODES.get(p.sex, 0)
            if p.birth_years:
                self.lo[i], self.hi[i] = p.birth_years
            if p.record.event_date:
                self.day[i] = p.record.event_date.toordinal()


BIRTH_YEAR_TYPO = 1  # two written birth years further apart than this are not one person's (pair by document)
# A witness's estimate may be further off than a relative's (teenage girls look, or are made to look,
# older): a sighting and a claim stay possible up to this gap, though only names without a birth year
# (given name with surnames, both surnames, a document) bring such a pair together.
WITNESS_AGE_GAP = 5


def plausible(
    left: Columns, i: np.ndarray, right: Columns, j: np.ndarray, claim_then_sighting: bool, *, ages: bool = True
) -> np.ndarray:
    """Mask of pairs that sex, age and time order leave possible (unknown values never exclude);
    without ``ages``, sex and time order only.

    Two birth years both written down may differ by a typo of one year; estimated ages by up to
    AGE_PARTIAL_GAP years, and a witness's by up to WITNESS_AGE_GAP. Pairs of claims beyond that
    mostly score below the review threshold (the age disagreement weighs -6 bits); the callers let
    through those that share a document, or a name or a near document (AGES_OVERRULED), which can
    outweigh it; a sighting's full name can too.
    """
    si, sj = left.sex[i], right.sex[j]
    ok: np.ndarray = (si == 0) | (sj == 0) | (si == sj)
    if not ages:
        return _time_order(ok, left, i, right, j, claim_then_sighting)
    li, hi_, lj, hj = left.lo[i], left.hi[i], right.lo[j], right.hi[j]
    known = (li != UNKNOWN_YEAR) & (lj != UNKNOWN_YEAR)
    gap = np.maximum(li, lj).astype(np.int32) - np.minimum(hi_, hj).astype(np.int32)
    written = (li == hi_) & (lj == hj)
    estimated = WITNESS_AGE_GAP if claim_then_sighting else AGE_PARTIAL_GAP
    ok &= ~known | (gap <= np.where(written, BIRTH_YEAR_TYPO, estimated))
    return _time_order(ok, left, i, right, j, claim_then_sighting)


def _time_order(
    ok: np.ndarray, left: Columns, i: np.ndarray, right: Columns, j: np.ndarray, claim_then_sighting: bool
) -> np.ndarray:
    """``ok`` without the pairs whose sighting predates the disappearance."""
    if claim_then_sighting:
        di, dj = left.day[i], right.day[j]
        ok &= (di == UNKNOWN_DAY) | (dj == UNKNOWN_DAY) | (di <= dj)
    return ok


class Postings:
    """Each key's record positions, ascending, kept in one array (``members``, cut by ``offsets``):
    a numpy array per key cost more than the rest of the index (470,000 keys for 20,000 claims,
    most of them held by one record)."""

    def __init__(self, keys: Iterable[Iterable[str]]) -> None:
        self.ids: dict[str, int] = {}
        flat: list[int] = []
        counts: list[int] = []
        for record_keys in keys:
            before = len(flat)
            flat.extend(self.ids.setdefault(key, len(self.ids)) for key in record_keys)
            counts.append(len(flat) - before)
        key_ids = np.asarray(flat, dtype=np.int64)
        positions = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
        self.members = positions[np.argsort(key_ids, kind="stable")]  # stable: positions stay ascending
        self.offsets = np.zeros(len(self.ids) + 1, dtype=np.int64)
        np.cumsum(np.bincount(key_ids, minlength=len(self.ids)), out=self.offsets[1:])
        self.names = list(self.ids)  # by id

    def __len__(self) -> int:
        return len(self.ids)

    def get(self, key: str) -> np.ndarray | None:
        """The positions of the records stored under ``key``, or None."""
        k = self.ids.get(key)
        return None if k is None else self.members[self.offsets[k] : self.offsets[k + 1]]

    def shared(self) -> Iterator[tuple[str, np.ndarray]]:
        """(key, positions) of every key that two or more records share, in the order keys were met."""
        sizes = np.diff(self.offsets)
        for k in np.flatnonzero(sizes >= 2).tolist():
            yield self.names[k], self.members[self.offsets[k] : self.offsets[k + 1]]


class CandidateIndex:
    """Postings (key -> record positions) and pre-filter columns over one set of prepared records."""

    def __init__(self, records: Sequence[Prepared], keys: Sequence[Iterable[str]] | None = None) -> None:
        """``keys[i]`` may be given when the records' blocking keys were computed elsewhere (in workers)."""
        self.records = records
        self._frequencies: TermFrequencies | None = None
        self.columns = Columns(records)
        self.country_codes = self.columns.country_codes
        self.postings = Postings(keys if keys is not None else (blocking_keys(p) for p in records))
        # Birth order for sorted neighbourhoods: the birth date's day number, or the middle of the
        # interval of possible birth years; unknown sorts last.
        self.birth_order = np.array([_birth_order(p) for p in records], dtype=np.int64)

    @property
    def frequencies(self) -> TermFrequencies:
        """Name frequencies over the indexed records (computed once)."""
        if self._frequencies is None:
            self._frequencies = TermFrequencies.from_prepared(self.records)
        return self._frequencies

    def candidates(self, q: Prepared, limit: int = QUERY_LIMIT) -> np.ndarray:
        """Positions of the records worth scoring against ``q``, most shared keys first."""
        keys = query_keys(q)
        lists = [hit for k in keys if (hit := self.postings.get(k)) is not None]
        if not lists:
            return np.empty(0, dtype=np.int32)
        found: np.ndarray
        shared: np.ndarray
        found, shared = np.unique(np.concatenate(lists), return_counts=True)
        document = self.postings.get(f"d:{q.document}") if len(q.document) >= 5 else None
        one = Columns([q])
        zero = np.zeros(len(found), dtype=np.int32)
        claim_then_sighting = q.record.kind == SIGHTING
        mask = plausible(self.columns, found, one, zero, claim_then_sighting)
        if document is not None:
            mask |= np.isin(found, document)
        overruling = [] if claim_then_sighting else [self.postings.get(k) for k in keys if k.startswith(AGES_OVERRULED)]
        if any(hit is not None for hit in overruling):
            named = np.isin(found, np.concatenate([hit for hit in overruling if hit is not None]))
            mask |= named & plausible(self.columns, found, one, zero, claim_then_sighting, ages=False)
        found, shared = found[mask], shared[mask]
        if len(found) > limit:
            # Most shared keys first (same name, more overlapping birth years); among equals, those
            # seen in the same or a corridor country and of a compatible height.
            rank = shared.astype(np.int32) * 4
            core = query_keys(q, widen=False) if query_years(q) != key_years(q) else keys
            if core != keys:
                # Those found under the years the record states come first; the widened years fill the rest.
                core_lists = [hit for k in core if (hit := self.postings.get(k)) is not None]
                if core_lists:
                    rank += np.isin(found, np.concatenate(core_lists)).astype(np.int32) * 1000
            nearby = [self.country_codes[c] for c in corridor_countries(q.country) if c in self.country_codes]
            if nearby:
                rank += np.isin(self.columns.country[found], nearby).astype(np.int32) * 2
            if q.record.height_cm:
                height = self.columns.height[found]
                rank += ((height > 0) & (np.abs(height - q.record.height_cm) <= 10)).astype(np.int32)
            order = np.argsort(-rank, kind="stable")[:limit]
            found = found[order]
        return found

    def pairs(self) -> np.ndarray:
        """Distinct candidate pairs (i < j) within the records, as an (n, 2) array, pre-filtered.

        Blocks up to BLOCK_CAP give all their pairs; larger ones (very common names) give each record
        its WINDOW nearest neighbours by birth date (sorted neighbourhood), which is where a duplicate
        of a "María Mamani" is, among all the other María Mamanis.
        """
        n = len(self.records)
        by_size: dict[int, list[np.ndarray]] = {}
        overruling: dict[int, list[np.ndarray]] = {}  # the blocks of the AGES_OVERRULED keys, by size too
        chunks: list[np.ndarray] = []
        for key, members in self.postings.shared():
            size = len(members)
            if key.startswith(QUERY_ONLY):
                continue
            if size <= BLOCK_CAP:
                by_size.setdefault(size, []).append(members)
                if key.startswith(AGES_OVERRULED):
                    overruling.setdefault(size, []).append(members)
            else:
                ordered = members[np.argsort(self.birth_order[members], kind="stable")]
                days = self.birth_order[ordered]
                for d in range(1, WINDOW + 1):
                    near = days[d:] - days[:-d] <= NEIGHBOUR_DAYS
                    x, y = ordered[:-d][near].astype(np.int64), ordered[d:][near].astype(np.int64)
                    chunks.append(np.minimum(x, y) * n + np.maximum(x, y))
        chunks.extend(_all_pairs(by_size, n))
        if not chunks:
            return np.empty((0, 2), dtype=np.int64)
        codes = np.unique(np.concatenate(chunks))
        i, j = codes // n, codes % n
        mask = plausible(self.columns, i, self.columns, j, claim_then_sighting=False)
        keep = mask | _same_document(self.records, i, j)
        if overruling:
            named = np.isin(codes, np.concatenate(_all_pairs(overruling, n)))
            keep |= named & plausible(self.columns, i, self.columns, j, claim_then_sighting=False, ages=False)
        return np.stack([i[keep], j[keep]], axis=1)


def _all_pairs(by_size: dict[int, list[np.ndarray]], n: int) -> list[np.ndarray]:
    """Every pair within each block (members ascending), as codes ``i * n + j``, one array per size."""
    out = []
    for size, blocks in by_size.items():
        stacked = np.stack(blocks).astype(np.int64)  # (blocks, size)
        a, b = np.triu_indices(size, 1)
        out.append((stacked[:, a] * n + stacked[:, b]).ravel())
    return out


def _birth_order(p: Prepared) -> int:
    if p.record.birth_date is not None:
        return p.record.birth_date.toordinal()
    if p.birth_years:
        return int((p.birth_years[0] + p.birth_years[1]) / 2 * 365.25 + 183)
    return 2**40


def _same_document(records: Sequence[Prepared], i: np.ndarray, j: np.ndarray) -> np.ndarray:
    docs = np.array([hash(p.document) if len(p.document) >= 5 else 0 for p in records], dtype=np.int64)
    same: np.ndarray = (docs[i] != 0) & (docs[i] == docs[j])
    return same
