"""The flag card and the flagged-cases list as the pages show them: translated labels, evidence lines.

Indicator texts come from the rules file in English and Spanish; other languages read the English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from portal.cases.codes import CIRCUMSTANCE_LABELS
from portal.cases.models import Claim
from portal.flags import decisions
from portal.flags.models import RiskAssessment, RiskReview
from portal.i18n import get_locale
from portal.i18n import lazy_gettext as _l
from portal.sightings.codes import COMPANION_LABELS, VENUE_LABELS
from portal.template_helpers import country_name, label

LEVEL_LABELS = {
    0: _l("No trafficking indicators"),
    1: _l("Review for trafficking indicators"),
    2: _l("Priority: possible trafficking"),
}
GRADE_LABELS = {"S": _l("strong"), "M": _l("medium"), "W": _l("weak"), "mod": _l("aggravating factor")}
REPORTER_LABELS = {
    "family": _l("reported by the family"),
    "police": _l("reported by the police"),
    "public": _l("reported by a member of the public"),
    "system": _l("computed by the portal"),
}
FIELD_LABELS = {
    "circumstances": _l("Circumstances"),
    "country": _l("Country"),
    "venue": _l("Kind of place"),
    "companion": _l("With whom"),
    "age": _l("Age when last seen"),
    "event_date": _l("Date"),
    "reporter_relation": _l("Relation to the person"),
    "flags": _l("Police note"),
}
MISSING_LABELS = {
    "age_unknown": _l("The age of the person is unknown."),
    "offer_detail_unknown": _l("Details of the offer (sector, who paid the travel, debts, documents) are unknown."),
    "recruiter_identifier_unknown": _l("No phone, social media account or plate of the recruiter is recorded."),
    "prior_disappearance_count_unknown": _l("How often the person went missing before is unknown."),
    "venue_unknown": _l("The kind of place where the person was seen is unknown."),
    "companion_unknown": _l("Who was with the person when seen is unknown."),
    "free_to_leave_unknown": _l("Whether the person seemed free to leave is unknown."),
    "sighting_match_unconfirmed": _l("An officer has not yet confirmed that a sighting is this person."),
    "sighting_unverified": _l("A sighting's report has not been verified by the police."),
}
NEXT_STEP_LABELS = {
    "none": "",
    "review_indicators": _l("Review the indicators and complete the missing information."),
    "priority_contact_anti_trafficking_unit": _l("Contact the national anti-trafficking unit as a priority."),
}
ACTION_LABELS = {
    "escalate": _l("Escalated"),
    "dismiss": _l("Dismissed"),
    "refer": _l("Referred to the national anti-trafficking unit"),
}


@dataclass
class Evidence:
    """One evidence line: what, which value, who reported it, verified or not."""

    what: str
    value: str
    source: str
    verified: bool


@dataclass
class Indicator:
    """A fired indicator in the reader's language."""

    id: str
    text: str
    grade: str
    counted: bool
    evidence: list[Evidence]
    sources: list[str]


@dataclass
class Card:
    """Everything the flag card shows."""

    assessment: RiskAssessment
    level: int
    level_text: str
    minor: bool
    indicators: list[Indicator]
    context: list[Indicator]
    counter: list[Indicator]
    missing: list[str]
    next_step: str
    reviews: list[RiskReview]
    can_decide: bool
    actions: dict[str, Any] = field(default_factory=lambda: ACTION_LABELS)


def _language() -> str:
    locale = get_locale()
    return "es" if locale is not None and locale.language == "es" else "en"


def _record(record: str) -> str:
    kind, _sep, number = record.partition(":")
    if kind == "sighting":
        return str(_l("Sighting no. %(n)s", n=number))
    if kind == "note":
        return str(_l("Note no. %(n)s", n=number))
    return str(_l("This claim"))


def _value(name: str, value: str) -> str:
    if name == "circumstances":
        return label(CIRCUMSTANCE_LABELS, value)
    if name == "venue":
        return label(VENUE_LABELS, value)
    if name == "companion":
        return label(COMPANION_LABELS, value)
    return country_name(value) or value if name == "country" else value


def _indicator(data: dict[str, Any], language: str) -> Indicator:
    texts = data.get("text") or {}
    evidence = [
        Evidence(
            f"{_record(e['record'])}: {label(FIELD_LABELS, e['field'])}",
            _value(e["field"], e["value"]),
            label(REPORTER_LABELS, e["reported_by"]),
            bool(e["verified"]),
        )
        for e in data.get("evidence", [])
    ]
    return Indicator(
        id=data["id"],
        text=texts.get(language) or texts.get("en") or data.get("reason", ""),
        grade=label(GRADE_LABELS, data.get("grade")),
        counted=bool(data.get("counted", True)),
        evidence=evidence,
        sources=list(data.get("sources", [])),
    )


def card(session: Session, user: Any, claim: Claim) -> Card | None:
    """The flag card of ``claim`` for ``user``, or None when they may not see it (or nothing is stored)."""
    found = decisions.risk_for(session, user, claim)
    if found is None:
        return None
    result, language = found.result, _language()
    return Card(
        assessment=found,
        level=found.level,
        level_text=str(LEVEL_LABELS.get(found.level, "")),
        minor=bool(result.get("minor")),
        indicators=[_indicator(i, language) for i in result.get("indicators", [])],
        context=[_indicator(i, language) for i in result.get("context", [])],
        counter=[_indicator(i, language) for i in result.get("counter_indicators", [])],
        missing=[label(MISSING_LABELS, m["reason_code"]) for m in result.get("missing", [])],
        next_step=label(NEXT_STEP_LABELS, result.get("next_step")),
        reviews=decisions.history(session, claim.id),
        can_decide=decisions.may_decide(user, claim),
    )
