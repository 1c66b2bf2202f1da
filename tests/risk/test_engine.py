"""The engine: every indicator's trigger, grades, reliability, level rules, the issue's checks, output."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.risk import (
    NEVER_EVALUATED,
    NOT_CAPTURED,
    Case,
    Cluster,
    EvidenceLine,
    Identifier,
    Link,
    Missing,
    NetworkFacts,
    Offer,
    SharedIdentifier,
    Source,
    assess,
    assessment,
    load_rules,
)
from portal.risk.assessment import check_coverage
from portal.risk.evidence import Hit
from portal.risk.levels import Profile, adult_level, dimension_positive, indicator_grades, minor_level
from portal.risk.rules import Indicator
from portal.risk.triggers import TRIGGERS

from . import PUBLIC_UNVERIFIED, case, claim, fired, note, sighting, test_fairness

RULES = load_rules()
MINOR = 15


def minor_claim(**kwargs: Any):
    return claim(age=MINOR, **kwargs)


def shared(*others: str, raw: str = "+591 7000 0001") -> NetworkFacts:
    return NetworkFacts(shared_recruiters=(SharedIdentifier(Identifier.of("phone", raw), others),))


# ---------------------------------------------------------------- coverage of the YAML


def test_every_yaml_indicator_is_triggered_or_excluded_with_a_reason() -> None:
    for ind in RULES.indicators:
        places = [ind.id in TRIGGERS, ind.id in NOT_CAPTURED, ind.id in NEVER_EVALUATED]
        assert places.count(True) == 1, ind.id
    assert all(reason.strip() for reason in (*NOT_CAPTURED.values(), *NEVER_EVALUATED.values()))
    assert set(TRIGGERS) <= {i.id for i in RULES.indicators}


def test_trigger_table_follows_the_yaml_order() -> None:
    yaml_order = [i.id for i in RULES.indicators if i.id in TRIGGERS]
    assert list(TRIGGERS) == yaml_order


def test_a_file_with_an_indicator_the_engine_does_not_know_is_refused() -> None:
    extra = Indicator("R9", "R", "M", "M", ("ILO2009",), "new", "nuevo")
    with pytest.raises(ValueError, match="R9"):
        check_coverage(dataclasses.replace(RULES, indicators=(*RULES.indicators, extra)))


# ---------------------------------------------------------------- every trigger

# (indicator, case, expected effective grade): each a minimal case that fires it, one row per fact path.
TRIGGER_CASES = [
    ("R1", case(claim(circumstances=("job_offer",))), "M"),
    ("R1", case(claim(circumstances=("job_offer_abroad",))), "M"),
    ("R1", case(claim(offer=Offer(type="job", employer_verified=False))), "M"),
    ("R1b", case(notes=(note("job_differs"),)), "S"),
    ("R1b", case(claim(offer=Offer(type="job", sector="hospitality")), sightings=(sighting(venue="brothel"),)), "S"),
    ("R1b", case(claim(circumstances=("study_or_modelling_offer",)), sightings=(sighting(venue="workshop"),)), "S"),
    ("R2", case(claim(circumstances=("study_or_modelling_offer",))), "W"),
    ("R2", case(minor_claim(offer=Offer(type="pageant"))), "M"),
    ("R3", case(claim(circumstances=("new_partner",))), "M"),
    ("R3", case(claim(offer=Offer(type="marriage"))), "M"),
    ("R4", case(claim(circumstances=("online_contact",))), "W"),
    ("R4", case(claim(offer=Offer(contact_method="online"))), "W"),
    ("R4", case(claim(circumstances=("online_contact", "job_offer"))), "M"),  # escalate_to
    ("R4", case(claim(circumstances=("online_contact", "travel_paid_by_third_party"))), "M"),
    ("R5", case(claim(circumstances=("travel_paid_by_third_party",))), "M"),
    ("R5", case(claim(offer=Offer(travel_paid_by="recruiter"))), "M"),
    ("R5", case(claim(offer=Offer(debt_mentioned=True))), "M"),
    ("R6", case(minor_claim(circumstances=("entrusted_to_non_parent",))), "M"),
    ("R7", case(claim(offer=Offer(sector="massage"))), "M"),
    ("R7", case(claim(offer=Offer(sector="nightclub"))), "M"),
    ("R7", case(claim(offer=Offer(sector="call_centre", abroad=True))), "M"),
    ("C1", case(claim(circumstances=("abduction_witnessed",))), "S"),
    ("C2", case(minor_claim(circumstances=("child_sold_or_given",))), "S"),
    ("C3", case(claim(circumstances=("threats_or_debt_to_family",))), "M"),
    ("C3", case(minor_claim(), notes=(note("threatened"),)), "S"),
    ("C3", case(notes=(note("asked_for_money"),)), "M"),
    ("C4", case(claim(circumstances=("documents_held_by_other",))), "S"),
    ("C4", case(notes=(note("documents_taken"),)), "S"),
    ("C4", case(sightings=(sighting(conditions=("documents_held_by_other",)),)), "S"),
    ("C4", case(claim(offer=Offer(documents_handed_over=True))), "M"),  # pre_departure
    ("C5", case(notes=(note("third_party_present"),)), "S"),
    ("C5", case(notes=(note("coached"),)), "S"),
    ("C5", case(notes=(note("location_unknown"),)), "S"),
    ("C5", case(sightings=(sighting(conditions=("others_speak_for_person",)),)), "S"),
    ("C6", case(notes=(note("owes_debt"),)), "S"),
    ("C6", case(notes=(note("cannot_leave"),)), "S"),
    ("C7", case(notes=(note("reports_violence"),)), "S"),
    ("C7", case(sightings=(sighting(conditions=("injuries",)),)), "S"),
    ("C8", case(sightings=(sighting(conditions=("new_tattoo_or_brand",)),)), "M"),
    ("C9", case(sightings=(sighting(conditions=("intoxicated",)),)), "M"),
    ("T1", case(sightings=(sighting(country="PE"),)), "M"),
    ("T1", case(sightings=(sighting(country="PE", event_date=None),)), "M"),
    ("T2", case(minor_claim(), sightings=(sighting(companion="unrelated_adult"),)), "S"),
    ("T2", case(sightings=(sighting(companion="guard_or_escort"),)), "W"),
    ("X1", case(minor_claim(), sightings=(sighting(venue="bar"),)), "S"),
    ("X1", case(minor_claim(), sightings=(sighting(venue="hotel", companion="older_partner"),)), "S"),
    ("X2", case(sightings=(sighting(venue="online_ad"),)), "M"),
    ("X3", case(sightings=(sighting(conditions=("begging_supervised",)),)), "M"),
    ("X3", case(sightings=(sighting(venue="mine", conditions=("working",)),)), "M"),
    ("X3", case(minor_claim(), sightings=(sighting(venue="fishing_vessel"),)), "S"),
    ("X4", case(sightings=(sighting(free_to_leave="no"),)), "S"),
    ("X4", case(sightings=(sighting(conditions=("escorted_or_guarded",)),)), "S"),
    ("X5", case(notes=(note("long_hours"),)), "S"),
    ("X5", case(sightings=(sighting(conditions=("long_hours",)),)), "S"),
    ("X5", case(notes=(note("no_pay"),)), "M"),  # pay_only
    ("X6", case(claim(occupation="domestic_worker", reporter_relation="employer")), "M"),
    ("X7", case(minor_claim(), notes=(note("forced_criminality"),)), "S"),
    ("V1", case(minor_claim()), "mod"),
    ("V2", case(claim(prior_disappearances=3)), "W"),
    ("V2", case(minor_claim(prior_disappearances=4)), "M"),
    ("V3", case(minor_claim(missing_from_state_care=True)), "M"),
    ("V3", case(minor_claim(circumstances=("missing_from_state_care",))), "M"),
    ("V4", case(claim(circumstances=("runaway_after_conflict",))), "W"),
    ("N1", case(network=shared("claim:2")), "S"),
    (
        "N2",
        case(
            sightings=(sighting(),),
            network=NetworkFacts(
                linked_companions=(Link("sighting:1", "companion.phone", "59170000002", ("claim:5",)),)
            ),
        ),
        "S",
    ),
    (
        "N3",
        case(network=NetworkFacts(offer_clusters=(Cluster("destination=AR;sector=garment", ("claim:3", "claim:4")),))),
        "M",
    ),
    ("G1", case(claim(country="DO"), sightings=(sighting(country="PR"),)), "W"),
    ("G1", case(claim(country="BO", offer=Offer(destination_country="AR"))), "W"),
    ("K1", case(notes=(note("located_no_indicators"),)), None),
    ("K2", case(notes=(note("voluntary_confirmed"),)), None),
    ("K3", case(notes=(note("communicates_freely"),)), None),
    ("K4", case(notes=(note("employer_verified"),)), None),
]


@pytest.mark.parametrize(
    ("indicator", "the_case", "grade"), TRIGGER_CASES, ids=[f"{row[0]}-{n}" for n, row in enumerate(TRIGGER_CASES)]
)
def test_each_trigger_fires_on_a_minimal_case(indicator: str, the_case, grade: str | None) -> None:
    result = fired(assess(the_case, RULES))
    assert indicator in result and result[indicator] == grade


def test_every_triggerable_indicator_has_a_minimal_case() -> None:
    assert {row[0] for row in TRIGGER_CASES} == set(TRIGGERS)


@pytest.mark.parametrize("age", [30, MINOR, None])
def test_the_empty_case_fires_nothing(age: int | None) -> None:
    result = assess(case(claim(age=age)), RULES)
    assert set(fired(result)) == ({"V1"} if age == MINOR else set())
    assert result.level == 0 and result.next_step == "none"


# ---------------------------------------------------------------- trigger details


@pytest.mark.parametrize(
    ("the_case", "indicator"),
    [
        (case(claim(circumstances=("job_offer",), offer=Offer(type="job", employer_verified=True))), "R1"),
        (case(claim(offer=Offer(type="job")), sightings=(sighting(venue="brothel"),)), "R1b"),  # no sector: no promise
        (case(claim(offer=Offer(sector="bar")), sightings=(sighting(venue="bar"),)), "R1b"),  # fits the promise
        (case(claim(offer=Offer(sector="call_centre"))), "R7"),  # not abroad
        (case(claim(offer=Offer(sector="construction"))), "R7"),
        (case(claim(circumstances=("prior_disappearances",))), "V2"),  # count unknown: reported missing instead
        (case(claim(prior_disappearances=2)), "V2"),
        (case(sightings=(sighting(country="PE", event_date=date(2026, 1, 9)),)), "T1"),  # before the disappearance
        (case(sightings=(sighting(companion="unrelated_adult"),)), "T2"),  # adults go about with adults
        (case(sightings=(sighting(venue="bar"),)), "X2"),  # adults go to bars
        (case(minor_claim(), sightings=(sighting(venue="hotel", companion="relative"),)), "X1"),
        (case(sightings=(sighting(venue="mine"),)), "X3"),  # an adult at a mine, not seen working
        (case(notes=(note("cannot_leave"),)), "X4"),  # cannot_leave is C6 only
        (case(claim(occupation="domestic_worker", reporter_relation="parent")), "X6"),
        (case(network=NetworkFacts(offer_clusters=(Cluster("destination=AR", ("claim:3",)),))), "N3"),  # one other
        (case(network=shared()), "N1"),  # no other claim
        (case(claim(country="PR"), sightings=(sighting(country="DO"),)), "G1"),  # against the corridor's direction
    ],
)
def test_triggers_stay_silent_where_documented(the_case, indicator: str) -> None:
    assert indicator not in fired(assess(the_case, RULES))


@pytest.mark.parametrize(
    ("indicator", "adult_case"),
    [
        ("R6", case(claim(circumstances=("entrusted_to_non_parent",)))),
        ("X1", case(sightings=(sighting(venue="brothel"),))),
        ("V3", case(claim(missing_from_state_care=True))),
        ("V1", case(claim(age=18))),
    ],
)
def test_an_indicator_with_a_null_adult_grade_never_fires_for_an_adult(indicator: str, adult_case) -> None:
    assert indicator not in fired(assess(adult_case, RULES))


def test_x2_has_a_null_minor_grade() -> None:
    assert "X2" not in fired(assess(case(minor_claim(), sightings=(sighting(venue="brothel"),)), RULES))


def test_unknown_age_uses_adult_rules() -> None:
    result = assess(case(claim(age=None), sightings=(sighting(venue="brothel"),)), RULES)
    assert result.minor is None and "X2" in fired(result) and "X1" not in fired(result)


def test_c4_keeps_the_strong_grade_when_documents_are_also_taken() -> None:
    result = assess(case(claim(offer=Offer(documents_handed_over=True)), notes=(note("documents_taken"),)), RULES)
    c4 = next(f for f in result.indicators if f.id == "C4")
    assert c4.grade == "S" and {line.field for line in c4.evidence} == {"offer.documents_handed_over", "flags"}


def test_x5_excessive_hours_outweigh_pay_only() -> None:
    assert fired(assess(case(notes=(note("no_pay", "long_hours"),)), RULES))["X5"] == "S"


TRIGGER_CIRCUMSTANCES = (
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
NOTE_FLAGS_ALL = (
    "job_differs",
    "threatened",
    "asked_for_money",
    "documents_taken",
    "third_party_present",
    "coached",
    "location_unknown",
    "owes_debt",
    "cannot_leave",
    "reports_violence",
    "long_hours",
    "no_pay",
    "forced_criminality",
)
SIGHTING_CONDITIONS_ALL = (
    "injuries",
    "intoxicated",
    "fearful",
    "new_tattoo_or_brand",
    "escorted_or_guarded",
    "others_speak_for_person",
    "documents_held_by_other",
    "long_hours",
    "begging_supervised",
    "working",
)


def test_not_captured_and_never_evaluated_never_fire_on_a_case_with_every_fact() -> None:
    everything = case(
        minor_claim(
            circumstances=tuple(TRIGGER_CIRCUMSTANCES),
            prior_disappearances=5,
            missing_from_state_care=True,
            offer=Offer(
                type="job",
                sector="mining",
                abroad=True,
                destination_country="AR",
                travel_paid_by="recruiter",
                documents_handed_over=True,
                debt_mentioned=True,
                contact_method="online",
            ),
            occupation="domestic_worker",
            reporter_relation="employer",
        ),
        notes=(note(*NOTE_FLAGS_ALL),),
        sightings=(
            sighting(
                country="AR",
                venue="border_crossing",
                companion="unrelated_adult",
                conditions=SIGHTING_CONDITIONS_ALL,
                free_to_leave="no",
            ),
        ),
        network=shared("claim:2"),
    )
    result = fired(assess(everything, RULES))
    assert not set(result) & (set(NOT_CAPTURED) | set(NEVER_EVALUATED))


# ---------------------------------------------------------------- reliability


@pytest.mark.parametrize(
    ("condition", "base", "grade"),
    [
        ("injuries", "S", "M"),
        ("intoxicated", "M", "W"),
    ],
)
def test_an_unconfirmed_sighting_counts_one_grade_lower(condition: str, base: str, grade: str) -> None:
    for unreliable in (
        sighting(link="candidate", conditions=(condition,)),
        sighting(source=PUBLIC_UNVERIFIED, conditions=(condition,)),
    ):
        found = next(f for f in assess(case(sightings=(unreliable,)), RULES).indicators)
        assert (found.base_grade, found.grade) == (base, grade)
        assert all(line.verified is False for line in found.evidence)


def test_a_weak_grade_stays_weak() -> None:
    result = assess(case(sightings=(sighting(link="candidate", companion="guard_or_escort"),)), RULES)
    assert fired(result)["T2"] == "W"


def test_an_indicator_fired_by_reliable_and_unreliable_evidence_keeps_its_reliable_grade() -> None:
    result = assess(
        case(notes=(note("reports_violence"),), sightings=(sighting(link="candidate", conditions=("injuries",)),)),
        RULES,
    )
    c7 = next(f for f in result.indicators if f.id == "C7")
    assert c7.grade == "S" and {line.record for line in c7.evidence} == {"note:1", "sighting:1"}


def test_unreliable_evidence_alone_reaches_level_one_at_most() -> None:
    strong = ("injuries", "escorted_or_guarded", "documents_held_by_other", "long_hours")
    reliable = assess(case(sightings=(sighting(conditions=strong),)), RULES)
    unreliable = assess(case(sightings=(sighting(link="candidate", conditions=strong),)), RULES)
    assert reliable.level == 2 and unreliable.level == 1
    assert ("link", "sighting_match_unconfirmed", "sighting:1") in [
        (m.field, m.reason_code, m.record) for m in unreliable.missing
    ]


def test_n2_takes_the_reliability_of_its_sighting() -> None:
    link = Link("sighting:1", "venue.name", "local-17", ("claim:8",))
    result = assess(
        case(sightings=(sighting(link="candidate"),), network=NetworkFacts(linked_companions=(link,))), RULES
    )
    assert fired(result)["N2"] == "M"
    unknown = assess(case(network=NetworkFacts(linked_companions=(link,))), RULES)
    assert fired(unknown)["N2"] == "M"  # a sighting the case does not carry counts as unconfirmed


# ---------------------------------------------------------------- dimension and level rules


@pytest.mark.parametrize(
    ("s", "m", "w", "positive"),
    [
        (0, 0, 0, False),
        (1, 0, 0, False),
        (2, 0, 0, True),
        (1, 1, 0, True),
        (1, 0, 1, True),
        (0, 1, 0, False),
        (0, 2, 0, False),
        (0, 3, 0, True),
        (0, 2, 1, True),
        (0, 1, 2, False),
        (0, 0, 5, False),
        (0, 1, 1, False),
    ],
)
def test_dimension_rule(s: int, m: int, w: int, positive: bool) -> None:
    assert dimension_positive(s, m, w) is positive


def profile(**grades: str) -> Profile:
    """A profile from id=grade keywords; the dimension is the id's first letter."""
    return Profile({i: (i[0], g) for i, g in grades.items()}, RULES.destination_group)


