"""The indicator file: loading, validation, version, corridors; identifiers and fact vocabularies; purity."""

from __future__ import annotations

import ast
import hashlib
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.risk import (
    ClaimFacts,
    Identifier,
    NoteFacts,
    Offer,
    SightingFacts,
    Source,
    load_rules,
    normalise_identifier,
)
from portal.risk.rules import ISO3_TO_ALPHA2, parse_rules

PACKAGE = Path(__file__).resolve().parents[2] / "portal" / "risk"
PACKAGED = PACKAGE / "trafficking-indicators.yaml"
REFERENCE = Path("/work/shared/reference/trafficking-indicators.yaml")
YAML_IDS = [
    "R1",
    "R1b",
    "R2",
    "R3",
    "R4",
    "R5",
    "R6",
    "R7",
    "C1",
    "C2",
    "C3",
    "C4",
    "C5",
    "C6",
    "C7",
    "C8",
    "C9",
    "T1",
    "T2",
    "T3",
    "T4",
    "T5",
    "X1",
    "X2",
    "X3",
    "X4",
    "X5",
    "X6",
    "X7",
    "X8",
    "V1",
    "V2",
    "V3",
    "V4",
    "V5",
    "V6",
    "V7",
    "N1",
    "N2",
    "N3",
    "G1",
    "G2",
    "K1",
    "K2",
    "K3",
    "K4",
]


@pytest.fixture(scope="module")
def rules():
    return load_rules()


# ---------------------------------------------------------------- loading


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared reference copy not available")
def test_packaged_copy_is_byte_identical_to_the_reference() -> None:
    assert PACKAGED.read_bytes() == REFERENCE.read_bytes()


def test_loads_every_indicator_in_file_order(rules) -> None:
    assert [i.id for i in rules.indicators] == YAML_IDS


def test_version_is_the_hash_of_the_file_bytes(rules) -> None:
    assert re.fullmatch(r"v0\.1\+[0-9a-f]{12}", rules.version)
    assert rules.version == "v0.1+" + hashlib.sha256(PACKAGED.read_bytes()).hexdigest()[:12]
    assert load_rules(PACKAGED).version == rules.version


def test_any_edit_changes_the_version(tmp_path: Path, rules) -> None:
    edited = tmp_path / "edited.yaml"
    edited.write_bytes(PACKAGED.read_bytes().replace(b"{id: C8, dim: C, adult: M", b"{id: C8, dim: C, adult: S"))
    changed = load_rules(edited)
    assert changed.version != rules.version and changed.indicator("C8").adult == "S"
    comment_only = tmp_path / "comment.yaml"
    comment_only.write_bytes(PACKAGED.read_bytes() + b"# reviewed\n")
    assert load_rules(comment_only).version != rules.version


@pytest.mark.parametrize(
    ("indicator", "adult", "minor"),
    [
        ("R2", "W", "M"),
        ("R6", None, "M"),
        ("C3", "M", "S"),
        ("T2", "W", "S"),
        ("X1", None, "S"),
        ("X2", "M", None),
        ("X7", "M", "S"),
        ("V1", None, "mod"),
        ("V3", None, "M"),
        ("N1", "S", "S"),
        ("K1", None, None),
    ],
)
def test_grades_for_adults_and_minors(rules, indicator, adult, minor) -> None:
    ind = rules.indicator(indicator)
    assert (ind.grade_for(False), ind.grade_for(True)) == (adult, minor)


def test_extra_keys_and_counted(rules) -> None:
    assert rules.indicator("R4").escalate_to == "M" and "job" in rules.indicator("R4").escalate_if
    assert rules.indicator("C4").pre_departure == "M"
    assert rules.indicator("X5").pay_only == "M"
    assert rules.indicator("V6").equity_audit is True
    not_counted = {i.id for i in rules.indicators if not i.counted}
    assert not_counted == {"V1", "G1", "G2", "K1", "K2", "K3", "K4"}
    assert rules.indicator("R1").text == {"en": rules.indicator("R1").en, "es": rules.indicator("R1").es}
    assert rules.indicator("R1").sources == ("ILO2009", "POLARIS", "HTCDS2")


