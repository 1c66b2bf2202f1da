"""Assessing claims in the portal: facts from today's rows, the pure engine, a stored row when the result changed.

``reassess`` runs synchronously wherever a claim, a note, a sighting or a match
changes (matching_store, cases.services). It costs one engine run (the rules are
loaded once per process) and a few indexed look-ups.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import POLICE_ROLES, User
from portal.cases.models import Claim
from portal.cases.rules import age_range
from portal.db import valid_id
from portal.matching_store.models import MatchCandidate
from portal.risk import Case, ClaimFacts, Rules, SightingFacts, Source, assess, load_rules
from portal.risk_store.models import CAUSES, RiskAssessment
from portal.sightings.models import Sighting

# The family types the relation as free text ("madre", "tía"); the engine wants a code.
_PARENT = {"madre", "padre", "mamá", "mama", "papá", "papa", "mother", "father", "parent", "mom", "dad"}
_RELATIVE = {"hermana", "hermano", "tía", "tia", "tío", "tio", "abuela", "abuelo", "prima", "primo", "sobrina",
             "sobrino", "hija", "hijo", "esposa", "esposo", "sister", "brother", "aunt", "uncle", "grandmother",
             "grandfather", "cousin", "daughter", "son", "wife", "husband", "relative", "familiar"}
_EMPLOYER = {"empleador", "empleadora", "patrón", "patrona", "employer"}


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The indicator rules, loaded once per process (about 30 ms)."""
    return load_rules()


def _is_police(user: User | None) -> bool:
    return user is not None and user.role in POLICE_ROLES


def relation_code(text: str) -> str:
    """The engine's reporter-relation code of what the family typed (first word, accents kept)."""
    words = (text or "").strip().lower().split()
    if not words:
        return ""
    first = words[0]
    if first in _PARENT:
        return "parent"
    if first in _RELATIVE:
        return "relative"
    return "employer" if first in _EMPLOYER else "other"


def claim_age(claim: Claim) -> int | None:
    """The age at disappearance the engine reads, taking the careful (younger) reading when unsure.

    A birth date gives the exact age on the event date, or the younger of the two possible ages when
    only the year or month is known; otherwise the estimate's upper bound when the whole range is
    under 18 (the person was a minor whatever the truth), else its lower bound (a range across 18
    counts as a minor). No date and no estimate: unknown (None).
    """
    low, high = age_range(claim)
    if claim.birth_date is not None and claim.event_date is not None:
        return low
    bounds = [b for b in (low, high) if b is not None]
    if not bounds:
        return None
    return max(bounds) if max(bounds) < 18 else min(bounds)


def _claim_facts(claim: Claim) -> ClaimFacts:
    by_police = _is_police(claim.reporter)
    return ClaimFacts(
        record=f"claim:{claim.id}",
        source=Source("police" if by_police else "family", by_police or claim.status != "draft"),
        age=claim_age(claim), sex=claim.sex or "", country=claim.country or "", event_date=claim.event_date,
        circumstances=tuple(claim.circumstances or ()),
        reporter_relation="police" if by_police else relation_code(claim.reporter_relation),
        # not captured yet: offer (type, sector, destination, travel paid by, documents, debt), recruiters'
        # identifiers, prior_disappearances, missing_from_state_care, occupation.
    )


def _sighting_facts(session: Session, claim: Claim) -> tuple[SightingFacts, ...]:
    """Sightings tied to the claim by a match candidate: confirmed ones and open candidates (not rejected)."""
    rows = session.execute(
        select(MatchCandidate, Sighting, User.role)
        .join(Sighting, MatchCandidate.right_sighting_id == Sighting.id)
        .outerjoin(User, Sighting.reporter_id == User.id)
        .where(MatchCandidate.left_claim_id == claim.id, MatchCandidate.right_type == "sighting",
               MatchCandidate.status.in_(("open", "confirmed")))
        .order_by(Sighting.id))
    # A sighting is verified when the police reported or verified it, or when an officer confirmed that
    # it is this person (the compare page shows both records side by side; confirming vouches for it).
    return tuple(SightingFacts(
        record=f"sighting:{sighting.id}",
        source=Source("police" if role in POLICE_ROLES else "public",
                      bool(sighting.verified) or role in POLICE_ROLES or candidate.status == "confirmed"),
        link="confirmed" if candidate.status == "confirmed" else "candidate",
        country=sighting.country or "", event_date=sighting.event_date,
        venue=sighting.venue or "", companion=sighting.companion or "", score=candidate.score,
        # not captured yet: conditions (injuries, escorted...), free_to_leave.
    ) for candidate, sighting, role in rows)


def case_facts(session: Session, claim: Claim, today: date) -> Case:
    """The engine's input for ``claim`` from what the portal holds today.

    not captured yet: the offer and recruiters (no claim fields), police note flags (notes carry no
    structured flags), sighting conditions, and the network facts (shared recruiters, linked companions,
    offer clusters): all empty, so the engine lists what is missing.
    """
    return Case(claim=_claim_facts(claim), today=today, sightings=_sighting_facts(session, claim))


def _signature(result: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two results different: the level and each indicator's id, grade and evidence."""
    return (result.get("level"), [(i.get("id"), i.get("grade"), i.get("evidence"))
                                  for i in result.get("indicators", [])])


def current(session: Session, claim_id: int) -> RiskAssessment | None:
    """The latest stored assessment of a claim, or None."""
    if not valid_id(claim_id):
        return None
    return session.scalar(select(RiskAssessment).where(RiskAssessment.claim_id == claim_id)
                          .order_by(RiskAssessment.id.desc()).limit(1))


def reassess(session: Session, claim: Claim, cause: str, *, today: date | None = None) -> RiskAssessment:
    """Assess ``claim`` now; store a new row only when the result differs from the latest one."""
    if cause not in CAUSES:
        raise ValueError(f"unknown cause {cause!r}")
    session.flush()
    result = assess(case_facts(session, claim, today or date.today()), rules()).to_json()
    latest = current(session, claim.id)
    if latest is not None and _signature(latest.result) == _signature(result):
        return latest
    row = RiskAssessment(claim_id=claim.id, level=result["level"], rules_version=result["rules_version"][:60],
                         result=result, cause=cause)
    session.add(row)
    session.flush()
    return row


def reassess_ids(session: Session, claim_ids: set[int], cause: str) -> None:
    """Reassess several claims by id (a sighting's candidates)."""
    for claim_id in sorted(claim_ids):
        claim = session.get(Claim, claim_id)
        if claim is not None:
            reassess(session, claim, cause)
