"""`portal translations`: the coverage report, and a catalogue's round trip through a spreadsheet."""

from __future__ import annotations

import csv
import shutil

import pytest
from click.testing import CliRunner

from portal import catalogues


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A copy of the catalogues, so that an import changes nothing of the real ones."""
    copy = tmp_path / "translations"
    shutil.copytree(catalogues.TRANSLATIONS, copy, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(catalogues, "TRANSLATIONS", copy)
    return copy


def test_the_report_counts_what_the_catalogues_hold(tree):
    spanish = catalogues.coverage("es")
    assert spanish.done == spanish.total > 0 and spanish.public_done == spanish.public_total > 100
    result = CliRunner().invoke(catalogues.translations, ["report"])
    assert result.exit_code == 0
    es_line = next(line for line in result.output.splitlines() if line.startswith("es "))
    assert f"{spanish.done} / {spanish.total}" in es_line and "100%" in es_line


def test_a_catalogue_goes_out_as_a_spreadsheet_and_comes_back_reviewed(tree, tmp_path):
    sheet = tmp_path / "qu.csv"
    assert CliRunner().invoke(catalogues.translations, ["export", "qu", str(sheet)]).exit_code == 0
    rows = list(csv.DictReader(sheet.open(encoding="utf-8")))
    search = next(row for row in rows if row["msgid"] == "Search")
    assert search["es"] == "Buscar" and search["where"]
    search["translation"] = "Maskay"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=catalogues.COLUMNS)
        writer.writeheader()
        writer.writerows(rows)

    result = CliRunner().invoke(catalogues.translations, ["import", "qu", str(sheet)])

    assert result.exit_code == 0
    assert catalogues.load("qu").get("Search").string == "Maskay"
    # Nothing else moved: every other row went back as it came out.
    again = {row["msgid"]: row["translation"] for row in catalogues.export_rows("qu")}
    assert {k: v for k, v in again.items() if k != "Search"} == {
        row["msgid"]: row["translation"] for row in rows if row["msgid"] != "Search"
    }
