#!/usr/bin/env python3
"""Search under load: gunicorn with 2 workers on PostgreSQL, this tree beside a baseline revision.

    .venv/bin/python bench/search_load.py --claims 100000                 # about 10 minutes
    .venv/bin/python bench/search_load.py --claims 1000000 --no-baseline  # loading takes the most
    .venv/bin/python bench/search_load.py --claims 100000 --reuse         # keep the loaded databases

For each tree (this one, and ``--baseline`` checked out in a temporary git worktree):

1. N generated claims (``bench/generate.py``) are bulk-loaded into a database of its own by that
   tree's ``bench/portal_latency.py --keep`` (published, validated cases with every key that tree
   stores); ``--reuse`` skips this when the database already holds N claims; then what the tree's
   worker would have done by the time people search: the schema at the tree's head, and the
   search's counts of common name keys (``--without-counts`` empties them, as before decision 48);
2. that tree's ``wsgi:app`` is served by gunicorn, 2 workers (gthread, ``--threads`` each, 4 by default), in
   production settings, on loopback, with the search's rate limit lifted;
3. a bounded client (threads and ``http.client``, nothing else) measures, as the public would:
   - one client, one name search at a time (``--searches``), and whether the claim searched for
     is on the first page of results;
   - ``--clients`` concurrent clients for ``--seconds``: 60 % name searches, 20 % home page,
     20 % a claim's public page; every answer but 200 counts as an error.

The searches are made from the claims file: a surname alone; a given name and a surname; the
three names with the surnames first; the same with a surname respelt as it sounds ("Kispe"). Only
counts and timings are printed, never a name. Prints one markdown table with this tree, the
baseline and their ratio, against the issue's targets (one client p95 < 150 ms; 50 users:
search p95 < 1 s, home and claim page p95 < 200 ms, no errors), and the answers per second.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import math
import os
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = sys.executable
GUNICORN = os.path.join(os.path.dirname(PYTHON), "gunicorn")
PYBABEL = os.path.join(os.path.dirname(PYTHON), "pybabel")
DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/"
WORK = os.path.join(tempfile.gettempdir(), "portal-bench-latency")  # shared with portal_latency.py
KINDS = {"name search": 1000.0, "home page": 200.0, "claim page": 200.0}  # the p95 targets, ms
USERS, STRESS = "users", "no pause"


def percentile(values: Sequence[float], share: float) -> float:
    """The ``share`` quantile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


# ------------------------------------------------------------------------------------------ queries


def _respell(word: str) -> str:
    """A surname as a witness might write what she heard: qu/c/k, v/b, ll/y, z/s, a silent h."""
    lowered = word.lower()
    for old, new in (("qu", "k"), ("v", "b"), ("ll", "y"), ("z", "s"), ("ce", "se"), ("ci", "si")):
        if old in lowered:
            return lowered.replace(old, new, 1)
    return lowered[1:] if lowered.startswith("h") else lowered


@dataclass(frozen=True)
class Query:
    """A name search and the claim (its reference) it is meant to find."""

    text: str
    reference: str
    kind: str


def make_queries(claims_csv: str, count: int, seed: int) -> list[Query]:
    """``count`` name searches of four kinds, each aimed at one claim of the file."""
    with open(claims_csv, encoding="utf-8", newline="") as handle:
        rows = [
            (number, row)
            for number, row in enumerate(csv.DictReader(handle), start=1)
            if row.get("given_names") and row.get("first_surname") and row.get("second_surname")
        ]
    rng = random.Random(seed)
    queries = []
    kinds = ("surname", "given surname", "surnames first", "respelt")
    for i in range(count):
        number, row = rng.choice(rows)
        given = row["given_names"].split()[0]
        first, second = row["first_surname"], row["second_surname"]
        kind = kinds[i % len(kinds)]
        text = {
            "surname": first,
            "given surname": f"{given} {first}",
            "surnames first": f"{first} {second} {given}",
            "respelt": f"{given} {_respell(first)} {second}",
        }[kind]
        queries.append(Query(text, reference(number), kind))
    return queries


