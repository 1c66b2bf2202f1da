"""The independent benchmark generator (bench/generate_other.py): format, truth, determinism, rates."""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from portal.matching import csvfiles, records

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))
import evaluate as EV  # noqa: E402
import generate_other as G  # noqa: E402
import other_names as ON  # noqa: E402

SPEC_COLUMNS = [
    "id",
    "given_names",
    "first_surname",
    "second_surname",
    "aliases",
    "sex",
    "birth_date",
    "age_min",
    "age_max",
    "document_id",
    "nationality",
    "country",
    "place",
    "event_date",
    "height_cm",
    "description",
]
FILES = ("claims.csv", "sightings.csv", "truth_pairs.csv", "truth_sightings.csv", "truth_records.csv")
N = 2000


def read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("other")
    stats = G.generate(N, 7, str(out))
    data = {"dir": out, "stats": stats}
    for name in FILES:
        data[name] = read(out / name)
    data["claims"] = {r["id"]: r for r in data["claims.csv"][1]}
    data["sightings"] = {r["id"]: r for r in data["sightings.csv"][1]}
    data["truth"] = {r["id"]: r for r in data["truth_records.csv"][1]}
    return data


@pytest.fixture(scope="module")
def big_stats() -> dict[tuple[str, str], list[int]]:
    """Corruption counts over 20,000 claims (no files written)."""
    g = G.Generator(11)
    g.run(20000)
    return g.stats


def test_headers_are_the_contract(bench):
    assert bench["claims.csv"][0] == SPEC_COLUMNS
    assert bench["sightings.csv"][0] == SPEC_COLUMNS
    assert bench["truth_pairs.csv"][0] == ["left_id", "right_id"]
    assert bench["truth_sightings.csv"][0] == ["sighting_id", "claim_id"]
    assert bench["truth_records.csv"][0] == ["id", "role", "person", "relative", "population", "filer", "tags"]


def test_the_engine_reads_both_files_without_a_warning(bench):
    warnings: list[csvfiles.Warning] = []
    claims = csvfiles.read_records(bench["dir"] / "claims.csv", records.CLAIM, warnings.append)
    sightings = csvfiles.read_records(bench["dir"] / "sightings.csv", records.CLAIM, warnings.append)
    assert not warnings, [str(w) for w in warnings[:5]]
    assert len(claims) == N
    assert csvfiles.looks_like_sightings(sightings)
    assert not csvfiles.looks_like_sightings(claims)


def test_values_parse_and_are_consistent(bench):
    for rows in (bench["claims"].values(), bench["sightings"].values()):
        for r in rows:
            event = dt.date.fromisoformat(r["event_date"])
            assert event <= G.GENERATION_DATE
            assert r["sex"] in ("F", "M", "")
            if r["birth_date"]:
                assert re.fullmatch(r"\d{4}(-\d{2}-\d{2})?", r["birth_date"])
            if r["age_min"] or r["age_max"]:
                assert 0 <= int(r["age_min"]) <= int(r["age_max"]) <= 100
            if r["height_cm"]:
                assert 60 <= int(r["height_cm"]) <= 220
            assert r["country"] == "" or r["country"] in ON.PLACES
    for r in bench["claims"].values():
        assert r["birth_date"] or r["age_min"], r
        if len(r["birth_date"]) == 10:
            assert dt.date.fromisoformat(r["birth_date"]) < dt.date.fromisoformat(r["event_date"])


def test_truth_ids_exist(bench):
    claims, sightings, truth = bench["claims"], bench["sightings"], bench["truth"]
    pairs = [(p["left_id"], p["right_id"]) for p in bench["truth_pairs.csv"][1]]
    assert pairs and len(pairs) == len(set(pairs))
    for a, b in pairs:
        assert a in claims and b in claims and a < b
        assert truth[a]["person"] == truth[b]["person"]
    links = bench["truth_sightings.csv"][1]
    assert links
    for r in links:
        assert r["sighting_id"] in sightings and r["claim_id"] in claims
        assert truth[r["sighting_id"]]["person"] == truth[r["claim_id"]]["person"]
    assert set(truth) == set(claims) | set(sightings)
    assert not set(claims) & set(sightings)


