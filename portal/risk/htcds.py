"""A tested crosswalk from the portal's codes to the IOM Human Trafficking Case Data Standard (HTCDS).

The portal's codes stay: they are finer-grained than HTCDS where the indicators need it (sector "bar" vs
"massage", a sighting "fearful" that fires nothing alone, counter-indicators). This module only translates,
where a faithful HTCDS equivalent exists, so that the police can hand a case's facts to an anti-trafficking
unit whose case-management system uses HTCDS (docs/decisions.md, entry 21).

Field names and values are copied from github.com/UNMigration/HTCDS, "HTCDS Field Reference.md". Every code
of the portal's vocabularies is either in a crosswalk below or in an ``UNMAPPED_*`` table with the reason.

``vic_MethodOfRecruitment`` is deliberately NOT used: its value identifiers are ambiguous in that file (labels
such as "Job offer/advertisement" rather than stable identifiers), so the offer type and contact method have
no HTCDS counterpart here.

Pure: standard library and ``portal.risk.facts`` only (DESIGN.md rule 4). No name of the person is ever output.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from .facts import EXPLOITATION_VENUES, Case, SightingFacts

# ---------------------------------------------------------------- HTCDS fields and their values

METHODS_OF_CONTROL = "vic_MethodsOfControl"
LABOUR_EXPLOITATION = "vic_TypeOfLabourExploitation"
SEX_EXPLOITATION = "vic_TypeOfSexExploitation"
RECRUITMENT_WEBSITES_AND_APPS = "vic_RecruitmentWebsitesAndApps"
ROLE_IN_PROCESS = "per_RoleInProcess"
MOBILE_PHONE = "prs_MobilePhone"
GENDER = "prs_Gender"
HTE_TYPE, HTE_COUNTRY, HTE_CITY, HTE_DATE = "hte_Type", "hte_Country", "hte_City", "hte_Date"

METHODS_OF_CONTROL_VALUES = (
    "DebtBondage",
    "TakesEarnings",
    "RestrictsFinancialAccess",
    "Threats",
    "PsychologicalAbuse",
    "PhysicalAbuse",
    "SexualAbuse",
    "FalsePromises",
    "PsychoactiveSubstances",
    "RestrictsMovement",
    "RestrictsMedicalCare",
    "ExcessiveWorkingHours",
    "UsesChildren",
    "ThreatOfLawEnforcement",
    "WithholdsNecessities",
    "WithholdsDocuments",
    "Other",
)
LABOUR_EXPLOITATION_VALUES = (
    "Agriculture",
    "Aquafarming",
    "Begging",
    "Construction",
    "DomesticWork",
    "Hospitality",
    "IllicitActivities",
    "Manufacturing",
    "MiningOrDrilling",
    "Peddling",
    "Transportation",
    "Other",
)
SEX_EXPLOITATION_VALUES = ("Prostitution", "Pornography", "RemoteInteractiveServices", "PrivateSexualServices")
RECRUITMENT_WEBSITES_AND_APPS_VALUES = (
    "Facebook",
    "Instagram",
    "WhatsApp",
    "Telegram",
    "FacebookMessenger",
    "Viber",
    "SnapChat",
    "Line",
    "4Sale",
    "WeChat",
    "QQ",
    "QZone",
    "TikTok",
    "Twitter",
    "Other",
)
ROLE_IN_PROCESS_VALUES = (
    "TravellingPartner",
    "Transporter",
    "RecruiterOrIntermediary",
    "BrokerTravelAgent",
    "TransferredIndividual",
    "HarbouredIndividual",
    "SoldIndividual",
    "BoughtIndividual",
    "ReceivedIndividual",
    "ControlledIndividual",
    "Smuggler",
    "Abuser",
    "Kidnapper",
    "Exploiter",
    "Other",
)
HTE_TYPE_VALUES = ("Recruitment", "Transit", "Exploitation")
GENDER_VALUES = ("Male", "Female", "Transgender/NonConforming", "Unknown")
E164 = re.compile(r"^\+?[1-9]\d{1,14}$")  # prs_MobilePhone

# Fields with a closed list of values, for checking the crosswalks.
FIELD_VALUES: dict[str, tuple[str, ...]] = {
    METHODS_OF_CONTROL: METHODS_OF_CONTROL_VALUES,
    LABOUR_EXPLOITATION: LABOUR_EXPLOITATION_VALUES,
    SEX_EXPLOITATION: SEX_EXPLOITATION_VALUES,
    RECRUITMENT_WEBSITES_AND_APPS: RECRUITMENT_WEBSITES_AND_APPS_VALUES,
    ROLE_IN_PROCESS: ROLE_IN_PROCESS_VALUES,
    HTE_TYPE: HTE_TYPE_VALUES,
    GENDER: GENDER_VALUES,
}

Pairs = tuple[tuple[str, str], ...]  # (HTCDS field, value), one code may give several

# ---------------------------------------------------------------- crosswalks: portal code -> HTCDS

NOTE_FLAGS: dict[str, Pairs] = {
    "threatened": ((METHODS_OF_CONTROL, "Threats"),),
    # The family is asked to pay a "debt" for the person: the same fact as the claim circumstance
    # threats_or_debt_to_family, mapped to DebtBondage below.
    "asked_for_money": ((METHODS_OF_CONTROL, "DebtBondage"),),
    "documents_taken": ((METHODS_OF_CONTROL, "WithholdsDocuments"),),
    "owes_debt": ((METHODS_OF_CONTROL, "DebtBondage"),),
    "cannot_leave": ((METHODS_OF_CONTROL, "RestrictsMovement"),),
    # "physical or sexual violence": we cannot tell which, so only PhysicalAbuse, never SexualAbuse.
    "reports_violence": ((METHODS_OF_CONTROL, "PhysicalAbuse"),),
    "long_hours": ((METHODS_OF_CONTROL, "ExcessiveWorkingHours"),),
    "no_pay": ((METHODS_OF_CONTROL, "TakesEarnings"),),
    "forced_criminality": ((LABOUR_EXPLOITATION, "IllicitActivities"),),
}
UNMAPPED_NOTE_FLAGS: dict[str, str] = {
    # FalsePromises is a method of control; a job different from the one promised may also be a changed job.
    "job_differs": "the work differs from the promise; HTCDS FalsePromises would assert deception",
    "third_party_present": "no HTCDS method of control for a third party listening in",
    "coached": "no HTCDS method of control for dictated answers",
    "location_unknown": "no HTCDS value for a person not knowing where they are",
    "located_no_indicators": "a counter-indicator; HTCDS records no absence of indicators",
    "voluntary_confirmed": "a counter-indicator; no HTCDS field",
    "communicates_freely": "a counter-indicator; no HTCDS field",
    "employer_verified": "a counter-indicator; no HTCDS field",
}

SIGHTING_CONDITIONS: dict[str, Pairs] = {
    "intoxicated": ((METHODS_OF_CONTROL, "PsychoactiveSubstances"),),
    "documents_held_by_other": ((METHODS_OF_CONTROL, "WithholdsDocuments"),),
    "escorted_or_guarded": ((METHODS_OF_CONTROL, "RestrictsMovement"),),
    "long_hours": ((METHODS_OF_CONTROL, "ExcessiveWorkingHours"),),
    "begging_supervised": ((LABOUR_EXPLOITATION, "Begging"),),
}
UNMAPPED_SIGHTING_CONDITIONS: dict[str, str] = {
    # An observer saw injuries, not who caused them: PhysicalAbuse would assert abuse.
    "injuries": "visible injuries do not say who caused them; PhysicalAbuse would assert abuse",
    "fearful": "an impression; no HTCDS value",
    "new_tattoo_or_brand": "no HTCDS value for a mark of ownership",
    "others_speak_for_person": "no HTCDS method of control for someone answering for the person",
    "working": "says nothing about the kind of work without the venue",
}

# The offer's promised sector. HTCDS names the sector of exploitation; the promised sector is recorded there
# only where the same industry has an HTCDS value.
OFFER_SECTORS: dict[str, Pairs] = {
    "agriculture": ((LABOUR_EXPLOITATION, "Agriculture"),),
    "construction": ((LABOUR_EXPLOITATION, "Construction"),),
    "domestic_live_in": ((LABOUR_EXPLOITATION, "DomesticWork"),),
    "hospitality": ((LABOUR_EXPLOITATION, "Hospitality"),),
    "mining": ((LABOUR_EXPLOITATION, "MiningOrDrilling"),),
    "garment": ((LABOUR_EXPLOITATION, "Manufacturing"),),
}
UNMAPPED_OFFER_SECTORS: dict[str, str] = {
    # The indicators read bar/nightclub/massage as sexual-exploitation risk; Hospitality would hide that, and
    # a vic_TypeOfSexExploitation value would assert what nobody has seen.
    "bar": "no faithful HTCDS value (Hospitality hides the indicator; sex exploitation is not known)",
    "nightclub": "no faithful HTCDS value (Hospitality hides the indicator; sex exploitation is not known)",
    "massage": "no HTCDS labour sector; sex exploitation is not known",
    # Aquafarming is fish farming, not fishing at sea.
    "fishing": "HTCDS Aquafarming is fish farming, not fishing",
    # A call centre may run scams (IllicitActivities) or be legitimate: we cannot tell.
    "call_centre": "no HTCDS sector; IllicitActivities would assert scams",
    "other": "unknown sector; HTCDS Other would add nothing",
}

# vic_MethodOfRecruitment is not used (ambiguous value identifiers), so no offer type is mapped.
UNMAPPED_OFFER_TYPES: dict[str, str] = dict.fromkeys(
    ("job", "study", "modelling", "casting", "pageant", "sports", "sponsorship", "marriage", "other"),
    "vic_MethodOfRecruitment is not used: its value identifiers are ambiguous",
)

CIRCUMSTANCES: dict[str, Pairs] = {
    "threats_or_debt_to_family": ((METHODS_OF_CONTROL, "Threats"), (METHODS_OF_CONTROL, "DebtBondage")),
    "documents_held_by_other": ((METHODS_OF_CONTROL, "WithholdsDocuments"),),
}
UNMAPPED_CIRCUMSTANCES: dict[str, str] = {
    "job_offer": "vic_MethodOfRecruitment is not used",
    "job_offer_abroad": "vic_MethodOfRecruitment is not used",
    "study_or_modelling_offer": "vic_MethodOfRecruitment is not used",
    "new_partner": "vic_MethodOfRecruitment is not used",
    # vic_RecruitmentWebsitesAndApps needs the platform, which the circumstance does not say.
    "online_contact": "the platform is not known (vic_RecruitmentWebsitesAndApps)",
    "travel_paid_by_third_party": "no HTCDS field",
    "entrusted_to_non_parent": "no HTCDS field",
    # per_RoleInProcess Kidnapper / SoldIndividual describe a person's role, which is not known from this.
    "abduction_witnessed": "per_RoleInProcess Kidnapper would describe a person not identified",
    "child_sold_or_given": "per_RoleInProcess SoldIndividual is a role in a recorded process, not known here",
    "missing_from_state_care": "a vulnerability; no HTCDS field",
    "prior_disappearances": "a vulnerability; no HTCDS field",
    "runaway_after_conflict": "a vulnerability; no HTCDS field",
}

# Recruiter identifiers: a phone is prs_MobilePhone (E.164); HTCDS has no field for a social handle (and
# vic_RecruitmentWebsitesAndApps needs the platform, which a handle does not say) nor for a vehicle plate,
# so these go under portal-named keys.
IDENTIFIER_FIELDS = {"phone": MOBILE_PHONE}
UNMAPPED_IDENTIFIER_KINDS: dict[str, str] = {
    "social_handle": "no HTCDS field; output as portal:social_handle",
    "vehicle_plate": "no HTCDS field; output as portal:vehicle_plate",
}

# Sightings at facts.EXPLOITATION_VENUES are Exploitation events, the others Transit.

GENDERS = {"F": "Female", "M": "Male", "": "Unknown"}  # claim sex -> prs_Gender
RECRUITER = "RecruiterOrIntermediary"


# ---------------------------------------------------------------- the view


def _event(kind: str, country: str, when: date | None) -> dict[str, str]:
    event = {HTE_TYPE: kind}
    if country:
        event[HTE_COUNTRY] = country
    if when is not None:
        event[HTE_DATE] = when.isoformat()
    return event


def _sighting_event(s: SightingFacts) -> dict[str, str]:
    return _event("Exploitation" if s.venue in EXPLOITATION_VENUES else "Transit", s.country, s.event_date)


def _recruiter(kind: str, value: str) -> dict[str, str]:
    if kind == "phone" and E164.match("+" + value):
        return {ROLE_IN_PROCESS: RECRUITER, MOBILE_PHONE: "+" + value}
    # A national number with a trunk "0" is not E.164: kept under a portal key, as typed (normalised).
    return {ROLE_IN_PROCESS: RECRUITER, f"portal:{kind}": value}


def _unique(items: list[dict[str, str]]) -> list[dict[str, str]]:
    seen = {tuple(sorted(item.items())): item for item in items}
    return [seen[key] for key in sorted(seen)]


def htcds_view(case: Case) -> dict[str, Any]:
    """The HTCDS view of a case: methods of control, labour sectors, recruiters, events, and what has none.

    Only confirmed sightings are read (a candidate may be someone else). No name of the person is output.
    """
    claim = case.claim
    confirmed = [s for s in case.sightings if s.link == "confirmed"]
    values: dict[str, set[str]] = {METHODS_OF_CONTROL: set(), LABOUR_EXPLOITATION: set()}
    unmapped: set[str] = set()

    def read(codes: tuple[str, ...] | list[str], crosswalk: dict[str, Pairs], what: str) -> None:
        for code in codes:
            if not code:
                continue
            if code in crosswalk:
                for field, value in crosswalk[code]:
                    values[field].add(value)
            else:
                unmapped.add(f"{what}:{code}")

    read(claim.circumstances, CIRCUMSTANCES, "circumstance")
    if claim.offer is not None:
        read([claim.offer.sector], OFFER_SECTORS, "offer.sector")
        read([claim.offer.type], {}, "offer.type")
        if claim.offer.documents_handed_over:
            values[METHODS_OF_CONTROL].add("WithholdsDocuments")
        if claim.offer.debt_mentioned:
            values[METHODS_OF_CONTROL].add("DebtBondage")
    for note in case.notes:
        read(note.flags, NOTE_FLAGS, "note_flag")
    for s in confirmed:
        read(s.conditions, SIGHTING_CONDITIONS, "condition")

    recruiters = _unique([_recruiter(i.kind, i.value) for i in claim.recruiters])
    unmapped |= {f"identifier:{i.kind}" for i in claim.recruiters if i.kind not in IDENTIFIER_FIELDS}
    events = [_event("Recruitment", claim.country, claim.event_date)] + [_sighting_event(s) for s in confirmed]
    return {
        GENDER: GENDERS.get(claim.sex, "Unknown"),
        METHODS_OF_CONTROL: sorted(values[METHODS_OF_CONTROL]),
        LABOUR_EXPLOITATION: sorted(values[LABOUR_EXPLOITATION]),
        ROLE_IN_PROCESS: [RECRUITER] if recruiters else [],
        "recruiters": recruiters,
        "hte": sorted(
            _unique(events),
            key=lambda e: (e.get(HTE_DATE, "9999"), HTE_TYPE_VALUES.index(e[HTE_TYPE]), e.get(HTE_COUNTRY, "")),
        ),
        "unmapped": sorted(unmapped),
    }
