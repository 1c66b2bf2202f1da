"""The flag card and the flagged-cases list as the pages show them: translated labels, evidence lines.

Indicator texts come from the rules file in English and Spanish; other languages read the English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from portal.cases.codes import (
    CIRCUMSTANCE_LABELS,
    CONTACT_METHOD_LABELS,
    IDENTIFIER_KIND_LABELS,
    NOTE_FLAG_LABELS,
    OCCUPATION_LABELS,
    OFFER_SECTOR_LABELS,
    OFFER_TYPE_LABELS,
    TRAVEL_PAYER_LABELS,
    check_same_codes,
)
from portal.cases.models import Claim
from portal.flags import decisions
from portal.flags.models import RiskAssessment, RiskReview
from portal.i18n import get_locale
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.risk import facts as risk_facts
from portal.sightings.codes import COMPANION_LABELS, CONDITION_LABELS, FREE_TO_LEAVE_LABELS, VENUE_LABELS
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
# The facts an evidence line names (portal/risk/triggers), as the claim and sighting pages label them.
FIELD_LABELS = {
    "circumstances": _l("Circumstances"),
    "country": _l("Country"),
    "venue": _l("Kind of place"),
    "companion": _l("With whom"),
    "conditions": _l("How the person seemed"),
    "free_to_leave": _l("Seemed free to leave"),
    "age": _l("Age when last seen"),
    "event_date": _l("Date"),
    "reporter_relation": _l("Relation to the person"),
    "occupation": _l("Occupation"),
    "prior_disappearances": _l("Times the person disappeared before"),
    "missing_from_state_care": _l("Missing from a children's home or state care"),
    "flags": _l("Police note"),
    "offer": _l("The same offer as other claims"),
    "offer.type": _l("What was offered"),
    "offer.sector": _l("Kind of work offered"),
    "offer.destination_country": _l("Where to"),
    "offer.contact_method": _l("How the offer was made"),
    "offer.travel_paid_by": _l("Who paid the journey"),
    "offer.documents_handed_over": _l("Documents handed over before leaving"),
    "offer.debt_mentioned": _l("A debt was mentioned"),
    "offer.employer_verified": _l("Employer verified"),
    "corridor": _l("Documented trafficking route"),
}
# Each coded field's labels; the yes/no facts come as "true" and "false" (portal.risk.evidence.as_text).
YES_NO_TEXT = {"true": _l("Yes"), "false": _l("No")}
# portal.flags.facts.relation_code: what the family typed, as the engine reads it.
RELATION_LABELS = {
    "parent": _l("Mother or father"),
    "relative": _l("Another relative"),
    "employer": _l("The employer"),
    "other": _l("Someone else"),
    "police": _l("The police"),
}
check_same_codes(RELATION_LABELS, set(risk_facts.REPORTER_RELATIONS) - {""})
VALUE_LABELS: dict[str, dict[str, Any]] = {
    "circumstances": CIRCUMSTANCE_LABELS,
    "venue": VENUE_LABELS,
    "companion": COMPANION_LABELS,
    "conditions": CONDITION_LABELS,
    "free_to_leave": FREE_TO_LEAVE_LABELS,
    "reporter_relation": RELATION_LABELS,
    "occupation": OCCUPATION_LABELS,
    "flags": NOTE_FLAG_LABELS,
    "offer.type": OFFER_TYPE_LABELS,
    "offer.sector": OFFER_SECTOR_LABELS,
    "offer.contact_method": CONTACT_METHOD_LABELS,
    "offer.travel_paid_by": TRAVEL_PAYER_LABELS,
    "offer.documents_handed_over": YES_NO_TEXT,
    "offer.debt_mentioned": YES_NO_TEXT,
    "offer.employer_verified": YES_NO_TEXT,
    "missing_from_state_care": YES_NO_TEXT,
}
COUNTRY_FIELDS = frozenset({"country", "offer.destination_country"})
# portal.flags.network.offer_keys (N3) and linked_venues (N2); the corridor of G1 is "BO->CL".
OFFER_KEY = re.compile(r"^destination (?P<country>[A-Z]{2}) · (?P<kind>sector|place) (?P<what>.+)$")
LINKED_VENUE = re.compile(r"^(?P<venue>[a-z_]+) · (?P<place>.+)$")
CORRIDOR = re.compile(r"^(?P<origin>[A-Z]{2})->(?P<destination>[A-Z]{2})$")
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


# The indicator list's source codes (risk/trafficking-indicators.yaml, its header), as an officer
# reads a citation. A code without a known title is shown as it is written in the list.
SOURCE_TITLES = {
    "ILO2009": _l("ILO/EC, Operational indicators of trafficking in human beings (2009)"),
    "UNODC-HTI": _l("UNODC, Human trafficking indicators"),
    "UNODC-TRACK4TIP": _l("UNODC, TRACK4TIP programme"),
    "TRACK4TIP": _l("UNODC, TRACK4TIP programme"),
    "PALERMO-3": _l("UN Trafficking in Persons Protocol (Palermo), article 3"),
    "POLARIS": _l("Polaris, “Recognize the signs”"),
    "NCMEC": _l("NCMEC, indicators of child sex trafficking"),
    "HTCDS2": _l("IOM, Human Trafficking Case Data Standard 2.0"),
    "CTDC": _l("Counter Trafficking Data Collaborative, codebook"),
    "GLOTIP": _l("UNODC, Global Report on Trafficking in Persons"),
    "TIP": _l("US Trafficking in Persons Report"),
    "OAS": _l("OAS, anti-trafficking section"),
    "OAS-DR-PR-2006": _l("OAS, trafficking from the Dominican Republic to Puerto Rico (2006)"),
    "OAS-JP-2006": _l("OAS, trafficking from Latin America to Japan (2006)"),
    "PESTRAF-2002": _l("PESTRAF, Brazil (2002)"),
    "IS2014": "Ibanez & Suthers (2014)",
    "DIG": "USC-ISI DIG",
    "MARINUS": "Marinus Analytics, Traffic Jam",
}
ISO3_COUNTRIES = {
    "BLZ": "BZ", "BOL": "BO", "CHL": "CL", "DOM": "DO", "ECU": "EC", "GTM": "GT", "NIC": "NI", "PER": "PE",
}  # fmt: skip
_GLOTIP_YEAR = re.compile(r"GLOTIP(\d{4})")


def source_title(code: str) -> str:
    """A readable citation for one of the indicator list's source codes."""
    if code in SOURCE_TITLES:
        return str(SOURCE_TITLES[code])
    if found := _GLOTIP_YEAR.fullmatch(code):
        return _("UNODC, Global Report on Trafficking in Persons %(year)s", year=found.group(1))
    if code.startswith("TIP-") and code[4:] in ISO3_COUNTRIES:
        return _("US Trafficking in Persons Report: %(country)s", country=country_name(ISO3_COUNTRIES[code[4:]]))
    return code


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
    missing: list[tuple[str, int]]  # what is unknown, and of how many sightings (0: not a sighting's)
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
    if kind == "rules":
        return str(_l("Indicator rules"))
    return str(_l("This claim"))


