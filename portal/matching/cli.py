"""`portal link`: batch linkage of person-record CSV files (spec/person-records.md), no database needed.

It imports only click and the engine, so it starts fast (bench/cli_startup.py).
"""

from __future__ import annotations

import atexit
import gc
import sys
from typing import NoReturn

import click


def fail(message: str) -> NoReturn:
    """Print ``error: message`` on standard error and exit with status 1."""
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


@click.command("link")
@click.argument("left", type=click.Path(dir_okay=False))
@click.argument("right", required=False, type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(dir_okay=False),
    help="Where to write the candidates (CSV).",
)
@click.option(
    "--top",
    default=10,
    show_default=True,
    type=click.IntRange(min=1),
    help="At most this many candidates per record of RIGHT (of LEFT when deduplicating).",
)
@click.option(
    "--min-score",
    default=None,
    type=click.FloatRange(0, 1),
    help="Lowest score written (default: the engine's review threshold, "
    "0.02 for pairs of claims and 0.005 for a sighting's candidates).",
)
@click.option(
    "--right-kind",
    default="auto",
    show_default=True,
    type=click.Choice(["auto", "sighting", "claim"]),
    help="What RIGHT holds; 'auto' takes a file whose records give no birth dates or documents "
    "(9 in 10 at least, or most with an age range) as sightings, and says which it took "
    "(a sighting cannot predate the disappearance).",
)
@click.option(
    "--weights",
    default=None,
    type=click.Path(dir_okay=False),
    help="Off by default. A JSON file of level weights estimated from pairs of claims "
    "(portal.matching.estimate, bench/estimate.py) to score pairs of claims with instead of the "
    "hand-set weights, for this run only; levels seen too rarely when fitting, and sightings, keep "
    "the hand-set weights.",
)
def link(
    left: str,
    right: str | None,
    output: str,
    top: int,
    min_score: float | None,
    right_kind: str,
    weights: str | None,
) -> None:
    """Link person-record CSV files: candidates of LEFT for each record of RIGHT, or duplicates within LEFT."""
    from concurrent.futures.process import BrokenProcessPool

    from portal.matching.batch import run_link
    from portal.matching.csvfiles import RecordFileError

    # At exit the cyclic collector would walk the run's millions of objects once more before the
    # interpreter frees them (0.14 s of a 3 s run at 20,000 claims); frozen, they are left to the
    # operating system. Harmless where the command runs in a longer process (tests): it is at exit.
    atexit.register(gc.freeze)
    try:
        run_link(
            left,
            right,
            output,
            top=top,
            min_score=min_score,
            right_kind=right_kind,
            weights=weights,
        )
    except (RecordFileError, ValueError) as error:
        fail(str(error))
    except OSError as error:
        fail(f"{error.filename or output}: {error.strerror}")
    except BrokenProcessPool:
        fail(
            "a worker process was stopped before it finished (most often: the system ran out of memory); "
            "run it on a machine with more memory, or split the file"
        )
