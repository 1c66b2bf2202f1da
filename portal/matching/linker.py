"""Batch linking over lists of records: duplicates within one set, or candidates of one set in another.

Used by ``portal link`` and the benchmarks; the portal matches one record at a time against the
database with the same keys and the same scorer (``portal.review``).

A run keeps two cores busy where the system can fork (docs/decisions.md, 52): the keying side (keys,
index, pairs or look-ups) in a forked process beside the scoring side's preparation (``_beside``),
then the pairs scored in forked workers (``_score_pairs``, ``_score_best``). Workers inherit the
records at the fork; only numpy arrays and scored pairs travel between processes.
"""

from __future__ import annotations

import contextlib
import heapq
import multiprocessing as mp
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import pairwise
from typing import TypeVar, cast

import numpy as np

from .blocking import CandidateIndex, blocking_keys, query_keys
from .prefilter import SLACK_BITS, BoundColumns, tightened, upper_bound, worth_scoring
from .records import CLAIM, PersonRecord, Prepared, prepare
from .scoring import REVIEW, SIGHTING_TOP, MatchResult, TermFrequencies, compare, probability, review_threshold

Progress = Callable[[int, int], None]  # (records done, records in all)
W = TypeVar("W")
M = TypeVar("M")


@dataclass(frozen=True)
class Candidate:
    """A scored pair: a record of LEFT (or the earlier of two), a record of RIGHT, and the result."""

    left: Prepared
    right: Prepared
    result: MatchResult


@dataclass
class LinkStats:
    """How many records were read, pairs compared and candidates kept."""

    records: int = 0
    pairs_compared: int = 0
    candidates: int = 0


def link(
    left: Sequence[Prepared],
    right: Sequence[Prepared],
    *,
    top: int = SIGHTING_TOP,
    min_score: float | None = None,
    progress: Progress | None = None,
    stats: LinkStats | None = None,
    index: CandidateIndex | None = None,
    frequencies: TermFrequencies | None = None,
) -> list[Candidate]:
    """For each record of ``right``, its best ``top`` candidates in ``left`` scoring at least ``min_score``
    (by default the engine's review threshold for the pair: ``scoring.review_threshold``).

    ``index`` and ``frequencies`` may be built once and reused for many calls (one sighting at a time).
    """
    stats = stats if stats is not None else LinkStats()
    stats.records = len(left) + len(right)
    floors = [review_threshold(CLAIM, q.record.kind) if min_score is None else min_score for q in right]
    everyone = [*left, *right]
    columns: BoundColumns | None = None
    if index is None and len(left) >= BESIDE_MIN_RECORDS and _can_fork():
        # The claims are indexed and the queries looked up on the second core, while this one counts the
        # names and builds the prefilter's columns of every record.
        def counted() -> tuple[TermFrequencies, BoundColumns]:
            tf = frequencies or TermFrequencies.from_prepared(everyone)
            return tf, BoundColumns(everyone, tf)

        (positions, sizes), (tf, columns) = _beside(lambda: _looked_up(_index_for(left, right), right), counted)
    else:
        tf = frequencies or TermFrequencies.from_prepared(everyone)
        positions, sizes = _looked_up(index or _index_for(left, right), right)
    # Every (claim, query) pair worth scoring, as positions in left + right, scored like deduplication's
    # pairs (on every core when there are many).
    pairs = np.empty((int(sizes.sum()), 2), dtype=np.int64)
    if len(pairs):
        pairs[:, 0] = positions
        pairs[:, 1] = np.repeat(np.arange(len(right), dtype=np.int64) + len(left), sizes)
    stats.pairs_compared = len(pairs)
    if len(pairs) >= PREFILTER_MIN_PAIRS:
        kept = _score_best(everyone, pairs, sizes, tf, floors, top, progress, len(left), columns)
    else:
        kept = _score_pairs(everyone, pairs, tf, min(floors, default=0.0), progress, None, population=len(left))
    scored: list[list[tuple[float, int, MatchResult]]] = [[] for _ in right]
    for i, j, result in kept:
        q = j - len(left)
        if result.score >= floors[q]:
            scored[q].append((result.score, i, result))
    out: list[Candidate] = []
    for q, candidates in enumerate(scored):
        for _score, position, result in heapq.nlargest(top, candidates, key=lambda s: (s[0], -s[1])):
            out.append(Candidate(left[position], right[q], result))
    stats.candidates = len(out)
    return out