@pytest.mark.parametrize(
    ("grades", "level"),
    [
        # 2: (R or C or V-means positive) and D positive
        ({"R1": "M", "R1b": "S", "X4": "S", "X5": "S"}, 2),
        ({"C1": "S", "C2": "S", "X4": "S", "X6": "M"}, 2),
        ({"V2": "M", "V3": "M", "V4": "W", "X4": "S", "X5": "S"}, 2),
        ({"C6": "S", "C7": "S"}, 2),  # C positive, and D positive through the same C indicators (read as written)
        ({"X4": "S", "X5": "S"}, 1),  # D positive alone: no recruitment/means dimension
        ({"R1": "M", "R1b": "S", "X4": "S"}, 1),  # R positive, D not
        # 2: (N1|N2) and any of R,C,T,X positive
        ({"N1": "S", "R1": "M", "R1b": "S"}, 2),
        ({"N2": "S", "T1": "M", "T2": "S"}, 2),
        ({"N3": "M", "R1": "M", "R1b": "S"}, 1),  # N3 is not N1|N2
        # 1: any of R,C,T,X,N positive; or any S; or >=2 M across R,C,T,X
        ({"R1": "M", "R2": "W", "R4": "W"}, 0),
        ({"R1": "M", "R3": "M", "R4": "W"}, 1),
        ({"N1": "S"}, 1),
        ({"C1": "S"}, 1),
        ({"R1": "M", "T1": "M"}, 1),
        ({"R1": "M", "V2": "M"}, 0),  # V does not count toward ">=2 M across R,C,T,X"
        ({"R1": "M"}, 0),
        ({"V2": "W", "V4": "W", "R4": "W"}, 0),
    ],
)
def test_adult_level(grades: dict[str, str], level: int) -> None:
    assert adult_level(profile(**grades)) == level