def test_every_claim_of_a_person_is_in_the_truth(bench):
    by_person: dict[str, list[str]] = {}
    for cid in bench["claims"]:
        by_person.setdefault(bench["truth"][cid]["person"], []).append(cid)
    n_pairs = sum(len(ids) * (len(ids) - 1) // 2 for ids in by_person.values())
    assert n_pairs == len(bench["truth_pairs.csv"][1])
    seen = {r["sighting_id"] for r in bench["truth_sightings.csv"][1]}
    for sid in seen:
        person = bench["truth"][sid]["person"]
        linked = {r["claim_id"] for r in bench["truth_sightings.csv"][1] if r["sighting_id"] == sid}
        assert linked == set(by_person[person])


def test_sizes_and_shares(bench):
    n_sightings = len(bench["sightings"])
    assert n_sightings == round(N * G.SIGHTINGS_PER_CLAIM)
    seen = {r["sighting_id"] for r in bench["truth_sightings.csv"][1]}
    assert abs(len(seen) / n_sightings - (1 - G.UNCLAIMED_SHARE)) < 0.1
    people = Counter(bench["truth"][cid]["person"] for cid in bench["claims"])
    multi = sum(1 for c in people.values() if c > 1) / len(people)
    assert abs(multi - G.MULTI_CLAIM_SHARE) < 0.03
    populations = Counter(bench["truth"][cid]["population"] for cid in bench["claims"])
    assert set(populations) == set(ON.POPULATIONS)


def test_deterministic_for_a_seed(tmp_path, bench):
    G.generate(N, 7, str(tmp_path / "again"))
    G.generate(N, 8, str(tmp_path / "other"))
    for name in FILES:
        assert (tmp_path / "again" / name).read_bytes() == (bench["dir"] / name).read_bytes()
    assert (tmp_path / "other" / "claims.csv").read_bytes() != (bench["dir"] / "claims.csv").read_bytes()


def _docstring_tables() -> dict[str, dict[str, list[float]]]:
    """The rate tables of the module docstring, by their first header cell."""
    tables: dict[str, dict[str, list[float]]] = {}
    current: dict[str, list[float]] = {}
    for line in (G.__doc__ or "").splitlines():
        line = line.strip()
        header = re.fullmatch(r"\| ([a-z ]+) \| [a-z_| ]+ \|", line)
        if header:
            current = tables.setdefault(header.group(1), {})
        m = re.fullmatch(r"\| (\w+) \| ([0-9. |]+) \|", line)
        if m:
            current[m.group(1)] = [float(x) for x in m.group(2).split("|")]
    return tables


def test_the_docstring_states_the_rates_in_use():
    tables = _docstring_tables()
    assert tables["claim corruption"] == {
        kind: [G.CLAIM_RATES[f][kind] for f in G.FILERS] for kind in G._CLAIM_RATE_ROWS
    }
    assert tables["sighting name known"] == {k: [v] for k, v in G.SIGHTING_NAME.items()}
    assert tables["sighting corruption"] == {k: [v] for k, v in G.SIGHTING_RATES.items()}
    assert math.isclose(sum(G.SIGHTING_NAME.values()), 1.0)


def _near(applied: int, eligible: int, rate: float) -> bool:
    """Within four binomial standard deviations (and a point) of the declared rate."""
    sd = math.sqrt(max(rate * (1 - rate), 1e-4) / eligible)
    return abs(applied / eligible - rate) <= 4 * sd + 0.01


def test_corruption_rates_are_those_declared(big_stats):
    checked = 0
    for filer in G.FILERS:
        for kind, rate in G.CLAIM_RATES[filer].items():
            eligible, applied = big_stats.get((f"claim:{filer}", kind), (0, 0))
            if eligible >= 100:
                assert _near(applied, eligible, rate), (filer, kind, applied / eligible, rate)
                checked += 1
    for kind, rate in G.SIGHTING_RATES.items():
        eligible, applied = big_stats[("sighting", kind)]
        assert eligible >= 100 and _near(applied, eligible, rate), (kind, applied / eligible, rate)
        checked += 1
    for name, rate in G.SIGHTING_NAME.items():
        eligible, applied = big_stats[("sighting:name", "cat:" + name)]
        assert _near(applied, eligible, rate), (name, applied / eligible, rate)
    for style, rate in G.AGE_STYLE.items():
        eligible, applied = big_stats[("sighting:age", "cat:" + style)]
        assert _near(applied, eligible, rate), (style, applied / eligible, rate)
    for kind, rate in G.BRAZIL_ABROAD_RATES.items():
        for filer in ("police_abroad", "family", "ngo"):
            eligible, applied = big_stats.get((f"claim:{filer}", kind + "_brazilian_abroad"), (0, 0))
            if eligible >= 100:
                assert _near(applied, eligible, rate), (filer, kind)
    assert checked >= 60


def test_tags_show_in_the_records(bench):
    claims, sightings, truth = bench["claims"], bench["sightings"], bench["truth"]
    tag_count: Counter = Counter()
    for t in truth.values():
        tag_count.update(x for x in t["tags"].split(";") if x)
    for kind in ("respelled", "typo", "one_surname", "surname_order", "age_only", "age_outside", "nickname_as_given"):
        assert tag_count[kind] > 0, kind
    for cid, c in claims.items():
        tags = truth[cid]["tags"].split(";")
        if "age_only" in tags:
            assert not c["birth_date"] and c["age_min"]
        if "birth_year_only" in tags:
            assert len(c["birth_date"]) == 4
        if "doc_missing" in tags:
            assert not c["document_id"]
        if "surnames_one_field" in tags:
            assert " " in c["first_surname"] and not c["second_surname"]
    for sid, s in sightings.items():
        tags = truth[sid]["tags"].split(";")
        if "name:none" in tags:
            assert not (s["given_names"] or s["first_surname"] or s["aliases"])
        if "name:surname_only" in tags:
            assert s["first_surname"] and not s["given_names"] and not s["aliases"]
        if "age_missing" in tags:
            assert not s["age_min"]
        if "sex_missing" in tags:
            assert not s["sex"]


def test_heard_spellings():
    import random

    rng = random.Random(3)
    quispe = {G.respell_word(rng, "Quispe", "andean") for _ in range(200)}
    assert {"Kispe", "Quispi"} <= quispe
    joseph = {G.respell_word(rng, "Joseph", "haitian") for _ in range(50)}
    assert joseph <= set(ON.HAITIAN_HEARD["Joseph"])
    xol = {G.respell_word(rng, "Xol", "maya") for _ in range(100)}
    assert "Shol" in xol
    assert G.respell(rng, "Jean-Robert", "haitian") != "Jean-Robert"
    # Quechua vowels for Quechua surnames, not for the Spanish given names of Quechua speakers
    assert "Cundori" in {G.respell_word(rng, "Condori", "andean") for _ in range(200)}
    pedro = {G.respell_word(rng, "Pedro", "andean", given=True) for _ in range(100)}
    assert not {"Pidro", "Pedru", "Pidru"} & pedro
    for _ in range(100):
        typo = G.phone_typo(rng, "Guadalupe")
        assert typo != "Guadalupe" and abs(len(typo) - len("Guadalupe")) <= 1


def test_evaluate_scores_its_truth(bench, tmp_path):
    out = tmp_path / "out.csv"
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["left_id", "right_id", "score", "decision", "reasons"])
        for r in bench["truth_sightings.csv"][1]:
            w.writerow([r["claim_id"], r["sighting_id"], "0.9", "match", ""])
        for r in bench["truth_pairs.csv"][1]:
            w.writerow([r["left_id"], r["right_id"], "0.9", "match", ""])
    assert EV.recall_at_k(str(out), str(bench["dir"] / "truth_sightings.csv"), 1)["recall_at_k"] == 1.0
    assert EV.pair_f1(str(out), str(bench["dir"] / "truth_pairs.csv"), dedupe=True)["recall"] == 1.0


def test_command_line(tmp_path):
    out = tmp_path / "cli"
    res = subprocess.run(
        [sys.executable, str(BENCH / "generate_other.py"), "--claims", "300", "--seed", "2", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 0, res.stderr
    assert "300 claims" in res.stderr
    for name in FILES:
        assert (out / name).exists()
