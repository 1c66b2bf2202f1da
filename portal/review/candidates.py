"""Matching in the portal: build engine records from rows, store their keys, keep candidates up to date.

``match_claim`` and ``match_sighting`` run at once, in the caller's transaction
(``portal.casework``), whenever a claim is filed or its person changes and whenever
a sighting is reported. Every claim is matched whatever its status (drafts too: a duplicate
is best caught before validation; a closed case may be reopened): who may
*see* a candidate is decided by the rights of both its records (review.py).

Claims are stored under their blocking keys and sightings under their query
keys, so that a pair meets whichever of the two arrives first.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from itertools import groupby

from sqlalchemy import case, delete, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.cases.models import Claim
from portal.db import utcnow
from portal.matching import scoring
from portal.matching.blocking import QUERY_LIMIT, blocking_keys, query_keys
from portal.matching.records import CLAIM, SIGHTING, Prepared, prepare
from portal.matching.scoring import SIGHTING_TOP, MatchResult, TermFrequencies, compare, frequency_tokens
from portal.review.models import KEY_LENGTH, TOKEN_LENGTH, MatchCandidate, MatchKey, MatchToken
from portal.review.records import load_claims, load_sightings, record_for_claim, record_for_sighting
from portal.sightings.models import Sighting

# Where the candidates created in a unit of work wait in ``session.info`` for take_new().
NEW_CANDIDATES = "portal.review.new_candidates"


def name_tokens(prepared: Prepared) -> set[tuple[str, str]]:
    """(kind, token) pairs counted for term frequencies: the engine's own rule, cut to the column."""
    given, surnames = frequency_tokens(prepared)
    return {("given", t[:TOKEN_LENGTH]) for t in given if t} | {("surname", t[:TOKEN_LENGTH]) for t in surnames if t}


def token_rows(claim_id: int, prepared: Prepared) -> list[dict[str, object]]:
    """The ``match_token`` rows of a claim (``prepared`` from it): its name tokens, with its country."""
    country = prepared.country
    return [
        {"claim_id": claim_id, "kind": kind, "token": token, "country": country}
        for kind, token in sorted(name_tokens(prepared))
    ]


def _store_keys(session: Session, record_type: str, record_id: int, keys: Iterable[str]) -> None:
    session.execute(delete(MatchKey).where(MatchKey.record_type == record_type, MatchKey.record_id == record_id))
    rows = [{"record_type": record_type, "record_id": record_id, "key": k} for k in sorted(_cut(keys))]
    if rows:
        session.execute(insert(MatchKey), rows)


def _cut(keys: Iterable[str]) -> set[str]:
    return {k[:KEY_LENGTH] for k in keys}


def _store_tokens(session: Session, claim_id: int, prepared: Prepared) -> None:
    session.execute(delete(MatchToken).where(MatchToken.claim_id == claim_id))
    rows = token_rows(claim_id, prepared)
    if rows:
        session.execute(insert(MatchToken), rows)


def _nearest(
    session: Session, record_type: str, keys: set[str], exclude: int | None = None, first: set[str] | None = None
) -> list[int]:
    """Ids of the records of ``record_type`` stored under ``keys``, capped: those stored under one of
    ``first`` before the others (as ``CandidateIndex.candidates`` does), then most shared keys first."""
    if not keys:
        return []
    shared = func.count(MatchKey.key)
    order = [shared.desc(), MatchKey.record_id]
    if first is not None and first != keys:
        order.insert(0, func.max(case((MatchKey.key.in_(_cut(first)), 1), else_=0)).desc())
    query = (
        select(MatchKey.record_id)
        .where(MatchKey.record_type == record_type, MatchKey.key.in_(_cut(keys)))
        .group_by(MatchKey.record_id)
        .order_by(*order)
        .limit(QUERY_LIMIT)
    )
    if exclude is not None:
        query = query.where(MatchKey.record_id != exclude)
    return list(session.scalars(query))


def term_frequencies(session: Session, records: Iterable[Prepared]) -> TermFrequencies:
    """Counts among all claims of the tokens these records carry (the only ones the scorer asks about),
    and among the claims of each country of these claims that holds LOCAL_MIN_RECORDS claims or more
    (two claims of one country are weighed by its counts: ``TermFrequencies.for_pair``)."""
    records = list(records)
    wanted: dict[str, set[str]] = {"given": set(), "surname": set()}
    for p in records:
        for kind, token in name_tokens(p):
            wanted[kind].add(token)
    counts: dict[str, dict[str, int]] = {"given": {}, "surname": {}}
    for kind, tokens in wanted.items():
        if tokens:
            rows = session.execute(
                select(MatchToken.token, func.count())
                .where(MatchToken.kind == kind, MatchToken.token.in_(tokens))
                .group_by(MatchToken.token)
            )
            counts[kind] = {token: int(n) for token, n in rows}
    total = session.scalar(select(func.count(Claim.id))) or 0
    by_country = _by_country(session, records, wanted["given"] | wanted["surname"])
    return TermFrequencies(counts["given"], counts["surname"], int(total), by_country=by_country)