def test_combination_texts_are_the_ones_the_engine_implements(rules) -> None:
    from portal.risk.levels import adult_level, dimension_positive, minor_level

    assert rules.dimension_positive.split("#")[0].strip() in dimension_positive.__doc__
    for level in (1, 2):
        assert rules.levels["adult"][level] in adult_level.__doc__
        assert rules.levels["minor"][level] in minor_level.__doc__
    assert rules.destination_group == {
        "X1",
        "X2",
        "X3",
        "X4",
        "X5",
        "X6",
        "X7",
        "X8",
        "C3",
        "C4",
        "C5",
        "C6",
        "C7",
        "C8",
        "C9",
    }


# ---------------------------------------------------------------- validation

GOOD = b"""
combination:
  dimension_positive: "s>=2"
  destination_group_D: [X4]
  levels:
    adult: {2: "a2", 1: "a1"}
    minor: {2: "m2", 1: "m1"}
indicators:
  - {id: R1, dim: R, adult: M, minor: M, src: [ILO2009], en: "one", es: "uno"}
  - {id: X4, dim: X, adult: S, minor: S, src: [ILO2009], en: "two", es: "dos"}
corridors:
  - {from: DOM, to: [PRI, "region:Europe"], src: [TIP-DOM]}
"""


def test_a_minimal_file_loads() -> None:
    rules = parse_rules(GOOD)
    assert [i.id for i in rules.indicators] == ["R1", "X4"] and rules.corridor("DO", "PR")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (b"dim: R,", b"dim: Q,", "unknown dimension 'Q'"),
        (b"adult: M,", b"adult: strong,", "adult grade 'strong'"),
        (b"minor: S,", b"minor: 3,", "minor grade 3"),
        (b"{id: X4,", b"{id: R1,", "duplicate indicator ids: R1"),
        (b'src: [ILO2009], en: "one"', b'src: [ILO2009], minr: S, en: "one"', "unknown keys"),
        (b', en: "two"', b"", "missing 'en' text"),
        (b"destination_group_D: [X4]", b"destination_group_D: [X9]", "destination_group_D"),
        (b"from: DOM", b"from: XYZ", "unknown country code 'XYZ'"),
        (b"indicators:", b"indicatorz:", "'indicators' list"),
        (b"levels:", b"level:", "combination.levels"),
        (b"  - {id: R1, dim: R,", b"  - {id: R1, dim: R, counted: maybe,", "'counted'"),
        (b"id: R1, dim: R, adult: M, minor: M", b"id: K1, dim: K, adult: M, minor: M", "display only"),
        (b"indicators:\n", b"indicators:\n  - [unbalanced\n", "not a readable YAML"),
    ],
)
def test_malformed_files_are_refused_with_a_clear_error(old: bytes, new: bytes, message: str) -> None:
    assert old in GOOD
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_rules(GOOD.replace(old, new, 1))


def test_bad_yaml_from_a_path_is_a_value_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"indicators: [\n")
    with pytest.raises(ValueError, match=r"bad\.yaml"):
        load_rules(bad)


# ---------------------------------------------------------------- corridors


def test_every_corridor_code_is_mapped_or_a_region(rules) -> None:
    for corridor in rules.corridors:
        for code in (*corridor.origins, *corridor.via, *corridor.destinations):
            assert code in ISO3_TO_ALPHA2 or code == "LAC" or code.startswith(("domestic:", "region:"))
    assert all(len(a2) == 2 and a2.isupper() for a2 in ISO3_TO_ALPHA2.values())


@pytest.mark.parametrize(
    ("origin", "destination", "listed"),
    [
        ("DO", "PR", True),  # from DOM to PRI
        ("PR", "DO", False),  # corridors have a direction
        ("BO", "AR", True),
        ("EC", "US", True),  # CHN via ECU to USA: the via->to leg
        ("CN", "EC", True),  # from->via leg
        ("PE", "US", True),
        ("PE", "BO", False),  # "region:South America" and "domestic:..." match no country
        ("TH", "KH", True),  # LAC is a region, THA->KHM is a leg
        ("BO", "BO", False),
    ],
)
def test_corridor_legs(rules, origin: str, destination: str, listed: bool) -> None:
    assert (rules.corridor(origin, destination) is not None) is listed


