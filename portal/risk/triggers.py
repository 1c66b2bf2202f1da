"""The trigger of every indicator: facts in, evidence lines (``Hit``s) out.

Each indicator of the YAML has a trigger here (``TRIGGERS``, in the file's order) that maps facts to
evidence lines, or is listed in ``NOT_CAPTURED`` (our facts cannot express it) or ``NEVER_EVALUATED``
(nationality- or ethnicity-adjacent: never a reason). Grades come from the YAML, not from the triggers;
``levels`` combines them.

The triggers of dimensions R, C, T and X and the counter-indicators K are defined here; those of V, N and
G live in ``triggers_vng`` (split for module size only) and are listed in ``TRIGGERS`` like the others.
"""

from __future__ import annotations

from collections.abc import Callable

from .evidence import Ctx, Hit, _circ, _claim_line, _condition, _notes, _one, _sighting_line, _sightings, _venue_in
from .facts import SightingFacts
from .results import EvidenceLine
from .triggers_vng import _g1, _n1, _n2, _n3, _v1, _v2, _v3, _v4


# ---------------------------------------------------------------- vocabularies read by triggers

STUDY_LIKE = frozenset({"study", "modelling", "casting", "pageant", "sports", "sponsorship"})
HIGH_RISK_SECTORS = frozenset(
    {"bar", "nightclub", "massage", "domestic_live_in", "mining", "agriculture", "fishing", "garment"}
)  # + "call_centre" when abroad (R7)
THIRD_PARTY_PAYERS = frozenset({"recruiter", "employer"})
SUSPECT_COMPANIONS = frozenset({"unrelated_adult", "older_partner", "guard_or_escort"})
MINOR_SEX_VENUES = frozenset({"bar", "nightclub", "brothel", "massage_parlour", "online_ad"})
ADULT_SEX_VENUES = frozenset({"brothel", "massage_parlour", "online_ad"})
HIGH_RISK_SITES = frozenset({"mine", "agricultural_camp", "fishing_vessel", "workshop", "street_begging"})
# Venues that show a kind of work; R1b compares them with the promised sector.
WORK_VENUES = frozenset(
    {
        "brothel",
        "massage_parlour",
        "online_ad",
        "mine",
        "agricultural_camp",
        "fishing_vessel",
        "workshop",
        "domestic_work",
        "street_begging",
    }
)
SECTOR_VENUES = {
    "bar": {"bar", "nightclub"},
    "nightclub": {"bar", "nightclub"},
    "massage": {"massage_parlour"},
    "domestic_live_in": {"domestic_work"},
    "mining": {"mine"},
    "agriculture": {"agricultural_camp"},
    "fishing": {"fishing_vessel"},
    "garment": {"workshop"},
    "call_centre": set(),
    "hospitality": {"hotel"},
    "construction": set(),
}
# N3_MIN_OTHERS (network) is defined with its trigger in triggers_vng.


# ---------------------------------------------------------------- triggers, in the YAML's order


def _r1(x: Ctx) -> list[Hit]:
    # R1 reads circumstances job_offer/job_offer_abroad and offer.type "job"; silent once
    # offer.employer_verified is true (the offer is then verifiable); adds the destination if known.
    offer = x.offer
    if offer.employer_verified:
        return []
    lines = _circ(x, "job_offer", "job_offer_abroad")
    lines += [_claim_line(x, "offer.type", "job")] if offer.type == "job" else []
    if lines and offer.employer_verified is False:
        lines.append(_claim_line(x, "offer.employer_verified", False))
    if lines and offer.destination_country:
        lines.append(_claim_line(x, "offer.destination_country", offer.destination_country))
    return _one(lines)


