"""Taking an anonymised claim out of the matching: its keys and tokens go, its candidates keep no words."""

from __future__ import annotations

from sqlalchemy import delete, or_, update
from sqlalchemy.orm import Session

from portal.db import rowcount
from portal.review.models import MatchCandidate, MatchKey, MatchToken


def forget_claim(session: Session, claim_id: int) -> int:
    """Delete the claim's blocking keys and name tokens, and blank its candidates' reasons and notes.

    The candidates themselves stay (who linked what, and when): their reason codes quote name
    fragments ("given=nickname(lupe)") and a decision note is free text. Returns the keys deleted.
    """
    keys = session.execute(delete(MatchKey).where(MatchKey.record_type == "claim", MatchKey.record_id == claim_id))
    session.execute(delete(MatchToken).where(MatchToken.claim_id == claim_id))
    session.execute(
        update(MatchCandidate)
        .where(or_(MatchCandidate.left_claim_id == claim_id, MatchCandidate.right_claim_id == claim_id))
        .values(reasons=[], decision_note="")
        .execution_options(synchronize_session="fetch")
    )
    return rowcount(keys)
