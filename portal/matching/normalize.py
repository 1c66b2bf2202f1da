"""Text folding shared by search and matching: case, accents, punctuation, spacing."""
from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII with accents removed and punctuation turned into single spaces."""
    if not text:
        return ""
    # NFKC first so that full-width and compatibility forms fold like their plain letters.
    ascii_text = unidecode(unicodedata.normalize("NFKC", text)).lower()
    return _NON_ALNUM.sub(" ", ascii_text).strip()


def tokens(text: str) -> list[str]:
    """The folded words of ``text``."""
    return fold(text).split()
