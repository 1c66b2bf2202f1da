"""Keeping an anonymised claim's trafficking history without its evidence.

Assessments and reviews are append-only: the caller holds ``portal.audit.rewrite.allow_rewrite``
open. What stays is the level, which indicators fired and who decided what, when; what goes is
each evidence line's value (a phone, a place, words a witness used) and the reviewers' reasons.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.db import rowcount
from portal.flags.models import RiskAssessment, RiskReview

FIRED_LISTS = ("indicators", "counter_indicators", "context")


def without_evidence_values(result: dict[str, Any]) -> dict[str, Any]:
    """``result`` (an assessment's JSON) with every evidence value blanked."""
    stripped = dict(result)
    for name in FIRED_LISTS:
        stripped[name] = [
            {**fired, "evidence": [{**line, "value": ""} for line in fired.get("evidence", [])]}
            for fired in result.get(name, [])
        ]
    return stripped


def strip_evidence(session: Session, claim_id: int) -> int:
    """Blank the evidence values of the claim's assessments and its reviews' reasons; returns rows rewritten."""
    rewritten = 0
    for row_id, result in session.execute(
        select(RiskAssessment.id, RiskAssessment.result).where(RiskAssessment.claim_id == claim_id)
    ):
        stripped = without_evidence_values(result or {})
        if stripped != result:
            session.execute(
                update(RiskAssessment)
                .where(RiskAssessment.id == row_id)
                .values(result=stripped)
                .execution_options(synchronize_session=False)
            )
            rewritten += 1
    reviews = session.execute(
        update(RiskReview)
        .where(RiskReview.claim_id == claim_id, RiskReview.reason != "")
        .values(reason="")
        .execution_options(synchronize_session=False)
    )
    return rewritten + rowcount(reviews)
