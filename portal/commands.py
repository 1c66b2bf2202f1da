"""What every `portal` command shares: the application it runs in, errors on standard error, passwords.

Commands that touch the database run inside an application context given by the
``AppLoader`` on the click context (portal/cli.py puts one there; tests put one
holding the test application). A command that needs no database never loads it.
"""

from __future__ import annotations

import functools
import getpass
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NoReturn, ParamSpec, TypeVar

import click

if TYPE_CHECKING:
    from flask import Flask

    from portal.errors import PortalError

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class AppLoader:
    """Builds the application once, when the first command that needs it runs."""

    create: Callable[[], Flask]
    _app: Flask | None = field(default=None, init=False)

    def load(self) -> Flask:
        """The application, built on first use."""
        if self._app is None:
            self._app = self.create()
        return self._app


def with_app(command: Callable[P, R]) -> Callable[P, R]:
    """Run ``command`` inside the application context of the AppLoader on the click context."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        loader = click.get_current_context().find_object(AppLoader)
        if loader is None:
            raise click.UsageError("this command needs the portal application (run it as `portal ...`)")
        with loader.load().app_context():
            return command(*args, **kwargs)

    return run


def fail(message: str) -> NoReturn:
    """Print ``error: message`` on standard error and exit with status 1."""
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def error_text(error: PortalError) -> str:
    """A PortalError as one line: its message, then each field's messages."""
    parts = [str(error.message)]
    parts += [f"{name}: {'; '.join(str(m) for m in msgs)}" for name, msgs in error.fields.items()]
    return " — ".join(parts)


def read_password(from_stdin: bool) -> str:
    """A password from standard input (one line), or typed twice at a terminal."""
    if from_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat: ") != password:
            fail("the passwords differ")
    if not password:
        fail("no password given on standard input")
    return password