def _by_country(
    session: Session, records: list[Prepared], wanted: set[str]
) -> dict[str, tuple[dict[str, int], dict[str, int], int]]:
    """For each country of the claims among ``records`` with LOCAL_MIN_RECORDS claims or more: the counts
    among its claims of the ``wanted`` name tokens, and its number of claims (two indexed reads)."""
    countries = {p.country for p in records if p.record.kind == CLAIM and p.country}
    if not countries:
        return {}
    sizes = session.execute(
        select(Claim.country, func.count()).where(Claim.country.in_(countries)).group_by(Claim.country)
    )
    large = {country.upper(): int(n) for country, n in sizes if n >= scoring.LOCAL_MIN_RECORDS}
    if not large:
        return {}
    given: dict[str, dict[str, int]] = {c: {} for c in large}
    surnames: dict[str, dict[str, int]] = {c: {} for c in large}
    rows = session.execute(
        select(MatchToken.country, MatchToken.kind, MatchToken.token, func.count())
        .where(MatchToken.country.in_(large), MatchToken.token.in_(wanted))
        .group_by(MatchToken.country, MatchToken.kind, MatchToken.token)
    )
    for country, kind, token, n in rows:
        (given if kind == "given" else surnames)[country.upper()][token] = int(n)
    return {c: (given[c], surnames[c], n) for c, n in large.items()}


def _pair(a: Prepared, b: Prepared) -> tuple[int, str, int]:
    """(left claim id, right type, right id) of two prepared records, claim first, lower claim id left."""
    kind_a, id_a = a.id.split(":")
    kind_b, id_b = b.id.split(":")
    if kind_a == SIGHTING:
        return int(id_b), SIGHTING, int(id_a)
    if kind_b == SIGHTING:
        return int(id_a), SIGHTING, int(id_b)
    low, high = sorted((int(id_a), int(id_b)))
    return low, CLAIM, high


def take_new(session: Session) -> list[MatchCandidate]:
    """The candidates this unit of work created, once (the casework path tells their officers)."""
    found: list[MatchCandidate] = session.info.pop(NEW_CANDIDATES, [])
    return [candidate for candidate in found if candidate in session and candidate.status == "open"]


def _key(candidate: MatchCandidate) -> tuple[int, str, int]:
    return candidate.left_claim_id, candidate.right_type, candidate.right_id


def _upsert(session: Session, existing: list[MatchCandidate], results: dict[tuple[int, str, int], MatchResult]) -> None:
    """Create new candidates, refresh open ones, drop open ones that no longer reach the threshold.

    Decided candidates keep their status, score and reasons: they record what the officer saw.
    """
    by_pair = {_key(c): c for c in existing}
    for pair, result in results.items():
        found = by_pair.pop(pair, None)
        if found is None:
            left, right_type, right = pair
            try:
                # A savepoint per new pair: when another worker created the same pair a moment ago,
                # its row stands and this request goes on (no 500, nothing lost).
                with session.begin_nested():
                    candidate = MatchCandidate(
                        left_claim_id=left,
                        right_type=right_type,
                        score=result.score,
                        decision=result.decision,
                        reasons=list(result.reasons),
                        status="open",
                        right_claim_id=right if right_type == CLAIM else None,
                        right_sighting_id=right if right_type == SIGHTING else None,
                    )
                    session.add(candidate)
            except IntegrityError:
                continue
            session.info.setdefault(NEW_CANDIDATES, []).append(candidate)
        elif found.status == "open" and (found.score, found.reasons) != (result.score, list(result.reasons)):
            found.score, found.decision, found.reasons = result.score, result.decision, list(result.reasons)
            found.updated_at = utcnow()
    for stale in by_pair.values():
        if stale.status == "open":
            session.delete(stale)
    session.flush()


def _score(session: Session, me: Prepared, others: list[Prepared]) -> dict[tuple[int, str, int], MatchResult]:
    """The pairs of ``me`` and ``others`` worth a review (the engine's decision says which)."""
    tf = term_frequencies(session, [me, *others])
    results = {}
    for other in others:
        result = compare(me, other, tf, tf.total)
        if result.decision:
            results[_pair(me, other)] = result
    return results


