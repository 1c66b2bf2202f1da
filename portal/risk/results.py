"""The output of ``assess`` (DESIGN.md §6): an ``Assessment`` of ``Fired`` indicators, each with its
``EvidenceLine``s, and the ``Missing`` facts; ``to_json`` gives the api-core ``risk`` object.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class EvidenceLine:
    """One fact behind an indicator: which record, which field, what value, who reported it."""

    record: str
    field: str
    value: str
    reported_by: str
    verified: bool  # for a sighting: verified report AND match to this claim confirmed
    related: tuple[str, ...] = ()  # other records involved (network indicators, corridor sources)

    def to_json(self) -> dict[str, Any]:
        """A JSON object; ``related`` only when there is something in it."""
        out: dict[str, Any] = {
            "record": self.record,
            "field": self.field,
            "value": self.value,
            "reported_by": self.reported_by,
            "verified": self.verified,
        }
        return {**out, "related": list(self.related)} if self.related else out


@dataclass(frozen=True)
class Fired:
    """One fired indicator with its grades (before and after the reliability downgrade) and evidence."""

    id: str
    dim: str
    base_grade: str | None
    grade: str | None
    counted: bool
    sources: tuple[str, ...]
    text: Mapping[str, str]  # {"en": ..., "es": ...}
    evidence: tuple[EvidenceLine, ...]

    def to_json(self) -> dict[str, Any]:
        """The api-core indicator shape plus dimension, base grade, counted, sources and both texts."""
        return {
            "id": self.id,
            "grade": self.grade,
            "reason": self.text["en"],
            "evidence": [line.to_json() for line in self.evidence],
            "dimension": self.dim,
            "base_grade": self.base_grade,
            "counted": self.counted,
            "sources": list(self.sources),
            "text": dict(self.text),
        }


@dataclass(frozen=True)
class Missing:
    """An unknown fact that, turning out the worst plausible way, would raise the level."""

    field: str
    reason_code: str
    record: str = ""


@dataclass(frozen=True)
class Assessment:
    """Level 0 (no flag), 1 (review for indicators) or 2 (priority: possible trafficking), and why."""

    level: int
    minor: bool | None  # None: age unknown (adult rules applied)
    indicators: tuple[Fired, ...]  # counted indicators and the modifier V1
    counter_indicators: tuple[Fired, ...]  # K, display only
    context: tuple[Fired, ...]  # G, never counted
    dimensions: Mapping[str, bool]  # R, C, T, X, V, N and the destination group "D" -> positive
    missing: tuple[Missing, ...]
    rules_version: str
    next_step: str
    assessed_on: date

    def to_json(self) -> dict[str, Any]:
        """The api-core ``risk`` object, with extra keys."""
        return {
            "level": self.level,
            "indicators": [f.to_json() for f in self.indicators],
            "rules_version": self.rules_version,
            "minor": self.minor,
            "next_step": self.next_step,
            "counter_indicators": [f.to_json() for f in self.counter_indicators],
            "context": [f.to_json() for f in self.context],
            "dimensions": dict(self.dimensions),
            "missing": [{"field": m.field, "reason_code": m.reason_code, "record": m.record} for m in self.missing],
            "assessed_on": self.assessed_on.isoformat(),
        }