# ------------------------------------------------------------------------------------------ servers


def prepare_tree(revision: str, folder: str) -> str:
    """A git worktree of ``revision`` with its catalogues compiled; returns its path."""
    subprocess.run(["git", "-C", ROOT, "worktree", "add", "--force", "--detach", folder, revision], check=True)
    subprocess.run([PYBABEL, "compile", "-d", os.path.join(folder, "translations")], check=False, capture_output=True)
    return folder


# The loaders name claims BENCH-000001..., which no claim page accepts: give them the portal's format.
# lpad cuts longer strings: a millionth claim keeps its seven digits.
REFERENCES = (
    "UPDATE claim SET reference = 'BO-2026-' || lpad(id::text, greatest(6, length(id::text)), '0') "
    "WHERE reference LIKE 'BENCH-%'"
)


def reference(number: int) -> str:
    """The reference of the claim loaded from row ``number`` (from 1) of the claims file."""
    return f"BO-2026-{number:06d}"


# What the worker does every few minutes on a running portal (a tree without it has nothing to do):
# the schema at the tree's head, then the search's counts of common name keys.
AS_THE_WORKER_WOULD = """
import sys
try:
    from portal.cases.search import count_common_keys
    from portal.schema import upgrade_database
except ImportError:
    sys.exit(0)
upgrade_database(sys.argv[1])
import sqlalchemy as s
from sqlalchemy.orm import Session
with Session(s.create_engine(sys.argv[1])) as session, session.begin():
    print(f"{count_common_keys(session):,} common name keys counted", file=sys.stderr)
"""

NO_COUNTS = """
import sys, sqlalchemy as s
with s.create_engine(sys.argv[1]).begin() as connection:
    connection.execute(s.text("DELETE FROM common_name_key"))
"""


def load(tree: str, url: str, claims: int, reuse: bool, without_counts: bool = False) -> None:
    """Fill the database with ``tree``'s own loader, unless it already holds ``claims`` claims; then
    do what the tree's worker would have done by the time a load test starts (``without_counts``:
    all but counting the common name keys)."""
    _load(tree, url, claims, reuse)
    env = {**os.environ, "PYTHONPATH": tree}
    subprocess.run([PYTHON, "-c", AS_THE_WORKER_WOULD, url], cwd=tree, env=env, check=True)
    if without_counts:
        subprocess.run([PYTHON, "-c", NO_COUNTS, url], cwd=tree, env=env, check=True)


