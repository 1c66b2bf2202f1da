#!/usr/bin/env python3
"""Latency of a sighting filed through the portal, against N claims stored in the database.

    .venv/bin/python bench/portal_latency.py --claims 100000 --sightings 50
    .venv/bin/python bench/portal_latency.py --claims 3000 --database-url sqlite:////tmp/portal_bench.sqlite3

Measures the promise of the issue, "a sighting filed through the public form appears within a
second in the review queue", at registry scale in the production database (PostgreSQL; SQLite works
too). The schema is made by the project's Alembic migrations (as ``portal db upgrade``) after
dropping a previous run's tables; N generated claims (``bench/generate.py``, reused from ``--work``)
are bulk-loaded as validated, published cases with their ``match_key`` and ``match_token`` rows,
built exactly as ``match_claim`` would (``blocking_keys``, ``name_tokens``) but without matching
each claim; then ``VACUUM ANALYZE``. Then the first M sightings of ``sightings.csv`` (file order:
with and without a name heard) are filed one by one, each in its own session as a web request would:

- ``report_sighting + commit``: what the public form and ``POST /api/v1/sightings`` run, through
  ``casework.sighting_reported`` (insert, audit, ``match_sighting``, then reassessing the claims it
  touched, synchronously), wall clock; form parsing and page rendering are left out;
- ``match_sighting again + commit``: a second call on the committed sighting (it rewrites its keys
  and refreshes its candidates: the matching part alone, without creating the candidate rows);
- ``review queue page``: ``review.queue`` for a police officer of the sighting's country (the page
  the promise is about), and whether each new candidate is in that officer's queue.

Prints the load figures, one markdown table (median, p95, max, candidates per sighting, median as a
share of the one-second target) and the median time of each stage of ``match_sighting``. Only ids,
counts and timings are printed, never a name. ``--explain`` adds the plan of the slowest candidate
look-up (``_nearest``) with its literal keys blanked out. The data is dropped at the end unless
``--keep``. Refuses a database named ``test`` (the test suite's).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "bench"))

import generate  # noqa: E402
from flask_login import AnonymousUserMixin  # noqa: E402
from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import Engine, make_url  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

import portal.flags.services as assessments  # noqa: E402
from portal import casework  # noqa: E402
from portal.accounts import passwords  # noqa: E402
from portal.accounts.models import Country, User  # noqa: E402
from portal.accounts.services import create_user  # noqa: E402
from portal.cases.models import Claim, NameSound  # noqa: E402
from portal.cases.name_index import name_record  # noqa: E402
from portal.cases.rules import age_range  # noqa: E402
from portal.db import make_engine, utcnow  # noqa: E402
from portal.matching import blocking, lookup  # noqa: E402
from portal.matching.csvfiles import read_records  # noqa: E402
from portal.matching.records import CLAIM, SIGHTING, PersonRecord, prepare  # noqa: E402
from portal.models import Base  # noqa: E402
from portal.review import candidates as store  # noqa: E402
from portal.review import decisions as review  # noqa: E402
from portal.review.models import KEY_LENGTH, MatchCandidate, MatchKey, MatchToken  # noqa: E402
from portal.schema import upgrade_database  # noqa: E402
from portal.sightings.inputs import SightingInput  # noqa: E402
from portal.sightings.models import Sighting  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench"
TARGET_MS = 1000.0  # "within a second"
BATCH = 10_000  # rows per executemany
CLAIM_CHUNK = 2_000  # claims prepared and inserted per transaction
# Stages of match_sighting timed separately (module functions it calls through its globals).
STAGES = ("_store_keys", "_nearest", "load_claims", "term_frequencies", "_score", "_upsert")


# ------------------------------------------------------------------------------------------ database


def check_url(url: str) -> None:
    """Refuse the test suite's database and an in-memory SQLite (the migrations open their own)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            sys.exit(
                "error: give a SQLite file (sqlite:////tmp/portal_bench.sqlite3): "
                "an in-memory database is not shared with the migrations"
            )
        return
    if parsed.database in (None, "", "test", "postgres", "template0", "template1"):
        sys.exit(
            f"error: refusing database {parsed.database!r}: the benchmark drops every table of its "
            "database; name a database of its own (default portal_bench; 'test' is the test suite's)"
        )
    if (
        os.environ.get("PORTAL_TEST_DATABASE_URL")
        and make_url(os.environ["PORTAL_TEST_DATABASE_URL"]).database == parsed.database
    ):
        sys.exit("error: refusing the database named by PORTAL_TEST_DATABASE_URL")