@pytest.mark.parametrize(
    ("grades", "level"),
    [
        # 2: any S in X or C
        ({"X1": "S"}, 2),
        ({"C7": "S"}, 2),
        ({"T2": "S"}, 1),
        ({"N1": "S"}, 1),
        # 2: (D has >=1 M/S) and (R or T has >=1 M/S)
        ({"X6": "M", "R1": "M"}, 2),
        ({"C8": "M", "T1": "M"}, 2),
        ({"X6": "M", "R4": "W"}, 1),
        ({"C1": "M", "R1": "M"}, 1),
        # 2: T2 + any R/X/C
        ({"T2": "W", "R4": "W"}, 2),
        ({"T2": "M", "C9": "W"}, 2),
        ({"T2": "W", "V4": "W"}, 0),
        # 2: (N1|N2) + any other indicator
        ({"N1": "S", "V4": "W"}, 2),
        ({"N2": "M", "N1": "M"}, 2),
        ({"N3": "M", "V4": "W"}, 1),
        # 1: any M/S in R,C,T,X,N
        ({"R1": "M"}, 1),
        ({"N3": "M"}, 1),
        ({"R4": "W"}, 0),
        ({"V3": "M"}, 0),
        # 1: (V2|V3) + any other indicator
        ({"V3": "M", "V4": "W"}, 1),
        ({"V2": "M", "V3": "M"}, 1),
        ({"V2": "M"}, 0),
        ({"V4": "W", "R4": "W"}, 0),
    ],
)
def test_minor_level(grades: dict[str, str], level: int) -> None:
    assert minor_level(profile(**grades)) == level


