#!/usr/bin/env python3
"""Write a generated set again the way another registry or tool might: same people, other shapes.

    .venv/bin/python bench/reshape.py /tmp/other20000 --shape whole-names --share 0.5 --out /tmp/whole
    .venv/bin/portal link /tmp/whole/claims.csv -o /tmp/whole/out.csv
    .venv/bin/python bench/evaluate.py --task dedupe /tmp/whole/out.csv /tmp/whole/truth_pairs.csv

The held-out sets of issue 10 come from tools the project did not write. Each shape below is one
that a registry's export or another generator may well produce while following the person-record
spec loosely; ``--share`` of the records (chosen with ``--seed``) are rewritten, the others kept:

- ``no-ages``: sightings without the witness's age (age_min and age_max blank);
- ``whole-names``: the whole name in the given-name box, surnames blank (claims and sightings);
- ``country-names``: countries and nationalities written by their Spanish names ("Bolivia");
- ``metres``: heights in metres with a decimal comma ("1,55");
- ``pandas``: what ``DataFrame.to_csv`` writes for columns with gaps and dates with times: numbers
  as floats ("15.0", "4455667.0", "155.0"), dates as "2025-02-11 00:00:00";
- ``hombre-mujer``: sex written H and M (hombre, mujer), where M is a woman;
- ``r-na``: what R's ``write.csv`` writes for a missing value: NA in every empty cell;
- ``age-text``: ages as a form writes them: "15-17" in one cell, "15 años" for one number;
- ``country-in-place``: no country column value, the country's Spanish name at the end of the place;
- ``nickname-in-name``: nicknames written in the given-name box in brackets, "Guadalupe (Lupe)".

The truth files are copied unchanged, so ``evaluate.py`` scores the output as for the source set.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil

from babel import Locale

SHAPES = (
    *("no-ages", "whole-names", "country-names", "metres", "pandas", "hombre-mujer", "r-na", "age-text"),
    *("country-in-place", "nickname-in-name"),
)


def reshape(row: dict[str, str], shape: str, sighting: bool) -> None:
    """Rewrite one row in place."""
    if shape == "no-ages" and sighting:
        row["age_min"] = row["age_max"] = ""
    elif shape == "whole-names":
        whole = " ".join(part for part in (row["given_names"], row["first_surname"], row["second_surname"]) if part)
        row["given_names"], row["first_surname"], row["second_surname"] = whole, "", ""
    elif shape == "country-names":
        names = Locale("es").territories
        for column in ("country", "nationality"):
            if row.get(column):
                row[column] = names.get(row[column], row[column])
    elif shape == "metres" and row.get("height_cm"):
        row["height_cm"] = f"{int(row['height_cm']) / 100:.2f}".replace(".", ",")
    elif shape == "pandas":
        for column in ("age_min", "age_max", "height_cm", "document_id"):
            if row.get(column, "").isdigit():
                row[column] = f"{int(row[column])}.0"
        for column in ("birth_date", "event_date"):
            if len(row.get(column, "")) == 10:
                row[column] += " 00:00:00"
    elif shape == "hombre-mujer" and row.get("sex") in ("F", "M"):
        row["sex"] = {"F": "M", "M": "H"}[row["sex"]]
    elif shape == "age-text" and row.get("age_min") and row.get("age_max"):
        low, high = row["age_min"], row["age_max"]
        row["age_min"], row["age_max"] = (f"{low} años", "") if low == high else (f"{low}-{high}", "")
    elif shape == "country-in-place" and row.get("country"):
        country = Locale("es").territories.get(row["country"], row["country"])
        row["place"], row["country"] = (f"{row['place']}, {country}" if row.get("place") else country), ""
    elif shape == "nickname-in-name" and row.get("aliases") and row.get("given_names"):
        nicknames = " ".join(f"({alias.strip()})" for alias in row["aliases"].split(";") if alias.strip())
        row["given_names"], row["aliases"] = f"{row['given_names']} {nicknames}", ""
    elif shape == "r-na":
        for column, value in row.items():
            if column != "id" and not value:
                row[column] = "NA"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", help="folder of a generated set (claims.csv, sightings.csv, truth files)")
    parser.add_argument("--shape", choices=SHAPES, required=True)
    parser.add_argument("--share", type=float, default=1.0, help="share of the records rewritten (0-1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    chance = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    for name in ("claims", "sightings"):
        with open(os.path.join(args.source, f"{name}.csv"), encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            fields, rows = reader.fieldnames or [], list(reader)
        for row in rows:
            if chance.random() < args.share:
                reshape(row, args.shape, name == "sightings")
        with open(os.path.join(args.out, f"{name}.csv"), "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
    for name in os.listdir(args.source):
        if name.startswith("truth_"):
            shutil.copy(os.path.join(args.source, name), os.path.join(args.out, name))
    print(f"{args.shape} ({args.share:.0%} of the records) -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
