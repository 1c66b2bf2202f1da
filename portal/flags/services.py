"""Assessing claims in the portal: the pure engine on today's facts, a stored row when the result changed.

``portal.casework`` calls ``reassess`` and then ``spread`` whenever a claim, a note,
a sighting or a match changes. Reassessing costs one engine run (the rules are loaded
once per process) and a few indexed look-ups.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.cases.models import Claim
from portal.db import valid_id
from portal.flags.facts import case_facts
from portal.flags.models import CAUSES, RiskAssessment
from portal.flags.network import claims_by_reference, related_references
from portal.risk import Rules, assess, load_rules

SPREAD_LIMIT = 100  # at most this many linked claims reassessed synchronously
PRIORITY = 2  # the level officers are told of at once
# Where the claims raised to PRIORITY in a unit of work wait in ``session.info`` for take_raised().
RAISED = "portal.flags.raised"


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The indicator rules, loaded once per process (about 30 ms)."""
    return load_rules()


@dataclass(frozen=True)
class Reassessment:
    """A claim's latest assessment, and the references of the claims its N2 links and N3 clusters
    named before and after it (whose own results may change with this claim's)."""

    assessment: RiskAssessment
    linked: frozenset[str]


def _signature(result: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two results different: the level and each indicator's id, grade and evidence."""
    return (
        result.get("level"),
        [(i.get("id"), i.get("grade"), i.get("evidence")) for i in result.get("indicators", [])],
    )


def current(session: Session, claim_id: int) -> RiskAssessment | None:
    """The latest stored assessment of a claim, or None."""
    if not valid_id(claim_id):
        return None
    return session.scalar(
        select(RiskAssessment).where(RiskAssessment.claim_id == claim_id).order_by(RiskAssessment.id.desc()).limit(1)
    )


def reassess(session: Session, claim: Claim, cause: str, *, today: date | None = None) -> Reassessment:
    """Assess ``claim`` now; store a new row only when the result differs from the latest one."""
    if cause not in CAUSES:
        raise ValueError(f"unknown cause {cause!r}")
    session.flush()
    facts = case_facts(session, claim, today or date.today())
    result = assess(facts, rules()).to_json()
    latest = current(session, claim.id)
    linked = {ref for cluster in facts.network.offer_clusters for ref in cluster.others}
    linked |= {ref for link in facts.network.linked_companions for ref in link.others}
    linked |= related_references(latest.result if latest is not None else None)
    linked.discard(claim.reference)
    if latest is not None and _signature(latest.result) == _signature(result):
        return Reassessment(latest, frozenset(linked))
    row = RiskAssessment(
        claim_id=claim.id, level=result["level"], rules_version=result["rules_version"][:60], result=result, cause=cause
    )
    session.add(row)
    session.flush()
    if row.level >= PRIORITY and (latest is None or latest.level < PRIORITY):
        session.info.setdefault(RAISED, set()).add(claim.id)
    return Reassessment(row, frozenset(linked))


def take_raised(session: Session) -> set[int]:
    """The claims this unit of work raised to level 2, once (the casework path tells their officers)."""
    raised: set[int] = session.info.pop(RAISED, set())
    return raised


def spread(session: Session, references: Iterable[str], cause: str, *, today: date | None = None) -> None:
    """Reassess the claims of these references (N2/N3 partners), at most SPREAD_LIMIT, without going further."""
    for other in claims_by_reference(session, set(references), SPREAD_LIMIT):
        reassess(session, other, cause, today=today)


def reassess_claims(session: Session, claim_ids: Iterable[int], cause: str) -> None:
    """Reassess several claims by id (a sighting's candidates, a claim's N1 partners), without spreading."""
    for claim_id in sorted(set(claim_ids)):
        claim = session.get(Claim, claim_id)
        if claim is not None:
            reassess(session, claim, cause)


def reassess_all(session: Session, *, batch: int = 500) -> Iterator[tuple[int, int]]:
    """Assess every claim (after an upgrade or a new indicator list), ``batch`` claims at a time.

    Yields (assessed, changed) after each batch, so the caller can commit between batches; a claim
    counts as changed when it had no assessment or got a new row.
    """
    ids = list(session.scalars(select(Claim.id).order_by(Claim.id)))
    for start in range(0, len(ids), batch):
        changed = 0
        for claim in session.scalars(select(Claim).where(Claim.id.in_(ids[start : start + batch]))):
            before = current(session, claim.id)
            after = reassess(session, claim, "manual").assessment
            changed += before is None or after.id != before.id
        yield min(batch, len(ids) - start), changed
