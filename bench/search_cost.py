#!/usr/bin/env python3
"""What one page of the load test costs the server, in process: this tree beside a revision.

    .venv/bin/python bench/search_cost.py --claims 1000000 --baseline 4ef27c1     # about 5 minutes
    .venv/bin/python bench/search_cost.py --claims 100000 --baseline 4ef27c1 --rounds 5

``search_load.py`` measures what a person waits under load, which on a shared two-core machine is
mostly queueing: its figures move by 2x from one run to the next. This measures what the waiting is
made of, the cost of each page alone, with the database ``search_load.py`` loaded
(``portal_bench_search_<claims>``; load it first). Each tree's portal answers the load test's pages
through Flask's test client in a process of its own (its own code, production settings), the two
trees alternating ``--rounds`` times: the 200 name searches of the single client, 100 home pages,
100 claim pages, a first pass to warm the caches, then one measured.

Printed per kind of page, medians over the rounds, milliseconds a page: wall time; CPU time of the
web process (Python: what holds gunicorn's GIL); time inside the database driver's execute (the
database's work and the round trip); statements sent. Only counts and timings, never a name.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))

import search_load  # noqa: E402

KINDS = ("name search", "home page", "claim page")

# Run in the tree's own process (PYTHONPATH=tree): argv = database URL, claims file.
MEASURE = r"""
import json, os, secrets, sys, tempfile, time
url, claims_csv, bench = sys.argv[1], sys.argv[2], sys.argv[3]
os.environ.update(PORTAL_ENV="production", PORTAL_SECRET_KEY=secrets.token_urlsafe(48), PORTAL_DATABASE_URL=url,
                  PORTAL_PHOTO_DIR=tempfile.mkdtemp(), PORTAL_RATELIMIT_STORAGE_URI="memory://",
                  PORTAL_SEARCH_RATE_LIMIT="100000000/minute")
sys.path.insert(0, bench)
import search_load
from sqlalchemy import event
from sqlalchemy.engine import Engine
from portal.app import create_app

spent = {"db": 0.0, "statements": 0}
@event.listens_for(Engine, "before_cursor_execute")
def _before(conn, cursor, statement, parameters, context, executemany):
    conn.info["bench.t"] = time.perf_counter()
@event.listens_for(Engine, "after_cursor_execute")
def _after(conn, cursor, statement, parameters, context, executemany):
    spent["db"] += time.perf_counter() - conn.info.pop("bench.t")
    spent["statements"] += 1

client = create_app().test_client()
queries = search_load.make_queries(claims_csv, 200, 1)
pages = {
    "name search": [search_load._search_path(q) for q in queries],
    "home page": ["/"] * 100,
    "claim page": [f"/claims/{q.reference}" for q in queries[:100]],
}
out = {}
for kind, paths in pages.items():
    for path in paths:  # warm: the vocabulary, the plans, the pages of the table the paths read
        assert client.get(path).status_code == 200, kind
    spent.update(db=0.0, statements=0)
    wall, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        client.get(path)
    n = len(paths)
    out[kind] = {
        "wall": (time.perf_counter() - wall) / n * 1000, "cpu": (time.process_time() - cpu) / n * 1000,
        "db": spent["db"] / n * 1000, "statements": spent["statements"] / n,
    }
print(json.dumps(out))
"""


def measure(tree: str, url: str, claims_csv: str) -> dict[str, dict[str, float]]:
    """One pass of ``tree`` over the load test's pages; per kind, the cost of a page."""
    env = {**os.environ, "PYTHONPATH": tree}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, url, claims_csv, os.path.join(ROOT, "bench")],
        cwd=tree, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    result: dict[str, dict[str, float]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=100_000, help="the database search_load.py loaded")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline", required=True, help="revision to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", help="another database of N claims loaded by portal_latency.py --keep")
    args = parser.parse_args(argv)
    url = args.database_url or f"{search_load.DATABASE}portal_bench_search_{args.claims}"
    claims_csv = os.path.join(search_load.WORK, f"{args.claims}-{args.seed}", "claims.csv")
    if not os.path.exists(claims_csv):
        sys.exit(f"error: {claims_csv} is missing: load the database with bench/search_load.py --claims {args.claims}")
    worktree = tempfile.mkdtemp(prefix="portal-cost-")
    shutil.rmtree(worktree)
    search_load.prepare_tree(args.baseline, worktree)
    trees = {"this tree": ROOT, args.baseline: worktree}
    runs: dict[str, list[dict[str, dict[str, float]]]] = {label: [] for label in trees}
    try:
        for n in range(args.rounds):
            for label, tree in trees.items() if n % 2 == 0 else reversed(trees.items()):
                runs[label].append(measure(tree, url, claims_csv))
                print(f"round {n + 1}: {label} done", file=sys.stderr, flush=True)
    finally:
        subprocess.run(["git", "-C", ROOT, "worktree", "remove", "--force", worktree], check=False)
    print(f"\n{args.claims:,} claims, in process, medians of {args.rounds} rounds, per page\n")
    print(f"| page | measure | this tree | {args.baseline} | ratio ({args.baseline} / this) |")
    print("|---|---|---:|---:|---:|")
    for kind in KINDS:
        for measure_name, unit in (("wall", "ms"), ("cpu", "ms"), ("db", "ms"), ("statements", "")):
            mine = statistics.median(run[kind][measure_name] for run in runs["this tree"])
            base = statistics.median(run[kind][measure_name] for run in runs[args.baseline])
            label = {"wall": "wall", "cpu": "CPU of the web process", "db": "in the database driver",
                     "statements": "statements"}[measure_name]  # fmt: skip
            ratio = f"{base / mine:.2f}x" if mine else "-"
            print(f"| {kind} | {label} {unit} | {mine:.2f} | {base:.2f} | {ratio} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
