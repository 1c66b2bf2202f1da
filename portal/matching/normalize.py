"""Text folding shared by search and matching: case, accents, punctuation, spacing."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


@lru_cache(maxsize=1 << 16)  # names repeat (a registry holds thousands of Marías): folded once each
def fold(text: str) -> str:
    """Lower-case ASCII with accents removed and punctuation turned into single spaces."""
    if not text:
        return ""
    if text.isascii():
        ascii_text = text.lower()
    else:
        # Accents off by decomposition (fast, and what most Latin American text needs); unidecode
        # only for what remains outside ASCII (full-width forms, other scripts, ß, ø...).
        stripped = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
        ascii_text = (stripped if stripped.isascii() else unidecode(unicodedata.normalize("NFKC", stripped))).lower()
    return _NON_ALNUM.sub(" ", ascii_text).strip()


def tokens(text: str) -> list[str]:
    """The folded words of ``text``."""
    return fold(text).split()