def test_modifiers_context_and_counter_indicators_never_count() -> None:
    base = case(
        minor_claim(country="DO", circumstances=("runaway_after_conflict", "online_contact")),
        notes=(note("located_no_indicators", "voluntary_confirmed", "communicates_freely", "employer_verified"),),
        sightings=(sighting(country="PR", venue="street"),),
    )
    result = assess(base, RULES)
    assert {"V1", "G1", "K1", "K2", "K3", "K4", "V4", "R4", "T1"} <= set(fired(result))
    assert [f.id for f in result.context] == ["G1"] and all(not f.counted for f in result.context)
    assert [f.id for f in result.counter_indicators] == ["K1", "K2", "K3", "K4"]
    assert result.level == 1  # T1 (M) alone; neither V1, G1 nor K1-K4 lift or lower it


# ---------------------------------------------------------------- the issue's checks


def girl(**kwargs: Any):
    return minor_claim(sex="F", circumstances=("job_offer_abroad",), **kwargs)


def seen_abroad(**kwargs: Any):
    return sighting("sighting:7", country="AR", venue="bar", companion="unrelated_adult", **kwargs)


def test_issue_girl_of_fifteen_with_a_job_offer_abroad_is_at_least_level_one() -> None:
    result = assess(case(girl()), RULES)
    assert result.level >= 1 and result.minor is True and fired(result)["R1"] == "M"
    assert result.next_step == "review_indicators"


