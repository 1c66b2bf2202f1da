"""The risk engine's input: typed facts about one case, built by the portal from its rows.

The engine never sees ORM objects. Every fact carries its ``Source`` (who reported it, verified or
not) so that each evidence line can say where it came from. There is deliberately no nationality,
ethnicity, language or migrant-status field anywhere here: they are never a reason (DESIGN.md §6).

Where an IOM Human Trafficking Case Data Standard (HTCDS, github.com/UNMigration/HTCDS, "HTCDS Field
Reference") concept exists, the comment names it; the codes themselves are the portal's
(spec/api-core.md for ``circumstances``, ``venue`` and ``companion``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

REPORTERS = ("family", "police", "public", "system")

OFFER_TYPES = ("job", "study", "modelling", "casting", "pageant", "sports", "sponsorship", "marriage", "other", "")
OFFER_SECTORS = (
    "bar",
    "nightclub",
    "massage",
    "domestic_live_in",
    "mining",
    "agriculture",
    "fishing",
    "garment",
    "call_centre",
    "hospitality",
    "construction",
    "other",
    "",
)
TRAVEL_PAYERS = ("self", "family", "recruiter", "employer", "unknown", "")
CONTACT_METHODS = ("online", "in_person", "phone", "")
REPORTER_RELATIONS = ("parent", "relative", "employer", "police", "other", "")
IDENTIFIER_KINDS = ("phone", "social_handle", "vehicle_plate")

# What someone who saw the person observed (sighting form, closed list). In parentheses, the HTCDS
# vic_MethodsOfControl value, or the vic_TypeOfLabourExploitation one where so named.
SIGHTING_CONDITIONS = (
    "injuries",  # visible injuries (PhysicalAbuse)                      -> C7
    "intoxicated",  # seemed drugged or drunk (PsychoactiveSubstances)      -> C9
    "fearful",  # seemed afraid; shown to officers, fires no indicator alone
    "new_tattoo_or_brand",  # a new tattoo or mark looking like a sign of ownership -> C8
    "escorted_or_guarded",  # someone kept watch or escorted them (RestrictsMovement) -> X4
    "others_speak_for_person",  # someone else answered for them                        -> C5
    "documents_held_by_other",  # someone else held their papers (WithholdsDocuments)   -> C4
    "long_hours",  # working at unusual hours / all day (ExcessiveWorkingHours) -> X5
    "begging_supervised",  # begging, an adult supervising (vic_TypeOfLabourExploitation Begging) -> X3
    "working",  # was working (e.g. at a mine, camp, vessel, workshop)  -> X3 with such a venue
)
FREE_TO_LEAVE = ("yes", "no", "unknown", "")
# Sighting venues (api-core codes) where exploitation happens: a sighting there is an HTCDS Exploitation
# event, and two cases seen at the same one are linked (N2). A plaza or a bus station links nobody.
EXPLOITATION_VENUES = frozenset(
    {
        "bar",
        "nightclub",
        "brothel",
        "massage_parlour",
        "hotel",
        "mine",
        "agricultural_camp",
        "fishing_vessel",
        "workshop",
        "online_ad",
    }
)
LINKS = ("confirmed", "candidate")

# Structured flags an officer sets on a police note (contact with the person or the family).
# The YAML's ``contacts.flags.*`` fields, and the counter-indicators K1-K4. In parentheses, the HTCDS
# vic_MethodsOfControl value (IllicitActivities: vic_TypeOfLabourExploitation).
NOTE_FLAGS = (
    "job_differs",  # the work found is not the one promised          -> R1b
    "threatened",  # threats to the person or the family (Threats)   -> C3
    "asked_for_money",  # the family was asked to pay a 'debt'            -> C3
    "documents_taken",  # documents held by someone else (WithholdsDocuments) -> C4
    "third_party_present",  # someone listened in or was present on contact   -> C5
    "coached",  # answers seemed dictated                         -> C5
    "location_unknown",  # the person does not know where they are         -> C5
    "owes_debt",  # says they owe a debt (DebtBondage)              -> C6
    "cannot_leave",  # says they cannot leave (RestrictsMovement)      -> C6
    "reports_violence",  # physical or sexual violence (PhysicalAbuse, SexualAbuse) -> C7
    "long_hours",  # excessive hours, no days off (ExcessiveWorkingHours) -> X5 (S)
    "no_pay",  # no or low pay, earnings taken (TakesEarnings)   -> X5 (pay_only, M)
    "forced_criminality",  # made to sell drugs, steal, run scams (IllicitActivities) -> X7
    "located_no_indicators",  # located; safeguarding interview without indicators  -> K1
    "voluntary_confirmed",  # voluntary reason confirmed by direct police contact -> K2
    "communicates_freely",  # communicates freely, knows address, unaccompanied   -> K3
    "employer_verified",  # employer and contract verified by labour inspection -> K4
)


def _check(value: object, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"{what}: {value!r} is not one of {', '.join(repr(a) for a in allowed)}")


def _check_all(values: tuple[str, ...], allowed: tuple[str, ...], what: str) -> None:
    for value in values:
        _check(value, allowed, what)


@dataclass(frozen=True)
class Source:
    """Who reported a fact and whether it is verified (police facts, family facts on a validated claim)."""

    reported_by: str  # "family", "police", "public" or "system"
    verified: bool

    def __post_init__(self) -> None:
        _check(self.reported_by, REPORTERS, "Source.reported_by")


@dataclass(frozen=True)
class Offer:
    """The offer or promise the person left for (HTCDS vic_MethodOfRecruitment and what it promised)."""

    type: str = ""  # vic_MethodOfRecruitment: "Job offer/advertisement", "Intimate partner/marriage proposition"
    sector: str = ""  # the promised work; vic_TypeOfLabourExploitation / Labour Industry name the sector found
    abroad: bool | None = None
    destination_country: str = ""  # ISO 3166 alpha-2
    destination_place: str = ""
    travel_paid_by: str = ""
    documents_handed_over: bool | None = None  # before departure; vic_MethodsOfControl "WithholdsDocuments"
    debt_mentioned: bool | None = None  # vic_MethodsOfControl "DebtBondage"
    employer_verified: bool | None = None
    contact_method: str = ""  # "online" is vic_MethodOfRecruitment "Internet (social media, online advertisement)"

    def __post_init__(self) -> None:
        _check(self.type, OFFER_TYPES, "Offer.type")
        _check(self.sector, OFFER_SECTORS, "Offer.sector")
        _check(self.travel_paid_by, TRAVEL_PAYERS, "Offer.travel_paid_by")
        _check(self.contact_method, CONTACT_METHODS, "Offer.contact_method")


def normalise_identifier(kind: str, raw: str) -> str:
    """The comparable form of a recruiter identifier: phone digits, handle lower-case, plate alphanumerics."""
    _check(kind, IDENTIFIER_KINDS, "Identifier.kind")
    text = raw.strip()
    if kind == "phone":
        # E.164 without the "+" (HTCDS prs_MobilePhone is E.164); "00" is the international prefix,
        # read as one only before a country code (which never starts with 0), so that a normalised
        # number stays as it is ("000 871" is kept as typed, not cut twice into "871").
        # A national number with a trunk "0" is kept as typed: the engine does not know the country.
        digits = re.sub(r"\D", "", text)
        return digits[2:] if digits.startswith("00") and digits[2:3] not in ("", "0") else digits
    if kind == "social_handle":
        return text.lstrip("@").strip().lower()
    return "".join(ch for ch in text.upper() if ch.isascii() and ch.isalnum())


@dataclass(frozen=True)
class Identifier:
    """A recruiter's phone, social handle or vehicle plate (HTCDS per_RoleInProcess "RecruiterOrIntermediary")."""

    kind: str
    value: str  # normalised; build from raw input with Identifier.of

    def __post_init__(self) -> None:
        if not self.value or normalise_identifier(self.kind, self.value) != self.value:
            raise ValueError(f"Identifier value {self.value!r} is not a normalised {self.kind}; use Identifier.of")

    @classmethod
    def of(cls, kind: str, raw: str) -> Identifier:
        """An identifier from what someone typed."""
        return cls(kind, normalise_identifier(kind, raw))


