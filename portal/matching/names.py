"""Parsing and comparing personal names: particles, married suffixes, surname order, nicknames."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import JaroWinkler

from .nicknames import are_nickname_related, nickname_targets
from .normalize import fold, tokens
from .phonetic import phonetic_keys

PARTICLES = frozenset({"de", "del", "da", "do", "dos", "das", "y", "e"})
ARTICLES = frozenset({"la", "las", "los", "lo"})  # dropped after a particle ("de la", "de los")
STANDALONE_DROPPED = frozenset({"las"})

# "de X" surnames that are a person's own, not a husband's ("Ponce de León", "de Souza").
OWN_DE_SURNAMES = frozenset(
    "leon jesus dios oca armas souza sousa oliveira almeida andrade assis freitas lima paula moura "  # noqa: SIM905 (a word list reads best as text)
    "melo mello castro carvalho santana abreu araujo barros morais moraes matos mattos campos "
    "jesus santos silva costa rocha".split()
)
_WIDOW = re.compile(r"^(?P<own>.*?)\s*\b(?:vda|viuda|vd|v)\s+de\s+(?P<married>[a-z]+)$")
_DE_SUFFIX = re.compile(r"^(?P<own>.*?)\s*\bde\s+(?P<married>[a-z]+)$")

# Scores of one token pair by kind of agreement.
EXACT, PHONETIC, NICKNAME, INITIAL, MARRIED = 1.0, 0.9, 0.85, 0.6, 0.7
TYPO_MIN_JW = 0.85  # Jaro-Winkler similarity below which two tokens are taken as different


@dataclass(frozen=True)
class ParsedName:
    """A folded name with particles removed; ``married`` is a husband's surname, not the person's own."""

    given: tuple[str, ...]
    surnames: tuple[str, ...]
    married: str | None = None
    given_compound: str = ""  # folded given names with particles kept: "maria de los angeles"
    aliases: tuple[str, ...] = ()  # folded alias forms (whole strings, particles dropped)


@dataclass(frozen=True)
class NameComparison:
    """Similarity of given names and of surnames (0..1, None when one side is missing) with reasons."""

    given_score: float | None
    surname_score: float | None
    reasons: tuple[str, ...]
    # The aligned token pairs behind the scores, as (token a, token b, kind): scoring weighs an
    # exact agreement by how common the token is ("mamani" says less than "xicara").
    given_matches: tuple[tuple[str, str, str], ...] = ()
    surname_matches: tuple[tuple[str, str, str], ...] = ()


def drop_particles(words: list[str]) -> tuple[str, ...]:
    """Remove particles and the articles that follow them ("de los", "de la")."""
    kept: list[str] = []
    after_particle = False
    for word in words:
        if word in PARTICLES or word in STANDALONE_DROPPED:
            after_particle = True
            continue
        if after_particle and word in ARTICLES:
            continue
        after_particle = False
        kept.append(word)
    return tuple(kept)


def split_married(surname: str, *, own_field_empty_ok: bool = True) -> tuple[str, str | None]:
    """Split a folded surname field into (own part, married surname) for "vda. de X" / "de X"."""
    text = fold(surname)
    widow = _WIDOW.match(text)
    if widow:
        return widow.group("own"), widow.group("married")
    plain = _DE_SUFFIX.match(text)
    if (
        plain
        and plain.group("married") not in OWN_DE_SURNAMES
        and plain.group("married") not in ARTICLES
        and (plain.group("own") or own_field_empty_ok)
    ):
        return plain.group("own"), plain.group("married")
    return text, None


# A nickname written in the given-name box, in brackets or quotes: 'Guadalupe (Lupe)', 'María José "Majo"'.
_NICKNAME_IN_NAME = re.compile(r"\(([^()]*)\)|\"([^\"]*)\"|“([^“”]*)”|«([^«»]*)»")


def split_nicknames(given_names: str) -> tuple[str, tuple[str, ...]]:
    """The given names without the nicknames written in them in brackets or quotes, and those nicknames."""
    if not any(mark in given_names for mark in '("“«'):
        return given_names, ()
    nicknames = tuple(
        next(part for part in m.groups() if part is not None).strip() for m in _NICKNAME_IN_NAME.finditer(given_names)
    )
    return " ".join(_NICKNAME_IN_NAME.sub(" ", given_names).split()), tuple(n for n in nicknames if n)


def parse_name(given_names: str, first_surname: str, second_surname: str, aliases: Iterable[str] = ()) -> ParsedName:
    """Fold and parse a name into given tokens, own surnames, married surname and aliases (with the
    nicknames written in the given-name box in brackets or quotes)."""
    given_names, written_nicknames = split_nicknames(given_names or "")
    aliases = (*aliases, *written_nicknames)
    given, compound = _parse_given(given_names or "")
    surnames, married = _parse_surnames(first_surname or "", second_surname or "")
    # An alias of particles only ("de la", "y") leaves no word: it names nobody, and an empty form would
    # be a given name of no tokens (a division by zero in the alignment).
    forms = (" ".join(drop_particles(tokens(a))) for a in aliases if fold(a))
    alias_forms = tuple(dict.fromkeys(form for form in forms if form))
    return ParsedName(given, surnames, married, compound, alias_forms)


WordUses = Callable[[str], tuple[int, int]]  # a folded word: how many records use it as a given name, as a surname


def one_box_name(given_names: str, first_surname: str, second_surname: str) -> str:
    """The name of a record that fills one box only (given names, or surnames) with two words or more,
    else "": the name ``split_whole_name`` may read as a whole name."""
    surnames = f"{first_surname or ''} {second_surname or ''}".strip()
    text = (given_names or "") if not surnames else (surnames if not given_names else "")
    return text if len(split_nicknames(text)[0].split()) >= 2 else ""


def whole_name_words(text: str) -> set[str]:
    """The folded words ``split_whole_name`` asks ``uses`` about (the name's words, and all of them glued)."""
    text = split_nicknames(text)[0]
    return {*tokens(text), fold("".join(text.split()))}


def split_whole_name(text: str, uses: WordUses) -> tuple[str, str, str] | None:
    """A whole name written in one box ("Rosa Quispe Mamani" as given names, "Rosa Quispe" as surnames),
    as (given names, first surname, second surname); None when it may well be what its box says
    ("Juan Carlos", "Quispe Mamani"), a name split by a slip ("Sachi n", "Pai nter": glued, a known
    name), or nothing tells.

    ``uses`` says how the registry uses each word, so the names decide, not a list of ours. In the
    order written, the last one or two words (a particle goes with the word after it: "da Silva") are
    surnames when none of them is used more as a given name, the first word is not used more as a
    surname, and either the last is used more as a surname or the first as a given name. Written
    surnames first ("QUISPE MAMANI Rosa"): when the first word is used more as a surname and the last
    as a given name.
    """
    text, nicknames = split_nicknames(text)  # "Alejandro (Jano)": the nickname is no surname
    kept = "".join(f" ({nickname})" for nickname in nicknames)  # back with the given names
    units: list[str] = []
    pending: list[str] = []
    for word in text.split():
        pending.append(word)
        if fold(word) not in PARTICLES | ARTICLES:
            units.append(" ".join(pending))
            pending = []
    if pending:
        units.append(" ".join(pending))
    words = [(fold(unit).split() or [""])[-1] for unit in units]
    glued = uses(fold("".join(text.split())))
    if len(units) < 2 or any(len(word) < 2 for word in words) or glued != (0, 0):
        return None

    def role(word: str) -> int:
        given, surname = uses(word)
        return (surname > given) - (given > surname)

    roles = [role(word) for word in words]
    if roles[0] != 1 and (roles[-1] == 1 or roles[0] == -1):
        run = 0
        while run < min(2, len(units) - 1) and roles[-1 - run] != -1:
            run += 1
        if run:
            surnames = units[len(units) - run :]
            return " ".join(units[: len(units) - run]) + kept, surnames[0], surnames[1] if run == 2 else ""
    if roles[0] == 1 and roles[-1] == -1:
        run = 1 if len(units) == 2 or roles[1] != 1 else 2
        surnames = units[:run]
        return " ".join(units[run:]) + kept, surnames[0], surnames[1] if run == 2 else ""
    return None


# Each half of a name is parsed once per distinct spelling: full names rarely repeat in a registry, but
# its given names and its pairs of surnames do (20,000 claims hold about 2,000 of each).
@lru_cache(maxsize=1 << 17)
def _parse_given(given_names: str) -> tuple[tuple[str, ...], str]:
    """Given tokens without particles, and the compound with them ("maria de los angeles"; "" for one word)."""
    given_words = tokens(given_names)
    return drop_particles(given_words), (" ".join(given_words) if len(given_words) > 1 else "")


@lru_cache(maxsize=1 << 17)
def _parse_surnames(first_surname: str, second_surname: str) -> tuple[tuple[str, ...], str | None]:
    """Own surname tokens without particles, and the married surname if either field carries one."""
    first_own, first_married = split_married(first_surname, own_field_empty_ok=False)
    second_own, second_married = split_married(second_surname)
    return drop_particles(tokens(first_own)) + drop_particles(tokens(second_own)), second_married or first_married


@lru_cache(maxsize=1_000_000)
def compare_tokens(x: str, y: str, allow_nickname: bool = False) -> tuple[float, str]:
    """Score (0..1) and kind ("exact", "phonetic", "nickname", "initial", "typo", "") of two folded tokens."""
    if not x or not y:
        return 0.0, ""
    if x == y:
        return EXACT, "exact"
    if len(x) == 1 or len(y) == 1:
        return (INITIAL, "initial") if x[0] == y[0] else (0.0, "")
    if phonetic_keys(x) & phonetic_keys(y):
        return PHONETIC, "phonetic"
    if allow_nickname and (are_nickname_related(x, y) or _nickname_of_variant(x, y)):
        return NICKNAME, "nickname"
    jw = JaroWinkler.normalized_similarity(x, y)
    if jw >= TYPO_MIN_JW and min(len(x), len(y)) >= 3:
        return round(0.5 + (jw - TYPO_MIN_JW) / (1 - TYPO_MIN_JW) * 0.35, 4), "typo"
    return 0.0, ""


def _nickname_of_variant(x: str, y: str) -> bool:
    """A nickname of one name written as a spelling variant of the other ("Chepe" and "Jozé")."""
    for nick, other in ((x, y), (y, x)):
        keys = phonetic_keys(other)
        if any(phonetic_keys(target) & keys for target in nickname_targets(nick) if " " not in target):
            return True
    return False


def _reason(field: str, kind: str, x: str, y: str) -> str:
    """A short reason code such as "surname≈phonetic(quispe/kispe)" or "given=nickname(lupe)"."""
    if kind == "exact":
        return f"{field}=exact"
    if kind == "nickname":
        nick = min(x, y, key=len)
        return f"{field}=nickname({nick})"
    if kind == "initial":
        return f"{field}=initial"
    return f"{field}≈{kind}({x}/{y})"


def _best_alignment(
    short: tuple[str, ...], long: tuple[str, ...], field: str, allow_nickname: bool
) -> tuple[float, list[str], list[int], list[tuple[str, str, str]]]:
    """Greedy best one-to-one matching of ``short`` into ``long``: mean score, reasons, positions, pairs."""
    if len(short) == 1:  # the usual case ("maría" against "maría josé"): the best token, the first of equals
        x, best, at = short[0], (0.0, ""), -1
        for j, y in enumerate(long):
            found = compare_tokens(x, y, allow_nickname)
            if found[0] > best[0]:
                best, at = found, j
        if at < 0:
            return 0.0, [], [-1], []
        return best[0], [_reason(field, best[1], x, long[at])], [at], [(x, long[at], best[1])]
    pairs = sorted(
        ((compare_tokens(x, y, allow_nickname), i, j) for i, x in enumerate(short) for j, y in enumerate(long)),
        key=lambda p: -p[0][0],
    )
    used_i: set[int] = set()
    used_j: set[int] = set()
    total = 0.0
    reasons: list[str] = []
    positions = [-1] * len(short)
    matches: list[tuple[str, str, str]] = []
    for (score, kind), i, j in pairs:
        if score <= 0 or i in used_i or j in used_j:
            continue
        used_i.add(i)
        used_j.add(j)
        positions[i] = j
        total += score
        reasons.append(_reason(field, kind, short[i], long[j]))
        matches.append((short[i], long[j], kind))
    return total / len(short), reasons, positions, matches


def _given_forms(name: ParsedName) -> list[tuple[str, ...]]:
    """The given-name readings of a record: its tokens, then each alias as tokens."""
    forms = [name.given] if name.given else []
    forms += [tuple(alias.split()) for alias in name.aliases]
    return forms


def _whole_nickname(a: ParsedName, b: ParsedName) -> tuple[str, str] | None:
    """(nickname, full name) when a whole given name of one side is a nickname of the other's (Majo = María José)."""
    if not (_several_words(a) or _several_words(b)):  # only a name of several words has such a nickname
        return None
    wholes_a = {" ".join(f) for f in _given_forms(a)} | ({a.given_compound} if a.given_compound else set())
    wholes_b = {" ".join(f) for f in _given_forms(b)} | ({b.given_compound} if b.given_compound else set())
    for x in wholes_a:
        for y in wholes_b:
            if (" " in x or " " in y) and are_nickname_related(x, y):
                return (x, y) if len(x) <= len(y) else (y, x)
    return None


def _several_words(name: ParsedName) -> bool:
    """Whether any given-name reading of ``name`` has more than one word."""
    return len(name.given) > 1 or bool(name.given_compound) or any(" " in alias for alias in name.aliases)


Matches = list[tuple[str, str, str]]


def _compare_given(a: ParsedName, b: ParsedName) -> tuple[float | None, list[str], Matches]:
    """Best given-name score over the records' given names and aliases."""
    forms_a, forms_b = _given_forms(a), _given_forms(b)
    if not forms_a or not forms_b:
        return None, ["given=missing"], []
    best: tuple[float, list[str], Matches] = (0.0, [], [])
    for fa in forms_a:
        for fb in forms_b:
            short, long = (fa, fb) if len(fa) <= len(fb) else (fb, fa)
            score, reasons, _, matches = _best_alignment(short, long, "given", allow_nickname=True)
            if score > best[0]:
                best = (score, reasons, matches)
    nick = _whole_nickname(a, b)
    if nick and best[0] < NICKNAME:
        best = (NICKNAME, [f"given=nickname({nick[0]})"], [(nick[0], nick[1], "nickname")])
    if best[0] < 1.0:
        joined = _joined(a.given, b.given, "given")
        if joined and joined[0] > best[0]:
            best = joined
    if best[0] == 0.0:
        return 0.0, ["given≠"], []
    reasons = sorted(set(best[1]))
    if len(a.given) != len(b.given) and a.given and b.given and not nick:
        reasons.append("given_partial")
    return best[0], reasons, best[2]


def _compare_surnames(a: ParsedName, b: ParsedName) -> tuple[float | None, list[str], Matches]:
    """Surname score comparing sets (either order, one missing, Portuguese order) plus married names."""
    reasons: list[str] = []
    if a.married and a.married == b.married:
        reasons.append("married=exact")
    if not a.surnames or not b.surnames:
        return None, [*reasons, "surname=missing"], []
    short, long = (a.surnames, b.surnames) if len(a.surnames) <= len(b.surnames) else (b.surnames, a.surnames)
    score, found, positions, matches = _best_alignment(short, long, "surname", allow_nickname=False)
    reasons += found
    matched = [p for p in positions if p >= 0]
    if len(matched) >= 2 and matched != sorted(matched):
        reasons.append("surnames_swapped")
    elif len(matched) == 1 and len(short) == 1 and len(long) > 1:
        # Matching the other's second (last) surname: Portuguese order or a dropped first surname.
        reasons.append("surname_one_missing" if positions[0] == 0 else "surname_order_differs")
    # A husband's surname on one side may be the only surname filed on the other.
    if score < 1.0:
        for own, other in ((a, b), (b, a)):
            if own.married and own.married in other.surnames:
                score = max(score, MARRIED)
                reasons.append(f"surname=married({own.married})")
    if score < 1.0:
        joined = _joined(a.surnames, b.surnames, "surname")
        if joined and joined[0] > score:
            score, found, matches = joined
            reasons = [r for r in reasons if not r.startswith("surname≈")] + found
    if score == 0.0:
        reasons.append("surname≠")
    return score, reasons, matches


JOINED_TYPO_LETTERS = 2  # a typo between a name split and glued changes its length by this much at most


def _joined(x: tuple[str, ...], y: tuple[str, ...], field: str) -> tuple[float, list[str], Matches] | None:
    """A name split or glued differently ("Thred Gold" / "Thredgold", "Mari Cruz" / "Maricruz")."""
    if len(x) == len(y) or not x or not y:  # only a split or glued name has a different word count
        return None
    jx, jy = "".join(x), "".join(y)
    score, kind = compare_tokens(jx, jy)
    # A slip in a glued name is a letter or two, not a different length: "Rosa María" is not a typo of
    # "Rosa Quispe Mamani" because both start with "rosa" (Jaro-Winkler's bonus for a shared start).
    if score <= 0 or (kind == "typo" and abs(len(jx) - len(jy)) > JOINED_TYPO_LETTERS):
        return None
    return score, [f"{field}≈joined({' '.join(x)}/{' '.join(y)})"], [(jx, jy, "joined")]


# The same given names (and surnames) meet again and again across pairs ("maria" and "maria"):
# their comparison is cached on just the parts it reads.
def given_part(name: ParsedName) -> ParsedName:
    """The parts of a name that the given-name comparison reads (its cache key)."""
    return ParsedName(name.given, (), None, name.given_compound, name.aliases)


def _surname_part(name: ParsedName) -> ParsedName:
    return ParsedName((), name.surnames, name.married)


@lru_cache(maxsize=1_000_000)
def compare_given_parts(a: ParsedName, b: ParsedName) -> tuple[float | None, list[str], Matches]:
    """Given-name score, reasons and aligned token pairs of two ``given_part``s (cached)."""
    return _compare_given(a, b)


@lru_cache(maxsize=1_000_000)
def _compare_surnames_cached(a: ParsedName, b: ParsedName) -> tuple[float | None, list[str], Matches]:
    return _compare_surnames(a, b)


def name_similarity(a: ParsedName, b: ParsedName) -> NameComparison:
    """Compare two parsed names: given-name and surname scores with readable reason codes.

    When the names agree poorly, the reading with one record's given names and surnames exchanged is
    tried too (forms filled in the wrong boxes: "QUISPE MAMANI" as given names, "Guadalupe" as surname).
    """
    given_score, given_reasons, given_matches = compare_given_parts(given_part(a), given_part(b))
    surname_score, surname_reasons, surname_matches = _compare_surnames_cached(_surname_part(a), _surname_part(b))
    if a.given and a.surnames and b.given and b.surnames and not given_score and (surname_score or 0) < 1.0:
        flipped = ParsedName(a.surnames, a.given, a.married, "", a.aliases)
        alt_given = compare_given_parts(given_part(flipped), given_part(b))
        alt_surname = _compare_surnames_cached(_surname_part(flipped), _surname_part(b))
        if (alt_given[0] or 0) + (alt_surname[0] or 0) >= 1.5:
            given_score, given_reasons, given_matches = alt_given
            surname_score, surname_reasons, surname_matches = alt_surname
            given_reasons = ["given↔surname", *given_reasons]
    return NameComparison(
        given_score,
        surname_score,
        tuple(dict.fromkeys(given_reasons + surname_reasons)),
        tuple(given_matches),
        tuple(surname_matches),
    )