def test_issue_confirmed_sighting_abroad_at_a_bar_with_an_unrelated_adult_is_level_two() -> None:
    result = assess(case(girl(), sightings=(seen_abroad(),)), RULES)
    assert result.level == 2 and result.next_step == "priority_contact_anti_trafficking_unit"
    lines = {line for f in result.indicators for line in f.evidence}
    assert EvidenceLine("sighting:7", "venue", "bar", "public", True) in lines
    assert EvidenceLine("sighting:7", "companion", "unrelated_adult", "public", True) in lines
    assert {"X1", "T2", "T1", "R1"} <= set(fired(result))
    assert result.missing == ()


@pytest.mark.parametrize(
    "unconfirmed",
    [
        {"link": "candidate", "score": 0.91},
        {"source": PUBLIC_UNVERIFIED},
    ],
)
def test_issue_the_same_sighting_unconfirmed_is_at_most_level_one(unconfirmed: dict[str, Any]) -> None:
    result = assess(case(girl(), sightings=(seen_abroad(**unconfirmed),)), RULES)
    assert result.level == 1
    assert fired(result)["X1"] == "M" and fired(result)["T2"] == "M"
    assert any(m.record == "sighting:7" and m.field == "link" for m in result.missing)


def test_issue_an_adult_with_no_circumstances_is_level_zero() -> None:
    result = assess(case(claim(age=34)), RULES)
    assert result.level == 0 and result.indicators == () and result.missing == ()


