"""Every e-mail the portal writes renders in every offered language: a one-line subject, no
untranslated placeholder, no template syntax left."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import Config
from portal.notify.render import render

TEMPLATES = Path(__file__).resolve().parents[2] / "portal" / "templates" / "notify"
CANDIDATE = {"candidate_id": 7, "references": ["BO-2026-000001", "AV-ABCD-EFGH"], "kind": "sighting", "urgent": True}
# One context that every template can read: each takes what it needs.
CONTEXT = {
    "reference": "BO-2026-000001",
    "claim_id": 1,
    "sighting_id": 2,
    "given_names": "Guadalupe",
    "name": "Guadalupe Quispe",
    "publication": "withheld",
    "status": "located_alive",
    "text": "Una nota.",
    "country": "PE",
    "key": "KEY",
    "token": "TOKEN",
    "confirm_token": "TOKEN",
    "unsubscribe_token": "TOKEN",
    "days": 7,
    "valid_days": 7,
    "what": "note",
    "title": "Uso del portal",
    "starts_on": "2026-12-10",
    "email": "officer@example.org",
    "failures": 10,
    "address": "10.0.0.1",
    "coordinators_told": True,
    "granted": True,
    "items": [{"template": "police/candidate", **CANDIDATE}],
    **CANDIDATE,
}
NAMES = sorted(str(path.relative_to(TEMPLATES).with_suffix("")) for path in TEMPLATES.glob("*/*.txt"))


@pytest.mark.parametrize("locale", Config.LOCALES)
@pytest.mark.parametrize("template", NAMES)
def test_every_message_renders_in_every_language(app, template, locale):
    with app.test_request_context(base_url="https://portal.example.org"):
        message = render(app, template, CONTEXT, locale)
    assert message.subject and "\n" not in message.subject, (template, locale)
    assert "https://portal.example.org/" in message.body or template == "witness/acted", (template, locale)
    for leftover in ("{{", "{%", "%(", "}}"):
        assert leftover not in message.subject + message.body, (template, locale, leftover)


def test_the_languages_really_differ():
    assert len(NAMES) >= 20
