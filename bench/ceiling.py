#!/usr/bin/env python3
"""How well could any ranker do with what the sightings say? A ceiling for sightings recall@k.

    .venv/bin/python bench/ceiling.py /tmp/other20000 --sample 300      # about 2 minutes
    .venv/bin/python bench/ceiling.py /tmp/bench20000 --sample 300

For a sample of the sightings that have a true claim, every claim of the set (no blocking, no
filter, no threshold) is compared with the sighting at the engine's comparison levels
(``estimate.pair_levels``: given name exact / nickname / by sound / slip / none, sex, age, place,
delay, height, marks, document). A claim that is at least as good as the true claim on every term
and better on one *dominates* it; one with the same levels on every term *ties* with it.

Any ranker whose score grows with each term's level (Fellegi-Sunter with any m and u, fitted by EM
or by hand; Splink; a learnt model constrained the same way) must put every dominating claim above
the true one. So the true claim can be among the first k only when fewer than k claims dominate
it: the share of such sightings is the bound printed ("ties won"), whatever breaks the ties. A
ranker that sees nothing but these levels wins ties by chance, with probability
``min(1, max(0, k - dominating) / (ties + 1))`` ("ties by chance"). The engine's score reads a
little more than the levels (a second given name, how close an age is), so it may pass the second
figure; the first bounds every ranker that reads only these levels, however it breaks ties.

Printed beside it: the same sample with the engine's own score over every claim (what perfect
blocking and no review threshold would give), by the sighting's name category when the set has
``truth_records.csv`` (generate_other.py).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import time
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from portal.matching.csvfiles import as_kind, read_records  # noqa: E402
from portal.matching.estimate import hand_weights, pair_levels  # noqa: E402
from portal.matching.records import CLAIM, SIGHTING, prepare  # noqa: E402
from portal.matching.scoring import TermFrequencies, compare  # noqa: E402

# An order on each term's levels, best first, for levels whose weight is a term frequency or an
# interval width (the others are ordered by their hand-set weight); an absent term is 0.
UNWEIGHTED = {
    ("given", "exact"): 10.0,
    ("given", "nickname"): 8.0,
    ("given", "phonetic"): 7.0,
    ("given", "typo"): 5.0,
    ("surname", "exact"): 10.0,
    ("surname", "phonetic"): 7.0,
    ("surname", "typo"): 5.0,
    ("birth", "dob=exact"): 12.0,
    ("birth", "age✓"): 3.0,
    ("place", "words"): 5.0,
    ("place", "country"): 3.0,
    ("place", "place_differs"): 2.0,
}


def level_order() -> dict[tuple[str, str], float]:
    order = {}
    for term, levels in hand_weights().items():
        for level, weight in levels.items():
            order[(term, level)] = UNWEIGHTED.get((term, level), weight if weight is not None else 0.0)
    return order


def profile(levels: dict[str, str], order: dict[tuple[str, str], float], terms: list[str]) -> tuple[float, ...]:
    return tuple(order.get((t, levels[t]), 0.0) if t in levels else 0.0 for t in terms)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("work", help="folder of a generated set (claims.csv, sightings.csv, truth_sightings.csv)")
    parser.add_argument("--sample", type=int, default=300, help="true sightings compared with every claim")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    claims = [prepare(r) for r in read_records(os.path.join(args.work, "claims.csv"), CLAIM)]
    raw = read_records(os.path.join(args.work, "sightings.csv"), CLAIM)
    sightings = {p.id: p for p in (prepare(r) for r in as_kind(raw, SIGHTING))}
    truth: dict[str, set[str]] = defaultdict(set)
    with open(os.path.join(args.work, "truth_sightings.csv"), newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            truth[row["sighting_id"]].add(row["claim_id"])
    category: dict[str, str] = {}
    tags_path = os.path.join(args.work, "truth_records.csv")
    if os.path.exists(tags_path):
        with open(tags_path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for tag in row["tags"].split(";"):
                    if tag.startswith("name:"):
                        category[row["id"]] = tag[5:]
    tf = TermFrequencies.from_prepared([*claims, *sightings.values()])
    order = level_order()
    terms = sorted(hand_weights())
    sample = random.Random(args.seed).sample(sorted(truth), min(args.sample, len(truth)))
    started = time.perf_counter()
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0] * 7)
    for sid in sample:
        q = sightings[sid]
        profiles, scores = [], []
        for c in claims:
            levels = pair_levels(c, q)
            profiles.append(None if not levels else profile(levels, order, terms))
            scores.append(compare(c, q, tf, len(claims)).score)
        best10 = best1 = won10 = won1 = 0.0
        for i, c in enumerate(claims):
            if c.id not in truth[sid] or profiles[i] is None:
                continue
            mine = profiles[i]
            dominating = ties = 0
            for j, other in enumerate(profiles):
                if j == i or other is None or claims[j].id in truth[sid]:
                    continue
                if all(x >= y for x, y in zip(other, mine, strict=True)):
                    if other == mine:
                        ties += 1
                    else:
                        dominating += 1
            won10, won1 = max(won10, float(dominating < 10)), max(won1, float(dominating < 1))
            best10 = max(best10, min(1.0, max(0, 10 - dominating) / (ties + 1)))
            best1 = max(best1, min(1.0, max(0, 1 - dominating) / (ties + 1)))
        ranked = sorted(range(len(claims)), key=lambda j: -scores[j])
        engine10 = any(claims[j].id in truth[sid] for j in ranked[:10])
        engine1 = claims[ranked[0]].id in truth[sid]
        for key in ("all", category.get(sid, "")):
            if key:
                s = sums[key]
                for n, value in enumerate((won10, won1, best10, best1, engine10, engine1, 1)):
                    s[n] += value
    seconds = time.perf_counter() - started
    print(f"{args.work}: {len(sample)} true sightings against {len(claims):,} claims, {seconds:.0f} s")
    print(
        "| sightings | n | bound recall@10 (ties won) | @1 | ties by chance @10 | @1 "
        "| engine, every claim scored @10 | @1 |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for key, values in sorted(sums.items(), key=lambda kv: (kv[0] != "all", -kv[1][6])):
        n = values[6]
        print(f"| {key} | {int(n)} | " + " | ".join(f"{v / n:.3f}" for v in values[:6]) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
