"""Phonetic keys for Spanish, Portuguese and Quechua/Aymara spellings of names.

Written for this project (not derived from any GPL implementation). A word is
folded to ASCII and read left to right; each letter or digraph becomes one or
more sound symbols. Where the pronunciation is ambiguous (``x``, ``w``, an
initial ``y``/``ll``/``j`` before a vowel) several symbols are emitted and the
word gets several keys; two words sound alike when their key sets intersect.

Output symbols: vowels ``a e i o u``; ``b`` (b, v); ``w`` (w, hu+vowel, gu+a/o);
``k`` (k, qu, hard c); ``s`` (s, z, soft c); ``j`` (j, soft g); ``g`` (hard g);
``y`` (consonant y, ll); ``c`` (ch); ``x`` (sh); ``f`` (f, ph); ``t`` (t, th);
other consonants as written. Doubled symbols are collapsed.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import product

from .normalize import fold

VOWELS = frozenset("aeiou")
MAX_KEYS = 16

# Letters read as themselves after the special cases below.
_PLAIN = {
    "b": "b",
    "v": "b",
    "f": "f",
    "t": "t",
    "d": "d",
    "p": "p",
    "m": "m",
    "n": "n",
    "l": "l",
    "r": "r",
    "s": "s",
    "z": "s",
    "k": "k",
}


def _is_vowel(ch: str) -> bool:
    return ch in VOWELS


def _symbols(word: str) -> list[tuple[str, ...]]:
    """The sound symbols of a folded word, one tuple of alternatives per position."""
    out: list[tuple[str, ...]] = []
    n = len(word)
    i = 0
    while i < n:
        ch = word[i]
        nxt = word[i + 1] if i + 1 < n else ""
        after = word[i + 2] if i + 2 < n else ""
        initial = i == 0
        if ch in VOWELS:
            out.append((ch,))
            i += 1
        elif ch == "h":
            if nxt == "u" and _is_vowel(after):  # Huanca, Huaman, Mahuire
                out.append(("w",))
                i += 2
            else:  # silent h: Hernandez -> ernandes
                i += 1
        elif ch == "c":
            if nxt == "h":
                out.append(("c",))
                i += 2
            elif nxt in ("e", "i"):
                out.append(("s",))
                i += 1
            else:
                out.append(("k",))
                i += 1
        elif ch == "q":
            out.append(("k",))
            i += 2 if nxt == "u" else 1
        elif ch == "g":
            if nxt in ("e", "i"):
                out.append(("j",))
                i += 1
            elif nxt == "u" and after in ("a", "o"):  # Guaman, Guanca
                out.append(("w",))
                i += 2
            elif nxt == "u" and after in ("e", "i"):  # Guevara, Guillermo: hard g, silent u
                out.append(("g",))
                i += 2
            else:
                out.append(("g",))
                i += 1
        elif ch == "j":
            out.append(("j", "y") if initial and _is_vowel(nxt) else ("j",))
            i += 1
        elif ch == "l" and nxt == "l":
            if not _is_vowel(after):  # Villca/Vilca: ll before a consonant or at the end is an l
                out.append(("l",))
            else:
                out.append(("y", "j") if initial else ("y",))
            i += 2
        elif ch == "y":
            if _is_vowel(nxt) and (initial or (out and out[-1][0] in VOWELS)):
                out.append(("y", "j") if initial else ("y",))
            else:  # vowel y, before a consonant or at the end: Reynaldo, Rey
                out.append(("i",))
            i += 1
        elif ch == "x":
            out.append(("j", "ks", "s", "x"))
            i += 1
        elif ch == "w":
            out.append(("w", "b"))
            i += 1
        elif ch == "s" and nxt == "h":
            out.append(("x",))
            i += 2
        elif ch == "p" and nxt == "h":
            out.append(("f",))
            i += 2
        elif ch == "t" and nxt == "h":
            out.append(("t",))
            i += 2
        else:
            out.append((_PLAIN.get(ch, ch),))
            i += 1
    return out


def collapse(key: str) -> str:
    """Collapse runs of the same symbol (ss -> s, kk -> k)."""
    chars: list[str] = []
    for ch in key:
        if not chars or chars[-1] != ch:
            chars.append(ch)
    return "".join(chars)


@lru_cache(maxsize=200_000)
def phonetic_keys(word: str) -> frozenset[str]:
    """All phonetic keys of one name word; two words sound alike when their key sets intersect."""
    folded = fold(word).replace(" ", "")
    folded = "".join(ch for ch in folded if ch.isalpha())
    if not folded:
        return frozenset()
    symbols = _symbols(folded)
    keys: set[str] = set()
    for combo in product(*symbols):
        keys.add(collapse("".join(combo)))
        if len(keys) >= MAX_KEYS:
            break
    return frozenset(keys)


def sounds_alike(a: str, b: str) -> bool:
    """True when the two words share a phonetic key."""
    return bool(phonetic_keys(a) & phonetic_keys(b))