def network_of(the_claim, others) -> NetworkFacts:
    """What the portal computes: this claim's identifiers found on other, unrelated claims."""
    found = [
        SharedIdentifier(ident, tuple(o.record for o in others if ident in o.recruiters))
        for ident in the_claim.recruiters
    ]
    return NetworkFacts(shared_recruiters=tuple(s for s in found if s.others))


def test_issue_two_unrelated_claims_with_the_same_recruiter_phone_both_gain_n1() -> None:
    first = claim(
        record="claim:1", circumstances=("job_offer",), recruiters=(Identifier.of("phone", "+591 700-00001"),)
    )
    second = claim(
        record="claim:2",
        country="PE",
        circumstances=("new_partner",),
        recruiters=(Identifier.of("phone", "00591 70000001"), Identifier.of("social_handle", "@Other")),
    )
    for this, other in ((first, second), (second, first)):
        result = assess(case(this, network=network_of(this, [other])), RULES)
        n1 = next(f for f in result.indicators if f.id == "N1")
        assert n1.grade == "S" and n1.evidence == (
            EvidenceLine(this.record, "recruiters.phone", "59170000001", "family", True, (other.record,)),
        )
        assert result.level >= 1


# ---------------------------------------------------------------- missing


def reasons(result) -> set[tuple[str, str, str]]:
    return {(m.field, m.reason_code, m.record) for m in result.missing}


