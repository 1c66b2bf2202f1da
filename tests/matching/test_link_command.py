"""`portal link` as spec/person-records.md fixes it: files in, candidates out, warnings, errors."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from portal.cli import main
from portal.matching.batch import ProgressBar

HEADER = (
    "id,given_names,first_surname,second_surname,aliases,sex,birth_date,age_min,age_max,"
    "document_id,nationality,country,place,event_date,height_cm,description\n"
)
CLAIMS = HEADER + (
    "C1,Guadalupe,Quispe,Mamani,,F,2010-05-03,,,7654321,BO,BO,El Alto,2025-02-11,150,tatuaje de mariposa en el hombro\n"
    "C2,Guadalupe,Kispe,Mamani,,F,2010-05-03,,,7654321,BO,PE,Puno,2025-02-14,151,"
    "tiene una mariposa tatuada en el hombro\n"
    "C3,Wilmer,Condori,Apaza,,M,1999-11-30,,,,BO,BO,Oruro,2024-07-01,170,\n"
    "C4,Rosa,Choque,Ticona,,F,2004,,,,,CL,Arica,2025-03-03,155,\n"
)
SIGHTINGS = HEADER + (
    'S1,,,,Lupe,F,,14,17,,,PE,"Cusco, bar",2025-05-20,,mariposa tatuada en el hombro\n'
    "S2,Rosa,,,,F,,18,24,,,CL,Arica,2025-06-01,abc,\n"
)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["link", *args])


def rows(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_dedupe_writes_each_pair_once_with_the_spec_columns(tmp_path: Path) -> None:
    out = str(tmp_path / "out.csv")
    result = run(write(tmp_path, "claims.csv", CLAIMS), "-o", out)
    assert result.exit_code == 0, result.output
    found = rows(out)
    assert list(found[0]) == ["left_id", "right_id", "score", "decision", "reasons"]
    assert {(r["left_id"], r["right_id"]) for r in found if r["decision"] == "match"} == {("C1", "C2")}
    assert "surname≈phonetic(quispe/kispe)" in found[0]["reasons"]
    assert "read 4 records" in result.output and "candidates in" in result.output


def test_linking_sightings_ranks_and_warns_per_bad_value(tmp_path: Path) -> None:
    out = str(tmp_path / "out.csv")
    sightings = write(tmp_path, "sightings.csv", SIGHTINGS)
    result = run(write(tmp_path, "claims.csv", CLAIMS), sightings, "-o", out, "--top", "1")
    assert result.exit_code == 0, result.output
    assert f"{sightings}:3: column height_cm" in result.output and "'abc'" in result.output
    found = rows(out)
    assert [r["right_id"] for r in found] == sorted(r["right_id"] for r in found)
    by_sighting = {r["right_id"]: r["left_id"] for r in found}
    assert by_sighting["S1"] in {"C1", "C2"}
    assert sum(1 for r in found if r["right_id"] == "S1") == 1  # --top 1


def test_sightings_without_ages_are_still_read_as_sightings_and_the_run_says_so(tmp_path: Path) -> None:
    # Two of three witnesses gave no age; none knew a birth date or a document. Read as sightings, one
    # seen before Wilmer disappeared cannot be him; read as claims (as asked), it is his duplicate.
    unaged = HEADER + (
        'S1,,,,Lupe,F,,14,17,,,PE,"Cusco, bar",2025-05-20,,mariposa tatuada en el hombro\n'
        "S2,Rosa,,,,F,,,,,,CL,Arica,2025-06-01,,\n"
        "S3,Wilmer,Condori,Apaza,,M,,,,,,BO,Oruro,2024-06-20,,\n"
    )
    claims, sightings = write(tmp_path, "claims.csv", CLAIMS), write(tmp_path, "sightings.csv", unaged)
    out = str(tmp_path / "out.csv")
    result = run(claims, sightings, "-o", out)
    assert result.exit_code == 0, result.output
    assert f"{sightings}: read as sightings (no birth dates or documents); --right-kind claim" in result.output
    assert {r["right_id"] for r in rows(out)} >= {"S1", "S2"} and "S3" not in {r["right_id"] for r in rows(out)}
    as_claims = run(claims, sightings, "-o", out, "--right-kind", "claim")
    assert as_claims.exit_code == 0 and "read as" not in as_claims.output
    assert ("C3", "S3") in {(r["left_id"], r["right_id"]) for r in rows(out)}
    result = run(sightings, claims, "-o", out)  # a file of birth dates and documents: claims
    assert f"{claims}: read as claims (birth dates or documents); --right-kind sighting" in result.output


def test_whole_names_written_in_one_box_find_their_claims(tmp_path: Path) -> None:
    # A witness's whole name in the given-name box, another in the surname box: read as the claims'
    # boxes use each word, they find Guadalupe and Wilmer; Rosa alone stays a given name.
    whole = HEADER + (
        "S1,Guadalupe Quispe Mamani,,,,F,,14,17,,,PE,Puno,2025-05-20,,\n"
        "S2,,Wilmer Condori,,,M,,23,27,,,BO,Oruro,2024-08-01,,\n"
        "S3,Rosa,,,,F,,18,24,,,CL,Arica,2025-06-01,,\n"
    )
    out = str(tmp_path / "out.csv")
    result = run(write(tmp_path, "claims.csv", CLAIMS), write(tmp_path, "sightings.csv", whole), "-o", out)
    assert result.exit_code == 0, result.output
    assert "2 whole names written in one box read as given names and surnames" in result.output
    best = {}
    for row in rows(out):
        best.setdefault(row["right_id"], row)  # rows come best first for each sighting
    assert best["S1"]["left_id"] == "C1" and "surname=exact" in best["S1"]["reasons"]
    assert best["S2"]["left_id"] == "C3" and "given=exact surname=exact" in best["S2"]["reasons"]


def test_countries_by_name_and_heights_in_metres_are_read_as_the_spec_writes_them(tmp_path: Path) -> None:
    from portal.matching.csvfiles import read_records

    written = HEADER + (
        "C1,Ana,Flores,,,F,2010-01-02,,,,Perú,Bolivia,El Alto,2025-02-11,1.55,\n"
        "C2,Ana,Flores,,,F,2010-01-02,,,,,Haïti,El Alto,2025-02-11,155 cm,\n"
        'C3,Ana,Flores,,,F,2010-01-02,,,,,BOL,El Alto,2025-02-11,"1,62 m",\n'
    )
    warnings: list[str] = []
    records = read_records(write(tmp_path, "claims.csv", written), on_warning=lambda w: warnings.append(str(w)))
    assert [(r.country, r.nationality, r.height_cm) for r in records] == [
        ("BO", "PE", 155),
        ("HT", "", 155),
        ("", "", 162),
    ]
    assert sum("countries written by name read as their ISO codes" in w for w in warnings) == 2  # one a column
    assert any("'BOL'" in w and "taken as unknown" in w for w in warnings)  # three letters: not a code we read


def test_a_pandas_or_database_export_is_read_as_the_spec_writes_it(tmp_path: Path) -> None:
    from portal.matching.csvfiles import read_records

    exported = HEADER + (  # numbers as floats (a column with gaps), dates with times, a year-first date
        "C1,Ana,Flores,,,F,2010-01-02 00:00:00,,,4455667.0,,BO,El Alto,2025-02-11T08:30:00Z,155.0,\n"
        "C2,Ana,Flores,,,fanm,2010/01/02,14.0,15.0,,,BO,El Alto,2025.02.11,,\n"
    )
    warnings: list[str] = []
    one, two = read_records(write(tmp_path, "claims.csv", exported), on_warning=lambda w: warnings.append(str(w)))
    assert (one.birth_date, one.document_id, one.event_date, one.height_cm) == (
        date(2010, 1, 2),
        "4455667",
        date(2025, 2, 11),
        155,
    )
    assert (two.sex, two.birth_date, two.age_min, two.age_max, two.event_date) == (
        "F",
        date(2010, 1, 2),
        14,
        15,
        date(2025, 2, 11),
    )
    assert warnings == []


def test_sex_written_h_and_m_reads_m_as_a_woman(tmp_path: Path) -> None:
    from portal.matching.csvfiles import read_records

    hombre_mujer = HEADER + "S1,Rosa,,,,M,,14,17,,,PE,Puno,2025-05-20,,\nS2,Juan,,,,H,,14,17,,,PE,Puno,2025-05-20,,\n"
    warnings: list[str] = []
    path = write(tmp_path, "sightings.csv", hombre_mujer)
    assert [r.sex for r in read_records(path, on_warning=lambda w: warnings.append(str(w)))] == ["F", "M"]
    assert warnings == [f"{path}: sex: written H and M (hombre, mujer): M read as a woman"]
    assert [r.sex for r in read_records(write(tmp_path, "claims.csv", CLAIMS))] == ["F", "F", "M", "F"]  # F and M


def test_cells_written_na_are_empty_not_a_name_or_a_document(tmp_path: Path) -> None:
    # R's write.csv writes NA in every empty cell: read as a document "NA", every claim without one
    # would share it. The same file written NA and written empty give the same candidates.
    lines = CLAIMS.splitlines()
    written_na = (
        "\n".join([lines[0], *(",".join(cell or "NA" for cell in line.split(",")) for line in lines[1:])]) + "\n"
    )
    assert ",NA," in written_na
    blank_out, na_out = str(tmp_path / "blank.csv"), str(tmp_path / "na.csv")
    assert run(write(tmp_path, "claims.csv", CLAIMS), "-o", blank_out).exit_code == 0
    result = run(write(tmp_path, "claims_na.csv", written_na), "-o", na_out)
    assert result.exit_code == 0 and "cells written NA, NaN, null, S/D or the like read as empty" in result.output
    assert rows(na_out) == rows(blank_out)


def test_another_tools_column_names_and_compact_dates_are_read_as_the_specs(tmp_path: Path) -> None:
    from portal.matching.csvfiles import read_records

    febrl_like = "id,given_name,surname,date_of_birth,soc_sec_id,gender\nA1,mitchell,green,19560409,1804974,female\n"
    warnings: list[str] = []
    [record] = read_records(write(tmp_path, "febrl.csv", febrl_like), on_warning=lambda w: warnings.append(str(w)))
    assert (record.given_names, record.first_surname, record.birth_date, record.document_id, record.sex) == (
        "mitchell", "green", date(1956, 4, 9), "1804974", "F",
    )  # fmt: skip
    assert any("column date_of_birth read as birth_date" in w for w in warnings)
    both = "id,given_names,given_name\nA1,Ana,Rosa\n"  # the spec's own column wins; the other is ignored
    assert read_records(write(tmp_path, "both.csv", both))[0].given_names == "Ana"
    address = "id,given_name,street_number,address_1,suburb,postcode\nA1,Ana,7,wallaby place,NA,2119\n"
    [record] = read_records(write(tmp_path, "address.csv", address), on_warning=lambda w: warnings.append(str(w)))
    assert record.place == "7, wallaby place, 2119"
    assert any("columns street_number, address_1, suburb, postcode read together as place" in w for w in warnings)
    assert not any("unknown column" in w for w in warnings)


def test_ages_written_as_a_form_writes_them_are_read(tmp_path: Path) -> None:
    from portal.matching.csvfiles import read_records

    written = HEADER + (
        "S1,Lupe,,,,F,,15-17,,,,BO,El Alto,2025-06-01,,\n"  # a range in one cell
        "S2,Lupe,,,,F,,15 años,17 años,,,BO,El Alto,2025-06-01,,\n"
        "S3,Lupe,,,,F,,aprox. 15,,,,BO,El Alto,2025-06-01,,\n"
        "S4,Lupe,,,,F,,17 a 15,,,,BO,El Alto,2025-06-01,,\n"
        "S5,Lupe,,,,F,,quince,,,,BO,El Alto,2025-06-01,,\n"
    )
    warnings: list[str] = []
    records = read_records(write(tmp_path, "s.csv", written), on_warning=lambda w: warnings.append(str(w)))
    assert [(r.age_min, r.age_max) for r in records] == [(15, 17), (15, 17), (15, None), (15, 17), (None, None)]
    assert len(warnings) == 1 and "'quince'" in warnings[0] and "taken as unknown" in warnings[0]


def test_a_place_that_ends_with_its_country_gives_the_country_when_none_is_given(tmp_path: Path) -> None:
    from portal.matching.csvfiles import read_records

    written = HEADER + (
        'S1,Lupe,,,,F,,15,17,,,,"Arica, Chile",2025-06-01,,\n'
        "S2,Lupe,,,,F,,15,17,,,,Perú,2025-06-01,,\n"
        'S3,Lupe,,,,F,,15,17,,,,"Calle 5, SN",2025-06-01,,\n'  # sin número: two letters are no country
        'S4,Lupe,,,,F,,15,17,,,BO,"Arica, Chile",2025-06-01,,\n'  # a country given: the place as written
    )
    records = read_records(write(tmp_path, "s.csv", written))
    assert [(r.country, r.place) for r in records] == [
        ("CL", "Arica"), ("PE", ""), ("", "Calle 5, SN"), ("BO", "Arica, Chile"),
    ]  # fmt: skip


def test_min_score_filters(tmp_path: Path) -> None:
    out = str(tmp_path / "out.csv")
    result = run(write(tmp_path, "claims.csv", CLAIMS), "-o", out, "--min-score", "0.999999")
    assert result.exit_code == 0
    assert all(float(r["score"]) >= 0.9999 for r in rows(out))


def test_a_file_without_id_column_is_rejected(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.csv", "given_names,first_surname\nAna,Flores\n")
    result = run(bad, "-o", str(tmp_path / "out.csv"))
    assert result.exit_code != 0 and "no 'id' column" in result.output


def test_duplicate_ids_are_rejected_with_their_lines(tmp_path: Path) -> None:
    bad = write(tmp_path, "dup.csv", HEADER + "C1,Ana,,,,F,,,,,,,,,,\nC1,Rosa,,,,F,,,,,,,,,,\n")
    result = run(bad, "-o", str(tmp_path / "out.csv"))
    assert result.exit_code != 0 and "duplicate id 'C1'" in result.output and "line 2" in result.output


def test_a_binary_or_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    binary = tmp_path / "x.csv"
    binary.write_bytes(b"id,given_names\n\xff\xfe\x00bad\n")
    assert "not UTF-8" in run(str(binary), "-o", str(tmp_path / "o.csv")).output
    missing = run(str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o.csv"))
    assert missing.exit_code != 0 and "no such file" in missing.output


def test_a_spreadsheets_csv_export_is_read_as_the_same_records(tmp_path: Path) -> None:
    # Excel set to Spanish saves "CSV" with semicolons, a byte-order mark and CRLF; column names may
    # come in capitals. The same records give the same candidates, and the file-level note says why.
    plain = write(tmp_path, "plain.csv", CLAIMS)
    assert run(plain, "-o", str(tmp_path / "plain_out.csv")).exit_code == 0
    # "Unicode text" is UTF-16 with a byte-order mark, tab-separated.
    for name, separator, encoding in (("semicolons.csv", ";", "utf-8"), ("tabs.csv", "\t", "utf-16-le")):
        table = list(csv.reader(io.StringIO(CLAIMS)))
        table[0] = [column.upper() if column == "id" else column.title() for column in table[0]]
        exported = io.StringIO()
        csv.writer(exported, delimiter=separator, lineterminator="\r\n").writerows(table)
        path = tmp_path / name
        path.write_bytes(("\ufeff" + exported.getvalue()).encode(encoding))
        result = run(str(path), "-o", str(tmp_path / f"{name}_out.csv"))
        shown = "semicolons" if separator == ";" else "tabs"
        assert result.exit_code == 0 and f"cells separated by {shown}, not commas" in result.output
        assert rows(str(tmp_path / f"{name}_out.csv")) == rows(str(tmp_path / "plain_out.csv"))


def test_dates_with_slashes_are_read_in_the_order_their_column_shows(tmp_path: Path) -> None:
    # A spreadsheet writes 14/03/2009 (Bolivia, Peru...) or 03/14/2009 (Puerto Rico). A column whose
    # values show the order is read in it, the ambiguous 03/04/2009 too; one that never shows it (or
    # shows both) keeps its dates unknown, and says how to write them.
    from portal.matching.csvfiles import read_records

    def birth_dates(name: str, dates: list[str], event: str = "") -> tuple[list, list[str]]:
        lines = ["id,given_names,birth_date,event_date"] + [f"C{k},Ana,{d},{event}" for k, d in enumerate(dates)]
        notes: list[str] = []
        records = read_records(
            write(tmp_path, name, "\n".join(lines) + "\n"), on_warning=lambda w: notes.append(str(w))
        )
        return [(r.birth_date.isoformat() if r.birth_date else None, r.event_date) for r in records], notes

    day_first, notes = birth_dates("dmy.csv", ["14/03/2009", "03/04/2009", "2008-01-02"], event="20.03.2025")
    assert [d for d, _ in day_first] == ["2009-03-14", "2009-04-03", "2008-01-02"]
    assert {e.isoformat() for _, e in day_first} == {"2025-03-20"}
    assert any("birth_date: dates with slashes read as day/month/year" in n for n in notes)
    month_first, _ = birth_dates("mdy.csv", ["03/14/2009", "03/04/2009"])
    assert [d for d, _ in month_first] == ["2009-03-14", "2009-03-04"]
    for name, dates in (("ambiguous.csv", ["03/04/2009"]), ("both.csv", ["14/03/2009", "03/14/2009"])):
        unknown, notes = birth_dates(name, dates)
        assert all(d is None for d, _ in unknown)
        assert any("the column does not show are taken as unknown; write them as YYYY-MM-DD" in n for n in notes)


def test_a_file_from_a_pipe_is_read_like_one_on_disk(tmp_path: Path) -> None:
    # `portal link <(zcat claims.csv.gz) -o out.csv`: a pipe cannot be rewound, and the reader reads a
    # file twice (its separator and its dates' order first).
    import os
    import threading

    on_disk = write(tmp_path, "claims.csv", CLAIMS)
    assert run(on_disk, "-o", str(tmp_path / "disk.csv")).exit_code == 0
    fifo = tmp_path / "claims.fifo"
    os.mkfifo(fifo)
    # A daemon: were the reader never to open the pipe, the writer blocked on it must not hold the run.
    writer = threading.Thread(target=lambda: fifo.write_text(CLAIMS, encoding="utf-8"), daemon=True)
    writer.start()
    result = run(str(fifo), "-o", str(tmp_path / "pipe.csv"))
    writer.join(timeout=10)
    assert result.exit_code == 0, result.output
    assert rows(str(tmp_path / "pipe.csv")) == rows(str(tmp_path / "disk.csv"))


def test_a_latin_1_file_says_how_to_save_it_as_utf_8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("id,given_names\nC1,María\n".encode("latin-1"))
    result = run(str(path), "-o", str(tmp_path / "o.csv"))
    assert result.exit_code != 0 and "not UTF-8" in result.output and "CSV UTF-8" in result.output


def test_progress_bar_draws_only_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    quiet, loud = io.StringIO(), Tty()
    for stream in (quiet, loud):
        bar = ProgressBar(stream, "linking")
        bar(50, 100)
        bar(100, 100)
    assert quiet.getvalue() == ""
    assert "100/100" in loud.getvalue() and "/s" in loud.getvalue() and "left" in loud.getvalue()


def test_the_garbage_collector_is_paused_only_while_linking(tmp_path: Path) -> None:
    import gc

    assert gc.isenabled()
    assert run(write(tmp_path, "claims.csv", CLAIMS), "-o", str(tmp_path / "out.csv")).exit_code == 0
    assert run(write(tmp_path, "bad.csv", "no id column\n"), "-o", str(tmp_path / "x.csv")).exit_code != 0
    assert gc.isenabled()


def test_a_worker_process_killed_ends_the_run_with_a_clear_error_instead_of_waiting(
    tmp_path: Path, monkeypatch
) -> None:
    """The system's out-of-memory killer may stop a worker on a large file: the run must end, saying so,
    not wait for the lost result for ever (as ``multiprocessing.Pool`` would: checked within a minute)."""
    import os
    import threading

    from portal.matching import linker

    def killed(*_args):  # type: ignore[no-untyped-def]
        os._exit(137)  # runs in a forked process, as the killer would stop it

    claims = write(tmp_path, "claims.csv", CLAIMS)
    cases = [  # (what the forked process runs, the command's files, settings that make it fork)
        ("_candidate_pairs", [claims], {"BESIDE_MIN_RECORDS": 1}),
        ("_looked_up", [claims, write(tmp_path, "sightings.csv", SIGHTINGS)], {"BESIDE_MIN_RECORDS": 1}),
        ("compare", [claims], {"PARALLEL_MIN_PAIRS": 0}),  # the scoring workers
    ]
    for task, files, settings in cases:
        with monkeypatch.context() as patched:
            patched.setattr(linker, task, killed)
            for name, value in settings.items():
                patched.setattr(linker, name, value)
            results: list = []
            args = [*files, "-o", str(tmp_path / "o.csv")]
            runner = threading.Thread(target=lambda results=results, args=args: results.append(run(*args)))
            runner.start()
            runner.join(timeout=60)
        assert results, f"{task}: still waiting after a minute"
        assert results[0].exit_code == 1, (task, results[0].output)
        assert "worker process was stopped" in results[0].output and "Traceback" not in results[0].output
