"""The engine's weights estimated from this registry and refined by its officers' decisions.

``fit_from_registry`` runs ``matching.estimate.fit`` (EM on the registry's own blocked pairs of
claims) over every claim in the database, then ``estimate.refit`` with the pairs of claims that
officers confirmed or rejected in the review queue. The result is a weights file for
``portal link --weights`` (docs/decisions.md, 30: the web portal itself keeps the hand-set weights
until fitted ones are shown to do better). Only counts leave this module, never a name.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.cases.models import Claim
from portal.matching.estimate import FittedWeights, Levels, fit, pair_levels, refit
from portal.matching.records import Prepared
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


def _all_claims(session: Session) -> dict[int, Prepared]:
    ids = list(session.scalars(select(Claim.id).order_by(Claim.id)))
    prepared: dict[int, Prepared] = {}
    for start in range(0, len(ids), BATCH):
        for p in load_claims(session, ids[start : start + BATCH]):
            prepared[int(p.id.split(":")[1])] = p
    return prepared


def decided_pairs(session: Session, claims: dict[int, Prepared]) -> tuple[list[Levels], list[Levels]]:
    """The comparison levels of the pairs of claims officers confirmed, and of those they rejected."""
    confirmed: list[Levels] = []
    rejected: list[Levels] = []
    rows = session.execute(
        select(MatchCandidate.left_claim_id, MatchCandidate.right_claim_id, MatchCandidate.status).where(
            MatchCandidate.right_type == "claim", MatchCandidate.status.in_(("confirmed", "rejected"))
        )
    )
    for left, right, status in rows:
        if left in claims and right in claims:
            levels = pair_levels(claims[left], claims[right])
            (confirmed if status == "confirmed" else rejected).append(levels)
    return confirmed, rejected


def fit_from_registry(session: Session, *, random_pairs: int = 100_000, seed: int = 0) -> Fitted:
    """Fit the weights on every claim of the registry, then refine them with the officers' decisions.

    Raises ValueError when the registry holds fewer than two claims."""
    claims = _all_claims(session)
    if len(claims) < 2:
        raise ValueError("the registry needs at least two claims to estimate weights")
    weights = fit(list(claims.values()), random_count=random_pairs, seed=seed)
    confirmed, rejected = decided_pairs(session, claims)
    if confirmed or rejected:
        weights = refit(weights, confirmed, rejected)
    return Fitted(weights, len(claims), len(confirmed), len(rejected))