def test_unknown_age_is_always_missing() -> None:
    assert ("age", "age_unknown", "") in reasons(assess(case(claim(age=None)), RULES))


def test_offer_details_and_recruiter_are_missing_when_they_could_raise_the_level() -> None:
    result = assess(case(girl()), RULES)
    assert ("offer.documents_handed_over", "offer_detail_unknown", "") in reasons(result)  # C4 (M, in D) + R1 -> 2
    assert ("recruiters", "recruiter_identifier_unknown", "") in reasons(result)  # N1 + R1 -> 2
    assert ("offer.sector", "offer_detail_unknown", "") not in reasons(result)  # R7 (M) would stay level 1


def test_sighting_gaps_are_missing_when_they_could_raise_the_level() -> None:
    result = assess(case(girl(), sightings=(sighting("sighting:3", link="candidate", free_to_leave="unknown"),)), RULES)
    assert {
        ("venue", "venue_unknown", "sighting:3"),
        ("companion", "companion_unknown", "sighting:3"),
        ("free_to_leave", "free_to_leave_unknown", "sighting:3"),
    } <= reasons(result)
    assert ("link", "sighting_match_unconfirmed", "sighting:3") not in reasons(result)  # confirming adds nothing


def test_a_prior_disappearance_count_is_missing_when_it_could_raise_the_level() -> None:
    result = assess(case(minor_claim(circumstances=("prior_disappearances", "runaway_after_conflict"))), RULES)
    assert result.level == 0
    assert ("prior_disappearances", "prior_disappearance_count_unknown", "") in reasons(result)


def test_nothing_is_missing_at_level_two_but_the_age() -> None:
    result = assess(case(claim(age=None), notes=(note("reports_violence", "owes_debt"),)), RULES)
    assert result.level == 2 and reasons(result) == {("age", "age_unknown", "")}


# ---------------------------------------------------------------- output


def test_json_has_the_api_core_shape() -> None:
    result = assess(case(girl(), sightings=(seen_abroad(link="candidate", score=0.77),)), RULES)
    data = result.to_json()
    assert data["level"] == 1 and data["rules_version"] == RULES.version
    assert {"level", "indicators", "rules_version"} <= set(data)
    for item in data["indicators"]:
        assert {"id", "grade", "reason", "evidence"} <= set(item)
        assert item["reason"] == RULES.indicator(item["id"]).en
        for line in item["evidence"]:
            assert {"record", "field", "value", "reported_by", "verified"} <= set(line)
    assert data["assessed_on"] == "2026-03-01" and data["next_step"] == "review_indicators"


def walk(value: Any):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)
    else:
        yield value


