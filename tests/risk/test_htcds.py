"""The HTCDS crosswalk and view: valid HTCDS values, every portal code accounted for, a synthetic case, purity."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from portal.risk import Identifier, Offer, facts, htcds
from portal.risk.htcds import htcds_view

from . import CIRCUMSTANCES, VENUES, case, claim, note, sighting

CROSSWALKS = {
    "note_flag": (htcds.NOTE_FLAGS, htcds.UNMAPPED_NOTE_FLAGS, facts.NOTE_FLAGS),
    "condition": (htcds.SIGHTING_CONDITIONS, htcds.UNMAPPED_SIGHTING_CONDITIONS, facts.SIGHTING_CONDITIONS),
    "offer.sector": (htcds.OFFER_SECTORS, htcds.UNMAPPED_OFFER_SECTORS, facts.OFFER_SECTORS),
    "offer.type": ({}, htcds.UNMAPPED_OFFER_TYPES, facts.OFFER_TYPES),
    "circumstance": (htcds.CIRCUMSTANCES, htcds.UNMAPPED_CIRCUMSTANCES, CIRCUMSTANCES),
    "identifier": (htcds.IDENTIFIER_FIELDS, htcds.UNMAPPED_IDENTIFIER_KINDS, facts.IDENTIFIER_KINDS),
}


@pytest.mark.parametrize("name", sorted(CROSSWALKS))
def test_every_code_is_mapped_or_unmapped_with_a_reason(name: str) -> None:
    mapped, unmapped, vocabulary = CROSSWALKS[name]
    codes = set(vocabulary) - {""}
    assert set(mapped) | set(unmapped) == codes
    assert not set(mapped) & set(unmapped)
    assert all(reason.strip() for reason in unmapped.values())


@pytest.mark.parametrize("name", ["note_flag", "condition", "offer.sector", "circumstance"])
def test_every_crosswalk_value_belongs_to_its_field(name: str) -> None:
    mapped = CROSSWALKS[name][0]
    for code, pairs in mapped.items():
        assert pairs, code
        for field, value in pairs:
            assert value in htcds.FIELD_VALUES[field], (code, field, value)


def test_the_value_lists_are_the_field_reference_ones() -> None:
    assert len(htcds.METHODS_OF_CONTROL_VALUES) == 17 and "DebtBondage" in htcds.METHODS_OF_CONTROL_VALUES
    assert len(htcds.LABOUR_EXPLOITATION_VALUES) == 12 and "MiningOrDrilling" in htcds.LABOUR_EXPLOITATION_VALUES
    assert len(htcds.ROLE_IN_PROCESS_VALUES) == 15 and htcds.RECRUITER in htcds.ROLE_IN_PROCESS_VALUES
    assert len(htcds.RECRUITMENT_WEBSITES_AND_APPS_VALUES) == 15
    assert set(htcds.GENDERS.values()) <= set(htcds.GENDER_VALUES)
    assert htcds.IDENTIFIER_FIELDS == {"phone": "prs_MobilePhone"}


def test_violence_is_physical_abuse_only_and_method_of_recruitment_is_never_used() -> None:
    assert htcds.NOTE_FLAGS["reports_violence"] == (("vic_MethodsOfControl", "PhysicalAbuse"),)
    assert "vic_MethodOfRecruitment" not in htcds.FIELD_VALUES
    pairs = [
        p
        for table in (htcds.NOTE_FLAGS, htcds.SIGHTING_CONDITIONS, htcds.OFFER_SECTORS, htcds.CIRCUMSTANCES)
        for ps in table.values()
        for p in ps
    ]
    assert {field for field, _ in pairs} == {"vic_MethodsOfControl", "vic_TypeOfLabourExploitation"}


def test_exploitation_venues_are_api_core_venues() -> None:
    assert set(VENUES) >= htcds.EXPLOITATION_VENUES


def _synthetic():  # type: ignore[no-untyped-def]
    the_claim = claim(
        sex="F",
        circumstances=("job_offer_abroad", "threats_or_debt_to_family"),
        offer=Offer(type="job", sector="garment", destination_country="AR", debt_mentioned=False),
        recruiters=(
            Identifier.of("phone", "+591 7123-4567"),
            Identifier.of("phone", "00591 7123 4567"),
            Identifier.of("phone", "0991234567"),
            Identifier.of("social_handle", "@Agencia.Modelos"),
            Identifier.of("vehicle_plate", "2345-kzr"),
        ),
    )
    notes = (note("reports_violence", "coached", "owes_debt"), note("no_pay", "owes_debt", record="note:2"))
    sightings = (
        sighting(
            "sighting:1",
            venue="workshop",
            country="AR",
            event_date=date(2026, 2, 10),
            conditions=("long_hours", "fearful"),
        ),
        sighting(
            "sighting:2",
            venue="bus_terminal",
            country="AR",
            event_date=date(2026, 1, 20),
            conditions=("escorted_or_guarded",),
        ),
        sighting(
            "sighting:3",
            venue="brothel",
            country="PE",
            event_date=date(2026, 2, 20),
            link="candidate",
            conditions=("intoxicated",),
        ),
    )
    return case(the_claim, notes=notes, sightings=sightings)


def test_the_view_of_a_synthetic_case() -> None:
    view = htcds_view(_synthetic())
    assert view == {
        "prs_Gender": "Female",
        "vic_MethodsOfControl": [
            "DebtBondage",
            "ExcessiveWorkingHours",
            "PhysicalAbuse",
            "RestrictsMovement",
            "TakesEarnings",
            "Threats",
        ],
        "vic_TypeOfLabourExploitation": ["Manufacturing"],
        "per_RoleInProcess": ["RecruiterOrIntermediary"],
        "recruiters": [
            {"per_RoleInProcess": "RecruiterOrIntermediary", "portal:phone": "0991234567"},
            {"per_RoleInProcess": "RecruiterOrIntermediary", "portal:social_handle": "agencia.modelos"},
            {"per_RoleInProcess": "RecruiterOrIntermediary", "portal:vehicle_plate": "2345KZR"},
            {"per_RoleInProcess": "RecruiterOrIntermediary", "prs_MobilePhone": "+59171234567"},
        ],
        "hte": [
            {"hte_Type": "Recruitment", "hte_Country": "BO", "hte_Date": "2026-01-10"},
            {"hte_Type": "Transit", "hte_Country": "AR", "hte_Date": "2026-01-20"},
            {"hte_Type": "Exploitation", "hte_Country": "AR", "hte_Date": "2026-02-10"},
        ],
        "unmapped": [
            "circumstance:job_offer_abroad",
            "condition:fearful",
            "identifier:social_handle",
            "identifier:vehicle_plate",
            "note_flag:coached",
            "offer.type:job",
        ],
    }


def test_phones_are_e164_and_no_name_or_candidate_leaks() -> None:
    view = htcds_view(_synthetic())
    phones = [r["prs_MobilePhone"] for r in view["recruiters"] if "prs_MobilePhone" in r]
    assert phones and all(htcds.E164.match(p) for p in phones)
    assert "PsychoactiveSubstances" not in view["vic_MethodsOfControl"]  # a candidate sighting is not read
    assert "PE" not in str(view["hte"])
    for key in view:
        assert key.startswith(("prs_", "vic_", "per_")) or key in {"recruiters", "hte", "unmapped"}
        assert "name" not in key.lower()


def test_an_empty_case_gives_an_empty_view() -> None:
    view = htcds_view(case(claim(sex="", country="", event_date=None)))
    assert view == {
        "prs_Gender": "Unknown",
        "vic_MethodsOfControl": [],
        "vic_TypeOfLabourExploitation": [],
        "per_RoleInProcess": [],
        "recruiters": [],
        "hte": [{"hte_Type": "Recruitment"}],
        "unmapped": [],
    }


def test_offer_and_note_facts_reach_their_htcds_values() -> None:
    the_claim = claim(offer=Offer(sector="bar", documents_handed_over=True, debt_mentioned=True))
    view = htcds_view(
        case(the_claim, notes=(note("forced_criminality"),), sightings=(sighting(conditions=("begging_supervised",)),))
    )
    assert view["vic_MethodsOfControl"] == ["DebtBondage", "WithholdsDocuments"]
    assert view["vic_TypeOfLabourExploitation"] == ["Begging", "IllicitActivities"]
    assert view["unmapped"] == ["offer.sector:bar"]
    assert view["hte"][1]["hte_Type"] == "Transit"  # sighting() has no venue


def test_the_module_imports_the_standard_library_and_the_risk_package_only() -> None:
    path = Path(htcds.__file__)
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add("." if node.level else (node.module or "").split(".")[0])
    assert imported <= {"__future__", "re", "datetime", "typing", "."}