def _load(tree: str, url: str, claims: int, reuse: bool) -> None:
    if reuse:
        probe = subprocess.run(
            [PYTHON, "-c", "import sys,sqlalchemy as s;e=s.create_engine(sys.argv[1]);"
             "print(e.connect().scalar(s.text('SELECT count(*) FROM claim')))", url],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if probe.returncode == 0 and probe.stdout.strip() == str(claims):
            print(f"{os.path.basename(tree)}: reusing {claims:,} claims", file=sys.stderr, flush=True)
            return
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, os.path.join(tree, "bench", "portal_latency.py"), "--claims", str(claims), "--sightings", "1",
         "--keep", "--database-url", url, "--work", WORK],
        cwd=tree, env={**os.environ, "PYTHONPATH": tree}, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    subprocess.run(
        [PYTHON, "-c", "import sys,sqlalchemy as s;e=s.create_engine(sys.argv[1])\n"
         "with e.begin() as c: c.execute(s.text(sys.argv[2]))", url, REFERENCES],
        check=True,
    )  # fmt: skip
    # That update leaves a dead copy of every claim: vacuum and re-read the statistics, as autovacuum
    # would on a live server before long (without it the planner misjudges how many claims a name has).
    subprocess.run(
        [PYTHON, "-c", "import sys,sqlalchemy as s;e=s.create_engine(sys.argv[1],isolation_level='AUTOCOMMIT')\n"
         "with e.connect() as c: c.execute(s.text('VACUUM ANALYZE claim'))", url],
        check=True,
    )  # fmt: skip
    print(f"loaded {claims:,} claims in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)


class Server:
    """gunicorn serving ``tree``'s portal on a free loopback port."""

    def __init__(self, tree: str, url: str, port: int, threads: int = 4) -> None:
        self.port = port
        photos = tempfile.mkdtemp(prefix="portal-bench-photos-")
        env = {
            **os.environ,
            "PYTHONPATH": tree,
            "PORTAL_ENV": "production",
            "PORTAL_SECRET_KEY": secrets.token_urlsafe(48),
            "PORTAL_DATABASE_URL": url,
            "PORTAL_PHOTO_DIR": photos,
            "PORTAL_RATELIMIT_STORAGE_URI": "memory://",
            "PORTAL_SEARCH_RATE_LIMIT": "100000000/minute",
        }
        self.process = subprocess.Popen(
            [GUNICORN, "-w", "2", "-k", "gthread", "--threads", str(threads), "-b", f"127.0.0.1:{port}",
             "--log-level", "warning", "wsgi:app"],
            cwd=tree, env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(port, "/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn for {tree} did not answer within 60 s")

    def stop(self) -> None:
        """Stop the server and wait for it."""
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def get(port: int, path: str) -> tuple[int, bytes]:
    """One GET on loopback: (status, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# ------------------------------------------------------------------------------------------ clients


@dataclass
class Timings:
    """Milliseconds per kind of request, and the errors."""

    ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    found: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    seconds: dict[str, float] = field(default_factory=dict)  # how long each load ran
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, ms: float, ok: bool) -> None:
        """Record one request."""
        with self.lock:
            self.ms[kind].append(ms)
            if not ok:
                self.errors[kind] += 1


def _search_path(query: Query) -> str:
    return "/claims?" + urllib.parse.urlencode({"q": query.text})


def one_client(port: int, queries: Sequence[Query]) -> Timings:
    """Name searches one after the other, and whether each finds its claim on the first page."""
    timings = Timings()
    get(port, _search_path(queries[0]))  # warm both workers' first request out of the figures
    get(port, _search_path(queries[-1]))
    for query in queries:
        started = time.perf_counter()
        status, body = get(port, _search_path(query))
        timings.add("name search, 1 client", (time.perf_counter() - started) * 1000, status == 200)
        timings.found[query.kind].append(query.reference.encode() in body)
    return timings


def many_clients(
    port: int, queries: Sequence[Query], references: Sequence[str], clients: int, seconds: float, think: float
) -> Timings:
    """``clients`` threads for ``seconds``: searches, home pages and claim pages, as the public mixes
    them, each pausing ``think`` seconds on average between pages (none if 0)."""
    timings = Timings()
    stop = time.monotonic() + seconds
    load = USERS if think else STRESS

    def run(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < stop:
            pick = rng.random()
            if pick < 0.6:
                kind, path = "name search", _search_path(rng.choice(queries))
            elif pick < 0.8:
                kind, path = "home page", "/"
            else:
                kind, path = "claim page", f"/claims/{rng.choice(references)}"
            started = time.perf_counter()
            try:
                status, _body = get(port, path)
            except OSError:
                status = 0
            timings.add(f"{kind}, {load}", (time.perf_counter() - started) * 1000, status == 200)
            if think:
                time.sleep(min(rng.expovariate(1 / think), max(0.0, stop - time.monotonic())))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    timings.seconds[load] = seconds
    return timings


# ------------------------------------------------------------------------------------------ main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline", default="2de51c9", help="revision to compare with (before issue 10's search)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--searches", type=int, default=200, help="name searches by the single client")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0, help="duration of each of the two loads")
    parser.add_argument("--think", type=float, default=1.0, help="users' mean pause between pages, seconds")
    parser.add_argument("--reuse", action="store_true", help="keep databases that already hold N claims")
    parser.add_argument("--threads", type=int, default=4, help="threads of each of gunicorn's 2 workers")
    parser.add_argument(
        "--without-counts",
        action="store_true",
        help="empty the counts of common name keys, as before the worker's first count (decision 48)",
    )
    args = parser.parse_args(argv)

    trees = [("this tree", ROOT, f"{DATABASE}portal_bench_search_{args.claims}")]
    worktree = None
    if not args.no_baseline:
        worktree = tempfile.mkdtemp(prefix="portal-baseline-")
        shutil.rmtree(worktree)
        trees.append(
            (
                f"baseline {args.baseline}",
                prepare_tree(args.baseline, worktree),
                f"{DATABASE}portal_bench_search_base_{args.claims}",
            )
        )
    try:
        folder = os.path.join(WORK, f"{args.claims}-{args.seed}")
        results: dict[str, Timings] = {}
        for n, (label, tree, url) in enumerate(trees):
            load(tree, url, args.claims, args.reuse, args.without_counts)
            queries = make_queries(os.path.join(folder, "claims.csv"), max(args.searches, 400), args.seed)
            server = Server(tree, url, 8700 + n, args.threads)
            try:
                timings = one_client(server.port, queries[: args.searches])
                references = [q.reference for q in queries]
                for think in (args.think, 0.0):
                    loaded = many_clients(server.port, queries, references, args.clients, args.seconds, think)
                    timings.ms.update(loaded.ms)
                    timings.errors.update(loaded.errors)
                    timings.seconds.update(loaded.seconds)
                results[label] = timings
            finally:
                server.stop()
        report(args, results)
    finally:
        if worktree:
            subprocess.run(["git", "-C", ROOT, "worktree", "remove", "--force", worktree], check=False)
    return 0


def report(args: argparse.Namespace, results: dict[str, Timings]) -> None:
    """The markdown table: each tree's median and p95 per measure, their ratio, the target."""
    labels = list(results)
    loads = f"{args.clients} users (mean think time {args.think:g} s), then {args.clients} clients with no pause"
    server = f"gunicorn 2 workers x {args.threads} threads"
    print(f"\n{args.claims:,} claims, PostgreSQL, {server}; {loads}, {args.seconds:.0f} s each\n")
    head = " | ".join(f"{label} p50 ms | {label} p95 ms | {label} errors" for label in labels)
    ratio = " | p95 ratio (baseline / this)" if len(labels) == 2 else ""
    print(f"| measure | {head}{ratio} | target p95 ms |")
    print("|---" * (2 + 3 * len(labels) + (1 if ratio else 0)) + "|")
    measures = {"name search, 1 client": "150"}
    for load in (USERS, STRESS):
        for kind, goal in KINDS.items():
            measures[f"{kind}, {load}"] = f"{goal:.0f}" if load == USERS else "-"
    for measure_name, target in measures.items():
        cells = []
        p95s = []
        for label in labels:
            values = results[label].ms.get(measure_name, [])
            if not values:
                cells.append("- | - | -")
                continue
            p95s.append(percentile(values, 0.95))
            cells.append(
                f"{statistics.median(values):.0f} | {p95s[-1]:.0f} | {results[label].errors.get(measure_name, 0)}"
                f" of {len(values)}"
            )
        ratio_cell = f" | {p95s[1] / p95s[0]:.1f}x" if ratio and len(p95s) == 2 else (" | -" if ratio else "")
        print(f"| {measure_name} | {' | '.join(cells)}{ratio_cell} | {target} |")
    print("\nanswers per second (all pages):\n")
    print("| load | " + " | ".join(labels) + " |")
    print("|---" * (1 + len(labels)) + "|")
    for load in (USERS, STRESS):
        rates = []
        for label in labels:
            timing = results[label]
            done = sum(len(v) for k, v in timing.ms.items() if k.endswith(f", {load}"))
            rates.append(f"{done / timing.seconds[load]:.0f}" if timing.seconds.get(load) else "-")
        print(f"| {load} | " + " | ".join(rates) + " |")
    print("\nclaim searched for on the first page of results (single client):\n")
    print("| kind of search | " + " | ".join(labels) + " |")
    print("|---" * (1 + len(labels)) + "|")
    kinds = sorted({kind for r in results.values() for kind in r.found})
    for kind in kinds:
        cells = [f"{sum(results[label].found[kind])}/{len(results[label].found[kind])}" for label in labels]
        print(f"| {kind} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    sys.exit(main())