def test_never_a_probability() -> None:
    result = assess(case(girl(), sightings=(seen_abroad(link="candidate", score=0.77),)), RULES)
    values = list(walk(result.to_json()))
    assert not any(isinstance(v, float) for v in values)
    assert not any(isinstance(v, str) and ("score" in v or "probab" in v) for v in values)


def test_assessment_is_deterministic_and_frozen() -> None:
    the_case = case(girl(), sightings=(seen_abroad(),))
    first, second = assess(the_case, RULES), assess(the_case, RULES)
    assert first == second
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.level = 0  # type: ignore[misc]


def test_police_sources_are_reported_as_such() -> None:
    result = assess(case(claim(source=Source("police", True), circumstances=("abduction_witnessed",))), RULES)
    assert result.indicators[0].evidence[0].reported_by == "police"


# ---------------------------------------------------------------- look-alike sightings are tried once


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    test_fairness.cases(),
    st.lists(st.integers(min_value=0, max_value=3), min_size=1, max_size=6),
    st.booleans(),
)
def test_the_missing_facts_are_those_of_every_trial_assessed_alone(drawn: Case, copies: list[int], named: bool) -> None:
    """_missing assesses the trials of sightings that differ only by their record once, and a trial
    that changes one sighting from the case's own hits (``_level_with_sighting``): the answer is the
    one of assessing every trial in full (N2, which reads a sighting by its record, included)."""
    if not drawn.sightings:
        return
    looks = [drawn.sightings[i % len(drawn.sightings)] for i in copies]
    sightings = tuple(dataclasses.replace(s, record=f"sighting:{n}") for n, s in enumerate(looks, 1))
    network = drawn.network
    if named:
        links = (Link("sighting:1", "companion.phone", "1", ("claim:3",)), Link("sighting:2", "venue.name", "x", ()))
        network = dataclasses.replace(network, linked_companions=links)
    drawn = dataclasses.replace(drawn, sightings=sightings, network=network)
    rules = test_fairness.RULES
    level = assess(drawn, rules).level
    every = [t.missing for t in assessment._trials(drawn) if assessment._final_level(t.worse, rules) > level]
    age = [Missing("age", "age_unknown")] if drawn.claim.age is None else []
    assert assessment._missing(drawn, rules, level) == age + every


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(test_fairness.cases())
def test_a_trial_on_one_sighting_gives_the_level_of_the_case_assessed_in_full(drawn: Case) -> None:
    """The shortcut itself, on sightings that all differ: for every sighting trial, the level from the
    case's own hits equals the level of the changed case assessed from scratch."""
    rules = test_fairness.RULES
    minor = drawn.claim.age is not None and drawn.claim.age < 18
    base = assessment._OwnHits(assessment._fire(drawn, rules, minor), minor)
    for trial in assessment._trials(drawn):
        if trial.sighting is not None:
            quick = assessment._level_with_sighting(drawn, base, trial.sighting, rules, minor)
            assert quick == assessment._final_level(trial.worse, rules), trial.missing


def test_the_strongest_remaining_hits_stand_for_all_of_an_indicators_hits() -> None:
    """``_OwnHits.without`` keeps, per indicator, the hit strongest on all evidence and the one strongest
    on reliable evidence only: C4 with an unreliable sighting (S, counted as M) and a reliable
    pre-departure fact of the claim (M) keeps both, so the reliable M is not lost."""
    c4 = RULES.indicator("C4")
    seen = Hit((EvidenceLine("sighting:1", "conditions", "documents_held_by_other", "public", False),), reliable=False)
    told = Hit((EvidenceLine("claim:1", "circumstances", "x", "family", True),), variant="pre_departure")
    for hits in ([seen, told], [told, seen]):
        own = assessment._OwnHits([(c4, hits)], minor=True)
        # (effective on all evidence, on reliable evidence only): what the level reads
        assert indicator_grades(c4, own.without("sighting:9")["C4"], True)[1:] == ("M", "M")
        assert indicator_grades(c4, own.without("sighting:1")["C4"], True)[1:] == ("M", "M")
        assert "C4" not in assessment._OwnHits([(c4, [seen])], minor=True).without("sighting:1")
