#!/usr/bin/env python3
"""What a claim with many candidate sightings costs to reassess (decision 44; the trafficking card's
list of missing facts).

    .venv/bin/python bench/risk_missing.py            # about a minute

A viral case draws hundreds of tips from the public, each a candidate sighting of the same claim, and
each new one reassesses the claim. The list of missing facts tries every unknown fact of every
sighting at its worst value. Before: each trial was assessed in full, so the cost grew with the
square of the sightings. Now (``assessment._level_with_sighting``): from the case's own hits, so
each trial costs about the same whatever the number of sightings. Both are timed here in one run
on the same synthetic cases (invented facts, no person), medians of --repeat runs, with the ratio.
Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Hashable
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from portal.risk import assessment
from portal.risk.facts import Case, ClaimFacts, SightingFacts, Source
from portal.risk.results import Missing
from portal.risk.rules import Rules, load_rules
from portal.sightings.codes import COMPANIONS, VENUES


def synthetic_case(sightings: int, seed: int) -> Case:
    """A 15-year-old's claim (a job offer) and ``sightings`` varied candidate sightings from the public."""
    rng = random.Random(seed)
    claim = ClaimFacts(
        "claim:1",
        Source("family", True),
        age=15,
        sex="F",
        country="BO",
        event_date=date(2026, 1, 5),
        circumstances=("job_offer",),
    )
    found = tuple(
        SightingFacts(
            f"sighting:{k}",
            Source("public", False),
            "candidate",
            country=rng.choice(["BO", "PE", "CL", "AR"]),
            event_date=date(2026, 2, 1) + timedelta(days=rng.randrange(200)),
            venue=rng.choice((*VENUES, "")),
            companion=rng.choice((*COMPANIONS, "")),
            free_to_leave=rng.choice(["yes", "no", "unknown", ""]),
        )
        for k in range(sightings)
    )
    return Case(claim, date(2026, 12, 1), sightings=found)


def missing_in_full(case: Case, rules: Rules, level: int) -> list[Missing]:
    """The method before: every distinct trial assessed in full (``_final_level`` of the changed case)."""
    out = [Missing("age", "age_unknown")] if case.claim.age is None else []
    levels: dict[Hashable, int] = {}
    for trial in assessment._trials(case):
        key = trial.twin if trial.twin is not None else object()
        if key not in levels:
            levels[key] = assessment._final_level(trial.worse, rules)
        if levels[key] > level:
            out.append(trial.missing)
    return out


def timed(function, *args) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,400,1000", help="candidate sightings per claim")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    rules = load_rules()
    print("| sightings | missing facts | before ms | now ms | before / now |")
    print("|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        case = synthetic_case(size, seed=size)
        level = assessment.assess(case, rules).level
        before, now = [], []
        for _ in range(args.repeat):
            seconds, old = timed(missing_in_full, case, rules, level)
            before.append(seconds)
            seconds, new = timed(assessment._missing, case, rules, level)
            now.append(seconds)
            if old != new:
                raise SystemExit(f"{size} sightings: the two methods disagree")
        b, n = statistics.median(before) * 1000, statistics.median(now) * 1000
        print(f"| {size:,} | {len(new):,} | {b:,.0f} | {n:,.0f} | {b / n:.1f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
