"""Venue and companion codes of sightings (spec/api-core.md) with their labels."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

VENUES = (
    "bar", "nightclub", "brothel", "massage_parlour", "hotel", "mine", "agricultural_camp",
    "fishing_vessel", "workshop", "domestic_work", "street_begging", "border_crossing",
    "bus_terminal", "online_ad", "street", "other",
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
