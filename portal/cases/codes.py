"""Fixed vocabularies of claims: statuses, publication, sex, note visibility, circumstances.

The codes are the stable names of spec/api-core.md; the labels are what people read.
"""

from __future__ import annotations

from collections.abc import Iterable

from portal.i18n import lazy_gettext as _l
from portal.risk import facts

STATUSES = ("draft", "active", "located_alive", "located_deceased", "closed")
STATUS_LABELS = {
    "draft": _l("Draft (awaiting police validation)"),
    "active": _l("Active search"),
    "located_alive": _l("Found alive"),
    "located_deceased": _l("Found deceased"),
    "closed": _l("Closed"),
}
# Status changes an officer may make; draft -> active goes through validation.
STATUS_TRANSITIONS = {
    "draft": ("closed",),
    "active": ("located_alive", "located_deceased", "closed"),
    "located_alive": ("active", "closed"),
    "located_deceased": ("closed",),
    "closed": ("active",),
}

PUBLICATIONS = ("unpublished", "published", "withheld")
PUBLICATION_LABELS = {
    "unpublished": _l("Not published"),
    "published": _l("Published"),
    "withheld": _l("Withheld (publicity would endanger the person)"),
}

SEXES = ("F", "M")
SEX_LABELS = {"F": _l("Female"), "M": _l("Male"), "": _l("Unknown")}

# How a search word met a name (portal.matching.lookup.explain), as the results say it.
SEARCH_MATCH_LABELS = {
    "exact": _l("same name"),
    "phonetic": _l("sounds alike"),
    "nickname": _l("nickname"),
    "typo": _l("similar spelling"),
}

VISIBILITIES = ("public", "family", "police")
VISIBILITY_LABELS = {
    "public": _l("Public"),
    "family": _l("Family and police"),
    "police": _l("Police only"),
}

NOTE_KINDS = ("information", "status_change", "validation", "publication", "consent", "edit", "duplicate", "sighting")

CIRCUMSTANCES = (
    "job_offer",
    "job_offer_abroad",
    "study_or_modelling_offer",
    "new_partner",
    "online_contact",
    "travel_paid_by_third_party",
    "entrusted_to_non_parent",
    "abduction_witnessed",
    "child_sold_or_given",
    "threats_or_debt_to_family",
    "documents_held_by_other",
    "missing_from_state_care",
    "prior_disappearances",
    "runaway_after_conflict",
)
CIRCUMSTANCE_LABELS = {
    "job_offer": _l("Left for a job offer"),
    "job_offer_abroad": _l("Left for a job offer abroad"),
    "study_or_modelling_offer": _l("Offer of study, a scholarship, modelling or a contest"),
    "new_partner": _l("Left with a new partner or a promise of marriage"),
    "online_contact": _l("Was in contact with someone unknown online"),
    "travel_paid_by_third_party": _l("Someone else paid for the journey"),
    "entrusted_to_non_parent": _l("The child was entrusted to someone who is not a parent"),
    "abduction_witnessed": _l("Someone saw the person being taken"),
    "child_sold_or_given": _l("The child was sold or given away"),
    "threats_or_debt_to_family": _l("The family received threats or debt demands"),
    "documents_held_by_other": _l("Someone else holds the person's documents"),
    "missing_from_state_care": _l("Went missing from a shelter or state care"),
    "prior_disappearances": _l("Has disappeared before"),
    "runaway_after_conflict": _l("Left home after a family conflict"),
}

