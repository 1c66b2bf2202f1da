"""The indicator list (trafficking-indicators.yaml), read and checked into typed rules.

``Rules.version`` is derived from the file's bytes, so any edit to the list changes the version that
every assessment records. A malformed file is refused with a ``ValueError`` naming the problem.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

VERSION_PREFIX = "v0.1+"  # the YAML's "proposal v0.1"; the hash suffix tells edited copies apart
PACKAGED_FILE = "trafficking-indicators.yaml"

DIMENSIONS = ("R", "C", "T", "X", "V", "N", "G", "K")
COUNTED_DIMENSIONS = ("R", "C", "T", "X", "V", "N")  # G is context, K display only
GRADES = ("S", "M", "W")
MODIFIER = "mod"  # shown, no weight
_KEYS = {
    "id",
    "dim",
    "adult",
    "minor",
    "src",
    "fields",
    "en",
    "es",
    "counted",
    "escalate_to",
    "escalate_if",
    "pre_departure",
    "pay_only",
    "equity_audit",
}

# ISO 3166 alpha-3 -> alpha-2 for the countries the corridors name (the portal speaks alpha-2).
ISO3_TO_ALPHA2 = {
    "ABW": "AW",
    "ARG": "AR",
    "BLZ": "BZ",
    "BOL": "BO",
    "BRA": "BR",
    "CAN": "CA",
    "CHE": "CH",
    "CHL": "CL",
    "CHN": "CN",
    "COL": "CO",
    "CRI": "CR",
    "CUW": "CW",
    "DEU": "DE",
    "DOM": "DO",
    "ECU": "EC",
    "ESP": "ES",
    "GTM": "GT",
    "HND": "HN",
    "ITA": "IT",
    "JPN": "JP",
    "KHM": "KH",
    "MEX": "MX",
    "MMR": "MM",
    "NIC": "NI",
    "NLD": "NL",
    "PAN": "PA",
    "PER": "PE",
    "PRI": "PR",
    "PRT": "PT",
    "PRY": "PY",
    "SLV": "SV",
    "SUR": "SR",
    "THA": "TH",
    "TTO": "TT",
    "USA": "US",
    "VEN": "VE",
}
# Corridor ends that name no single country; they never match a pair of countries.
_NON_COUNTRY_PREFIXES = ("domestic:", "region:")
_NON_COUNTRY_CODES = {"LAC"}  # Latin America and the Caribbean


@dataclass(frozen=True)
class Indicator:
    """One indicator of the list, with its grade for adults and for minors (None: not applicable)."""

    id: str
    dim: str
    adult: str | None
    minor: str | None
    sources: tuple[str, ...]
    en: str
    es: str
    fields: tuple[str, ...] = ()
    counted: bool = True  # False for G (context), K (display only) and modifiers (V1)
    escalate_to: str | None = None
    escalate_if: str = ""
    pre_departure: str | None = None  # C4: documents handed over before departure
    pay_only: str | None = None  # X5: pay withheld without excessive hours
    equity_audit: bool = False

    def grade_for(self, minor: bool) -> str | None:
        """The grade that applies to a minor or to an adult (None: never fires for that group)."""
        return self.minor if minor else self.adult

    @property
    def text(self) -> dict[str, str]:
        """The reason text by language."""
        return {"en": self.en, "es": self.es}


@dataclass(frozen=True)
class Corridor:
    """A documented trafficking corridor (context for G1); codes as in the file (ISO3 or a region)."""

    origins: tuple[str, ...]
    via: tuple[str, ...]
    destinations: tuple[str, ...]
    sources: tuple[str, ...]

    def legs(self) -> set[tuple[str, str]]:
        """Alpha-2 (origin, destination) pairs: from->to, from->via and via->to; regions match nothing."""

        def countries(codes: tuple[str, ...]) -> list[str]:
            return [ISO3_TO_ALPHA2[c] for c in codes if c in ISO3_TO_ALPHA2]

        starts, stops, ends = countries(self.origins), countries(self.via), countries(self.destinations)
        pairs = {(a, b) for a in starts for b in ends}
        pairs |= {(a, b) for a in starts for b in stops} | {(a, b) for a in stops for b in ends}
        return {(a, b) for a, b in pairs if a != b}


@dataclass(frozen=True)
class Rules:
    """The checked indicator list and its combination rules (texts; the engine implements them)."""

    version: str
    indicators: tuple[Indicator, ...]
    destination_group: frozenset[str]  # combination.destination_group_D
    dimension_positive: str
    levels: Mapping[str, Mapping[int, str]]  # {"adult": {2: text, 1: text}, "minor": {...}}
    reliability_downgrade: str
    corridors: tuple[Corridor, ...] = ()

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with that id (KeyError if absent)."""
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def corridor(self, origin: str, destination: str) -> Corridor | None:
        """The first corridor with a leg from ``origin`` to ``destination`` (alpha-2), or None."""
        return self._first_corridor_by_leg.get((origin, destination))

    @cached_property
    def _first_corridor_by_leg(self) -> dict[tuple[str, str], Corridor]:
        # Read once per Rules: G1 asks for every sighting of a case, and the list of what is missing
        # re-assesses the case once per unknown fact of each sighting (a claim with 400 candidate
        # sightings asked half a million times, 34 of its 41 seconds, before this).
        found: dict[tuple[str, str], Corridor] = {}
        for corridor in self.corridors:
            for leg in corridor.legs():
                found.setdefault(leg, corridor)
        return found


