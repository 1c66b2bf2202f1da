"""The ``portal`` command (spec/api-core.md): one group whose commands load only when they run.

Each feature keeps its commands in its own ``cli.py``; this module names them. A
command is imported only when it is invoked (or listed by ``--help``), so
``portal link``, which needs no database, never imports Flask or SQLAlchemy and
starts in a fraction of the application's start-up time (bench/cli_startup.py).
Errors go to standard error with a non-zero exit; each command commits once at the end.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

import click

from portal.commands import AppLoader, error_text, fail, with_app

if TYPE_CHECKING:
    from flask import Flask

# name -> "module:attribute" of a click command or group
COMMANDS = {
    "backup": "portal.backup.cli:backup",
    "db": "portal.cli:db",
    "demo": "portal.cli:demo",
    "link": "portal.matching.cli:link",
    "restore": "portal.backup.cli:restore",
    "retention": "portal.retention.cli:retention",
    "review": "portal.review.cli:review",
    "risk": "portal.flags.cli:risk",
    "tokens": "portal.accounts.cli:tokens",
    "translations": "portal.catalogues:translations",
    "users": "portal.accounts.cli:users",
    "worker": "portal.worker:worker",
}


class LazyGroup(click.Group):
    """A group that imports each command's module only when that command is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command


def _create_app() -> Flask:
    from portal.app import create_app

    return create_app()


@click.group(cls=LazyGroup)
@click.pass_context
def main(ctx: click.Context) -> None:
    """Missing Persons Network portal."""
    # Built only if a command asks for it (commands.with_app); tests pass their own loader.
    if ctx.find_object(AppLoader) is None:
        ctx.obj = AppLoader(_create_app)


@click.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@with_app
def db_upgrade() -> None:
    """Create or migrate the database named by PORTAL_DATABASE_URL."""
    from flask import current_app

    from portal.schema import upgrade_database
    from portal.training.spaces import upgrade_open_spaces

    upgrade_database(current_app.config["DATABASE_URL"])
    # The practice spaces of open training sessions are databases too, made by the same migrations.
    spaces = upgrade_open_spaces(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo(f"database is up to date ({spaces} practice spaces too)", err=True)


@click.group()
def demo() -> None:
    """Demonstration data."""


@demo.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing (exit 0) when the database has accounts.")
@with_app
def demo_load(if_empty: bool) -> None:
    """Fill an empty database with invented demo people and one account per role.

    Only on a demonstration site (development, or PORTAL_DEMO_MODE=1): the demo accounts share a
    password printed here and written in the source code.
    """
    from flask import current_app

    from portal.accounts.services import count_users
    from portal.db import get_session
    from portal.demo import load_demo
    from portal.errors import PortalError

    if not current_app.config["DEMO_MODE"]:
        fail(
            "Demo data makes accounts whose password is public; it is loaded only on a demonstration "
            "site (PORTAL_ENV=development, or PORTAL_DEMO_MODE=1)."
        )
    session = get_session()
    if if_empty and count_users(session) > 0:
        click.echo("The database already has data; demo data not loaded.", err=True)
        return
    try:
        accounts = load_demo(session)
    except PortalError as error:
        fail(error_text(error))
    session.commit()
    click.echo(f"Demo data loaded. Every person is invented. Demo accounts (password for all: {accounts['password']}):")
    for role, email in accounts["accounts"]:
        click.echo(f"  {role:<12} {email}")


if __name__ == "__main__":
    main()
