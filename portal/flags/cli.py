"""`portal risk`: trafficking indicators for the whole registry."""

from __future__ import annotations

import click

from portal.commands import with_app
from portal.db import get_session
from portal.flags.services import reassess_all


@click.group()
def risk() -> None:
    """Trafficking indicators."""


@risk.command("reassess")
@click.option(
    "--batch", default=500, show_default=True, type=click.IntRange(min=1), help="Claims assessed per transaction."
)
@with_app
def reassess(batch: int) -> None:
    """Assess every claim (after an upgrade, or a new version of the indicator list).

    A claim gets a new stored assessment only when its result changed; prints counts only.
    """
    session = get_session()
    assessed = changed = 0
    for done, new in reassess_all(session, batch=batch):
        session.commit()  # one transaction per batch: a long run holds no lock for long
        assessed, changed = assessed + done, changed + new
    click.echo(f"assessed {assessed} claims; {changed} with a new or changed result", err=True)
