#!/usr/bin/env python3
"""Score a linker output (``portal link`` OUT.csv format) against the truth.

OUT.csv has ``left_id,right_id,score,decision[,reasons]``; ``decision`` is ``match`` or
``possible``. Every tool (ours and each baseline of ``baselines.py``) writes that format,
so one evaluator scores them all.

- :func:`pair_f1`      precision / recall / F1 of the ``match`` decisions against true pairs
                       (unordered pairs when deduplicating);
- :func:`recall_at_k`  sightings: share of the sightings that have at least one true claim
                       whose top-k candidates (by score, per ``right_id``) hold one;
- :func:`calibration`  observed true rate per score decile (is ``score`` a probability?).

    python bench/evaluate.py OUT.csv TRUTH.csv --task dedupe|link|sightings
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from collections.abc import Iterable

Pair = tuple[str, str]


def _norm(left: str, right: str, dedupe: bool) -> Pair:
    """A pair key; unordered (sorted) when deduplicating."""
    return (min(left, right), max(left, right)) if dedupe else (left, right)


def read_out(out_csv: str) -> list[tuple[str, str, float, str]]:
    """Rows of an OUT.csv as ``(left_id, right_id, score, decision)``; an unparsable score
    counts as 0."""
    rows = []
    with open(out_csv, newline="", encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            try:
                score = float(rec.get("score") or 0.0)
            except ValueError:
                score = 0.0
            rows.append((rec["left_id"], rec["right_id"], score, (rec.get("decision") or "").strip()))
    return rows


def load_truth(truth_csv: str, dedupe: bool = False) -> set[Pair]:
    """True pairs as ``(left_id, right_id)``.

    Accepts ``left_id,right_id`` (truth_pairs.csv, truth_febrl4.csv) and
    ``sighting_id,claim_id`` (truth_sightings.csv, read as left = claim, right = sighting,
    the orientation of ``portal link claims.csv sightings.csv``)."""
    pairs: set[Pair] = set()
    with open(truth_csv, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fields = reader.fieldnames or []
        for rec in reader:
            if "sighting_id" in fields:
                left, right = rec["claim_id"], rec["sighting_id"]
            else:
                left, right = rec["left_id"], rec["right_id"]
            pairs.add(_norm(left, right, dedupe))
    return pairs


def pair_f1(out_csv: str, truth_csv: str, dedupe: bool) -> dict[str, float]:
    """Precision, recall, F1 and ``n_predicted`` of the rows with ``decision == "match"``.

    When deduplicating, (a, b) and (b, a) are the same pair and count once."""
    truth = load_truth(truth_csv, dedupe)
    predicted = {_norm(left, right, dedupe) for left, right, _, d in read_out(out_csv) if d == "match"}
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "n_predicted": len(predicted),
        "n_true": len(truth),
        "true_positives": tp,
    }


def claims_of_sightings(truth_sightings_csv: str) -> dict[str, set[str]]:
    """The true claims of each sighting."""
    truth: dict[str, set[str]] = defaultdict(set)
    for claim, sighting in load_truth(truth_sightings_csv):
        truth[sighting].add(claim)
    return truth


def recall_at_k(out_csv: str, truth_sightings_csv: str, k: int = 10) -> dict[str, float]:
    """Among sightings with at least one true claim, the share whose top-``k`` rows (score
    descending, per ``right_id``; any decision) contain a true claim."""
    rows = ((left, right, score) for left, right, score, _ in read_out(out_csv))
    return recall_of(rows, claims_of_sightings(truth_sightings_csv), k)


def recall_of(rows: Iterable[tuple[str, str, float]], truth: dict[str, set[str]], k: int) -> dict[str, float]:
    """``recall_at_k`` of candidate rows ``(left_id, right_id, score)`` against ``truth`` (sighting ->
    its true claims; only the sightings it names are counted)."""
    by_right: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for left, right, score in rows:
        by_right[right].append((score, left))
    hits = 0
    for sighting, claims in truth.items():
        ranked = sorted(by_right.get(sighting, ()), key=lambda t: -t[0])[:k]
        hits += any(left in claims for _, left in ranked)
    n = len(truth)
    return {"recall_at_k": hits / n if n else 0.0, "k": k, "n_sightings": n, "hits": hits}


def calibration(out_csv: str, truth, dedupe: bool = False) -> list[dict[str, float]]:
    """Score deciles 0-0.1 ... 0.9-1.0 with the number of rows and the observed true rate.

    ``truth`` is a truth CSV path or a set of pairs from :func:`load_truth`. Scores are
    clipped to [0, 1]; 1.0 falls in the last bin. A bin without rows has rate ``None``."""
    pairs = load_truth(truth, dedupe) if isinstance(truth, str) else truth
    counts = [0] * 10
    trues = [0] * 10
    for left, right, score, _ in read_out(out_csv):
        b = min(9, max(0, int(min(max(score, 0.0), 1.0) * 10)))
        counts[b] += 1
        trues[b] += _norm(left, right, dedupe) in pairs
    return [
        {
            "bin": f"{b / 10:.1f}-{(b + 1) / 10:.1f}",
            "count": counts[b],
            "true_rate": trues[b] / counts[b] if counts[b] else None,
        }
        for b in range(10)
    ]


def format_calibration(table: list[dict[str, float]]) -> str:
    """A calibration table as one compact line: ``0.0-0.1: n=.. obs=..; ...``."""
    cells = []
    for row in table:
        if row["count"]:
            cells.append(f"{row['bin']}: n={row['count']} obs={row['true_rate']:.2f}")
    return "; ".join(cells) if cells else "(no rows)"


def main() -> None:
    parser = argparse.ArgumentParser(description="Score a linker OUT.csv against the truth.")
    parser.add_argument("out_csv")
    parser.add_argument("truth_csv")
    parser.add_argument("--task", choices=["dedupe", "link", "sightings"], required=True)
    parser.add_argument("-k", type=int, default=10)
    args = parser.parse_args()
    dedupe = args.task == "dedupe"
    print(pair_f1(args.out_csv, args.truth_csv, dedupe))
    if args.task == "sightings":
        print(recall_at_k(args.out_csv, args.truth_csv, args.k))
    print(format_calibration(calibration(args.out_csv, args.truth_csv, dedupe)))


if __name__ == "__main__":
    main()
