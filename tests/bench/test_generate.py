"""The synthetic matching benchmark generator (bench/generate.py)."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))
import generate as G  # noqa: E402
import names_data as ND  # noqa: E402

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
N = 2000


def read(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn").casefold()


def parse_partial(s: str) -> dt.date:
    """Earliest date a YYYY / YYYY-MM / YYYY-MM-DD value can mean."""
    parts = [int(x) for x in s.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("bench")
    stats = G.generate(N, 7, str(out))
    claims_cols, claims = read(out / "claims.csv")
    sight_cols, sightings = read(out / "sightings.csv")
    pair_cols, pairs = read(out / "truth_pairs.csv")
    ts_cols, truth_s = read(out / "truth_sightings.csv")
    return {
        "dir": out,
        "stats": stats,
        "claims_cols": claims_cols,
        "claims": claims,
        "sight_cols": sight_cols,
        "sightings": sightings,
        "pair_cols": pair_cols,
        "pairs": pairs,
        "ts_cols": ts_cols,
        "truth_s": truth_s,
        "by_id": {r["id"]: r for r in claims},
    }


def test_headers_are_exactly_the_contract(bench):
    assert bench["claims_cols"] == SPEC_COLUMNS
    assert bench["sight_cols"] == SPEC_COLUMNS
    assert bench["pair_cols"] == ["left_id", "right_id"]
    assert bench["ts_cols"] == ["sighting_id", "claim_id"]


def test_counts_and_unique_ids(bench):
    claims, sightings = bench["claims"], bench["sightings"]
    assert len(claims) == N
    assert len({r["id"] for r in claims}) == N
    assert len({r["id"] for r in sightings}) == len(sightings)
    assert not {r["id"] for r in claims} & {r["id"] for r in sightings}
    # ~0.5 sightings per 10 claims, ~30 % of them of people not claimed
    assert 0.04 * N <= len(sightings) <= 0.06 * N
    seen = {s for s, _ in ((r["sighting_id"], r["claim_id"]) for r in bench["truth_s"])}
    assert 0.55 <= len(seen) / len(sightings) <= 0.85


def test_values_parse_and_dates_are_consistent(bench):
    for rows in (bench["claims"], bench["sightings"]):
        for r in rows:
            event = dt.date.fromisoformat(r["event_date"])
            assert r["sex"] in ("F", "M", "")
            if r["birth_date"]:
                assert len(r["birth_date"]) in (4, 7, 10)
                assert parse_partial(r["birth_date"]) <= event
            if r["age_min"] or r["age_max"]:
                assert 0 <= int(r["age_min"]) <= int(r["age_max"]) < 100
            if r["height_cm"]:
                assert 80 <= int(r["height_cm"]) <= 210
            if r["document_id"]:
                assert r["document_id"].isdigit() and 7 <= len(r["document_id"]) <= 8
            assert r["country"] in ND.COUNTRIES
    for r in bench["claims"]:
        assert dt.date(2024, 1, 1) <= dt.date.fromisoformat(r["event_date"]) <= dt.date(2026, 12, 31)
        assert r["birth_date"] or (r["age_min"] and r["age_max"])


def test_truth_ids_exist_and_are_ordered(bench):
    by_id = bench["by_id"]
    sight_ids = {r["id"] for r in bench["sightings"]}
    pairs = [(p["left_id"], p["right_id"]) for p in bench["pairs"]]
    assert len(pairs) == len(set(pairs))
    for a, b in pairs:
        assert a in by_id and b in by_id and a < b
    for r in bench["truth_s"]:
        assert r["sighting_id"] in sight_ids and r["claim_id"] in by_id


def test_sightings_come_after_the_claims_they_match(bench):
    by_id = bench["by_id"]
    sight = {r["id"]: r for r in bench["sightings"]}
    for r in bench["truth_s"]:
        s_date = dt.date.fromisoformat(sight[r["sighting_id"]]["event_date"])
        c_date = dt.date.fromisoformat(by_id[r["claim_id"]]["event_date"])
        assert c_date <= s_date <= c_date + dt.timedelta(days=600)


def test_duplicate_rate(bench):
    # group claims of one person (pairs form cliques)
    groups: dict[str, set] = {}
    for p in bench["pairs"]:
        g = groups.get(p["left_id"]) or groups.get(p["right_id"]) or set()
        g |= {p["left_id"], p["right_id"]}
        for x in g:
            groups[x] = g
    distinct = {id(g): g for g in groups.values()}.values()
    in_groups = sum(len(g) for g in distinct)
    people = N - in_groups + len(distinct)
    assert 0.10 <= len(distinct) / people <= 0.20
    assert any(len(g) >= 3 for g in distinct)  # a few third claims
    # most duplicates are filed in another country
    other = sum(
        1 for p in bench["pairs"] if bench["by_id"][p["left_id"]]["country"] != bench["by_id"][p["right_id"]]["country"]
    )
    assert other / len(bench["pairs"]) >= 0.4


def test_every_corruption_kind_occurs(bench):
    counts = bench["stats"]["corruptions"]
    missing = [k for k in G.CORRUPTION_KINDS if counts[k] == 0]
    assert not missing


def _pairs(bench):
    by_id = bench["by_id"]
    return [(by_id[p["left_id"]], by_id[p["right_id"]]) for p in bench["pairs"]]


def test_corruptions_are_visible_in_the_files(bench):
    pairs = _pairs(bench)
    nick_values = {n for ns in ND.NICKNAMES.values() for n in ns}

    def some(pred) -> bool:
        return any(pred(a, b) or pred(b, a) for a, b in pairs)

    # different spellings of the first surname (not only accents/case)
    assert some(
        lambda a, b: (
            a["first_surname"]
            and b["first_surname"]
            and fold(a["first_surname"]) != fold(b["first_surname"])
            and fold(a["first_surname"]) != fold(b["second_surname"])
        )
    )
    # accent-only difference
    assert some(
        lambda a, b: any(
            a[k] != b[k] and fold(a[k]) == fold(b[k]) and a[k].lower() != b[k].lower()
            for k in ("given_names", "first_surname", "second_surname")
        )
    )
    # case change
    assert some(lambda a, b: a["first_surname"].isupper() and not b["first_surname"].isupper())
    # nickname used as the given name
    assert some(
        lambda a, b: a["given_names"] != b["given_names"] and fold(a["given_names"]) in {fold(n) for n in nick_values}
    )
    # swapped surnames
    assert some(
        lambda a, b: (
            a["first_surname"]
            and a["first_surname"] == b["second_surname"]
            and a["second_surname"] == b["first_surname"]
            and a["first_surname"] != a["second_surname"]
        )
    )
    # missing second surname / married name
    assert some(lambda a, b: not a["second_surname"] and b["second_surname"])
    assert some(lambda a, b: a["second_surname"].startswith("de ") and not b["second_surname"].startswith("de "))
    # birth dates: only the year, day-month swapped, year off by one, age range instead
    assert some(lambda a, b: len(a["birth_date"]) == 4 and len(b["birth_date"]) == 10)
    assert some(
        lambda a, b: (
            len(a["birth_date"]) == len(b["birth_date"]) == 10
            and a["birth_date"] != b["birth_date"]
            and a["birth_date"][:4] == b["birth_date"][:4]
            and a["birth_date"][5:7] == b["birth_date"][8:10]
            and a["birth_date"][8:10] == b["birth_date"][5:7]
        )
    )
    assert some(
        lambda a, b: (
            len(a["birth_date"]) == len(b["birth_date"]) == 10
            and abs(int(a["birth_date"][:4]) - int(b["birth_date"][:4])) == 1
            and a["birth_date"][4:] == b["birth_date"][4:]
        )
    )
    assert some(lambda a, b: not a["birth_date"] and a["age_min"] and b["birth_date"])
    # document: missing, one digit wrong
    assert some(lambda a, b: not a["document_id"] and b["document_id"])
    assert some(
        lambda a, b: (
            a["document_id"]
            and b["document_id"]
            and len(a["document_id"]) == len(b["document_id"])
            and sum(x != y for x, y in zip(a["document_id"], b["document_id"], strict=True)) == 1
        )
    )
    # height within 3 cm but different
    assert some(
        lambda a, b: a["height_cm"] and b["height_cm"] and 0 < abs(int(a["height_cm"]) - int(b["height_cm"])) <= 3
    )
    # paraphrased marks, in other languages too
    assert some(lambda a, b: "tatuad" in a["description"].lower() and "tatuaje de" in b["description"].lower())
    assert some(lambda a, b: "tattoo on" in a["description"].lower() and "tatuaje de" in b["description"].lower())
    assert some(lambda a, b: "tatuagem de" in a["description"].lower())


def test_hard_negatives_exist(bench):
    true_pairs = {(p["left_id"], p["right_id"]) for p in bench["pairs"]}
    by_name = defaultdict(list)
    for r in bench["claims"]:
        by_name[(fold(r["given_names"]), fold(r["first_surname"]), fold(r["second_surname"]))].append(r["id"])
    # some identical full names belong to different people
    shared = [
        ids
        for ids in by_name.values()
        if len(ids) >= 2 and any((a, b) not in true_pairs for a in ids for b in ids if a < b)
    ]
    assert shared
    # siblings: same surnames and place, different given names, not a true pair
    by_family = defaultdict(list)
    for r in bench["claims"]:
        by_family[(r["first_surname"], r["second_surname"], r["place"])].append(r)
    sib = [
        (a, b)
        for rows in by_family.values()
        for a in rows
        for b in rows
        if a["id"] < b["id"]
        and (a["id"], b["id"]) not in true_pairs
        and a["given_names"].split()[0] != b["given_names"].split()[0]
        and a["birth_date"][:4] != b["birth_date"][:4]
    ]
    assert sib


def test_deterministic_for_a_seed(tmp_path, bench):
    G.generate(N, 7, str(tmp_path / "again"))
    G.generate(N, 8, str(tmp_path / "other"))
    for name in ("claims.csv", "sightings.csv", "truth_pairs.csv", "truth_sightings.csv"):
        assert (tmp_path / "again" / name).read_bytes() == (bench["dir"] / name).read_bytes()
    assert (tmp_path / "other" / "claims.csv").read_bytes() != (bench["dir"] / "claims.csv").read_bytes()


def test_command_line(tmp_path):
    out = tmp_path / "cli"
    res = subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), "--claims", "300", "--seed", "2", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 0, res.stderr
    assert "300 claims" in res.stderr
    for name in ("claims.csv", "sightings.csv", "truth_pairs.csv", "truth_sightings.csv"):
        assert (out / name).exists()
    _, rows = read(out / "claims.csv")
    assert len(rows) == 300
