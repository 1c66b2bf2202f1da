#!/usr/bin/env python3
"""Latency of matching ONE new sighting against N stored claims (index built once), with memory.

    .venv/bin/python bench/query_latency.py --claims 1000000 --sightings 300

Side by side in the same run: the engine (candidate keys + vectorised filter + scoring of the best
candidates, i.e. everything the portal does for a new sighting) and the plain rapidfuzz baseline
(``process.extract`` of the sighting's name with WRatio over every claim's full name, top 10).
Prints medians and 95th percentiles in milliseconds, their ratio, index build time and peak memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "bench"))

import generate  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402

from portal.matching.blocking import CandidateIndex  # noqa: E402
from portal.matching.csvfiles import read_records  # noqa: E402
from portal.matching.linker import link  # noqa: E402
from portal.matching.records import SIGHTING, prepare  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def full_name(r) -> str:  # type: ignore[no-untyped-def]
    return " ".join(x for x in (r.given_names, r.first_surname, r.second_surname, *r.aliases) if x)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--sightings", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "portal-bench-latency"))
    args = parser.parse_args()

    folder = os.path.join(args.work, f"{args.claims}-{args.seed}")
    if not os.path.exists(os.path.join(folder, "claims.csv")):
        generate.generate(args.claims, args.seed, folder)
    started = time.perf_counter()
    claims = [prepare(r) for r in read_records(os.path.join(folder, "claims.csv"))]
    index = CandidateIndex(claims)
    build = time.perf_counter() - started
    memory_index = peak_mb()
    sightings = read_records(os.path.join(folder, "sightings.csv"), SIGHTING)[: args.sightings]

    ours: list[float] = []
    for record in sightings:
        t = time.perf_counter()
        link(claims, [prepare(record)], top=10, index=index, frequencies=index.frequencies)
        ours.append((time.perf_counter() - t) * 1000)

    names = [full_name(p.record) for p in claims]
    baseline: list[float] = []
    for record in sightings[: max(20, args.sightings // 10)]:  # the baseline is slow: a sample
        query = full_name(record)
        if not query:
            continue
        t = time.perf_counter()
        process.extract(query, names, scorer=fuzz.WRatio, limit=10)
        baseline.append((time.perf_counter() - t) * 1000)

    def line(label: str, values: list[float]) -> str:
        p95 = statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)
        return f"| {label} | {len(values)} | {statistics.median(values):.1f} | {p95:.1f} |"

    print(f"claims: {len(claims):,}; index built in {build:.1f} s; peak memory after build {memory_index:,.0f} MB")
    print("| matcher | sightings | median ms | p95 ms |")
    print("|---|---|---|---|")
    print(line("engine (keys + filter + scoring)", ours))
    if baseline:
        print(line("rapidfuzz WRatio over all names", baseline))
        print(f"ratio of medians (baseline / engine): {statistics.median(baseline) / statistics.median(ours):.1f}x")
    print(f"peak memory: {peak_mb():,.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