def dedupe(
    records: Sequence[Prepared],
    *,
    top: int = 10,
    min_score: float | None = None,
    progress: Progress | None = None,
    stats: LinkStats | None = None,
    workers: int | None = None,
    keys: Sequence[Iterable[str]] | None = None,
) -> list[Candidate]:
    """Duplicate candidates within ``records``: each unordered pair once, ``left`` earlier in the list.

    A pair is kept when it is among the ``top`` best of either of its records.
    """
    tf = TermFrequencies.from_prepared(records)
    columns: BoundColumns | None
    if len(records) >= BESIDE_MIN_RECORDS and workers != 1 and _can_fork():
        # The pairs are found on the second core while this one builds the prefilter's columns.
        pairs, columns = _beside(lambda: _candidate_pairs(records, keys), lambda: BoundColumns(records, tf))
    else:
        pairs = _candidate_pairs(records, keys)
        columns = BoundColumns(records, tf) if len(pairs) >= PREFILTER_MIN_PAIRS else None
    return _best_pairs(records, pairs, tf, columns, top, min_score, progress, stats, workers)


def prepare_and_dedupe(
    people: Sequence[PersonRecord],
    *,
    top: int = 10,
    min_score: float | None = None,
    progress: Progress | None = None,
    stats: LinkStats | None = None,
) -> list[Candidate]:
    """``dedupe`` of records not yet prepared.

    From BESIDE_MIN_RECORDS records up, a forked process prepares them for keying (their descriptions
    unread: no key that pairs claims reads a mark), keys and pairs them, while this one prepares them
    for scoring and builds the prefilter's columns: preparing is done twice, on two cores at once,
    rather than once before everything else (at 20,000 claims, 0.5 s of a 3 s run).
    """
    if len(people) < BESIDE_MIN_RECORDS or not _can_fork():
        records = [prepare(person) for person in people]
        return dedupe(records, top=top, min_score=min_score, progress=progress, stats=stats)

    def for_scoring() -> tuple[list[Prepared], TermFrequencies, BoundColumns]:
        records = [prepare(person) for person in people]
        tf = TermFrequencies.from_prepared(records)
        return records, tf, BoundColumns(records, tf)

    pairs, (records, tf, columns) = _beside(
        lambda: _candidate_pairs([prepare(person, marks=False) for person in people], None), for_scoring
    )
    return _best_pairs(records, pairs, tf, columns, top, min_score, progress, stats, None)


def _best_pairs(
    records: Sequence[Prepared],
    pairs: np.ndarray,
    tf: TermFrequencies,
    columns: BoundColumns | None,
    top: int,
    min_score: float | None,
    progress: Progress | None,
    stats: LinkStats | None,
    workers: int | None,
) -> list[Candidate]:
    """The candidate ``pairs`` scored (those the prefilter's ``columns`` let through), each kept when
    it is among the ``top`` best of either of its records."""
    stats = stats if stats is not None else LinkStats()
    stats.records = len(records)
    stats.pairs_compared = len(pairs)
    bounds = columns if len(pairs) >= PREFILTER_MIN_PAIRS else None
    floor = REVIEW if min_score is None else min_score
    kept = _score_pairs(records, pairs, tf, floor, progress, workers, bounds)
    best: dict[int, list[float]] = {}
    for i, j, result in kept:
        for k in (i, j):
            best.setdefault(k, []).append(result.score)
    cutoff = {k: heapq.nlargest(top, scores)[-1] for k, scores in best.items()}
    out = [
        Candidate(records[i], records[j], result)
        for i, j, result in kept
        if result.score >= cutoff[i] or result.score >= cutoff[j]
    ]
    stats.candidates = len(out)
    return out


# ---------------------------------------------------------------- finding the pairs on the second core

BESIDE_MIN_RECORDS = 5_000  # below this, starting a process to find the pairs costs more than it saves


def _candidate_pairs(records: Sequence[Prepared], keys: Sequence[Iterable[str]] | None) -> np.ndarray:
    """``CandidateIndex.pairs`` of the records, keyed here when ``keys`` is None (only the keys that pair
    records: the query-only ones are neither made nor read)."""
    if keys is None:
        keys = [blocking_keys(p, query_only=False) for p in records]
    return CandidateIndex(records, keys).pairs()


def _index_for(records: Sequence[Prepared], queries: Sequence[Prepared]) -> CandidateIndex:
    """An index of ``records`` under the keys some query looks up only: a sighting file asks for a small
    part of the 800,000 keys of 20,000 claims (a document's 100,000 near-misses, say, only when a
    sighting gives a document), and the index need not hold the others."""
    wanted: set[str] = set()
    for q in queries:
        wanted |= query_keys(q) | query_keys(q, widen=False)  # what CandidateIndex.candidates reads
    return CandidateIndex(records, [[k for k in blocking_keys(p) if k in wanted] for p in records])


def _looked_up(index: CandidateIndex, queries: Sequence[Prepared]) -> tuple[np.ndarray, np.ndarray]:
    """The candidates of every query in the index, one after the other, and how many each query has."""
    found = [index.candidates(q) for q in queries]
    sizes = np.array([len(f) for f in found], dtype=np.int64)
    return (np.concatenate(found) if found else np.empty(0, dtype=np.int64)), sizes


