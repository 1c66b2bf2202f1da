"""The translation catalogues as people review them: coverage per locale, and a spreadsheet round trip.

`portal translations report` prints each locale's coverage, overall and for the pages the public,
families, witnesses and trainees see (PUBLIC); `portal translations export LC FILE.csv` writes a
catalogue as a spreadsheet (one row per message: its English, its Spanish, its translation, where
it is used) for a native reviewer, and `portal translations import LC FILE.csv` reads the
reviewed column back. It needs Babel only, never the application.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import click
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
LOCALES = ("es", "pt", "fr", "ht", "qu", "ay", "gn")  # English is the source: its msgids
# Where the public, families, witnesses and trainees read the portal's words (issue 13, part 2).
PUBLIC = (
    "portal/templates/base.html",
    "portal/templates/main/",
    "portal/templates/error.html",
    "portal/templates/_forms.html",
    "portal/templates/cases/public.html",
    "portal/templates/cases/search.html",
    "portal/templates/cases/new.html",
    "portal/templates/cases/_",
    "portal/templates/cases/detail.html",
    "portal/templates/cases/mine.html",
    "portal/templates/sightings/new.html",
    "portal/templates/sightings/thanks.html",
    "portal/templates/sightings/witness.html",
    "portal/templates/accounts/",
    "portal/templates/notify/family/",
    "portal/templates/notify/witness/",
    "portal/templates/notify/subscriptions/",
    "portal/templates/notify/accounts/",
    "portal/templates/notify/_subscribe.html",
    "portal/templates/notify/subscri",
    "portal/templates/notify/unsubscribe.html",
    "portal/templates/training/sign_in.html",
    "portal/cases/inputs.py",
    "portal/cases/codes.py",
    "portal/sightings/inputs.py",
    "portal/sightings/codes.py",
    "portal/errors.py",
    "portal/idempotency/",  # a form sent again with other content says so to the family or witness
    "portal/login_sessions.py",  # families read why their session ended
)
COLUMNS = ("msgid", "plural", "es", "translation", "translation_plural", "where")


@dataclass(frozen=True)
class Coverage:
    """How much of a catalogue is translated."""

    locale: str
    done: int
    total: int
    public_done: int
    public_total: int

    @staticmethod
    def percent(done: int, total: int) -> str:
        """``done`` of ``total`` as a whole percentage."""
        return f"{100 * done // total if total else 100}%"


def po_path(locale: str) -> Path:
    """The catalogue file of ``locale``."""
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def load(locale: str) -> Catalog:
    """The catalogue of ``locale`` (Aymara too, which Babel has no locale data for)."""
    with po_path(locale).open("rb") as handle:
        catalog: Catalog = read_po(handle)
    return catalog


def is_translated(message: Message) -> bool:
    """True when every form of ``message`` has a translation."""
    forms = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return bool(forms) and all(forms)


def is_public(message: Message) -> bool:
    """True when ``message`` is shown on a page or e-mail of the public, families, witnesses or trainees."""
    return any(path.startswith(PUBLIC) for path, _line in message.locations)


def coverage(locale: str) -> Coverage:
    """The coverage of one catalogue."""
    messages = [m for m in load(locale) if m.id]
    public = [m for m in messages if is_public(m)]
    return Coverage(
        locale,
        sum(map(is_translated, messages)),
        len(messages),
        sum(map(is_translated, public)),
        len(public),
    )


def export_rows(locale: str) -> Iterable[dict[str, str]]:
    """One row per message of ``locale``, for a reviewer's spreadsheet."""
    spanish = {m.id: m.string for m in load("es") if m.id}
    for message in load(locale):
        if not message.id:
            continue
        singular, plural = (message.id, "") if isinstance(message.id, str) else (message.id[0], message.id[1])
        forms = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string, ""]
        es = spanish.get(message.id, "")
        yield {
            "msgid": singular,
            "plural": plural,
            "es": es if isinstance(es, str) else (es or [""])[0],
            "translation": forms[0] or "",
            "translation_plural": (forms[1] if len(forms) > 1 else "") or "",
            "where": " ".join(f"{path}:{line}" for path, line in message.locations),
        }


def import_rows(locale: str, rows: Iterable[dict[str, str]]) -> int:
    """Write the reviewed translations of ``rows`` into ``locale``'s catalogue; returns how many changed."""
    catalog = load(locale)
    changed = 0
    for row in rows:
        key: str | tuple[str, str] = (row["msgid"], row["plural"]) if row.get("plural") else row["msgid"]
        message = catalog.get(key)
        if message is None:
            continue
        if isinstance(message.string, (list, tuple)):
            forms = [row.get("translation", ""), row.get("translation_plural", "")]
            new: str | tuple[str, ...] = tuple(forms + [forms[-1]] * (len(message.string) - 2))
        else:
            new = row.get("translation", "")
        if new != message.string:
            message.string, changed = new, changed + 1
    with po_path(locale).open("wb") as handle:
        write_po(handle, catalog, width=0)
    return changed


@click.group()
def translations() -> None:
    """Translation catalogues: coverage, and a spreadsheet for native reviewers."""


@translations.command("report")
def report() -> None:
    """Each locale's coverage, overall and on the public and family pages."""
    click.echo(f"{'locale':<8}{'all':>14}{'':>6}{'public pages':>16}")
    for locale in LOCALES:
        if po_path(locale).exists():
            c = coverage(locale)
            click.echo(
                f"{locale:<8}{c.done:>6} / {c.total:<6}{Coverage.percent(c.done, c.total):>6}"
                f"{c.public_done:>8} / {c.public_total:<6}{Coverage.percent(c.public_done, c.public_total):>5}"
            )


@translations.command("export")
@click.argument("locale")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def export(locale: str, target: Path) -> None:
    """Write LOCALE's catalogue as a spreadsheet (CSV, UTF-8) for review."""
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(export_rows(locale))


@translations.command("import")
@click.argument("locale")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_(locale: str, source: Path) -> None:
    """Read a reviewed spreadsheet back into LOCALE's catalogue."""
    with source.open(newline="", encoding="utf-8") as handle:
        changed = import_rows(locale, csv.DictReader(handle))
    click.echo(f"{changed} translations changed in {po_path(locale)}", err=True)
