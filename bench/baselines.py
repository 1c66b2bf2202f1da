#!/usr/bin/env python3
"""Baseline linkers for the comparison in ``run.py``, each writing ``portal link``'s
OUT.csv format (``left_id,right_id,score,decision,reasons``) so ``evaluate.py`` scores
all tools the same way.

    python bench/baselines.py recordlinkage LEFT.csv [RIGHT.csv] -o OUT.csv [--top K]
    python bench/baselines.py splink        LEFT.csv [RIGHT.csv] -o OUT.csv [--top K]
    python bench/baselines.py rapidfuzz     CLAIMS.csv SIGHTINGS.csv -o OUT.csv [--top 10]

Without RIGHT, LEFT is deduplicated. Without ``--top``, only the pairs each tool
classifies as matches are written (decision ``match``); with ``--top K`` (the sightings
task), the K best-scored candidates of every RIGHT record are written, ``match`` when the
tool classifies them as matches and ``possible`` otherwise.

The three baselines (what each does exactly is also in bench/README.md):

- :func:`run_recordlinkage`: the Record Linkage Toolkit's documented pipeline
  (quick start / classification examples): ``clean`` the text columns, block on the given
  names, compare surname and given names with Jaro-Winkler >= 0.85, exact birth date,
  exact document, place with the default string method (Levenshtein) >= 0.85; classify with
  the documented rule (sum of the binary features > 3) and with ``ECMClassifier``.
  It writes two files, ``OUT.rule.csv`` and ``OUT.ecm.csv``; ``run.py`` reports the better.
- :func:`run_splink`: Splink 5, DuckDB backend; Fellegi-Sunter model with Splink's
  out-of-the-box comparisons (``NameComparison`` with term-frequency adjustments,
  ``DateOfBirthComparison``, ``ExactMatch``), trained without labels (deterministic-rule
  prior, u by random sampling, EM on two blocking rules); matches at probability >= 0.5.
- :func:`run_rapidfuzz`: sightings only; every claim scored by ``fuzz.WRatio`` of the full
  name strings, top 10 per sighting, all ``possible``.

Every function reads the person-record CSVs itself, so the timing includes loading.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time

import numpy as np
import pandas as pd

NAME_COLUMNS = ["given_names", "first_surname", "second_surname", "aliases"]
OUT_COLUMNS = ["left_id", "right_id", "score", "decision", "reasons"]


# --------------------------------------------------------------------------- shared helpers
def load_records(path: str) -> pd.DataFrame:
    """A person-record CSV as strings (no NA guessing: ``NA`` is a name), ``id`` as index,
    empty cells as NaN."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    df = df.set_index("id", drop=False)
    df.index.name = None
    return df.mask(df.eq(""))


def write_out(path: str, left, right, score, decision, reasons: str = "") -> int:
    """Write OUT.csv sorted by ``right_id`` then descending ``score``; return the row count."""
    out = pd.DataFrame(
        {
            "left_id": np.asarray(left, dtype=object),
            "right_id": np.asarray(right, dtype=object),
            "score": np.round(np.asarray(score, dtype=float), 6),
            "decision": np.asarray(decision, dtype=object),
        }
    )
    out["reasons"] = reasons
    out = out.sort_values(["right_id", "score"], ascending=[True, False], kind="stable")
    out[OUT_COLUMNS].to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL)
    return len(out)


