"""Fairness: nationality and ethnicity are never a reason; countries count only as movement (T1) or context (G1)."""

from __future__ import annotations

import dataclasses
import typing
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.risk import (
    NEVER_EVALUATED,
    Case,
    ClaimFacts,
    Cluster,
    Identifier,
    Link,
    NetworkFacts,
    NoteFacts,
    Offer,
    SharedIdentifier,
    SightingFacts,
    Source,
    assess,
    load_rules,
)
from portal.risk import facts as facts_module
from portal.risk.triggers import TRIGGERS

from . import CIRCUMSTANCES, COMPANIONS, TODAY, VENUES, fired

RULES = load_rules()
COUNTRIES = ("BO", "PE", "CL", "AR", "EC", "GT", "NI", "CR", "BZ", "PR", "DO", "US", "ES", "CO", "")
FORBIDDEN_FIELD_WORDS = (
    "nationality",
    "citizenship",
    "ethnic",
    "race",
    "indigenous",
    "language",
    "migrant",
    "origin",
    "self_identification",
    "religion",
)
FORBIDDEN_TEXT_WORDS = (
    "nationalit",
    "ethnic",
    "indigenous",
    "migrant",
    "nacionalidad",
    "étnic",
    "indígena",
    "migrante",
    "language",
    "idioma",
)

FACT_CLASSES = (
    Source,
    Offer,
    Identifier,
    ClaimFacts,
    SightingFacts,
    NoteFacts,
    SharedIdentifier,
    Link,
    Cluster,
    NetworkFacts,
    Case,
)


def test_the_facts_have_no_nationality_or_ethnicity_field() -> None:
    seen = set()
    for cls in FACT_CLASSES:
        for f in dataclasses.fields(cls):
            seen.add(f.name)
            assert not any(word in f.name.lower() for word in FORBIDDEN_FIELD_WORDS), (cls.__name__, f.name)
    # every dataclass of the module is covered
    module_classes = {obj for obj in vars(facts_module).values() if dataclasses.is_dataclass(obj)}
    assert module_classes == set(FACT_CLASSES)
    assert {"country", "sex"} <= seen  # where last seen / seen; sex is carried but read by no trigger


def test_nationality_and_ethnicity_indicators_have_no_trigger() -> None:
    assert set(NEVER_EVALUATED) == {"V5", "V6"} and not set(NEVER_EVALUATED) & set(TRIGGERS)
    assert RULES.indicator("V6").equity_audit


def test_the_engine_code_never_names_such_a_fact() -> None:
    import ast
    import importlib
    import inspect
    import pkgutil

    from portal.risk import assessment, evidence, levels, results, triggers

    dimensions = [
        importlib.import_module(f"{triggers.__name__}.{m.name}") for m in pkgutil.iter_modules(triggers.__path__)
    ]
    names = set()
    for module in (assessment, evidence, levels, results, triggers, *dimensions):
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.keyword) and node.arg:
                names.add(node.arg)
    assert not {n for n in names if any(word in n.lower() for word in FORBIDDEN_FIELD_WORDS)}


# ---------------------------------------------------------------- random cases