# ---------------------------------------------------------------- identifiers and vocabularies


@pytest.mark.parametrize(
    ("kind", "raw", "value"),
    [
        ("phone", "+591 712-34567", "59171234567"),
        ("phone", "00591 7123 4567", "59171234567"),
        ("phone", "(2) 245-6789", "22456789"),
        ("phone", "000.000008 7.13 7", "0000000087137"),  # no country code after "00": as typed
        ("phone", "+00 591 7123 4567", "59171234567"),
        ("social_handle", "  @Some.Handle_9 ", "some.handle_9"),
        ("social_handle", "@@abc", "abc"),
        ("vehicle_plate", "abc-123", "ABC123"),
        ("vehicle_plate", " 2345 xyz ", "2345XYZ"),
    ],
)
def test_normalise_identifier(kind: str, raw: str, value: str) -> None:
    assert normalise_identifier(kind, raw) == value
    assert Identifier.of(kind, raw) == Identifier(kind, value)
    assert normalise_identifier(kind, value) == value  # idempotent


@given(
    kind=st.sampled_from(["phone", "social_handle", "vehicle_plate"]), raw=st.text("0123456789+ .-()@aZ", max_size=30)
)
@settings(max_examples=300)
def test_a_normalised_identifier_is_normalised_again_unchanged(kind: str, raw: str) -> None:
    """Claims store the normalised value and the engine rebuilds Identifier from it: a value that
    normalising changes again (a phone "000 871" cut twice) made filing such a claim fail."""
    value = normalise_identifier(kind, raw)
    assert normalise_identifier(kind, value) == value


def test_identifier_refuses_unknown_kinds_and_raw_values() -> None:
    with pytest.raises(ValueError):
        normalise_identifier("email", "x@example.test")
    with pytest.raises(ValueError, match=r"Identifier\.of"):
        Identifier("phone", "+591 7123 4567")
    with pytest.raises(ValueError):
        Identifier("social_handle", "")


@pytest.mark.parametrize(
    "build",
    [
        lambda: Source("neighbour", True),
        lambda: Offer(type="adventure"),
        lambda: Offer(sector="brothel"),
        lambda: Offer(travel_paid_by="uncle"),
        lambda: SightingFacts("sighting:1", Source("public", False), "maybe"),
        lambda: SightingFacts("sighting:1", Source("public", False), "candidate", conditions=("sad",)),
        lambda: SightingFacts("sighting:1", Source("public", False), "candidate", free_to_leave="perhaps"),
        lambda: NoteFacts("note:1", Source("police", True), ("suspicious",)),
        lambda: ClaimFacts("claim:1", Source("family", True), age=-1),
        lambda: ClaimFacts("claim:1", Source("family", True), reporter_relation="neighbour"),
    ],
)
def test_closed_vocabularies_refuse_unknown_codes(build) -> None:
    with pytest.raises(ValueError):
        build()


# ---------------------------------------------------------------- purity (DESIGN.md rule 4)


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_risk_package_imports_neither_flask_nor_sqlalchemy_nor_the_portal(path: Path) -> None:
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.add(node.module)
    roots = {name.split(".")[0] for name in imported}
    assert not roots & {"flask", "flask_babel", "flask_login", "flask_wtf", "sqlalchemy", "alembic"}
    assert not {name for name in imported if name.startswith("portal") and not name.startswith("portal.risk")}


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_of_the_package_imports_another_ones_private_names(path: Path) -> None:
    private = [
        alias.name
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and (node.level > 0 or (node.module or "").startswith("portal."))
        for alias in node.names
        if alias.name.startswith("_") and alias.name != "__future__"
    ]
    assert not private, f"{path.name} imports private names {private}: make them public where they are defined"