def _can_fork() -> bool:
    return "fork" in mp.get_all_start_methods()


_beside_work: Callable[[], object] | None = None  # inherited by the forked process, never pickled


def _run_beside_work() -> object:
    if _beside_work is None:
        raise RuntimeError("_run_beside_work runs only inside _beside")
    return _beside_work()


def _beside(work: Callable[[], W], meanwhile: Callable[[], M]) -> tuple[W, M]:
    """``work()``, run in a forked process, and ``meanwhile()``, run here at the same time.

    The process inherits the records (nothing is copied to it); only ``work``'s result, numpy arrays,
    comes back. Measured at 20,000 claims (bench/README.md, part 6): deduplicating, preparing, keying,
    indexing and pairing take about 1.2 s beside preparing, the names' frequencies and the
    prefilter's columns (0.9 s); linking sightings, indexing the claims and looking up the sightings
    take about 1.3 s beside the frequencies and the columns (0.4 s)."""
    global _beside_work
    _beside_work = work
    try:
        with _forked_pool(1) as pool:
            pending = pool.submit(_run_beside_work)
            done = meanwhile()
            result = cast(W, pending.result())
    finally:
        _beside_work = None
    return result, done


def _forked_pool(workers: int) -> ProcessPoolExecutor:
    """Forked worker processes. Not ``multiprocessing.Pool``: when one of its workers is killed (the
    system out of memory on a large file) it waits for the lost result for ever; this raises
    ``BrokenProcessPool`` instead, which ``portal link`` reports."""
    return ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"))


# ---------------------------------------------------------------- scoring pairs on every core

PARALLEL_MIN_PAIRS = 50_000  # below this, starting processes costs more than it saves
PREFILTER_MIN_PAIRS = 20_000  # below this, the vectorised bound costs more than it saves
CHUNK = 20_000


@dataclass(frozen=True)
class _Work:
    """What every chunk of pairs is scored with."""

    records: Sequence[Prepared]
    pairs: np.ndarray
    tf: TermFrequencies
    min_score: float
    bounds: BoundColumns | None
    population: int  # records a record of the pair could have matched (the prior)


_shared: _Work | None = None  # set by _score_pairs, inherited by forked workers (records are not copied)


def _score_chunk(span: tuple[int, int]) -> list[tuple[int, int, MatchResult]]:
    work = _shared
    if work is None:
        raise RuntimeError("_score_chunk runs only inside _score_pairs")
    records, tf, min_score, population = work.records, work.tf, work.min_score, work.population
    chunk = work.pairs[span[0] : span[1]]
    if work.bounds is not None:  # drop the pairs that cannot reach min_score (prefilter.py), all at once
        chunk = chunk[worth_scoring(work.bounds, chunk, population, min_score)]
    out: list[tuple[int, int, MatchResult]] = []
    for i, j in chunk.tolist():
        result = compare(records[i], records[j], tf, population)
        if result.score >= min_score and result.score > 0:
            out.append((i, j, result))
    return out


def _score_pairs(
    records: Sequence[Prepared],
    pairs: np.ndarray,
    tf: TermFrequencies,
    min_score: float,
    progress: Progress | None,
    workers: int | None,
    bounds: BoundColumns | None = None,
    population: int | None = None,
) -> list[tuple[int, int, MatchResult]]:
    """Score every pair worth it, in forked worker processes when there are many (records are not copied).

    ``population`` (for the prior) is the number of records, unless the pairs link two sets."""
    global _shared
    workers = (workers or os.cpu_count() or 1) if len(pairs) >= PARALLEL_MIN_PAIRS else 1
    chunks = [(start, min(start + CHUNK, len(pairs))) for start in range(0, len(pairs), CHUNK)]
    _shared = _Work(records, pairs, tf, min_score, bounds, len(records) if population is None else population)
    try:
        kept = _each_span(_score_chunk, chunks, workers, lambda span: span[1], len(pairs), progress)
    finally:
        _shared = None
    if progress and not chunks:
        progress(0, 0)
    return kept


Scored = list[tuple[int, int, MatchResult]]


def _each_span(
    score: Callable[[tuple[int, int]], Scored],
    spans: Sequence[tuple[int, int]],
    workers: int,
    done: Callable[[tuple[int, int]], int],
    total: int,
    progress: Progress | None,
) -> Scored:
    """``score`` of every span, in that order, in ``workers`` forked processes (which inherit the
    module's shared work: records are not copied); ``progress(done(span), total)`` after each."""
    kept: Scored = []
    with contextlib.ExitStack() as stack:
        parts: Iterable[Scored] = map(score, spans)
        if workers > 1 and _can_fork():
            parts = stack.enter_context(_forked_pool(workers)).map(score, spans)
        for span, part in zip(spans, parts, strict=True):
            kept.extend(part)
            if progress:
                progress(done(span), total)
    return kept


