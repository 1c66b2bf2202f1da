"""Render an outbox message in its recipient's language, from ``templates/notify/<template>.txt``.

A message template is Jinja text with two blocks, ``subject`` and ``body``. It is rendered by
the worker, in a request context whose base URL is ``PORTAL_BASE_URL``, so that
``url_for(..., _external=True)`` writes links to the public site.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask_babel import force_locale

from portal.i18n import babel_locale

SUBJECT_MAX = 200


@dataclass(frozen=True)
class Rendered:
    """A message ready to send."""

    subject: str
    body: str


def render(app: Flask, template: str, context: dict[str, Any], locale: str) -> Rendered:
    """Render ``notify/<template>.txt`` in ``locale`` (inside ``app``'s request context)."""
    jinja = app.jinja_env.get_template(f"notify/{template}.txt")
    with force_locale(babel_locale(locale)):  # Aymara too, which Babel has no data for
        variables = jinja.new_context({**app.jinja_env.globals, **context, "recipient_locale": locale})
        subject = "".join(jinja.blocks["subject"](variables))
        body = "".join(jinja.blocks["body"](variables))
    # A subject is one line (a line break would start a header); the body ends with one newline.
    return Rendered(" ".join(subject.split())[:SUBJECT_MAX], body.strip() + "\n")
