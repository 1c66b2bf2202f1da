"""The portal latency benchmark (bench/portal_latency.py), run small on SQLite."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))
import portal_latency as PL  # noqa: E402


def table_rows(output: str) -> list[list[str]]:
    """Data rows of the first markdown table (the one with the timings)."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| database |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_small_run_on_sqlite(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'bench.sqlite3'}"
    code = PL.main(
        ["--database-url", url, "--claims", "300", "--sightings", "5", "--seed", "1", "--work", str(tmp_path / "work")]
    )
    assert code == 0
    out = capsys.readouterr().out

    rows = table_rows(out)
    assert [r[2] for r in rows] == [
        "report_sighting + commit (public form)",
        "match_sighting again + commit (refresh)",
        "review queue page (officer of the country)",
    ]
    for database, claims, _measure, measured, median, p95, top, _cand, ratio in rows:
        assert database.startswith("sqlite")
        assert claims == "300"
        assert measured == "5"
        assert 0 < float(median) <= float(p95) <= float(top)
        assert abs(float(ratio) - float(median) / 1000) <= 0.0006
    assert float(rows[0][7]) >= 0

    created = re.search(r"candidates created: (\d+) in all", out)
    assert created and int(created.group(1)) >= 1
    assert re.search(r"match_key rows [\d,]+", out)
    assert "| stage of report_sighting |" in out
    # Without --keep the tables are dropped at the end.
    engine = create_engine(url)
    assert inspect(engine).get_table_names() == []
    engine.dispose()


def test_refuses_the_test_database():
    with pytest.raises(SystemExit) as stop:
        PL.main(["--database-url", "postgresql+psycopg://postgres@127.0.0.1:5432/test", "--claims", "10"])
    assert "test" in str(stop.value)


def test_no_names_in_the_output(tmp_path, capsys):
    """Only ids, counts and timings: no given name or surname of the generated people is printed."""
    url = f"sqlite:///{tmp_path / 'bench.sqlite3'}"
    work = tmp_path / "work"
    PL.main(["--database-url", url, "--claims", "300", "--sightings", "5", "--work", str(work), "--explain"])
    out = capsys.readouterr().out
    records = PL.read_records(work / "300-1" / "claims.csv")
    words = {w.lower() for r in records for w in (r.given_names + " " + r.first_surname).split() if len(w) > 3}
    printed = {w.lower() for w in re.findall(r"[^\W\d_]+", out)}
    assert not words & printed