# ---------------------------------------------------------------- each query's best candidates only


@dataclass(frozen=True)
class _Ranked:
    """Every query's candidates, best bound first within the query's span ``starts[q]:starts[q + 1]``."""

    records: Sequence[Prepared]
    pairs: np.ndarray  # (claim position, query position), sorted by query, then by bound, highest first
    bound: np.ndarray  # prefilter.upper_bound of each pair
    starts: np.ndarray
    tf: TermFrequencies
    floors: Sequence[float]
    top: int
    population: int


_ranked: _Ranked | None = None  # set by _score_best, inherited by forked workers


def _best_of_queries(span: tuple[int, int]) -> list[tuple[int, int, MatchResult]]:
    """The candidates of queries ``span[0]:span[1]`` worth keeping, scored best bound first; a query
    stops once its next bound cannot reach its floor or the ``top``-th score it already has: every
    candidate left scores strictly less (``probability`` grows with the weight, which the bound exceeds)."""
    work = _ranked
    if work is None:
        raise RuntimeError("_best_of_queries runs only inside _score_best")
    records, tf, population, top = work.records, work.tf, work.population, work.top
    out: list[tuple[int, int, MatchResult]] = []
    for q in range(*span):
        lo, hi = int(work.starts[q]), int(work.starts[q + 1])
        if lo == hi:
            continue
        floor = work.floors[q]
        kinds = (CLAIM, records[int(work.pairs[lo, 1])].record.kind)
        best: list[float] = []  # the query's `top` best scores so far (a min-heap)
        for k in range(lo, hi):
            ceiling = probability(float(work.bound[k]) + SLACK_BITS, *kinds)
            if ceiling < floor or (len(best) == top and ceiling < best[0]):
                break
            i, j = int(work.pairs[k, 0]), int(work.pairs[k, 1])
            result = compare(records[i], records[j], tf, population)
            if result.score >= floor and result.score > 0:
                out.append((i, j, result))
                if len(best) < top:
                    heapq.heappush(best, result.score)
                elif result.score > best[0]:
                    heapq.heapreplace(best, result.score)
    return out


def _score_best(
    records: Sequence[Prepared],
    pairs: np.ndarray,
    sizes: np.ndarray,
    tf: TermFrequencies,
    floors: Sequence[float],
    top: int,
    progress: Progress | None,
    population: int,
    columns: BoundColumns | None = None,
) -> list[tuple[int, int, MatchResult]]:
    """What ``_score_pairs`` would keep of each query's ``top`` best (the same ``link`` output), scoring
    only the candidates whose bound (``prefilter.upper_bound``) can still enter them.

    ``pairs`` are grouped by query, ``sizes[q]`` of query q; the bounds are computed with ``columns``
    of every record when given, else over the records the pairs name only (one sighting against a
    million claims bounds its 400 candidates, not the million).
    """
    global _ranked
    if columns is not None:
        i, j = pairs[:, 0], pairs[:, 1]
    else:
        involved = np.unique(pairs)
        local = np.searchsorted(involved, pairs)
        columns, i, j = BoundColumns([records[k] for k in involved.tolist()], tf), local[:, 0], local[:, 1]
    bound = tightened(columns, i, j, upper_bound(columns, i, j, population))
    query = np.repeat(np.arange(len(sizes)), sizes)
    order = np.lexsort((-bound, query))  # by query, then highest bound first
    starts = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=starts[1:])
    _ranked = _Ranked(records, pairs[order], bound[order], starts, tf, floors, top, population)
    # Spans of whole queries of about CHUNK candidates each.
    cuts = np.searchsorted(starts, np.arange(0, len(pairs), CHUNK), side="right") - 1
    edges = sorted({*cuts.tolist(), len(sizes)})
    spans = list(pairwise(edges))
    workers = (os.cpu_count() or 1) if len(pairs) >= PARALLEL_MIN_PAIRS else 1
    try:
        return _each_span(_best_of_queries, spans, workers, lambda span: int(starts[span[1]]), len(pairs), progress)
    finally:
        _ranked = None


# ---------------------------------------------------------------- preparing records


def prepare_with_keys(
    records: Sequence[PersonRecord], query_only: bool = True
) -> tuple[list[Prepared], list[list[str]]]:
    """Prepared records and their blocking keys (without ``query_only``: those that pair records).

    In one process: sending prepared records back from worker processes (pickling) cost as much as
    preparing them (measured at 100k records on 2 cores: 7.3 s with two workers, 6.9 s in one).
    """
    prepared = [prepare(record) for record in records]
    return prepared, [sorted(blocking_keys(p, query_only=query_only)) for p in prepared]
