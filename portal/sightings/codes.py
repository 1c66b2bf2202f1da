"""Venue and companion codes of sightings (spec/api-core.md) with their labels."""

from __future__ import annotations

from portal.cases.codes import check_same_codes
from portal.i18n import lazy_gettext as _l
from portal.risk import facts

VENUES = (
    "bar",
    "nightclub",
    "brothel",
    "massage_parlour",
    "hotel",
    "mine",
    "agricultural_camp",
    "fishing_vessel",
    "workshop",
    "domestic_work",
    "street_begging",
    "border_crossing",
    "bus_terminal",
    "online_ad",
    "street",
    "other",
)
VENUE_LABELS = {
    "bar": _l("Bar or cantina"),
    "nightclub": _l("Nightclub or karaoke"),
    "brothel": _l("Brothel"),
    "massage_parlour": _l("Massage parlour"),
    "hotel": _l("Hotel or lodging"),
    "mine": _l("Mine or mining camp"),
    "agricultural_camp": _l("Farm or harvest camp"),
    "fishing_vessel": _l("Fishing boat"),
    "workshop": _l("Workshop or factory"),
    "domestic_work": _l("Working in a private home"),
    "street_begging": _l("Begging or selling in the street"),
    "border_crossing": _l("Border crossing"),
    "bus_terminal": _l("Bus terminal"),
    "online_ad": _l("Advertisement on the internet"),
    "street": _l("In the street"),
    "other": _l("Somewhere else"),
}
COMPANIONS = ("none", "relative", "unrelated_adult", "older_partner", "group_of_minors", "guard_or_escort")
COMPANION_LABELS = {
    "none": _l("Alone"),
    "relative": _l("With a relative"),
    "unrelated_adult": _l("With an adult who is not a relative"),
    "older_partner": _l("With a much older partner"),
    "group_of_minors": _l("With a group of children or teenagers"),
    "guard_or_escort": _l("With someone watching or escorting them"),
}

# How the person seemed (portal.risk.facts.SIGHTING_CONDITIONS), in the words of a passer-by.
CONDITION_LABELS = {
    "injuries": _l("Hurt (bruises, wounds)"),
    "intoxicated": _l("Drunk or drugged"),
    "fearful": _l("Afraid"),
    "new_tattoo_or_brand": _l("A new tattoo or mark, as if someone owned them"),
    "escorted_or_guarded": _l("Watched or escorted by someone"),
    "others_speak_for_person": _l("Someone else answered for them"),
    "documents_held_by_other": _l("Someone else held their papers"),
    "long_hours": _l("Working very long hours or at odd hours"),
    "begging_supervised": _l("Begging while an adult watched"),
    "working": _l("Working there"),
}
FREE_TO_LEAVE_LABELS = {"yes": _l("Yes"), "no": _l("No"), "unknown": _l("I don't know")}
FREE_TO_LEAVE = ("yes", "no", "unknown")

check_same_codes(CONDITION_LABELS, facts.SIGHTING_CONDITIONS)
check_same_codes(FREE_TO_LEAVE, set(facts.FREE_TO_LEAVE) - {""})
