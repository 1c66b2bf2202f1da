"""Every offered language has a complete catalogue whose placeholders match the English text."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from config import Config

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")
OFFERED = [code for code in Config.LOCALES if code != "en"]  # English is the source language
COMPLETE = [code for code in OFFERED if code not in Config.PUBLIC_ONLY_LOCALES]
# Every catalogue in the tree, offered or still in review: a translated string keeps its placeholders.
CATALOGUES = sorted(path.parent.parent.name for path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))


def _catalogue(code: str):  # type: ignore[no-untyped-def]
    with open(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("code", COMPLETE)
def test_offered_catalogue_is_complete(code: str) -> None:
    catalogue = _catalogue(code)
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    ids = {m.id for m in catalogue if m.id}
    assert template <= ids, f"run `make extract-messages`: missing {sorted(template - ids)[:5]}"
    missing = [m.id for m in catalogue if m.id and not m.string]
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:3]}"
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert not fuzzy, f"fuzzy entries need review: {fuzzy[:3]}"


@pytest.mark.parametrize("code", CATALOGUES)
def test_placeholders_survive_translation(code: str) -> None:
    for message in _catalogue(code):
        if message.id and message.string:
            source = message.id if isinstance(message.id, str) else message.id[0]
            target = message.string if isinstance(message.string, str) else message.string[0]
            if not target:
                continue  # an untranslated plural: nothing to compare yet
            assert set(PLACEHOLDER.findall(source)) == set(PLACEHOLDER.findall(target)), source


def test_pages_speak_spanish_by_default(client) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "Help us find missing people" not in page  # the English msgid must be translated


@pytest.mark.parametrize("code", Config.PUBLIC_ONLY_LOCALES)
def test_a_public_only_catalogue_is_complete_for_every_public_page(code: str) -> None:
    from portal import catalogues

    missing = [
        m.id for m in catalogues.load(code) if m.id and catalogues.is_public(m) and not catalogues.is_translated(m)
    ]
    assert not missing, f"{len(missing)} public strings untranslated, e.g. {missing[:3]}"


def test_the_template_holds_every_string_of_the_source(tmp_path: Path) -> None:
    """A msgid added in the code but never extracted would reach no catalogue, and so every reader
    would get the English source (it happened: 14 strings of issue 14). Extract as the Makefile does."""
    root = TRANSLATIONS.parent
    extracted = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-F",
            str(TRANSLATIONS / "babel.cfg"),
            "-k",
            "_l",
            "-o",
            str(extracted),
            str(root / "portal"),
        ],
        check=True,
        cwd=root,
    )
    with open(extracted, "rb") as handle:
        source = {m.id for m in read_po(handle) if m.id}
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    missing = sorted(str(m) for m in source - template)
    assert not missing, f"run `make extract-messages` and translate: {len(missing)} new, e.g. {missing[:3]}"