def ensure_database(url: str) -> None:
    """Create a PostgreSQL database that does not exist yet (through the ``postgres`` maintenance DB)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    engine = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database})
            if not exists:
                conn.execute(text(f"CREATE DATABASE {conn.dialect.identifier_preparer.quote(parsed.database)}"))
                print(f"created database {parsed.database}", file=sys.stderr, flush=True)
    finally:
        engine.dispose()


def drop_everything(engine: Engine) -> None:
    """Every table of the portal and Alembic's version table (as tests/conftest.py does)."""
    with engine.begin() as conn:
        Base.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def database_size(engine: Engine) -> int:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            return int(conn.scalar(text("SELECT pg_database_size(current_database())")) or 0)
        if engine.dialect.name == "sqlite":
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar() or 0
            size = conn.exec_driver_sql("PRAGMA page_size").scalar() or 0
            return int(pages) * int(size)
    return 0


def largest_blocks(conn: Any) -> dict[str, int]:
    """Rows under the biggest key of each kind (the part before ':'; the key itself holds name sounds)."""
    sizes = (
        select(MatchKey.key, func.count().label("n"))
        .where(MatchKey.record_type == CLAIM)
        .group_by(MatchKey.key)
        .subquery()
    )
    largest: dict[str, int] = {}
    for key, n in conn.execute(select(sizes.c.key, sizes.c.n).where(sizes.c.n > 1)):
        kind = key.split(":", 1)[0]
        largest[kind] = max(largest.get(kind, 0), int(n))
    return largest