def top_k_per_right(frame: pd.DataFrame, k: int) -> pd.DataFrame:
    """The ``k`` best rows (by ``score``) of each ``right_id``."""
    frame = frame.sort_values(["right_id", "score"], ascending=[True, False], kind="stable")
    return frame.groupby("right_id", sort=False).head(k)


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- recordlinkage
def run_recordlinkage(left_csv: str, right_csv: str | None, out_csv: str, top: int | None = None) -> dict[str, str]:
    """Record Linkage Toolkit, documented pipeline; writes ``<out>.rule.csv`` and
    ``<out>.ecm.csv`` (``<out>`` = ``out_csv`` without ``.csv``) and returns their paths.

    Index: ``Index().block("given_names")`` after ``preprocessing.clean`` (lower case,
    accents stripped, punctuation removed) of the name and place columns, as the docs'
    preprocessing page shows. Dedupe uses ``indexer.index(df)``, link ``index(dfA, dfB)``.
    Compare: Jaro-Winkler >= 0.85 on ``first_surname`` and ``given_names``, exact
    ``birth_date``, exact ``document_id``, ``place`` with ``string(threshold=0.85)``
    (Levenshtein, the default method). Classify: the docs' rule ``features.sum(axis=1) > 3``
    (score = share of agreeing features) and ``ECMClassifier()`` (score = its match
    probability)."""
    import recordlinkage
    from recordlinkage.preprocessing import clean

    frames = [load_records(left_csv)] + ([load_records(right_csv)] if right_csv else [])
    for df in frames:
        for col in ("given_names", "first_surname", "place"):
            df[col] = clean(df[col], strip_accents="unicode").replace({"": np.nan})

    indexer = recordlinkage.Index()
    indexer.block("given_names")
    candidates = indexer.index(*frames)
    _log(f"recordlinkage: {len(candidates)} candidate pairs")

    compare = recordlinkage.Compare()
    compare.string("first_surname", "first_surname", method="jarowinkler", threshold=0.85, label="first_surname")
    compare.string("given_names", "given_names", method="jarowinkler", threshold=0.85, label="given_names")
    compare.exact("birth_date", "birth_date", label="birth_date")
    compare.exact("document_id", "document_id", label="document_id")
    compare.string("place", "place", threshold=0.85, label="place")
    features = compare.compute(candidates, *frames)

    # In recordlinkage's MultiIndex, level 0 is the first frame (LEFT) and level 1 the second
    # (RIGHT, or LEFT again when deduplicating).
    left_ids = features.index.get_level_values(0)
    right_ids = features.index.get_level_values(1)
    base = out_csv[:-4] if out_csv.endswith(".csv") else out_csv
    paths = {}

    total = features.sum(axis=1)
    rule_match = (total > 3).to_numpy()
    rule_score = (total / features.shape[1]).to_numpy()

    ecm_match = np.zeros(len(features), dtype=bool)
    ecm_score = np.zeros(len(features))
    if len(features):
        ecm = recordlinkage.ECMClassifier()
        ecm_links = ecm.fit_predict(features)
        ecm_match = features.index.isin(ecm_links)
        ecm_score = np.asarray(ecm.prob(features), dtype=float)

    for name, match, score in (("rule", rule_match, rule_score), ("ecm", ecm_match, ecm_score)):
        frame = pd.DataFrame({"left_id": left_ids, "right_id": right_ids, "score": score, "match": match})
        frame = top_k_per_right(frame, top) if top else frame[frame["match"]]
        path = f"{base}.{name}.csv"
        n = write_out(
            path,
            frame["left_id"],
            frame["right_id"],
            frame["score"],
            np.where(frame["match"], "match", "possible"),
            f"recordlinkage-{name}",
        )
        _log(f"recordlinkage {name}: {int(match.sum())} matches, {n} rows -> {path}")
        paths[name] = path
    return paths


