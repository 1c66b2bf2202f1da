"""`portal users` and `portal tokens`: the same account services as the pages, audited the same way."""

from __future__ import annotations

from datetime import datetime

import click

from portal.accounts import services, staff
from portal.accounts.models import Role, User
from portal.audit.services import COMMAND_LINE
from portal.commands import error_text, fail, read_password, with_app
from portal.db import get_session, utcnow
from portal.errors import NotFound, PortalError


@click.group()
def users() -> None:
    """Accounts."""


@users.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--country", default=None, help="ISO code of the member country.")
@click.option("--agency", default="", help="Agency or district.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_app
def create_user(email: str, role: str, country: str | None, agency: str, password_stdin: bool) -> None:
    """Create an account; the password is read from standard input."""
    password = read_password(password_stdin)
    session = get_session()
    try:
        user = services.create_user(
            session, email=email, password=password, role=role, country_code=country, agency=agency, ip=COMMAND_LINE
        )
    except PortalError as error:
        fail(error_text(error))
    session.commit()
    click.echo(f"created {user.role} account #{user.id}", err=True)


def _account(email: str) -> User:
    """The account with that email, or exit with an error."""
    user = services.get_user_by_email(get_session(), email)
    if user is None:
        fail("no account with that email")
    return user


@users.command("deactivate")
@click.argument("email")
@with_app
def deactivate_user(email: str) -> None:
    """Deactivate an account: its sessions end and its API tokens are revoked at once."""
    session, user = get_session(), _account(email)
    staff.set_active(session, None, user, False, ip=COMMAND_LINE)
    session.commit()
    click.echo(f"account #{user.id} is deactivated", err=True)


@users.command("reactivate")
@click.argument("email")
@with_app
def reactivate_user(email: str) -> None:
    """Reactivate an account (its old API tokens stay revoked)."""
    session, user = get_session(), _account(email)
    staff.set_active(session, None, user, True, ip=COMMAND_LINE)
    session.commit()
    click.echo(f"account #{user.id} is active", err=True)


@click.group()
def tokens() -> None:
    """API tokens."""


@tokens.command("create")
@click.argument("email")
@click.option("--name", default="", help="A label to recognise the token by.")
@click.option(
    "--days",
    type=click.Choice([str(d) for d in services.TOKEN_DAYS]),
    default=str(services.DEFAULT_TOKEN_DAYS),
    show_default=True,
    help="How many days the token works.",
)
@with_app
def create_token(email: str, name: str, days: str) -> None:
    """Print a new API token for that account, and nothing else."""
    session = get_session()
    user = services.get_user_by_email(session, email)
    if user is None or not user.active:
        fail("no active account with that email")
    token = services.create_token(session, user, name, days=int(days), ip=COMMAND_LINE)
    session.commit()
    click.echo(token)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


@tokens.command("list")
@click.argument("email")
@with_app
def list_tokens(email: str) -> None:
    """List the account's tokens (id, name, created, expires, last used, state), never their secrets."""
    session, now = get_session(), utcnow()
    rows = services.all_tokens(session, _account(email), ip=COMMAND_LINE)
    session.commit()
    click.echo("id\tname\tcreated (UTC)\texpires (UTC)\tlast used (UTC)\tstate")
    for row in rows:
        when = "\t".join(_when(t) for t in (row.created_at, row.expires_at, row.last_used_at))
        click.echo(f"{row.id}\t{row.name or '-'}\t{when}\t{row.state(now)}")


@tokens.command("revoke")
@click.argument("token_id", metavar="TOKEN-ID", type=int)
@with_app
def revoke_token(token_id: int) -> None:
    """Revoke a token by its id (see `portal tokens list`): programs using it lose access at once."""
    session = get_session()
    try:
        row = services.revoke_token(session, None, token_id, ip=COMMAND_LINE)
    except NotFound:
        fail("no token with that id")
    session.commit()
    click.echo(f"token #{row.id} is revoked", err=True)
