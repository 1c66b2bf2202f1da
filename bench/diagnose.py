#!/usr/bin/env python3
"""Why the engine misses: each true sighting and duplicate pair followed through the engine's stages.

    .venv/bin/python bench/diagnose.py /tmp/crosscheck/other10000
    .venv/bin/python bench/diagnose.py /tmp/crosscheck/other100000 --engine-root /tmp/engine-2de51c9-x

Reads a set written by ``generate_other.py`` (claims, sightings, truth files and
``truth_records.csv`` with each record's corruption tags) and replays what ``portal link`` does,
with the engine's own functions (``portal.matching``; nothing in it is changed):

Sightings, for the best-placed true claim of each sighting with one, the first stage it fails:

1. ``no shared key``: blocking never proposed it (no query key of the sighting is a key of the claim);
2. ``filtered``: proposed, then dropped by the sex / age / time-order filter (``blocking.plausible``);
3. ``over the limit``: plausible, but not among the QUERY_LIMIT best-ranked candidates;
4. ``vetoed`` (time order) or ``below review``: scored under the review threshold (not written);
5. ``outranked``: written, but 10 or more other claims scored higher (``outranked@1``: not first);
6. ``hit``.

Duplicate pairs: ``no shared key``, ``large block`` (a shared key, but its block is over BLOCK_CAP
and the pair is not among the birth-date neighbours), ``filtered`` (sex / age), ``below match``
(scored under 0.5: not a ``match``) or ``hit``; and the false matches of ``portal link``'s output
(``WORK/out/dedupe_ours.csv``, written by ``crosscheck.py``) by what the two people are (siblings,
strangers of the same community, of others).

Each outcome is broken down by the corruption tags of the records (a sighting: its own tags and,
prefixed ``claim:``, those of its best-placed true claim; a pair: both claims' tags),
and the reasons the scorer gave for the true pairs it scored too low are counted, so that the
next step (estimating m and u by EM) knows which comparison levels fail true pairs.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np


def _engine(root: str | None) -> tuple:
    if root:
        sys.path.insert(0, root)
    from portal.matching import blocking, csvfiles, linker, records, scoring

    return blocking, csvfiles, linker, records, scoring


SIGHTING_STAGES = ["no shared key", "filtered", "over the limit", "vetoed", "below review", "outranked", "hit"]
PAIR_STAGES = ["no shared key", "large block", "filtered", "below match", "hit"]


@dataclass
class Tally:
    """Outcome counts under one label (a tag, a population...)."""

    stages: Counter = field(default_factory=Counter)
    at1: int = 0

    @property
    def n(self) -> int:
        return sum(self.stages.values())


def read_truth(path: str) -> dict[str, dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return {r["id"]: r for r in csv.DictReader(fh)}


def tags_of(rec: dict[str, str]) -> list[str]:
    return [t for t in rec["tags"].split(";") if t]


def reason_kinds(reasons: tuple[str, ...] | list[str]) -> list[str]:
    """Reason codes without their particulars: "age✗(seen 14-18, born 2001)" -> "age✗"."""
    out = []
    for r in reasons:
        cut = min([i for i in (r.find("("),) if i > 0] or [len(r)])
        out.append(r[:cut])
    return out


def no_key_cause(blocking, q, c) -> str:
    """Why a sighting and its true claim share no blocking key."""
    if not q.has_name:
        return "no name on the sighting"
    if not q.given_keys and q.surname_keys and not hasattr(blocking, "query_years"):
        return "surname only (no key is made of a surname alone)"
    if not (q.given_keys & c.given_keys) and not (q.surname_keys & c.surname_keys):
        return "names sound different (no phonetic key in common, nicknames included)"
    if q.birth_years and c.birth_years:
        if q.birth_years[0] > c.birth_years[1] or c.birth_years[0] > q.birth_years[1]:
            return "names sound alike, birth years apart (age estimate or birth-date error)"
        if not set(blocking.key_years(q)) & set(blocking.key_years(c)):
            return "names sound alike, years overlap but the wide range was cut to 8 keyed years"
    if not q.birth_years:
        return "names sound alike, no age on the sighting (every name key carries a year)"
    return "names sound alike, other"


def filter_cause(q, c) -> str:
    """Which part of the sex / age / time-order filter dropped the true claim."""
    if q.sex and c.sex and q.sex != c.sex:
        return "sex differs"
    if q.record.event_date and c.record.event_date and c.record.event_date > q.record.event_date:
        return "sighting dated before the claim"
    return "birth years too far apart"


def table(title: str, rows: dict[str, Tally], stages: list[str], min_n: int, with_at1: bool) -> list[str]:
    head = "| " + title + " | n | " + ("recall@10 | recall@1 | " if with_at1 else "recall | ") + " | ".join(stages[:-1])
    lines = [head + " |", "|" + "---|" * (len(stages) + (3 if with_at1 else 2))]
    for label, t in sorted(rows.items(), key=lambda kv: -kv[1].n):
        if t.n < min_n:
            continue
        hits = t.stages["hit"] + (t.stages["outranked@1"] if with_at1 else 0)
        cells = [label, str(t.n), f"{hits / t.n:.2f}"]
        if with_at1:
            cells.append(f"{t.at1 / t.n:.2f}")
        cells += [str(t.stages[s]) if t.stages[s] else "" for s in stages[:-1]]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def diagnose_sightings(work: str, eng, truth: dict[str, dict[str, str]], examples: int) -> tuple[list[str], list[str]]:
    blocking, csvfiles, linker, records, scoring = eng
    claims = csvfiles.read_records(os.path.join(work, "claims.csv"), records.CLAIM)
    raw = csvfiles.read_records(os.path.join(work, "sightings.csv"), records.CLAIM)
    sightings = csvfiles.as_kind(raw, records.SIGHTING)
    left, keys = linker.prepare_with_keys(claims)
    right = [records.prepare(r) for r in sightings]
    index = blocking.CandidateIndex(left, keys)
    tf = scoring.TermFrequencies.from_prepared([*left, *right])
    position = {p.id: i for i, p in enumerate(left)}
    key_sets = [set(k) for k in keys]
    # What `portal link` writes for a sighting by default (engines before SIGHTING_REVIEW: REVIEW).
    floor = getattr(scoring, "SIGHTING_REVIEW", scoring.REVIEW)
    true_claims: dict[str, list[str]] = defaultdict(list)
    with open(os.path.join(work, "truth_sightings.csv"), newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            true_claims[r["sighting_id"]].append(r["claim_id"])

    by_label: dict[str, Tally] = defaultdict(Tally)
    reasons_missed: Counter = Counter()
    reasons_hit: Counter = Counter()
    key_examples: list[str] = []
    rank_examples: list[str] = []
    totals = Tally()
    causes: dict[str, Counter] = defaultdict(Counter)
    cause_tags: dict[str, Counter] = defaultdict(Counter)
    for q in right:
        if q.id not in true_claims:
            continue
        qkeys = blocking.query_keys(q)
        found = index.candidates(q)
        found_set = set(found.tolist())
        scored = sorted(
            ((scoring.compare(left[i], q, tf, len(left)).score, i) for i in found.tolist()),
            key=lambda t: (-t[0], t[1]),
        )
        written = [(s, i) for s, i in scored if s >= floor and s > 0][:10]
        best_stage = 0
        why = ""
        for cid in true_claims[q.id]:
            i = position[cid]
            if not (qkeys & key_sets[i]):
                stage = "no shared key"
                why = no_key_cause(blocking, q, left[i])
            else:
                mask = blocking.plausible(index.columns, np.array([i]), blocking.Columns([q]), np.array([0]), True)
                if not mask[0] and not (len(q.document) >= 5 and q.document == left[i].document):
                    stage = "filtered"
                    why = filter_cause(q, left[i])
                elif i not in found_set:
                    stage = "over the limit"
                else:
                    result = scoring.compare(left[i], q, tf, len(left))
                    if result.log2_bayes_factor == float("-inf"):
                        stage = "vetoed"
                    elif result.score < floor or result.score == 0:
                        stage = "below review"
                    else:
                        rank = [j for _, j in written].index(i) + 1 if i in [j for _, j in written] else 99
                        stage = "hit" if rank <= 10 else "outranked"
                        if stage == "hit" and rank > 1:
                            stage = "outranked@1"
            order = SIGHTING_STAGES.index(stage) if stage in SIGHTING_STAGES else SIGHTING_STAGES.index("hit")
            if stage == "hit":
                order += 1  # a hit at rank 1 beats a hit further down
            if order >= best_stage:
                best_stage, best, best_claim = order, stage, i
                best_why = why if stage in ("no shared key", "filtered") else ""
        t = truth[q.id]
        labels = ["(all)", f"population:{t['population']}", *tags_of(t)]
        labels += ["claim:" + tag for tag in tags_of(truth[left[best_claim].id]) if tag != "doc_missing"]
        for label in labels:
            by_label[label].stages[best] += 1
            by_label[label].at1 += best == "hit"
        totals.stages[best] += 1
        totals.at1 += best == "hit"
        if best_why:
            causes[best][best_why] += 1
            cause_tags[best_why].update(labels[1:])
        result = scoring.compare(left[best_claim], q, tf, len(left))
        kinds = set(reason_kinds(result.reasons))
        if best in ("hit", "outranked@1"):
            reasons_hit.update(kinds)
        elif best in ("below review", "outranked"):
            reasons_missed.update(kinds)
        claim = left[best_claim].record
        name_q = (
            f"{q.record.given_names} {q.record.first_surname} {q.record.second_surname} [{';'.join(q.record.aliases)}]"
        )
        name_c = f"{claim.given_names} {claim.first_surname} {claim.second_surname} [{';'.join(claim.aliases)}]"
        if best == "no shared key" and len(key_examples) < examples and q.has_name:
            key_examples.append(f"- {q.id} `{name_q.strip()}` vs {claim.id} `{name_c.strip()}` ({t['tags']})")
        if best in ("outranked", "below review") and len(rank_examples) < examples:
            rank_examples.append(
                f"- {q.id} `{name_q.strip()}` vs {claim.id} `{name_c.strip()}`: score {result.score:.3f}, "
                f"{' '.join(result.reasons)} ({t['tags']})"
            )

    n = totals.n
    lines = [
        f"### Sightings: {n} with a true claim",
        "",
        "Outcome of the best-placed true claim (`outranked@1`: in the top 10 but not first; recall@10 counts it):",
        "",
        "| stage | sightings | share |",
        "|---|---|---|",
    ]
    for s in [*SIGHTING_STAGES[:-1], "outranked@1", "hit"]:
        lines.append(f"| {s} | {totals.stages[s]} | {totals.stages[s] / n:.3f} |")
    lines += [
        "",
        f"recall@10 {(totals.stages['hit'] + totals.stages['outranked@1']) / n:.3f}, recall@1 {totals.at1 / n:.3f}",
        "",
    ]
    for stage in ("no shared key", "filtered"):
        if causes[stage]:
            lines += [f"Why `{stage}`:", ""]
            for cause, count in causes[stage].most_common():
                common = ", ".join(f"{tag} {n}" for tag, n in cause_tags[cause].most_common(8))
                lines.append(f"- {cause}: {count} (most frequent tags: {common})")
            lines += [""]
    lines += table("tag", by_label, [*SIGHTING_STAGES[:-1], "outranked@1", "hit"], 5, True)
    lines += ["", "Reasons on the true pair, misses scored too low (below review or outranked) vs hits:", ""]
    lines += ["| reason | misses | share of misses | hits | share of hits |", "|---|---|---|---|---|"]
    n_miss = totals.stages["below review"] + totals.stages["outranked"]
    n_hit = totals.stages["hit"] + totals.stages["outranked@1"]
    for reason, count in sorted(reasons_missed.items(), key=lambda kv: -kv[1])[:25]:
        lines.append(
            f"| `{reason}` | {count} | {count / max(n_miss, 1):.2f} | {reasons_hit[reason]} "
            f"| {reasons_hit[reason] / max(n_hit, 1):.2f} |"
        )
    examples = ["Examples, no shared key:", "", *key_examples, "", "Examples, scored too low:", "", *rank_examples]
    return lines, examples


def diagnose_pairs(
    work: str, eng, truth: dict[str, dict[str, str]], examples: int, dedupe_out: str
) -> tuple[list[str], list[str]]:
    blocking, csvfiles, linker, records, scoring = eng
    claims = csvfiles.read_records(os.path.join(work, "claims.csv"), records.CLAIM)
    left, keys = linker.prepare_with_keys(claims)
    index = blocking.CandidateIndex(left, keys)
    tf = scoring.TermFrequencies.from_prepared(left)
    n = len(left)
    pairs = index.pairs()
    blocked = set((pairs[:, 0].astype(np.int64) * n + pairs[:, 1]).tolist())
    position = {p.id: i for i, p in enumerate(left)}
    key_sets = [set(k) for k in keys]
    by_label: dict[str, Tally] = defaultdict(Tally)
    reasons_missed: Counter = Counter()
    miss_examples: list[str] = []
    with open(os.path.join(work, "truth_pairs.csv"), newline="", encoding="utf-8") as fh:
        true_pairs = [(r["left_id"], r["right_id"]) for r in csv.DictReader(fh)]
    for a_id, b_id in true_pairs:
        i, j = sorted((position[a_id], position[b_id]))
        shared = {k for k in key_sets[i] & key_sets[j] if not k.startswith(blocking.QUERY_ONLY)}
        if i * n + j in blocked:
            result = scoring.compare(left[i], left[j], tf, n)
            stage = "hit" if result.score >= scoring.MATCH else "below match"
        elif not shared:
            stage = "no shared key"
        else:
            mask = blocking.plausible(index.columns, np.array([i]), index.columns, np.array([j]), False)
            stage = "filtered" if not mask[0] else "large block"
        ta, tb = truth[a_id], truth[b_id]
        labels = {"(all)", f"population:{ta['population']}", f"filers:{'+'.join(sorted((ta['filer'], tb['filer'])))}"}
        labels |= set(tags_of(ta)) | set(tags_of(tb))
        if left[i].record.country != left[j].record.country:
            labels.add("other country")
        for label in labels:
            by_label[label].stages[stage] += 1
        if stage == "below match":
            result = scoring.compare(left[i], left[j], tf, n)
            reasons_missed.update(set(reason_kinds(result.reasons)))
            if len(miss_examples) < examples:
                ra, rb = left[i].record, left[j].record
                miss_examples.append(
                    f"- {ra.id} `{ra.given_names} {ra.first_surname} {ra.second_surname} {ra.birth_date or ''}` vs "
                    f"{rb.id} `{rb.given_names} {rb.first_surname} {rb.second_surname} {rb.birth_date or ''}`: "
                    f"{result.score:.3f} {' '.join(result.reasons)}"
                )

    # false matches (from portal link's own output): what the two people were
    false_kinds: Counter = Counter()
    if dedupe_out and os.path.exists(dedupe_out):
        person = {cid: truth[cid]["person"] for cid in position}
        relative = {truth[cid]["person"]: truth[cid]["relative"] for cid in position}
        true_ids = {tuple(sorted(p)) for p in true_pairs}
        with open(dedupe_out, newline="", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                if r["decision"] != "match" or tuple(sorted((r["left_id"], r["right_id"]))) in true_ids:
                    continue
                pa, pb = person[r["left_id"]], person[r["right_id"]]
                ra, rb = relative.get(pa), relative.get(pb)
                if ra == pb or rb == pa or (ra and ra == rb):
                    false_kinds["siblings"] += 1
                elif truth[r["left_id"]]["population"] == truth[r["right_id"]]["population"]:
                    false_kinds["strangers, same community"] += 1
                else:
                    false_kinds["strangers, other communities"] += 1

    total = by_label["(all)"]
    lines = [f"### Duplicate claims: {total.n} true pairs", "", "| stage | pairs | share |", "|---|---|---|"]
    for s in PAIR_STAGES:
        lines.append(f"| {s} | {total.stages[s]} | {total.stages[s] / max(total.n, 1):.3f} |")
    n_false = sum(false_kinds.values())
    lines += ["", f"False matches in {dedupe_out} (different people): {n_false}", ""]
    lines += [f"- {k}: {v}" for k, v in false_kinds.most_common()]
    lines += [""]
    lines += table("tag (either claim)", by_label, PAIR_STAGES, 10, False)
    lines += ["", "Reasons on true pairs scored below 0.5:", ""]
    lines += ["| reason | pairs | share |", "|---|---|---|"]
    n_below = max(total.stages["below match"], 1)
    for reason, count in reasons_missed.most_common(25):
        lines.append(f"| `{reason}` | {count} | {count / n_below:.2f} |")
    return lines, ["Examples, below match:", "", *miss_examples]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work", help="folder of a generate_other.py set")
    parser.add_argument("--engine-root", default=None, help="import portal.matching from this folder")
    parser.add_argument("--examples", type=int, default=12)
    parser.add_argument("--report", default=None, help="markdown output (default WORK/diagnosis.md)")
    parser.add_argument("--only", choices=["sightings", "dedupe"], default=None)
    parser.add_argument(
        "--dedupe-out", default=None, help="portal link's dedupe OUT.csv (default WORK/out/dedupe_ours.csv)"
    )
    args = parser.parse_args(argv)
    eng = _engine(args.engine_root)
    truth = read_truth(os.path.join(args.work, "truth_records.csv"))
    started = time.perf_counter()
    lines = [f"## Diagnosis of {args.work}", ""]
    examples: list[str] = []
    if args.only != "dedupe":
        summary, named = diagnose_sightings(args.work, eng, truth, args.examples)
        lines += [*summary, ""]
        examples += [*named, ""]
    if args.only != "sightings":
        dedupe_out = args.dedupe_out or os.path.join(args.work, "out", "dedupe_ours.csv")
        summary, named = diagnose_pairs(args.work, eng, truth, args.examples, dedupe_out)
        lines += summary
        examples += named
    lines += ["", f"({time.perf_counter() - started:.0f} s)"]
    path = args.report or os.path.join(args.work, "diagnosis.md")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join([*lines, "", *examples]) + "\n")
    # The console gets counts only; the examples (names, even of generated people) stay in the report.
    print("\n".join(lines))
    print(f"\nexamples: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