def _best_for_sighting(results: dict[tuple[int, str, int], MatchResult]) -> dict[tuple[int, str, int], MatchResult]:
    """A sighting's SIGHTING_TOP best candidates, as `portal link` writes them."""
    best = heapq.nlargest(SIGHTING_TOP, results.items(), key=lambda item: (item[1].score, -item[0][0]))
    return dict(best)


def _trim_sightings(session: Session, sighting_ids: set[int]) -> set[int]:
    """Drop the open candidates of these sightings beyond their SIGHTING_TOP best (a new claim may have
    displaced one); decided candidates stay, as they record what an officer saw. Returns the ids of
    the claims that lost a candidate."""
    if not sighting_ids:
        return set()
    rows = session.scalars(
        select(MatchCandidate)
        .where(MatchCandidate.right_sighting_id.in_(sighting_ids), MatchCandidate.status == "open")
        .order_by(MatchCandidate.right_sighting_id, MatchCandidate.score.desc(), MatchCandidate.left_claim_id)
    )
    displaced = set()
    for _sighting, best_first in groupby(rows, key=lambda candidate: candidate.right_sighting_id):
        for candidate in list(best_first)[SIGHTING_TOP:]:
            displaced.add(candidate.left_claim_id)
            session.delete(candidate)
    session.flush()
    return displaced


def match_claim(session: Session, claim: Claim) -> set[int]:
    """Store a claim's keys and tokens and refresh its candidates among claims and sightings.

    Returns the ids of the other claims that lost a sighting's candidacy to this one (a sighting keeps
    its SIGHTING_TOP best candidates).
    """
    session.flush()
    me = prepare(record_for_claim(claim))
    _store_keys(session, CLAIM, claim.id, blocking_keys(me))
    _store_tokens(session, claim.id, me)
    # Claims stored under my query keys; sightings whose query keys are my stored keys.
    others = load_claims(session, _nearest(session, CLAIM, query_keys(me), exclude=claim.id))
    others += load_sightings(session, _nearest(session, SIGHTING, blocking_keys(me)))
    existing = list(
        session.scalars(
            select(MatchCandidate).where(
                or_(MatchCandidate.left_claim_id == claim.id, MatchCandidate.right_claim_id == claim.id)
            )
        )
    )
    results = _score(session, me, others)
    _upsert(session, existing, results)
    return _trim_sightings(session, {right for _left, kind, right in results if kind == SIGHTING}) - {claim.id}


def match_sighting(session: Session, sighting: Sighting) -> set[int]:
    """Store a sighting's keys and refresh its candidates among claims.

    Returns the ids of the claims that gained, kept or lost this sighting as a candidate.
    """
    session.flush()
    me = prepare(record_for_sighting(sighting))
    keys = query_keys(me)
    _store_keys(session, SIGHTING, sighting.id, keys)
    others = load_claims(session, _nearest(session, CLAIM, keys, first=query_keys(me, widen=False)))
    existing = list(session.scalars(select(MatchCandidate).where(MatchCandidate.right_sighting_id == sighting.id)))
    results = _best_for_sighting(_score(session, me, others))
    touched = {c.left_claim_id for c in existing} | {left for left, _type, _right in results}
    _upsert(session, existing, results)
    return touched


def candidate_for(session: Session, claim: Claim, sighting: Sighting) -> MatchCandidate:
    """The candidate pairing ``claim`` and ``sighting``: the engine's, or, when it proposed none (an
    officer attaches a sighting by hand), a new open one with the engine's score and reasons."""
    found = session.scalar(
        select(MatchCandidate).where(
            MatchCandidate.left_claim_id == claim.id, MatchCandidate.right_sighting_id == sighting.id
        )
    )
    if found is not None:
        return found
    seen, filed = prepare(record_for_sighting(sighting)), prepare(record_for_claim(claim))
    tf = term_frequencies(session, [seen, filed])
    result = compare(seen, filed, tf, tf.total)
    candidate = MatchCandidate(
        left_claim_id=claim.id,
        right_type=SIGHTING,
        right_sighting_id=sighting.id,
        score=result.score,
        decision=result.decision or "possible",
        reasons=list(result.reasons),
        status="open",
    )
    session.add(candidate)
    session.flush()
    return candidate


def claims_seen_in(session: Session, sighting: Sighting) -> set[int]:
    """Ids of the claims a sighting counts for: candidates not rejected (the trafficking card reads them)."""
    return set(
        session.scalars(
            select(MatchCandidate.left_claim_id).where(
                MatchCandidate.right_sighting_id == sighting.id, MatchCandidate.status != "rejected"
            )
        )
    )