def _r1b(x: Ctx) -> list[Hit]:
    # R1b reads the note flag job_differs, and a sighting at a work venue (WORK_VENUES) that does not
    # fit the promise: the promised sector's venues, or none at all for a study/modelling-type offer.
    # A job offer with no sector (or "other") cannot be compared and fires nothing here.
    hits = _notes(x, "job_differs")
    offer = x.offer
    if offer.sector in SECTOR_VENUES:
        promise, fitting = [_claim_line(x, "offer.sector", offer.sector)], SECTOR_VENUES[offer.sector]
    elif offer.type in STUDY_LIKE or (not offer.type and "study_or_modelling_offer" in x.claim.circumstances):
        promise = [_claim_line(x, "offer.type", offer.type)] if offer.type else _circ(x, "study_or_modelling_offer")
        fitting = set()
    else:
        return hits
    return hits + _sightings(
        x,
        lambda s: (
            [*promise, _sighting_line(s, "venue", s.venue)] if s.venue in WORK_VENUES and s.venue not in fitting else []
        ),
    )


def _r2(x: Ctx) -> list[Hit]:
    # R2 reads circumstance study_or_modelling_offer and offer.type in STUDY_LIKE.
    offer = x.offer
    return _one(
        _circ(x, "study_or_modelling_offer")
        + ([_claim_line(x, "offer.type", offer.type)] if offer.type in STUDY_LIKE else [])
    )


def _r3(x: Ctx) -> list[Hit]:
    # R3 reads circumstance new_partner and offer.type "marriage".
    married = [_claim_line(x, "offer.type", "marriage")] if x.offer.type == "marriage" else []
    return _one(_circ(x, "new_partner") + married)


def _r4(x: Ctx) -> list[Hit]:
    # R4 reads circumstance online_contact and offer.contact_method "online"; escalated (escalate_to)
    # when an offer (offer circumstance or offer.type) or travel paid by a third party is also present:
    # our reading of "contact offered job/travel/money/gifts".
    offer = x.offer
    lines = _circ(x, "online_contact")
    lines += [_claim_line(x, "offer.contact_method", "online")] if offer.contact_method == "online" else []
    if not lines:
        return []
    why = _circ(x, "job_offer", "job_offer_abroad", "study_or_modelling_offer", "travel_paid_by_third_party")
    why += [_claim_line(x, "offer.type", offer.type)] if offer.type else []
    why += (
        [_claim_line(x, "offer.travel_paid_by", offer.travel_paid_by)]
        if offer.travel_paid_by in THIRD_PARTY_PAYERS
        else []
    )
    return _one(lines + why, "escalated" if why else "")


def _r5(x: Ctx) -> list[Hit]:
    # R5 reads circumstance travel_paid_by_third_party, offer.travel_paid_by recruiter/employer, offer.debt_mentioned.
    offer = x.offer
    lines = _circ(x, "travel_paid_by_third_party")
    lines += (
        [_claim_line(x, "offer.travel_paid_by", offer.travel_paid_by)]
        if offer.travel_paid_by in THIRD_PARTY_PAYERS
        else []
    )
    lines += [_claim_line(x, "offer.debt_mentioned", True)] if offer.debt_mentioned else []
    return _one(lines)


def _r6(x: Ctx) -> list[Hit]:
    # R6 reads circumstance entrusted_to_non_parent (minors only: the adult grade is null).
    return _one(_circ(x, "entrusted_to_non_parent"))


def _r7(x: Ctx) -> list[Hit]:
    # R7 reads offer.sector: HIGH_RISK_SECTORS (nightclub read as a bar), or call_centre abroad
    # (offer.abroad or circumstance job_offer_abroad; countries are not compared here, so that only
    # T1 and G1 ever read a country: the portal sets offer.abroad from the destination).
    offer = x.offer
    abroad = bool(offer.abroad or "job_offer_abroad" in x.claim.circumstances)
    if offer.sector in HIGH_RISK_SECTORS or (offer.sector == "call_centre" and abroad):
        return _one([_claim_line(x, "offer.sector", offer.sector)])
    return []


def _c1(x: Ctx) -> list[Hit]:
    # C1 reads circumstance abduction_witnessed.
    return _one(_circ(x, "abduction_witnessed"))


def _c2(x: Ctx) -> list[Hit]:
    # C2 reads circumstance child_sold_or_given.
    return _one(_circ(x, "child_sold_or_given"))


