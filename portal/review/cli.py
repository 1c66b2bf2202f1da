"""`portal review`: the matching engine's weights, estimated from the registry and its decisions."""

from __future__ import annotations

import click

from portal.commands import fail, with_app
from portal.db import get_session


@click.group()
def review() -> None:
    """The review queue's matching."""


@review.command("fit-weights")
@click.argument("output", type=click.Path(dir_okay=False, writable=True))
@click.option(
    "--random-pairs",
    default=100_000,
    show_default=True,
    type=click.IntRange(min=100),
    help="Random pairs of claims counted for u.",
)
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the random pairs.")
@with_app
def fit_weights(output: str, random_pairs: int, seed: int) -> None:
    """Estimate the engine's weights on this registry's claims (EM), refine them with the pairs of
    claims officers confirmed or rejected, calibrate the scores on those decisions when there are
    enough, and write them to OUTPUT for `portal link --weights`.

    The portal keeps its hand-set weights (docs/decisions.md, 30). Prints counts only.
    """
    from portal.matching.weights import MIN_CONFIRMED, MIN_REJECTED, save
    from portal.review.weights import fit_from_registry

    try:
        found = fit_from_registry(get_session(), random_pairs=random_pairs, seed=seed)
    except ValueError as error:
        fail(str(error))
    try:
        save(found.weights, output)
    except OSError as error:
        fail(f"{output}: {error.strerror}")
    click.echo(
        f"fitted on {found.claims} claims and {found.weights['blocked_pairs']} blocked pairs; "
        f"refined with {found.confirmed} confirmed and {found.rejected} rejected pairs -> {output}",
        err=True,
    )
    if found.calibrated:
        click.echo("scores calibrated on those decisions", err=True)
    else:
        click.echo(
            f"too few decisions to calibrate the scores (needs {MIN_CONFIRMED} confirmed and {MIN_REJECTED} "
            "rejected pairs): they are read as with the hand-set weights, which makes them too low",
            err=True,
        )