def analyze(engine: Engine) -> str:
    """Give the planner the table sizes; returns what was run."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        return "VACUUM ANALYZE"
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return "ANALYZE"


def server_label(engine: Engine) -> str:
    version = engine.dialect.server_version_info or ()
    return f"{engine.dialect.name} {'.'.join(str(v) for v in version[:2])}".strip()


# ------------------------------------------------------------------------------------------ load


def claim_row(number: int, r: PersonRecord, owner: str, now: Any) -> dict[str, Any]:
    """Column values of a validated, published claim for record ``r`` (cut to the column lengths)."""
    return {
        "id": number,
        "reference": f"BENCH-{number:06d}",
        "status": "active",
        "publication": "published",
        "owner_country": owner,
        "agency": "",
        "police_case_number": f"BENCH-{number:06d}",
        "given_names": r.given_names[:120],
        "first_surname": r.first_surname[:80],
        "second_surname": r.second_surname[:80],
        "aliases": list(r.aliases),
        "sex": r.sex,
        "birth_date": r.birth_date,
        "birth_date_precision": r.birth_precision if r.birth_date else "day",
        "age_min": r.age_min,
        "age_max": r.age_max,
        "document_id": r.document_id[:40],
        "nationality": r.nationality[:2],
        "height_cm": r.height_cm,
        "distinguishing_marks": r.description,
        "description": "",
        "event_date": r.event_date,
        "country": r.country[:2],
        "place": r.place[:200],
        "circumstances": [],
        "validated_at": now,
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }


def _batches(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def ensure_countries(engine: Engine, codes: set[str]) -> int:
    """Add any country the records use that the migrations did not seed; returns how many."""
    with engine.begin() as conn:
        known = set(conn.scalars(select(Country.code)))
        missing = sorted(c for c in codes if c and c not in known)
        if missing:
            conn.execute(
                insert(Country.__table__),
                [{"code": c, "name": c, "default_locale": "es", "active": True} for c in missing],
            )
    return len(missing)


def load_claims(engine: Engine, records: Sequence[PersonRecord], fallback_country: str) -> dict[str, float]:
    """Insert claims, their keys and tokens in batches; returns seconds per phase."""
    seconds: dict[str, float] = defaultdict(float)
    claim_table, key_table, token_table = Claim.__table__, MatchKey.__table__, MatchToken.__table__
    sound_table = NameSound.__table__
    sounds: set[str] = set()
    now = utcnow()
    for start in range(0, len(records), CLAIM_CHUNK):
        t = time.perf_counter()
        claims, keys, tokens = [], [], []
        for offset, r in enumerate(records[start : start + CLAIM_CHUNK]):
            number = start + offset + 1
            row = claim_row(number, r, r.country or fallback_country, now)
            # The portal's own view of the stored claim, so that keys match what match_claim stores.
            claim = Claim(**{k: v for k, v in row.items() if k not in ("created_at", "updated_at")})
            row["age_seen_min"], row["age_seen_max"] = age_range(claim)
            prepared = prepare(store.record_for_claim(claim, ()))
            # The search's keys (cases.name_index.index_claim): names and document, read the same way.
            row["name_keys"] = sorted(lookup.index_keys(prepared))
            row["public_name_keys"] = sorted(lookup.index_keys(name_record(claim, public=True)))
            sounds.update(lookup.sounds_of(prepared))
            claims.append(row)
            keys += [
                {"record_type": CLAIM, "record_id": number, "key": k}
                for k in sorted({k[:KEY_LENGTH] for k in blocking.blocking_keys(prepared)})
            ]
            tokens += store.token_rows(number, prepared)
        seconds["prepare"] += time.perf_counter() - t
        with engine.begin() as conn:
            for table, rows, label in (
                (claim_table, claims, "claims"),
                (key_table, keys, "keys"),
                (token_table, tokens, "tokens"),
            ):
                t = time.perf_counter()
                for batch in _batches(rows):
                    conn.execute(insert(table), batch)
                seconds[label] += time.perf_counter() - t
    with engine.begin() as conn:
        known = set(conn.scalars(select(NameSound.sound)))
        for batch in _batches([{"sound": s} for s in sorted(sounds - known)]):
            conn.execute(insert(sound_table), batch)
    if engine.dialect.name == "postgresql":
        # Explicit ids: move the sequence past them, as if the claims had been filed one by one.
        with engine.begin() as conn:
            conn.execute(
                text("SELECT setval(pg_get_serial_sequence('claim', 'id'), (SELECT COALESCE(MAX(id), 1) FROM claim))")
            )
    return dict(seconds)


# ------------------------------------------------------------------------------------------ sightings


def sighting_input(r: PersonRecord, fallback_country: str) -> SightingInput:
    """What a witness would type in the public form for generated sighting ``r``."""
    name = " ".join(p for p in (r.given_names, r.first_surname, r.second_surname) if p) or " ".join(r.aliases)
    return SightingInput(
        event_date=r.event_date or date.today(),
        country=(r.country or fallback_country)[:2],
        place=r.place[:200],
        name_heard=name[:120],
        sex=r.sex,
        age_min=r.age_min,
        age_max=r.age_max,
        height_cm=r.height_cm,
        marks=r.description[:2000],
    )


class Stopwatch:
    """Milliseconds spent in some functions during the current sighting (wrapped in place)."""

    def __init__(self) -> None:
        self.current: dict[str, float] = defaultdict(float)
        self.nearest_rows = 0
        self.nearest_keys: set[str] = set()

    def reset(self) -> None:
        self.current = defaultdict(float)
        self.nearest_rows, self.nearest_keys = 0, set()

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                result = fn(*args, **kwargs)
            finally:
                self.current[name] += (time.perf_counter() - t) * 1000
            if name == "_nearest" and args[1] == CLAIM:
                self.nearest_rows += len(result)
                self.nearest_keys = set(args[2])
            return result

        return timed


@contextmanager
def timed_stages(watch: Stopwatch) -> Iterator[None]:
    """Wrap match_sighting, its stages and the reassessment, where casework.sighting_reported calls them."""
    originals = {name: getattr(store, name) for name in (*STAGES, "match_sighting")}
    for name, fn in originals.items():
        setattr(store, name, watch.wrap(name, fn))
    reassess_claims = assessments.reassess_claims
    assessments.reassess_claims = watch.wrap("reassess (indicators)", reassess_claims)
    try:
        yield
    finally:
        for name, fn in originals.items():
            setattr(store, name, fn)
        assessments.reassess_claims = reassess_claims


def make_officers(factory: sessionmaker[Session], codes: set[str]) -> dict[str, int]:
    """One police account per country (fast password hashes: nobody logs in)."""
    previous = passwords._hasher  # put back afterwards: the choice is process-wide
    passwords.use_fast_hashes(True)
    ids = {}
    try:
        with factory() as session:
            for code in sorted(codes):
                user = create_user(
                    session,
                    email=f"bench.police.{code.lower()}@example.test",
                    password="bench-password-not-used",
                    role="police",
                    country_code=code,
                )
                ids[code] = user.id
            session.commit()
    finally:
        passwords._hasher = previous
    return ids


def percentile95(values: Sequence[float]) -> float:
    if len(values) < 2:
        return max(values)
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def nearest_statement(keys: set[str]) -> Any:
    """The statement of ``store._nearest`` for claims (kept in step with it by hand)."""
    shared = func.count(MatchKey.key)
    return (
        select(MatchKey.record_id)
        .where(MatchKey.record_type == CLAIM, MatchKey.key.in_({k[:KEY_LENGTH] for k in keys}))
        .group_by(MatchKey.record_id)
        .order_by(shared.desc(), MatchKey.record_id)
        .limit(blocking.QUERY_LIMIT)
    )


def explain(engine: Engine, keys: set[str]) -> list[str]:
    """The plan of the candidate look-up for ``keys``, string literals blanked (they hold name keys)."""
    sql = str(nearest_statement(keys).compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(prefix + sql).all()
    lines = [" | ".join(str(v) for v in row) if engine.dialect.name != "postgresql" else str(row[0]) for row in rows]
    return [re.sub(r"'(?:[^']|'')*'", "'…'", line) for line in lines]


def measure(
    factory: sessionmaker[Session], records: Sequence[PersonRecord], officers: dict[str, int], fallback_country: str
) -> dict[str, Any]:
    watch = Stopwatch()
    out: dict[str, Any] = {
        "report": [],
        "again": [],
        "queue": [],
        "candidates": [],
        "in_queue": 0,
        "with_candidates": 0,
        "named": 0,
        "scored": [],
        "stages": defaultdict(list),
        "slowest_nearest": (-1.0, set()),
    }
    actor = AnonymousUserMixin()
    with timed_stages(watch):
        for r in records:
            data = sighting_input(r, fallback_country)
            out["named"] += bool(data.name_heard)
            watch.reset()
            t = time.perf_counter()
            with factory() as session:
                sighting = casework.sighting_reported(session, actor, data)
                t_commit = time.perf_counter()
                session.commit()
                sighting_id = sighting.id
            end = time.perf_counter()
            out["report"].append((end - t) * 1000)
            stages = dict(watch.current)
            stages["commit"] = (end - t_commit) * 1000
            stages["insert + audit (before matching)"] = (
                (t_commit - t) * 1000 - stages.get("match_sighting", 0.0) - stages.get("reassess (indicators)", 0.0)
            )
            stages["scoring (compare)"] = stages.get("_score", 0.0) - stages.get("term_frequencies", 0.0)
            for name, ms in stages.items():
                out["stages"][name].append(ms)
            out["scored"].append(watch.nearest_rows)
            if stages.get("_nearest", 0.0) > out["slowest_nearest"][0]:
                out["slowest_nearest"] = (stages["_nearest"], watch.nearest_keys)

            with factory() as session:
                lefts = list(
                    session.scalars(
                        select(MatchCandidate.left_claim_id).where(MatchCandidate.right_sighting_id == sighting_id)
                    )
                )
            out["candidates"].append(len(lefts))

            t = time.perf_counter()
            with factory() as session:
                store.match_sighting(session, session.get(Sighting, sighting_id))
                session.commit()
            out["again"].append((time.perf_counter() - t) * 1000)

            officer_id = officers[data.country]
            t = time.perf_counter()
            with factory() as session:
                review.queue(session, session.get(User, officer_id))
            out["queue"].append((time.perf_counter() - t) * 1000)
            if lefts:
                out["with_candidates"] += 1
                with factory() as session:
                    officer = session.get(User, officer_id)
                    seen = review.queue(session, officer, claim_id=lefts[0])
                    out["in_queue"] += any(c.right_sighting_id == sighting_id for c in seen)
    return out


# ------------------------------------------------------------------------------------------ main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--sightings", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--work",
        default=os.path.join(tempfile.gettempdir(), "portal-bench-latency"),
        help="generator output goes to WORK/<claims>-<seed> (reused when present)",
    )
    parser.add_argument("--keep", action="store_true", help="leave the data in the database at the end")
    parser.add_argument("--explain", action="store_true", help="print the plan of the slowest candidate look-up")
    args = parser.parse_args(argv)
    url = args.database_url
    check_url(url)

    folder = os.path.join(args.work, f"{args.claims}-{args.seed}")
    if not os.path.exists(os.path.join(folder, "sightings.csv")):
        t = time.perf_counter()
        generate.generate(args.claims, args.seed, folder)
        print(f"generated {args.claims:,} claims in {time.perf_counter() - t:.1f} s", file=sys.stderr, flush=True)
    claims = read_records(os.path.join(folder, "claims.csv"), CLAIM)
    sightings = read_records(os.path.join(folder, "sightings.csv"), SIGHTING)[: args.sightings]
    if not sightings:
        sys.exit("error: the generated sightings.csv has no sightings")

    ensure_database(url)
    engine = make_engine(url)
    drop_everything(engine)
    upgrade_database(url)
    label = server_label(engine)
    print(f"database: {label}; schema dropped and migrated", file=sys.stderr, flush=True)
    fallback = "BO"
    added = ensure_countries(engine, {r.country for r in claims} | {r.country for r in sightings} | {fallback})

    started = time.perf_counter()
    phases = load_claims(engine, claims, fallback)
    t = time.perf_counter()
    ran = analyze(engine)
    phases["analyze"] = time.perf_counter() - t
    load_seconds = time.perf_counter() - started
    with engine.connect() as conn:
        n_claims = conn.scalar(select(func.count()).select_from(Claim)) or 0
        n_keys = conn.scalar(select(func.count()).select_from(MatchKey)) or 0
        n_tokens = conn.scalar(select(func.count()).select_from(MatchToken)) or 0
        blocks = largest_blocks(conn)
    size = database_size(engine)

    factory = sessionmaker(engine, expire_on_commit=False)  # as portal.db.init_app
    officers = make_officers(factory, {s.country or fallback for s in sightings})
    results = measure(factory, sightings, officers, fallback)

    print(
        f"load: {n_claims:,} claims in {load_seconds:.1f} s (prepare {phases.get('prepare', 0):.1f} s, "
        f"insert claims {phases.get('claims', 0):.1f} s, keys {phases.get('keys', 0):.1f} s, "
        f"tokens {phases.get('tokens', 0):.1f} s, {ran} {phases['analyze']:.1f} s); "
        f"match_key rows {n_keys:,} ({n_keys / max(n_claims, 1):.1f} per claim); "
        f"match_token rows {n_tokens:,}; database size {size / 2**20:,.1f} MB"
        + (f"; {added} countries added" if added else "")
    )
    print(
        "largest block of each key kind (claims under one key): "
        + ", ".join(f"{kind} {n:,}" for kind, n in sorted(blocks.items(), key=lambda kv: -kv[1]))
    )
    print(
        f"sightings: {len(sightings)} from the file in order, {results['named']} with a name heard; "
        f"claims scored per sighting (median) {statistics.median(results['scored']):.0f} "
        f"(cap {blocking.QUERY_LIMIT}); first sighting {results['report'][0]:.1f} ms (cold)"
    )
    print()
    print(
        "| database | claims | measure | sightings measured | median ms | p95 ms | max ms "
        "| candidates per sighting (median) | median / 1 s target |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    candidates = statistics.median(results["candidates"])
    for measure_name, values, cand in (
        ("report_sighting + commit (public form)", results["report"], candidates),
        ("match_sighting again + commit (refresh)", results["again"], "-"),
        ("review queue page (officer of the country)", results["queue"], "-"),
    ):
        median = statistics.median(values)
        cand_text = f"{cand:g}" if isinstance(cand, (int, float)) else cand
        print(
            f"| {label} | {n_claims:,} | {measure_name} | {len(values)} | {median:.1f} | "
            f"{percentile95(values):.1f} | {max(values):.1f} | {cand_text} | {median / TARGET_MS:.3f} |"
        )
    print()
    print(
        f"candidates created: {sum(results['candidates'])} in all, at most {max(results['candidates'])} "
        f"for one sighting; sightings with candidates "
        f"{results['with_candidates']}, of which in their country's officer's queue {results['in_queue']}"
    )
    print()
    print("| stage of report_sighting | median ms | p95 ms |")
    print("|---|---|---|")
    order = [
        "insert + audit (before matching)",
        "match_sighting",
        "_store_keys",
        "_nearest",
        "_claims",
        "term_frequencies",
        "scoring (compare)",
        "_upsert",
        "commit",
    ]
    for name in order:
        values = results["stages"].get(name) or [0.0]
        print(f"| {name} | {statistics.median(values):.1f} | {percentile95(values):.1f} |")

    if args.explain and results["slowest_nearest"][1]:
        ms, keys = results["slowest_nearest"]
        print()
        print(f"plan of the slowest candidate look-up ({ms:.1f} ms, {len(keys)} keys; literals blanked):")
        print("```")
        print("\n".join(explain(engine, keys)))
        print("```")

    if not args.keep:
        drop_everything(engine)
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
