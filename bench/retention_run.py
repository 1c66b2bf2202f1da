"""How long a retention run takes on a registry of 100,000 claims (issue 14, decisions.md 43).

    .venv/bin/python bench/retention_run.py                       # SQLite file in a temporary folder
    .venv/bin/python bench/retention_run.py --database postgresql+psycopg://postgres@127.0.0.1:5432/bench

Fills an empty database (migrated here; a PostgreSQL database named by --database is emptied first)
with --claims invented claims inserted directly (one status note each): most active, --due closed
eleven years ago, the rest closed recently. Then prints the medians of: a dry run (the selection
alone), the real run that anonymises the --due claims through the casework path (once), and a
run with nothing left to do, which is what the worker pays every day.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, text

GIVEN = ("Rosa", "Juan", "María José", "Wilmer", "Guadalupe", "Yessica", "Ximena", "Pedro")
SURNAMES = ("Quispe", "Mamani", "Condori", "Huanca", "Choque", "Ticona", "Flores", "Apaza")
BATCH = 5000


def _fill(app: object, claims: int, due: int) -> None:
    from portal.cases.models import Claim, Note
    from portal.db import utcnow

    engine = app.extensions["portal.engine"]  # type: ignore[attr-defined]
    now = utcnow()
    old, recent = now - timedelta(days=365 * 11), now - timedelta(days=30)
    with engine.begin() as conn:
        for start in range(0, claims, BATCH):
            rows, notes = [], []
            for n in range(start, min(start + BATCH, claims)):
                status = "closed" if n < due or n % 10 == 0 else "active"
                when = old if n < due else recent
                rows.append(
                    {
                        "id": n + 1, "reference": f"BO-2015-{n + 1:06d}", "status": status,
                        "publication": "unpublished", "owner_country": "BO", "agency": "", "police_case_number": "X",
                        "given_names": GIVEN[n % len(GIVEN)], "first_surname": SURNAMES[n % len(SURNAMES)],
                        "second_surname": SURNAMES[(n // 8) % len(SURNAMES)], "aliases": [], "sex": "F",
                        "birth_date_precision": "day", "document_id": "", "nationality": "BO", "build": "",
                        "hair": "", "eyes": "", "distinguishing_marks": "", "clothing": "", "description": "",
                        "country": "BO", "place": "El Alto", "circumstances": [], "circumstances_text": "",
                        "offer": {}, "occupation": "", "reporter_name": "", "reporter_relation": "",
                        "reporter_contact": "", "name_keys": [], "public_name_keys": [], "created_at": when,
                        "updated_at": when, "version": 1,
                    }
                )  # fmt: skip
                notes.append(
                    {
                        "claim_id": n + 1, "created_at": when, "kind": "status_change", "visibility": "police",
                        "text": "Texto inventado.", "status_after": status, "details": {}, "flags": [],
                    }
                )  # fmt: skip
            conn.execute(insert(Claim), rows)
            conn.execute(insert(Note), notes)


def _timed(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    """Fill, then time the three runs and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database", default="")
    args = parser.parse_args()

    from portal.app import create_app
    from portal.db import make_engine, utcnow
    from portal.photos.storage import PhotoStore
    from portal.retention import jobs
    from portal.retention.policies import Periods
    from portal.schema import upgrade_database

    folder = Path(tempfile.mkdtemp(prefix="retention-bench-"))
    url = args.database or f"sqlite:///{folder / 'bench.sqlite3'}"
    if url.startswith("postgresql"):
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    upgrade_database(url)
    app = create_app("test", DATABASE_URL=url, PHOTO_DIR=str(folder / "photos"))
    started = time.perf_counter()
    _fill(app, args.claims, args.due)
    seconds = time.perf_counter() - started
    print(f"filled {args.claims:,} claims ({args.due:,} due) in {seconds:.1f} s on {url.split(':')[0]}")

    factory = app.extensions["portal.sessionmaker"]
    store, periods = PhotoStore(folder / "photos"), Periods.from_config(app.config)
    dry = [_timed(lambda: jobs.run(factory, store, periods, utcnow(), dry_run=True)) for _ in range(args.repeat)]
    report: list[jobs.Report] = []
    real = _timed(lambda: report.append(jobs.run(factory, store, periods, utcnow())))
    assert report[0].closed_cases_anonymised == args.due, report[0]
    idle = [_timed(lambda: jobs.run(factory, store, periods, utcnow())) for _ in range(args.repeat)]
    print(f"dry run (selection only), median of {args.repeat}: {statistics.median(dry) * 1000:.0f} ms")
    print(
        f"real run anonymising {args.due:,} closed cases: {real:.1f} s "
        f"({real / max(args.due, 1) * 1000:.1f} ms per claim)"
    )
    print(f"daily run with nothing due, median of {args.repeat}: {statistics.median(idle) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
