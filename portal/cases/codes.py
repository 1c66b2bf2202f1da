"""Fixed vocabularies of claims: statuses, publication, sex, note visibility, circumstances.

The codes are the stable names of spec/api-core.md; the labels are what people read.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

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

VISIBILITIES = ("public", "family", "police")
VISIBILITY_LABELS = {
    "public": _l("Public"),
    "family": _l("Family and police"),
    "police": _l("Police only"),
}

NOTE_KINDS = ("information", "status_change", "validation", "publication", "consent", "edit", "duplicate", "sighting")

CIRCUMSTANCES = (
    "job_offer", "job_offer_abroad", "study_or_modelling_offer", "new_partner", "online_contact",
    "travel_paid_by_third_party", "entrusted_to_non_parent", "abduction_witnessed",
    "child_sold_or_given", "threats_or_debt_to_family", "documents_held_by_other",
    "missing_from_state_care", "prior_disappearances", "runaway_after_conflict",
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
