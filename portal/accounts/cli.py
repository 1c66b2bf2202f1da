"""`portal users` and `portal tokens`: the same account services as the pages, audited the same way."""

from __future__ import annotations

import click

from portal.accounts import services
from portal.accounts.models import Role
from portal.audit.services import COMMAND_LINE
from portal.commands import error_text, fail, read_password, with_app
from portal.db import get_session
from portal.errors import PortalError


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


@click.group()
def tokens() -> None:
    """API tokens."""


@tokens.command("create")
@click.argument("email")
@click.option("--name", default="", help="A label to recognise the token by.")
@with_app
def create_token(email: str, name: str) -> None:
    """Print a new API token for that account, and nothing else."""
    session = get_session()
    user = services.get_user_by_email(session, email)
    if user is None or not user.active:
        fail("no active account with that email")
    token = services.create_token(session, user, name, ip=COMMAND_LINE)
    session.commit()
    click.echo(token)