def _c3(x: Ctx) -> list[Hit]:
    # C3 reads circumstance threats_or_debt_to_family and note flags threatened / asked_for_money.
    return _one(_circ(x, "threats_or_debt_to_family")) + _notes(x, "threatened", "asked_for_money")


def _c4(x: Ctx) -> list[Hit]:
    # C4 reads circumstance documents_held_by_other, note flag documents_taken, sighting condition
    # documents_held_by_other (all at the base grade), and offer.documents_handed_over before
    # departure (the YAML's pre_departure grade).
    handed = [_claim_line(x, "offer.documents_handed_over", True)] if x.offer.documents_handed_over else []
    return (
        _one(_circ(x, "documents_held_by_other"))
        + _notes(x, "documents_taken")
        + _sightings(x, _condition("documents_held_by_other"))
        + _one(handed, "pre_departure")
    )


def _c5(x: Ctx) -> list[Hit]:
    # C5 reads note flags third_party_present / coached / location_unknown and sighting condition
    # others_speak_for_person.
    return _notes(x, "third_party_present", "coached", "location_unknown") + _sightings(
        x, _condition("others_speak_for_person")
    )


def _c6(x: Ctx) -> list[Hit]:
    # C6 reads note flags owes_debt / cannot_leave (either suffices).
    return _notes(x, "owes_debt", "cannot_leave")


def _c7(x: Ctx) -> list[Hit]:
    # C7 reads note flag reports_violence and sighting condition injuries.
    return _notes(x, "reports_violence") + _sightings(x, _condition("injuries"))


def _c8(x: Ctx) -> list[Hit]:
    # C8 reads sighting condition new_tattoo_or_brand (the claim's marks are free text: not read).
    return _sightings(x, _condition("new_tattoo_or_brand"))


def _c9(x: Ctx) -> list[Hit]:
    # C9 reads sighting condition intoxicated.
    return _sightings(x, _condition("intoxicated"))


def _t1(x: Ctx) -> list[Hit]:
    # T1 reads sighting.country against claim.country (both known, different) and the dates: a
    # sighting dated before the disappearance does not count; the same day or an unknown date does.
    claim = x.claim

    def crossed(s: SightingFacts) -> list[EvidenceLine]:
        if not (s.country and claim.country and s.country != claim.country):
            return []
        if s.event_date and claim.event_date and s.event_date < claim.event_date:
            return []
        return [_claim_line(x, "country", claim.country), _sighting_line(s, "country", s.country)]

    return _sightings(x, crossed)


def _t2(x: Ctx) -> list[Hit]:
    # T2 reads sighting.companion: for a minor unrelated_adult / older_partner / guard_or_escort; for
    # an adult (grade W) only older_partner / guard_or_escort, since adults are normally with other adults.
    companions = SUSPECT_COMPANIONS if x.minor else SUSPECT_COMPANIONS - {"unrelated_adult"}
    return _sightings(x, lambda s: [_sighting_line(s, "companion", s.companion)] if s.companion in companions else [])


def _x1(x: Ctx) -> list[Hit]:
    # X1 (minors) reads sighting.venue in MINOR_SEX_VENUES (bar and nightclub included: a child there
    # is the commercial-sex context NCMEC describes), and a hotel only with a SUSPECT_COMPANIONS companion.
    def seen(s: SightingFacts) -> list[EvidenceLine]:
        if s.venue in MINOR_SEX_VENUES:
            return [_sighting_line(s, "venue", s.venue)]
        if s.venue == "hotel" and s.companion in SUSPECT_COMPANIONS:
            return [_sighting_line(s, "venue", s.venue), _sighting_line(s, "companion", s.companion)]
        return []

    return _sightings(x, seen)


def _x2(x: Ctx) -> list[Hit]:
    # X2 (adults) reads sighting.venue in ADULT_SEX_VENUES; bar and nightclub are not read: adults go there.
    return _sightings(x, _venue_in(ADULT_SEX_VENUES))