@dataclass(frozen=True)
class ClaimFacts:
    """The claim: the person, the disappearance and the offer. No nationality or ethnicity, by design."""

    record: str  # "claim:12"
    source: Source
    age: int | None = None  # age at disappearance, computed by the portal
    sex: str = ""  # read by no indicator
    country: str = ""  # where last seen, ISO 3166 alpha-2
    event_date: date | None = None
    circumstances: tuple[str, ...] = ()  # api-core codes
    offer: Offer | None = None
    recruiters: tuple[Identifier, ...] = ()
    prior_disappearances: int | None = None
    missing_from_state_care: bool | None = None
    reporter_relation: str = ""
    occupation: str = ""  # "domestic_worker", "student", ...

    def __post_init__(self) -> None:
        if self.age is not None and self.age < 0:
            raise ValueError("ClaimFacts.age must not be negative")
        _check(self.reporter_relation, REPORTER_RELATIONS, "ClaimFacts.reporter_relation")


@dataclass(frozen=True)
class SightingFacts:
    """A sighting linked to the claim, confirmed by an officer or a candidate of the matcher."""

    record: str  # "sighting:7"
    source: Source
    link: str  # "confirmed" or "candidate"
    country: str = ""  # HTCDS hte_Country of a Transit/Exploitation event
    event_date: date | None = None
    venue: str = ""  # api-core code
    companion: str = ""  # api-core code
    conditions: tuple[str, ...] = ()  # SIGHTING_CONDITIONS
    free_to_leave: str = ""
    score: float | None = None  # the matcher's score of a candidate: never read for the level, never shown

    def __post_init__(self) -> None:
        _check(self.link, LINKS, "SightingFacts.link")
        _check(self.free_to_leave, FREE_TO_LEAVE, "SightingFacts.free_to_leave")
        _check_all(self.conditions, SIGHTING_CONDITIONS, "SightingFacts.conditions")

    @property
    def reliable(self) -> bool:
        """Verified report whose match to this claim an officer confirmed (else it counts one grade lower)."""
        return self.link == "confirmed" and self.source.verified


