"""A country's cascade: its sessions as a tree, and how many people each level trained and certified.

"Trained" counts the people enrolled and not marked absent; "certified", those their trainer
certified. Police and civil society are counted apart as well. Cancelled sessions do not count.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import Country, Role
from portal.errors import NotFound
from portal.training.models import Enrolment, SessionStatus, TraineeKind, TrainingSession


def check_may_read(user: Any, country: str) -> None:
    """Coordinators and trainers of ``country``, and admins, read its cascade; NotFound for others."""
    role = getattr(user, "role", None)
    if role == Role.ADMIN:
        return
    if role in (Role.COORDINATOR, Role.TRAINER) and getattr(user, "country_code", None) == country:
        return
    raise NotFound()


def _counts(people: list[Enrolment]) -> dict[str, int]:
    trained = [e for e in people if e.present is not False]
    certified = [e for e in people if e.certified_at is not None]
    return {
        "trained": len(trained),
        "certified": len(certified),
        "police": sum(1 for e in trained if e.kind == TraineeKind.POLICE),
        "civil_society": sum(1 for e in trained if e.kind == TraineeKind.CIVIL_SOCIETY),
        "certified_police": sum(1 for e in certified if e.kind == TraineeKind.POLICE),
        "certified_civil_society": sum(1 for e in certified if e.kind == TraineeKind.CIVIL_SOCIETY),
    }


def cascade(session: Session, user: Any, country: str) -> dict[str, Any]:
    """The cascade of ``country`` as spec/training.md's JSON (levels, then the tree of sessions)."""
    country = (country or "").upper()[:2]
    if session.get(Country, country) is None:
        raise NotFound()
    check_may_read(user, country)
    sessions = list(
        session.scalars(
            select(TrainingSession)
            .where(TrainingSession.country_code == country, TrainingSession.status != SessionStatus.CANCELLED)
            .order_by(TrainingSession.starts_on, TrainingSession.id)
        )
    )
    ids = [s.id for s in sessions]
    people: dict[int, list[Enrolment]] = defaultdict(list)
    if ids:
        for enrolment in session.scalars(select(Enrolment).where(Enrolment.session_id.in_(ids))):
            people[enrolment.session_id].append(enrolment)
    nodes: dict[int, dict[str, Any]] = {
        s.id: {
            "id": s.id,
            "title": s.title,
            "level": s.level,
            "district": s.district,
            "starts_on": s.starts_on.isoformat(),
            "status": s.status,
            "trainer_id": s.trainer_id,
            **_counts(people[s.id]),
            "children": [],
        }
        for s in sessions
    }
    roots = []
    for s in sessions:
        if s.parent_id in nodes:
            nodes[s.parent_id]["children"].append(nodes[s.id])
        else:
            roots.append(nodes[s.id])
    levels: dict[int, dict[str, int]] = {}
    for s in sessions:
        level = levels.setdefault(s.level, {"level": s.level, "sessions": 0, **dict.fromkeys(_counts([]), 0)})
        level["sessions"] += 1
        for key, value in _counts(people[s.id]).items():
            level[key] += value
    return {"country": country, "levels": [levels[k] for k in sorted(levels)], "sessions": roots}


def trainers(session: Session, country: str) -> int:
    """How many people ran at least one (not cancelled) session in ``country``."""
    query = select(TrainingSession.trainer_id).where(
        TrainingSession.country_code == country, TrainingSession.status != SessionStatus.CANCELLED
    )
    return len(set(session.scalars(query)))
