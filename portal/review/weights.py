"""The engine's weights estimated from this registry and refined by its officers' decisions.

``fit_from_registry`` runs ``matching.estimate.fit`` (EM on the registry's own blocked pairs of
claims) over every claim in the database, then ``estimate.refit`` with the pairs of claims that
officers confirmed or rejected in the review queue, and calibrates the scores on those decisions
when there are enough (``weights.calibrated_on_decisions``). The result is a weights file for
``portal link --weights`` (docs/decisions.md, 30: the web portal itself keeps the hand-set weights
until fitted ones are shown to do better). Only counts leave this module, never a name.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.cases.models import Claim
from portal.matching.estimate import FittedWeights, fit, pair_levels, refit
from portal.matching.records import Prepared
from portal.matching.weights import Pair, calibrated_on_decisions
from portal.review.models import MatchCandidate
from portal.review.records import load_claims

BATCH = 1000  # claims read and prepared per query


@dataclass(frozen=True)
class Fitted:
    """A fit and what it was made from (counts only)."""

    weights: FittedWeights
    claims: int
    confirmed: int
    rejected: int
    calibrated: bool  # whether the decisions were enough to calibrate the scores


def _all_claims(session: Session) -> dict[int, Prepared]:
    ids = list(session.scalars(select(Claim.id).order_by(Claim.id)))
    prepared: dict[int, Prepared] = {}
    for start in range(0, len(ids), BATCH):
        for p in load_claims(session, ids[start : start + BATCH]):
            prepared[int(p.id.split(":")[1])] = p
    return prepared


def decided_pairs(session: Session, claims: dict[int, Prepared]) -> tuple[list[Pair], list[Pair]]:
    """The pairs of claims officers confirmed, and those they rejected."""
    confirmed: list[Pair] = []
    rejected: list[Pair] = []
    rows = session.execute(
        select(MatchCandidate.left_claim_id, MatchCandidate.right_claim_id, MatchCandidate.status).where(
            MatchCandidate.right_type == "claim", MatchCandidate.status.in_(("confirmed", "rejected"))
        )
    )
    for left, right, status in rows:
        if left in claims and right in claims:
            (confirmed if status == "confirmed" else rejected).append((claims[left], claims[right]))
    return confirmed, rejected


def fit_from_registry(session: Session, *, random_pairs: int = 100_000, seed: int = 0) -> Fitted:
    """Fit the weights on every claim of the registry, then refine and calibrate them with the
    officers' decisions.

    Raises ValueError when the registry holds fewer than two claims."""
    claims = _all_claims(session)
    if len(claims) < 2:
        raise ValueError("the registry needs at least two claims to estimate weights")
    registry = list(claims.values())
    weights = fit(registry, random_count=random_pairs, seed=seed)
    confirmed, rejected = decided_pairs(session, claims)
    if confirmed or rejected:
        weights = refit(weights, [pair_levels(*p) for p in confirmed], [pair_levels(*p) for p in rejected])
    calibrated = calibrated_on_decisions(weights, registry, confirmed, rejected)
    return Fitted(calibrated or weights, len(claims), len(confirmed), len(rejected), calibrated is not None)
