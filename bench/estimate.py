#!/usr/bin/env python3
"""Hand-set weights against weights estimated from the registry itself (issue 10, EM as Splink does).

    .venv/bin/python bench/estimate.py --claims 20000 --work /tmp/bench_estimate --refit 500

For each generator (``ours``: bench/generate.py, ``other``: bench/generate_other.py) it generates the
set (reused when already there), fits m and u on the claims with ``portal.matching.estimate.fit``
(u from random pairs, m and λ by EM on the blocked pairs), writes ``WORK/GEN/weights.json`` and prints a
markdown table per term and level: the hand-set weight, the fitted one, the fitted m beside the m
counted on the true duplicate pairs (the generator's labels, a check of the EM), u and how many
blocked pairs were at the level. Then it runs ``portal link`` with and without ``--weights`` and prints
dedupe P/R/F1 and sightings recall@10 / recall@1 side by side (scored by bench/run.py and
bench/evaluate.py). With ``--refit N``, N candidates of the hand-set dedupe run are labelled from the
truth as an officer would (confirm / reject), ``estimate.refit`` refines the fit with them, and the
refitted weights are measured too. With ``--febrl``, the same on FEBRL4's link (``run_febrl``).
Only counts and figures are printed, never a name.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
sys.path.insert(0, REPO)

import calibration  # noqa: E402
import run as bench_run  # noqa: E402

from portal.matching import estimate, scoring, weights  # noqa: E402
from portal.matching.blocking import CandidateIndex  # noqa: E402
from portal.matching.csvfiles import read_records  # noqa: E402
from portal.matching.linker import prepare_with_keys  # noqa: E402
from portal.matching.records import CLAIM  # noqa: E402


def _fmt(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def truth_m(prepared, truth_csv: str) -> dict[str, dict[str, float]]:
    """m of each level counted on the generator's true duplicate pairs (a check of the EM)."""
    position = {p.id: k for k, p in enumerate(prepared)}
    levels = []
    with open(truth_csv, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            a, b = position.get(row["left_id"]), position.get(row["right_id"])
            if a is not None and b is not None:
                levels.append(estimate.pair_levels(prepared[a], prepared[b]))
    counts = estimate.Encoded(levels).level_counts()
    out = {}
    for term, levels_of_term in estimate.LEVELS.items():
        total = counts[term].sum()
        out[term] = {level: (counts[term][k] / total if total else 0.0) for k, level in enumerate(levels_of_term)}
    return out


def weights_table(fitted: dict, truth: dict[str, dict[str, float]]) -> str:
    """Markdown: hand-set and fitted weight, fitted and true m, u, pairs seen, per term and level."""
    lines = [
        "| term | level | hand-set bits | fitted bits | m fitted | m true | u (random pairs) | blocked pairs |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for term, table in fitted["terms"].items():
        for level, row in table.items():
            hand = row["hand_weight"]
            hand_text = _fmt(hand) if hand is not None else f"tf (m {_fmt(row['hand_m'])})"
            lines.append(
                f"| {term} | {level} | {hand_text} | {_fmt(row['weight'])} | {_fmt(row['m'], 3)} | "
                f"{_fmt(truth[term][level], 3)} | {_fmt(row['u'], 4)} | {row['count']:,} |"
            )
    return "\n".join(lines)


def scored_link(
    portal: str, task: str, inputs: list[str], target: str, truth: str, weights_file: str | None
) -> tuple[dict, float]:
    """Run ``portal link INPUTS -o TARGET`` (with ``--weights``) and score it for ``task`` (run.py's
    scoring); returns the scores and the seconds it took."""
    extra = ["--weights", weights_file] if weights_file else []
    started = time.monotonic()
    subprocess.run([portal, "link", *inputs, "-o", target, *extra], check=True, stderr=subprocess.DEVNULL)
    seconds = time.monotonic() - started
    return bench_run.score_output(task, target, truth), seconds


def link_figures(portal: str, work: str, label: str, weights_file: str | None) -> dict[str, float]:
    """Dedupe P/R/F1 and sightings recall@10/@1 of one ``portal link`` configuration."""
    out: dict[str, float] = {}
    for task, files, truth in (
        ("dedupe", ["claims.csv"], "truth_pairs.csv"),
        ("sightings", ["claims.csv", "sightings.csv"], "truth_sightings.csv"),
    ):
        inputs, target = [os.path.join(work, f) for f in files], os.path.join(work, f"out_{task}_{label}.csv")
        scored, out[f"{task}_seconds"] = scored_link(
            portal, task, inputs, target, os.path.join(work, truth), weights_file
        )
        if task == "dedupe":
            out.update(precision=scored["precision"], recall=scored["recall"], f1=scored["metric"])
        else:
            out.update(recall_at_10=scored["metric"], recall_at_1=scored["recall_at_1"])
    return out


def officer_decisions(prepared, out_csv: str, truth_csv: str, count: int, seed: int):
    """``count`` candidates of a dedupe run (pairs of prepared records), confirmed or rejected from the truth."""
    import random

    position = {p.id: k for k, p in enumerate(prepared)}
    with open(truth_csv, encoding="utf-8", newline="") as fh:
        truth = {frozenset((r["left_id"], r["right_id"])) for r in csv.DictReader(fh)}
    with open(out_csv, encoding="utf-8", newline="") as fh:
        rows = [(r["left_id"], r["right_id"]) for r in csv.DictReader(fh)]
    rows = random.Random(seed).sample(rows, min(count, len(rows)))
    confirmed, rejected = [], []
    for left, right in rows:
        pair = (prepared[position[left]], prepared[position[right]])
        (confirmed if frozenset((left, right)) in truth else rejected).append(pair)
    return confirmed, rejected


def run_generator(args, generator: str) -> None:
    work = os.path.join(args.work, generator)
    bench_run.ensure_synthetic(work, args.claims, args.seed, generator)
    records = read_records(os.path.join(work, "claims.csv"), CLAIM)
    prepared, keys = prepare_with_keys(records)
    index = CandidateIndex(prepared, keys)
    started = time.monotonic()
    fitted = estimate.fit(
        prepared,
        random_count=args.random_pairs,
        seed=args.seed,
        index=index,
        em_u=args.em_u,
        prior_pairs=args.prior_pairs,
    )
    seconds = time.monotonic() - started
    fitted_file = os.path.join(work, "weights.json")
    weights.save(fitted, fitted_file)
    started = time.monotonic()
    calibrated = calibration.calibrate(fitted, prepared, index=index, seed=args.seed)
    calibration_seconds = time.monotonic() - started
    calibrated_file = os.path.join(work, "weights_calibrated.json")
    weights.save(calibrated, calibrated_file)
    print(f"\n## {generator} generator, {len(prepared):,} claims\n")
    print(
        f"EM ({fitted['method']}): {fitted['blocked_pairs']:,} blocked pairs, {fitted['random_pairs']:,} random "
        f"pairs, lambda {fitted['lambda']:.4f}, {fitted['iterations']} iterations, "
        f"converged {fitted['converged']}, {seconds:.1f} s; never seen: {', '.join(fitted['unobserved']) or 'none'}\n"
    )
    print(weights_table(fitted, truth_m(prepared, os.path.join(work, "truth_pairs.csv"))))
    c = calibrated["calibration"]
    print(
        f"\nCalibration of the fit (EM posterior on the engine's weight, {c['pairs']:,} blocked pairs, "
        f"{calibration_seconds:.1f} s): slope {c['slope']:.3f}, offset {c['offset']:.2f} bits "
        f"(hand-set weights: {scoring.CALIBRATION[(CLAIM, CLAIM)]})"
    )
    if args.no_link:
        return
    runs = {"hand-set": link_figures(args.portal, work, "hand", None)}
    runs["fitted, hand-set calibration"] = link_figures(args.portal, work, "fitted", fitted_file)
    runs["fitted, calibrated"] = link_figures(args.portal, work, "calibrated", calibrated_file)
    if args.refit:
        confirmed, rejected = officer_decisions(
            prepared,
            os.path.join(work, "out_dedupe_hand.csv"),
            os.path.join(work, "truth_pairs.csv"),
            args.refit,
            args.seed,
        )
        decisions = f"{len(confirmed)} confirmed / {len(rejected)} rejected"
        refit = estimate.refit(
            fitted, [estimate.pair_levels(*p) for p in confirmed], [estimate.pair_levels(*p) for p in rejected]
        )
        refitted = os.path.join(work, "weights_refit.json")
        weights.save(refit, refitted)
        runs[f"fitted + {decisions}"] = link_figures(args.portal, work, "refit", refitted)
        # What `portal review fit-weights` writes: the refit, calibrated on the same decisions.
        for label, base, name in (
            (f"fitted + {decisions}, calibrated on them", refit, "refit_calibrated"),
            (f"hand-set, calibrated on the {decisions}", {"version": 1, "terms": {}}, "hand_calibrated"),
        ):
            on_decisions = weights.calibrated_on_decisions(base, prepared, confirmed, rejected)
            if on_decisions is None:
                print(f"\n{label}: too few decisions to calibrate")
                continue
            path = os.path.join(work, f"weights_{name}.json")
            weights.save(on_decisions, path)
            runs[label] = link_figures(args.portal, work, name, path)
    print("\n| weights | dedupe P | dedupe R | dedupe F1 | sightings recall@10 | recall@1 | seconds (both runs) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, r in runs.items():
        print(
            f"| {label} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | {r['recall_at_10']:.3f} | "
            f"{r['recall_at_1']:.3f} | {r['dedupe_seconds'] + r['sightings_seconds']:.1f} |"
        )


def run_febrl(args) -> None:
    """FEBRL4 (data the project did not design) with weights fitted by EM on its own 10,000 records,
    A and B together, for each way of holding u; then, with ``--refit N``, the fit calibrated on N
    simulated officer decisions (candidates of the hand-set run, labelled from the truth), as
    ``portal review fit-weights`` writes it. Link F1 of the ``match`` decisions against the hand-set weights."""
    folder = os.path.join(args.work, "febrl4")
    left, right, truth = (os.path.join(folder, f) for f in ("febrl4_a.csv", "febrl4_b.csv", "truth_febrl4.csv"))
    if not os.path.exists(truth):
        subprocess.run([sys.executable, os.path.join(BENCH, "febrl.py"), "--out", folder], check=True)
    prepared, keys = prepare_with_keys(read_records(left, CLAIM) + read_records(right, CLAIM))
    index = CandidateIndex(prepared, keys)

    def figures(label: str, weights_file: str | None) -> tuple[str, dict]:
        target = os.path.join(folder, f"out_{label}.csv")
        return target, scored_link(args.portal, "febrl", [left, right], target, truth, weights_file)[0]

    hand_out, hand = figures("hand", None)
    runs = {"hand-set": hand}
    for em_u in ("blocked", "free"):
        fitted = estimate.fit(prepared, random_count=args.random_pairs, seed=args.seed, index=index, em_u=em_u)
        path = os.path.join(folder, f"weights_{em_u}.json")
        weights.save(fitted, path)
        runs[f"fitted (u {em_u}), hand-set calibration"] = figures(f"fitted_{em_u}", path)[1]
        if not args.refit:
            continue
        confirmed, rejected = officer_decisions(prepared, hand_out, truth, args.refit, args.seed)
        on_decisions = weights.calibrated_on_decisions(fitted, prepared, confirmed, rejected)
        label = f"fitted (u {em_u}), calibrated on {len(confirmed)} confirmed / {len(rejected)} rejected"
        if on_decisions is None:
            print(f"{label}: too few decisions to calibrate")
            continue
        path = os.path.join(folder, f"weights_{em_u}_decisions.json")
        weights.save(on_decisions, path)
        runs[label] = figures(f"decisions_{em_u}", path)[1]
    print(f"\n## FEBRL4, weights fitted on its own {len(prepared):,} records\n")
    print("| weights | P | R | F1 | match decisions |")
    print("|---|---:|---:|---:|---:|")
    for label, r in runs.items():
        print(f"| {label} | {r['precision']:.4f} | {r['recall']:.4f} | {r['metric']:.4f} | {r['n_match']:,} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", required=True, help="directory for the generated sets, weights and outputs")
    parser.add_argument("--generator", action="append", choices=sorted(bench_run.GENERATORS))
    parser.add_argument("--random-pairs", type=int, default=100_000)
    parser.add_argument("--em-u", default="blocked", choices=["blocked", "random", "free"])
    parser.add_argument(
        "--prior-pairs", type=float, default=0.0, help="Dirichlet prior on m centred on the hand-set m, in pairs"
    )
    parser.add_argument("--refit", type=int, default=0, help="officer decisions simulated for the refit (0: none)")
    parser.add_argument("--no-link", action="store_true", help="fit and print the weights only")
    parser.add_argument("--portal", default=os.path.join(REPO, ".venv", "bin", "portal"))
    parser.add_argument("--febrl", action="store_true", help="FEBRL4 instead of the generators (WORK/febrl4)")
    args = parser.parse_args(argv)
    if args.febrl:
        run_febrl(args)
        return 0
    for generator in args.generator or ["ours", "other"]:
        run_generator(args, generator)
    return 0


if __name__ == "__main__":
    sys.exit(main())
