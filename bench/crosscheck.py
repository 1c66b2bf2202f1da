#!/usr/bin/env python3
"""Both generators, both sizes, every tool, one table with the targets beside the figures.

    .venv/bin/python bench/crosscheck.py                       # 10k and 100k claims, about 30 minutes
    .venv/bin/python bench/crosscheck.py --sizes 10000         # about 3 minutes
    .venv/bin/python bench/crosscheck.py --engine-rev HEAD     # the engine as committed, not the work tree

For each generator (``ours``: ``generate.py``; ``other``: the independent ``generate_other.py``)
and each size, it generates the set (reused when already there), runs our ``portal link`` and the
baselines of ``baselines.py`` (recordlinkage, splink, rapidfuzz) through ``run.py``'s measured
launcher, one tool at a time, and scores (``ours-all`` is ``portal link --min-score 0`` on the
sightings: every candidate, so that recall lost to the review threshold shows):

- sightings: recall@10 (a true claim among the sighting's 10 best candidates), recall@1 (the
  true claim ranked first), seconds;
- duplicate claims: precision, recall and F1 of the ``match`` decisions, seconds;
- FEBRL4 (once): F1 of the ``match`` decisions.

The targets of issue 10 are printed beside the figures. recordlinkage's documented given-name
blocking needs more than 16 GB on 100k claims (bench/README.md), so its dedupe is skipped above
``--rl-max-claims`` (default 30,000) and its memory is capped at ``--max-memory-gb``.
``--engine-rev REV`` runs our engine from ``git archive REV portal`` in a temporary folder, so
that work in progress in the shared tree does not move the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import subprocess
import sys
import tempfile

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)

import run as R  # noqa: E402

TARGETS = {"recall@10": 0.80, "recall@1": 0.60, "dedupe F1": 0.97, "FEBRL4 F1": 0.999}
TOOLS = {
    "sightings": ["ours", "ours-all", "recordlinkage", "splink", "rapidfuzz"],
    "dedupe": ["ours", "recordlinkage", "splink"],
    "febrl": ["ours", "recordlinkage", "splink"],
}


def engine_snapshot(rev: str, python: str) -> tuple[str, str]:
    """Extract ``portal/`` at ``rev`` into a temporary folder; return (portal command, commit)."""
    commit = subprocess.run(
        ["git", "-C", REPO, "rev-parse", "--short", rev], check=True, capture_output=True, text=True
    ).stdout.strip()
    root = tempfile.mkdtemp(prefix=f"engine-{commit}-")
    archive = subprocess.run(["git", "-C", REPO, "archive", rev, "portal"], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", root], input=archive.stdout, check=True)
    launcher = os.path.join(root, "portal-cli")
    with open(launcher, "w", encoding="utf-8") as fh:
        # PYTHONPATH comes before the editable install's finder, so this tree's portal is imported;
        # -P keeps the working directory off sys.path (run from the repo root, `-c` would import the
        # work tree's portal instead of the snapshot).
        fh.write(
            "#!/bin/sh\n"
            f"PYTHONPATH={shlex.quote(root)} exec {shlex.quote(python)} -P "
            "-c 'import sys; from portal.cli import main; sys.exit(main())' \"$@\"\n"
        )
    os.chmod(launcher, 0o700)
    return launcher, commit


def run_set(generator: str, claims: int, args, rows: list[dict]) -> None:
    work = os.path.join(args.work_root, f"{generator}{claims}")
    out_dir = os.path.join(work, "out")
    os.makedirs(out_dir, exist_ok=True)
    R.ensure_synthetic(work, claims, args.seed, generator)
    files = {
        "dedupe": {"left": os.path.join(work, "claims.csv"), "truth": os.path.join(work, "truth_pairs.csv")},
        "sightings": {
            "left": os.path.join(work, "claims.csv"),
            "right": os.path.join(work, "sightings.csv"),
            "truth": os.path.join(work, "truth_sightings.csv"),
        },
    }
    for task in ("sightings", "dedupe"):
        for tool in TOOLS[task]:
            if tool in args.skip:
                continue
            if tool == "recordlinkage" and task == "dedupe" and claims > args.rl_max_claims:
                rows.append(
                    {
                        "generator": generator,
                        "claims": claims,
                        "task": task,
                        "tool": tool,
                        "status": "skipped",
                        "note": f"needs > 16 GB above {args.rl_max_claims:,} claims (README)",
                    }
                )
                continue
            row = R.run_tool(tool, task, files[task], args, out_dir)
            row.update(generator=generator, claims=claims)
            rows.append(row)


def _f(value, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def render(rows: list[dict], febrl: list[dict], header: str) -> str:
    """The markdown report: one line per generator, size and tool; targets in the first line."""
    lines = [
        header,
        "",
        "| generator | claims | tool | sightings recall@10 | recall@1 | s | dedupe P | dedupe R | dedupe F1 | s |",
        "|---|---|---|---|---|---|---|---|---|---|",
        f"| **target** | | | **>= {TARGETS['recall@10']:.2f}** | **>= {TARGETS['recall@1']:.2f}** | | | "
        f"| **>= {TARGETS['dedupe F1']:.2f}** | |",
    ]
    keys = list(dict.fromkeys((r["generator"], r["claims"], r["tool"].split(" ")[0]) for r in rows))
    for generator, claims, tool in keys:
        cell = {"sightings": {}, "dedupe": {}}
        for r in rows:
            if (r["generator"], r["claims"], r["tool"].split(" ")[0]) == (generator, claims, tool):
                cell[r["task"]] = r
        s, d = cell["sightings"], cell["dedupe"]

        def ok(r: dict) -> bool:
            return r.get("status") == "ok"

        s_cells = (
            [_f(s.get("metric")), _f(s.get("recall_at_1")), _f(s.get("seconds"), 1)]
            if ok(s)
            else [s.get("status", "–"), "–", _f(s.get("seconds"), 1) if s else "–"]
        )
        d_cells = (
            [_f(d.get("precision")), _f(d.get("recall")), _f(d.get("metric")), _f(d.get("seconds"), 1)]
            if ok(d)
            else ["–", "–", d.get("status", "–"), _f(d.get("seconds"), 1) if d else "–"]
        )
        name = {"ours": "**ours**", "ours-all": "ours, --min-score 0"}.get(tool, tool)
        lines.append(f"| {generator} | {claims:,} | {name} | " + " | ".join(s_cells + d_cells) + " |")
    if febrl:
        lines += ["", f"FEBRL4 (5,000 x 5,000), target F1 >= {TARGETS['FEBRL4 F1']}:", ""]
        lines += ["| tool | F1 | precision | recall | s |", "|---|---|---|---|---|"]
        for r in febrl:
            if r["status"] == "ok":
                lines.append(
                    f"| {r['tool']} | {_f(r['metric'], 4)} | {_f(r['precision'], 4)} | {_f(r['recall'], 4)} "
                    f"| {_f(r['seconds'], 1)} |"
                )
            else:
                lines.append(f"| {r['tool']} | {r['status']} | – | – | {_f(r.get('seconds'), 1)} |")
    ours = [r for r in rows if r["tool"] == "ours" and r.get("status") == "ok"]
    lines += ["", "Targets, ours:", ""]
    for r in ours:
        if r["task"] == "sightings":
            for name, key in (("recall@10", "metric"), ("recall@1", "recall_at_1")):
                held = "holds" if r[key] >= TARGETS[name] else "MISSED"
                lines.append(f"- {r['generator']} {r['claims']:,}: {name} {r[key]:.3f} vs {TARGETS[name]} -> {held}")
        else:
            held = "holds" if r["metric"] >= TARGETS["dedupe F1"] else "MISSED"
            lines.append(f"- {r['generator']} {r['claims']:,}: dedupe F1 {r['metric']:.3f} vs 0.97 -> {held}")
    for r in febrl:
        if r["tool"] == "ours" and r["status"] == "ok":
            held = "holds" if r["metric"] >= TARGETS["FEBRL4 F1"] else "MISSED"
            lines.append(f"- FEBRL4 F1 {r['metric']:.4f} vs {TARGETS['FEBRL4 F1']} -> {held}")
    notes = [
        f"- {r.get('generator', 'febrl')} {r.get('claims', '')} {r['task']} / {r['tool']}: {r['note']}"
        for r in rows + febrl
        if r.get("note")
    ]
    if notes:
        lines += ["", "Notes:", *notes]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated claim counts")
    parser.add_argument("--generators", default="ours,other", help="comma-separated: ours, other")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work-root", default=os.path.join(tempfile.gettempdir(), "crosscheck"))
    parser.add_argument("--report", default=None, help="markdown report (default WORK_ROOT/report.md)")
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--portal", default=os.path.join(REPO, ".venv", "bin", "portal"))
    parser.add_argument("--engine-rev", default=None, help="run our engine as committed at this revision")
    parser.add_argument("--max-memory-gb", type=float, default=14.0, help="address-space cap of recordlinkage")
    parser.add_argument("--rl-max-claims", type=int, default=30000)
    parser.add_argument("--skip", default="", help="comma-separated tools to leave out")
    parser.add_argument("--no-febrl", action="store_true")
    args = parser.parse_args(argv)
    args.skip = {t for t in args.skip.split(",") if t}
    args.limit_memory_of = ["recordlinkage"]
    engine = "work tree"
    if args.engine_rev:
        args.portal, commit = engine_snapshot(args.engine_rev, sys.executable)
        engine = f"commit {commit}"
        # diagnose.py --engine-root takes this folder, to replay the same engine.
        print(f"engine {commit} extracted to {os.path.dirname(args.portal)}", file=sys.stderr)
    os.makedirs(args.work_root, exist_ok=True)

    febrl: list[dict] = []
    if not args.no_febrl:
        febrl_dir = os.path.join(args.work_root, "febrl4")
        subprocess.run(
            [sys.executable, os.path.join(BENCH, "febrl.py"), "--out", febrl_dir], check=True, stdout=subprocess.DEVNULL
        )
        files = {
            "left": os.path.join(febrl_dir, "febrl4_a.csv"),
            "right": os.path.join(febrl_dir, "febrl4_b.csv"),
            "truth": os.path.join(febrl_dir, "truth_febrl4.csv"),
        }
        out_dir = os.path.join(febrl_dir, "out")
        os.makedirs(out_dir, exist_ok=True)
        febrl = [R.run_tool(tool, "febrl", files, args, out_dir) for tool in TOOLS["febrl"] if tool not in args.skip]

    rows: list[dict] = []
    for claims in (int(s) for s in args.sizes.split(",")):
        for generator in args.generators.split(","):
            run_set(generator, claims, args, rows)

    header = (
        f"## Both generators, {dt.datetime.now():%Y-%m-%d %H:%M}: seed {args.seed}, engine from the {engine}, "
        f"{os.cpu_count()} cores (one tool at a time; seconds are wall clock, loading and writing included)"
    )
    report = render(rows, febrl, header)
    path = args.report or os.path.join(args.work_root, "report.md")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(report)
    print(report)
    print(f"report written to {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
