"""The coordinators' fairness report: how often claims are flagged, by country, sex and age band.

The indicators never read nationality or ethnicity, but a rule can still drift: a sector or a venue
common in one place, a reporting habit in one police force. Rates side by side let a coordinator
see it. Only counts leave this module, and a group of fewer than ``SMALL_GROUP`` claims shows no
rate (so a count cannot point at a person). For coordinators and administrators only; never in a
public page, export or statistic.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.accounts.models import Role
from portal.cases.models import Claim
from portal.errors import NotFound
from portal.flags.facts import claim_age
from portal.flags.models import RiskAssessment

SMALL_GROUP = 5
AGE_BANDS = ((0, 12, "0-12"), (13, 17, "13-17"), (18, 24, "18-24"), (25, 59, "25-59"), (60, 200, "60+"))
UNKNOWN = "?"


def may_read_report(user: Any) -> bool:
    """Coordinators and administrators read the fairness report; nobody else knows it exists."""
    return getattr(user, "is_authenticated", False) and getattr(user, "role", None) in (Role.COORDINATOR, Role.ADMIN)


def age_band(age: int | None) -> str:
    """The band of an age at disappearance ("13-17"), or UNKNOWN."""
    if age is None:
        return UNKNOWN
    return next((label for low, high, label in AGE_BANDS if low <= age <= high), UNKNOWN)


@dataclass(frozen=True)
class Row:
    """One group: how many claims, how many at level 1 or more, at level 2; rates hidden when small."""

    group: str
    claims: int
    flagged: int
    priority: int
    not_assessed: int

    @property
    def shown(self) -> bool:
        """Whether the group is large enough for its rates to be shown without singling anyone out."""
        return self.claims >= SMALL_GROUP

    @property
    def flagged_rate(self) -> float | None:
        """Share of the group's claims at level 1 or more; None when the group is too small to show."""
        return self.flagged / self.claims if self.shown else None

    @property
    def priority_rate(self) -> float | None:
        """Share of the group's claims at level 2; None when the group is too small to show."""
        return self.priority / self.claims if self.shown else None


@dataclass(frozen=True)
class Report:
    """The fairness report: all claims, then the same counts by country, sex and age band."""

    total: Row
    by_country: list[Row]
    by_sex: list[Row]
    by_age: list[Row]


def fairness_report(session: Session, user: Any) -> Report:
    """Flag rates over every claim's latest assessment (all countries: drift shows side by side)."""
    if not may_read_report(user):
        raise NotFound()
    latest = (
        select(RiskAssessment.claim_id, func.max(RiskAssessment.id).label("id"))
        .group_by(RiskAssessment.claim_id)
        .subquery()
    )
    rows = session.execute(
        select(Claim, RiskAssessment.level)
        .outerjoin(latest, latest.c.claim_id == Claim.id)
        .outerjoin(RiskAssessment, RiskAssessment.id == latest.c.id)
    )
    counts: dict[tuple[str, str], Counter[str]] = {}
    for claim, level in rows:
        keys = [
            ("total", ""),
            ("country", claim.owner_country),
            ("sex", claim.sex or UNKNOWN),
            ("age", age_band(claim_age(claim))),
        ]
        for key in keys:
            tally = counts.setdefault(key, Counter())
            tally["claims"] += 1
            tally["not_assessed"] += level is None
            tally["flagged"] += (level or 0) >= 1
            tally["priority"] += (level or 0) >= 2

    def rows_of(dimension: str, order: list[str] | None = None) -> list[Row]:
        groups = [g for d, g in counts if d == dimension]
        groups.sort(key=lambda g: (order.index(g) if order and g in order else len(order or ()), g))
        return [_row(g, counts[(dimension, g)]) for g in groups]

    return Report(
        total=_row("", counts.get(("total", ""), Counter())),
        by_country=rows_of("country"),
        by_sex=rows_of("sex", ["F", "M", UNKNOWN]),
        by_age=rows_of("age", [label for *_, label in AGE_BANDS] + [UNKNOWN]),
    )


def _row(group: str, tally: Counter[str]) -> Row:
    return Row(group, tally["claims"], tally["flagged"], tally["priority"], tally["not_assessed"])