# --------------------------------------------------------------------------- splink
def run_splink(left_csv: str, right_csv: str | None, out_csv: str, top: int | None = None, seed: int = 1) -> str:
    """Splink 5 (DuckDB), unsupervised Fellegi-Sunter model; returns ``out_csv``.

    Comparisons (any whose column is empty in every input is left out, e.g. the second
    surname, sex and country FEBRL does not have): ``NameComparison`` on given names, first and
    second surname (exact level term-frequency adjusted), ``DateOfBirthComparison`` on the
    ``YYYY-MM-DD`` birth date (partial dates count as unknown), ``ExactMatch`` on sex,
    document and country. Prediction blocking: ``block_on`` first surname, given names,
    birth date, document. Training: ``estimate_probability_two_random_records_match`` from
    the deterministic rules (document) and (given names, first surname, birth date) with
    recall 0.7; ``estimate_u_using_random_sampling(max_pairs=1e6)``; EM on
    ``block_on(first_surname, given_names)`` then ``block_on(birth_date)``. Decision
    ``match`` at ``match_probability >= 0.5``."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    frames = [load_records(left_csv)] + ([load_records(right_csv)] if right_csv else [])
    columns = list(frames[0].columns)
    for df in frames[1:]:
        columns += [c for c in df.columns if c not in columns]
    frames = [
        df.reindex(columns=columns).reset_index(drop=True).astype(object).where(lambda d: d.notna(), None)
        for df in frames
    ]

    def present(col: str) -> bool:
        return any(col in df and df[col].notna().any() for df in frames)

    comparisons = []
    for col in ("given_names", "first_surname", "second_surname"):
        if present(col):
            comparisons.append(cl.NameComparison(col))
    if present("birth_date"):
        comparisons.append(cl.DateOfBirthComparison("birth_date", input_is_string=True, datetime_format="%Y-%m-%d"))
    for col in ("sex", "document_id", "country"):
        if present(col):
            comparisons.append(cl.ExactMatch(col))

    settings = SettingsCreator(
        link_type="link_only" if right_csv else "dedupe_only",
        unique_id_column_name="id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[
            block_on("first_surname"),
            block_on("given_names"),
            block_on("birth_date"),
            block_on("document_id"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    db_api = DuckDBAPI()
    names = ["input_left", "input_right"]
    tables = [db_api.register(df, dataset_display_name=names[i]) for i, df in enumerate(frames)]
    linker = Linker(tables if right_csv else tables[0], settings, log_level="WARNING")

    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("document_id"), block_on("given_names", "first_surname", "birth_date")], recall=0.7
    )
    settings_obj = linker._settings_obj  # no public getter for the prior in Splink 5.0
    if not settings_obj._probability_two_random_records_match > 0:
        # Sightings carry no document and no birth date: the deterministic rules find
        # nothing and the prior becomes 0 (log of 0 later). Fall back to "about one true
        # record of LEFT per record of RIGHT", i.e. 1 / |LEFT|.
        fallback = 1.0 / max(len(frames[0]), 2)
        _log(f"splink: deterministic rules found no pairs; prior set to {fallback:.2e}")
        settings_obj._probability_two_random_records_match = fallback
    training.estimate_u_using_random_sampling(max_pairs=1e6, seed=seed)
    for rule in (block_on("first_surname", "given_names"), block_on("birth_date")):
        try:
            training.estimate_parameters_using_expectation_maximisation(rule)
        except Exception as exc:  # e.g. too few blocked pairs on one side: keep going
            _log(f"splink: EM on {rule} skipped: {type(exc).__name__}: {exc}")

    threshold = None if top else 0.5
    pred = linker.inference.predict(threshold_match_probability=threshold)
    result = pred.as_pandas_dataframe()
    if right_csv and "source_dataset_l" in result:
        # link_only: orient every pair as (LEFT record, RIGHT record).
        swap = (result["source_dataset_l"] == "input_right").to_numpy()
        left = np.where(swap, result["id_r"], result["id_l"])
        right = np.where(swap, result["id_l"], result["id_r"])
    else:
        left, right = result["id_l"].to_numpy(), result["id_r"].to_numpy()
    frame = pd.DataFrame(
        {"left_id": left, "right_id": right, "score": result["match_probability"].to_numpy(dtype=float)}
    )
    if top:
        frame = top_k_per_right(frame, top)
    n = write_out(
        out_csv,
        frame["left_id"],
        frame["right_id"],
        frame["score"],
        np.where(frame["score"] >= 0.5, "match", "possible"),
        "splink",
    )
    _log(f"splink: {len(result)} scored pairs, {n} rows -> {out_csv}")
    return out_csv


# --------------------------------------------------------------------------- rapidfuzz
def full_name(df: pd.DataFrame) -> list[str]:
    """given_names + first_surname + second_surname + aliases (``;`` -> space)."""
    parts = df.reindex(columns=NAME_COLUMNS).fillna("").astype(str)
    parts["aliases"] = parts["aliases"].str.replace(";", " ", regex=False)
    return (parts[NAME_COLUMNS].agg(" ".join, axis=1).str.split().str.join(" ")).tolist()


def run_rapidfuzz(claims_csv: str, sightings_csv: str, out_csv: str, top: int = 10, batch: int = 256) -> str:
    """Rank every claim for each sighting by ``fuzz.WRatio`` (rapidfuzz's
    ``default_process``: lower case, punctuation removed) of the full name strings with
    ``process.cdist`` on all cores; keep the ``top`` best per sighting, decision
    ``possible``, score = WRatio / 100. Sightings without any name get no candidates."""
    from rapidfuzz import fuzz, process, utils

    claims, sightings = load_records(claims_csv), load_records(sightings_csv)
    # default_process once per string, not once per cdist batch.
    choices = [utils.default_process(name) for name in full_name(claims)]
    claim_ids = claims["id"].to_numpy()
    queries = [
        (sid, utils.default_process(name)) for sid, name in zip(sightings["id"], full_name(sightings), strict=True)
    ]
    queries = [(sid, name) for sid, name in queries if name]
    lefts, rights, scores = [], [], []
    k = min(top, len(choices))
    for start in range(0, len(queries), batch):
        chunk = queries[start : start + batch]
        matrix = process.cdist(
            [q for _, q in chunk], choices, scorer=fuzz.WRatio, processor=None, dtype=np.float32, workers=-1
        )
        best = np.argpartition(-matrix, k - 1, axis=1)[:, :k]
        for row, (sid, _) in enumerate(chunk):
            for col in best[row]:
                lefts.append(claim_ids[col])
                rights.append(sid)
                scores.append(matrix[row, col] / 100.0)
    n = write_out(out_csv, lefts, rights, scores, ["possible"] * len(lefts), "wratio")
    _log(f"rapidfuzz: {len(queries)} named sightings, {n} rows -> {out_csv}")
    return out_csv


# --------------------------------------------------------------------------- CLI
TOOLS = {"recordlinkage": run_recordlinkage, "splink": run_splink, "rapidfuzz": run_rapidfuzz}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run one baseline linker.")
    parser.add_argument("tool", choices=sorted(TOOLS))
    parser.add_argument("left")
    parser.add_argument("right", nargs="?")
    parser.add_argument("-o", "--out", required=True)
    parser.add_argument(
        "--top", type=int, default=None, help="keep the K best candidates per RIGHT record (sightings task)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.tool == "rapidfuzz":
        if not args.right:
            parser.error("rapidfuzz needs CLAIMS.csv SIGHTINGS.csv")
        run_rapidfuzz(args.left, args.right, args.out, top=args.top or 10)
    else:
        TOOLS[args.tool](args.left, args.right, args.out, top=args.top)
    _log(f"{args.tool}: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
