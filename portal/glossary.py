"""The network's glossary: trafficking and missing-persons terms, defined plainly in every language.

Pure (no Flask): portal/glossary.yaml is read, checked and sorted once, on first use. A file that
lacks a language for a term, or cites a source it does not name, is refused with every fault listed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

# The portal's locales (portal.i18n.ENDONYMS, which this module may not import: it imports Flask).
LANGUAGES = ("es", "en", "pt", "fr", "ht", "qu", "ay", "gn")
DEFAULT_LANGUAGE = "es"
# A source title missing in the reader's language is read in the one they are likeliest to read:
# French for Haitian Creole, Spanish for Quechua, Aymara and Guaraní; English (always present) last.
TITLE_FALLBACKS = {"ht": "fr", "qu": "es", "ay": "es", "gn": "es"}
PATH = Path(__file__).with_name("glossary.yaml")
_ID = re.compile(r"^[a-z][a-z0-9-]*$")  # an HTML anchor on the page


class GlossaryError(ValueError):
    """The glossary file is malformed (a missing language, an unknown source, a duplicate term)."""


@dataclass(frozen=True)
class Source:
    """A readable citation and the language it is written in (for the page's ``lang``)."""

    title: str
    lang: str


@dataclass(frozen=True)
class Term:
    """One glossary entry in one language."""

    id: str
    term: str
    definition: str
    sources: tuple[Source, ...]


def language_of(locale: str | None) -> str:
    """The glossary language for a locale code (``pt_BR`` reads ``pt``); Spanish for one it does not know."""
    code = re.split(r"[_-]", (locale or "").strip().lower(), maxsplit=1)[0]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def terms(locale: str | None) -> list[Term]:
    """The glossary in ``locale``'s language (Spanish when unknown), in that language's alphabetical order."""
    return list(_glossary()[language_of(locale)])


def load(path: Path = PATH) -> dict[str, tuple[Term, ...]]:
    """Read, check and sort a glossary file: language -> its terms in alphabetical order."""
    with path.open(encoding="utf-8") as handle:
        return parse(yaml.safe_load(handle), str(path.name))


def parse(data: Any, name: str = "glossary") -> dict[str, tuple[Term, ...]]:
    """Check a loaded glossary document and build its terms; raises GlossaryError listing every fault."""
    faults: list[str] = []
    shaped = isinstance(data, dict) and isinstance(data.get("sources"), dict) and isinstance(data.get("terms"), list)
    if not shaped:
        raise GlossaryError(f"{name}: expected a mapping with 'sources' (a mapping) and 'terms' (a list)")
    titles = {code: _titles(code, value, faults) for code, value in data["sources"].items()}
    entries = [_entry(index, raw, set(titles), faults) for index, raw in enumerate(data["terms"])]
    seen: set[str] = set()
    for entry in entries:
        if entry["id"] in seen:
            faults.append(f"term {entry['id']!r}: the id is used twice")
        seen.add(entry["id"])
    if not entries:
        faults.append("no terms")
    if faults:
        raise GlossaryError(f"{name} is not valid:\n- " + "\n- ".join(faults))
    return {
        language: tuple(
            sorted(
                (_term(entry, language, titles) for entry in entries),
                key=lambda term: (sort_key(term.term), term.term),
            )
        )
        for language in LANGUAGES
    }


def sort_key(text: str) -> str:
    """Dictionary order, near enough for every language here: accents, case and apostrophes
    (Quechua and Aymara ejectives, the Guaraní puso) ignored, ñ after n."""
    folded = unicodedata.normalize("NFC", text.casefold()).replace("ñ", "n~")
    stripped = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    return "".join(c for c in stripped if c.isalnum() or c in " ~")


def _titles(code: Any, value: Any, faults: list[str]) -> dict[str, str]:
    """A source's titles by language, or none when malformed (its terms then fail as unknown)."""
    if not isinstance(code, str) or not isinstance(value, dict) or not _texts(value):
        faults.append(f"source {code!r}: expected a mapping of language -> title")
        return {}
    if "en" not in value:
        faults.append(f"source {code!r}: no English ('en') title")
    for language in sorted(set(value) - set(LANGUAGES), key=str):
        faults.append(f"source {code!r}: unknown language {language!r}")
    return {str(language): str(title).strip() for language, title in value.items()}


def _entry(index: int, raw: Any, known: set[str], faults: list[str]) -> dict[str, Any]:
    """One term's record as written, checked: id, sources, and a term and a definition in each language."""
    if not isinstance(raw, dict):
        faults.append(f"term no. {index + 1}: expected a mapping")
        return {"id": f"#{index + 1}", "sources": []}
    term_id = raw.get("id")
    if not isinstance(term_id, str) or not _ID.match(term_id):
        faults.append(f"term no. {index + 1}: its id {term_id!r} must be lower case letters, digits and hyphens")
        term_id = f"#{index + 1}"
    sources = raw.get("sources")
    if not isinstance(sources, list) or not sources:
        faults.append(f"term {term_id!r}: cites no source")
        sources = []
    unknown = [code for code in sources if not isinstance(code, str) or code not in known]
    faults.extend(f"term {term_id!r}: unknown source {code!r}" for code in unknown)
    for language in LANGUAGES:
        text = raw.get(language)
        if not isinstance(text, dict) or not _texts(text) or set(text) != {"term", "definition"}:
            faults.append(f"term {term_id!r}: no {language!r} text (expected a term and a definition)")
    extra = set(raw) - {"id", "sources", *LANGUAGES}
    faults.extend(f"term {term_id!r}: unknown key {key!r}" for key in sorted(extra, key=str))
    return {**raw, "id": term_id, "sources": sources}


def _texts(mapping: dict[Any, Any]) -> bool:
    """True when every value is a non-blank string."""
    return bool(mapping) and all(isinstance(value, str) and value.strip() for value in mapping.values())


def _term(entry: dict[str, Any], language: str, titles: dict[str, dict[str, str]]) -> Term:
    text = entry[language]
    return Term(
        id=entry["id"],
        term=text["term"].strip(),
        definition=" ".join(text["definition"].split()),
        sources=tuple(_source(titles[code], language) for code in entry["sources"]),
    )


def _source(titles: dict[str, str], language: str) -> Source:
    for candidate in (language, TITLE_FALLBACKS.get(language), "en"):
        if candidate and candidate in titles:
            return Source(titles[candidate], candidate)
    raise GlossaryError("a source without an English title")  # parse() has refused such a file already


@lru_cache(maxsize=1)
def _glossary() -> dict[str, tuple[Term, ...]]:
    return load(PATH)
