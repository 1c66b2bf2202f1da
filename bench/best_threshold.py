#!/usr/bin/env python3
"""Pair F1 of a `portal link` dedupe output at its best threshold, beside F1 at the "match" threshold.

    .venv/bin/python bench/best_threshold.py /tmp/est/other/out_dedupe_fitted.csv /tmp/est/other/truth_pairs.csv

The best threshold is chosen with the truth, so its F1 is an upper figure (how well the scores rank
the pairs), not a result: it tells a ranking problem (weights) from a scale problem (calibration).
Only counts and scores are printed.
"""

from __future__ import annotations

import argparse
import csv

MATCH = 0.5  # portal.matching.scoring.MATCH


def pairs_by_score(path: str) -> list[tuple[float, frozenset[str]]]:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = [(float(r["score"]), frozenset((r["left_id"], r["right_id"]))) for r in csv.DictReader(fh)]
    return sorted(rows, key=lambda row: -row[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", help="portal link's OUT.csv (deduplication)")
    parser.add_argument("truth", help="truth_pairs.csv (left_id,right_id)")
    args = parser.parse_args(argv)
    with open(args.truth, newline="", encoding="utf-8") as fh:
        truth = {frozenset((r["left_id"], r["right_id"])) for r in csv.DictReader(fh)}
    seen: set[frozenset[str]] = set()
    true_positives = 0
    best_f1, best_score = 0.0, 1.0
    at_match = 0.0
    for score, pair in pairs_by_score(args.output):
        if pair in seen:
            continue
        seen.add(pair)
        true_positives += pair in truth
        f1 = 2 * true_positives / (len(seen) + len(truth))
        if f1 > best_f1:
            best_f1, best_score = f1, score
        if score >= MATCH:
            at_match = f1
    print(f"best F1 {best_f1:.3f} at score {best_score:.4f}; F1 at {MATCH} {at_match:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
