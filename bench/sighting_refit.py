#!/usr/bin/env python3
"""Would sighting weights refit on officers' decisions rank sightings better? (issue 10, part 5)

    .venv/bin/python bench/sighting_refit.py /tmp/other20k /tmp/bench20k     # about 3 minutes each

For each set (``claims.csv``, ``sightings.csv``, ``truth_sightings.csv``, as bench/run.py writes
them), the sightings are split in two halves at random. The first half is linked with the hand-set
weights and its shown candidates (the ten best of each) are decided as an officer would: the true
claim confirmed, every other candidate rejected. The weights are then written as m and u
(``estimate.fit_levels`` without iterations: m implied by the hand-set weights, u from 100,000
random claim-sighting pairs), refit on those decisions (``estimate.refit``, for several prior
strengths), and the second half is linked with each: recall@10 and recall@1 side by side with the
hand-set weights. Every candidate is kept (``min_score`` 0) so that only the ranking differs.
Only counts and figures are printed, never a name.
"""

from __future__ import annotations

import argparse
import os
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import evaluate  # noqa: E402

from portal.matching import estimate, weights  # noqa: E402
from portal.matching.blocking import CandidateIndex  # noqa: E402
from portal.matching.csvfiles import as_kind, read_records  # noqa: E402
from portal.matching.linker import link, prepare_with_keys  # noqa: E402
from portal.matching.records import CLAIM, SIGHTING, prepare  # noqa: E402


def recall(candidates, truth: dict[str, set[str]], k: int) -> float:
    """recall@k of linked candidates over the sightings of ``truth`` (bench/evaluate.py)."""
    rows = ((c.left.id, c.right.id, c.result.score) for c in candidates)
    return evaluate.recall_of(rows, truth, k)["recall_at_k"]


def run(folder: str, seed: int) -> None:
    left, keys = prepare_with_keys(read_records(os.path.join(folder, "claims.csv"), CLAIM, lambda w: None))
    sightings = as_kind(read_records(os.path.join(folder, "sightings.csv"), SIGHTING, lambda w: None), SIGHTING)
    right = [prepare(r) for r in sightings]
    truth = evaluate.claims_of_sightings(os.path.join(folder, "truth_sightings.csv"))
    index = CandidateIndex(left, keys)
    shuffled = random.Random(seed).sample(right, len(right))
    train, test = shuffled[: len(right) // 2], shuffled[len(right) // 2 :]
    tested = {q.id: truth[q.id] for q in test if q.id in truth}
    confirmed, rejected = [], []
    for c in link(left, train, index=index, min_score=0.0):
        (confirmed if c.left.id in truth.get(c.right.id, ()) else rejected).append(
            estimate.pair_levels(c.left, c.right)
        )
    draw = random.Random(seed + 1)
    sampled = [
        estimate.pair_levels(left[draw.randrange(len(left))], right[draw.randrange(len(right))]) for _ in range(100_000)
    ]
    base = estimate.fit_levels(sampled, sampled, max_iterations=0, em_u="random")
    rows = [("hand-set", None), ("hand-set m, u from random pairs", base)]
    for prior in (50.0, 200.0):
        for u_prior in (None, 1000.0):
            fit = estimate.refit(base, confirmed, rejected, prior_pairs=prior, u_prior_pairs=u_prior)
            u_text = "the random pairs'" if u_prior is None else f"{u_prior:.0f}"
            rows.append((f"refit, m prior {prior:.0f} pairs, u prior {u_text}", fit))
    print(f"\n## {folder}: {len(confirmed)} confirmed / {len(rejected)} rejected on {len(train)} sightings\n")
    print("| weights | recall@10 | recall@1 |")
    print("|---|---:|---:|")
    for label, fitted in rows:
        with weights.applied_weights(fitted):
            found = link(left, test, index=index, min_score=0.0)
        print(f"| {label} | {recall(found, tested, 10):.3f} | {recall(found, tested, 1):.3f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", help="sets written by bench/run.py (or generate*.py)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    for folder in args.folders:
        run(folder, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
