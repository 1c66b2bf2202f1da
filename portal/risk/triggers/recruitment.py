"""Dimension R, recruitment: the offer or the person the missing person left with (R1-R7).

Each trigger's comment names the facts it reads; grades come from the YAML, not from here.
"""

from __future__ import annotations

from ..evidence import (
    Hit,
    Trigger,
    TriggerContext,
    circumstance_lines,
    claim_line,
    note_hits,
    sighting_hits,
    sighting_line,
    single_hit,
)

STUDY_LIKE = frozenset({"study", "modelling", "casting", "pageant", "sports", "sponsorship"})
HIGH_RISK_SECTORS = frozenset(
    {"bar", "nightclub", "massage", "domestic_live_in", "mining", "agriculture", "fishing", "garment"}
)  # + "call_centre" when abroad (R7)
THIRD_PARTY_PAYERS = frozenset({"recruiter", "employer"})
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


def _r1(context: TriggerContext) -> list[Hit]:
    # R1 reads circumstances job_offer/job_offer_abroad and offer.type "job"; silent once
    # offer.employer_verified is true (the offer is then verifiable); adds the destination if known.
    offer = context.offer
    if offer.employer_verified:
        return []
    lines = circumstance_lines(context, "job_offer", "job_offer_abroad")
    lines += [claim_line(context, "offer.type", "job")] if offer.type == "job" else []
    if lines and offer.employer_verified is False:
        lines.append(claim_line(context, "offer.employer_verified", False))
    if lines and offer.destination_country:
        lines.append(claim_line(context, "offer.destination_country", offer.destination_country))
    return single_hit(lines)


def _r1b(context: TriggerContext) -> list[Hit]:
    # R1b reads the note flag job_differs, and a sighting at a work venue (WORK_VENUES) that does not
    # fit the promise: the promised sector's venues, or none at all for a study/modelling-type offer.
    # A job offer with no sector (or "other") cannot be compared and fires nothing here.
    hits = note_hits(context, "job_differs")
    offer = context.offer
    if offer.sector in SECTOR_VENUES:
        promise, fitting = [claim_line(context, "offer.sector", offer.sector)], SECTOR_VENUES[offer.sector]
    elif offer.type in STUDY_LIKE or (not offer.type and "study_or_modelling_offer" in context.claim.circumstances):
        promise = (
            [claim_line(context, "offer.type", offer.type)]
            if offer.type
            else circumstance_lines(context, "study_or_modelling_offer")
        )
        fitting = set()
    else:
        return hits
    return hits + sighting_hits(
        context,
        lambda s: (
            [*promise, sighting_line(s, "venue", s.venue)] if s.venue in WORK_VENUES and s.venue not in fitting else []
        ),
    )


def _r2(context: TriggerContext) -> list[Hit]:
    # R2 reads circumstance study_or_modelling_offer and offer.type in STUDY_LIKE.
    offer = context.offer
    return single_hit(
        circumstance_lines(context, "study_or_modelling_offer")
        + ([claim_line(context, "offer.type", offer.type)] if offer.type in STUDY_LIKE else [])
    )


def _r3(context: TriggerContext) -> list[Hit]:
    # R3 reads circumstance new_partner and offer.type "marriage".
    married = [claim_line(context, "offer.type", "marriage")] if context.offer.type == "marriage" else []
    return single_hit(circumstance_lines(context, "new_partner") + married)


def _r4(context: TriggerContext) -> list[Hit]:
    # R4 reads circumstance online_contact and offer.contact_method "online"; escalated (escalate_to)
    # when an offer (offer circumstance or offer.type) or travel paid by a third party is also present:
    # our reading of "contact offered job/travel/money/gifts".
    offer = context.offer
    lines = circumstance_lines(context, "online_contact")
    lines += [claim_line(context, "offer.contact_method", "online")] if offer.contact_method == "online" else []
    if not lines:
        return []
    why = circumstance_lines(
        context, "job_offer", "job_offer_abroad", "study_or_modelling_offer", "travel_paid_by_third_party"
    )
    why += [claim_line(context, "offer.type", offer.type)] if offer.type else []
    why += (
        [claim_line(context, "offer.travel_paid_by", offer.travel_paid_by)]
        if offer.travel_paid_by in THIRD_PARTY_PAYERS
        else []
    )
    return single_hit(lines + why, "escalated" if why else "")


def _r5(context: TriggerContext) -> list[Hit]:
    # R5 reads circumstance travel_paid_by_third_party, offer.travel_paid_by recruiter/employer, offer.debt_mentioned.
    offer = context.offer
    lines = circumstance_lines(context, "travel_paid_by_third_party")
    lines += (
        [claim_line(context, "offer.travel_paid_by", offer.travel_paid_by)]
        if offer.travel_paid_by in THIRD_PARTY_PAYERS
        else []
    )
    lines += [claim_line(context, "offer.debt_mentioned", True)] if offer.debt_mentioned else []
    return single_hit(lines)


def _r6(context: TriggerContext) -> list[Hit]:
    # R6 reads circumstance entrusted_to_non_parent (minors only: the adult grade is null).
    return single_hit(circumstance_lines(context, "entrusted_to_non_parent"))


def _r7(context: TriggerContext) -> list[Hit]:
    # R7 reads offer.sector: HIGH_RISK_SECTORS (nightclub read as a bar), or call_centre abroad
    # (offer.abroad or circumstance job_offer_abroad; countries are not compared here, so that only
    # T1 and G1 ever read a country: the portal sets offer.abroad from the destination).
    offer = context.offer
    abroad = bool(offer.abroad or "job_offer_abroad" in context.claim.circumstances)
    if offer.sector in HIGH_RISK_SECTORS or (offer.sector == "call_centre" and abroad):
        return single_hit([claim_line(context, "offer.sector", offer.sector)])
    return []


TRIGGERS: dict[str, Trigger] = {
    "R1": _r1,
    "R1b": _r1b,
    "R2": _r2,
    "R3": _r3,
    "R4": _r4,
    "R5": _r5,
    "R6": _r6,
    "R7": _r7,
}
