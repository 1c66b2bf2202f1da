"""Start-up of `portal link`, today and at a baseline revision, side by side in one run (issue 9).

Before issue 9 the `portal` command was a FlaskGroup: every command, `link` included, imported
Flask, SQLAlchemy and the application before it did anything. The command now loads only what
the invoked command needs. This script times, alternating the two so that machine noise falls on
both alike:

- ``link --help``: the command ready to run (the start-up proper);
- ``link`` on a three-record file: start-up plus the engine's imports and a trivial link;

for the working tree and for ``--baseline`` (a git revision, checked out into a temporary
worktree), and prints medians and ratios. It also lists which of flask, sqlalchemy and werkzeug
each `portal link` run loaded (``-X importtime``). Only timings are printed; the records are
invented.

    .venv/bin/python bench/cli_startup.py                 # baseline: the commit before issue 9
    .venv/bin/python bench/cli_startup.py --runs 21 --baseline HEAD~5
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "6d985ca"  # last commit before issue 9
RECORDS = (
    "id,given_names,first_surname,second_surname,sex,birth_date,country,place,event_date\n"
    "C1,Rosa Elvira,Quispe,Condori,F,2010-05-14,BO,El Alto,2026-02-11\n"
    "C2,Rosa,Kispe,Condori,F,2010-05-14,PE,Puno,2026-02-20\n"
    "C3,Juan Carlos,Mamani,Huanca,M,1990,BO,La Paz,2026-01-03\n"
)
HEAVY = ("flask", "sqlalchemy", "werkzeug")
ENTRY = "from portal.cli import main; main()"  # the console script's entry point, in both trees


def _command(*args: str) -> list[str]:
    return [sys.executable, "-c", ENTRY, *args]


def _env(tree: Path) -> dict[str, str]:
    # PYTHONPATH puts the chosen tree ahead of the editable install of the working tree.
    return {**os.environ, "PYTHONPATH": str(tree)}


def _time(tree: Path, args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(_command(*args), cwd=tree, env=_env(tree), check=True, capture_output=True, timeout=120)
    return time.perf_counter() - started


def _heavy_imports(tree: Path, args: list[str]) -> list[str]:
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", ENTRY, *args],
        cwd=tree,
        env=_env(tree),
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    loaded = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in run.stderr.splitlines() if "|" in line}
    return sorted(loaded & set(HEAVY))


def main() -> None:
    """Time both trees and print a markdown table of medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="runs of each command in each tree")
    parser.add_argument("--baseline", default=BASELINE, help="git revision to compare with")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cli-startup-") as scratch:
        work = Path(scratch)
        baseline = work / "baseline"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(baseline), options.baseline],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        try:
            records = work / "records.csv"
            records.write_text(RECORDS, encoding="utf-8")
            cases = {
                "link --help": ["link", "--help"],
                "link (3 records)": ["link", str(records), "-o", str(work / "out.csv")],
            }
            trees = {"now": ROOT, f"baseline {options.baseline}": baseline}
            times: dict[tuple[str, str], list[float]] = {(c, t): [] for c in cases for t in trees}
            for args in cases.values():  # warm the file cache of both trees first
                for tree in trees.values():
                    _time(tree, args)
            for _ in range(options.runs):
                for case, args in cases.items():
                    for name, tree in trees.items():
                        times[(case, name)].append(_time(tree, args))
            print(f"`portal link` start-up, {options.runs} alternating runs each, medians (2-core shared machine)\n")
            print("| command | now (s) | baseline (s) | baseline / now |")
            print("|---|---|---|---|")
            now_name, base_name = trees
            for case in cases:
                now = statistics.median(times[(case, now_name)])
                base = statistics.median(times[(case, base_name)])
                print(f"| {case} | {now:.3f} | {base:.3f} | {base / now:.1f}x |")
            link = cases["link (3 records)"]
            now_heavy = _heavy_imports(ROOT, link) or "none of flask, sqlalchemy, werkzeug"
            print(f"\nloaded by `portal link`: now {now_heavy}; baseline {_heavy_imports(baseline, link)}")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(baseline)], cwd=ROOT, capture_output=True)


if __name__ == "__main__":
    main()