def _field(name: str) -> str:
    """What an evidence line is about; a recruiter's identifier is named by its kind ("Phone number")."""
    kind = name.removeprefix("recruiters.")
    if kind != name:
        return _("%(kind)s of the recruiter", kind=label(IDENTIFIER_KIND_LABELS, kind))
    return label(FIELD_LABELS, name)


def _value(name: str, value: str) -> str:
    """A fact's value in words: a code's label, a country's name; numbers and typed text as they are."""
    if name in COUNTRY_FIELDS:
        return country_name(value) or value
    if name == "offer" and (key := OFFER_KEY.match(value)):
        country = country_name(key["country"])
        if key["kind"] == "sector":
            return _("%(work)s in %(country)s", work=label(OFFER_SECTOR_LABELS, key["what"]), country=country)
        return _("%(place)s, %(country)s", place=key["what"].title(), country=country)
    if name == "venue" and (linked := LINKED_VENUE.match(value)):  # N2: "bar · el alto"
        return _("%(venue)s in %(place)s", venue=label(VENUE_LABELS, linked["venue"]), place=linked["place"].title())
    if name == "corridor" and (route := CORRIDOR.match(value)):
        return _(
            "from %(origin)s to %(destination)s",
            origin=country_name(route["origin"]),
            destination=country_name(route["destination"]),
        )
    return label(VALUE_LABELS[name], value) if name in VALUE_LABELS else value


def _indicator(data: dict[str, Any], language: str) -> Indicator:
    texts = data.get("text") or {}
    evidence = [
        Evidence(
            f"{_record(e['record'])}: {_field(e['field'])}",
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
        sources=[source_title(code) for code in data.get("sources", [])],
    )


def _missing(missing: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """Each kind of missing fact once, in the order found, with the number of sightings it concerns: a
    claim with hundreds of tips would otherwise list "the kind of place ... is unknown" hundreds of times."""
    records: dict[str, set[str]] = {}
    for m in missing:
        records.setdefault(str(m.get("reason_code", "")), set()).update([m["record"]] if m.get("record") else [])
    return [(label(MISSING_LABELS, code), len(found)) for code, found in records.items()]


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
        missing=_missing(result.get("missing", [])),
        next_step=label(NEXT_STEP_LABELS, result.get("next_step")),
        reviews=decisions.history(session, claim.id),
        can_decide=decisions.may_decide(user, claim),
    )