def load_rules(path: str | Path | None = None) -> Rules:
    """Read and check the indicator file (the packaged copy by default)."""
    if path is None:
        data = resources.files(__package__).joinpath(PACKAGED_FILE).read_bytes()
        name = PACKAGED_FILE
    else:
        data, name = Path(path).read_bytes(), str(path)
    return parse_rules(data, name)


def parse_rules(data: bytes, name: str = "<rules>") -> Rules:
    """Rules from the bytes of an indicator file; ``ValueError`` if it is malformed."""
    try:
        doc = yaml.safe_load(data.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ValueError(f"{name}: not a readable YAML file: {exc}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("indicators"), list):
        raise ValueError(f"{name}: expected a mapping with an 'indicators' list")
    indicators = tuple(_indicator(raw, name, n) for n, raw in enumerate(doc["indicators"], 1))
    ids = [ind.id for ind in indicators]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"{name}: duplicate indicator ids: {', '.join(duplicates)}")
    combination = doc.get("combination")
    if not isinstance(combination, dict):
        raise ValueError(f"{name}: missing 'combination'")
    group = combination.get("destination_group_D")
    if not isinstance(group, list) or not set(group) <= set(ids):
        raise ValueError(f"{name}: destination_group_D must list known indicator ids")
    levels = combination.get("levels")
    if (
        not isinstance(levels, dict)
        or set(levels) != {"adult", "minor"}
        or any(not isinstance(levels[g], dict) or set(levels[g]) != {1, 2} for g in levels)
    ):
        raise ValueError(f"{name}: combination.levels must give levels 1 and 2 for 'adult' and 'minor'")
    corridors = doc.get("corridors") or []
    if not isinstance(corridors, list):
        raise ValueError(f"{name}: 'corridors' must be a list")
    return Rules(
        version=VERSION_PREFIX + hashlib.sha256(data).hexdigest()[:12],
        indicators=indicators,
        destination_group=frozenset(group),
        dimension_positive=str(combination.get("dimension_positive", "")),
        levels={g: {k: str(v) for k, v in levels[g].items()} for g in levels},
        reliability_downgrade=str(combination.get("reliability_downgrade", "")),
        corridors=tuple(_corridor(raw, name, n) for n, raw in enumerate(corridors, 1)),
    )


def _indicator(raw: Any, name: str, n: int) -> Indicator:
    where = f"{name}: indicator #{n}"
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"]:
        raise ValueError(f"{where}: expected a mapping with an 'id'")
    where = f"{name}: indicator {raw['id']}"
    unknown = set(raw) - _KEYS
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    dim = raw.get("dim")
    if dim not in DIMENSIONS:
        raise ValueError(f"{where}: unknown dimension {dim!r} (expected one of {', '.join(DIMENSIONS)})")
    adult, minor = raw.get("adult"), raw.get("minor")
    for key, value in (("adult", adult), ("minor", minor)):
        if value is not None and value not in (*GRADES, MODIFIER):
            raise ValueError(f"{where}: {key} grade {value!r} is not S, M, W, mod or null")
    if dim == "K" and (adult is not None or minor is not None):
        raise ValueError(f"{where}: counter-indicators (K) are display only and carry no grade")
    for key in ("escalate_to", "pre_departure", "pay_only"):
        if raw.get(key) is not None and raw[key] not in GRADES:
            raise ValueError(f"{where}: {key} {raw[key]!r} is not S, M or W")
    for key in ("en", "es"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ValueError(f"{where}: missing '{key}' text")
    counted = raw.get("counted", True)
    if not isinstance(counted, bool):
        raise ValueError(f"{where}: 'counted' must be true or false")
    return Indicator(
        id=raw["id"],
        dim=dim,
        adult=adult,
        minor=minor,
        sources=tuple(str(s) for s in raw.get("src") or ()),
        en=raw["en"],
        es=raw["es"],
        fields=tuple(str(f) for f in raw.get("fields") or ()),
        # A modifier ("mod", V1) or an indicator without any grade carries no weight: shown, never counted.
        counted=counted and dim in COUNTED_DIMENSIONS and (adult in GRADES or minor in GRADES),
        escalate_to=raw.get("escalate_to"),
        escalate_if=str(raw.get("escalate_if") or ""),
        pre_departure=raw.get("pre_departure"),
        pay_only=raw.get("pay_only"),
        equity_audit=bool(raw.get("equity_audit", False)),
    )


def _codes(value: Any, where: str) -> tuple[str, ...]:
    codes = (value,) if isinstance(value, str) else tuple(value or ())
    for code in codes:
        if not isinstance(code, str):
            raise ValueError(f"{where}: {code!r} is not a country or region code")
        if code in ISO3_TO_ALPHA2 or code in _NON_COUNTRY_CODES or code.startswith(_NON_COUNTRY_PREFIXES):
            continue
        raise ValueError(f"{where}: unknown country code {code!r} (add it to ISO3_TO_ALPHA2)")
    return codes


def _corridor(raw: Any, name: str, n: int) -> Corridor:
    where = f"{name}: corridor #{n}"
    if not isinstance(raw, dict) or "from" not in raw or "to" not in raw:
        raise ValueError(f"{where}: expected a mapping with 'from' and 'to'")
    return Corridor(
        origins=_codes(raw["from"], where),
        via=_codes(raw.get("via"), where),
        destinations=_codes(raw["to"], where),
        sources=tuple(str(s) for s in raw.get("src") or ()),
    )