conditions = st.lists(st.sampled_from(facts_module.SIGHTING_CONDITIONS), unique=True, max_size=3).map(tuple)
sources = st.builds(Source, st.sampled_from(facts_module.REPORTERS), st.booleans())
offers = st.none() | st.builds(
    Offer,
    type=st.sampled_from(facts_module.OFFER_TYPES),
    sector=st.sampled_from(facts_module.OFFER_SECTORS),
    abroad=st.sampled_from([None, True, False]),
    destination_country=st.sampled_from(COUNTRIES),
    travel_paid_by=st.sampled_from(facts_module.TRAVEL_PAYERS),
    documents_handed_over=st.sampled_from([None, True, False]),
    debt_mentioned=st.sampled_from([None, True, False]),
    employer_verified=st.sampled_from([None, True, False]),
    contact_method=st.sampled_from(facts_module.CONTACT_METHODS),
)
claims = st.builds(
    ClaimFacts,
    record=st.just("claim:1"),
    source=sources,
    age=st.sampled_from([None, 4, 15, 17, 18, 25, 60]),
    sex=st.sampled_from(["F", "M", ""]),
    country=st.sampled_from(COUNTRIES),
    event_date=st.sampled_from([None, date(2026, 1, 10)]),
    circumstances=st.lists(st.sampled_from(CIRCUMSTANCES), unique=True, max_size=4).map(tuple),
    offer=offers,
    recruiters=st.just(()),
    prior_disappearances=st.sampled_from([None, 0, 3]),
    missing_from_state_care=st.sampled_from([None, True, False]),
    reporter_relation=st.sampled_from(facts_module.REPORTER_RELATIONS),
    occupation=st.sampled_from(["", "domestic_worker", "student"]),
)
sightings = st.lists(
    st.builds(
        SightingFacts,
        record=st.just("sighting:?"),
        source=sources,
        link=st.sampled_from(facts_module.LINKS),
        country=st.sampled_from(COUNTRIES),
        event_date=st.sampled_from([None, date(2026, 1, 1), date(2026, 2, 1)]),
        venue=st.sampled_from(("", *VENUES)),
        companion=st.sampled_from(("", *COMPANIONS)),
        conditions=conditions,
        free_to_leave=st.sampled_from(facts_module.FREE_TO_LEAVE),
    ),
    max_size=2,
)
notes = st.lists(
    st.builds(
        NoteFacts,
        record=st.just("note:?"),
        source=st.just(Source("police", True)),
        flags=st.lists(st.sampled_from(facts_module.NOTE_FLAGS), unique=True, max_size=3).map(tuple),
    ),
    max_size=2,
)
networks = st.builds(
    NetworkFacts,
    shared_recruiters=st.sampled_from([(), (SharedIdentifier(Identifier("phone", "59170000001"), ("claim:2",)),)]),
    linked_companions=st.sampled_from([(), (Link("sighting:1", "companion.phone", "1", ("claim:3",)),)]),
    offer_clusters=st.sampled_from([(), (Cluster("destination=AR", ("claim:4", "claim:5")),)]),
)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    found = draw(sightings)
    return Case(
        claim=draw(claims),
        today=TODAY,
        network=draw(networks),
        notes=tuple(dataclasses.replace(n, record=f"note:{i}") for i, n in enumerate(draw(notes), 1)),
        sightings=tuple(dataclasses.replace(s, record=f"sighting:{i}") for i, s in enumerate(found, 1)),
    )


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(cases())
def test_no_input_makes_v5_or_v6_fire_nor_any_reason_mention_origin(case: Case) -> None:
    result = assess(case, RULES)
    assert not set(fired(result)) & {"V5", "V6"}
    for f in (*result.indicators, *result.context, *result.counter_indicators):
        words = " ".join([*f.text.values(), *(f"{line.field} {line.value}" for line in f.evidence)]).lower()
        assert not any(word in words for word in FORBIDDEN_TEXT_WORDS), f.id


def recountry(case: Case, mapping: dict[str, str]) -> Case:
    """The same case with the claim's and the sightings' countries renamed through ``mapping``."""
    return dataclasses.replace(
        case,
        claim=dataclasses.replace(case.claim, country=mapping.get(case.claim.country, case.claim.country)),
        sightings=tuple(dataclasses.replace(s, country=mapping.get(s.country, s.country)) for s in case.sightings),
    )


@FAST
@given(cases(), st.permutations(COUNTRIES[:-1]), st.lists(st.sampled_from(COUNTRIES), min_size=15, max_size=15))
def test_countries_change_nothing_but_t1_and_g1(case: Case, permuted: list[str], arbitrary: list[str]) -> None:
    before = assess(case, RULES)
    # Any renaming: only T1 and G1 may change.
    renamed = assess(recountry(case, dict(zip(COUNTRIES, arbitrary, strict=True))), RULES)
    assert set(fired(before)) - {"T1", "G1"} == set(fired(renamed)) - {"T1", "G1"}
    if ("T1" in fired(before)) == ("T1" in fired(renamed)) and fired(before).get("T1") == fired(renamed).get("T1"):
        assert renamed.level == before.level
    # A one-to-one renaming keeps every "same country / other country" relation: T1, and so the level, stay.
    same_relations = assess(recountry(case, dict(zip(COUNTRIES[:-1], permuted, strict=True))), RULES)
    assert fired(same_relations).get("T1") == fired(before).get("T1")
    assert same_relations.level == before.level
    # G1 is context, never counted, whatever the countries.
    assert all(f.id != "G1" for f in before.indicators)
    assert all(not f.counted for f in before.context)


@FAST
@given(cases(), st.sampled_from(["F", "M", ""]))
def test_sex_is_never_a_reason(case: Case, sex: str) -> None:
    other = dataclasses.replace(case, claim=dataclasses.replace(case.claim, sex=sex))
    assert assess(other, RULES).to_json() == assess(case, RULES).to_json()


def test_fact_type_hints_carry_no_origin_either() -> None:
    for cls in FACT_CLASSES:
        hints = typing.get_type_hints(cls)
        assert not any(word in name.lower() for name in hints for word in FORBIDDEN_FIELD_WORDS)