@dataclass(frozen=True)
class NoteFacts:
    """A police note with structured flags (NOTE_FLAGS)."""

    record: str  # "note:31"
    source: Source
    flags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_all(self.flags, NOTE_FLAGS, "NoteFacts.flags")


@dataclass(frozen=True)
class SharedIdentifier:
    """A recruiter identifier of this claim also found on other, unrelated claims (duplicates excluded)."""

    identifier: Identifier
    others: tuple[str, ...]  # references of the other claims


@dataclass(frozen=True)
class Link:
    """A sighting of this case whose companion identifier or venue also appears in other cases."""

    sighting: str  # the sighting's record
    field: str  # what was shared, e.g. "companion.phone", "venue.name"
    value: str
    others: tuple[str, ...]


@dataclass(frozen=True)
class Cluster:
    """Other disappearances after the same offer/destination within the portal's time window."""

    key: str  # e.g. "destination=AR;sector=garment"
    others: tuple[str, ...]


@dataclass(frozen=True)
class NetworkFacts:
    """Cross-case facts the portal computes; the engine only reads them."""

    shared_recruiters: tuple[SharedIdentifier, ...] = ()
    linked_companions: tuple[Link, ...] = ()
    offer_clusters: tuple[Cluster, ...] = ()


@dataclass(frozen=True)
class Case:
    """Everything the engine reads about one claim; ``today`` is passed in (the engine reads no clock)."""

    claim: ClaimFacts
    today: date
    notes: tuple[NoteFacts, ...] = ()
    sightings: tuple[SightingFacts, ...] = ()
    network: NetworkFacts = NetworkFacts()