def _x3(x: Ctx) -> list[Hit]:
    # X3 reads sighting condition begging_supervised (any venue), and a venue in HIGH_RISK_SITES when
    # the person is a minor (a child at a mine or on a vessel is the signal) or the condition "working".
    def seen(s: SightingFacts) -> list[EvidenceLine]:
        lines = [_sighting_line(s, "conditions", "begging_supervised")] if "begging_supervised" in s.conditions else []
        if s.venue in HIGH_RISK_SITES and (x.minor or "working" in s.conditions):
            lines.append(_sighting_line(s, "venue", s.venue))
            lines += [] if x.minor else [_sighting_line(s, "conditions", "working")]
        return lines

    return _sightings(x, seen)


def _x4(x: Ctx) -> list[Hit]:
    # X4 reads sighting.free_to_leave "no" and condition escorted_or_guarded. The note flag cannot_leave
    # feeds C6 only (YAML fields), so one reported sentence never counts as two strong indicators.
    not_free = _sightings(x, lambda s: [_sighting_line(s, "free_to_leave", "no")] if s.free_to_leave == "no" else [])
    return not_free + _sightings(x, _condition("escorted_or_guarded"))


def _x5(x: Ctx) -> list[Hit]:
    # X5 reads note flag and sighting condition long_hours (base grade), note flag no_pay (pay_only grade).
    return _notes(x, "long_hours") + _sightings(x, _condition("long_hours")) + _notes(x, "no_pay", variant="pay_only")


def _x6(x: Ctx) -> list[Hit]:
    # X6 reads occupation domestic_worker together with reporter_relation employer.
    claim = x.claim
    if claim.occupation == "domestic_worker" and claim.reporter_relation == "employer":
        return _one(
            [
                _claim_line(x, "occupation", claim.occupation),
                _claim_line(x, "reporter_relation", claim.reporter_relation),
            ]
        )
    return []


def _x7(x: Ctx) -> list[Hit]:
    # X7 reads note flag forced_criminality.
    return _notes(x, "forced_criminality")


Trigger = Callable[[Ctx], list[Hit]]


def _k(flag: str) -> Trigger:
    # K1-K4 read one note flag each; display only.
    return lambda x: _notes(x, flag)


TRIGGERS: dict[str, Trigger] = {
    "R1": _r1,
    "R1b": _r1b,
    "R2": _r2,
    "R3": _r3,
    "R4": _r4,
    "R5": _r5,
    "R6": _r6,
    "R7": _r7,
    "C1": _c1,
    "C2": _c2,
    "C3": _c3,
    "C4": _c4,
    "C5": _c5,
    "C6": _c6,
    "C7": _c7,
    "C8": _c8,
    "C9": _c9,
    "T1": _t1,
    "T2": _t2,
    "X1": _x1,
    "X2": _x2,
    "X3": _x3,
    "X4": _x4,
    "X5": _x5,
    "X6": _x6,
    "X7": _x7,
    "V1": _v1,
    "V2": _v2,
    "V3": _v3,
    "V4": _v4,
    "N1": _n1,
    "N2": _n2,
    "N3": _n3,
    "G1": _g1,
    "K1": _k("located_no_indicators"),
    "K2": _k("voluntary_confirmed"),
    "K3": _k("communicates_freely"),
    "K4": _k("employer_verified"),
}
NOT_CAPTURED = {
    "T3": "no fact records false or altered documents or a misrepresented age",
    "T4": "sightings carry a country but no city, and online ads are not ingested: rapid movement is invisible",
    "T5": "a border_crossing sighting cannot tell an irregular crossing from a regular one or name a smuggler; "
    "the companion seen there already fires T2 (and the country T1), so T5 would count it twice",
    "X8": "belongings (hotel keys, phones, cash, online profiles) are not recorded",
    "V7": "behaviour changes (unexplained money or gifts, secrecy) are not recorded",
    "G2": "no list of hotspot localities is shipped",
}
NEVER_EVALUATED = {
    "V5": "migrant status and language are nationality-adjacent: never a reason (fairness, DESIGN.md §6)",
    "V6": "indigenous or rural origin is ethnicity: never a reason (equity_audit; fairness, DESIGN.md §6)",
}
