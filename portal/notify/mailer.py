"""Where messages go: an SMTP server named by ``PORTAL_SMTP_URL``, or files (PORTAL_MAIL_DIR) in development.

``smtp://user:password@host:port`` (``?starttls=1`` to upgrade), or ``smtps://`` for TLS from the
start. Errors are sorted into temporary (the worker tries again later) and permanent (the
recipient's server refused the address: trying again would not help).
"""

from __future__ import annotations

import smtplib
import sys
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol, TextIO
from urllib.parse import parse_qs, unquote, urlsplit

from portal.db import utcnow

TIMEOUT_SECONDS = 15


class PermanentFailure(Exception):
    """The server refused this message for good (a 5xx answer to the recipient or the data)."""


class Mailer(Protocol):
    """Sends one message or raises (OSError, smtplib.SMTPException, PermanentFailure)."""

    def send(self, message: EmailMessage) -> None: ...


class SmtpMailer:
    """One connection per message: a worker sends a few a minute, and a fresh connection survives
    the server's restarts without any bookkeeping."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
            raise ValueError("PORTAL_SMTP_URL must look like smtp://host:port or smtps://host:port")
        self.tls = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.tls else 25)
        self.user = unquote(parts.username or "")
        self.password = unquote(parts.password or "")
        self.starttls = parse_qs(parts.query).get("starttls", ["0"])[0] in {"1", "true", "yes"}

    def send(self, message: EmailMessage) -> None:
        """Deliver ``message`` to the server."""
        factory = smtplib.SMTP_SSL if self.tls else smtplib.SMTP
        with factory(self.host, self.port, timeout=TIMEOUT_SECONDS) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password)
            try:
                smtp.send_message(message)
            except smtplib.SMTPRecipientsRefused as error:
                codes = [code for code, _ in error.recipients.values()]
                if all(500 <= code < 600 for code in codes):
                    raise PermanentFailure(f"recipient refused ({codes[0]})") from None
                raise
            except smtplib.SMTPDataError as error:
                if 500 <= error.smtp_code < 600:
                    raise PermanentFailure(f"message refused ({error.smtp_code})") from None
                raise


class FolderMailer:
    """Development without a mail server: each message goes to a text file in ``folder``, decoded as a
    person reads it, and the console says only where (a message names people: it never goes to the
    console or a log)."""

    def __init__(self, folder: str | Path, stream: TextIO | None = None) -> None:
        self.folder = Path(folder)
        self.stream = stream or sys.stdout

    def send(self, message: EmailMessage) -> None:
        """Write ``message`` to a file of its own; print the file's path."""
        self.folder.mkdir(parents=True, exist_ok=True)
        head = "".join(f"{name}: {message[name]}\n" for name in ("To", "Subject", "Content-Language"))
        name = f"{utcnow():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.txt"
        (self.folder / name).write_text(f"{head}\n{message.get_content()}", encoding="utf-8")
        self.stream.write(f"mail written to {self.folder / name}\n")
        self.stream.flush()


def from_url(url: str | None, folder: str | Path) -> Mailer:
    """The SMTP mailer for ``url``, or files in ``folder`` when no URL is set."""
    return SmtpMailer(url) if url else FolderMailer(folder)