# The offer the person left for (portal.risk.facts.Offer): the engine's codes, the family's words.
OFFER_TYPE_LABELS = {
    "job": _l("A job"),
    "study": _l("Study or a scholarship"),
    "modelling": _l("Modelling"),
    "casting": _l("A casting (film, television, music)"),
    "pageant": _l("A beauty contest"),
    "sports": _l("Sports (a club, a trial)"),
    "sponsorship": _l("Sponsorship or a 'godparent' who would pay for things"),
    "marriage": _l("Marriage or living together"),
    "other": _l("Something else"),
}
OFFER_SECTOR_LABELS = {
    "bar": _l("Bar or cantina"),
    "nightclub": _l("Nightclub or karaoke"),
    "massage": _l("Massage or spa"),
    "domestic_live_in": _l("Domestic work, living in the employer's home"),
    "mining": _l("Mining"),
    "agriculture": _l("Farm work or harvest"),
    "fishing": _l("Fishing"),
    "garment": _l("Sewing or a garment workshop"),
    "call_centre": _l("Call centre"),
    "hospitality": _l("Restaurant, hotel or shop"),
    "construction": _l("Construction"),
    "other": _l("Other work"),
}
TRAVEL_PAYER_LABELS = {
    "self": _l("The person paid"),
    "family": _l("The family paid"),
    "recruiter": _l("The person who made the offer paid"),
    "employer": _l("The future employer paid"),
    "unknown": _l("We do not know"),
}
CONTACT_METHOD_LABELS = {
    "online": _l("On the internet or social media"),
    "in_person": _l("In person"),
    "phone": _l("By phone"),
}
# Yes / no / unknown questions: the form's codes and the stored values (None is "we do not know").
YES_NO = ("yes", "no", "unknown")
YES_NO_LABELS = {"yes": _l("Yes"), "no": _l("No"), "unknown": _l("We do not know")}

IDENTIFIER_KIND_LABELS = {
    "phone": _l("Phone number"),
    "social_handle": _l("Social-media account"),
    "vehicle_plate": _l("Vehicle plate"),
}
MAX_RECRUITERS_ON_FORM = 3

OCCUPATIONS = ("student", "domestic_worker", "agricultural_worker", "street_vendor", "other")
OCCUPATION_LABELS = {
    "student": _l("Student"),
    "domestic_worker": _l("Domestic worker"),
    "agricultural_worker": _l("Farm worker"),
    "street_vendor": _l("Street vendor"),
    "other": _l("Other work"),
}

# Flags an officer sets on a police note (portal.risk.facts.NOTE_FLAGS), in plain words.
NOTE_FLAG_LABELS = {
    "job_differs": _l("The work found is not the one promised"),
    "threatened": _l("The person or the family were threatened"),
    "asked_for_money": _l("The family was asked to pay a 'debt'"),
    "documents_taken": _l("Someone else holds the person's documents"),
    "third_party_present": _l("Someone listened in or was present during the contact"),
    "coached": _l("The answers seemed dictated"),
    "location_unknown": _l("The person does not know where they are"),
    "owes_debt": _l("The person says they owe a debt"),
    "cannot_leave": _l("The person says they cannot leave"),
    "reports_violence": _l("The person reports physical or sexual violence"),
    "long_hours": _l("Excessive working hours, no days off"),
    "no_pay": _l("No pay or very low pay, or earnings taken"),
    "forced_criminality": _l("Made to sell drugs, steal or run scams"),
    "located_no_indicators": _l("Located; safeguarding interview found no indicators"),
    "voluntary_confirmed": _l("A voluntary reason was confirmed by direct police contact"),
    "communicates_freely": _l("Communicates freely, knows the address, was unaccompanied"),
    "employer_verified": _l("Employer and contract verified by labour inspection"),
}


def check_same_codes(ours: Iterable[str], engine: Iterable[str]) -> None:
    """Fail at import when our codes (or a label table's keys) and the engine's differ: no page shows a raw code."""
    differ = set(ours) ^ set(engine)
    if differ:
        raise RuntimeError(f"codes known on one side only: {sorted(differ)}")


check_same_codes(OFFER_TYPE_LABELS, set(facts.OFFER_TYPES) - {""})
check_same_codes(OFFER_SECTOR_LABELS, set(facts.OFFER_SECTORS) - {""})
check_same_codes(TRAVEL_PAYER_LABELS, set(facts.TRAVEL_PAYERS) - {""})
check_same_codes(CONTACT_METHOD_LABELS, set(facts.CONTACT_METHODS) - {""})
check_same_codes(IDENTIFIER_KIND_LABELS, facts.IDENTIFIER_KINDS)
check_same_codes(NOTE_FLAG_LABELS, facts.NOTE_FLAGS)
