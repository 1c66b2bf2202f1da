"""The ``portal`` command (spec/api-core.md): database, users, tokens, demo data, risk reassessment.

Errors go to standard error with a non-zero exit; each command commits once at the end.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup

from portal.db import get_session
from portal.errors import PortalError


def _create_app() -> Flask:
    from portal.app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True, add_version_option=False)
def main() -> None:
    """Missing Persons Network portal."""


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _portal_error_text(error: PortalError) -> str:
    parts = [str(error.message)]
    parts += [f"{name}: {'; '.join(str(m) for m in msgs)}" for name, msgs in error.fields.items()]
    return " — ".join(parts)


def migrations_config(url: str):  # type: ignore[no-untyped-def]
    """The Alembic configuration of migrations/ for database ``url``."""
    from alembic.config import Config as AlembicConfig

    root = Path(__file__).resolve().parent.parent / "migrations"
    cfg = AlembicConfig(str(root / "alembic.ini"))
    cfg.set_main_option("script_location", str(root))
    cfg.attributes["database_url"] = url
    return cfg


def upgrade_database(url: str, revision: str = "head") -> None:
    """Create or migrate the database at ``url``."""
    from alembic import command

    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(migrations_config(url), revision)


def register_cli(app: Flask) -> None:
    """Attach the portal's command groups to ``app.cli``."""
    db_group = AppGroup("db", help="Database schema.")
    users_group = AppGroup("users", help="Accounts.")
    tokens_group = AppGroup("tokens", help="API tokens.")
    demo_group = AppGroup("demo", help="Demonstration data.")
    risk_group = AppGroup("risk", help="Trafficking indicators.")

    @db_group.command("upgrade")
    def db_upgrade() -> None:
        """Create or migrate the database named by PORTAL_DATABASE_URL."""
        upgrade_database(current_app.config["DATABASE_URL"])
        click.echo("database is up to date", err=True)

    @users_group.command("create")
    @click.argument("email")
    @click.option("--role", required=True, type=click.Choice(["family", "police", "coordinator", "trainer", "admin"]))
    @click.option("--country", default=None, help="ISO code of the member country.")
    @click.option("--agency", default="", help="Agency or district.")
    @click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
    def users_create(email: str, role: str, country: str | None, agency: str, password_stdin: bool) -> None:
        """Create an account; the password is read from standard input."""
        from portal.accounts.services import create_user

        password = _read_password(password_stdin)
        session = get_session()
        try:
            user = create_user(session, email=email, password=password, role=role, country_code=country, agency=agency)
        except PortalError as error:
            _fail(_portal_error_text(error))
        session.commit()
        click.echo(f"created {user.role} account #{user.id}", err=True)

    @tokens_group.command("create")
    @click.argument("email")
    @click.option("--name", default="", help="A label to recognise the token by.")
    def tokens_create(email: str, name: str) -> None:
        """Print a new API token for that account, and nothing else."""
        from portal.accounts.services import create_token, get_user_by_email

        session = get_session()
        user = get_user_by_email(session, email)
        if user is None or not user.active:
            _fail("no active account with that email")
        token = create_token(session, user, name)
        session.commit()
        click.echo(token)

    @demo_group.command("load")
    @click.option("--if-empty", is_flag=True, help="Do nothing (exit 0) when the database has accounts.")
    def demo_load(if_empty: bool) -> None:
        """Fill an empty database with invented demo people and one account per role."""
        from portal.accounts.services import count_users
        from portal.demo import load_demo

        session = get_session()
        if if_empty and count_users(session) > 0:
            click.echo("The database already has data; demo data not loaded.", err=True)
            return
        try:
            accounts = load_demo(session)
        except PortalError as error:
            _fail(_portal_error_text(error))
        session.commit()
        click.echo(
            f"Demo data loaded. Every person is invented. Demo accounts (password for all: {accounts['password']}):"
        )
        for role, email in accounts["accounts"]:
            click.echo(f"  {role:<12} {email}")

    @risk_group.command("reassess")
    @click.option(
        "--batch", default=500, show_default=True, type=click.IntRange(min=1), help="Claims assessed per transaction."
    )
    def risk_reassess(batch: int) -> None:
        """Assess every claim (after an upgrade, or a new version of the indicator list).

        A claim gets a new stored assessment only when its result changed; prints counts only.
        """
        from sqlalchemy import select

        from portal.cases.models import Claim
        from portal.flags.services import current, reassess

        session = get_session()
        ids = list(session.scalars(select(Claim.id).order_by(Claim.id)))
        changed = 0
        for start in range(0, len(ids), batch):
            for claim in session.scalars(select(Claim).where(Claim.id.in_(ids[start : start + batch]))):
                before = current(session, claim.id)
                after = reassess(session, claim, "manual", spread=False)
                changed += before is None or after.id != before.id
            session.commit()
        click.echo(f"assessed {len(ids)} claims; {changed} with a new or changed result", err=True)

    for group in (db_group, users_group, tokens_group, demo_group, risk_group):
        app.cli.add_command(group)


def _read_password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat: ") != password:
            _fail("the passwords differ")
    if not password:
        _fail("no password given on standard input")
    return password


@main.command("link", with_appcontext=False)
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
    help="Lowest score written (default: the engine's review threshold).",
)
@click.option(
    "--right-kind",
    default="auto",
    show_default=True,
    type=click.Choice(["auto", "sighting", "claim"]),
    help="What RIGHT holds; 'auto' takes a file of age ranges without birth dates or documents "
    "as sightings (a sighting cannot predate the disappearance).",
)
def link_command(left: str, right: str | None, output: str, top: int, min_score: float | None, right_kind: str) -> None:
    """Link person-record CSV files: candidates of LEFT for each record of RIGHT, or duplicates within LEFT."""
    from portal.matching.batch import run_link
    from portal.matching.csvfiles import RecordFileError
    from portal.matching.scoring import REVIEW

    try:
        run_link(
            left, right, output, top=top, min_score=REVIEW if min_score is None else min_score, right_kind=right_kind
        )
    except RecordFileError as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"{error.filename or output}: {error.strerror}")
