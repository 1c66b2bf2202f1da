"""Regular expressions of the API document, for what JSON Schema's keywords cannot say alone.

A date "not in the future" or a phone number "of 6 to 15 digits" is a pattern here, so that the
document states the rule the parsers apply and schemathesis can generate values on both sides of
it. Every pattern keeps to what Python's ``re``, ECMA-262 and Rust's regex engines read alike
(classes, groups, counted repeats; no look-around, no ``\\d``, which is Unicode-wide in Python).
"""

from __future__ import annotations

from datetime import date

from portal.fields import EARLIEST_YEAR

# A character that stays once control characters are removed and spaces trimmed (portal.fields):
# an unanchored pattern, so "contains one" means "not blank". The C1 controls are named because
# ECMA-262's \\s leaves out U+0085, which Python's strip() removes (schemathesis found a name of NEL).
NOT_BLANK = "[^\\s\\x00-\\x1f\\x7f-\\x9f]"
MONTHS = "(?:0[1-9]|1[0-2])"
DAYS = "(?:0[1-9]|[12][0-9]|3[01])"

# A claim's public reference, as cases.services.REFERENCE reads it (letters in either case).
REFERENCE = "^(?:[A-Za-z]{2}-[0-9]{4}-[0-9]{6,9})?$"
# Recruiter identifiers (portal.risk.facts.normalise_identifier), as typed: a phone of 6 to 15 digits
# ("+" or the "00" prefix before a country code, which is not counted; a national "0" is); a handle of
# letters, digits, "." "_" "-"; a plate of 2 to 12 letters and digits.
_SEP = "[ .()-]?"
PHONE = f"^(?:\\+?[1-9](?:{_SEP}[0-9]){{5,14}}|0{_SEP}[1-9](?:{_SEP}[0-9]){{4,13}}|0{_SEP}0(?:{_SEP}[0-9]){{6,15}})$"
HANDLE = "^@?[A-Za-z0-9._-]{1,100}$"
PLATE = "^[A-Za-z0-9](?:[ .-]?[A-Za-z0-9]){1,11}$"


def digits_between(low: int, high: int, width: int) -> str:
    """A pattern of the ``width``-digit, zero-padded numbers from ``low`` to ``high`` (no anchors)."""
    if not 0 <= low <= high < 10**width:
        raise ValueError(f"no {width}-digit numbers from {low} to {high}")
    return _span(str(low).zfill(width), str(high).zfill(width))


def _span(low: str, high: str) -> str:
    """Numbers of equal width from ``low`` to ``high``: the first digit splits the range in up to three."""
    if low == high:
        return low
    if len(low) == 1:
        return f"[{low}-{high}]"
    if low[0] == high[0]:
        return low[0] + _group(_span(low[1:], high[1:]))
    rest = len(low) - 1
    low_whole, high_whole = low[1:] == "0" * rest, high[1:] == "9" * rest
    parts = [] if low_whole else [low[0] + _group(_span(low[1:], "9" * rest))]
    first, last = int(low[0]) + (not low_whole), int(high[0]) - (not high_whole)
    if first <= last:
        digit = str(first) if first == last else f"[{first}-{last}]"
        parts.append(digit + ("[0-9]" if rest == 1 else f"[0-9]{{{rest}}}"))
    if not high_whole:
        parts.append(high[0] + _group(_span("0" * rest, high[1:])))
    return "|".join(parts)


def _group(pattern: str) -> str:
    return f"(?:{pattern})" if "|" in pattern else pattern


def _either(parts: list[str]) -> str:
    return f"^(?:{'|'.join(parts)})$"


def years_until(last: date) -> str:
    """``YYYY`` from 1900 to ``last``'s year."""
    return _either([digits_between(EARLIEST_YEAR, last.year, 4)])


def months_until(last: date) -> str:
    """``YYYY-MM`` from 1900-01 to ``last``'s month."""
    parts = [f"{last.year}-{_group(digits_between(1, last.month, 2))}"]
    if last.year > EARLIEST_YEAR:
        parts.insert(0, f"{_group(digits_between(EARLIEST_YEAR, last.year - 1, 4))}-{MONTHS}")
    return _either(parts)


def days_until(last: date | None) -> str:
    """``YYYY-MM-DD`` from 1900-01-01 to ``last`` (to 9999-12-31 without one); whether the day exists
    (no 31 April) is left to ``format: date`` beside it."""
    if last is None:
        return _either([f"{_group(digits_between(EARLIEST_YEAR, 9999, 4))}-{MONTHS}-{DAYS}"])
    parts = [f"{last.year}-{last.month:02d}-{_group(digits_between(1, last.day, 2))}"]
    if last.month > 1:
        parts.insert(0, f"{last.year}-{_group(digits_between(1, last.month - 1, 2))}-{DAYS}")
    if last.year > EARLIEST_YEAR:
        parts.insert(0, f"{_group(digits_between(EARLIEST_YEAR, last.year - 1, 4))}-{MONTHS}-{DAYS}")
    return _either(parts)
